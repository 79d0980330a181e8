package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/user"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/openai"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// backendFlags are the machine-translation flags serve and translate share.
type backendFlags struct {
	backend, model, baseURL string
	apiKey, apiVersion      string
	batchSize, concurrency  int
	timeout                 time.Duration
	getenv                  func(string) string
}

func addBackendFlags(fs *flag.FlagSet, e *env) *backendFlags {
	b := &backendFlags{getenv: e.getenv}
	fs.StringVar(&b.backend, "backend", "", "translation backend: "+strings.Join(backends.Names(), ", ")+" (default: $TARJAMA_BACKEND, else openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline)")
	fs.StringVar(&b.model, "model", "", "model name (default $TARJAMA_MODEL)")
	fs.StringVar(&b.baseURL, "base-url", "", "server URL of an OpenAI-compatible or LibreTranslate server (default $OPENAI_BASE_URL / $LIBRETRANSLATE_URL)")
	fs.StringVar(&b.apiKey, "api-key", "", "API key of the server (default $OPENAI_API_KEY / $LIBRETRANSLATE_API_KEY; prefer those: flags show in ps and the shell history)")
	fs.StringVar(&b.apiVersion, "api-version", "", "Azure OpenAI API version (default $OPENAI_API_VERSION, else "+openai.DefaultAzureAPIVersion+")")
	fs.IntVar(&b.batchSize, "batch-size", 0, "segments per request (default 10)")
	fs.IntVar(&b.concurrency, "concurrency", 0, "requests in flight at once (default 4; 1 for a local server)")
	fs.DurationVar(&b.timeout, "timeout", 0, "timeout of one request (default 2m; 5m for a local server)")
	return b
}

// Environment defaults for the run limits; flags win over them.
const (
	envBatchSize   = "TARJAMA_BATCH_SIZE"
	envConcurrency = "TARJAMA_CONCURRENCY"
	envTimeout     = "TARJAMA_TIMEOUT"
)

// start is what the flags and the environment give, with the flag or variable behind each
// field; backends.Resolve puts it over the saved settings.
func (b *backendFlags) start() (backends.Start, error) {
	st := backends.Start{Config: backends.Config{Backend: b.backend, Model: b.model, BaseURL: b.baseURL, APIKey: b.apiKey,
		APIVersion: b.apiVersion, Limits: pipeline.Limits{BatchSize: b.batchSize, Concurrency: b.concurrency, Timeout: b.timeout}},
		Pins: map[string]string{}, Getenv: b.getenv}
	for field, f := range map[string]struct {
		flag  string
		given bool
	}{
		backends.FieldBackend: {"--backend", b.backend != ""}, backends.FieldModel: {"--model", b.model != ""},
		backends.FieldBaseURL: {"--base-url", b.baseURL != ""}, backends.FieldAPIKey: {"--api-key", b.apiKey != ""},
		backends.FieldBatchSize: {"--batch-size", b.batchSize != 0}, backends.FieldConcurrency: {"--concurrency", b.concurrency != 0},
		backends.FieldTimeout: {"--timeout", b.timeout != 0},
	} {
		if f.given {
			st.Pins[field] = f.flag
		}
	}
	var err error
	if st.BatchSize == 0 {
		if st.BatchSize, err = envInt(b.getenv, envBatchSize); err != nil {
			return backends.Start{}, err
		} else if st.BatchSize != 0 {
			st.Pins[backends.FieldBatchSize] = envBatchSize
		}
	}
	if st.Concurrency == 0 {
		if st.Concurrency, err = envInt(b.getenv, envConcurrency); err != nil {
			return backends.Start{}, err
		} else if st.Concurrency != 0 {
			st.Pins[backends.FieldConcurrency] = envConcurrency
		}
	}
	if v := b.getenv(envTimeout); st.Timeout == 0 && v != "" {
		if st.Timeout, err = time.ParseDuration(v); err != nil || st.Timeout <= 0 {
			return backends.Start{}, usageError{fmt.Sprintf("%s: %q is not a duration such as 90s or 2m", envTimeout, v)}
		}
		st.Pins[backends.FieldTimeout] = envTimeout
	}
	return st, nil
}

func envInt(getenv func(string) string, name string) (int, error) {
	v := getenv(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, usageError{fmt.Sprintf("%s: %q is not a whole number", name, v)}
	}
	return n, nil
}

// newTranslator opens the machine translation serve and translate share: the settings saved
// on the Settings page, with what was given at start winning field by field.
func newTranslator(ctx context.Context, a *app, b *backendFlags, e *env) (*backends.Service, error) {
	start, err := b.start()
	if err != nil {
		return nil, err
	}
	stores := pipeline.Stores{Articles: a.articles, Memory: a.memory, Cache: pipeline.NewCache(a.db.W, a.db.R, a.now), Glossary: a.glossary}
	return backends.OpenService(ctx, stores, start, backends.NewSettingsStore(a.db.W, a.db.R, a.now), e.log)
}

