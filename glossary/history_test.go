package glossary

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
)

// tickingStore is a Store over a fresh database whose clock moves a minute at every reading,
// so that each write has a time of its own.
func tickingStore(t *testing.T) (*Store, *migrations.DB) {
	db := migrationstest.Open(t)
	at := time.Date(2026, 5, 2, 9, 0, 0, 0, time.UTC)
	return NewStore(db.W, db.R, func() time.Time { at = at.Add(time.Minute); return at }), db
}

// revisionLine is a revision in a line: action, author, the import or undo, the fields.
func revisionLine(r Revision) string {
	var b strings.Builder
	b.WriteString(r.Action + " by " + r.Author)
	if r.ImportID != 0 {
		b.WriteString(" with import of " + r.ImportFile)
	}
	if r.UndoOf != 0 {
		b.WriteString(" undoing import of " + r.UndoFile)
	}
	for _, c := range r.Changes {
		b.WriteString("; " + c.Field + ": " + c.Before + " → " + c.After)
	}
	return b.String()
}

func historyLines(t *testing.T, s *Store, id int64) []string {
	t.Helper()
	revs, err := s.History(context.Background(), id)
	if err != nil {
		t.Fatalf("History(%d): %v", id, err)
	}
	var out []string
	for _, r := range revs {
		out = append(out, revisionLine(r))
	}
	return out
}

func mustImport(t *testing.T, s *Store, name, body string, opt ImportOptions) *ImportReport {
	t.Helper()
	opt.Name = name
	rep, err := importString(s, body, opt)
	if err != nil {
		t.Fatalf("import %s: %v", name, err)
	}
	return rep
}

