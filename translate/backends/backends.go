// Package backends builds a translation backend from what the program was started with (its
// flags and environment, read by the program) and the saved settings. It sits apart from
// package translate because it imports every backend, and the backends import translate.
package backends

import (
	"log/slog"
	"net/http"
	"strings"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/libretranslate"
	"github.com/tarjama/tarjama/translate/offline"
	"github.com/tarjama/tarjama/translate/openai"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// The backend names accepted by --backend and TARJAMA_BACKEND.
const (
	OpenAI         = "openai"
	LibreTranslate = "libretranslate"
	Offline        = "offline"
)

// Names lists the backends, for flag help and the settings page.
func Names() []string { return []string{OpenAI, LibreTranslate, Offline} }

// The environment variables the fields of Environment come from; Resolve names them in Pins.
const (
	EnvBackend           = "TARJAMA_BACKEND"
	EnvModel             = "TARJAMA_MODEL"
	EnvOpenAIKey         = "OPENAI_API_KEY"
	EnvOpenAIBaseURL     = "OPENAI_BASE_URL"
	EnvOpenAIAPIVersion  = "OPENAI_API_VERSION" // Azure OpenAI only
	EnvLibreTranslateURL = "LIBRETRANSLATE_URL"
	EnvLibreTranslateKey = "LIBRETRANSLATE_API_KEY"
)

// Environment is what the program's environment says about the backends, read once by the
// program when it starts; Resolve uses each value for its own backend only.
type Environment struct {
	Backend           string // EnvBackend
	Model             string // EnvModel
	OpenAIKey         string // EnvOpenAIKey
	OpenAIBaseURL     string // EnvOpenAIBaseURL
	OpenAIAPIVersion  string // EnvOpenAIAPIVersion
	LibreTranslateURL string // EnvLibreTranslateURL
	LibreTranslateKey string // EnvLibreTranslateKey
}

// Config chooses a backend and says how to reach it. Resolve fills it from the flags, the
// environment and the saved settings.
type Config struct {
	Backend    string // OpenAI, LibreTranslate or Offline; empty: chosen by Resolve
	BaseURL    string // server URL (openai: e.g. http://127.0.0.1:11434/v1 for Ollama)
	APIKey     string
	Model      string
	APIVersion string // Azure OpenAI only
	// Limits are the pipeline's knobs (BatchSize, Concurrency, Timeout, Retries); pass them on
	// as pipeline.Pipeline.Limits.
	pipeline.Limits
	HTTPClient *http.Client // optional, for tests
	Logger     *slog.Logger // optional
}

// New builds the backend cfg names. It does not contact the server: call translate.Check for
// that before a long run.
func New(cfg Config) (translate.Backend, error) {
	switch strings.ToLower(strings.TrimSpace(cfg.Backend)) {
	case OpenAI:
		b, err := openai.New(openai.Config{
			BaseURL:     cfg.BaseURL,
			APIKey:      cfg.APIKey,
			Model:       cfg.Model,
			APIVersion:  cfg.APIVersion,
			BatchSize:   cfg.BatchSize,
			Concurrency: cfg.Concurrency,
			Timeout:     cfg.Timeout,
			HTTPClient:  cfg.HTTPClient,
			Logger:      cfg.Logger,
		})
		if err != nil {
			return nil, err // not a typed nil inside the interface
		}
		return b, nil
	case LibreTranslate:
		b, err := libretranslate.New(libretranslate.Config{
			BaseURL:     cfg.BaseURL,
			APIKey:      cfg.APIKey,
			BatchSize:   cfg.BatchSize,
			Concurrency: cfg.Concurrency,
			Timeout:     cfg.Timeout,
			HTTPClient:  cfg.HTTPClient,
		})
		if err != nil {
			return nil, err
		}
		return b, nil
	case Offline, "":
		return offline.New(), nil
	}
	return nil, translate.ErrInvalid.Errorf("backend %q: choose one of %s", cfg.Backend, strings.Join(Names(), ", "))
}

// String describes the configuration for logs and the settings page, with the key masked.
func (c Config) String() string {
	var b strings.Builder
	b.WriteString(c.Backend)
	if c.Model != "" {
		b.WriteString(" model " + c.Model)
	}
	if c.BaseURL != "" {
		b.WriteString(" at " + c.BaseURL)
	}
	if c.APIKey != "" {
		b.WriteString(" key " + MaskKey(c.APIKey))
	}
	return b.String()
}

// keyMask stands for a key whose characters are not shown.
const keyMask = "****"

// minKeyShown is the shortest key whose last characters MaskKey shows: four characters of a
// shorter key would give away too much of it.
const minKeyShown = 16

// MaskKey shows enough of an API key to tell keys apart and never most of it: the last four
// characters of a key of at least 16, and only a fixed mask for a shorter one.
func MaskKey(k string) string {
	r := []rune(strings.TrimSpace(k))
	switch {
	case len(r) == 0:
		return ""
	case len(r) < minKeyShown:
		return keyMask
	}
	return keyMask + string(r[len(r)-4:])
}
