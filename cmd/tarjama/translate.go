package main

import (
	"context"
	"errors"
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
	"github.com/tarjama/tarjama/translate/pipeline"
)

// newTranslator opens the machine translation serve and translate share: the settings saved
// on the Settings page, with what was given at start winning field by field.
func newTranslator(ctx context.Context, a *app, e *env) (*backends.Service, error) {
	start, err := e.cfg.start()
	if err != nil {
		return nil, err
	}
	stores := pipeline.Stores{Articles: a.articles, Memory: a.memory, Cache: pipeline.NewCache(a.db.W, a.db.R, a.now), Glossary: a.glossary}
	svc, err := backends.OpenService(ctx, stores, start, backends.NewSettingsStore(a.db.W, a.db.R, a.now), e.log)
	if err != nil {
		return nil, err
	}
	if st := svc.Settings(); st.KeyNote != nil {
		e.log.Warn(fmt.Sprintf("%s. Give the server's URL at start too (%s or --base-url), or type the key on the Settings page",
			st.KeyNote, urlVariables[st.Backend]))
	}
	return svc, nil
}

// urlVariables names the variable that gives each backend's server URL.
var urlVariables = map[string]string{backends.OpenAI: backends.EnvOpenAIBaseURL, backends.LibreTranslate: backends.EnvLibreTranslateURL}

func cmdTranslate(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "translate")
	addBackendFlags(fs, &e.cfg)
	all := fs.Bool("all", false, "translate every article")
	re := fs.Bool("retranslate", false, "also redo segments that already have machine text (reviewed ones never)")
	noCache := fs.Bool("no-cache", false, "ask the backend even for text it translated before")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *all == (len(pos) > 0) {
		return usageErrf("translate: name ARTICLE_IDs or --all (not both)")
	}
	var ids []int64
	for _, p := range pos {
		id, err := strconv.ParseInt(p, 10, 64)
		if err != nil || id <= 0 {
			return usageErrf("translate: %q is not an article id", p)
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
	svc, err := newTranslator(ctx, a, e)
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
		rep, err := svc.Run(ctx, id, pipeline.RunOptions{Retranslate: *re, NoCache: *noCache, Progress: bar.update, User: cliUser(e.cfg.user)})
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
// the user the environment names (config.user), else "cli".
func cliUser(fromEnv string) string {
	if u, err := user.Current(); err == nil && strings.TrimSpace(u.Username) != "" {
		return strings.TrimSpace(u.Username)
	}
	if fromEnv != "" {
		return fromEnv
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
