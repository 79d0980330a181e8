package backends_test

import (
	"errors"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
)

func TestResolveFromStart(t *testing.T) {
	for _, tc := range []struct {
		name                         string
		flags                        backends.Config
		env                          backends.Environment
		backend, baseURL, key, model string
	}{
		{"NothingConfigured", backends.Config{}, backends.Environment{}, "offline", "", "", ""},
		{"OpenAIKey", backends.Config{}, backends.Environment{OpenAIKey: "sk-1", Model: "gpt-4o"}, "openai", "", "sk-1", "gpt-4o"},
		{"LocalServer", backends.Config{}, backends.Environment{OpenAIBaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1"},
			"openai", "http://127.0.0.1:11434/v1", "", "llama3.1"},
		{"BaseURLFlag", backends.Config{BaseURL: "http://gpu:8000/v1", Model: "qwen"}, backends.Environment{}, "openai", "http://gpu:8000/v1", "", "qwen"},
		{"FlagsWin", backends.Config{Model: "gpt-4.1"}, backends.Environment{OpenAIKey: "sk-1", Model: "gpt-4o"}, "openai", "", "sk-1", "gpt-4.1"},
		{"LibreTranslate", backends.Config{}, backends.Environment{LibreTranslateURL: "http://lt:5000", LibreTranslateKey: "k"},
			"libretranslate", "http://lt:5000", "k", ""},
		{"ChosenByEnv", backends.Config{}, backends.Environment{Backend: "Offline", OpenAIKey: "sk-1"}, "offline", "", "", ""},
		{"ChosenByFlag", backends.Config{Backend: "libretranslate"}, backends.Environment{OpenAIKey: "sk-1"}, "libretranslate", "", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := backends.Resolve(backends.Start{Config: tc.flags, Env: tc.env}, backends.Settings{})
			if got.Backend != tc.backend || got.BaseURL != tc.baseURL || got.APIKey != tc.key || got.Model != tc.model {
				t.Errorf("Resolve = %+v, want backend %q url %q key %q model %q", got, tc.backend, tc.baseURL, tc.key, tc.model)
			}
		})
	}
}

func TestResolveAPIVersion(t *testing.T) {
	e := backends.Environment{OpenAIKey: "sk-1", OpenAIAPIVersion: "2024-06-01"}
	resolve := func(flags backends.Config) backends.Resolved {
		return backends.Resolve(backends.Start{Config: flags, Env: e}, backends.Settings{})
	}
	if got := resolve(backends.Config{}).APIVersion; got != "2024-06-01" {
		t.Errorf("APIVersion from env = %q", got)
	}
	if got := resolve(backends.Config{APIVersion: "2025-01-01-preview"}).APIVersion; got != "2025-01-01-preview" {
		t.Errorf("APIVersion with a flag = %q, want the flag", got)
	}
	if got := resolve(backends.Config{Backend: "libretranslate"}).APIVersion; got != "" {
		t.Errorf("APIVersion for libretranslate = %q, want none", got)
	}
}

func TestNew(t *testing.T) {
	for _, tc := range []struct {
		cfg  backends.Config
		name string
	}{
		{backends.Config{Backend: "offline"}, "offline"},
		{backends.Config{}, "offline"},
		{backends.Config{Backend: "openai", APIKey: "sk"}, "openai"},
		{backends.Config{Backend: "openai", BaseURL: "http://127.0.0.1:11434/v1", Model: "llama3.1"}, "openai"},
		{backends.Config{Backend: "libretranslate"}, "libretranslate"},
	} {
		b, err := backends.New(tc.cfg)
		if err != nil || b.Name() != tc.name {
			t.Errorf("New(%+v) = %v, %v; want %s", tc.cfg, b, err, tc.name)
		}
	}
	if _, err := backends.New(backends.Config{Backend: "deepl"}); !errors.Is(err, translate.ErrInvalid) {
		t.Errorf("unknown backend: err = %v", err)
	}
	b, err := backends.New(backends.Config{Backend: "openai", BaseURL: "http://127.0.0.1:11434/v1"})
	if err == nil || b != nil {
		t.Errorf("local server without a model: %v, %v; want an error and a nil backend", b, err)
	}
}

func TestConfigStringMasksKey(t *testing.T) {
	c := backends.Config{Backend: "openai", Model: "gpt-4o", APIKey: "sk-proj-abcdefghijklmnop1234"}
	if got, want := c.String(), "openai model gpt-4o key ****1234"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestMaskKey(t *testing.T) {
	for _, tc := range []struct{ key, want string }{
		{"", ""},
		{"   ", ""},
		{"short", "****"},
		{"sk-12345", "****"},
		{"sk-123456789", "****"},         // 12 characters: nothing of it shown
		{"0123456789abcde", "****"},      // 15
		{"0123456789abcdef", "****cdef"}, // 16: the last four
		{" sk-proj-abcdefghijklmnop1234 ", "****1234"},
		{"مفتاح-سري-طويل-جدا-1234", "****1234"}, // counted in characters, not bytes
	} {
		if got := backends.MaskKey(tc.key); got != tc.want {
			t.Errorf("MaskKey(%q) = %q, want %q", tc.key, got, tc.want)
		}
	}
}
