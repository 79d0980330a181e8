package backends

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"

	"github.com/tarjama/tarjama/translate"
)

// Service is the machine translation a running workbench offers: the configured backend, a
// pipeline over the stores, and background runs the page can follow and cancel. The
// settings page reconfigures it while it runs; runs already under way keep their backend.
type Service struct {
	store    *translate.Store
	glossary translate.MatcherSource
	log      *slog.Logger
	jobs     *translate.Jobs

	mu      sync.RWMutex
	cfg     Config
	backend translate.Backend

	// running holds the articles a synchronous Run is translating; together with jobs it
	// keeps one run per article, whichever way it was started.
	runMu   sync.Mutex
	running map[int64]bool
}

// NewService builds the backend cfg names and the pipeline around it.
func NewService(store *translate.Store, glossary translate.MatcherSource, cfg Config, log *slog.Logger) (*Service, error) {
	if log == nil {
		log = slog.Default()
	}
	s := &Service{store: store, glossary: glossary, log: log, jobs: translate.NewJobs(), running: map[int64]bool{}}
	if err := s.Configure(cfg); err != nil {
		s.jobs.Close()
		return nil, err
	}
	return s, nil
}

// Configure switches to the backend cfg names. A bad configuration changes nothing.
func (s *Service) Configure(cfg Config) error {
	if cfg.Logger == nil {
		cfg.Logger = s.log
	}
	b, err := New(cfg)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cfg, s.backend = cfg, b
	s.mu.Unlock()
	s.log.Info("translation backend configured", "backend", cfg.String())
	return nil
}

// Config returns the configuration in use (the key included: mask it before showing it).
func (s *Service) Config() Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg
}

// Pipeline returns a pipeline over the backend in use.
func (s *Service) Pipeline() *translate.Pipeline {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &translate.Pipeline{Store: s.store, Glossary: s.glossary, Backend: s.backend, Limits: s.cfg.Limits, Logger: s.log}
}

// Describe names the backend and model for the page, e.g. "openai gpt-4o-mini".
func (s *Service) Describe() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return strings.TrimSpace(s.backend.Name() + " " + s.backend.Model())
}

// Draft reports whether the backend only drafts (offline).
func (s *Service) Draft() bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.backend.Capabilities().Draft
}

// Check asks the backend whether it is reachable and ready, within the configured timeout.
func (s *Service) Check(ctx context.Context) error {
	s.mu.RLock()
	b, timeout := s.backend, s.cfg.Timeout
	s.mu.RUnlock()
	return translate.Check(ctx, b, timeout)
}

// Run translates an article and waits for the result. Only one run per article goes at a
// time, so nothing is paid for twice.
func (s *Service) Run(ctx context.Context, articleID int64, opt translate.RunOptions) (translate.Report, error) {
	s.runMu.Lock()
	if st, ok := s.jobs.Status(articleID); s.running[articleID] || ok && st.Running {
		s.runMu.Unlock()
		return translate.Report{}, errBusy(articleID)
	}
	s.running[articleID] = true
	s.runMu.Unlock()
	defer func() {
		s.runMu.Lock()
		delete(s.running, articleID)
		s.runMu.Unlock()
	}()
	return s.Pipeline().Run(ctx, articleID, opt)
}

// Start translates an article in the background; Follow and Cancel reach the run.
func (s *Service) Start(articleID int64, opt translate.RunOptions) error {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.running[articleID] {
		return errBusy(articleID)
	}
	err := s.jobs.Start(s.Pipeline(), articleID, opt)
	if errors.Is(err, translate.ErrConflict) {
		return errBusy(articleID)
	}
	return err
}

func errBusy(articleID int64) error {
	return fmt.Errorf("article %d is being translated already: %w", articleID, translate.ErrConflict)
}

// Follow returns the latest event of an article's run and a channel of the events to come.
func (s *Service) Follow(articleID int64) (translate.Event, <-chan translate.Event, func(), bool) {
	return s.jobs.Follow(articleID)
}

// Status says whether an article's latest background run is going and how far it got.
func (s *Service) Status(articleID int64) (translate.JobStatus, bool) {
	return s.jobs.Status(articleID)
}

// Cancel stops an article's background run, keeping what finished.
func (s *Service) Cancel(articleID int64) bool { return s.jobs.Cancel(articleID) }

// Close cancels every background run and waits for them.
func (s *Service) Close() { s.jobs.Close() }
