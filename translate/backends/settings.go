package backends

import (
	"context"
	"database/sql"
	"fmt"
	"maps"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/libretranslate"
	"github.com/tarjama/tarjama/translate/openai"
)

// The fields of the Settings page: its form names, the keys of Resolved.Pins, and (for the
// server's) the settings a translate.SettingError names.
const (
	FieldBackend     = "backend"
	FieldBaseURL     = translate.SettingBaseURL
	FieldModel       = translate.SettingModel
	FieldAPIKey      = translate.SettingAPIKey
	FieldBatchSize   = "batch_size"
	FieldConcurrency = "concurrency"
	FieldTimeout     = "timeout"
)

// Settings are what the Settings page saves in the database, so that a restart keeps them.
// They hold no API key: a database file gets copied and backed up.
type Settings struct {
	Backend string // empty: not saved
	// Servers holds the server URL and model saved for each backend, so switching to
	// another backend and back keeps each one's.
	Servers     map[string]Server
	BatchSize   int           // 0: not saved
	Concurrency int           // 0: not saved
	Timeout     time.Duration // 0: not saved
	SavedBy     string        // who saved last; empty when nothing was ever saved
	SavedAt     time.Time
}

// Server is where a backend is reached and which model it runs.
type Server struct{ BaseURL, Model string }

func (s Settings) clone() Settings {
	s.Servers = maps.Clone(s.Servers)
	if s.Servers == nil {
		s.Servers = map[string]Server{}
	}
	return s
}

// rows are the settings as the settings table holds them, one value per name.
func (s Settings) rows() map[string]string {
	r := map[string]string{FieldBackend: s.Backend, FieldBatchSize: "", FieldConcurrency: "", FieldTimeout: ""}
	if s.BatchSize > 0 {
		r[FieldBatchSize] = strconv.Itoa(s.BatchSize)
	}
	if s.Concurrency > 0 {
		r[FieldConcurrency] = strconv.Itoa(s.Concurrency)
	}
	if s.Timeout > 0 {
		r[FieldTimeout] = s.Timeout.String()
	}
	for name, srv := range s.Servers {
		r[name+"."+FieldBaseURL] = srv.BaseURL
		r[name+"."+FieldModel] = srv.Model
	}
	return r
}

// SettingsStore keeps the Settings page's settings in the database.
type SettingsStore struct {
	w, r *sql.DB          // the single writer and the read pool
	now  func() time.Time // the time a save records
}

// NewSettingsStore returns the settings store that writes through w, reads through r (the
// database's writer and read pool) and stamps each save with now's time.
func NewSettingsStore(w, r *sql.DB, now func() time.Time) *SettingsStore {
	return &SettingsStore{w: w, r: r, now: now}
}

