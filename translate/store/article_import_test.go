package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
)

func countRows(t *testing.T, db *migrations.DB, table string) int {
	t.Helper()
	var n int
	if err := db.R.QueryRowContext(context.Background(), `SELECT COUNT(*) FROM `+table).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// readUploads reads uploads that must read.
func readUploads(t *testing.T, ups ...store.Upload) []*store.Parsed {
	t.Helper()
	var out []*store.Parsed
	for _, up := range ups {
		p, err := store.ReadUpload(up)
		if err != nil {
			t.Fatalf("ReadUpload(%s): %v", up.Name, err)
		}
		out = append(out, p)
	}
	return out
}

// goodFile is an article file of three segments whose title names it.
func goodFile(name string) store.Upload {
	return store.Upload{Name: name, Data: []byte("عنوان " + name + "\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")}
}

func TestImportAllOrNothing(t *testing.T) {
	ctx := context.Background()
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	for _, tc := range []struct {
		name    string
		ctx     context.Context
		trigger string // SQL run on the store's database first, to make a later insert fail
		ups     []store.Upload
		want    string
		is      error
	}{
		{
			name: "constraint fails in the second article's segments",
			ctx:  ctx,
			trigger: `CREATE TRIGGER fail_b BEFORE INSERT ON segments
				WHEN (SELECT source_name FROM articles WHERE id = NEW.article_id) = 'b.txt' AND NEW.idx = 1
				BEGIN SELECT RAISE(ABORT, 'forced failure'); END`,
			ups:  []store.Upload{goodFile("a.txt"), goodFile("b.txt"), goodFile("c.txt")},
			want: "b.txt: create article: segment 1: forced failure",
		},
		{
			name: "the third file is a copy of the first",
			ctx:  ctx,
			ups:  []store.Upload{goodFile("a.txt"), goodFile("b.txt"), {Name: "again.txt", Data: goodFile("a.txt").Data}},
			want: "again.txt is an exact copy of article 1 «عنوان a.txt»",
			is:   translate.ErrConflict,
		},
		{
			name: "cancelled context",
			ctx:  cancelled,
			ups:  []store.Upload{goodFile("a.txt"), goodFile("b.txt")},
			want: "context canceled",
			is:   context.Canceled,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := migrationstest.Open(t)
			s := storetest.New(db)
			if tc.trigger != "" {
				if _, err := db.W.ExecContext(ctx, tc.trigger); err != nil {
					t.Fatal(err)
				}
			}
			got, err := s.Import(tc.ctx, readUploads(t, tc.ups...), store.ImportOptions{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Fatalf("Import = %v, %v; want an error with %q", got, err, tc.want)
			}
			if got != nil {
				t.Errorf("a failed call returned articles: %+v", got)
			}
			for _, table := range []string{"articles", "segments", "revisions"} {
				if n := countRows(t, db, table); n != 0 {
					t.Errorf("%d %s left by the failed call, want 0", n, table)
				}
			}
			// The store is usable afterwards: the failure left no open transaction behind.
			if _, err := s.Import(ctx, readUploads(t, goodFile("d.txt")), store.ImportOptions{}); err != nil {
				t.Fatalf("import after the failure: %v", err)
			}
		})
	}
}

func TestImportTexts(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	in := []store.Upload{
		{Name: "one.txt", Data: []byte("الأول\n\nقال ريابكوف إن موسكو مستعدة للحوار.")},
		{Name: "text", Title: "الثاني", Text: "وأضاف أن الضمانات ضرورية. ثم غادر."},
	}
	texts := []string{string(in[0].Data), in[1].Text}
	got, err := s.Import(ctx, readUploads(t, in...), store.ImportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("got %d articles, want 2", len(got))
	}
	for i, imp := range got {
		a := imp.Article
		wantTitle := []string{"الأول", "الثاني"}[i]
		if a.ID == 0 || a.Title != wantTitle || imp.Kind != store.KindText || a.Progress.Total != len(translate.Split(texts[i])) {
			t.Errorf("article %d = %+v, want %q with %d segments", i, imp, wantTitle, len(translate.Split(texts[i])))
		}
		segs, err := s.Segments(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var joined strings.Builder
		for _, g := range segs {
			joined.WriteString(g.Source + g.Sep)
		}
		if joined.String() != texts[i] {
			t.Errorf("article %d text = %q, want %q", i, joined.String(), texts[i])
		}
	}
	if got[0].Article.ID >= got[1].Article.ID {
		t.Errorf("ids %d, %d are not in the order given", got[0].Article.ID, got[1].Article.ID)
	}
	if empty, err := s.Import(ctx, nil, store.ImportOptions{}); err != nil || len(empty) != 0 {
		t.Errorf("Import(nil) = %v, %v", empty, err)
	}

	// An exact copy is refused naming the article, unless asked for; a dry run writes nothing.
	again := readUploads(t, store.Upload{Name: "copy.txt", Data: in[0].Data})
	_, err = s.Import(ctx, again, store.ImportOptions{})
	var dup *translate.DuplicateError
	if !errors.As(err, &dup) || dup.Existing.ID != got[0].Article.ID || err.Error() != "copy.txt is an exact copy of article 1 «الأول»" {
		t.Errorf("importing a copy: %v", err)
	}
	dry, err := s.Import(ctx, again, store.ImportOptions{AllowDuplicate: true, DryRun: true})
	if err != nil || len(dry) != 1 || dry[0].Article.ID != 0 || dry[0].Article.Progress.Total != 2 || countRows(t, db, "articles") != 2 {
		t.Errorf("dry run of a copy: %+v, %v; %d articles stored", dry, err, countRows(t, db, "articles"))
	}
	if copies, err := s.Import(ctx, again, store.ImportOptions{AllowDuplicate: true}); err != nil || copies[0].Article.ID != 3 {
		t.Errorf("importing a copy on purpose: %+v, %v", copies, err)
	}
}

// TestReadUpload_Refusals: the content, not the name, decides; files for other commands are
// refused naming what they are, and a text without Arabic is refused.
func TestReadUpload_Refusals(t *testing.T) {
	for _, tc := range []struct {
		name, data string
		kind       string // a *store.WrongFileError of this kind, or "" for another error
		want       string
	}{
		{"memory.xlf", `<?xml version="1.0"?><tmx version="1.4"><header/><body/></tmx>`, store.WrongTMX, "memory.xlf is a TMX translation memory, not an article"},
		{"terms.txt", `<martif type="TBX"><text><body/></text></martif>`, store.WrongGlossary, "terms.txt is a TBX termbase (a glossary), not an article"},
		{"terms3.xml", "\ufeff<tbx type=\"TBX-Basic\"/>", store.WrongGlossary, "terms3.xml is a TBX termbase (a glossary), not an article"},
		{"glossary.txt", "arabic,english\nروسيا,Russia\n", store.WrongGlossary, "glossary.txt is a glossary (CSV or TSV with glossary columns), not an article"},
		{"pairs.txt", "روسيا,Russia\nالضمانات الأمنية,security guarantees\n", store.WrongGlossary, "pairs.txt is a glossary"},
		{"page.html", "<!doctype html><html><body>مرحبا</body></html>", store.WrongOther, "page.html is an XML document (<html>) that is neither XLIFF nor text"},
		{"article.docx", "PK\x03\x04 not really a workbook", store.WrongOther, "article.docx is a zip file"},
		{"english.txt", "Moscow is ready for talks.\n\nIt said so on Tuesday.", "", "no Arabic text in english.txt"},
		{"french.xlf", `<xliff version="1.2"><file original="x" source-language="fr" datatype="plaintext"><body/></file></xliff>`, "", `french.xlf:1: <file original="x">: source language "fr"; Tarjama reads Arabic → English files`},
		{"klingon.xlf", `<?xml version="1.0" encoding="x-klingon"?><xliff version="1.2"/>`, "", `klingon.xlf:1: the XML declaration names encoding "x-klingon", which is not known`},
		{"latin.xlf", `<xliff version="1.2"><file original="x" source-language="ar" datatype="plaintext"><body><trans-unit id="1"><source>Hello.</source></trans-unit></body></file></xliff>`, "", "no Arabic text in latin.xlf"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := store.ReadUpload(store.Upload{Name: tc.name, Data: []byte(tc.data)})
			var wf *store.WrongFileError
			switch {
			case err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, translate.ErrInvalid):
				t.Errorf("ReadUpload = %v, want an invalid error with %q", err, tc.want)
			case tc.kind != "" && (!errors.As(err, &wf) || wf.Takes != tc.kind):
				t.Errorf("ReadUpload = %#v, want a WrongFileError of kind %s", err, tc.kind)
			}
			// A file in an encoding that cannot be decoded says so, for the CLI's and the
			// pages' hint to save it as UTF-8.
			var te *arabic.TextError
			if other := errors.As(err, &te) && te.OtherEncoding; other != (tc.name == "klingon.xlf") {
				t.Errorf("ReadUpload = %v: an *arabic.TextError of another encoding: %v", err, other)
			}
		})
	}
	if _, err := store.ReadUpload(store.Upload{Name: "text", Text: "No Arabic at all."}); err == nil || err.Error() != "no Arabic text in text" {
		t.Errorf("a given text without Arabic: %v", err)
	}
	// An article with an ASCII comma on a line is still an article.
	p, err := store.ReadUpload(store.Upload{Name: "a.txt", Data: []byte("عنوان\n\nقال الوزير, في بيان, إن المحادثات مستمرة.\nوأضاف أن الوفد وصل.")})
	if err != nil || p.Kind != store.KindText {
		t.Errorf("an article with commas: %+v, %v", p, err)
	}
}

