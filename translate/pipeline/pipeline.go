// Package pipeline machine-translates articles: a run fills segments from the translation
// memory, then from the cache of earlier answers, and sends the rest to a backend in batches
// with retries, limits and the output checks; Jobs runs it in the background for the pages to
// follow and cancel.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// Limits are the knobs of a run. Zero fields take the backend's suggestion (Capabilities),
// then the defaults below.
type Limits struct {
	BatchSize   int           // segments per request; default 10, never above the backend's MaxBatch
	Concurrency int           // requests in flight at once; default the backend's suggestion, else 4
	Timeout     time.Duration // for one request; default the backend's suggestion, else 2 minutes
	Retries     int           // further attempts after a temporary failure (429, 5xx, timeout); default 3, negative for none
	Backoff     time.Duration // wait before the first retry; doubles each time, with jitter; default 1 s
	MaxWait     time.Duration // the longest single wait, a server's Retry-After included; default 60 s
}

// Defaults for Limits.
const (
	DefaultBatchSize   = 10
	DefaultConcurrency = 4
	DefaultTimeout     = 2 * time.Minute
	DefaultRetries     = 3
	DefaultBackoff     = time.Second
	DefaultMaxWait     = time.Minute
)

// contextSegments is how many neighbouring segments go with a batch on each side.
const contextSegments = 2

// maxFailedInRow is how many batches may fail in a row, for reasons of the backend rather than
// of its answers, before the run gives up on the rest.
const maxFailedInRow = 3

// structuralAttempts is how often one batch is sent before an unusable answer makes the
// pipeline split it.
const structuralAttempts = 2

func (l Limits) resolve(c translate.Capabilities) Limits {
	if l.BatchSize <= 0 {
		l.BatchSize = DefaultBatchSize
		if c.MaxBatch > 0 && c.MaxBatch < l.BatchSize {
			l.BatchSize = c.MaxBatch
		}
	}
	if l.Concurrency <= 0 {
		l.Concurrency = c.Concurrency
		if l.Concurrency <= 0 {
			l.Concurrency = DefaultConcurrency
		}
	}
	if l.Timeout <= 0 {
		l.Timeout = c.Timeout
		if l.Timeout <= 0 {
			l.Timeout = DefaultTimeout
		}
	}
	switch {
	case l.Retries == 0:
		l.Retries = DefaultRetries
	case l.Retries < 0:
		l.Retries = 0
	}
	if l.Backoff <= 0 {
		l.Backoff = DefaultBackoff
	}
	if l.MaxWait <= 0 {
		l.MaxWait = DefaultMaxWait
	}
	return l
}

// Stores are what a run reads and writes besides the backend: the articles with their
// segments and runs, the translation memory whose exact matches fill segments first, the
// answer cache, and the glossary whose terms go into the prompts and checks.
type Stores struct {
	Articles *store.Store
	Memory   *memory.Memory
	Cache    *Cache
	Glossary translate.MatcherSource // nil: no glossary terms in prompts or checks
}

// Pipeline machine-translates articles. A run fills exact translation-memory matches first,
// then cached answers, and sends the rest to the backend in batches, each with its
// neighbouring segments as context and only the glossary terms found in it. Every answer is
// checked (alignment, English, glossary); each finished batch is committed at once, so a crash
// or a cancellation keeps everything already done. Segments a reviewer edited, approved or
// excluded are never touched. A Pipeline may run several articles at once.
type Pipeline struct {
	Stores
	Backend translate.Backend
	Limits  Limits
	// Progress receives every event of every run, one call at a time; it should return quickly
	// (hand the event to a channel) because the run waits for it. Nil drops events.
	Progress func(Event)
	Logger   *slog.Logger // nil: slog.Default()
	// RenewEvery is how often a run renews its lease on its record (store.RunLease), so
	// that it reads as running while this process works on it and as interrupted soon after
	// the process dies; 0 means store.RunLease/6.
	RenewEvery time.Duration
}

// RunOptions choose what a run translates.
type RunOptions struct {
	// Retranslate also redoes segments that already have machine or memory text. Reviewed
	// segments are never redone, and the offline backend never replaces machine text.
	Retranslate bool
	// NoCache asks the backend even when the cache has an answer (the answer refreshes it).
	NoCache bool
	// Segments limits the run to these segment ids; empty means the whole article.
	Segments []int64
	// Progress, when set, receives this run's events in addition to Pipeline.Progress.
	Progress func(Event)
	// User is who started the run (a reviewer, or the OS user of the CLI); the run record and
	// every revision the run writes carry it.
	User string
}

