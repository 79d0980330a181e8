package pipeline

import (
	"context"
	"fmt"
	"sync"

	"github.com/tarjama/tarjama/translate"
)

// followBuffer is how many events a follower may fall behind before it is cut off.
const followBuffer = 256

// Jobs runs translations in the background, at most one per article at a time, so that a web
// page can start a run, follow its events live (server-sent events) and cancel it, while the
// request that started it has long returned. It is safe for concurrent use.
type Jobs struct {
	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup

	mu   sync.Mutex
	jobs map[int64]*job // by article; a finished job stays until the next run of its article
}

// JobStatus is what Jobs knows about an article's latest background run.
type JobStatus struct {
	Running bool             `json:"running"`
	Last    Event            `json:"last"`            // the latest event: the progress so far, or the done event
	Report  translate.Report `json:"report"`          // the final report, once the run has finished
	Error   string           `json:"error,omitempty"` // why the run failed or stopped, once it has finished
}

type job struct {
	cancel context.CancelFunc
	done   chan struct{}

	mu     sync.Mutex
	status JobStatus
	subs   map[chan Event]struct{}
}

// NewJobs returns an empty job list. Close it on shutdown.
func NewJobs() *Jobs {
	ctx, stop := context.WithCancel(context.Background())
	return &Jobs{ctx: ctx, stop: stop, jobs: map[int64]*job{}}
}

// Start runs p on the article in the background. It fails with ErrConflict when the article
// is already being translated. Events go to the article's followers and to opt.Progress.
func (j *Jobs) Start(p *Pipeline, articleID int64, opt RunOptions) error {
	j.mu.Lock()
	defer j.mu.Unlock()
	if old, ok := j.jobs[articleID]; ok {
		select {
		case <-old.done:
		default:
			return translate.ErrConflict.Errorf("article %d is already being translated", articleID)
		}
	}
	if j.ctx.Err() != nil {
		return fmt.Errorf("translation jobs: shutting down: %w", j.ctx.Err())
	}
	ctx, cancel := context.WithCancel(j.ctx)
	jb := &job{cancel: cancel, done: make(chan struct{}), subs: map[chan Event]struct{}{}}
	jb.status = JobStatus{Running: true, Last: Event{Kind: EventStart, ArticleID: articleID}}
	j.jobs[articleID] = jb
	extra := opt.Progress
	opt.Progress = func(ev Event) {
		jb.publish(ev)
		if extra != nil {
			extra(ev)
		}
	}
	j.wg.Go(func() {
		defer cancel()
		rep, err := p.Run(ctx, articleID, opt)
		jb.finish(rep, err)
	})
	return nil
}

func (jb *job) publish(ev Event) {
	jb.mu.Lock()
	defer jb.mu.Unlock()
	jb.status.Last = ev
	for ch := range jb.subs {
		select {
		case ch <- ev:
		default: // too far behind: cut it off rather than slow the run down
			delete(jb.subs, ch)
			close(ch)
		}
	}
}

func (jb *job) finish(rep translate.Report, err error) {
	jb.mu.Lock()
	defer jb.mu.Unlock()
	jb.status.Running = false
	jb.status.Report = rep
	if err != nil {
		jb.status.Error = err.Error()
	}
	if jb.status.Last.Kind != EventDone {
		r := rep
		jb.status.Last = Event{Kind: EventDone, RunID: rep.RunID, ArticleID: rep.ArticleID, Report: &r,
			Done: rep.Translated + rep.Failed, Total: rep.Pending, Failed: rep.Failed, Flagged: rep.Flagged}
	}
	for ch := range jb.subs {
		close(ch)
	}
	jb.subs = nil
	close(jb.done)
}

// Cancel stops the article's running translation; what finished is kept. It reports whether a
// run was going.
func (j *Jobs) Cancel(articleID int64) bool {
	j.mu.Lock()
	jb, ok := j.jobs[articleID]
	j.mu.Unlock()
	if !ok {
		return false
	}
	select {
	case <-jb.done:
		return false
	default:
		jb.cancel()
		return true
	}
}

// Status tells whether the article is being translated and how far it got; ok is false when
// it has not been translated in the background since the program started.
func (j *Jobs) Status(articleID int64) (JobStatus, bool) {
	j.mu.Lock()
	jb, ok := j.jobs[articleID]
	j.mu.Unlock()
	if !ok {
		return JobStatus{}, false
	}
	jb.mu.Lock()
	defer jb.mu.Unlock()
	return jb.status, true
}

// Follow subscribes to the article's running translation. It returns the latest event (to
// draw the progress so far) and a channel of the events to come, which is closed when the run
// ends — or early, if the follower falls more than a few hundred events behind; follow again
// then. stop unsubscribes. ok is false when no run is going; the returned status then
// describes the last one, if any.
func (j *Jobs) Follow(articleID int64) (last Event, events <-chan Event, stop func(), ok bool) {
	j.mu.Lock()
	jb, found := j.jobs[articleID]
	j.mu.Unlock()
	if !found {
		return Event{}, nil, func() {}, false
	}
	jb.mu.Lock()
	defer jb.mu.Unlock()
	if !jb.status.Running {
		return jb.status.Last, nil, func() {}, false
	}
	ch := make(chan Event, followBuffer)
	jb.subs[ch] = struct{}{}
	stop = func() {
		jb.mu.Lock()
		defer jb.mu.Unlock()
		if _, live := jb.subs[ch]; live {
			delete(jb.subs, ch)
			close(ch)
		}
	}
	return jb.status.Last, ch, stop, true
}

// Wait blocks until the article's current run has finished (or ctx is done) and returns its
// status.
func (j *Jobs) Wait(ctx context.Context, articleID int64) (JobStatus, error) {
	j.mu.Lock()
	jb, ok := j.jobs[articleID]
	j.mu.Unlock()
	if !ok {
		return JobStatus{}, fmt.Errorf("article %d: no translation run: %w", articleID, translate.ErrNotFound)
	}
	select {
	case <-jb.done:
	case <-ctx.Done():
		return JobStatus{}, ctx.Err()
	}
	jb.mu.Lock()
	defer jb.mu.Unlock()
	return jb.status, nil
}

// Close cancels every running translation and waits for them to store what they finished.
func (j *Jobs) Close() {
	j.stop()
	j.wg.Wait()
}