// TestStore_HistoryOfEveryWrite: a term created on the page, edited, updated by a merge
// import and removed by a replace import has each change in its history, newest first, field
// by field, with who made it and the import it came with; the history of a term deleted by
// hand stays readable.
func TestStore_HistoryOfEveryWrite(t *testing.T) {
	ctx := context.Background()
	s, _ := tickingStore(t)
	tr := mustCreate(t, s, Term{Arabic: "الضمانات الأمنية", English: "security guarantees", UpdatedBy: "amal"})[0]
	other := mustCreate(t, s, Term{Arabic: "روسيا", English: "Russia", Type: TypeName, UpdatedBy: "amal"})[0]
	tr.Note, tr.UpdatedBy = "as in the 2022 draft treaty", "bilal"
	if err := s.Update(ctx, &tr); err != nil {
		t.Fatal(err)
	}
	saved := tr
	if err := s.Update(ctx, &saved); err != nil { // saved as it is: no change, no revision
		t.Fatal(err)
	}
	mustImport(t, s, "merge.csv", "arabic,english,english_alternatives\nالضمانات الأمنية,security assurances,security guarantees\n", ImportOptions{User: "cli"})
	mustImport(t, s, "replace.csv", "روسيا,Russia\n", ImportOptions{Mode: ModeReplace, User: "chadi"})
	if err := s.Delete(ctx, other.ID, "dina"); err != nil {
		t.Fatal(err)
	}

	want := []string{
		"delete by chadi with import of replace.csv; arabic: الضمانات الأمنية → ; english: security assurances → ; type: term → " +
			"; english_alternatives: security guarantees → ; note: as in the 2022 draft treaty → ",
		"update by cli with import of merge.csv; english: security guarantees → security assurances; english_alternatives:  → security guarantees",
		"update by bilal; note:  → as in the 2022 draft treaty",
		"create by amal; arabic:  → الضمانات الأمنية; english:  → security guarantees; type:  → term",
	}
	if got := historyLines(t, s, tr.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	want = []string{
		"delete by dina; arabic: روسيا → ; english: Russia → ; type: name → ",
		"create by amal; arabic:  → روسيا; english:  → Russia; type:  → name",
	}
	if got := historyLines(t, s, other.ID); !reflect.DeepEqual(got, want) {
		t.Errorf("history of a deleted term:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	revs, err := s.History(ctx, tr.ID)
	if err != nil {
		t.Fatal(err)
	}
	upd := revs[1]
	if upd.Before.English != "security guarantees" || upd.After.English != "security assurances" || upd.After.UpdatedBy != "cli" {
		t.Errorf("the import's revision keeps the whole term: before %+v, after %+v", upd.Before, upd.After)
	}
	if !upd.At.After(revs[2].At) || upd.ImportID == 0 {
		t.Errorf("revision times %v, %v; import %d", upd.At, revs[2].At, upd.ImportID)
	}
	if _, err := s.History(ctx, other.ID+100); !errors.Is(err, ErrNotFound) {
		t.Errorf("history of a term that never was: %v, want ErrNotFound", err)
	}
}

// TestStore_ImportsAreListed: every import that writes is recorded with its file, mode,
// author and counts, newest first; a dry run is not.
func TestStore_ImportsAreListed(t *testing.T) {
	ctx := context.Background()
	s, _ := tickingStore(t)
	first := mustImport(t, s, "first.csv", "روسيا,Russia\nموسكو,Moscow\n", ImportOptions{User: "amal"})
	mustImport(t, s, "dry.csv", "كييف,Kyiv\n", ImportOptions{User: "amal", DryRun: true})
	second := mustImport(t, s, "second.tsv", "روسيا\tthe Russian Federation\nكييف\tKyiv\n", ImportOptions{User: "bilal", Mode: ModeReplace})
	again := mustImport(t, s, "second.tsv", "روسيا\tthe Russian Federation\nكييف\tKyiv\n", ImportOptions{User: "bilal"})
	if first.ImportID == 0 || second.ImportID <= first.ImportID || again.ImportID <= second.ImportID {
		t.Fatalf("import ids %d, %d, %d", first.ImportID, second.ImportID, again.ImportID)
	}
	list, err := s.Imports(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	type row struct {
		file, mode, by                     string
		added, updated, removed, unchanged int
	}
	var got []row
	for _, r := range list {
		got = append(got, row{r.File, r.Mode, r.By, r.Added, r.Updated, r.Removed, r.Unchanged})
		if r.UndoneAt != nil || r.At.IsZero() {
			t.Errorf("%s: at %v, undone %v", r.Name(), r.At, r.UndoneAt)
		}
	}
	want := []row{
		{"second.tsv", ModeMerge, "bilal", 0, 0, 0, 2},
		{"second.tsv", ModeReplace, "bilal", 1, 1, 1, 0},
		{"first.csv", ModeMerge, "amal", 2, 0, 0, 0},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("imports:\n%+v\nwant\n%+v", got, want)
	}
	if list, err := s.Imports(ctx, 1); err != nil || len(list) != 1 || list[0].ID != again.ImportID {
		t.Errorf("the latest import: %+v, %v", list, err)
	}
}

// TestStore_UndoMerge: undoing a merge import deletes the terms it added and gives the terms
// it updated back exactly what they had, leaving the others alone; the undo is in the history
// as the user's, and undoing it again is refused.
func TestStore_UndoMerge(t *testing.T) {
	ctx := context.Background()
	s, db := tickingStore(t)
	mustCreate(t, s, Term{Arabic: "روسيا", English: "Russia", Type: TypeName, Variants: []string{"روسية"}, UpdatedBy: "amal"},
		Term{Arabic: "موسكو", English: "Moscow", Type: TypeName, UpdatedBy: "amal"})
	before := dumpTerms(t, db.R)
	rep := mustImport(t, s, "merge.csv", "arabic,english,note\nروسيا,the Russian Federation,official name\nكييف,Kyiv,\nموسكو,Moscow,\n",
		ImportOptions{User: "cli"})
	if len(rep.Added) != 1 || len(rep.Updated) != 1 {
		t.Fatalf("import: %d added, %d updated", len(rep.Added), len(rep.Updated))
	}

	undo, err := s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "bilal"})
	if err != nil {
		t.Fatal(err)
	}
	if got := dumpTerms(t, db.R); !reflect.DeepEqual(got, before) {
		t.Errorf("after the undo:\n%s\nwant as before the import:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
	}
	if got, want := changeLines(undo.Deleted), []string{"0 كييف=Kyiv"}; !reflect.DeepEqual(got, want) {
		t.Errorf("deleted %q, want %q", got, want)
	}
	if len(undo.Restored) != 1 || undo.Restored[0].English != "Russia" || undo.Restored[0].OldEnglish != "the Russian Federation" {
		t.Errorf("restored %+v", undo.Restored)
	}
	if undo.Import.UndoneAt == nil || undo.Import.UndoneBy != "bilal" || len(undo.Overwritten) != 0 {
		t.Errorf("the import after its undo: %+v, overwritten %+v", undo.Import, undo.Overwritten)
	}
	russia := rep.Updated[0].ID
	want := []string{
		"update by bilal undoing import of merge.csv; english: the Russian Federation → Russia; note: official name → ",
		"update by cli with import of merge.csv; english: Russia → the Russian Federation; note:  → official name",
		"create by amal; arabic:  → روسيا; english:  → Russia; type:  → name; variants:  → روسية",
	}
	if got := historyLines(t, s, russia); !reflect.DeepEqual(got, want) {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if got := historyLines(t, s, rep.Added[0].ID); len(got) != 2 || !strings.HasPrefix(got[0], "delete by bilal undoing import of merge.csv") {
		t.Errorf("history of the added term: %q", got)
	}
	list, err := s.Imports(ctx, 1)
	if err != nil || list[0].UndoneAt == nil || list[0].UndoneBy != "bilal" {
		t.Errorf("the import listed after its undo: %+v, %v", list, err)
	}

	_, err = s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "bilal"})
	if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "import 1 (merge.csv) was undone already") ||
		!strings.Contains(err.Error(), "by bilal") {
		t.Errorf("undoing twice: %v", err)
	}
	if _, err := s.UndoImport(ctx, 99, UndoOptions{User: "bilal"}); !errors.Is(err, ErrNotFound) {
		t.Errorf("undoing an import that never was: %v", err)
	}
}

// TestStore_UndoReplace: undoing a replace import puts the terms it removed back under their
// ids, as they were, where the search and the matcher find them again.
func TestStore_UndoReplace(t *testing.T) {
	ctx := context.Background()
	s, db := tickingStore(t)
	terms := mustCreate(t, s,
		Term{Arabic: "روسيا", English: "Russia", Type: TypeName, UpdatedBy: "amal"},
		Term{Arabic: "سيرغي ريابكوف", English: "Sergei Ryabkov", Type: TypeName, Variants: []string{"سيرجي ريابكوف"},
			Alternatives: []string{"Sergey Ryabkov"}, Note: "deputy foreign minister", UpdatedBy: "amal"},
		Term{Arabic: "الضمانات الأمنية", English: "security guarantees", Forbidden: []string{"safety guarantees"}, DoNotTranslate: false, UpdatedBy: "bilal"})
	if _, _, err := s.List(ctx, Filter{Query: "ريابكوف"}); err != nil { // the search index holds them all
		t.Fatal(err)
	}
	before := dumpTerms(t, db.R)
	rep := mustImport(t, s, "wrong.csv", "روسيا,Russian Federation\nأوكرانيا,Ukraine\n", ImportOptions{Mode: ModeReplace, User: "cli"})
	if len(rep.Removed) != 2 {
		t.Fatalf("removed %d terms, want 2", len(rep.Removed))
	}
	undo, err := s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "amal"})
	if err != nil {
		t.Fatal(err)
	}
	if got := dumpTerms(t, db.R); !reflect.DeepEqual(got, before) {
		t.Errorf("after the undo:\n%s\nwant as before the import:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
	}
	if len(undo.Recreated) != 2 || len(undo.Restored) != 1 || len(undo.Deleted) != 1 {
		t.Errorf("undo: %d recreated, %d restored, %d deleted", len(undo.Recreated), len(undo.Restored), len(undo.Deleted))
	}
	got, err := s.Get(ctx, terms[1].ID)
	if err != nil || got.English != "Sergei Ryabkov" || !reflect.DeepEqual(got.Variants, []string{"سيرجي ريابكوف"}) {
		t.Errorf("the term put back under its id: %+v, %v", got, err)
	}
	found, _, err := s.List(ctx, Filter{Query: "ريابكوف"})
	if err != nil || len(found) != 1 || found[0].ID != terms[1].ID {
		t.Errorf("the search finds %+v, %v", found, err)
	}
	m, err := s.Matcher(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if hits := m.Match("قال سيرجي ريابكوف إن الضمانات الأمنية"); len(hits) != 2 {
		t.Errorf("the matcher finds %+v", hits)
	}
	if got := historyLines(t, s, terms[1].ID); len(got) != 3 || got[0] != "create by amal undoing import of wrong.csv; "+
		"arabic:  → سيرغي ريابكوف; english:  → Sergei Ryabkov; type:  → name; variants:  → سيرجي ريابكوف; "+
		"english_alternatives:  → Sergey Ryabkov; note:  → deputy foreign minister" {
		t.Errorf("history of a term put back:\n%s", strings.Join(got, "\n"))
	}
	// A new term after the undo gets an id no term has had.
	if n := mustCreate(t, s, Term{Arabic: "كييف", English: "Kyiv"})[0]; n.ID <= rep.Added[0].ID {
		t.Errorf("new term id %d, not above the deleted %d", n.ID, rep.Added[0].ID)
	}
}

// TestStore_UndoRefusesTermsChangedSince: an import whose terms were changed after it, by an
// edit or a later import, is not undone: the refusal names those terms by their Arabic and
// English and changes nothing; forced, the undo puts them back as they were before the import.
func TestStore_UndoRefusesTermsChangedSince(t *testing.T) {
	ctx := context.Background()
	s, db := tickingStore(t)
	russia := mustCreate(t, s, Term{Arabic: "روسيا", English: "Russia", Type: TypeName, UpdatedBy: "amal"})[0]
	rep := mustImport(t, s, "merge.csv", "روسيا,the Russian Federation\nكييف,Kyiv\nموسكو,Moscow\n", ImportOptions{User: "cli"})
	russia, err := s.Get(ctx, russia.ID)
	if err != nil {
		t.Fatal(err)
	}
	russia.English, russia.UpdatedBy = "Russian Federation", "bilal"
	if err := s.Update(ctx, &russia); err != nil {
		t.Fatal(err)
	}
	mustImport(t, s, "later.csv", "كييف,Kiev\n", ImportOptions{User: "chadi"})
	later := dumpTerms(t, db.R)

	_, err = s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "dina"})
	var es *EditedSinceError
	if !errors.As(err, &es) || !errors.Is(err, ErrConflict) {
		t.Fatalf("undo: %v, want an EditedSinceError", err)
	}
	for _, want := range []string{"import 1 (merge.csv): 2 terms it changed were changed again since",
		"«روسيا» → Russian Federation (edited by bilal, 2026-05-02 09:0", "«كييف» → Kiev (edited by import 2 (later.csv)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("message %q lacks %q", err, want)
		}
	}
	if strings.Contains(err.Error(), "term 1") || len(es.Terms) != 2 {
		t.Errorf("the refusal names %d terms, by id? %q", len(es.Terms), err)
	}
	if got := dumpTerms(t, db.R); !reflect.DeepEqual(got, later) {
		t.Errorf("a refused undo changed the terms")
	}
	if list, _ := s.Imports(ctx, 0); list[1].UndoneAt != nil {
		t.Errorf("a refused undo marked the import undone")
	}

	undo, err := s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "dina", Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if got := changeLines(undo.Overwritten); !reflect.DeepEqual(got, []string{"0 روسيا=Russian Federation", "0 كييف=Kiev"}) {
		t.Errorf("overwritten %q", got)
	}
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 1 || all[0].English != "Russia" || all[0].UpdatedBy != "amal" {
		t.Errorf("after the forced undo: %+v", all)
	}
}