// EventKind says what an Event reports.
type EventKind string

// The events of a run, in the order they come.
const (
	EventStart   EventKind = "start"   // the run began; Total is known
	EventSegment EventKind = "segment" // a segment got its result; Segment is the row as stored now
	EventRetry   EventKind = "retry"   // a request failed and is tried again after Wait; Reason says why
	EventBatch   EventKind = "batch"   // a batch finished (BatchesDone of Batches)
	EventDone    EventKind = "done"    // the run ended; Report is the final report
)

// Event is one step of a run, for a progress bar (CLI) or live updates (server-sent events).
type Event struct {
	Kind        EventKind          `json:"kind"`
	RunID       int64              `json:"run_id"`
	ArticleID   int64              `json:"article_id"`
	Segment     *translate.Segment `json:"segment,omitempty"`
	Reason      string             `json:"reason,omitempty"`  // why a segment failed or was flagged, why a request is retried
	Wait        time.Duration      `json:"wait_ns,omitempty"` // EventRetry: how long until the retry
	Done        int                `json:"done"`              // pending segments finished so far
	Total       int                `json:"total"`             // pending segments in the run
	Failed      int                `json:"failed"`
	Flagged     int                `json:"flagged"`
	BatchesDone int                `json:"batches_done"`
	Batches     int                `json:"batches"`
	Report      *translate.Report  `json:"report,omitempty"` // EventDone
}

// work is one pending segment on its way through a run.
type work struct {
	seg    translate.Segment
	hits   []translate.TermHit // the glossary terms for the prompt
	terms  []qa.Term           // the same terms as the quality checks see them
	key    string              // cache key
	reason string              // why the last answer for it was unusable
}

// flags are the review flags of an answer: the glossary findings of the quality checks, the
// same check the review store runs on a reviewer's text.
func (r *run) flags(w *work, answer string) []string {
	return store.GlossaryFlags(r.checker.Check(w.seg.Source, answer, w.terms))
}

func (w *work) cacheTerms() []cacheTerm {
	var out []cacheTerm
	for _, t := range translate.DistinctTerms(w.hits) {
		out = append(out, newCacheTerm(t))
	}
	return out
}

// origin says where a committed result came from, for the report.
type origin int

const (
	fromBackend origin = iota
	fromTM
	fromCache
)

// outcome is how a batch ended.
type outcome int

const (
	answered      outcome = iota // the backend answered (some segments may still have failed)
	backendFailed                // the backend did not answer usefully even after retries
	stopped                      // the run was cancelled or aborted meanwhile
)

// run is the state of one Pipeline.Run.
type run struct {
	p       *Pipeline
	b       translate.Backend
	caps    translate.Capabilities
	lim     Limits
	log     *slog.Logger
	article []translate.Segment
	pos     map[int64]int
	extra   func(Event)
	abort   context.CancelCauseFunc
	checker *qa.Checker // the quality checks the answers go through (the store's)

	saveMu sync.Mutex // orders the stored snapshots of the counts (saveProgress)

	mu          sync.Mutex // guards everything below and serializes progress calls
	rep         translate.Report
	done        int
	batches     int
	batchesDone int
	failedInRow int
	answered    int    // segments the backend translated, from fresh answers
	skipped     int    // segments a reviewer took over while the run was going
	lastFailure string // the reason the last segment failed
}