func cmdTranslate(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "translate")
	mt := addBackendFlags(fs, e)
	all := fs.Bool("all", false, "translate every article")
	re := fs.Bool("retranslate", false, "also redo segments that already have machine text (reviewed ones never)")
	noCache := fs.Bool("no-cache", false, "ask the backend even for text it translated before")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *all == (len(pos) > 0) {
		return usageError{"translate: name ARTICLE_IDs or --all (not both)"}
	}
	var ids []int64
	for _, p := range pos {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return usageError{fmt.Sprintf("translate: %q is not an article id", p)}
		}
		ids = append(ids, id)
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	if *all {
		list, err := a.articles.Articles(ctx)
		if err != nil {
			return err
		}
		for _, art := range list {
			ids = append(ids, art.ID)
		}
	}
	for _, id := range ids {
		if _, err := a.articles.Article(ctx, id); err != nil {
			return err
		}
	}
	svc, err := newTranslator(ctx, a, mt, e)
	if err != nil {
		return err
	}
	defer svc.Close()
	fmt.Fprintf(e.stderr, "translating with %s\n", describeSettings(svc))
	if err := svc.Check(ctx); err != nil {
		return fmt.Errorf("backend %s: %w", svc.Describe(), err)
	}
	var failed, flagged int
	for _, id := range ids {
		bar := newProgressBar(e.stderr, fmt.Sprintf("article %d", id))
		rep, err := svc.Run(ctx, id, pipeline.RunOptions{Retranslate: *re, NoCache: *noCache, Progress: bar.update, User: cliUser(e.getenv)})
		bar.finish()
		fmt.Fprintf(e.stdout, "article %d: %s\n", id, rep.String())
		failed += rep.Failed
		flagged += rep.Flagged
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted; everything translated so far is saved")
		}
		if err != nil {
			return fmt.Errorf("article %d: %w", id, err)
		}
	}
	if failed > 0 {
		return fmt.Errorf("%s failed (see the article pages for the reasons); %d flagged for glossary problems", translate.Plural(failed, "segment"), flagged)
	}
	return nil
}

// describeSettings says which backend, model and server a run uses and where they came
// from, e.g. "openai llama3.1 at http://127.0.0.1:11434/v1 (model from --model; settings saved by mona on 2025-06-01 10:00)".
func describeSettings(svc *backends.Service) string {
	st := svc.Settings()
	var b strings.Builder
	b.WriteString(svc.Describe())
	if st.BaseURL != "" {
		b.WriteString(" at " + st.BaseURL)
	}
	var from []string
	for _, f := range []string{backends.FieldBackend, backends.FieldModel, backends.FieldBaseURL} {
		if p := st.Pins[f]; p != "" {
			from = append(from, strings.ReplaceAll(f, "_", " ")+" from "+p)
		}
	}
	if st.SavedBy != "" {
		from = append(from, "settings saved by "+st.SavedBy+" on "+st.SavedAt.Local().Format("2006-01-02 15:04"))
	}
	if len(from) > 0 {
		b.WriteString(" (" + strings.Join(from, "; ") + ")")
	}
	return b.String()
}

// cliUser names who runs the CLI, for the run record and the revisions: the OS user, else
// "cli".
func cliUser(getenv func(string) string) string {
	if u, err := user.Current(); err == nil && strings.TrimSpace(u.Username) != "" {
		return strings.TrimSpace(u.Username)
	}
	for _, k := range []string{"USER", "USERNAME"} {
		if v := strings.TrimSpace(getenv(k)); v != "" {
			return v
		}
	}
	return "cli"
}

// progressBar draws a one-line bar on a terminal, and a line per finished batch elsewhere
// (logs, CI), so long runs always show where they are.
type progressBar struct {
	mu       sync.Mutex
	w        io.Writer
	label    string
	tty      bool
	lastLine time.Time
	drawn    bool
}

func newProgressBar(w io.Writer, label string) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			tty = true
		}
	}
	return &progressBar{w: w, label: label, tty: tty}
}

func (p *progressBar) update(ev pipeline.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case ev.Kind == pipeline.EventRetry:
		p.clear()
		fmt.Fprintf(p.w, "%s: retrying in %s: %s\n", p.label, ev.Wait.Round(time.Millisecond), ev.Reason)
	case p.tty:
		const width = 30
		fill := 0
		if ev.Total > 0 {
			fill = ev.Done * width / ev.Total
		}
		fmt.Fprintf(p.w, "\r%s [%s%s] %d/%d segments, %d failed, %d flagged ", p.label,
			strings.Repeat("#", fill), strings.Repeat(".", width-fill), ev.Done, ev.Total, ev.Failed, ev.Flagged)
		p.drawn = true
	case ev.Kind == pipeline.EventBatch && time.Since(p.lastLine) > time.Second:
		fmt.Fprintf(p.w, "%s: %d/%d segments, batch %d/%d\n", p.label, ev.Done, ev.Total, ev.BatchesDone, ev.Batches)
		p.lastLine = time.Now()
	}
}

func (p *progressBar) clear() {
	if p.drawn {
		fmt.Fprint(p.w, "\r\033[K")
		p.drawn = false
	}
}

func (p *progressBar) finish() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.drawn {
		fmt.Fprintln(p.w)
		p.drawn = false
	}
}
