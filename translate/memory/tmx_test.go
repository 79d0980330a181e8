package memory

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/fixtures"
	"github.com/tarjama/tarjama/translate/tmx"
)

func TestImportTMX(t *testing.T) {
	s := openMemory(t)
	ctx := context.Background()
	data := fixtures.TMX

	rep, err := s.ImportTMX(ctx, bytes.NewReader(data), ImportOptions{Name: "memory.tmx", DryRun: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added.Total != 3 || rep.Pairs != 3 || rep.Units != 5 || rep.Refused.Total != 2 || !rep.DryRun || rep.Version != "1.4" ||
		!reflect.DeepEqual(rep.Languages, []string{"ar", "arn", "en", "fr"}) {
		t.Errorf("dry run = %+v", rep)
	}
	if r := rep.Refused.Items[0]; r.Line != 25 || r.Element != "tu" || r.Reason != "no Arabic variant (languages en, fr)" {
		t.Errorf("refused = %+v", rep.Refused)
	}
	if n, _ := s.Count(ctx); n != 0 {
		t.Fatalf("dry run wrote %d pairs", n)
	}

	if rep, err = s.ImportTMX(ctx, bytes.NewReader(data), ImportOptions{Name: "memory.tmx"}); err != nil || rep.Added.Total != 3 || rep.Unchanged.Total != 0 {
		t.Fatalf("import = %+v, %v", rep, err)
	}
	if rep, err = s.ImportTMX(ctx, bytes.NewReader(data), ImportOptions{Name: "memory.tmx"}); err != nil || rep.Added.Total != 0 || rep.Unchanged.Total != 3 ||
		rep.Unchanged.Items[0].Detail != "already in the memory" {
		t.Fatalf("second import = %+v, %v", rep, err)
	}
	got, err := s.Exact(ctx, []string{"الضَّمانات الأمنيّة ضرورية."})
	if err != nil || got["الضَّمانات الأمنيّة ضرورية."] != "Security guarantees are essential." {
		t.Errorf("Exact after import = %v, %v", got, err)
	}

	// A broken file changes nothing.
	if _, err := s.ImportTMX(ctx, strings.NewReader(`<tmx><body><tu><tuv xml:lang="ar"><seg>جديد</seg></tuv><tuv xml:lang="en"><seg>new</seg></tuv></tu><tu>`), ImportOptions{Name: "cut.tmx"}); err == nil {
		t.Fatal("a cut-off file imported without error")
	}
	if n, _ := s.Count(ctx); n != 3 {
		t.Errorf("after a failed import the memory has %d pairs, want 3", n)
	}
}

// TestImportTMX_NoPair: a file without a single Arabic–English pair is refused naming the
// languages it has, and writes nothing.
func TestImportTMX_NoPair(t *testing.T) {
	s := openMemory(t)
	for _, tc := range []struct{ doc, want string }{
		{`<tmx version="1.4"><body>
<tu><tuv xml:lang="fr-FR"><seg>merci</seg></tuv><tuv xml:lang="DE"><seg>danke</seg></tuv></tu>
<tu><tuv xml:lang="en"><seg>thanks</seg></tuv><tuv xml:lang="es"><seg>gracias</seg></tuv></tu>
</body></tmx>`, "fr-de.tmx: no Arabic–English pair in 2 translation units; the file's languages are: de, en, es, fr"},
		{`<tmx version="1.4"><body>
<tu><tuv xml:lang="ar"><seg> </seg></tuv><tuv xml:lang="en"><seg>thanks</seg></tuv></tu>
</body></tmx>`, `fr-de.tmx: no Arabic–English pair in 1 translation unit; the file's languages are: ar, en; line 2: <tu>: the Arabic segment is empty`},
		{`<tmx version="1.4"><header/><body></body></tmx>`, "fr-de.tmx: no translation units (<tu>) in the file"},
	} {
		_, err := s.ImportTMX(context.Background(), strings.NewReader(tc.doc), ImportOptions{Name: "fr-de.tmx"})
		if !errors.Is(err, translate.ErrInvalid) || !strings.HasSuffix(err.Error(), tc.want) {
			t.Errorf("err = %v\nwant ErrInvalid ending %q", err, tc.want)
		}
	}
	if n, _ := s.Count(context.Background()); n != 0 {
		t.Errorf("the memory holds %d pairs", n)
	}
}

func importFile(t *testing.T, s *Memory, name string, dry bool) ImportReport {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "tmx", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rep, err := s.ImportTMX(context.Background(), f, ImportOptions{Name: name, DryRun: dry})
	if err != nil {
		t.Fatal(err)
	}
	return rep
}

// TestImportTMX_Metadata: the tuid, ids, change date, notes and properties land in the
// memory's columns; the creation date is the entry's.
func TestImportTMX_Metadata(t *testing.T) {
	s := openMemory(t)
	rep := importFile(t, s, "metadata.tmx", false)
	if rep.Added.Total != 2 || rep.Added.Items[0].TUID != "news-0001" || rep.Added.Items[0].Line != 12 {
		t.Fatalf("report %+v", rep)
	}
	var origin, created, tuid, creationID, changedAt, changeID, notes, props string
	err := s.r.QueryRow(`SELECT origin, created_at, tuid, creation_id, changed_at, change_id, notes, props FROM tm ORDER BY id LIMIT 1`).
		Scan(&origin, &created, &tuid, &creationID, &changedAt, &changeID, &notes, &props)
	if err != nil {
		t.Fatal(err)
	}
	got := []string{origin, created, tuid, creationID, changedAt, changeID, notes, props}
	want := []string{"tmx", "2024-01-10T08:35:12.000000000Z", "news-0001", "mona", "2024-02-12T14:10:03.000000000Z", "sami",
		`[{"text":"Checked against the agency wire."},{"text":"Tense follows the wire copy.","lang":"en","variant":"target"}]`,
		`[{"type":"x-Client","value":"Desk"},{"type":"x-Domain","value":"Politics"},{"type":"x-Context","value":"headline","variant":"source"}]`}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("stored\n got %q\nwant %q", got, want)
	}
}

// TestImportTMX_Updated: a unit the memory has, with metadata the memory does not, updates
// the entry (never erasing what the file leaves out); the dry run says so and writes nothing.
func TestImportTMX_Updated(t *testing.T) {
	s := openMemory(t)
	importFile(t, s, "metadata.tmx", false)
	doc := `<tmx version="1.4"><body>
<tu tuid="news-0001" changeid="huda" changedate="20240301T090000Z">
  <note>Rechecked.</note>
  <tuv xml:lang="ar"><seg>أعلن الكرملين أن المحادثات ستستأنف الأسبوع المقبل.</seg></tuv>
  <tuv xml:lang="en"><seg>The Kremlin announced that the talks would resume next week.</seg></tuv>
</tu>
<tu><tuv xml:lang="ar"><seg>وقال المتحدث باسم الوزارة إن الوفد وصل إلى جنيف.</seg></tuv>
  <tuv xml:lang="en"><seg>The ministry spokesman said the delegation had arrived in Geneva.</seg></tuv></tu>
<tu><tuv xml:lang="ar"><seg>وقال المتحدث باسم الوزارة إن الوفد وصل إلى جنيف.</seg></tuv>
  <tuv xml:lang="en"><seg>The ministry's spokesman said the delegation had reached Geneva.</seg></tuv></tu>
<tu><tuv xml:lang="ar"><seg>وقال المتحدث باسم الوزارة إن الوفد وصل إلى جنيف.</seg></tuv>
  <tuv xml:lang="en"><seg>The ministry spokesman said the delegation had arrived in Geneva.</seg></tuv></tu>
</body></tmx>`
	for _, dry := range []bool{true, false} {
		rep, err := s.ImportTMX(context.Background(), strings.NewReader(doc), ImportOptions{Name: "update.tmx", DryRun: dry})
		if err != nil {
			t.Fatal(err)
		}
		upd := rep.Updated.Items
		if rep.Updated.Total != 1 || upd[0].Line != 2 || !reflect.DeepEqual(upd[0].Fields, []string{"changedate", "changeid", "notes"}) ||
			rep.Added.Total != 1 || rep.Added.Items[0].Line != 9 || rep.Unchanged.Total != 2 ||
			rep.Unchanged.Items[0].Detail != "already in the memory" || rep.Unchanged.Items[1].Detail != "repeats the unit on line 7" {
			t.Errorf("dry run %v: %+v", dry, rep)
		}
		var notes, changeID, creationID, props string
		if err := s.r.QueryRow(`SELECT notes, change_id, creation_id, props FROM tm WHERE tuid = 'news-0001'`).Scan(&notes, &changeID, &creationID, &props); err != nil {
			t.Fatal(err)
		}
		if n, _ := s.Count(context.Background()); dry && (n != 2 || changeID != "sami") || !dry && (n != 3 || changeID != "huda" || notes != `[{"text":"Rechecked."}]`) {
			t.Errorf("dry run %v: %d pairs, changeid %q, notes %s", dry, n, changeID, notes)
		}
		if creationID != "mona" || !strings.Contains(props, "x-Client") {
			t.Errorf("dry run %v: the update erased what the file left out: creationid %q, props %s", dry, creationID, props)
		}
	}
}

// TestRemember_KeepsMetadata: approving a pair the memory has from a TMX file makes it the
// newest entry, approved, and keeps what the file said about it.
func TestRemember_KeepsMetadata(t *testing.T) {
	s := openMemory(t)
	importFile(t, s, "metadata.tmx", false)
	ctx := context.Background()
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if err := Remember(ctx, tx, "أعلن الكرملين أن المحادثات ستستأنف الأسبوع المقبل.", "The Kremlin announced that the talks would resume next week.",
		"approved", "2026-01-01T00:00:00.000000000Z"); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	var id int64
	var origin, tuid, notes string
	var words int
	err = s.r.QueryRow(`SELECT id, origin, tuid, notes, (SELECT COUNT(*) FROM tm_tokens WHERE tm_id = tm.id) FROM tm WHERE tuid = 'news-0001'`).Scan(&id, &origin, &tuid, &notes, &words)
	if err != nil || id != 3 || origin != "approved" || !strings.Contains(notes, "Checked against the agency wire.") || words != 7 {
		t.Errorf("after the approval: id %d, origin %q, tuid %q, notes %s, %d index rows (%v)", id, origin, tuid, notes, words, err)
	}
	var stale int
	if err := s.r.QueryRow(`SELECT COUNT(*) FROM tm_tokens WHERE tm_id = 1`).Scan(&stale); err != nil || stale != 0 {
		t.Errorf("the replaced entry left %d index rows (%v)", stale, err)
	}
}

// TestImportTMX_Fixtures: every fixture of the TMX reader imports with what came in.
func TestImportTMX_Fixtures(t *testing.T) {
	s := openMemory(t)
	for _, tc := range []struct {
		file            string
		added, refused  int
		source, english string
	}{
		{"whitespace.tmx", 3, 0, "قال:[\t\t   ]انتهى", "He said:[\t\t   ]the end"},
		{"inline.tmx", 3, 0, "انظر الصورة  أدناه.", "See the picture  below."},
		{"langcodes.tmx", 4, 2, "شكرا جزيلا", "Thank you very much"},
		{"tmx11.tmx", 2, 0, "عاجل: انتهى الاجتماع.", "Breaking: the meeting has ended."},
		{"entities.tmx", 1, 0, "نقلت\u00a0وكالة الصحافة الفرنسية الخبر.", "Agence France-Presse\u00a0(AFP) carried the report."},
		{"windows1256.tmx", 1, 0, "قال وزير الخارجية، في مؤتمر صحفي: هل انتهت الأزمة؟ نعم؛ لقد انتهت.", "The foreign minister said at a press conference: is the crisis over? Yes; it is over."},
		{"utf16le.tmx", 0, 0, "قال وزير الخارجية، في مؤتمر صحفي: هل انتهت الأزمة؟ نعم؛ لقد انتهت.", "The foreign minister said at a press conference: is the crisis over? Yes; it is over."},
	} {
		t.Run(tc.file, func(t *testing.T) {
			rep := importFile(t, s, tc.file, false)
			if rep.Added.Total != tc.added || rep.Refused.Total != tc.refused {
				t.Errorf("added %d, refused %d; want %d, %d", rep.Added.Total, rep.Refused.Total, tc.added, tc.refused)
			}
			var source string
			if err := s.r.QueryRow(`SELECT source FROM tm WHERE target = ?`, tc.english).Scan(&source); err != nil || source != tc.source {
				t.Errorf("stored source %q (%v), want %q", source, err, tc.source)
			}
		})
	}
}

// tmxFile50k is a TMX file of 50,000 distinct Arabic–English units of 6 to 25 words drawn
// from a Zipf-distributed vocabulary, as a newsroom's memory would be, with a tuid, a date
// and, on every tenth unit, a note and a property.
func tmxFile50k(tb testing.TB) []byte {
	tb.Helper()
	r := rand.New(rand.NewSource(7))
	letters := []rune("ابتثجحخدذرزسشصضطظعغفقكلمنهوي")
	words := make([]string, 20000)
	for i := range words {
		w := make([]rune, 3+r.Intn(5))
		for j := range w {
			w[j] = letters[r.Intn(len(letters))]
		}
		words[i] = string(w)
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(words)-1))
	pairs := make([]tmx.Pair, 50000)
	created := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range pairs {
		sent := make([]string, 6+r.Intn(20))
		for j := range sent {
			sent[j] = words[zipf.Uint64()]
		}
		p := tmx.Pair{Source: strings.Join(sent, " ") + ".", Target: fmt.Sprintf("English sentence number %d, translated.", i),
			TUID: fmt.Sprintf("u%d", i), Created: created.Add(time.Duration(i) * time.Minute), CreationID: "desk"}
		if i%10 == 0 {
			p.Notes = []tmx.Note{{Text: "checked"}}
			p.Props = []tmx.Prop{{Type: "x-Domain", Value: "Politics"}}
		}
		pairs[i] = p
	}
	var buf bytes.Buffer
	if err := tmx.Write(&buf, pairs, ""); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// BenchmarkTMXImport50k imports a TMX file of 50,000 units into an empty memory (import),
// beside the time to parse the file alone (parse), the floor any import pays.
func BenchmarkTMXImport50k(b *testing.B) {
	data := tmxFile50k(b)
	b.Run("parse", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			f, err := tmx.Read(bytes.NewReader(data), "50k.tmx")
			if err != nil || len(f.Pairs) != 50000 {
				b.Fatalf("%v, %d pairs", err, len(f.Pairs))
			}
		}
	})
	b.Run("import", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			s := openMemory(b)
			b.StartTimer()
			rep, err := s.ImportTMX(context.Background(), bytes.NewReader(data), ImportOptions{Name: "50k.tmx"})
			if err != nil || rep.Added.Total != 50000 {
				b.Fatalf("%v, %d added", err, rep.Added.Total)
			}
		}
	})
}