// Run machine-translates one article and returns what it did. It returns an error when the
// run could not finish: the article does not exist, the glossary or the database failed, the
// backend is unreachable or kept failing (errors.Is(err, ErrBackendUnavailable)), or ctx was
// cancelled (errors.Is(err, context.Canceled)). In every case the segments finished before
// the error are stored, and the report counts them. Segments that failed while the run went
// on are marked failed with the reason and counted in Report.Failed without making Run fail,
// unless not a single segment could be translated.
func (p *Pipeline) Run(ctx context.Context, articleID int64, opt RunOptions) (translate.Report, error) {
	if p.Articles == nil || p.Memory == nil || p.Cache == nil || p.Backend == nil {
		return translate.Report{}, translate.ErrInvalid.Errorf("translation pipeline needs a store, a memory, a cache and a backend")
	}
	if _, err := p.Articles.Article(ctx, articleID); err != nil {
		return translate.Report{}, err
	}
	segs, err := p.Articles.Segments(ctx, articleID)
	if err != nil {
		return translate.Report{}, err
	}
	checker, err := p.Articles.Checker(ctx)
	if err != nil {
		return translate.Report{}, err
	}
	r := &run{p: p, b: p.Backend, caps: p.Backend.Capabilities(), article: segs, pos: make(map[int64]int, len(segs)), extra: opt.Progress,
		checker: checker}
	r.lim = p.Limits.resolve(r.caps)
	r.log = p.Logger
	if r.log == nil {
		r.log = slog.Default()
	}
	for i, s := range segs {
		r.pos[s.ID] = i
	}
	r.rep = translate.Report{ArticleID: articleID, Backend: r.b.Name(), Model: r.b.Model(), Status: translate.RunRunning,
		StartedBy: strings.TrimSpace(opt.User), Draft: r.caps.Draft, Segments: len(segs)}
	if err := p.Articles.StartRun(ctx, &r.rep); err != nil {
		return r.rep, err
	}
	r.log = r.log.With("run", r.rep.RunID, "article", articleID, "backend", r.rep.Backend)
	releaseLease := r.holdLease(r.rep.RunID)
	pending := r.selectPending(opt)
	r.rep.Pending = len(pending)
	r.log.Info("translation run started", "model", r.rep.Model, "by", r.rep.StartedBy, "pending", len(pending), "skipped", r.rep.Skipped,
		"batch_size", r.lim.BatchSize, "concurrency", r.lim.Concurrency)
	r.mu.Lock()
	r.emit(Event{Kind: EventStart})
	r.mu.Unlock()

	runCtx, abort := context.WithCancelCause(ctx)
	r.abort = abort
	err = r.execute(runCtx, pending, opt)
	abort(nil)
	releaseLease()
	if err == nil {
		err = context.Cause(runCtx)
		if errors.Is(err, context.Canceled) && ctx.Err() == nil {
			err = nil // abort(nil) above: the run simply finished
		}
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	rep := &r.rep
	rep.Untouched = rep.Pending - rep.Translated - rep.Failed - r.skipped
	if rep.Untouched < 0 {
		rep.Untouched = 0
	}
	switch {
	case ctx.Err() != nil:
		rep.Status = translate.RunCancelled
		err = fmt.Errorf("translation of article %d cancelled after %d of %d segments: %w", articleID, r.done, rep.Pending, ctx.Err())
	case err != nil:
		rep.Status = translate.RunFailed
	case rep.Failed > 0 && r.answered == 0 && rep.Translated == 0:
		rep.Status = translate.RunFailed
		err = fmt.Errorf("%w: %s failed on every segment it was given (%d failed); last error: %s", translate.ErrBackendUnavailable, rep.Backend, rep.Failed, r.lastFailure)
	default:
		rep.Status = translate.RunDone
	}
	if err != nil {
		rep.Error = err.Error()
	}
	if ferr := p.Articles.FinishRun(context.WithoutCancel(ctx), rep); ferr != nil && err == nil {
		err = ferr
	}
	final := *rep
	r.emit(Event{Kind: EventDone, Report: &final})
	r.log.Info("translation run finished", "status", rep.Status, "translated", rep.Translated, "failed", rep.Failed,
		"flagged", rep.Flagged, "requests", rep.Requests, "prompt_tokens", rep.Usage.PromptTokens,
		"completion_tokens", rep.Usage.CompletionTokens, "took", rep.Duration.Round(time.Millisecond), "err", err)
	return final, err
}

// holdLease renews the lease of the run's record every RenewEvery until the returned release
// is called, when the run is about to record its end: the record reads as running for as
// long as this process works on it, and as interrupted once the process has died.
func (r *run) holdLease(runID int64) (release func()) {
	every := r.p.RenewEvery
	if every <= 0 {
		every = store.RunLease / 6
	}
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
				if err := r.p.Articles.RenewRun(ctx, runID); err != nil && ctx.Err() == nil {
					r.log.Warn("renew the run's lease", "err", err)
				}
			}
		}
	})
	return func() {
		cancel()
		wg.Wait()
	}
}

