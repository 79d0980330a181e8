package main

import (
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/store"
)

// resolve is what the flags and the environment give over no saved settings.
func (c *config) resolve() (backends.Resolved, error) {
	st, err := c.start()
	return backends.Resolve(st, backends.Settings{}), err
}

// testEnv keeps the CLI away from the developer's own configuration.
func isolate(t *testing.T) {
	t.Helper()
	for _, k := range []string{"OPENAI_API_KEY", "OPENAI_BASE_URL", "TARJAMA_MODEL", "TARJAMA_BACKEND", "TARJAMA_DB", "LIBRETRANSLATE_URL", "OPENAI_API_VERSION", "LIBRETRANSLATE_API_KEY"} {
		t.Setenv(k, "")
	}
}

func TestTranslateCommand(t *testing.T) {
	isolate(t)
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	llm.Models = []string{"m1"}
	db := filepath.Join(t.TempDir(), "tr.db")
	code, out, errs := runCLI(t, "", "translate", "1", "--db", db, "--backend", "openai", "--base-url", llm.BaseURL(), "--model", "m1", "--concurrency", "2")
	if code != 0 {
		t.Fatalf("translate = %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(out, "article 1: openai:") || !strings.Contains(out, "segments translated, 0 failed") {
		t.Errorf("summary = %q", out)
	}
	if llm.Count() == 0 {
		t.Fatal("no request reached the backend")
	}
	// Translating again costs nothing: every segment is done and the cache holds the rest.
	before := llm.Count()
	if code, out, _ := runCLI(t, "", "translate", "--db", db, "1", "--base-url", llm.BaseURL(), "--model", "m1"); code != 0 || llm.Count() != before {
		t.Errorf("second run = %d, %d more requests: %s", code, llm.Count()-before, out)
	}
	code, out, _ = runCLI(t, "", "export", "1", "--db", db, "--format", "txt")
	if code != 0 || !strings.Contains(out, "[unreviewed] ") {
		t.Errorf("export after machine translation should mark unreviewed text: %d %q", code, out)
	}
}

func TestTranslateUnreachableBackend(t *testing.T) {
	isolate(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close() // nothing listens here now
	db := filepath.Join(t.TempDir(), "un.db")
	code, _, errs := runCLI(t, "", "translate", "--all", "--db", db, "--base-url", "http://"+addr+"/v1", "--model", "m1")
	if code == 0 || !strings.Contains(errs, "cannot reach") {
		t.Fatalf("translate against a closed port = %d, stderr %q; want a clear error", code, errs)
	}
	if code, _, errs := runCLI(t, "", "translate", "--db", db); code != 2 || !strings.Contains(errs, "ARTICLE_IDs or --all") {
		t.Errorf("translate with nothing named = %d %q", code, errs)
	}
}

func TestGlossaryMatchCommand(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "m.db")
	text := "قال سيرغي ريابكوف إن بالضمانات الأمنية ضرورية لبيلاروسيا"
	code, out, errs := runCLI(t, text, "glossary", "match", "--db", db)
	if code != 0 {
		t.Fatalf("glossary match = %d: %s", code, errs)
	}
	var got []struct {
		TermID  int64  `json:"term_id"`
		Arabic  string `json:"arabic"`
		English string `json:"english"`
		Type    string `json:"type"`
		Text    string `json:"text"`
		Start   int    `json:"start"`
		End     int    `json:"end"`
		Variant bool   `json:"variant"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not the JSON array: %v\n%s", err, out)
	}
	runes := []rune(text)
	variant := map[string]bool{}
	for _, m := range got {
		if m.TermID == 0 || m.Arabic == "" || m.Type == "" || m.Start < 0 || m.End > len(runes) || string(runes[m.Start:m.End]) != m.Text {
			t.Errorf("bad match %+v", m)
		}
		variant[m.English] = m.Variant
	}
	// سيرغي is the seed glossary's listed variant of سيرجي ريابكوف; الضمانات الأمنية is the
	// term's own Arabic (its ب stripped).
	if v, ok := variant["Sergei Ryabkov"]; !ok || !v {
		t.Errorf("matches = %+v; want Sergei Ryabkov as a variant", got)
	}
	if v, ok := variant["security guarantees"]; !ok || v {
		t.Errorf("matches = %+v; want security guarantees, not a variant", got)
	}
	if code, out, _ := runCLI(t, "no Arabic here", "glossary", "match", "--db", db); code != 0 || strings.TrimSpace(out) != "[]" {
		t.Errorf("no matches = %d %q, want []", code, out)
	}
	if !utf8.ValidString(out) {
		t.Error("output not UTF-8")
	}
}

func TestGlossaryImportCommand(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "g.db")
	good := writeFile(t, "terms.csv", "arabic,english\nالمنطقة العازلة,buffer zone\nالكرملين,the Kremlin\n")
	code, out, errs := runCLI(t, "", "glossary", "import", "--dry-run", good, "--db", db)
	if code != 0 || !strings.Contains(out, "dry run, nothing written") || !regexp.MustCompile(`added:\s+1\n`).MatchString(out) {
		t.Fatalf("dry run = %d %q %s", code, out, errs)
	}
	_, exported, _ := runCLI(t, "", "glossary", "export", "--db", db)
	if strings.Contains(exported, "buffer zone") {
		t.Fatal("dry run wrote the term")
	}
	bad := writeFile(t, "bad.csv", "arabic,english\nالمنطقة العازلة,buffer zone\nالحدود,\n")
	code, _, errs = runCLI(t, "", "glossary", "import", "--db", db, bad)
	if code == 0 || !strings.Contains(errs, "bad.csv:3") || !strings.Contains(errs, "english") {
		t.Fatalf("bad file = %d %q; want the line and field", code, errs)
	}
	_, exported, _ = runCLI(t, "", "glossary", "export", "--db", db)
	if strings.Contains(exported, "buffer zone") {
		t.Fatal("a refused file wrote its good rows")
	}
	if code, out, _ := runCLI(t, "", "glossary", "import", "--db", db, good); code != 0 || !regexp.MustCompile(`added:\s+1\n`).MatchString(out) {
		t.Fatalf("import = %d %q", code, out)
	}
	out2 := filepath.Join(t.TempDir(), "out.csv")
	if code, _, errs := runCLI(t, "", "glossary", "export", "--db", db, "--bom", "-o", out2); code != 0 {
		t.Fatalf("export -o = %d %s", code, errs)
	}
}

// TestGlossaryExportFormats: the seed glossary exported as TBX and XLSX imports into an empty
// database whole, the format told by the content whatever the file is called; what another
// tool's file holds beyond the glossary is named; a wrong --format or --bom is a usage error.
func TestGlossaryExportFormats(t *testing.T) {
	isolate(t)
	seeded := filepath.Join(t.TempDir(), "seeded.db")
	_, csvOut, _ := runCLI(t, "", "glossary", "export", "--db", seeded)
	terms := strings.Count(csvOut, "\n") - 1
	for _, format := range []string{"tbx", "xlsx"} {
		out := filepath.Join(t.TempDir(), "glossary.csv") // the wrong name on purpose
		if code, _, errs := runCLI(t, "", "glossary", "export", "--db", seeded, "--format", format, "-o", out); code != 0 {
			t.Fatalf("export --format %s = %d %s", format, code, errs)
		}
		fresh := filepath.Join(t.TempDir(), "fresh.db")
		runCLI(t, "", "glossary", "export", "--db", fresh) // creates it, with the seeds
		code, rep, errs := runCLI(t, "", "glossary", "import", "--db", fresh, "--mode", "replace", "--dry-run", out)
		if code != 0 || !strings.Contains(rep, "("+strings.ToUpper(format)+"; ") ||
			!regexp.MustCompile(fmt.Sprintf(`unchanged:\s+%d\n`, terms)).MatchString(rep) || !strings.Contains(rep, "removed:     0\n") {
			t.Errorf("re-import of the %s export into a seeded database = %d\n%s%s", format, code, rep, errs)
		}
	}
	matecat := writeFile(t, "matecat.csv", "Forbidden,Domain,ar-SA,en-US\nFALSE,Geography,كييف,Kyiv\nTRUE,Geography,كييف,Kiev\n")
	code, rep, errs := runCLI(t, "", "glossary", "import", "--db", seeded, "--dry-run", matecat)
	if code != 0 || !strings.Contains(rep, `ignored: column "Domain"`) || !strings.Contains(rep, "unchanged:   1\n") {
		t.Errorf("Matecat file = %d\n%s%s", code, rep, errs)
	}
	for _, args := range [][]string{{"--format", "pdf"}, {"--format", "tbx", "--bom"}} {
		code, _, errs := runCLI(t, "", append([]string{"glossary", "export", "--db", seeded}, args...)...)
		if code != 2 || !strings.Contains(errs, args[len(args)-1][2:]) && !strings.Contains(errs, "pdf") {
			t.Errorf("export %v = %d %q; want a usage error", args, code, errs)
		}
	}
}

func TestBackendLimitsFromEnv(t *testing.T) {
	env := map[string]string{"TARJAMA_BATCH_SIZE": "7", "TARJAMA_CONCURRENCY": "3", "TARJAMA_TIMEOUT": "45s"}
	c := readConfig(func(k string) string { return env[k] })
	cfg, err := c.resolve()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Pins["batch_size"] != "TARJAMA_BATCH_SIZE" {
		t.Errorf("batch size pinned by %q, want TARJAMA_BATCH_SIZE", cfg.Pins["batch_size"])
	}
	if cfg.BatchSize != 7 || cfg.Concurrency != 3 || cfg.Timeout != 45*time.Second || cfg.Backend != "offline" {
		t.Fatalf("config from env = %+v", cfg)
	}
	c.mt.BatchSize = 2 // a flag wins over the environment
	if cfg, _ := c.resolve(); cfg.BatchSize != 2 || cfg.Pins["batch_size"] != "--batch-size" {
		t.Fatalf("flag did not win: batch size %d", cfg.BatchSize)
	}
	env["TARJAMA_TIMEOUT"] = "soon"
	c = readConfig(func(k string) string { return env[k] })
	if _, err := c.resolve(); err == nil || !strings.Contains(err.Error(), "TARJAMA_TIMEOUT") {
		t.Fatalf("bad timeout error = %v", err)
	}
}

// TestMaxConnsFromEnv: serve's cap on connections comes from --max-conns, else
// TARJAMA_MAX_CONNS, else the server's default (0 here); a bad value is a usage error.
func TestMaxConnsFromEnv(t *testing.T) {
	for _, tc := range []struct {
		env     string
		flag    int
		want    int
		wantErr string
	}{
		{"", 0, 0, ""},
		{"64", 0, 64, ""},
		{"64", 8, 8, ""},
		{"many", 0, 0, "TARJAMA_MAX_CONNS"},
		{"", -1, 0, "--max-conns"},
	} {
		c := readConfig(func(k string) string { return map[string]string{"TARJAMA_MAX_CONNS": tc.env}[k] })
		got, err := c.serveMaxConns(tc.flag)
		if got != tc.want || (err == nil) != (tc.wantErr == "") || err != nil && !strings.Contains(err.Error(), tc.wantErr) {
			t.Errorf("TARJAMA_MAX_CONNS=%q --max-conns %d = %d, %v; want %d, an error naming %q", tc.env, tc.flag, got, err, tc.want, tc.wantErr)
		}
	}
}

// TestDBBeforeCommand: --db is global, so it may stand before the command name too, in
// both spellings, for every command; the database it names is the one used.
func TestDBBeforeCommand(t *testing.T) {
	isolate(t)
	tmx, err := filepath.Abs(filepath.Join("..", "..", "translate", "internal", "fixtures", "memory.tmx"))
	if err != nil {
		t.Fatal(err)
	}
	article := writeFile(t, "a.txt", "عنوان المقال\n\nنص قصير.")
	terms := writeFile(t, "terms.csv", "arabic,english\nالمنطقة العازلة,buffer zone\n")
	cwd := t.TempDir()
	t.Chdir(cwd) // a command that ignored --db would create ./tarjama.db here

	for i, tc := range []struct {
		name   string
		stdin  string
		args   []string
		code   int
		want   string // in stdout, or in stderr when code != 0 or stderr is set
		stderr bool
	}{
		{"serve", "", []string{"serve", "--addr", "127.0.0.1:notaport"}, 1, "notaport", false},
		{"import", "", []string{"import", article}, 0, "a.txt\t2 segments\t", false},
		{"translate", "", []string{"translate", "1"}, 0, "article 1: offline", false},
		{"glossary match", "قال سيرغي ريابكوف", []string{"glossary", "match"}, 0, "Sergei Ryabkov", false},
		{"glossary import", "", []string{"glossary", "import", terms}, 0, "added:", false},
		{"glossary export", "", []string{"glossary", "export"}, 0, "arabic,english,type,", false},
		{"glossary imports", "", []string{"glossary", "imports"}, 0, "seeds/glossary.csv", false},
		{"glossary undo", "", []string{"glossary", "undo", "1"}, 0, "undid import 1 (seeds/glossary.csv)", false},
		{"db between group and subcommand", "", []string{"glossary", "--db", "PATH", "export"}, 0, "arabic,english,type,", false},
		{"export", "", []string{"export", "1", "--format", "txt"}, 0, "[untranslated] لا نريد قطع العلاقات مع واشنطن", false},
		{"tm import", "", []string{"tm", "import", tmx}, 0, "imported (TMX 1.4;", false},
		{"tm export", "", []string{"tm", "export"}, 0, "<tmx", false},
		{"user add", "secret-password\n", []string{"user", "add", "mona", "--role", "admin"}, 0, "added mona (admin)", false},
		{"user list", "", []string{"user", "list"}, 0, "no accounts", true},
		{"stats", "", []string{"stats"}, 0, noQualityYet, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "named.db")
			args := make([]string, len(tc.args))
			for j, a := range tc.args {
				if a == "PATH" {
					a = db
				}
				args[j] = a
			}
			// Alternate the two spellings across the cases.
			lead := []string{"--db", db}
			if i%2 == 1 {
				lead = []string{"--db=" + db}
			}
			code, out, errs := runCLI(t, tc.stdin, append(lead, args...)...)
			got := out
			if tc.code != 0 || tc.stderr {
				got = errs
			}
			if code != tc.code || !strings.Contains(got, tc.want) {
				t.Fatalf("%v = %d\nstdout: %s\nstderr: %s\nwant exit %d and %q", args, code, out, errs, tc.code, tc.want)
			}
			if _, err := os.Stat(db); err != nil {
				t.Errorf("the database named before the command was not used: %v", err)
			}
			if _, err := os.Stat(filepath.Join(cwd, "tarjama.db")); err == nil {
				t.Fatal("the command opened ./tarjama.db instead of the --db before it")
			}
		})
	}
	// The first --db set before the name and one after it: the one after wins, as a later flag does.
	before, after := filepath.Join(t.TempDir(), "before.db"), filepath.Join(t.TempDir(), "after.db")
	if code, _, errs := runCLI(t, "", "--db", before, "stats", "--db", after); code != 0 {
		t.Fatalf("stats = %d %s", code, errs)
	}
	if _, err := os.Stat(after); err != nil {
		t.Errorf("--db after the command should win: %v", err)
	}
	if _, err := os.Stat(before); err == nil {
		t.Error("--db before the command was used although one after it was given")
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--db"}, "flag needs an argument: --db"},
		{[]string{"--db="}, "--db: empty path"},
		{[]string{"--frob", "x", "stats"}, `unknown command "--frob"`},
		{[]string{"glossary", "--db", filepath.Join(t.TempDir(), "x.db"), "frob"}, `unknown subcommand "frob"`},
	} {
		if code, _, errs := runCLI(t, "", tc.args...); code != 2 || !strings.Contains(errs, tc.want) {
			t.Errorf("%q = %d %q; want usage error with %q", tc.args, code, errs, tc.want)
		}
	}
}

func TestTranslateSilentBackendTimesOut(t *testing.T) {
	isolate(t)
	silent := backendtest.NewSilent(t)
	db := filepath.Join(t.TempDir(), "si.db")
	start := time.Now()
	code, _, errs := runCLI(t, "", "translate", "1", "--db", db, "--base-url", silent.URL+"/v1", "--model", "m1", "--timeout", "200ms")
	if took := time.Since(start); took > 3*time.Second {
		t.Errorf("translate took %s against a silent server with --timeout 200ms", took)
	}
	if code == 0 || !strings.Contains(errs, "no answer from") || !strings.Contains(errs, "timeout 200ms") {
		t.Errorf("translate against a silent server = %d, stderr %q; want a clear timeout error", code, errs)
	}
}

func TestBackendFlagsReachConfig(t *testing.T) {
	for _, tc := range []struct {
		name            string
		args            []string
		env             map[string]string
		key, apiVersion string
	}{
		{"Flags", []string{"--backend", "openai", "--api-key", "sk-flag", "--api-version", "2025-01-01-preview"}, nil, "sk-flag", "2025-01-01-preview"},
		{"Env", []string{"--backend", "openai"}, map[string]string{"OPENAI_API_KEY": "sk-env", "OPENAI_API_VERSION": "2024-06-01"}, "sk-env", "2024-06-01"},
		{"FlagsWinOverEnv", []string{"--api-key", "sk-flag", "--api-version", "v2", "--backend", "openai"},
			map[string]string{"OPENAI_API_KEY": "sk-env", "OPENAI_API_VERSION": "v1"}, "sk-flag", "v2"},
		{"LibreTranslateKey", []string{"--backend", "libretranslate", "--api-key", "lt-flag"}, map[string]string{"LIBRETRANSLATE_API_KEY": "lt-env"}, "lt-flag", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := &env{stderr: &strings.Builder{}, cfg: readConfig(func(k string) string { return tc.env[k] })}
			fs, _ := newFlags(e, "translate")
			addBackendFlags(fs, &e.cfg)
			if _, err := parse(fs, tc.args); err != nil {
				t.Fatal(err)
			}
			cfg, err := e.cfg.resolve()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.APIKey != tc.key || cfg.APIVersion != tc.apiVersion {
				t.Errorf("config key %q api version %q, want %q %q", cfg.APIKey, cfg.APIVersion, tc.key, tc.apiVersion)
			}
		})
	}
}

func TestTranslateAPIKeyFlagIsSent(t *testing.T) {
	isolate(t)
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	llm.Models = []string{"m1"}
	db := filepath.Join(t.TempDir(), "key.db")
	code, out, errs := runCLI(t, "", "translate", "1", "--db", db, "--base-url", llm.BaseURL(), "--model", "m1", "--api-key", "sk-from-flag")
	if code != 0 {
		t.Fatalf("translate = %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	reqs := llm.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the backend")
	}
	for _, r := range reqs {
		if got := r.Header.Get("Authorization"); got != "Bearer sk-from-flag" {
			t.Errorf("request %d: Authorization %q, want the key from --api-key", r.N, got)
		}
	}
}

func TestTranslateRecordsTheOSUser(t *testing.T) {
	isolate(t)
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	llm.Models = []string{"m1"}
	db := filepath.Join(t.TempDir(), "who.db")
	if code, out, errs := runCLI(t, "", "translate", "1", "--db", db, "--base-url", llm.BaseURL(), "--model", "m1"); code != 0 {
		t.Fatalf("translate = %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
	want := cliUser(readConfig(os.Getenv).user)
	if want == "" {
		t.Fatal("cliUser is empty")
	}
	ctx := context.Background()
	d := migrationstest.OpenFile(t, db)
	articles := store.New(d.W, d.R, time.Now, glossary.NewStore(d.W, d.R, time.Now))
	runs, err := articles.Runs(ctx, 1)
	if err != nil || len(runs) != 1 || runs[0].StartedBy != want {
		t.Fatalf("runs = %+v, %v; want one started by %q", runs, err, want)
	}
	segs, err := articles.Segments(ctx, 1)
	if err != nil {
		t.Fatal(err)
	}
	machine := 0
	for _, s := range segs {
		revs, err := articles.Revisions(ctx, s.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range revs {
			machine++
			if r.Author != want {
				t.Errorf("segment %d: %s revision by %q, want %q", s.ID, r.Kind, r.Author, want)
			}
		}
	}
	if machine == 0 {
		t.Error("the run wrote no revisions")
	}
}

// TestGlossaryImportReportSaysWhatHappens: a new English over the seed's "the Kremlin" is an
// update, said as one, and the former English stays an accepted alternative; a spelling that
// another term owns is refused with its reason.
func TestGlossaryImportReportSaysWhatHappens(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "r.db")
	kremlin := writeFile(t, "kremlin.tsv", "الكرملين\tKremlin\n")
	for _, dry := range []bool{true, false} {
		args := []string{"glossary", "import", "--db", db, kremlin}
		if dry {
			args = append(args, "--dry-run")
		}
		code, out, errs := runCLI(t, "", args...)
		if code != 0 {
			t.Fatalf("import (dry run %v) = %d %s", dry, code, errs)
		}
		for _, want := range []string{
			"updated:     1\n",
			`line 1: الكرملين: English "the Kremlin" → "Kremlin"; also english_alternatives; "the Kremlin" takes its place among the alternatives` + "\n",
			"conflicting: 0\n",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("report (dry run %v) lacks %q:\n%s", dry, want, out)
			}
		}
	}
	_, exported, _ := runCLI(t, "", "glossary", "export", "--db", db)
	if !strings.Contains(exported, "\nالكرملين,Kremlin,name,,the Kremlin,,") {
		t.Errorf("export after the update lacks the swapped alternatives:\n%s", exported)
	}

	clash := writeFile(t, "clash.csv", "arabic,english\nحلف الأطلسي,Atlantic pact\nروسيا الاتحادية,the Russian Federation\n")
	code, out, errs := runCLI(t, "", "glossary", "import", "--db", db, "--dry-run", clash)
	if code != 0 || !strings.Contains(out, "conflicting: 1\n") || !strings.Contains(out, `line 2: حلف الأطلسي → Atlantic pact (now NATO): "حلف الأطلسي" is already a variant of «حلف شمال الأطلسي» → "NATO"`) {
		t.Errorf("dry run with a clash = %d\n%s%s", code, out, errs)
	}
	code, _, errs = runCLI(t, "", "glossary", "import", "--db", db, clash)
	if code == 0 || !strings.Contains(errs, "clash.csv:2: arabic:") || !strings.Contains(errs, "nothing imported") {
		t.Errorf("import with a clash = %d %q; want the line, the reason and nothing imported", code, errs)
	}
	if code, out, errs := runCLI(t, "", "glossary", "import", "--db", db, "--skip-bad", clash); code != 0 ||
		!strings.Contains(out, "added:       1\n") || !strings.Contains(out, "conflicting rows were left out") {
		t.Errorf("import --skip-bad with a clash = %d\n%s%s", code, out, errs)
	}
}

// TestGlossaryCommandsReadTextTheSameWay: `glossary import` refuses a binary file as not text,
// and `glossary match` decodes Windows-1256 as the CSV import does, saying so, and refuses
// broken UTF-8 and binary input.
func TestGlossaryCommandsReadTextTheSameWay(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "t.db")
	elf := writeFile(t, "tool", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x03\x00>\x00\x01\x00\x00\x00")
	code, _, errs := runCLI(t, "", "glossary", "import", "--db", db, elf)
	if code == 0 || !strings.Contains(errs, "not a text file") || strings.Contains(errs, "column") {
		t.Errorf("glossary import of a binary = %d %q; want not a text file", code, errs)
	}

	text := "قال لافروف إن الكرملين مستعد؟"
	w1256, err := charmap.Windows1256.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, w1256, "glossary", "match", "--db", db)
	if code != 0 || !strings.Contains(errs, "decoded it as windows-1256") {
		t.Fatalf("match of Windows-1256 = %d, stderr %q", code, errs)
	}
	var got []struct {
		English    string `json:"english"`
		Start, End int
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("output is not the JSON array: %v\n%s", err, out)
	}
	found := map[string]string{}
	for _, m := range got {
		found[m.English] = string([]rune(text)[m.Start:m.End])
	}
	if found["Lavrov"] != "لافروف" || found["the Kremlin"] != "الكرملين" {
		t.Errorf("matches in the decoded text = %q; want Lavrov and the Kremlin", found)
	}

	// A UTF-8 BOM is the input's code point 0: a client slicing its own input by the offsets
	// must land on the hit.
	bom := "\ufeff" + text
	code, out, errs = runCLI(t, bom, "glossary", "match", "--db", db)
	got = nil
	if err := json.Unmarshal([]byte(out), &got); code != 0 || err != nil {
		t.Fatalf("match with a BOM = %d %v, stderr %q", code, err, errs)
	}
	lavrov := false
	for _, m := range got {
		if m.English == "Lavrov" {
			lavrov = true
			if hit := string([]rune(bom)[m.Start:m.End]); hit != "لافروف" {
				t.Errorf("with a BOM, input[%d:%d] = %q; want لافروف", m.Start, m.End, hit)
			}
		}
	}
	if !lavrov {
		t.Errorf("with a BOM, no Lavrov among %+v", got)
	}

	for _, tc := range []struct{ name, in, want string }{
		{"BrokenUTF8", "قال لافروف إن \xe9 الكرملين مستعد", "not valid UTF-8"},
		{"Binary", "\x7fELF\x02\x01\x01\x00\x00\x00", "not a text file"},
	} {
		code, out, errs := runCLI(t, tc.in, "glossary", "match", "--db", db)
		if code == 0 || !strings.Contains(errs, tc.want) || out != "" {
			t.Errorf("match of %s = %d, stdout %q, stderr %q; want an error with %q", tc.name, code, out, errs, tc.want)
		}
	}
}