// TestStore_UndoInReverseOrder: undoing the later of two imports of a term, then the earlier,
// needs no force: each finds the term as it left it.
func TestStore_UndoInReverseOrder(t *testing.T) {
	ctx := context.Background()
	s, db := tickingStore(t)
	mustCreate(t, s, Term{Arabic: "روسيا", English: "Russia", UpdatedBy: "amal"})
	before := dumpTerms(t, db.R)
	one := mustImport(t, s, "one.csv", "روسيا,Russian Federation\n", ImportOptions{User: "cli"})
	two := mustImport(t, s, "two.csv", "روسيا,the Russian Federation\nكييف,Kyiv\n", ImportOptions{User: "cli"})
	if _, err := s.UndoImport(ctx, two.ImportID, UndoOptions{User: "amal"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.UndoImport(ctx, one.ImportID, UndoOptions{User: "amal"}); err != nil {
		t.Fatal(err)
	}
	if got := dumpTerms(t, db.R); !reflect.DeepEqual(got, before) {
		t.Errorf("after both undos:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(before, "\n"))
	}
}

// TestStore_UndoKeepsSpellingsOwned: a term removed by a replace import cannot come back once
// another term has its spelling, forced or not: the refusal names both.
func TestStore_UndoKeepsSpellingsOwned(t *testing.T) {
	ctx := context.Background()
	s, db := tickingStore(t)
	mustCreate(t, s, Term{Arabic: "روسيا", English: "Russia"}, Term{Arabic: "الغرب", English: "the West"})
	rep := mustImport(t, s, "replace.csv", "روسيا,Russia\n", ImportOptions{Mode: ModeReplace, User: "cli"})
	mustCreate(t, s, Term{Arabic: "دول الغرب", English: "Western countries", Variants: []string{"الغرب"}, UpdatedBy: "amal"})
	after := dumpTerms(t, db.R)
	for _, force := range []bool{false, true} {
		_, err := s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "amal", Force: force})
		if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), `«الغرب» → the West would come back with "الغرب", which «دول الغرب» → Western countries has now`) {
			t.Errorf("force %v: %v", force, err)
		}
	}
	if got := dumpTerms(t, db.R); !reflect.DeepEqual(got, after) {
		t.Errorf("a refused undo changed the terms")
	}
}

