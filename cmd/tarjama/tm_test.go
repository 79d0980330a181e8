package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate/tmx"
)

// runTM runs `tarjama tm ARGS` in-process (through cmdTM, so it does not depend on the
// command table) and returns its error and stdout.
func runTM(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := cmdTM(context.Background(), e, args)
	return out.String(), err
}

func TestTMCommand(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "tm.db")
	fixture := filepath.Join("..", "..", "translate", "internal", "fixtures", "memory.tmx")

	out, err := runTM(t, "import", "--dry-run", fixture, "--db", db)
	if err != nil || !strings.Contains(out, "dry run, nothing written: 3 of 3 Arabic–English pairs would be added") {
		t.Fatalf("tm import --dry-run = %q, %v", out, err)
	}
	if out, _ := runTM(t, "export", "--db", db); strings.Contains(out, "<tu") {
		t.Fatalf("the dry run wrote pairs:\n%s", out)
	}

	out, err = runTM(t, "import", "--db", db, fixture)
	if err != nil || !strings.Contains(out, "imported: 3 of 3 Arabic–English pairs added (0 already in the memory)") ||
		!strings.Contains(out, "skipped 2 of 5 translation units:\n  line 25: no Arabic text") {
		t.Fatalf("tm import = %q, %v", out, err)
	}

	file := filepath.Join(t.TempDir(), "out.tmx")
	if _, err := runTM(t, "export", "--db", db, "-o", file); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	read, err := tmx.Read(bytes.NewReader(data), file)
	if err != nil || len(read.Pairs) != 3 || read.Pairs[1].Source != "الضمانات الأمنية ضرورية." {
		t.Fatalf("exported memory = %+v, %v", read, err)
	}
	if out, _ := runTM(t, "export", "--db", db); out != string(data) {
		t.Errorf("export to stdout and to -o differ")
	}

	bad := writeFile(t, "bad.tmx", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x</tuv>\n</body></tmx>")
	if _, err := runTM(t, "import", "--db", db, bad); err == nil || !strings.Contains(err.Error(), "bad.tmx:3:") {
		t.Errorf("bad TMX: err = %v, want the file and line", err)
	}

	for _, args := range [][]string{{}, {"frob"}, {"import", "--db", db}, {"export", "--db", db, "extra"}} {
		var ue usageError
		if _, err := runTM(t, args...); !errors.As(err, &ue) {
			t.Errorf("tm %q: err = %v, want a usage error", args, err)
		}
	}
}

func TestExportCommandFormats(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "ex.db")
	for format, want := range map[string]string{
		"txt":   "[DRAFT, NOT REVIEWED: no segment is approved;",
		"md":    "> **DRAFT, NOT REVIEWED: no segment is approved;",
		"html":  `<p class="summary draft" id="summary">DRAFT, NOT REVIEWED`,
		"xliff": `<segment state="initial" subState="tarjama:untranslated">`,
		"tmx":   "<body><!-- no approved pairs in article 1",
	} {
		code, out, errs := runCLI(t, "", "export", "1", "--db", db, "--format", format)
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("export --format %s = %d, %q…, stderr %q; want %q", format, code, out[:min(len(out), 200)], errs, want)
		}
	}
	if code, _, errs := runCLI(t, "", "export", "1", "--db", db, "--format", "pdf"); code != 2 || !strings.Contains(errs, "txt, md, html, xliff, xliff12, tmx") {
		t.Errorf("export --format pdf = %d %q", code, errs)
	}
}
