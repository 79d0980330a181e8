package backends

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// Service is the machine translation a running workbench offers: the configured backend, a
// pipeline over the stores, and background runs the page can follow and cancel. The
// settings page reconfigures it while it runs; runs already under way keep their backend.
type Service struct {
	stores pipeline.Stores
	log    *slog.Logger
	jobs   *pipeline.Jobs

	mu      sync.RWMutex
	cfg     Config
	backend translate.Backend
	// start, saved and typed are what cfg was resolved from: the flags and environment, the
	// settings saved on the page, and a key typed there.
	start   Start
	saved   Settings
	typed   typedKey
	pins    map[string]string
	keyNote *KeyNote

	// saveMu keeps one settings save at a time, so each builds on the one before.
	saveMu   sync.Mutex
	settings *SettingsStore // nil: saves only reconfigure the running server

	// running holds the articles a synchronous Run is translating; together with jobs it
	// keeps one run per article, whichever way it was started.
	runMu   sync.Mutex
	running map[int64]bool
}

// typedKey is a key typed on the Settings page. It lives only in the running server's
// memory and goes only to the backend and origin (scheme, host, port: ServerOrigin) it was
// typed for; set with an empty key means "no key" there, even when one was given at start.
type typedKey struct {
	set             bool
	key             string
	backend, origin string
}

func (k typedKey) appliesTo(c Config) bool {
	return k.set && k.backend == c.Backend && k.origin == ServerOrigin(c.Backend, c.BaseURL)
}

// NewService runs exactly the backend cfg names, nothing fixed at start and nothing stored:
// settings saves only reconfigure it. The program uses OpenService.
func NewService(stores pipeline.Stores, cfg Config, log *slog.Logger) (*Service, error) {
	s := newService(stores, log)
	cfg.Backend = strings.ToLower(strings.TrimSpace(cfg.Backend))
	if cfg.Backend == "" {
		cfg.Backend = Offline
	}
	s.start = Start{Config: Config{APIVersion: cfg.APIVersion, Limits: pipeline.Limits{Retries: cfg.Retries, Backoff: cfg.Backoff},
		HTTPClient: cfg.HTTPClient, Logger: cfg.Logger}}
	s.saved = Settings{Backend: cfg.Backend, Servers: map[string]Server{cfg.Backend: {BaseURL: cfg.BaseURL, Model: cfg.Model}},
		BatchSize: cfg.BatchSize, Concurrency: cfg.Concurrency, Timeout: cfg.Timeout}
	if cfg.APIKey != "" {
		s.typed = typedKey{set: true, key: cfg.APIKey, backend: cfg.Backend, origin: ServerOrigin(cfg.Backend, cfg.BaseURL)}
	}
	if err := s.Configure(cfg); err != nil {
		s.jobs.Close()
		return nil, err
	}
	return s, nil
}

// OpenService builds the service the program runs: the settings saved in the database, with
// every field given at start (start) winning over them. Saves on the Settings page are
// stored there. A key given at start that is not sent is in Settings().KeyNote, for the
// program to report.
func OpenService(ctx context.Context, stores pipeline.Stores, start Start, settings *SettingsStore, log *slog.Logger) (*Service, error) {
	saved, err := settings.Load(ctx)
	if err != nil {
		return nil, err
	}
	s := newService(stores, log)
	s.start, s.saved, s.settings = start, saved, settings
	r := Resolve(start, saved)
	if err := r.Validate(); err != nil {
		s.jobs.Close()
		return nil, fmt.Errorf("translation settings: %w", err)
	}
	if err := s.Configure(r.Config); err != nil {
		s.jobs.Close()
		return nil, fmt.Errorf("translation settings: %w", err)
	}
	s.pins, s.keyNote = r.Pins, r.KeyNote
	return s, nil
}

func newService(stores pipeline.Stores, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{stores: stores, log: log, jobs: pipeline.NewJobs(), running: map[int64]bool{}}
}

// Configure switches to the backend cfg names. A bad configuration changes nothing.
func (s *Service) Configure(cfg Config) error {
	cfg, b, err := s.build(cfg)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.cfg, s.backend = cfg, b
	s.mu.Unlock()
	s.log.Info("translation backend configured", "backend", cfg.String())
	return nil
}

// build makes the backend cfg describes, logging through the service's logger unless cfg
// names its own; nothing changes in the service until the caller swaps it in.
func (s *Service) build(cfg Config) (Config, translate.Backend, error) {
	if cfg.Logger == nil {
		cfg.Logger = s.log
	}
	b, err := New(cfg)
	return cfg, b, err
}

// Config returns the configuration in use (the key included: mask it before showing it).
func (s *Service) Config() Config {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.cfg
}

