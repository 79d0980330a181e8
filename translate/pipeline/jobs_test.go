package pipeline_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/pipeline"
)

func TestJobs_FollowToTheEnd(t *testing.T) {
	f := newFixture(t, article, terms())
	srv := backendtest.NewOpenAI(t, nil)
	srv.Latency = 50 * time.Millisecond
	jobs := pipeline.NewJobs()
	defer jobs.Close()
	lim := fast
	lim.BatchSize, lim.Concurrency = 1, 1
	p := f.pipeline(openaiBackend(t, srv), lim, nil)

	if err := jobs.Start(p, f.art.ID, pipeline.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	if err := jobs.Start(p, f.art.ID, pipeline.RunOptions{}); !errors.Is(err, translate.ErrConflict) {
		t.Errorf("second start while running: err = %v, want ErrConflict", err)
	}
	_, ch, stop, ok := jobs.Follow(f.art.ID)
	if !ok {
		t.Fatal("Follow: no run going")
	}
	defer stop()
	var segments int
	var last pipeline.Event
	for ev := range ch {
		if ev.Kind == pipeline.EventSegment {
			segments++
		}
		last = ev
	}
	if last.Kind != pipeline.EventDone || last.Report == nil || last.Report.Translated != 5 {
		t.Errorf("last event = %+v", last)
	}
	if segments == 0 {
		t.Error("no segment events followed")
	}
	st, ok := jobs.Status(f.art.ID)
	if !ok || st.Running || st.Report.Translated != 5 || st.Error != "" {
		t.Errorf("status = %+v", st)
	}
	// a finished run can be followed no more, but a new one can start
	if _, _, _, ok := jobs.Follow(f.art.ID); ok {
		t.Error("Follow after the end: ok")
	}
	if err := jobs.Start(p, f.art.ID, pipeline.RunOptions{}); err != nil {
		t.Errorf("start after the end: %v", err)
	}
	if _, err := jobs.Wait(context.Background(), f.art.ID); err != nil {
		t.Error(err)
	}
}

func TestJobs_Cancel(t *testing.T) {
	f := newFixture(t, article, terms())
	srv := backendtest.NewOpenAI(t, nil)
	srv.Latency = 100 * time.Millisecond
	jobs := pipeline.NewJobs()
	defer jobs.Close()
	lim := fast
	lim.BatchSize, lim.Concurrency = 1, 1
	started := make(chan struct{}, 10)
	opt := pipeline.RunOptions{Progress: func(ev pipeline.Event) {
		if ev.Kind == pipeline.EventSegment {
			started <- struct{}{}
		}
	}}
	if err := jobs.Start(f.pipeline(openaiBackend(t, srv), lim, nil), f.art.ID, opt); err != nil {
		t.Fatal(err)
	}
	<-started
	if !jobs.Cancel(f.art.ID) {
		t.Fatal("Cancel: no run going")
	}
	st, err := jobs.Wait(context.Background(), f.art.ID)
	if err != nil {
		t.Fatal(err)
	}
	if st.Running || st.Report.Status != translate.RunCancelled || st.Report.Translated == 0 || st.Report.Translated == 5 || st.Error == "" {
		t.Errorf("status after cancel = %+v", st)
	}
	if jobs.Cancel(f.art.ID) {
		t.Error("Cancel of a finished run reported true")
	}
}
