package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/store"
)

// runCLI runs the command in-process and returns its exit code, stdout and stderr.
func runCLI(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// servedProgram is the real tarjama binary serving on a free loopback port.
type servedProgram struct {
	t     *testing.T
	base  string
	ready string // the log line saying where it listens and with which backend
	cmd   *exec.Cmd
}

// startServe starts `tarjama serve` on port 0 and waits until it says where it listens.
// env (NAME=value) is added to an environment without any machine-translation settings.
func startServe(t *testing.T, bin, db string, env ...string) *servedProgram {
	t.Helper()
	cmd := exec.Command(bin, "serve", "--addr", "127.0.0.1:0", "--db", db)
	cmd.Env = append(os.Environ(), "OPENAI_API_KEY=", "OPENAI_BASE_URL=", "TARJAMA_BACKEND=", "TARJAMA_DB=", "TARJAMA_MODEL=", "LIBRETRANSLATE_URL=")
	cmd.Env = append(cmd.Env, env...)
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &servedProgram{t: t, cmd: cmd}
	t.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	found := make(chan [2]string, 1)
	go func() {
		urlRe := regexp.MustCompile(`url=(http://127\.0\.0\.1:\d+)/`)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := urlRe.FindStringSubmatch(sc.Text()); m != nil {
				found <- [2]string{m[1], sc.Text()}
				break
			}
		}
		close(found)
		_, _ = io.Copy(io.Discard, stderr)
	}()
	select {
	case f := <-found:
		p.base, p.ready = f[0], f[1]
	case <-time.After(60 * time.Second):
	}
	if p.base == "" {
		t.Fatal("serve never said where it listens")
	}
	return p
}

// stop interrupts the program as Ctrl+C does and checks that it shuts down cleanly.
func (p *servedProgram) stop() {
	p.t.Helper()
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			p.t.Errorf("serve did not shut down cleanly on interrupt: %v", err)
		}
	case <-time.After(15 * time.Second):
		_ = p.cmd.Process.Kill()
		<-done
		p.t.Error("serve did not stop within 15s of an interrupt")
	}
}

