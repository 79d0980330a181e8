package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// `tarjama translate --backend openai` with no key and OpenAI's own API says to set the key
// (or a local server), before contacting anything, instead of "cannot reach".
func TestTranslateOpenAIWithoutKey(t *testing.T) {
	isolate(t)
	db := filepath.Join(t.TempDir(), "nokey.db")
	code, out, errs := runCLI(t, "", "translate", "1", "--db", db, "--backend", "openai")
	want := "no API key, which OpenAI's API needs (set OPENAI_API_KEY or use --api-key; for a local server set --base-url)"
	if code == 0 || !strings.Contains(errs, want) || strings.Contains(errs, "cannot reach") {
		t.Fatalf("translate without a key = %d\nstdout: %s\nstderr: %s\nwant a failure saying %q", code, out, errs, want)
	}
}
