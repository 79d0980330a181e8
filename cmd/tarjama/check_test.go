package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// TestCheckArticles: `check` lists the findings of the articles named and exits 1 while an
// error is open; once the reviewer ignored it, 0.
func TestCheckArticles(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "check.db")
	file := writeFile(t, "attack.txt", "عنوان\n\nقتل ١٧ شخصا في الهجوم يوم الأربعاء.\n")
	if code, out, errs := runCLI(t, "", "import", file, "--db", db); code != 0 {
		t.Fatalf("import = %d %s %s", code, out, errs)
	}
	ctx := context.Background()
	d := migrationstest.OpenFile(t, db)
	articles := store.New(d.W, d.R, time.Now, glossary.NewStore(d.W, d.R, time.Now))
	list, err := articles.Articles(ctx)
	if err != nil {
		t.Fatal(err)
	}
	id := list[len(list)-1].ID
	segs, _ := articles.Segments(ctx, id)
	if _, err := articles.SaveTarget(ctx, segs[1].ID, "71 people were killed in the attack on Wednesday.", segs[1].Version, "mona"); err != nil {
		t.Fatal(err)
	}
	ids := []string{"1", strconv.FormatInt(id, 10)}

	code, out, errs := runCLI(t, "", append([]string{"check", "--db", db}, ids...)...)
	if code != 1 || !strings.Contains(errs, "1 error to fix or ignore before publishing") {
		t.Errorf("check with an open error = %d, stderr %q; want 1 saying why", code, errs)
	}
	for _, want := range []string{
		"article 1 «", // a seed article, nothing translated: listed with no findings
		"«عنوان»: 1 error, 0 warnings open\n",
		"#2 number error: the Arabic has 17 (١٧); the English has 71\n" +
			"    ar: قتل ⟦١٧⟧ شخصا في الهجوم يوم الأربعاء.\n" +
			"    en: ⟦71⟧ people were killed in the attack on Wednesday.\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("check output lacks %q:\n%s", want, out)
		}
	}

	code, out, _ = runCLI(t, "", append([]string{"check", "--json", "--db", db}, ids...)...)
	var got struct {
		Articles []struct {
			ID   int64 `json:"id"`
			Open struct {
				Errors   int `json:"errors"`
				Warnings int `json:"warnings"`
			} `json:"open"`
			Segments []struct {
				Number   int `json:"number"`
				Findings []struct {
					Check   string `json:"check"`
					Ignored bool   `json:"ignored"`
					Source  [2]int `json:"source"`
					Target  [2]int `json:"target"`
				} `json:"findings"`
			} `json:"segments"`
		} `json:"articles"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil || code != 1 {
		t.Fatalf("check --json = %d, %v:\n%s", code, err, out)
	}
	if len(got.Articles) != 2 || got.Articles[0].ID != 1 || len(got.Articles[0].Segments) != 0 {
		t.Fatalf("check --json articles = %+v", got.Articles)
	}
	a := got.Articles[1]
	if a.ID != id || a.Open.Errors != 1 || len(a.Segments) != 1 || a.Segments[0].Number != 2 ||
		len(a.Segments[0].Findings) != 1 || a.Segments[0].Findings[0].Check != qa.Number ||
		a.Segments[0].Findings[0].Source != [2]int{4, 6} || a.Segments[0].Findings[0].Target != [2]int{0, 2} {
		t.Errorf("check --json article = %+v", a)
	}

	if _, _, err := articles.Ignore(ctx, segs[1].ID, "", qa.Number, "the Arabic has 17 (١٧); the English has 71", "mona"); err != nil {
		t.Fatal(err)
	}
	code, out, errs = runCLI(t, "", "check", strconv.FormatInt(id, 10), "--db", db)
	if code != 0 || !strings.Contains(out, "0 errors, 0 warnings open, 1 ignored") || !strings.Contains(out, "#2 number error (ignored): ") {
		t.Errorf("check after the ignore = %d %q %q; want 0 with the finding listed as ignored", code, out, errs)
	}

	for _, args := range [][]string{{"check"}, {"check", "x"}, {"check", "--pairs", "1"}, {"check", "--pairs", "--json"}} {
		if code, _, errs := runCLI(t, "", append(args, "--db", db)...); code != 2 {
			t.Errorf("%q = %d %q; want a usage error", args, code, errs)
		}
	}
	if code, _, errs := runCLI(t, "", "check", "99", "--db", db); code != 1 || !strings.Contains(errs, "article 99") {
		t.Errorf("check of no such article = %d %q", code, errs)
	}
}

// TestCheckPairs: --pairs answers each JSON line with the JSON array of its findings, exactly
// as the API's contract says, with the database's glossary; a bad line stops with its number.
func TestCheckPairs(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "pairs.db")
	in := strings.Join([]string{
		`{"source":"قتل ١٧ شخصا في الهجوم يوم الأربعاء.","target":"71 people were killed in the attack on Monday."}`,
		`{"source":"قتل ١٧ شخصا.","target":"17 people were killed.","id":"extra fields are the caller's"}`,
		``,
		`{"source":"قال سيرغي ريابكوف إن الضمانات الأمنية ضرورية.","target":"Sergei Ryabkov said <security assurances> were necessary."}`,
	}, "\n") + "\n"
	code, out, errs := runCLI(t, in, "check", "--pairs", "--db", db)
	if code != 0 {
		t.Fatalf("check --pairs = %d: %s", code, errs)
	}
	want := `[{"check":"number","severity":"error","message":"the Arabic has 17 (١٧); the English has 71","source":[4,6],"target":[0,2]},` +
		`{"check":"date","severity":"error","message":"the Arabic has الأربعاء (Wednesday); the English has Monday","source":[26,34],"target":[39,45]}]` + "\n" +
		"[]\n" +
		// The seed glossary's term, missing in the English.
		`[{"check":"glossary","severity":"error","message":"«الضمانات الأمنية» should be \"security guarantees\" (glossary)","source":[21,37],"target":[0,0]}]` + "\n"
	if out != want {
		t.Errorf("check --pairs wrote\n%s\nwant\n%s", out, want)
	}

	for _, tc := range []struct{ in, want string }{
		{`{"source":"نص","target":"Text."}` + "\n" + `{"source": "نص", "target": "Text.}` + "\n", "line 2: not a JSON object"},
		{"\n\n" + `{"source":"نص"}` + "\n", `line 3: no "target"`},
		{`["نص", "Text."]` + "\n", "line 1: not a JSON object"},
	} {
		code, out, errs := runCLI(t, tc.in, "check", "--pairs", "--db", db)
		if code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("check --pairs of %q = %d %q; want 1 saying %q", tc.in, code, errs, tc.want)
		}
		if strings.HasPrefix(tc.in, `{"source":"نص","target":"Text."}`) && out != "[]\n" {
			t.Errorf("the good line before the bad one was not answered: %q", out)
		}
	}
}
