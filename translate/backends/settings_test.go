package backends_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/pipeline"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

func TestSettingsStoreRoundTrip(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	st := backends.NewSettingsStore(db.W, db.R, time.Now)
	got, err := st.Load(ctx)
	if err != nil || got.Backend != "" || len(got.Servers) != 0 || got.SavedBy != "" {
		t.Fatalf("Load of a new database = %+v, %v; want nothing saved", got, err)
	}
	want := backends.Settings{Backend: "openai", BatchSize: 7, Concurrency: 2, Timeout: 90 * time.Second,
		Servers: map[string]backends.Server{"openai": {BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1"}, "libretranslate": {BaseURL: "http://lt:5000"}}}
	saved, err := st.Save(ctx, want, "mona")
	if err != nil {
		t.Fatal(err)
	}
	if saved.SavedBy != "mona" || time.Since(saved.SavedAt) > time.Minute {
		t.Errorf("Save returned saved by %q at %s", saved.SavedBy, saved.SavedAt)
	}
	got, err = st.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got.SavedBy != "mona" || !got.SavedAt.Equal(saved.SavedAt) {
		t.Errorf("loaded saved by %q at %s, want mona at %s", got.SavedBy, got.SavedAt, saved.SavedAt)
	}
	got.SavedBy, got.SavedAt = "", time.Time{}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("Load = %+v\nwant   %+v", got, want)
	}

	// A second save records who made it; only the rows it changed point at it.
	want.Servers["openai"] = backends.Server{BaseURL: "http://127.0.0.1:11434/v1", Model: "qwen2.5"}
	if _, err := st.Save(ctx, want, "sami"); err != nil {
		t.Fatal(err)
	}
	rows, err := db.R.Query(`SELECT s.name, v.saved_by FROM settings s JOIN settings_saves v ON v.id = s.save_id`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	by := map[string]string{}
	for rows.Next() {
		var n, who string
		if err := rows.Scan(&n, &who); err != nil {
			t.Fatal(err)
		}
		by[n] = who
	}
	if by["openai.model"] != "sami" || by["openai.base_url"] != "mona" || by["backend"] != "mona" {
		t.Errorf("rows last changed by %v; want only openai.model by sami", by)
	}
	if got, _ := st.Load(ctx); got.SavedBy != "sami" || got.Servers["openai"].Model != "qwen2.5" {
		t.Errorf("after the second save: %+v", got)
	}

	// The quality checks' settings share the table but not the "saved by".
	if _, err := store.New(db.W, db.R, time.Now, nil).SaveQASettings(ctx, qa.DefaultConfig(), "admin"); err != nil {
		t.Fatal(err)
	}
	if got, _ := st.Load(ctx); got.SavedBy != "sami" || got.Servers["openai"].Model != "qwen2.5" || len(got.Servers) != 2 {
		t.Errorf("after a save of the quality checks: %+v", got)
	}
}

func TestResolvePrecedence(t *testing.T) {
	saved := backends.Settings{Backend: "openai", BatchSize: 3, Timeout: time.Minute,
		Servers: map[string]backends.Server{"openai": {BaseURL: "http://gpu:8000/v1", Model: "qwen"}, "libretranslate": {BaseURL: "http://lt:5000"}}}
	for _, tc := range []struct {
		name                    string
		flags                   backends.Config
		pins                    map[string]string
		env                     backends.Environment
		saved                   backends.Settings
		backend, baseURL, model string
		batch                   int
		wantPins                map[string]string
		key                     string
		keyNote                 bool
	}{
		{name: "NothingAtAll", backend: "offline", wantPins: map[string]string{}},
		{name: "SavedOnly", saved: saved, backend: "openai", baseURL: "http://gpu:8000/v1", model: "qwen", batch: 3, wantPins: map[string]string{}},
		{name: "EnvWinsForItsField", saved: saved, env: backends.Environment{OpenAIBaseURL: "http://other:9000/v1"},
			backend: "openai", baseURL: "http://other:9000/v1", model: "qwen", batch: 3, wantPins: map[string]string{"base_url": "OPENAI_BASE_URL"}},
		{name: "FlagWinsOverEnv", saved: saved, flags: backends.Config{Model: "m-flag"}, pins: map[string]string{"model": "--model"},
			env: backends.Environment{Model: "m-env"}, backend: "openai", baseURL: "http://gpu:8000/v1", model: "m-flag", batch: 3,
			wantPins: map[string]string{"model": "--model"}},
		{name: "BackendFromEnvTakesThatBackendsSavedServer", saved: saved, env: backends.Environment{Backend: "libretranslate"},
			backend: "libretranslate", baseURL: "http://lt:5000", batch: 3, wantPins: map[string]string{"backend": "TARJAMA_BACKEND"}},
		{name: "SavedBackendWinsOverInference", saved: backends.Settings{Backend: "libretranslate"}, env: backends.Environment{OpenAIKey: "sk-x"},
			backend: "libretranslate", wantPins: map[string]string{}},
		{name: "StartKeyAtItsServer", saved: backends.Settings{Backend: "openai", Servers: map[string]backends.Server{"openai": {Model: "gpt-4o"}}},
			env: backends.Environment{OpenAIKey: "sk-env-0123456789"}, backend: "openai", model: "gpt-4o", key: "sk-env-0123456789",
			wantPins: map[string]string{"api_key": "OPENAI_API_KEY"}},
		{name: "StartKeyNotSentToASavedHost", saved: saved, env: backends.Environment{OpenAIKey: "sk-env-0123456789"},
			backend: "openai", baseURL: "http://gpu:8000/v1", model: "qwen", batch: 3, keyNote: true,
			wantPins: map[string]string{"api_key": "OPENAI_API_KEY"}},
		{name: "StartKeyWithStartHost", saved: saved, env: backends.Environment{OpenAIKey: "sk-env-0123456789", OpenAIBaseURL: "http://gpu:8000/v1"},
			backend: "openai", baseURL: "http://gpu:8000/v1", model: "qwen", batch: 3, key: "sk-env-0123456789",
			wantPins: map[string]string{"api_key": "OPENAI_API_KEY", "base_url": "OPENAI_BASE_URL"}},
		// A key given for https://api.openai.com (the default server) is not sent in cleartext
		// to http:// of the same host, nor to another port; the default port is the same origin.
		{name: "StartKeyNotSentOverHTTPToTheSameHost", saved: backends.Settings{Backend: "openai", Servers: map[string]backends.Server{"openai": {BaseURL: "http://api.openai.com/v1", Model: "gpt-4o"}}},
			env: backends.Environment{OpenAIKey: "sk-env-0123456789"}, backend: "openai", baseURL: "http://api.openai.com/v1", model: "gpt-4o", keyNote: true,
			wantPins: map[string]string{"api_key": "OPENAI_API_KEY"}},
		{name: "StartKeyNotSentToAnotherPort", saved: backends.Settings{Backend: "openai", Servers: map[string]backends.Server{"openai": {BaseURL: "https://api.openai.com:8443/v1", Model: "gpt-4o"}}},
			env: backends.Environment{OpenAIKey: "sk-env-0123456789"}, backend: "openai", baseURL: "https://api.openai.com:8443/v1", model: "gpt-4o", keyNote: true,
			wantPins: map[string]string{"api_key": "OPENAI_API_KEY"}},
		{name: "StartKeyAtTheDefaultPortOfItsServer", saved: backends.Settings{Backend: "openai", Servers: map[string]backends.Server{"openai": {BaseURL: "https://API.openai.com:443/v1", Model: "gpt-4o"}}},
			env: backends.Environment{OpenAIKey: "sk-env-0123456789"}, backend: "openai", baseURL: "https://API.openai.com:443/v1", model: "gpt-4o", key: "sk-env-0123456789",
			wantPins: map[string]string{"api_key": "OPENAI_API_KEY"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := backends.Resolve(backends.Start{Config: tc.flags, Pins: tc.pins, Env: tc.env}, tc.saved)
			if r.Backend != tc.backend || r.BaseURL != tc.baseURL || r.Model != tc.model || r.BatchSize != tc.batch || r.APIKey != tc.key {
				t.Errorf("Resolve = backend %q url %q model %q batch %d key %q; want %q %q %q %d %q",
					r.Backend, r.BaseURL, r.Model, r.BatchSize, r.APIKey, tc.backend, tc.baseURL, tc.model, tc.batch, tc.key)
			}
			if !reflect.DeepEqual(r.Pins, tc.wantPins) {
				t.Errorf("Pins = %v, want %v", r.Pins, tc.wantPins)
			}
			if (r.KeyNote != nil) != tc.keyNote {
				t.Errorf("KeyNote = %v, want one: %v", r.KeyNote, tc.keyNote)
			}
			if n := r.KeyNote; n != nil && (n.From != "OPENAI_API_KEY" || n.To != backends.ServerOrigin(r.Backend, r.BaseURL) ||
				!strings.HasPrefix(n.String(), "the key from OPENAI_API_KEY is not sent to "+n.To+": ")) {
				t.Errorf("KeyNote = %+v: %s; want the key from OPENAI_API_KEY not sent to %s", *n, n, n.To)
			}
		})
	}
}

func TestServerOrigin(t *testing.T) {
	for _, tc := range []struct{ backend, baseURL, want string }{
		{"openai", "", "https://api.openai.com"},
		{"openai", "https://api.openai.com/v1", "https://api.openai.com"},
		{"openai", "https://API.OpenAI.com:443/v1", "https://api.openai.com"},
		{"openai", "http://api.openai.com/v1", "http://api.openai.com"},
		{"openai", "http://api.openai.com:80/v1", "http://api.openai.com"},
		{"openai", "http://api.openai.com:443/v1", "http://api.openai.com:443"},
		{"openai", "HTTP://127.0.0.1:11434/v1", "http://127.0.0.1:11434"},
		{"openai", "http://[::1]:8000/v1", "http://[::1]:8000"},
		{"openai", "https://[::1]/v1", "https://[::1]"},
	} {
		if got := backends.ServerOrigin(tc.backend, tc.baseURL); got != tc.want {
			t.Errorf("ServerOrigin(%q, %q) = %q, want %q", tc.backend, tc.baseURL, got, tc.want)
		}
	}
	if a, b := backends.ServerOrigin("openai", "https://lt.example"), backends.ServerOrigin("openai", "http://lt.example"); a == b {
		t.Errorf("https and http of one host are the same origin %q", a)
	}
}

// TestServiceSaveSettings: a save reconfigures the running service and is stored; a bad one
// changes nothing; a service opened again on the database (a restart) runs what was saved,
// except a field given at start; and a key typed on the page never reaches the database.
func TestServiceSaveSettings(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	open := func(start backends.Start) *backends.Service {
		t.Helper()
		terms := glossary.NewStore(db.W, db.R, time.Now)
		stores := pipeline.Stores{Articles: store.New(db.W, db.R, time.Now, terms), Memory: memory.New(db.W, db.R, time.Now), Cache: pipeline.NewCache(db.W, db.R, time.Now), Glossary: terms}
		svc, err := backends.OpenService(ctx, stores, start, backends.NewSettingsStore(db.W, db.R, time.Now), quiet)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(svc.Close)
		return svc
	}
	svc := open(backends.Start{})
	if got := svc.Config().Backend; got != "offline" {
		t.Fatalf("with nothing configured the backend is %q, want offline", got)
	}
	const key = "sk-typed-on-the-page-0123456789"
	change := backends.SettingsChange{Backend: "openai", BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1", BatchSize: 4, Timeout: 30 * time.Second, Key: key}
	if err := svc.SaveSettings(ctx, change, "mona"); err != nil {
		t.Fatal(err)
	}
	cfg := svc.Config()
	if cfg.Backend != "openai" || cfg.BaseURL != change.BaseURL || cfg.Model != "llama3.1" || cfg.BatchSize != 4 || cfg.Timeout != 30*time.Second || cfg.APIKey != key {
		t.Fatalf("after the save the service runs %+v", cfg)
	}
	if st := svc.Settings(); st.SavedBy != "mona" || !st.Stored || st.KeyFrom != "" {
		t.Errorf("state after the save = %+v", st)
	}

	for _, tc := range []struct {
		name  string
		ch    backends.SettingsChange
		field string
	}{
		{"UnknownBackend", backends.SettingsChange{Backend: "deepl"}, "backend: "},
		{"BadURL", backends.SettingsChange{Backend: "openai", BaseURL: "ftp://x", Model: "m"}, "base_url: "},
		{"NoModelForALocalServer", backends.SettingsChange{Backend: "openai", BaseURL: "http://127.0.0.1:8000/v1"}, "model: "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := svc.SaveSettings(ctx, tc.ch, "mona")
			if !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), tc.field) {
				t.Fatalf("SaveSettings = %v, want an invalid error naming %q", err, tc.field)
			}
			if got := svc.Config(); !reflect.DeepEqual(got, cfg) {
				t.Errorf("a rejected save changed the service to %+v", got)
			}
			if got, _ := backends.NewSettingsStore(db.W, db.R, time.Now).Load(ctx); got.Servers["openai"].Model != "llama3.1" {
				t.Errorf("a rejected save changed the database: %+v", got)
			}
		})
	}

	// The key typed on the page is in memory only: not in the table, not anywhere in the file.
	var n int
	if err := db.R.QueryRow(`SELECT COUNT(*) FROM settings WHERE value LIKE '%' || ? || '%' OR name LIKE '%key%'`, key).Scan(&n); err != nil || n != 0 {
		t.Errorf("%d settings rows hold the key (%v)", n, err)
	}
	if _, err := db.W.Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{db.Path, db.Path + "-wal"} {
		if b, err := os.ReadFile(p); err == nil && bytes.Contains(b, []byte(key)) {
			t.Errorf("%s contains the API key", filepath.Base(p))
		}
	}

	// A restart runs the saved settings, without the key typed before it.
	again := open(backends.Start{})
	if got := again.Config(); got.Backend != "openai" || got.BaseURL != change.BaseURL || got.Model != "llama3.1" || got.BatchSize != 4 || got.APIKey != "" {
		t.Fatalf("after a restart the service runs %+v", got)
	}
	// A field given at start wins and is shown pinned; a save leaves its saved value alone.
	pinned := open(backends.Start{Config: backends.Config{Model: "qwen2.5"}, Pins: map[string]string{"model": "--model"}})
	if got := pinned.Config(); got.Model != "qwen2.5" || got.BaseURL != change.BaseURL {
		t.Fatalf("with --model at start the service runs %+v", got)
	}
	if p := pinned.Settings().Pins["model"]; p != "--model" {
		t.Errorf("model pinned by %q, want --model", p)
	}
	if err := pinned.SaveSettings(ctx, backends.SettingsChange{Backend: "openai", BaseURL: change.BaseURL, Model: "ignored", BatchSize: 8}, "sami"); err != nil {
		t.Fatal(err)
	}
	if got := pinned.Config(); got.Model != "qwen2.5" || got.BatchSize != 8 {
		t.Errorf("after a save the pinned service runs model %q batch %d; want qwen2.5 and 8", got.Model, got.BatchSize)
	}
	if got, _ := backends.NewSettingsStore(db.W, db.R, time.Now).Load(ctx); got.Servers["openai"].Model != "llama3.1" || got.BatchSize != 8 {
		t.Errorf("saved after a save with --model: %+v; want the model kept as saved before", got)
	}
}
