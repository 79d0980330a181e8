package openai_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/openai"
)

// noNetwork fails every request and counts them: a backend that should not send anything is
// caught sending without any network access.
type noNetwork struct{ sent atomic.Int32 }

func (n *noNetwork) RoundTrip(r *http.Request) (*http.Response, error) {
	n.sent.Add(1)
	return nil, errors.New("test transport: no network here (" + r.URL.Host + ")")
}

const noKey = "no API key, which OpenAI's API needs"

// missingKey reports whether err says the key is the setting to give.
func missingKey(err error) bool {
	var se *translate.SettingError
	return errors.As(err, &se) && se.Setting == translate.SettingAPIKey && se.Missing
}

// OpenAI's own API without a key fails before any request, naming the key as the setting to
// give (the CLI and the Settings page say how).
func TestNoKeyForOpenAIFailsBeforeAnyRequest(t *testing.T) {
	for _, tc := range []struct {
		name, baseURL, key string
	}{
		{"DefaultBaseURL", "", ""},
		{"ExplicitBaseURL", "https://api.openai.com/v1", ""},
		{"OtherSpelling", "HTTPS://API.OpenAI.com/v1/", ""},
		{"BlankKey", openai.DefaultBaseURL, "   "},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rt := &noNetwork{}
			b, err := openai.New(openai.Config{BaseURL: tc.baseURL, APIKey: tc.key, HTTPClient: &http.Client{Transport: rt}, Logger: quiet})
			if err != nil {
				t.Fatalf("New: %v; a backend without a key is still built (the settings page may add one)", err)
			}
			err = translate.Check(context.Background(), b, 0)
			if !errors.Is(err, translate.ErrBackendUnavailable) || !strings.HasSuffix(err.Error(), noKey) || !missingKey(err) || strings.Contains(err.Error(), "cannot reach") {
				t.Errorf("Check = %v\nwant a fatal error ending %q", err, noKey)
			}
			_, err = b.Translate(context.Background(), batch)
			if !errors.Is(err, translate.ErrBackendUnavailable) || !strings.HasSuffix(err.Error(), noKey) || !missingKey(err) {
				t.Errorf("Translate = %v\nwant a fatal error ending %q", err, noKey)
			}
			if n := rt.sent.Load(); n != 0 {
				t.Errorf("%d requests sent; want none", n)
			}
		})
	}
	t.Run("WithKey", func(t *testing.T) {
		rt := &noNetwork{}
		b, err := openai.New(openai.Config{APIKey: "sk-test", HTTPClient: &http.Client{Transport: rt}, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		if err := b.Check(context.Background()); err == nil || strings.Contains(err.Error(), noKey) || rt.sent.Load() == 0 {
			t.Errorf("Check with a key = %v after %d requests; want it to ask the server", err, rt.sent.Load())
		}
	})
}

// A local server needs no key: nothing changes for it.
func TestNoKeyForLocalServerWorks(t *testing.T) {
	srv := backendtest.NewOpenAI(t, backendtest.Success())
	b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "fake-model", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Check(context.Background()); err != nil {
		t.Fatalf("Check against a local server without a key: %v", err)
	}
	res, err := b.Translate(context.Background(), batch)
	if err != nil || len(res.Translations) != len(batch.Items) || srv.Count() != 1 {
		t.Errorf("Translate = %+v, %v after %d requests; want %d translations from 1 request", res, err, srv.Count(), len(batch.Items))
	}
}
