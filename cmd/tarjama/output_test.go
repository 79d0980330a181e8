package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestNoArgumentsIsAUsageError: a bare `tarjama` is a mistake, answered on stderr with exit
// 2; asking for help is not.
func TestNoArgumentsIsAUsageError(t *testing.T) {
	code, out, errs := runCLI(t, "")
	if code != 2 || out != "" || errs != usage {
		t.Errorf("tarjama = %d, stdout %q, stderr %.40q…; want 2, nothing, the usage", code, out, errs)
	}
	for _, help := range []string{"help", "-h", "--help"} {
		if code, out, errs := runCLI(t, "", help); code != 0 || out != usage || errs != "" {
			t.Errorf("tarjama %s = %d, stdout %.40q…, stderr %q; want 0 and the usage on stdout", help, code, out, errs)
		}
	}
}

// TestCountsArePluralized: CLI output says "1 segment", "2 segments", never "1 segments".
func TestCountsArePluralized(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "plural.db")
	one := writeFile(t, "one.txt", "عنوان")
	two := writeFile(t, "two.txt", "عنوان\n\nنص.")
	code, out, errs := runCLI(t, "", "import", "--db", db, one, two)
	want := regexp.MustCompile(`^\d+\t` + regexp.QuoteMeta(one) + "\t1 segment\tعنوان\n" + `\d+\t` + regexp.QuoteMeta(two) + "\t2 segments\tعنوان\n$")
	if code != 0 || !want.MatchString(out) {
		t.Errorf("import = %d %q (stderr %q); want the counts 1 segment and 2 segments", code, out, errs)
	}
	if _, _, err := runUser(t, db, "a long password\n", "add", "amal", "--role", "admin"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := runUser(t, db, "", "token", "amal"); err != nil {
		t.Fatal(err)
	}
	if out, _, err := runUser(t, db, "", "token", "amal", "--revoke"); err != nil || out != "revoked 1 token of amal\n" {
		t.Errorf("revoke one token = %q, %v", out, err)
	}
	if out, _, err := runUser(t, db, "", "token", "amal", "--revoke"); err != nil || out != "revoked 0 tokens of amal\n" {
		t.Errorf("revoke no token = %q, %v", out, err)
	}
}

// TestPasswordPromptOnlyOnATerminal: stdin that is no terminal, even the character device
// /dev/null, gets no "Password" prompt on stderr.
func TestPasswordPromptOnlyOnATerminal(t *testing.T) {
	db := filepath.Join(t.TempDir(), "prompt.db")
	devnull, err := os.Open(os.DevNull)
	if err != nil {
		t.Fatal(err)
	}
	defer devnull.Close()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.WriteString(w, "a long password\n"); err != nil {
		t.Fatal(err)
	}
	w.Close()
	defer r.Close()
	for _, c := range []struct {
		name  string
		stdin *os.File
		ok    bool
	}{{"DevNull", devnull, false}, {"Pipe", r, true}} {
		t.Run(c.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			e := &env{stdin: c.stdin, stdout: &out, stderr: &errb, log: slog.New(slog.NewTextHandler(io.Discard, nil)),
				getenv: func(string) string { return "" }}
			err := cmdUser(context.Background(), e, []string{"add", "user" + c.name, "--role", "admin", "--db", db})
			if (err == nil) != c.ok || strings.Contains(errb.String(), "Password") {
				t.Errorf("user add with stdin %s = %v, stderr %q; want ok=%v and no prompt", c.name, err, errb.String(), c.ok)
			}
		})
	}
}
