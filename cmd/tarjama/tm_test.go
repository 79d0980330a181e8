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
	wantDry := fixture + `: dry run, nothing written (TMX 1.4; utf-8; 5 translation units, 3 Arabic–English pairs; languages ar, arn, en, fr)
added:       3
  line 8: قال ريابكوف إن موسكو مستعدة للحوار. → Ryabkov said Moscow is ready for dialogue.
  line 13: الضمانات الأمنية ضرورية. → Security guarantees are essential.
  line 18: موسكو وواشنطن → Moscow & Washington\n          "talks" <now>
updated:     0
unchanged:   0
refused:     2
  line 25: <tu>: no Arabic variant (languages en, fr)
  line 30: <tu>: no Arabic variant (languages arn, en)
`
	if err != nil || out != wantDry {
		t.Fatalf("tm import --dry-run = %v\n%s\nwant\n%s", err, out, wantDry)
	}
	if out, _ := runTM(t, "export", "--db", db); strings.Contains(out, "<tu") {
		t.Fatalf("the dry run wrote pairs:\n%s", out)
	}

	out, err = runTM(t, "import", "--db", db, fixture)
	if err != nil || !strings.Contains(out, ": imported (TMX 1.4;") || !strings.Contains(out, "added:       3\nupdated:     0\nunchanged:   0\nrefused:     2\n  line 25:") {
		t.Fatalf("tm import = %q, %v", out, err)
	}
	out, err = runTM(t, "import", "--db", db, fixture, "--json")
	if err != nil || !strings.Contains(out, `"unchanged": {`) || !strings.Contains(out, `"detail": "already in the memory"`) {
		t.Fatalf("tm import --json = %s, %v", out, err)
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
	if _, err := runTM(t, "import", "--db", db, bad); err == nil || !strings.Contains(err.Error(), "bad.tmx:3: element <seg> closed by </tuv>") {
		t.Errorf("bad TMX: err = %v, want the file, line and reason", err)
	}
	french := writeFile(t, "fr.tmx", `<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>merci</seg></tuv><tuv xml:lang="de"><seg>danke</seg></tuv></tu></body></tmx>`)
	code, _, errs := runCLI(t, "", "tm", "import", "--db", db, french)
	if code == 0 || !strings.Contains(errs, "fr.tmx: no Arabic–English pair in 1 translation unit; the file's languages are: de, fr") {
		t.Errorf("a file without an Arabic–English pair: exit %d, stderr %q", code, errs)
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
		"tmx":   "<body>\n    <!-- no approved pairs in article 1",
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
