package main

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
)

// saveForm posts the Settings page form as a browser in single-user mode does.
func (p *servedProgram) saveForm(form url.Values) int {
	p.t.Helper()
	token := strings.Repeat("c", 43)
	form.Set("csrf_token", token)
	req, err := http.NewRequest("POST", p.base+"/settings", strings.NewReader(form.Encode()))
	if err != nil {
		p.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "tarjama_csrf", Value: token})
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		p.t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// TestServeKeepsSettingsAcrossRestart runs the real program: what is saved on the Settings
// page is what it translates with after a restart (without the typed key), and a variable
// given at start wins for its field and shows as pinned.
func TestServeKeepsSettingsAcrossRestart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and starts the binary")
	}
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	dir := t.TempDir()
	bin := filepath.Join(dir, "tarjama")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	db := filepath.Join(dir, "settings.db")
	p := startServe(t, bin, db)
	if !strings.Contains(p.ready, "backend=offline") {
		t.Fatalf("first start: %q; want the offline backend", p.ready)
	}
	const key = "sk-typed-in-the-browser-0123456789"
	if code := p.saveForm(url.Values{"backend": {"openai"}, "base_url": {llm.BaseURL()}, "model": {"m-saved"}, "api_key": {key}}); code != http.StatusSeeOther {
		t.Fatalf("save = %d, want a redirect back to the page", code)
	}
	p.stop()

	p = startServe(t, bin, db)
	if !strings.Contains(p.ready, `backend="openai m-saved"`) {
		t.Fatalf("after a restart: %q; want the saved backend and model", p.ready)
	}
	code, body := p.call("POST", "/api/articles/1/translate", "")
	var got struct{ Backend string }
	if err := json.Unmarshal(body, &got); err != nil || code != http.StatusOK || got.Backend != "openai m-saved" {
		t.Fatalf("translate after a restart = %d %s", code, body)
	}
	reqs := llm.Requests()
	if len(reqs) == 0 {
		t.Fatal("no request reached the saved server")
	}
	for _, r := range reqs {
		if r.Model != "m-saved" || strings.Contains(r.Header.Get("Authorization"), key) {
			t.Errorf("request %d: model %q, Authorization %q; want m-saved and not the key typed before the restart", r.N, r.Model, r.Header.Get("Authorization"))
		}
	}
	p.stop()

	p = startServe(t, bin, db, "TARJAMA_MODEL=m-env")
	defer p.stop()
	if !strings.Contains(p.ready, `backend="openai m-env"`) {
		t.Fatalf("with TARJAMA_MODEL at start: %q; want openai m-env", p.ready)
	}
	code, body = p.call("GET", "/settings", "")
	page := string(body)
	if code != http.StatusOK || !strings.Contains(page, "set by TARJAMA_MODEL at start") || !strings.Contains(page, `value="`+llm.BaseURL()+`"`) {
		t.Errorf("settings page = %d; want the model pinned by TARJAMA_MODEL and the saved URL", code)
	}
}

// TestTranslateUsesSavedSettings: the CLI translates with what the Settings page saved,
// says so, and lets a flag or variable win for its field.
func TestTranslateUsesSavedSettings(t *testing.T) {
	isolate(t)
	llm := backendtest.NewOpenAI(t, backendtest.Success())
	llm.Models = []string{"m-saved", "m-flag", "m-env"}
	db := filepath.Join(t.TempDir(), "saved.db")
	ctx := context.Background()
	d := migrationstest.OpenFile(t, db)
	saved := backends.Settings{Backend: "openai", BatchSize: 2, Servers: map[string]backends.Server{"openai": {BaseURL: llm.BaseURL(), Model: "m-saved"}}}
	if _, err := backends.NewSettingsStore(d.W, d.R, time.Now).Save(ctx, saved, "mona"); err != nil {
		t.Fatal(err)
	}
	d.Close()

	models := func() map[string]int {
		m := map[string]int{}
		for _, r := range llm.Requests() {
			m[r.Model]++
		}
		llm.Reset()
		return m
	}
	for _, tc := range []struct {
		name      string
		args      []string
		env       map[string]string
		model     string
		sayModel  string
		saysWhere string
	}{
		{"Saved", nil, nil, "m-saved", "openai m-saved at " + llm.BaseURL(), "settings saved by mona on "},
		{"FlagWins", []string{"--model", "m-flag"}, nil, "m-flag", "openai m-flag at " + llm.BaseURL(), "model from --model"},
		{"EnvWins", nil, map[string]string{"TARJAMA_MODEL": "m-env"}, "m-env", "openai m-env at " + llm.BaseURL(), "model from TARJAMA_MODEL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			args := append([]string{"translate", "1", "--db", db, "--retranslate", "--no-cache"}, tc.args...)
			code, out, errs := runCLI(t, "", args...)
			if code != 0 {
				t.Fatalf("translate = %d\nstdout: %s\nstderr: %s", code, out, errs)
			}
			if !strings.Contains(errs, "translating with "+tc.sayModel) || !strings.Contains(errs, tc.saysWhere) {
				t.Errorf("stderr = %q; want it to say %q and %q", errs, "translating with "+tc.sayModel, tc.saysWhere)
			}
			if got := models(); len(got) != 1 || got[tc.model] == 0 {
				t.Errorf("requests by model = %v, want all for %s", got, tc.model)
			}
		})
	}

	// A key from the environment is not sent to a server only the saved settings name.
	t.Setenv("OPENAI_API_KEY", "sk-env-0123456789abcdef")
	code, _, errs := runCLI(t, "", "translate", "1", "--db", db, "--retranslate", "--no-cache")
	if code != 0 || !strings.Contains(errs, "the key from OPENAI_API_KEY is not sent to") || !strings.Contains(errs, "(OPENAI_BASE_URL or --base-url)") {
		t.Fatalf("translate with OPENAI_API_KEY = %d, stderr %q; want a warning that the key stays back", code, errs)
	}
	for _, r := range llm.Requests() {
		if strings.Contains(r.Header.Get("Authorization"), "sk-env") {
			t.Errorf("request %d carried the environment's key to the saved server", r.N)
		}
	}
}
