package web

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/diff"
	"github.com/tarjama/tarjama/translate/qa"
)

// TestRowCache_PageFollowsEveryChange: the article page shown again, its rows from the row
// cache, shows every change of a row: a save, an exclusion, a new glossary term.
func TestRowCache_PageFollowsEveryChange(t *testing.T) {
	e := newTestEnv(t)
	ctx := t.Context()
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.\n\nوأضاف أن الكرملين يريد ضمانات.\n\nوقال إن ١٧ ضمانة مطلوبة.")
	segs := e.segments(t, a.ID)
	path := fmt.Sprintf("/articles/%d", a.ID)
	page := func() string {
		t.Helper()
		resp, body := e.getPage(t, path, false)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		return body
	}
	first := page()
	if again := page(); !strings.Contains(again, fmt.Sprintf(`id="seg-%d"`, segs[2].ID)) {
		t.Fatal("the page shown again has no rows")
	}
	if _, err := e.articles.SaveTarget(ctx, segs[1].ID, "Ryabkov said <Moscow> is ready.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "Ryabkov said &lt;Moscow&gt; is ready.") {
		t.Error("the page shown again does not show the save")
	}
	if _, err := e.articles.SetExcluded(ctx, segs[2].ID, true, 1, "mona"); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, fmt.Sprintf(`hx-post="/segments/%d/include"`, segs[2].ID)) {
		t.Error("the page shown again does not show the exclusion")
	}
	if strings.Contains(first, `data-tip="the Kremlin`) {
		t.Fatal("the Kremlin is marked before it is a term")
	}
	term := glossary.Term{Arabic: "الكرملين", English: "the Kremlin", Type: glossary.TypeName}
	if err := e.glossary.Create(ctx, &term); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, `data-tip="the Kremlin"`) {
		t.Error("the page shown again does not mark the new term")
	}

	// The quality checks: a finding shows; an ignore, and the checks' settings, change it.
	g := segs[3]
	if _, err := e.articles.SaveTarget(ctx, g.ID, "He added 71 of the guarantees are wanted by Moscow.", g.Version, "mona"); err != nil {
		t.Fatal(err)
	}
	finding := fmt.Sprintf(`id="qa-%d-0"`, g.ID)
	if p := page(); !strings.Contains(p, finding) || !strings.Contains(p, "qa-ignore") {
		t.Fatalf("the page shown again does not list the number finding of #4")
	}
	fs, err := e.articles.Findings(ctx, []translate.Segment{e.segments(t, a.ID)[3]})
	if err != nil || len(fs[g.ID]) == 0 {
		t.Fatalf("findings of #4: %+v, %v", fs, err)
	}
	if _, _, err := e.articles.Ignore(ctx, g.ID, "", fs[g.ID][0].Check, fs[g.ID][0].Message, "mona"); err != nil {
		t.Fatal(err)
	}
	if p := page(); !strings.Contains(p, "qa-ignored") {
		t.Error("the page shown again does not show the finding ignored")
	}
	cfg := qa.DefaultConfig()
	for name := range cfg.Checks {
		cfg.Checks[name] = qa.Rule{Enabled: false}
	}
	if _, err := e.articles.SaveQASettings(ctx, cfg, "amal"); err != nil {
		t.Fatal(err)
	}
	if p := page(); strings.Contains(p, finding) {
		t.Error("the page shown again still lists a finding of a check turned off")
	}
}