// selectPending picks the segments to fill and counts the ones left alone.
func (r *run) selectPending(opt RunOptions) []*work {
	only := make(map[int64]bool, len(opt.Segments))
	for _, id := range opt.Segments {
		only[id] = true
	}
	var out []*work
	for _, s := range r.article {
		if len(only) > 0 && !only[s.ID] {
			continue
		}
		switch {
		case s.Status.Reviewed():
		case s.Status == translate.StatusUntranslated, s.Status == translate.StatusFailed, s.Status == translate.StatusDraft:
			out = append(out, &work{seg: s})
			continue
		case (s.Status == translate.StatusMachine || s.Status == translate.StatusTM) && opt.Retranslate && !r.caps.Draft:
			out = append(out, &work{seg: s})
			continue
		}
		r.rep.Skipped++
	}
	return out
}

// execute fills the pending segments: memory, glossary, cache, then the backend.
func (r *run) execute(ctx context.Context, pending []*work, opt RunOptions) error {
	if len(pending) == 0 {
		return nil
	}
	sources := make([]string, len(pending))
	for i, w := range pending {
		sources[i] = w.seg.Source
	}
	tm, err := r.p.Memory.Exact(ctx, sources)
	if err != nil {
		return err
	}
	var rest, hits []*work
	var outs []store.MachineOutput
	for _, w := range pending {
		if t, ok := tm[w.seg.Source]; ok {
			hits = append(hits, w)
			outs = append(outs, store.MachineOutput{SegmentID: w.seg.ID, Target: t, Status: translate.StatusTM, Origin: translate.OriginTM, Backend: "tm"})
			continue
		}
		rest = append(rest, w)
	}
	if err := r.commit(ctx, hits, outs, fromTM); err != nil {
		return err
	}
	pending = rest

	if r.p.Glossary != nil && len(pending) > 0 {
		m, err := r.p.Glossary.Matcher(ctx)
		if err != nil {
			return fmt.Errorf("glossary: %w", err)
		}
		for _, w := range pending {
			w.hits = translate.MatchTerms(m, w.seg.Source)
			w.terms = qa.Terms(m, w.seg.Source)
		}
	}

	if !r.caps.Draft {
		endpoint := endpointOf(r.b)
		for _, w := range pending {
			w.key = cacheKey(r.rep.Backend, endpoint, r.rep.Model, w.seg.Source, w.cacheTerms())
		}
		if !opt.NoCache && len(pending) > 0 {
			if pending, err = r.fromCache(ctx, pending); err != nil {
				return err
			}
		}
	}

	var batches [][]*work
	size := r.lim.BatchSize
	if r.caps.Draft {
		size = max(len(pending), 1) // drafting is local and instant: one batch
	}
	for len(pending) > 0 {
		n := min(size, len(pending))
		batches = append(batches, pending[:n])
		pending = pending[n:]
	}
	r.mu.Lock()
	r.batches = len(batches)
	r.mu.Unlock()

	jobs := make(chan []*work)
	var wg sync.WaitGroup
	for range min(r.lim.Concurrency, len(batches)) {
		wg.Go(func() {
			for ws := range jobs {
				r.runBatch(ctx, ws)
			}
		})
	}
feed:
	for _, ws := range batches {
		select {
		case jobs <- ws:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return nil
}

// fromCache commits the pending segments the cache can answer and returns the others. A cached
// answer is checked again against the glossary terms found in the segment now: one that breaks
// them (cached before a term was added, or by an older version that cached flagged answers)
// goes to the backend instead, so a forbidden rendering is never copied from the cache.
func (r *run) fromCache(ctx context.Context, pending []*work) ([]*work, error) {
	keys := make([]string, len(pending))
	for i, w := range pending {
		keys[i] = w.key
	}
	cached, err := r.p.Cache.get(ctx, keys)
	if err != nil {
		return nil, err
	}
	var rest, hits []*work
	var outs []store.MachineOutput
	for _, w := range pending {
		t, ok := cached[w.key]
		if !ok || translate.CheckText(w.seg.Source, t) != "" || len(r.flags(w, t)) > 0 {
			rest = append(rest, w)
			continue
		}
		hits = append(hits, w)
		outs = append(outs, store.MachineOutput{SegmentID: w.seg.ID, Target: t, Status: translate.StatusMachine, Origin: translate.OriginMachine,
			Backend: r.rep.Backend, Model: r.rep.Model})
	}
	return rest, r.commit(ctx, hits, outs, fromCache)
}

// runBatch translates one top-level batch and keeps count of batches the backend failed, to
// give up when it keeps failing.
func (r *run) runBatch(ctx context.Context, ws []*work) {
	if ctx.Err() != nil {
		return
	}
	o, lastErr := r.translate(ctx, ws)
	r.saveProgress(ctx)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.batchesDone++
	switch o {
	case answered:
		r.failedInRow = 0
	case backendFailed:
		r.failedInRow++
		if r.failedInRow >= maxFailedInRow {
			r.abort(fmt.Errorf("%w: %d batches in a row failed, giving up on the rest; last error: %v", translate.ErrBackendUnavailable, r.failedInRow, lastErr))
		}
	}
	r.emit(Event{Kind: EventBatch})
}

// saveProgress stores the run's counts and token usage so far, after each finished batch:
// a crash then loses neither the segments nor the record of what they cost.
func (r *run) saveProgress(ctx context.Context) {
	r.saveMu.Lock()
	defer r.saveMu.Unlock()
	r.mu.Lock()
	snap := r.rep
	r.mu.Unlock()
	if err := r.p.Articles.ProgressRun(context.WithoutCancel(ctx), snap); err != nil {
		r.log.Warn("could not record the run's progress", "err", err) // the translations themselves are stored
	}
}

// translate sends ws to the backend and stores the result. An unusable answer is asked for
// again once, then the batch is split in halves, down to single segments; a single segment
// that still gets no usable answer is marked failed with the reason. Segments with a usable
// answer are committed as soon as it arrives.
func (r *run) translate(ctx context.Context, ws []*work) (outcome, error) {
	todo := ws
	split := false
	var lastErr error
	for attempt := 0; attempt < structuralAttempts && len(todo) > 0 && !split; attempt++ {
		b := r.batch(todo)
		res, err := r.call(ctx, b)
		if ctx.Err() != nil {
			return stopped, ctx.Err()
		}
		if err == nil {
			var outs []store.MachineOutput
			var good, bad []*work
			outs, good, bad, err = r.evaluate(todo, res)
			if err == nil {
				if cerr := r.commit(ctx, good, outs, fromBackend); cerr != nil {
					r.abort(cerr)
					return stopped, cerr
				}
				todo = bad
				continue
			}
		}
		lastErr = err
		var be *translate.BackendError
		switch {
		case errors.As(err, &be) && be.TooLarge:
			split = true
		case errors.Is(err, translate.ErrBadOutput):
		default:
			if be != nil && be.Fatal {
				r.abort(err)
			}
			r.fail(ctx, todo, err.Error())
			return backendFailed, err
		}
		for _, w := range todo {
			w.reason = err.Error()
		}
	}
	if len(todo) == 0 {
		return answered, nil
	}
	if len(todo) == 1 {
		r.fail(ctx, todo, todo[0].reason)
		return answered, lastErr
	}
	half := len(todo) / 2
	o1, err1 := r.translate(ctx, todo[:half])
	if o1 == stopped {
		return o1, err1
	}
	o2, err2 := r.translate(ctx, todo[half:])
	if o2 != answered {
		return o2, err2
	}
	return o1, err1
}

// batch builds the request for ws: the segments, up to two neighbours on each side as
// context, and the glossary terms found in these segments, each once.
func (r *run) batch(ws []*work) translate.Batch {
	var b translate.Batch
	index := map[int64]int{}
	for _, w := range ws {
		it := translate.Item{ID: w.seg.ID, Source: w.seg.Source}
		for _, h := range w.hits {
			i, ok := index[h.Term.ID]
			if !ok {
				i = len(b.Terms)
				index[h.Term.ID] = i
				b.Terms = append(b.Terms, translate.HintFor(h.Term))
			}
			it.Hits = append(it.Hits, translate.Hit{Term: i, Text: h.Text})
		}
		b.Items = append(b.Items, it)
	}
	first, last := r.pos[ws[0].seg.ID], r.pos[ws[len(ws)-1].seg.ID]
	for i := max(0, first-contextSegments); i < first; i++ {
		b.Before = append(b.Before, r.article[i].Source)
	}
	for i := last + 1; i < min(len(r.article), last+1+contextSegments); i++ {
		b.After = append(b.After, r.article[i].Source)
	}
	return b
}

// call sends one batch, trying again after temporary failures with exponential backoff and
// jitter, or after the server's Retry-After, each wait capped at MaxWait. Each attempt has
// its own timeout.
func (r *run) call(ctx context.Context, b translate.Batch) (translate.BatchResult, error) {
	for attempt := 0; ; attempt++ {
		if err := ctx.Err(); err != nil {
			return translate.BatchResult{}, err
		}
		rctx, cancel := context.WithTimeout(ctx, r.lim.Timeout)
		res, err := r.b.Translate(rctx, b)
		timedOut := errors.Is(rctx.Err(), context.DeadlineExceeded) && ctx.Err() == nil
		cancel()
		r.mu.Lock()
		r.rep.Requests += res.Requests // the backend's own resends included; offline sends none
		r.rep.Usage = r.rep.Usage.Add(res.Usage)
		r.mu.Unlock()
		if err == nil {
			return res, nil
		}
		if ctx.Err() != nil {
			return translate.BatchResult{}, ctx.Err()
		}
		var be *translate.BackendError
		if !errors.As(err, &be) && !timedOut {
			return res, err
		}
		if timedOut {
			if be == nil {
				be = &translate.BackendError{Backend: r.rep.Backend}
			}
			be.Temporary = true
			be.Err = fmt.Errorf("no answer within %s: %w", r.lim.Timeout, context.DeadlineExceeded)
			err = be
		}
		if !be.Temporary || attempt >= r.lim.Retries {
			if attempt > 0 {
				err = fmt.Errorf("%w (after %d attempts)", err, attempt+1)
			}
			return res, err
		}
		wait := r.wait(attempt, be.RetryAfter)
		r.mu.Lock()
		r.rep.Retries++
		r.emit(Event{Kind: EventRetry, Reason: err.Error(), Wait: wait})
		r.mu.Unlock()
		r.log.Warn("backend request failed; retrying", "attempt", attempt+1, "wait", wait, "err", err)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return translate.BatchResult{}, ctx.Err()
		case <-t.C:
		}
	}
}

// wait is how long to wait before retry number attempt+1: the server's Retry-After when it
// gave one, else an exponential backoff with jitter; never longer than MaxWait.
func (r *run) wait(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, r.lim.MaxWait)
	}
	d := r.lim.Backoff << min(attempt, 20)
	if d <= 0 || d > r.lim.MaxWait {
		d = r.lim.MaxWait
	}
	// "equal jitter": half the backoff fixed, half random, so retries from parallel batches spread out
	d = d/2 + rand.N(d/2+1)
	return min(d, r.lim.MaxWait)
}