// TestStore_ImportReadsOddRows: a stored term whose text holds the separator an import reads
// the glossary with (written before the text rule refused control characters) is read whole:
// a file with it as it is leaves it unchanged, and one that changes its English, keeping its
// note, is refused for the character in the note.
func TestStore_ImportReadsOddRows(t *testing.T) {
	s, db := tickingStore(t)
	if _, err := db.W.Exec(`INSERT INTO terms (arabic, arabic_norm, english, type, note, english_fold, updated_at)
		VALUES ('روسيا', 'روسيا', 'Russia', 'name', 'a' || char(31) || 'b', 'russia', '2024-01-01T00:00:00.000000000Z')`); err != nil {
		t.Fatal(err)
	}
	if rep := mustImport(t, s, "same.csv", "روسيا,Russia\n", ImportOptions{}); len(rep.Unchanged) != 1 {
		t.Errorf("the same term: %d unchanged, %d updated", len(rep.Unchanged), len(rep.Updated))
	}
	_, err := importString(s, "روسيا,the Russian Federation\n", ImportOptions{Name: "new.csv"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "new.csv:1: note: character 2: U+001F") {
		t.Errorf("a new English beside the stored note: %v", err)
	}
}

// TestStore_UndoAfterTheSameChangeByHand: a term the import added and someone deleted since,
// or one it updated that someone set back since, is already as the undo would make it: the
// undo goes ahead without force and has nothing left to change.
func TestStore_UndoAfterTheSameChangeByHand(t *testing.T) {
	ctx := context.Background()
	s, _ := tickingStore(t)
	russia := mustCreate(t, s, Term{Arabic: "روسيا", English: "Russia", UpdatedBy: "amal"})[0]
	rep := mustImport(t, s, "merge.csv", "روسيا,Russian Federation\nكييف,Kyiv\n", ImportOptions{User: "cli"})
	if err := s.Delete(ctx, rep.Added[0].ID, "bilal"); err != nil {
		t.Fatal(err)
	}
	back := russia
	back.UpdatedBy = "bilal"
	if err := s.Update(ctx, &back); err != nil {
		t.Fatal(err)
	}
	undo, err := s.UndoImport(ctx, rep.ImportID, UndoOptions{User: "dina"})
	if err != nil {
		t.Fatalf("undo: %v", err)
	}
	if len(undo.Overwritten) != 0 || len(undo.Deleted) != 0 || len(undo.Restored) != 0 {
		t.Errorf("undo: %d overwritten, %d deleted, %d restored", len(undo.Overwritten), len(undo.Deleted), len(undo.Restored))
	}
}

// TestStore_ImportWritesEveryShape: whichever columns an import binds for a term (see
// shapeOf), the stored row is the term, with the derived columns the search reads.
func TestStore_ImportWritesEveryShape(t *testing.T) {
	ctx := context.Background()
	s, db := tickingStore(t)
	var body strings.Builder
	body.WriteString("arabic,english,type,variants,english_alternatives,forbidden,note,do_not_translate\n")
	rows := []string{ // %[1]s: a word that makes each copy's spellings its own
		"كييف %[1]s,Kyiv,term,,,,,false",                                // plain term
		"موسكو %[1]s,Moscow,name,,,,,false",                             // plain name
		"تركيا %[1]s,Türkiye,name,,,,,false",                            // English beyond ASCII: Go folds it
		"الكرملين %[1]s,KREMLIN,term,,,,,false",                         // folded to lower case
		"روسيا %[1]s,Russia,name,روسية %[1]s,the Russian Federation,,,", // lists
		"حلف الناتو %[1]s,NATO,term,,,,the alliance,",                   // a note
		"بوتين %[1]s,Putin,name,,,,,true",                               // do not translate
		"أوكرانيا %[1]s,Ukraine,name,,,Ukrain,,",                        // forbidden
	}
	const copies = 300 // past one full statement of each shape, and a part of one
	for i := 0; i < copies; i++ {
		for j, r := range rows {
			fmt.Fprintf(&body, r+"\n", benchWord(i*len(rows)+j, 3))
		}
	}
	rep := mustImport(t, s, "shapes.csv", body.String(), ImportOptions{User: "amal"})
	if len(rep.Added) != copies*len(rows) {
		t.Fatalf("added %d terms, want %d", len(rep.Added), copies*len(rows))
	}
	all, err := s.All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, term := range all {
		counts[string(term.Type)+" "+term.English]++
		if term.DoNotTranslate {
			counts["do not translate"]++
		}
		counts["note "+term.Note]++
		counts["forbidden "+strings.Join(term.Forbidden, "|")]++
		counts["alternatives "+strings.Join(term.Alternatives, "|")]++
	}
	for key, want := range map[string]int{"term Kyiv": copies, "name Moscow": copies, "name Türkiye": copies, "term KREMLIN": copies,
		"name Russia": copies, "term NATO": copies, "name Putin": copies, "name Ukraine": copies, "do not translate": copies,
		"note the alliance": copies, "forbidden Ukrain": copies, "alternatives the Russian Federation": copies} {
		if counts[key] != want {
			t.Errorf("%d terms with %s, want %d", counts[key], key, want)
		}
	}
	for _, term := range all {
		var typ, variantsNorm, englishFold, by string
		if err := db.R.QueryRow(`SELECT type, variants_norm, english_fold, updated_by FROM terms WHERE id = ?`, term.ID).
			Scan(&typ, &variantsNorm, &englishFold, &by); err != nil {
			t.Fatal(err)
		}
		vn, ef := searchColumns(&term)
		if typ != string(term.Type) || variantsNorm != vn || englishFold != ef || by != "amal" {
			t.Errorf("%s: stored type %q, variants_norm %q, english_fold %q, by %q; want %q %q %q amal",
				term.Arabic, typ, variantsNorm, englishFold, by, term.Type, vn, ef)
		}
	}
	found, _, err := s.List(ctx, Filter{Query: "türkiye"})
	if err != nil || len(found) != copies {
		t.Errorf("searching the folded English finds %d terms (%v)", len(found), err)
	}
}
