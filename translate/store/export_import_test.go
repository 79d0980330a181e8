package store_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/translate/xliff"
)

// edit is a change a translator makes in another tool, as a replacement in the XML.
type edit struct{ old, new string }

func applyEdits(t *testing.T, doc string, edits []edit) string {
	t.Helper()
	for _, e := range edits {
		if strings.Count(doc, e.old) != 1 {
			t.Fatalf("the export holds %q %d times, want once:\n%s", e.old, strings.Count(doc, e.old), doc)
		}
		doc = strings.Replace(doc, e.old, e.new, 1)
	}
	return doc
}

func numbers(list []store.UnitChange) []int {
	out := []int{}
	for _, c := range list {
		out = append(out, c.Number)
	}
	return out
}

// TestImport_ExportComesBack: both XLIFF versions exported, worked on in another tool and
// imported come back into their article as revisions by the importing user, with the state
// mapped; a segment changed in Tarjama after the export is a conflict and keeps its text; the
// report numbers segments from 1; a dry run writes nothing, and importing the file again
// changes nothing more.
func TestImport_ExportComesBack(t *testing.T) {
	const (
		newMachine = "He added that the security guarantees are essential."
		newLast    = "He concluded that the dialogue goes on."
		theirEdit  = "He said Moscow and the West are ready."
		ourEdit    = "Ryabkov said Moscow and the West were ready."
	)
	for _, tc := range []struct {
		version string
		write   func(io.Writer, translate.Article, []translate.Segment, string, map[int64][]string) error
		edits   []edit
	}{
		{"2.0", xliff.Write, []edit{
			{`<segment state="initial" subState="tarjama:machine">`, `<segment state="translated" subState="tarjama:machine">`},
			{`<target>He added that security guarantees are essential!</target>`, `<target>` + newMachine + `</target>`},
			{`<segment state="initial" subState="tarjama:untranslated">`, `<segment state="final" subState="tarjama:untranslated">`},
			{`<source>وختم بأن الحوار مستمر.</source>`, `<source>وختم بأن الحوار مستمر.</source><target>` + newLast + `</target>`},
			{`<target>He said &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Moscow&#39; is ready.</target>`, `<target>` + theirEdit + `</target>`},
		}},
		{"1.2", xliff.Write12, []edit{
			{`<target state="needs-review-translation" state-qualifier="mt-suggestion">He added that security guarantees are essential!</target>`,
				`<target state="translated">` + newMachine + `</target>`},
			{`<source>وختم بأن الحوار مستمر.</source>`, `<source>وختم بأن الحوار مستمر.</source><target state="signed-off">` + newLast + `</target>`},
			{`<target state="translated">He said &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Moscow&#39; is ready.</target>`, `<target state="translated">` + theirEdit + `</target>`},
		}},
	} {
		t.Run(tc.version, func(t *testing.T) {
			ctx := context.Background()
			db := migrationstest.Open(t)
			s := storetest.New(db)
			a, segs := storetest.Reviewed(t, s) // 0 approved, 1 edited, 2 machine, 3 excluded, 4 untranslated
			var buf bytes.Buffer
			if err := tc.write(&buf, a, segs, "summary", nil); err != nil {
				t.Fatal(err)
			}
			back := applyEdits(t, buf.String(), tc.edits)

			// After the export, a reviewer edits segment 2 (index 1) and re-approves the title
			// with new words; the file left the title alone.
			if _, err := s.SaveTarget(ctx, segs[1].ID, ourEdit, segs[1].Version, "rev"); err != nil {
				t.Fatal(err)
			}
			if _, err := s.Approve(ctx, segs[0].ID, "The title, approved anew", segs[0].Version, "rev"); err != nil {
				t.Fatal(err)
			}
			revisionsBefore := countRows(t, db, "revisions")

			p, err := store.ReadUpload(store.Upload{Name: "back.xlf", Data: []byte(back)})
			if err != nil {
				t.Fatal(err)
			}
			if p.Kind != store.KindExport || p.ExportOf != a.ID || p.Format != "XLIFF "+tc.version {
				t.Fatalf("ReadUpload = %+v", p)
			}
			dry, err := s.Import(ctx, []*store.Parsed{p}, store.ImportOptions{Author: "mona", DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			if n := countRows(t, db, "revisions"); n != revisionsBefore {
				t.Errorf("the dry run wrote %d revisions", n-revisionsBefore)
			}
			got, err := s.Import(ctx, []*store.Parsed{p}, store.ImportOptions{Author: "mona"})
			if err != nil {
				t.Fatal(err)
			}
			for _, res := range []store.Imported{dry[0], got[0]} {
				r := res.Back
				if !slices.Equal(numbers(r.Updated), []int{3, 5}) || !slices.Equal(numbers(r.Unchanged), []int{1}) || !slices.Equal(numbers(r.Conflicting), []int{2}) || len(r.Empty) != 0 {
					t.Errorf("report: updated %v, unchanged %v, conflicting %v, empty %v; want [3 5] [1] [2] []",
						numbers(r.Updated), numbers(r.Unchanged), numbers(r.Conflicting), numbers(r.Empty))
				}
				if len(r.Conflicting) == 1 && (r.Conflicting[0].Reason == "" || !strings.Contains(r.Conflicting[0].Reason, "changed in Tarjama after the export") ||
					r.Conflicting[0].Before != ourEdit || r.Conflicting[0].After != theirEdit) {
					t.Errorf("conflict = %+v", r.Conflicting[0])
				}
			}
			if got[0].Article.ID != a.ID || got[0].Article.Progress.Approved != 2 || got[0].Article.Progress.Edited != 2 {
				t.Errorf("article after the import: %+v", got[0].Article)
			}

			now, err := s.Segments(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range []struct {
				i      int
				target string
				status translate.Status
				origin string
			}{
				{0, "The title, approved anew", translate.StatusApproved, translate.OriginHuman},
				{1, ourEdit, translate.StatusEdited, translate.OriginHuman},
				{2, newMachine, translate.StatusEdited, translate.OriginXLIFF},
				{3, "", translate.StatusExcluded, ""},
				{4, newLast, translate.StatusApproved, translate.OriginXLIFF},
			} {
				g := now[w.i]
				if g.Target != w.target || g.Status != w.status || g.Origin != w.origin {
					t.Errorf("segment %d = %q %s %s, want %q %s %s", w.i+1, g.Target, g.Status, g.Origin, w.target, w.status, w.origin)
				}
			}
			for _, i := range []int{2, 4} {
				revs, err := s.Revisions(ctx, now[i].ID)
				if err != nil {
					t.Fatal(err)
				}
				last := revs[len(revs)-1]
				if last.Kind != "imported" || last.Author != "mona" || last.After != now[i].Target || last.Before != segs[i].Target {
					t.Errorf("segment %d's last revision = %+v", i+1, last)
				}
			}
			var remembered int
			if err := db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tm WHERE target = ?`, newLast).Scan(&remembered); err != nil || remembered != 1 {
				t.Errorf("the approved import taught the memory %d pairs, %v", remembered, err)
			}

			// The same file again: what it brought is there, and the conflict stays one.
			again, err := s.Import(ctx, []*store.Parsed{p}, store.ImportOptions{Author: "mona"})
			if err != nil {
				t.Fatal(err)
			}
			if r := again[0].Back; len(r.Updated) != 0 || !slices.Equal(numbers(r.Unchanged), []int{1, 3, 5}) || !slices.Equal(numbers(r.Conflicting), []int{2}) {
				t.Errorf("second import: updated %v, unchanged %v, conflicting %v", numbers(r.Updated), numbers(r.Unchanged), numbers(r.Conflicting))
			}
		})
	}
}

// TestImport_StateConfirmedInAnotherTool: the same English signed off in another tool is
// approved in Tarjama, the words still the machine's.
func TestImport_StateConfirmedInAnotherTool(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	var buf bytes.Buffer
	if err := xliff.Write(&buf, a, segs, "", nil); err != nil {
		t.Fatal(err)
	}
	back := applyEdits(t, buf.String(), []edit{{`<segment state="initial" subState="tarjama:machine">`, `<segment state="final" subState="tarjama:machine">`}})
	got, err := s.Import(ctx, readUploads(t, store.Upload{Name: "b.xlf", Data: []byte(back)}), store.ImportOptions{Author: "mona"})
	if err != nil {
		t.Fatal(err)
	}
	if r := got[0].Back; !slices.Equal(numbers(r.Updated), []int{3}) || r.Updated[0].Status != translate.StatusApproved {
		t.Errorf("updated %+v", r.Updated)
	}
	g, err := s.Segment(ctx, segs[2].ID)
	if err != nil || g.Status != translate.StatusApproved || g.Origin != translate.OriginMachine || g.Target != segs[2].Target {
		t.Errorf("segment 3 = %+v, %v", g, err)
	}
}

// TestImport_ExportRefusals: an export of another database's article, or of another article
// than the page's, is refused and changes nothing.
func TestImport_ExportRefusals(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	var buf bytes.Buffer
	if err := xliff.Write12(&buf, a, segs, "", nil); err != nil {
		t.Fatal(err)
	}
	p := readUploads(t, store.Upload{Name: "e.xlf", Data: buf.Bytes()})
	if _, err := s.Import(ctx, p, store.ImportOptions{Into: a.ID + 1}); err == nil || !strings.Contains(err.Error(), "e.xlf is an export of article 1, not of article 2") {
		t.Errorf("into another article: %v", err)
	}
	text := readUploads(t, goodFile("n.txt"))
	if _, err := s.Import(ctx, text, store.ImportOptions{Into: a.ID}); err == nil || !strings.Contains(err.Error(), "n.txt is not an XLIFF export of article 1 (it is a text)") {
		t.Errorf("a text on the article page: %v", err)
	}

	other := storetest.New(migrationstest.Open(t))
	storetest.Sample(t, other) // segment ids 1–3 of another article
	_, err := other.Import(ctx, p, store.ImportOptions{})
	if err == nil || !errors.Is(err, translate.ErrNotFound) && !errors.Is(err, translate.ErrInvalid) {
		t.Errorf("into another database: %v", err)
	}
	b2 := storetest.New(migrationstest.Open(t))
	b2a, _ := storetest.Sample(t, b2)
	if b2a.ID != a.ID {
		t.Fatalf("article ids %d, %d", b2a.ID, a.ID)
	}
	_, err = b2.Import(ctx, p, store.ImportOptions{})
	if err == nil || !strings.Contains(err.Error(), `unit "5": segment 5 is not in article 1; was the file exported from another database?`) {
		t.Errorf("into another database with the same article id: %v", err)
	}
}

// TestImport_AnotherToolsFile: a bilingual file from another tool becomes a new article: its
// Arabic the segments, its paragraphs kept, its English edited drafts of origin xliff with an
// imported revision each.
func TestImport_AnotherToolsFile(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	data, err := os.ReadFile(filepath.Join("..", "xliff", "testdata", "layouts", "groups-2.0.xlf"))
	if err != nil {
		t.Fatal(err)
	}
	p := readUploads(t, store.Upload{Name: "groups-2.0.xlf", Data: data})
	if p[0].Kind != store.KindBilingual || p[0].Format != "XLIFF 2.0" {
		t.Fatalf("ReadUpload = %+v", p[0])
	}
	got, err := s.Import(ctx, p, store.ImportOptions{Author: "mona"})
	if err != nil {
		t.Fatal(err)
	}
	const title = "الأمم المتحدة تدعو إلى هدنة إنسانية في السودان"
	a := got[0].Article
	if a.Title != title || a.SourceName != "groups-2.0.xlf" || a.Progress.Total != 4 || a.Progress.Edited != 3 || got[0].Drafts != 3 {
		t.Errorf("article = %+v, %d drafts", a, got[0].Drafts)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	wantParas, wantSeps := []int{0, 1, 1, 2}, []string{"\n\n", " ", "\n\n", "\n"}
	for i, g := range segs {
		if g.Paragraph != wantParas[i] || g.Sep != wantSeps[i] {
			t.Errorf("segment %d: paragraph %d, sep %q", i+1, g.Paragraph, g.Sep)
		}
		if i < 3 && (g.Status != translate.StatusEdited || g.Origin != translate.OriginXLIFF || g.Target == "") {
			t.Errorf("segment %d = %+v, want an edited draft from xliff", i+1, g)
		}
		if i == 3 && (g.Status != translate.StatusUntranslated || g.Target != "") {
			t.Errorf("segment 4 = %+v, want untranslated", g)
		}
	}
	revs, err := s.Revisions(ctx, segs[0].ID)
	if err != nil || len(revs) != 1 || revs[0].Kind != "imported" || revs[0].Author != "mona" || revs[0].After != "UN calls for a humanitarian truce in Sudan" {
		t.Errorf("revisions = %+v, %v", revs, err)
	}
	// Its Arabic, imported again, is a copy.
	if _, err := s.Import(ctx, p, store.ImportOptions{}); err == nil || !strings.Contains(err.Error(), "groups-2.0.xlf is an exact copy of article 1 «"+title+"»") {
		t.Errorf("importing it twice: %v", err)
	}
}

// TestImport_CountsFindings: English coming back from another tool is checked like a
// reviewer's: its open findings are counted and its glossary flags set.
func TestImport_CountsFindings(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Article(t, s, "n.txt", "عنوان\n\nقتل ١٧ شخصا في الهجوم يوم الأربعاء.\n")
	var buf bytes.Buffer
	if err := xliff.Write(&buf, a, segs, "", nil); err != nil {
		t.Fatal(err)
	}
	back := applyEdits(t, buf.String(), []edit{{`<source>قتل ١٧ شخصا في الهجوم يوم الأربعاء.</source>`,
		`<source>قتل ١٧ شخصا في الهجوم يوم الأربعاء.</source><target>71 people were killed in the attack on Wednesday.</target>`}})
	if _, err := s.Import(ctx, readUploads(t, store.Upload{Name: "b.xlf", Data: []byte(back)}), store.ImportOptions{Author: "mona"}); err != nil {
		t.Fatal(err)
	}
	if got := articleQA(t, s, a.ID); got != (translate.Issues{Errors: 1}) {
		t.Errorf("open findings after the import = %+v, want the wrong number", got)
	}
}