// evaluate checks an answer. A misaligned answer (ids missing, extra or repeated) is an error
// wrapping ErrBadOutput. Otherwise each segment is judged alone: good ones become outputs, bad
// ones (empty, Arabic) come back with the reason to be asked again.
func (r *run) evaluate(ws []*work, res translate.BatchResult) ([]store.MachineOutput, []*work, []*work, error) {
	items := make([]translate.Item, len(ws))
	for i, w := range ws {
		items[i] = translate.Item{ID: w.seg.ID}
	}
	texts, err := translate.Align(items, res.Translations)
	if err != nil {
		return nil, nil, nil, err
	}
	var outs []store.MachineOutput
	var good, bad []*work
	for _, w := range ws {
		text := strings.TrimSpace(texts[w.seg.ID])
		// Machine text follows the rule a reviewer's does: bidi controls go, and a control
		// character leaves the text as it is for CheckText to refuse.
		if clean, _, err := translate.CleanTarget(text); err == nil {
			text = strings.TrimSpace(clean)
		}
		if r.caps.Draft {
			if text == "" {
				r.mu.Lock()
				r.done++
				seg := w.seg
				r.emit(Event{Kind: EventSegment, Segment: &seg, Reason: "nothing in the glossary or memory for this segment"})
				r.mu.Unlock()
				continue
			}
			good = append(good, w)
			outs = append(outs, store.MachineOutput{SegmentID: w.seg.ID, Target: text, Status: translate.StatusDraft, Origin: translate.OriginDraft,
				Backend: r.rep.Backend, Model: r.rep.Model})
			continue
		}
		if reason := translate.CheckText(w.seg.Source, text); reason != "" {
			w.reason = reason
			bad = append(bad, w)
			continue
		}
		good = append(good, w)
		outs = append(outs, store.MachineOutput{SegmentID: w.seg.ID, Target: text, Status: translate.StatusMachine, Origin: translate.OriginMachine,
			Backend: r.rep.Backend, Model: r.rep.Model, Flags: r.flags(w, text)})
	}
	return outs, good, bad, nil
}