// TestReadUpload_TextRule: the units of an XLIFF file follow the one text rule: a control
// character (XML lets DEL and the C1 controls through) is refused naming the line and the unit,
// and bidi controls are removed from the Arabic and the English of a new article, counted in
// the notice; an export coming back has its English cleaned alike.
func TestReadUpload_TextRule(t *testing.T) {
	unit := func(id, source, target string) string {
		return `<trans-unit id="` + id + `"><source>` + source + `</source><target>` + target + `</target></trans-unit>` + "\n"
	}
	file := func(units ...string) []byte {
		return []byte(`<?xml version="1.0"?>` + "\n" + `<xliff version="1.2"><file original="x" source-language="ar" target-language="en" datatype="plaintext"><body>` + "\n" +
			strings.Join(units, "") + `</body></file></xliff>`)
	}
	_, err := store.ReadUpload(store.Upload{Name: "c1.xlf", Data: file(unit("1", "قال ريابكوف.", "Ryabkov said."), unit("2", "نص آخر.", "Another\u009b text."))})
	if err == nil || !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), `c1.xlf:4: unit "2": target: character 8: U+009B`) {
		t.Errorf("a C1 control in a target: %v; want the file refused naming line 4 and the unit", err)
	}
	_, err = store.ReadUpload(store.Upload{Name: "del.xlf", Data: file(unit("1", "قال\x7f ريابكوف.", "Ryabkov said."))})
	if err == nil || !strings.Contains(err.Error(), `del.xlf:3: unit "1": source: character 4: U+007F`) {
		t.Errorf("DEL in a source: %v; want the file refused naming the line and the unit", err)
	}
	p, err := store.ReadUpload(store.Upload{Name: "bidi.xlf", Data: file(unit("1", "قال\u202e ريابكوف\u200f.", "Ryabkov\u2066 said."))})
	if err != nil || p.Stripped != 2 || !strings.Contains(p.Notice(), "bidi.xlf: removed 2 invisible bidi control characters") {
		t.Fatalf("bidi controls: %+v, %v; want them removed with a notice", p, err)
	}
	s := storetest.New(migrationstest.Open(t))
	done, err := s.Import(context.Background(), []*store.Parsed{p}, store.ImportOptions{Author: "rev"})
	if err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(context.Background(), done[0].Article.ID)
	if err != nil || len(segs) != 1 || segs[0].Source != "قال ريابكوف\u200f." || segs[0].Target != "Ryabkov said." {
		t.Errorf("stored segments = %+v, %v", segs, err)
	}
}
