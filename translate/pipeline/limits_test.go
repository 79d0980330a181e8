package pipeline

import (
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
)

func TestLimitsResolve(t *testing.T) {
	got := Limits{}.resolve(translate.Capabilities{MaxBatch: 4, Concurrency: 1})
	want := Limits{BatchSize: 4, Concurrency: 1, Timeout: DefaultTimeout, Retries: DefaultRetries, Backoff: DefaultBackoff, MaxWait: DefaultMaxWait}
	if got != want {
		t.Errorf("resolve = %+v, want %+v", got, want)
	}
	if got := (Limits{BatchSize: 20, Retries: -1}).resolve(translate.Capabilities{}); got.BatchSize != 20 || got.Retries != 0 || got.Concurrency != DefaultConcurrency {
		t.Errorf("resolve = %+v", got)
	}
}

func TestBackoffStaysWithinBounds(t *testing.T) {
	r := &run{lim: Limits{Backoff: 100 * time.Millisecond, MaxWait: time.Second}}
	for attempt := range 8 {
		full := min(100*time.Millisecond<<attempt, time.Second)
		for range 50 {
			if w := r.wait(attempt, 0); w < full/2 || w > full {
				t.Fatalf("attempt %d: wait %s outside [%s, %s]", attempt, w, full/2, full)
			}
		}
	}
	if w := r.wait(0, 3*time.Second); w != time.Second {
		t.Errorf("Retry-After beyond MaxWait: wait %s, want the cap", w)
	}
	if w := r.wait(5, 300*time.Millisecond); w != 300*time.Millisecond {
		t.Errorf("Retry-After: wait %s, want it exactly", w)
	}
}
