package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
)

// TestErrorMessages checks the exact line a user sees for common mistakes: the command named
// once, no error codes ("invalid"), and the file the user named rather than a temporary one.
func TestErrorMessages(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "err.db")
	empty := writeFile(t, "empty.txt", "  \n")
	latin1 := writeFile(t, "latin1.txt", "x\xe9")
	for _, c := range []struct {
		name, stdin string
		args        []string
		code        int
		want        string // the last line(s) of stderr
	}{
		{"ExportBadFormat", "", []string{"export", "1", "--format", "foo"}, 2, `tarjama export: format: "foo" is not one of txt, md, html, xliff, tmx`},
		{"ExportNoID", "", []string{"export"}, 2, "tarjama export: name exactly one ARTICLE_ID"},
		{"ExportBadDir", "", []string{"export", "1", "-o", "/nonexistent/x.csv"}, 1, "tarjama export: write /nonexistent/x.csv: no such file or directory"},
		{"GlossaryNoSub", "", []string{"glossary"}, 2, "tarjama glossary: name a subcommand: export, import, match"},
		{"GlossaryImportNoFile", "", []string{"glossary", "import"}, 2, "tarjama glossary import: name exactly one glossary file (CSV, TSV, TBX or XLSX)"},
		{"ShortPassword", "short\n", []string{"user", "add", "noor", "--role", "admin"}, 2, "tarjama user: password: shorter than 8 characters"},
		{"ImportBadFiles", "", []string{"import", empty, latin1}, 1,
			"tarjama import: nothing imported:\n  " + empty + ": empty\n  " + latin1 + ":1: not valid UTF-8 text (save the file as UTF-8)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, _, errs := runCLI(t, c.stdin, append(c.args, "--db", db)...)
			if code != c.code || !strings.HasSuffix(errs, "\n"+c.want+"\n") && errs != c.want+"\n" {
				t.Errorf("tarjama %s = %d, stderr %q; want %d ending %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
			}
		})
	}
}

// TestImportLimits: the CLI import refuses the same oversized articles as the API and the
// form, naming the file and the limit, and its usage states the limits.
func TestImportLimits(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "lim.db")
	long := writeFile(t, "long.txt", "عنوان\n\n"+strings.Repeat("جملة. ", translate.MaxSegments))
	big := writeFile(t, "big.txt", strings.Repeat("x", 3<<20))
	for _, c := range []struct {
		name, file, want string
	}{
		{"TooManySegments", long, "tarjama import: nothing imported: " + long + ": text: 2001 segments is over the limit of 2000 for one article; split the article"},
		{"TooLarge", big, "tarjama import: nothing imported:\n  " + big + ": 3 MiB is over the limit of 2 MiB for one article; split the article"},
	} {
		t.Run(c.name, func(t *testing.T) {
			code, out, errs := runCLI(t, "", "import", "--db", db, c.file)
			if code != 1 || out != "" || !strings.HasSuffix(errs, c.want+"\n") {
				t.Errorf("import = %d, stdout %q, stderr %q; want 1 ending %q", code, out, errs, c.want)
			}
		})
	}
	if want := fmt.Sprintf("2 MiB and %d segments at most", translate.MaxSegments); !strings.Contains(usage, want) {
		t.Errorf("usage does not state the limits %q", want)
	}
}
