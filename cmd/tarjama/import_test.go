package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestImportLooksAtTheContent: whatever a file is called, its content decides: memories and
// glossaries are refused with the command that takes them, a text without Arabic and a copy
// of a stored article are refused, and nothing is imported when one file is refused.
func TestImportLooksAtTheContent(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "c.db")
	good := writeFile(t, "good.txt", "عنوان جديد\n\nقال الوزير إن المحادثات مستمرة.")
	seed, err := os.ReadFile(filepath.Join("..", "..", "seeds", "000_238889dacad64ad0.txt"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, content, want string
	}{
		{"memory.txt", `<?xml version="1.0"?><tmx version="1.4"><header srclang="ar"/><body/></tmx>`, "memory.txt is a TMX translation memory, not an article (import it with `tarjama tm import "},
		{"terms.xlf", `<martif type="TBX"><text><body/></text></martif>`, "terms.xlf is a TBX termbase (a glossary), not an article (import it with `tarjama glossary import "},
		{"terms.txt", "ar,en\nروسيا,Russia\n", "terms.txt is a glossary (CSV or TSV with glossary columns), not an article (import it with `tarjama glossary import "},
		{"english.txt", "Talks go on\n\nThe minister said talks go on.", "no Arabic text in "},
		{"seed.txt", string(seed), "seed.txt is an exact copy of article 1 «"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := writeFile(t, tc.name, tc.content)
			code, out, errs := runCLI(t, "", "import", "--db", db, good, bad)
			if code != 1 || !strings.Contains(errs, "nothing imported") || !strings.Contains(errs, tc.want) || out != "" {
				t.Errorf("import = %d %q %q; want nothing imported and %q", code, out, errs, tc.want)
			}
		})
	}
	if code, out, errs := runCLI(t, "", "export", "6", "--db", db); code == 0 {
		t.Errorf("good.txt was imported beside a refused file: %s%s", out, errs)
	}
	dupe := writeFile(t, "seed.txt", string(seed))
	if code, out, errs := runCLI(t, "", "import", "--db", db, "--allow-duplicate", dupe); code != 0 || !strings.HasPrefix(out, "6\t") {
		t.Errorf("import --allow-duplicate = %d %q %s", code, out, errs)
	}
}

// TestImportXLIFF: an export of a seed article, worked on in another tool, comes back into its
// article (a dry run first), and another tool's file becomes a new article.
func TestImportXLIFF(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "x.db")
	exported := filepath.Join(t.TempDir(), "a1.xlf")
	if code, _, errs := runCLI(t, "", "export", "1", "--db", db, "--format", "xliff12", "-o", exported); code != 0 {
		t.Fatalf("export = %d %s", code, errs)
	}
	data, err := os.ReadFile(exported)
	if err != nil {
		t.Fatal(err)
	}
	// The translator fills in the second segment and signs it off.
	units := regexp.MustCompile(`(?s)(<trans-unit id="\d+" resname="segment 2".*?</source>)`)
	if !units.Match(data) {
		t.Fatalf("no unit for segment 2 in\n%s", data)
	}
	back := writeFile(t, "back.xlf", units.ReplaceAllString(string(data), `$1<target state="signed-off">The English of segment two.</target>`))

	code, out, errs := runCLI(t, "", "import", "--db", db, "--dry-run", back)
	if code != 0 || !strings.Contains(out, "XLIFF 1.2 export of article 1") || !strings.Contains(out, "dry run, nothing written") ||
		!regexp.MustCompile(`updated:\s+1\n  segment 2: The English of segment two. \(approved\)\n`).MatchString(out) {
		t.Fatalf("import --dry-run = %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "", "export", "1", "--db", db); code != 0 || strings.Contains(out, "The English of segment two.") {
		t.Fatalf("the dry run wrote the segment:\n%s", out)
	}
	code, out, errs = runCLI(t, "", "import", "--db", db, back)
	if code != 0 || !strings.Contains(out, ": imported\n") || !regexp.MustCompile(`unchanged:\s+0\n`).MatchString(out) {
		t.Fatalf("import = %d\n%s%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "", "export", "1", "--db", db); code != 0 || !strings.Contains(out, "The English of segment two.") {
		t.Errorf("after the import the export lacks the English:\n%s", out)
	}

	other := filepath.Join("..", "..", "translate", "xliff", "testdata", "layouts", "matecat-1.2.xlf")
	code, out, errs = runCLI(t, "", "import", "--db", db, other)
	if code != 0 || !strings.HasPrefix(out, "6\t"+other+"\t4 segments\tالأمم المتحدة تدعو إلى هدنة إنسانية في السودان\t(XLIFF 1.2, 4 with English from the file)") {
		t.Errorf("import of a Matecat file = %d %q %s", code, out, errs)
	}
}