// failedPrefix starts the flag of a segment the backend failed on.
const failedPrefix = "machine translation failed: "

// fail marks segments failed with the reason; their old text stays.
func (r *run) fail(ctx context.Context, ws []*work, reason string) {
	if len(ws) == 0 {
		return
	}
	outs := make([]store.MachineOutput, len(ws))
	for i, w := range ws {
		outs[i] = store.MachineOutput{SegmentID: w.seg.ID, Status: translate.StatusFailed, Target: w.seg.Target, Origin: w.seg.Origin,
			Backend: w.seg.Backend, Model: w.seg.Model, Flags: []string{failedPrefix + reason}}
	}
	if err := r.commit(ctx, ws, outs, fromBackend); err != nil {
		r.abort(err)
	}
}

// commit stores results in one transaction, even when the run is being cancelled (what
// finished is kept), then reports each segment as it is now stored and caches clean answers:
// an answer flagged for the glossary is stored for the reviewer but not cached, so the next
// article with the same sentence asks the backend again instead of inheriting the violation.
func (r *run) commit(ctx context.Context, ws []*work, outs []store.MachineOutput, from origin) error {
	if len(outs) == 0 {
		return nil
	}
	wctx := context.WithoutCancel(ctx)
	for i := range outs {
		outs[i].Author = r.rep.StartedBy
	}
	if _, err := r.p.Articles.ApplyMachine(wctx, outs); err != nil {
		return fmt.Errorf("store translations: %w", err)
	}
	cache := map[string]string{}
	for i, w := range ws {
		o := outs[i]
		seg, err := r.p.Articles.Segment(wctx, w.seg.ID)
		if err != nil {
			return err
		}
		r.mu.Lock()
		r.done++
		ev := Event{Kind: EventSegment, Segment: &seg}
		switch {
		case seg.Status.Reviewed():
			r.rep.Skipped++
			r.skipped++
			ev.Reason = "a reviewer changed this segment during the run; left as it is"
		case o.Status == translate.StatusFailed:
			r.rep.Failed++
			r.lastFailure = strings.TrimPrefix(strings.Join(o.Flags, "; "), failedPrefix)
			ev.Reason = strings.Join(o.Flags, "; ")
		default:
			r.rep.Translated++
			switch from {
			case fromTM:
				r.rep.FromTM++
			case fromCache:
				r.rep.FromCache++
			default:
				r.answered++
				if w.key != "" && o.Status == translate.StatusMachine && len(o.Flags) == 0 {
					cache[w.key] = o.Target
				}
			}
			if len(o.Flags) > 0 {
				r.rep.Flagged++
				ev.Reason = strings.Join(o.Flags, "; ")
			}
		}
		r.emit(ev)
		r.mu.Unlock()
	}
	if err := r.p.Cache.put(wctx, cache); err != nil {
		r.log.Warn("could not cache translations", "err", err) // the translations themselves are stored
	}
	return nil
}

// emit sends an event to the progress callbacks; r.mu must be held.
func (r *run) emit(ev Event) {
	if r.p.Progress == nil && r.extra == nil {
		return
	}
	ev.RunID, ev.ArticleID = r.rep.RunID, r.rep.ArticleID
	ev.Done, ev.Total = r.done, r.rep.Pending
	ev.Failed, ev.Flagged = r.rep.Failed, r.rep.Flagged
	ev.BatchesDone, ev.Batches = r.batchesDone, r.batches
	if r.p.Progress != nil {
		r.p.Progress(ev)
	}
	if r.extra != nil {
		r.extra(ev)
	}
}