// TestViewDigest: two views share a digest only when every field is equal, whatever its
// kind; a view with a field that cannot be digested is not cached.
func TestViewDigest(t *testing.T) {
	base := segmentView{ID: 7, Version: 2, Target: "x", Flags: []string{"a"}, UpdatedAt: time.Unix(5, 0).UTC(),
		Saved: &translate.Revision{Author: "mona"}, ConflictDiff: []diff.Op{{Kind: diff.Equal, Text: "x"}}, SourceHTML: "<mark>ع</mark>"}
	digest := func(v segmentView) string {
		b, ok := viewDigest(nil, reflect.ValueOf(v))
		if !ok {
			t.Fatalf("%+v cannot be digested", v)
		}
		return string(b)
	}
	if digest(base) != digest(base) {
		t.Fatal("a view's digest changes")
	}
	for name, change := range map[string]func(*segmentView){
		"Target":        func(v *segmentView) { v.Target = "y" },
		"Version":       func(v *segmentView) { v.Version = 3 },
		"Flags":         func(v *segmentView) { v.Flags = []string{"a", "b"} },
		"FlagsSplit":    func(v *segmentView) { v.Flags = []string{"", "a"} },
		"NoFlags":       func(v *segmentView) { v.Flags = nil },
		"Saved":         func(v *segmentView) { v.Saved = &translate.Revision{Author: "sami"} },
		"NotSaved":      func(v *segmentView) { v.Saved = nil },
		"ConflictDiff":  func(v *segmentView) { v.ConflictDiff = []diff.Op{{Kind: diff.Insert, Text: "x"}} },
		"UpdatedAt":     func(v *segmentView) { v.UpdatedAt = time.Unix(6, 0).UTC() },
		"SourceHTML":    func(v *segmentView) { v.SourceHTML = "<mark>غ</mark>" },
		"NewParagraph":  func(v *segmentView) { v.NewParagraph = true },
		"TextAcrossTwo": func(v *segmentView) { v.Target, v.Theirs = "", "x" },
	} {
		v := base
		v.Flags = append([]string(nil), base.Flags...)
		change(&v)
		if digest(v) == digest(base) {
			t.Errorf("%s: the digest does not change", name)
		}
	}
	if _, ok := viewDigest(nil, reflect.ValueOf(struct{ M map[string]int }{})); ok {
		t.Error("a map was digested")
	}
}

// TestRowCache_Generations: a full generation of size gives way to a new one; a row found
// in the older one moves back into the newer; nothing beyond two is kept; and a new matcher
// or checker starts the cache again.
func TestRowCache_Generations(t *testing.T) {
	c := newRowCache(10)
	gen := rowGen{matcher: &glossary.Matcher{}}
	c.use(gen)
	row := func(s string) rowEntry { return rowEntry{html: s} }
	a, b := rowKey{id: 1}, rowKey{id: 2}
	c.put(gen, a, row("aaaaaa"))
	c.put(gen, b, row("bbbbbb")) // over 10 bytes: a's generation becomes the older one
	if got, ok := c.get(gen, a); !ok || got.html != "aaaaaa" {
		t.Fatalf("a = %q, %v; want it from the older generation", got.html, ok)
	}
	if _, ok := c.cur[a]; !ok {
		t.Error("a row found in the older generation is not moved back into the newer")
	}
	for i := range 10 {
		c.put(gen, rowKey{id: int64(10 + i)}, row("xxxxxx"))
	}
	if n := len(c.cur) + len(c.old); n > 2 {
		t.Errorf("%d rows kept with a limit of 10 bytes a generation", n)
	}
	if _, ok := c.get(gen, rowKey{id: 19}); !ok {
		t.Error("the row put last is gone")
	}
	if _, ok := c.get(gen, a); ok {
		t.Error("a row of two generations ago is still there")
	}
	other := rowGen{matcher: gen.matcher, checker: &qa.Checker{}}
	if _, ok := c.get(other, rowKey{id: 19}); ok {
		t.Error("a row made with another checker is found")
	}
	c.use(other)
	if _, ok := c.get(gen, rowKey{id: 19}); ok || len(c.cur)+len(c.old) != 0 {
		t.Error("the rows of the former matcher and checker are kept")
	}
	c.put(gen, a, row("aaaaaa"))
	if len(c.cur) != 0 {
		t.Error("a row made with the former checker is put into the new generation")
	}
}
