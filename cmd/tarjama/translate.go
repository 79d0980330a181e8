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

func (b *backendFlags) config() (backends.Config, error) {
	lim := translate.Limits{BatchSize: b.batchSize, Concurrency: b.concurrency, Timeout: b.timeout}
	var err error
	if lim.BatchSize == 0 {
		if lim.BatchSize, err = envInt(b.getenv, envBatchSize); err != nil {
			return backends.Config{}, err
		}
	}
	if lim.Concurrency == 0 {
		if lim.Concurrency, err = envInt(b.getenv, envConcurrency); err != nil {
			return backends.Config{}, err
		}
	}
	if v := b.getenv(envTimeout); lim.Timeout == 0 && v != "" {
		if lim.Timeout, err = time.ParseDuration(v); err != nil || lim.Timeout <= 0 {
			return backends.Config{}, usageError{fmt.Sprintf("%s: %q is not a duration such as 90s or 2m", envTimeout, v)}
		}
	}
	return backends.FromEnv(backends.Config{Backend: b.backend, Model: b.model, BaseURL: b.baseURL,
		APIKey: b.apiKey, APIVersion: b.apiVersion, Limits: lim}, b.getenv), nil
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

func newTranslator(a *app, b *backendFlags, e *env) (*backends.Service, error) {
	cfg, err := b.config()
	if err != nil {
		return nil, err
	}
	return backends.NewService(a.articles, a.glossary, cfg, e.log)
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
	svc, err := newTranslator(a, mt, e)
	if err != nil {
		return err
	}
	defer svc.Close()
	if err := svc.Check(ctx); err != nil {
		return fmt.Errorf("backend %s: %w", svc.Describe(), err)
	}
	var failed, flagged int
	for _, id := range ids {
		bar := newProgressBar(e.stderr, fmt.Sprintf("article %d", id))
		rep, err := svc.Run(ctx, id, translate.RunOptions{Retranslate: *re, NoCache: *noCache, Progress: bar.update, User: cliUser(e.getenv)})
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
		return fmt.Errorf("%d segments failed (see the article pages for the reasons); %d flagged for glossary problems", failed, flagged)
	}
	return nil
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

func (p *progressBar) update(ev translate.Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case ev.Kind == translate.EventRetry:
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
	case ev.Kind == translate.EventBatch && time.Since(p.lastLine) > time.Second:
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