// TestImportTMX_IndexesEveryWord: the batched word index of an import is the index the
// approval hook writes, entry by entry, so fuzzy lookups find imported pairs.
func TestImportTMX_IndexesEveryWord(t *testing.T) {
	s := openMemory(t)
	pairs := make([]tmx.Pair, 1200) // more index rows than one batch holds
	for i := range pairs {
		pairs[i] = tmx.Pair{Source: fmt.Sprintf("قال المتحدث %d إن الوفد وصل إلى جنيف جنيف", i), Target: fmt.Sprintf("Sentence %d.", i)}
	}
	var buf bytes.Buffer
	if err := tmx.Write(&buf, pairs, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ImportTMX(context.Background(), &buf, ImportOptions{Name: "many.tmx"}); err != nil {
		t.Fatal(err)
	}
	var rows, entries, wrong int
	err := s.r.QueryRow(`SELECT (SELECT COUNT(*) FROM tm_tokens), (SELECT COUNT(*) FROM tm WHERE indexed = 1),
		(SELECT COUNT(*) FROM tm WHERE tokens != 9)`).Scan(&rows, &entries, &wrong)
	if err != nil || rows != 1200*8 || entries != 1200 || wrong != 0 {
		t.Errorf("index rows %d, indexed entries %d, wrong counts %d (%v); want %d, 1200, 0", rows, entries, wrong, err, 1200*8)
	}
	got, err := s.Fuzzy(context.Background(), "قال المتحدث 77 إن الوفد وصل إلى جنيف", 3)
	if err != nil || len(got) == 0 || got[0].Target != "Sentence 77." || got[0].Source != pairs[77].Source {
		t.Errorf("Fuzzy = %+v, %v", got, err)
	}
}

// TestImportTMX_TextRule: a TMX file's pairs follow the one text rule. A unit with a C1
// control (which XML lets through, unlike the C0 ones) is refused, naming its line, the side
// and the character, and the others come in; bidi controls are removed and counted; RLM
// stays.
func TestImportTMX_TextRule(t *testing.T) {
	s := openMemory(t)
	ctx := context.Background()
	tu := func(ar, en string) string {
		return `<tu><tuv xml:lang="ar"><seg>` + ar + `</seg></tuv><tuv xml:lang="en"><seg>` + en + `</seg></tuv></tu>` + "\n"
	}
	file := "<?xml version=\"1.0\"?>\n<tmx version=\"1.4\"><header srclang=\"ar\"/><body>\n" +
		tu("نص أول", "First text.") + tu("نص ثان", "Second\u009b text.") + tu("قال\u202e ريابكوف\u200f", "Ryabkov\u2066 said.") + "</body></tmx>"
	rep, err := s.ImportTMX(ctx, strings.NewReader(file), ImportOptions{Name: "rule.tmx"})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Added.Total != 2 || rep.Refused.Total != 1 || rep.Stripped != 2 {
		t.Fatalf("report: %d added, %d refused, %d stripped; want 2, 1 (the C1 control), 2", rep.Added.Total, rep.Refused.Total, rep.Stripped)
	}
	if got := rep.Refused.Items[0].String(); !strings.Contains(got, "line 4: <tu>: English: character 7: U+009B") {
		t.Errorf("refusal = %q; want the line, the side and the character", got)
	}
	got, err := s.Exact(ctx, []string{"قال ريابكوف\u200f"})
	if err != nil || got["قال ريابكوف\u200f"] != "Ryabkov said." {
		t.Errorf("stored pair = %v, %v", got, err)
	}
}
