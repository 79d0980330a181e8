package main

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
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
		{"ExportBadFormat", "", []string{"export", "1", "--format", "foo"}, 2, `tarjama export: format: "foo" is not one of txt, md, html, xliff, xliff12, tmx`},
		{"ExportNoID", "", []string{"export"}, 2, "tarjama export: name exactly one ARTICLE_ID"},
		{"ExportBadDir", "", []string{"export", "1", "-o", "/nonexistent/x.csv"}, 1, "tarjama export: write /nonexistent/x.csv: no such file or directory"},
		{"GlossaryNoSub", "", []string{"glossary"}, 2, "tarjama glossary: name a subcommand: export, import, imports, match, undo"},
		{"GlossaryImportNoFile", "", []string{"glossary", "import"}, 2, "tarjama glossary import: name exactly one glossary file (CSV, TSV, TBX or XLSX)"},
		{"ShortPassword", "short\n", []string{"user", "add", "noor", "--role", "admin"}, 2, "tarjama user: password: shorter than 12 characters"},
		{"CommonPassword", "Sunshine2024!\n", []string{"user", "add", "noor", "--role", "admin"}, 2,
			"tarjama user: password: too easy to guess (a common password with digits or symbols added); a few unrelated words make a good one"},
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
		{"TooManySegments", long, "tarjama import: nothing imported: " + long + ": 2001 segments is over the limit of 2000 for one article; split the article"},
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

// TestHints: the CLI adds how to fix an error in its own words (flags, variables, files) to
// what the domain packages say is wrong, once, after the message; a list gets each item's.
func TestHints(t *testing.T) {
	noKey := &translate.SettingError{Setting: translate.SettingAPIKey, Missing: true, Reason: "no API key, which OpenAI's API needs"}
	for _, c := range []struct {
		name string
		err  error
		want string
	}{
		{"NoHint", errors.New("disk full"), "disk full"},
		{"OpenAIKeyMissing", fmt.Errorf("backend openai: %w", &translate.BackendError{Backend: "openai", Fatal: true, Err: noKey}),
			"backend openai: openai: no API key, which OpenAI's API needs (set OPENAI_API_KEY or use --api-key; for a local server set --base-url)"},
		{"OpenAIKeyRefused", &translate.BackendError{Backend: "openai", StatusCode: 401,
			Err: &translate.SettingError{Setting: translate.SettingAPIKey, Reason: "the server refused the API key: bad key"}},
			"openai: HTTP 401: the server refused the API key: bad key (check OPENAI_API_KEY or --api-key)"},
		{"LibreTranslateKey", &translate.BackendError{Backend: "libretranslate", StatusCode: 403,
			Err: &translate.SettingError{Setting: translate.SettingAPIKey, Missing: true, Reason: "the server wants a valid API key: no"}},
			"libretranslate: HTTP 403: the server wants a valid API key: no (set LIBRETRANSLATE_API_KEY or use --api-key)"},
		{"ModelMissing", translate.ErrInvalid.Errorf("openai: %w", &translate.SettingError{Setting: translate.SettingModel, Missing: true, Reason: "no model given for http://h/v1"}),
			"openai: no model given for http://h/v1 (set --model or TARJAMA_MODEL to a model the server serves, e.g. llama3.1 for Ollama)"},
		{"ModelNotFound", &translate.BackendError{Backend: "openai", StatusCode: 404,
			Err: &translate.SettingError{Setting: translate.SettingModel, Reason: `model "m" not found`}},
			`openai: HTTP 404: model "m" not found (check --model and --base-url)`},
		{"OtherEncoding", &errorList{"nothing imported:", []error{errors.New("a.txt: empty"),
			translate.ErrInvalid.Errorf("%w", &arabic.TextError{File: "b.txt", Line: 2, Reason: "not valid UTF-8 text", OtherEncoding: true})}},
			"nothing imported:\n  a.txt: empty\n  b.txt:2: not valid UTF-8 text (save the file as UTF-8)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := withHint(c.err); got != c.want {
				t.Errorf("withHint = %q\nwant       %q", got, c.want)
			}
		})
	}
}