// call sends a request (a JSON body when body is not empty) and returns the status and body.
func (p *servedProgram) call(method, path, body string) (int, []byte) {
	p.t.Helper()
	req, err := http.NewRequest(method, p.base+path, strings.NewReader(body))
	if err != nil {
		p.t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

type servedSegment struct {
	ID      int64
	Index   int
	Source  string
	Target  string
	Status  string
	Version int
}

func (p *servedProgram) articles() []struct {
	ID       int64
	Title    string
	Progress struct{ Total int }
} {
	p.t.Helper()
	code, body := p.call("GET", "/api/articles", "")
	var list struct {
		Articles []struct {
			ID       int64
			Title    string
			Progress struct{ Total int }
		}
	}
	if err := json.Unmarshal(body, &list); err != nil || code != 200 {
		p.t.Fatalf("GET /api/articles = %d %s", code, body)
	}
	return list.Articles
}

func (p *servedProgram) segments(articleID int64) []servedSegment {
	p.t.Helper()
	code, body := p.call("GET", fmt.Sprintf("/api/articles/%d", articleID), "")
	var got struct{ Segments []servedSegment }
	if err := json.Unmarshal(body, &got); err != nil || code != 200 || len(got.Segments) == 0 {
		p.t.Fatalf("GET /api/articles/%d = %d %s", articleID, code, body)
	}
	return got.Segments
}

func TestServeRealProgram(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	dir := t.TempDir()
	bin := buildTarjama(t)
	db := filepath.Join(dir, "serve.db")
	p := startServe(t, bin, db)

	list := p.articles()
	if len(list) != 5 {
		t.Fatalf("first start loaded %d seed articles, want 5", len(list))
	}
	for _, a := range list {
		if a.Title == "" || a.Progress.Total < 5 {
			t.Errorf("seed article %d: title %q, %d segments", a.ID, a.Title, a.Progress.Total)
		}
	}
	code, body := p.call("GET", fmt.Sprintf("/articles/%d", list[0].ID), "")
	if code != 200 || !bytes.Contains(body, []byte(`dir="rtl"`)) {
		t.Fatalf("article page = %d", code)
	}
	if code, _ := p.call("GET", "/static/fonts/noto-naskh-arabic-arabic-400-normal.woff2", ""); code != 200 {
		t.Fatalf("Arabic font not served: %d", code)
	}
	if code, _ := p.call("GET", "/static/htmx.min.js", ""); code != 200 {
		t.Fatalf("htmx not served from the binary: %d", code)
	}

	// A reviewer saves a correction with the version they read...
	article := list[1].ID
	seg := p.segments(article)[2]
	correction := "Deputy Foreign Minister Sergei Ryabkov said Moscow was ready for dialogue."
	path := fmt.Sprintf("/api/segments/%d", seg.ID)
	put := func(target string, version int) (int, []byte) {
		b, _ := json.Marshal(map[string]any{"target": target, "version": version})
		return p.call("PUT", path, string(b))
	}
	code, body = put(correction, seg.Version)
	var saved servedSegment
	if err := json.Unmarshal(body, &saved); err != nil || code != 200 || saved.Version != seg.Version+1 || saved.Target != correction || saved.Status != "edited" {
		t.Fatalf("PUT %s = %d %s; want 200 at version %d", path, code, body, seg.Version+1)
	}
	// ...and a second save from the same stale page gets 409 with the text now stored.
	code, body = put("A stale overwrite.", seg.Version)
	var conflict struct {
		Error   string
		Current servedSegment
	}
	if err := json.Unmarshal(body, &conflict); err != nil || code != http.StatusConflict || conflict.Error == "" ||
		conflict.Current.Target != correction || conflict.Current.Version != seg.Version+1 {
		t.Fatalf("stale PUT = %d %s; want 409 with the current text", code, body)
	}

	// A restart on the same file keeps the correction and loads no seed twice.
	p.stop()
	p = startServe(t, bin, db)
	defer p.stop()
	if list := p.articles(); len(list) != 5 {
		t.Fatalf("after a restart there are %d articles, want 5 (seeds loaded again?)", len(list))
	}
	after := p.segments(article)[2]
	if after.ID != seg.ID || after.Target != correction || after.Version != seg.Version+1 || after.Status != "edited" {
		t.Fatalf("after a restart the segment is %+v; want the correction at version %d", after, seg.Version+1)
	}

	// Backups of the running workbench, downloaded from the settings page and written by
	// `tarjama backup`, open as databases that hold the correction.
	code, body = p.call("GET", "/settings/backup", "")
	if code != 200 || !bytes.HasPrefix(body, []byte("SQLite format 3\x00")) {
		t.Fatalf("GET /settings/backup = %d, %d bytes", code, len(body))
	}
	downloaded := filepath.Join(dir, "downloaded.db")
	if err := os.WriteFile(downloaded, body, 0o600); err != nil {
		t.Fatal(err)
	}
	written := filepath.Join(dir, "written.db")
	if out, err := exec.Command(bin, "backup", "-o", written, "--db", db).CombinedOutput(); err != nil || !bytes.Contains(out, []byte("integrity check ok")) {
		t.Fatalf("tarjama backup while serve runs: %v\n%s", err, out)
	}
	for _, path := range []string{downloaded, written} {
		var target string
		err := migrationstest.OpenFile(t, path).R.QueryRow(`SELECT target FROM segments WHERE id = ?`, seg.ID).Scan(&target)
		if err != nil || target != correction {
			t.Errorf("%s: segment %d = %q, %v; want the correction", filepath.Base(path), seg.ID, target, err)
		}
	}
}

func TestSeedsLoadOnce(t *testing.T) {
	db := filepath.Join(t.TempDir(), "seed.db")
	for i := 0; i < 2; i++ {
		code, out, errs := runCLI(t, "", "import", "--db", db, "--allow-duplicate", writeFile(t, "a.txt", "عنوان\n\nنص قصير."))
		if code != 0 {
			t.Fatalf("import = %d: %s", code, errs)
		}
		if !strings.Contains(out, "a.txt") {
			t.Fatalf("import output = %q", out)
		}
	}
	// Two imports of our own file, but the five seeds only once.
	code, out, _ := runCLI(t, "", "glossary", "export", "--db", db)
	if code != 0 || !strings.HasPrefix(out, "arabic,english,type,") {
		t.Fatalf("glossary export = %d %q", code, out)
	}
	code, out, errs := runCLI(t, "", "export", "--db", db, "7", "--format", "txt")
	if code != 0 || !strings.Contains(out, "نص قصير.") {
		t.Fatalf("export 7 = %d %q %s", code, out, errs)
	}
	if code, _, _ := runCLI(t, "", "export", "8", "--db", db, "--format", "txt"); code == 0 {
		t.Fatal("export of a missing article succeeded; the seeds were loaded twice?")
	}
}

func TestImportErrors(t *testing.T) {
	db := filepath.Join(t.TempDir(), "imp.db")
	good := writeFile(t, "good.txt", "عنوان\n\nنص.")
	for _, tc := range []struct {
		name, content, want string
	}{
		{"empty.txt", "  \n\n", "empty.txt: empty"},
		{"latin1.txt", "سطر\n\xe9t\xe9", "latin1.txt:2: not valid UTF-8"},
	} {
		bad := writeFile(t, tc.name, tc.content)
		code, out, errs := runCLI(t, "", "import", "--db", db, good, bad)
		if code == 0 || !strings.Contains(errs, tc.want) || !strings.Contains(errs, "nothing imported") {
			t.Errorf("import %s = %d, stderr %q; want an error containing %q", tc.name, code, errs, tc.want)
		}
		if out != "" {
			t.Errorf("import %s printed %q; want nothing imported", tc.name, out)
		}
	}
	if code, _, errs := runCLI(t, "", "import", "--db", db, filepath.Join(t.TempDir(), "missing.txt")); code == 0 || !strings.Contains(errs, "missing.txt") {
		t.Errorf("missing file: %d %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "import", "--db", db); code != 2 {
		t.Errorf("import with no file = %d, want usage error 2", code)
	}
	if code, _, _ := runCLI(t, "", "frobnicate"); code != 2 {
		t.Errorf("unknown command = %d, want 2", code)
	}
}

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestImportIsOneTransaction: when storing the second of several files fails, the first is
// not left behind either.
func TestImportIsOneTransaction(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "tx.db")
	first := writeFile(t, "first.txt", "العنوان الأول\n\nقال ريابكوف إن موسكو مستعدة للحوار.")
	second := writeFile(t, "second.txt", "العنوان الثاني\n\nوأضاف أن الضمانات ضرورية.")
	if code, _, errs := runCLI(t, "", "stats", "--db", db); code != 0 { // creates and seeds the database
		t.Fatalf("stats = %d %s", code, errs)
	}
	d := migrationstest.OpenFile(t, db)
	// A constraint that refuses the second file's article, after the first one is written.
	if _, err := d.W.Exec(`CREATE TRIGGER refuse_second BEFORE INSERT ON articles
		WHEN NEW.source_name LIKE '%second.txt' BEGIN SELECT RAISE(ABORT, 'refused by test trigger'); END`); err != nil {
		t.Fatal(err)
	}
	d.Close()

	code, out, errs := runCLI(t, "", "import", "--db", db, first, second)
	if code == 0 || !strings.Contains(errs, "nothing imported") || !strings.Contains(errs, "second.txt") || !strings.Contains(errs, "refused by test trigger") {
		t.Fatalf("import = %d, stderr %q; want a failure naming second.txt", code, errs)
	}
	if out != "" {
		t.Errorf("a failed import printed %q", out)
	}
	if code, _, _ := runCLI(t, "", "export", "6", "--db", db, "--format", "txt"); code == 0 {
		t.Fatal("first.txt was stored although the import failed")
	}

	d = migrationstest.OpenFile(t, db)
	if _, err := d.W.Exec(`DROP TRIGGER refuse_second`); err != nil {
		t.Fatal(err)
	}
	d.Close()
	code, out, errs = runCLI(t, "", "import", "--db", db, first, second)
	if code != 0 || !strings.Contains(out, "6\t"+first) || !strings.Contains(out, "7\t"+second) {
		t.Fatalf("import = %d %q %s; want articles 6 and 7", code, out, errs)
	}
}

// TestImportDecodesLikeTheGlossary: `tarjama import` reads a Windows-1256 or UTF-16 article as
// `glossary import` reads such a CSV, and says on stderr what it decoded.
func TestImportDecodesLikeTheGlossary(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "enc.db")
	const article = "موسكو تطالب بضمانات أمنية\r\n\r\nقال ريابكوف، نائب وزير الخارجية، إن موسكو مستعدة للحوار؟\r\n"
	w1256, err := charmap.Windows1256.NewEncoder().String(article)
	if err != nil {
		t.Fatal(err)
	}
	u16, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().String(article)
	if err != nil {
		t.Fatal(err)
	}
	for i, tc := range []struct{ file, content, enc string }{
		{"w1256.txt", w1256, "windows-1256"},
		{"notepad.txt", u16, "utf-16le with BOM"},
	} {
		path := writeFile(t, tc.file, tc.content)
		code, out, errs := runCLI(t, "", "import", "--db", db, "--allow-duplicate", path) // the same article in two encodings
		if code != 0 {
			t.Fatalf("import %s = %d: %s", tc.file, code, errs)
		}
		id := 6 + i // after the five seed articles
		if want := fmt.Sprintf("%d\t%s\t", id, path); !strings.HasPrefix(out, want) || !strings.Contains(out, "موسكو تطالب بضمانات أمنية") {
			t.Errorf("import %s printed %q; want the article and its Arabic title", tc.file, out)
		}
		if want := "decoded it as " + tc.enc; !strings.Contains(errs, want) {
			t.Errorf("import %s stderr %q lacks %q", tc.file, errs, want)
		}
		code, out, errs = runCLI(t, "", "export", fmt.Sprint(id), "--db", db, "--format", "txt")
		if code != 0 || !strings.Contains(out, "قال ريابكوف، نائب وزير الخارجية، إن موسكو مستعدة للحوار؟") {
			t.Errorf("export %d = %d %q %s; want the decoded Arabic", id, code, out, errs)
		}
	}
	bin := writeFile(t, "a.out", "\x7fELF\x02\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00")
	if code, _, errs := runCLI(t, "", "import", "--db", db, bin); code == 0 || !strings.Contains(errs, "not a text file") {
		t.Errorf("import of a binary = %d %q; want not a text file", code, errs)
	}
}

// buildTarjama builds the binary into a temporary directory.
func buildTarjama(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "tarjama")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestKilledRunReadsInterrupted: a `tarjama translate` killed with -9 mid-run leaves its run
// recorded as running; a `serve` started meanwhile leaves the live run alone (it reads as
// running through the API while its process renews its lease), and once the lease has
// lapsed the run reads as interrupted — without any restart.
func TestKilledRunReadsInterrupted(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	bin := buildTarjama(t)
	db := filepath.Join(t.TempDir(), "run.db")
	arrived, release := make(chan struct{}, 1), make(chan struct{})
	llm := backendtest.NewOpenAI(t, func(r *backendtest.Request) backendtest.Reply {
		select {
		case arrived <- struct{}{}:
		default:
		}
		<-release // the model never answers while the test runs
		return backendtest.Reply{Content: backendtest.Answer(backendtest.Good(r))}
	})
	t.Cleanup(func() { close(release) }) // before the fake server closes, which waits for it

	tr := exec.Command(bin, "translate", "1", "--db", db, "--backend", "openai", "--base-url", llm.BaseURL(), "--model", "fake-model", "--concurrency", "1")
	tr.Env = append(os.Environ(), "OPENAI_API_KEY=sk-test", "OPENAI_BASE_URL=", "TARJAMA_BACKEND=", "TARJAMA_DB=", "TARJAMA_MODEL=")
	var trErr bytes.Buffer
	tr.Stderr = &trErr
	exited := make(chan struct{})
	if err := tr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = tr.Process.Kill()
		<-exited
	})
	go func() {
		_ = tr.Wait()
		close(exited)
	}()
	select {
	case <-arrived: // the run is recorded and waits on the model
	case <-exited:
		t.Fatalf("translate ended before asking the model:\n%s", trErr.String())
	case <-time.After(60 * time.Second):
		t.Fatalf("translate never asked the model:\n%s", trErr.String())
	}

	p := startServe(t, bin, db)
	defer p.stop()
	runs := func() []translate.Report {
		t.Helper()
		code, body := p.call("GET", "/api/articles/1/runs", "")
		var got struct{ Runs []translate.Report }
		if err := json.Unmarshal(body, &got); err != nil || code != 200 {
			t.Fatalf("GET /api/articles/1/runs = %d %s", code, body)
		}
		return got.Runs
	}
	if got := runs(); len(got) != 1 || got[0].Status != translate.RunRunning {
		t.Fatalf("the live CLI run after serve started: %+v; want it running", got)
	}

	if err := tr.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	<-exited
	if got := runs(); len(got) != 1 || got[0].Status != translate.RunRunning {
		t.Fatalf("right after the kill, within its lease: %+v; want it still running", got)
	}
	// Once the lease has lapsed, with no restart, the run reads as interrupted.
	files := migrationstest.OpenFile(t, db)
	later := store.New(files.W, files.R, func() time.Time { return time.Now().Add(store.RunLease + time.Second) }, nil)
	got, err := later.Runs(t.Context(), 1)
	if err != nil || len(got) != 1 || got[0].Status != translate.RunInterrupted || !strings.Contains(got[0].Error, "the process running it stopped") {
		t.Fatalf("after the lease: %+v, %v; want the run interrupted", got, err)
	}
}
