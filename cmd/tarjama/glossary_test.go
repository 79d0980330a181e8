package main

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestGlossaryImportsAndUndo: `glossary imports` lists each import with its counts, `glossary
// undo` takes one back and says what it did, the list then says it was undone, and undoing it
// again is refused saying so.
func TestGlossaryImportsAndUndo(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "g.db")
	file := writeFile(t, "wrong.csv", "arabic,english\nالمنطقة العازلة,buffer zone\nروسيا,the Russian Federation\n")
	code, out, errs := runCLI(t, "", "glossary", "import", "--db", db, "--mode", "replace", file)
	if code != 0 || !strings.Contains(out, "import:      2 (tarjama glossary undo 2 takes it back)") {
		t.Fatalf("glossary import = %d %q %q", code, out, errs)
	}

	code, out, errs = runCLI(t, "", "glossary", "imports", "--db", db)
	if code != 0 {
		t.Fatalf("glossary imports = %d %q", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !regexp.MustCompile(`^ID +WHEN \(UTC\) +WHO +FILE +MODE +ADDED +UPDATED +REMOVED +UNDONE$`).MatchString(lines[0]) {
		t.Fatalf("glossary imports:\n%s", out)
	}
	row := regexp.MustCompile(`^2 +\d{4}-\d\d-\d\d \d\d:\d\d +\S+ +\S*wrong\.csv +replace +1 +1 +86 +-$`)
	if !row.MatchString(lines[1]) || !strings.Contains(lines[2], "seeds/glossary.csv") {
		t.Errorf("glossary imports:\n%s", out)
	}

	code, out, errs = runCLI(t, "", "glossary", "undo", "2", "--db", db)
	if code != 0 {
		t.Fatalf("glossary undo = %d %q", code, errs)
	}
	for _, want := range []string{"undid import 2 (", "deleted:     1\n  المنطقة العازلة → buffer zone",
		"restored:    1\n  روسيا: English \"the Russian Federation\" → \"Russia\"", "put back:    86\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("glossary undo output lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = runCLI(t, "", "glossary", "imports", "--db", db, "--json")
	var list []struct {
		ID       int64  `json:"id"`
		Removed  int    `json:"removed"`
		UndoneAt string `json:"undone_at"`
	}
	if err := json.Unmarshal([]byte(out), &list); code != 0 || err != nil || len(list) != 2 || list[0].UndoneAt == "" || list[0].Removed != 86 {
		t.Errorf("glossary imports --json = %d %v %+v", code, err, list)
	}

	code, _, errs = runCLI(t, "", "glossary", "undo", "2", "--db", db)
	if code != 1 || !strings.Contains(errs, "tarjama glossary undo: import 2 (") || !strings.Contains(errs, "was undone already") {
		t.Errorf("undoing twice = %d %q", code, errs)
	}
}

// TestGlossaryUndoOfTermsChangedSince: an import whose terms a later import changed is not
// undone: the refusal names them by their Arabic and English and says how to force it, which
// then works and lists what it overwrote.
func TestGlossaryUndoOfTermsChangedSince(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "g.db")
	first := writeFile(t, "first.csv", "المنطقة العازلة,buffer zone\n")
	later := writeFile(t, "later.csv", "المنطقة العازلة,buffer area\n")
	for _, f := range []string{first, later} {
		if code, _, errs := runCLI(t, "", "glossary", "import", "--db", db, f); code != 0 {
			t.Fatalf("glossary import %s = %d %q", f, code, errs)
		}
	}
	code, out, errs := runCLI(t, "", "glossary", "undo", "2", "--db", db)
	for _, want := range []string{"tarjama glossary undo: import 2 (", "1 term it changed was changed again since: «المنطقة العازلة» → buffer area (edited by import 3 (",
		"(`tarjama glossary undo 2 --force` undoes it all the same, replacing those changes)"} {
		if code != 1 || out != "" || !strings.Contains(errs, want) {
			t.Errorf("undo = %d %q, stderr lacks %q:\n%s", code, out, want, errs)
		}
	}
	code, out, errs = runCLI(t, "", "glossary", "undo", "--force", "2", "--db", db)
	if code != 0 || !strings.Contains(out, "deleted:     1\n  المنطقة العازلة → buffer area") ||
		!strings.Contains(out, "overwritten: 1\n  المنطقة العازلة → buffer area (edited by import 3 (") {
		t.Errorf("undo --force = %d %q %q", code, out, errs)
	}
}

// TestGlossaryUndoUsage: an undo names one import by its number.
func TestGlossaryUndoUsage(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "g.db")
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"glossary", "undo"}, 2, "glossary undo: name one import by its id (tarjama glossary imports lists them)"},
		{[]string{"glossary", "undo", "last"}, 2, `glossary undo: "last" is not an import id`},
		{[]string{"glossary", "undo", "1", "2"}, 2, "glossary undo: name one import by its id"},
		{[]string{"glossary", "undo", "7"}, 1, "tarjama glossary undo: no glossary import has the number 7"},
		{[]string{"glossary", "imports", "--limit", "-1"}, 2, "--limit: -1 is below 0"},
	} {
		code, _, errs := runCLI(t, "", append(tc.args, "--db", db)...)
		if code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("%q = %d %q, want %d %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