// Pipeline returns a pipeline over the backend in use.
func (s *Service) Pipeline() *pipeline.Pipeline {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return &pipeline.Pipeline{Stores: s.stores, Backend: s.backend, Limits: s.cfg.Limits, Logger: s.log}
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
func (s *Service) Run(ctx context.Context, articleID int64, opt pipeline.RunOptions) (translate.Report, error) {
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
func (s *Service) Start(articleID int64, opt pipeline.RunOptions) error {
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
	return translate.ErrConflict.Errorf("article %d is being translated already", articleID)
}

// Follow returns the latest event of an article's run and a channel of the events to come.
func (s *Service) Follow(articleID int64) (pipeline.Event, <-chan pipeline.Event, func(), bool) {
	return s.jobs.Follow(articleID)
}

// Status says whether an article's latest background run is going and how far it got.
func (s *Service) Status(articleID int64) (pipeline.JobStatus, bool) {
	return s.jobs.Status(articleID)
}

// Cancel stops an article's background run, keeping what finished.
func (s *Service) Cancel(articleID int64) bool { return s.jobs.Cancel(articleID) }

// Close cancels every background run and waits for them.
func (s *Service) Close() { s.jobs.Close() }

// SettingsChange is what the Settings page submits.
type SettingsChange struct {
	Backend, BaseURL, Model string
	BatchSize, Concurrency  int // 0: the default
	Timeout                 time.Duration
	// Key is a key typed on the page: it is kept only in memory, never stored. Empty keeps
	// the key in use as long as the backend and origin stay the same.
	Key      string
	ClearKey bool // no key for this backend and origin (ServerOrigin), not even one given at start
}

// SaveSettings applies a change from the Settings page, all or nothing: the fields given at
// start keep their value, the others are saved (with who saved and when) and the running
// server switches to them. A key is never carried to another backend or origin.
func (s *Service) SaveSettings(ctx context.Context, ch SettingsChange, by string) error {
	s.saveMu.Lock()
	defer s.saveMu.Unlock()
	s.mu.RLock()
	start, next, typed := s.start, s.saved.clone(), s.typed
	s.mu.RUnlock()

	pinned := Resolve(start, next).Pins
	if pinned[FieldBackend] == "" {
		next.Backend = strings.ToLower(strings.TrimSpace(ch.Backend))
	}
	// Which of the server's fields are fixed at start depends on the backend chosen.
	first := Resolve(start, next)
	srv := next.Servers[first.Backend]
	if first.Pins[FieldBaseURL] == "" {
		srv.BaseURL = strings.TrimSpace(ch.BaseURL)
	}
	if first.Pins[FieldModel] == "" {
		srv.Model = strings.TrimSpace(ch.Model)
	}
	next.Servers[first.Backend] = srv
	if first.Pins[FieldBatchSize] == "" {
		next.BatchSize = ch.BatchSize
	}
	if first.Pins[FieldConcurrency] == "" {
		next.Concurrency = ch.Concurrency
	}
	if first.Pins[FieldTimeout] == "" {
		next.Timeout = ch.Timeout
	}
	r := Resolve(start, next)
	if err := r.Validate(); err != nil {
		return err
	}
	origin := ServerOrigin(r.Backend, r.BaseURL)
	switch key := strings.TrimSpace(ch.Key); {
	case key != "":
		typed = typedKey{set: true, key: key, backend: r.Backend, origin: origin}
	case ch.ClearKey:
		typed = typedKey{set: true, backend: r.Backend, origin: origin}
	}
	cfg := r.Config
	if typed.appliesTo(cfg) {
		cfg.APIKey = typed.key
	}
	cfg, b, err := s.build(cfg)
	if err != nil {
		return err
	}
	if s.settings != nil {
		if next, err = s.settings.Save(ctx, next, by); err != nil {
			return err
		}
	}
	s.mu.Lock()
	s.cfg, s.backend, s.saved, s.typed, s.pins, s.keyNote = cfg, b, next, typed, r.Pins, r.KeyNote
	switch {
	case typed.appliesTo(cfg):
		s.keyNote = nil
	case typed.key != "" && s.keyNote == nil:
		s.keyNote = &KeyNote{For: typed.origin, To: origin}
	}
	s.mu.Unlock()
	s.log.Info("translation settings saved", "by", by, "backend", cfg.String(), "stored", s.settings != nil)
	return nil
}

// SettingsState is what the Settings page shows.
type SettingsState struct {
	Config // in use; mask the key before showing it
	// Pins names, for each field given at start, the flag or variable that gave it.
	Pins map[string]string
	// KeyFrom says where the key in use came from: the flag or variable, or "" when it was
	// typed on the page (or there is none).
	KeyFrom string
	KeyNote *KeyNote // why a key given at start or typed in is not used, when it is not
	Stored  bool     // saves are kept in the database
	SavedBy string
	SavedAt time.Time
}

// Settings returns what the Settings page shows.
func (s *Service) Settings() SettingsState {
	s.mu.RLock()
	defer s.mu.RUnlock()
	st := SettingsState{Config: s.cfg, Pins: maps.Clone(s.pins), KeyNote: s.keyNote, Stored: s.settings != nil,
		SavedBy: s.saved.SavedBy, SavedAt: s.saved.SavedAt}
	if st.Pins == nil {
		st.Pins = map[string]string{}
	}
	if s.cfg.APIKey != "" && !s.typed.appliesTo(s.cfg) {
		st.KeyFrom = st.Pins[FieldAPIKey]
	}
	return st
}