// Load returns the saved settings; nothing saved yet gives zero Settings.
func (st *SettingsStore) Load(ctx context.Context) (Settings, error) {
	rows, err := st.r.QueryContext(ctx, `SELECT name, value FROM settings ORDER BY name`)
	if err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	defer rows.Close()
	s := Settings{Servers: map[string]Server{}}
	for rows.Next() {
		var name, value string
		if err := rows.Scan(&name, &value); err != nil {
			return Settings{}, fmt.Errorf("load settings: %w", err)
		}
		if err := s.set(name, value); err != nil {
			return Settings{}, fmt.Errorf("load settings: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return Settings{}, fmt.Errorf("load settings: %w", err)
	}
	var at string
	// The quality checks' settings share the table (store.QASettings); their saves are theirs.
	err = st.r.QueryRowContext(ctx, `SELECT saved_by, saved_at FROM settings_saves WHERE part = 'translation' ORDER BY id DESC LIMIT 1`).Scan(&s.SavedBy, &at)
	switch {
	case err == sql.ErrNoRows:
	case err != nil:
		return Settings{}, fmt.Errorf("load settings: %w", err)
	default:
		s.SavedAt = timestamp.Parse(at)
	}
	return s, nil
}

// set reads one stored row into s.
func (s *Settings) set(name, value string) error {
	var err error
	switch name {
	case FieldBackend:
		s.Backend = value
	case FieldBatchSize:
		s.BatchSize, err = storedInt(value)
	case FieldConcurrency:
		s.Concurrency, err = storedInt(value)
	case FieldTimeout:
		if value != "" {
			s.Timeout, err = time.ParseDuration(value)
		}
	default:
		backend, field, _ := strings.Cut(name, ".")
		srv := s.Servers[backend]
		switch field {
		case FieldBaseURL:
			srv.BaseURL = value
		case FieldModel:
			srv.Model = value
		default:
			return nil // a setting of a later version: kept in the table, not used here
		}
		s.Servers[backend] = srv
	}
	if err != nil {
		return fmt.Errorf("setting %s = %q: %w", name, value, err)
	}
	return nil
}

func storedInt(v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	return strconv.Atoi(v)
}

// Save stores s in one transaction, recording who saved and when, and returns s with
// SavedBy and SavedAt set. Each row remembers the save that last changed its value.
func (st *SettingsStore) Save(ctx context.Context, s Settings, by string) (Settings, error) {
	tx, err := st.w.BeginTx(ctx, nil)
	if err != nil {
		return Settings{}, fmt.Errorf("save settings: %w", err)
	}
	defer tx.Rollback()
	now := st.now().UTC()
	res, err := tx.ExecContext(ctx, `INSERT INTO settings_saves (saved_by, saved_at) VALUES (?, ?)`, by, timestamp.Format(now))
	if err != nil {
		return Settings{}, fmt.Errorf("save settings: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return Settings{}, fmt.Errorf("save settings: %w", err)
	}
	rows := s.rows()
	names := make([]string, 0, len(rows))
	for n := range rows {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if _, err := tx.ExecContext(ctx, `INSERT INTO settings (name, value, save_id) VALUES (?, ?, ?)
			ON CONFLICT(name) DO UPDATE SET value = excluded.value, save_id = excluded.save_id
			WHERE settings.value <> excluded.value`, n, rows[n], id); err != nil {
			return Settings{}, fmt.Errorf("save settings: %s: %w", n, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return Settings{}, fmt.Errorf("save settings: %w", err)
	}
	s.SavedBy, s.SavedAt = by, now
	return s, nil
}

// Start is what the program was started with. A field it gives wins over the saved
// settings; Pins names the flag or variable behind each one given (e.g. "model": "--model").
type Start struct {
	Config                   // what the flags (and the limits' variables) gave; the rest empty
	Pins   map[string]string // field → "--model", "TARJAMA_BATCH_SIZE", …
	Env    Environment       // the backend variables, which Resolve applies below the flags
}

// Resolved is the configuration to run with and what fixed its fields at start.
type Resolved struct {
	Config
	// Pins names, for each field given at start, the flag or variable that gave it.
	Pins map[string]string
	// KeyNote says why a key given at start is not used, when it is not.
	KeyNote *KeyNote
}

// KeyNote says why a key is not sent: a key goes only to the server (ServerOrigin: scheme,
// host and port) it was given for, so that nobody can redirect it to another. The CLI and
// the Settings page say what to do about it.
type KeyNote struct {
	From string // the flag or variable that gave the key at start; "" for a key typed in
	For  string // the origin the key was given for
	To   string // the origin the configuration sends its requests to
}

// String says which key is not sent where, and why.
func (n *KeyNote) String() string {
	if n.From == "" {
		return fmt.Sprintf("the key typed for %s is not sent to %s: a key goes only to the server (scheme, host and port) it was typed for", n.For, n.To)
	}
	return fmt.Sprintf("the key from %s is not sent to %s: a key given at start goes only to the server given at start with it (%s)", n.From, n.To, n.For)
}

// Resolve decides the configuration field by field: what was given at start (a flag, then
// the environment) wins, then the saved settings, then the defaults: openai when
// OPENAI_API_KEY or OPENAI_BASE_URL is set or a base URL was given, libretranslate when
// LIBRETRANSLATE_URL is set, offline otherwise. A key given at start goes only to the server
// given at start with it (the backend's default server when none was), never to a server
// the saved settings name, so nobody can redirect the operator's key from the Settings page.
func Resolve(start Start, saved Settings) Resolved {
	cfg, env := start.Config, start.Env
	pins := maps.Clone(start.Pins)
	if pins == nil {
		pins = map[string]string{}
	}
	fromEnv := func(field string, v *string, value, name string) {
		if strings.TrimSpace(*v) == "" && strings.TrimSpace(value) != "" {
			*v = strings.TrimSpace(value)
			pins[field] = name
		}
	}
	cfg.Backend = strings.ToLower(strings.TrimSpace(cfg.Backend))
	fromEnv(FieldBackend, &cfg.Backend, env.Backend, EnvBackend)
	cfg.Backend = strings.ToLower(cfg.Backend)
	if cfg.Backend == "" {
		cfg.Backend = strings.ToLower(strings.TrimSpace(saved.Backend))
	}
	if cfg.Backend == "" {
		switch {
		case cfg.BaseURL != "" || env.OpenAIKey != "" || env.OpenAIBaseURL != "":
			cfg.Backend = OpenAI
		case env.LibreTranslateURL != "":
			cfg.Backend = LibreTranslate
		default:
			cfg.Backend = Offline
		}
	}
	switch cfg.Backend {
	case OpenAI:
		fromEnv(FieldBaseURL, &cfg.BaseURL, env.OpenAIBaseURL, EnvOpenAIBaseURL)
		fromEnv(FieldAPIKey, &cfg.APIKey, env.OpenAIKey, EnvOpenAIKey)
		fromEnv(FieldModel, &cfg.Model, env.Model, EnvModel)
		if cfg.APIVersion == "" {
			cfg.APIVersion = strings.TrimSpace(env.OpenAIAPIVersion)
		}
	case LibreTranslate:
		fromEnv(FieldBaseURL, &cfg.BaseURL, env.LibreTranslateURL, EnvLibreTranslateURL)
		fromEnv(FieldAPIKey, &cfg.APIKey, env.LibreTranslateKey, EnvLibreTranslateKey)
	}
	cfg.BaseURL, cfg.Model, cfg.APIKey = strings.TrimSpace(cfg.BaseURL), strings.TrimSpace(cfg.Model), strings.TrimSpace(cfg.APIKey)
	startOrigin := ServerOrigin(cfg.Backend, cfg.BaseURL)
	srv := saved.Servers[cfg.Backend]
	if cfg.BaseURL == "" {
		cfg.BaseURL = strings.TrimSpace(srv.BaseURL)
	}
	if cfg.Model == "" {
		cfg.Model = strings.TrimSpace(srv.Model)
	}
	if cfg.BatchSize == 0 {
		cfg.BatchSize = saved.BatchSize
	}
	if cfg.Concurrency == 0 {
		cfg.Concurrency = saved.Concurrency
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = saved.Timeout
	}
	r := Resolved{Config: cfg, Pins: pins}
	if origin := ServerOrigin(cfg.Backend, cfg.BaseURL); cfg.APIKey != "" && origin != startOrigin {
		r.KeyNote = &KeyNote{From: pins[FieldAPIKey], For: startOrigin, To: origin}
		if r.KeyNote.For == "" {
			r.KeyNote.For = "none"
		}
		r.APIKey = ""
	}
	return r
}

// ServerOrigin is the origin a backend's requests go to: the scheme, host and port of
// baseURL, or of the backend's default server when baseURL is empty, lower-cased and with a
// default port (80 for http, 443 for https) left out. A key belongs to one origin, not only
// one host, so that a key given for https://host never goes in cleartext to http://host.
func ServerOrigin(backend, baseURL string) string {
	raw := strings.TrimSpace(baseURL)
	if raw == "" {
		switch backend {
		case OpenAI:
			raw = openai.DefaultBaseURL
		case LibreTranslate:
			raw = libretranslate.DefaultBaseURL
		}
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return strings.ToLower(raw)
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if strings.Contains(host, ":") { // IPv6
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return scheme + "://" + host
}

// Validate checks the fields the Settings page can set, each error naming its field.
func (c Config) Validate() error {
	known := false
	for _, n := range Names() {
		known = known || c.Backend == n
	}
	if !known {
		return translate.ErrInvalid.Errorf("%s: %q is not one of %s", FieldBackend, c.Backend, strings.Join(Names(), ", "))
	}
	if c.BaseURL != "" && c.Backend != Offline {
		if _, err := translate.ServerURL(c.BaseURL); err != nil {
			return translate.ErrInvalid.Errorf("%s: %w, such as http://127.0.0.1:11434/v1", FieldBaseURL, err)
		}
	}
	if c.Backend == OpenAI && c.Model == "" && c.BaseURL != "" && strings.TrimRight(c.BaseURL, "/") != openai.DefaultBaseURL {
		return translate.ErrInvalid.Errorf("%s: the server at %s needs a model name it serves (for Ollama e.g. llama3.1)", FieldModel, c.BaseURL)
	}
	return nil
}
