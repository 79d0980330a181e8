package translate

import (
	"fmt"
	"strings"
	"time"
)

// Run states as stored in mt_runs, and RunInterrupted, which is read rather than stored.
const (
	RunRunning   = "running"
	RunDone      = "done"      // every segment was attempted; some may have failed
	RunFailed    = "failed"    // the run stopped early: the backend was unreachable or kept failing
	RunCancelled = "cancelled" // stopped by the user; what finished is kept
	// RunInterrupted is a run recorded as running whose process stopped renewing its lease
	// (LeaseUntil): it was killed or crashed, and what it finished is kept. The store reads
	// it so; nothing writes it.
	RunInterrupted = "interrupted"
)

// Report says what a machine-translation run did. It is also the stored record of a run:
// the pipeline writes it, the review store lists it with an article's runs.
type Report struct {
	RunID      int64         `json:"run_id"`
	ArticleID  int64         `json:"article_id"`
	Backend    string        `json:"backend"`
	Model      string        `json:"model"`
	Status     string        `json:"status"` // RunRunning, RunDone, RunFailed or RunCancelled
	Error      string        `json:"error,omitempty"`
	StartedAt  time.Time     `json:"started_at"`
	StartedBy  string        `json:"started_by"`
	FinishedAt time.Time     `json:"finished_at"`
	Duration   time.Duration `json:"duration_ns"`
	Draft      bool          `json:"draft"` // the backend only drafts (offline)
	// LeaseUntil is when a running run's lease ends unless its process renews it; past it
	// the run reads as RunInterrupted.
	LeaseUntil time.Time `json:"lease_until,omitzero"`

	Segments   int   `json:"segments"`   // segments in the article
	Pending    int   `json:"pending"`    // segments the run set out to fill
	Translated int   `json:"translated"` // given a new target, from any source below
	FromTM     int   `json:"from_tm"`    // … of which exact translation-memory matches
	FromCache  int   `json:"from_cache"` // … of which cached answers
	Failed     int   `json:"failed"`     // no usable translation; marked failed with the reason
	Flagged    int   `json:"flagged"`    // translated, but with glossary flags for the reviewer
	Skipped    int   `json:"skipped"`    // reviewed, excluded or already translated, so left alone
	Untouched  int   `json:"untouched"`  // pending but left as they were (offline had nothing; the run stopped)
	Requests   int   `json:"requests"`   // HTTP requests the backend sent, retries and its own resends included
	Retries    int   `json:"retries"`    // of which retries after temporary failures
	Usage      Usage `json:"usage"`
}

// String is the one-line summary the CLI prints and the page shows.
func (r Report) String() string {
	var b strings.Builder
	if r.Draft {
		fmt.Fprintf(&b, "offline draft: %d of %s filled", r.Translated, Plural(r.Pending, "segment"))
		if r.FromTM > 0 {
			fmt.Fprintf(&b, " (%d from translation memory)", r.FromTM)
		}
		fmt.Fprintf(&b, ", %d left for a translator", r.Untouched)
		if r.Skipped > 0 {
			fmt.Fprintf(&b, ", %d skipped", r.Skipped)
		}
		b.WriteString(" — no machine translation backend is configured")
		return b.String()
	}
	fmt.Fprintf(&b, "%s: %d of %s translated", r.Backend, r.Translated, Plural(r.Pending, "segment"))
	if r.FromTM > 0 || r.FromCache > 0 {
		fmt.Fprintf(&b, " (%d from translation memory, %d from cache)", r.FromTM, r.FromCache)
	}
	fmt.Fprintf(&b, ", %d failed, %d flagged for the glossary, %d skipped", r.Failed, r.Flagged, r.Skipped)
	if r.Untouched > 0 {
		fmt.Fprintf(&b, ", %d not reached", r.Untouched)
	}
	fmt.Fprintf(&b, "; %s", Plural(r.Requests, "request"))
	if r.Usage.PromptTokens+r.Usage.CompletionTokens > 0 {
		fmt.Fprintf(&b, ", %d+%d tokens", r.Usage.PromptTokens, r.Usage.CompletionTokens)
	}
	switch r.Status {
	case RunCancelled:
		b.WriteString("; cancelled")
	case RunInterrupted:
		b.WriteString("; interrupted")
	}
	return b.String()
}
