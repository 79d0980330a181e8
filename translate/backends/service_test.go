package backends

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/pipeline"
	"github.com/tarjama/tarjama/translate/store"
)

func TestServiceOneRunPerArticle(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	terms := glossary.NewStore(db.W, db.R, time.Now)
	articles := store.New(db.W, db.R, time.Now, terms)
	a, err := articles.CreateArticle(ctx, "t", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار.", "")
	if err != nil {
		t.Fatal(err)
	}
	// The server holds the run's requests until the checks below are done, so the run is
	// surely under way while they run.
	arrived, release := make(chan struct{}), make(chan struct{})
	var arrival sync.Once
	releaseAll := sync.OnceFunc(func() { close(release) })
	llm := backendtest.NewOpenAI(t, func(r *backendtest.Request) backendtest.Reply {
		arrival.Do(func() { close(arrived) })
		<-release
		return backendtest.Success()(r)
	})
	t.Cleanup(releaseAll) // before the server closes, should a check stop the test early
	svc, err := NewService(pipeline.Stores{Articles: articles, Memory: memory.New(db.W, db.R, time.Now), Cache: pipeline.NewCache(db.W, db.R, time.Now), Glossary: terms}, Config{Backend: OpenAI, BaseURL: llm.BaseURL(), Model: "m", APIKey: "k"},
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()

	done := make(chan error, 1)
	go func() { _, err := svc.Run(ctx, a.ID, pipeline.RunOptions{}); done <- err }()
	select {
	case <-arrived: // the synchronous run is under way
	case err := <-done:
		t.Fatalf("the run ended before its first request reached the server: %v", err)
	}
	if err := svc.Start(a.ID, pipeline.RunOptions{}); !errors.Is(err, translate.ErrConflict) {
		t.Errorf("Start during a synchronous run = %v, want ErrConflict", err)
	}
	if _, err := svc.Run(ctx, a.ID, pipeline.RunOptions{}); !errors.Is(err, translate.ErrConflict) {
		t.Errorf("second Run = %v, want ErrConflict", err)
	}
	releaseAll()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	runs, _ := articles.Runs(ctx, a.ID)
	if len(runs) != 1 {
		t.Fatalf("%d runs recorded, want 1", len(runs))
	}
	// Once it is over, a new run may start.
	if err := svc.Start(a.ID, pipeline.RunOptions{}); err != nil {
		t.Fatalf("Start after the run = %v", err)
	}
}

func TestServiceCheckUsesConfiguredTimeout(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	silent := backendtest.NewSilent(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, cfg := range []Config{
		{Backend: OpenAI, BaseURL: silent.URL + "/v1", Model: "m"},
		{Backend: LibreTranslate, BaseURL: silent.URL},
	} {
		t.Run(cfg.Backend, func(t *testing.T) {
			cfg.Timeout = 200 * time.Millisecond
			terms := glossary.NewStore(db.W, db.R, time.Now)
			stores := pipeline.Stores{Articles: store.New(db.W, db.R, time.Now, terms), Memory: memory.New(db.W, db.R, time.Now), Cache: pipeline.NewCache(db.W, db.R, time.Now), Glossary: terms}
			svc, err := NewService(stores, cfg, quiet)
			if err != nil {
				t.Fatal(err)
			}
			defer svc.Close()
			start := time.Now()
			err = svc.Check(ctx) // no deadline on ctx: only the configured timeout ends it
			if took := time.Since(start); took > 2*time.Second {
				t.Errorf("Check took %s with a timeout of 200ms", took)
			}
			if !errors.Is(err, translate.ErrBackendUnavailable) || !strings.Contains(err.Error(), "in time") {
				t.Errorf("Check = %v, want an unavailable error saying the server did not answer in time", err)
			}
		})
	}
}
