// Package libretranslate is the translation backend for a self-hosted LibreTranslate server:
// local neural machine translation for teams without a language model.
package libretranslate

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/tarjama/tarjama/translate"
)

// DefaultBaseURL is where a LibreTranslate server started with its defaults listens.
const DefaultBaseURL = "http://127.0.0.1:5000"

// Config says which LibreTranslate server to use.
type Config struct {
	BaseURL     string        // default DefaultBaseURL
	APIKey      string        // only for servers started with --api-keys
	BatchSize   int           // segments per request the backend suggests (0: 16)
	Concurrency int           // requests at once the backend suggests (0: 2)
	Timeout     time.Duration // upper bound for one request when the caller sets none
	HTTPClient  *http.Client  // optional
}

// Backend translates through LibreTranslate's /translate endpoint. LibreTranslate knows no
// glossary and takes no context: the pipeline's glossary check flags what it gets wrong.
type Backend struct {
	cfg  Config
	http *http.Client
}

// New returns a backend for cfg. It does not contact the server; Check does.
func New(cfg Config) (*Backend, error) {
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if _, err := translate.ServerURL(cfg.BaseURL); err != nil {
		return nil, translate.ErrInvalid.Errorf("libretranslate: base URL %w", err)
	}
	hc := translate.HTTPClient(cfg.HTTPClient)
	return &Backend{cfg: cfg, http: hc}, nil
}

// Name is "libretranslate".
func (b *Backend) Name() string { return "libretranslate" }

// Model is empty: LibreTranslate picks its Arabic→English model itself.
func (b *Backend) Model() string { return "" }

// BaseURL is the server the backend talks to.
func (b *Backend) BaseURL() string { return b.cfg.BaseURL }

// Capabilities: batched, no glossary.
func (b *Backend) Capabilities() translate.Capabilities {
	c := translate.Capabilities{MaxBatch: b.cfg.BatchSize, Concurrency: b.cfg.Concurrency}
	if c.MaxBatch == 0 {
		c.MaxBatch = 16
	}
	if c.Concurrency == 0 {
		c.Concurrency = 2
	}
	return c
}

type request struct {
	Q      []string `json:"q"`
	Source string   `json:"source"`
	Target string   `json:"target"`
	Format string   `json:"format"`
	APIKey string   `json:"api_key,omitempty"`
}

type response struct {
	TranslatedText json.RawMessage `json:"translatedText"`
	Error          string          `json:"error"`
}

// Translate sends every item's source in one request and pairs the answers by position.
func (b *Backend) Translate(ctx context.Context, batch translate.Batch) (translate.BatchResult, error) {
	if len(batch.Items) == 0 {
		return translate.BatchResult{}, nil
	}
	ctx, cancel := translate.Bound(ctx, b.cfg.Timeout)
	defer cancel()
	req := request{Source: "ar", Target: "en", Format: "text", APIKey: b.cfg.APIKey}
	for _, it := range batch.Items {
		req.Q = append(req.Q, it.Source)
	}
	body, err := json.Marshal(req)
	if err != nil {
		return translate.BatchResult{}, err
	}
	var resp response
	sent := translate.BatchResult{Requests: 1} // one request per batch, answered or not
	if err := b.do(ctx, http.MethodPost, "/translate", body, &resp); err != nil {
		return sent, err
	}
	var texts []string
	if err := json.Unmarshal(resp.TranslatedText, &texts); err != nil {
		var one string
		if err2 := json.Unmarshal(resp.TranslatedText, &one); err2 != nil || len(batch.Items) != 1 {
			return sent, fmt.Errorf("libretranslate: %w: translatedText is not a list of strings", translate.ErrBadOutput)
		}
		texts = []string{one}
	}
	if len(texts) != len(batch.Items) {
		return sent, fmt.Errorf("libretranslate: %w: %d translations for %d segments", translate.ErrBadOutput, len(texts), len(batch.Items))
	}
	out := translate.BatchResult{Translations: make([]translate.Translation, len(texts)), Requests: 1}
	for i, t := range texts {
		out.Translations[i] = translate.Translation{ID: batch.Items[i].ID, Text: t}
	}
	return out, nil
}

// Check asks the server which languages it has and fails unless it translates Arabic to English.
func (b *Backend) Check(ctx context.Context) error {
	ctx, cancel := translate.Bound(ctx, b.cfg.Timeout)
	defer cancel()
	var langs []struct {
		Code    string   `json:"code"`
		Targets []string `json:"targets"`
	}
	if err := b.do(ctx, http.MethodGet, "/languages", nil, &langs); err != nil {
		var be *translate.BackendError
		if errors.As(err, &be) {
			be.Fatal = true
		}
		return fmt.Errorf("check libretranslate at %s: %w", b.cfg.BaseURL, err)
	}
	for _, l := range langs {
		if l.Code != "ar" {
			continue
		}
		for _, t := range l.Targets {
			if t == "en" {
				return nil
			}
		}
	}
	return &translate.BackendError{Backend: "libretranslate", Fatal: true,
		Err: fmt.Errorf("%s does not offer Arabic→English (start it with --load-only ar,en)", b.cfg.BaseURL)}
}

// do runs one request and decodes a JSON answer into v, turning failures into
// *translate.BackendError.
func (b *Backend) do(ctx context.Context, method, path string, body []byte, v any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.cfg.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json")
	resp, err := b.http.Do(req)
	if err != nil {
		return b.transportError(ctx, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return &translate.BackendError{Backend: "libretranslate", Temporary: true, Err: fmt.Errorf("read answer: %w", err)}
	}
	if resp.StatusCode != http.StatusOK {
		var e response
		msg := strings.TrimSpace(string(data))
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			msg = e.Error
		}
		if len(msg) > 300 {
			msg = msg[:300] + "…"
		}
		be := &translate.BackendError{Backend: "libretranslate", StatusCode: resp.StatusCode,
			RetryAfter: translate.RetryAfter(resp.Header, time.Now()), Err: errors.New(msg)}
		switch {
		case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
			be.Temporary = true
		case resp.StatusCode == http.StatusForbidden || resp.StatusCode == http.StatusUnauthorized:
			be.Fatal = true
			be.Err = &translate.SettingError{Setting: translate.SettingAPIKey, Missing: b.cfg.APIKey == "",
				Reason: "the server wants a valid API key: " + msg}
		case resp.StatusCode == http.StatusNotFound:
			be.Fatal = true
			be.Err = fmt.Errorf("%s%s not found: is this a LibreTranslate server? %s", b.cfg.BaseURL, path, msg)
		case resp.StatusCode == http.StatusRequestEntityTooLarge:
			be.TooLarge = true
		}
		return be
	}
	if err := json.Unmarshal(data, v); err != nil {
		return fmt.Errorf("libretranslate: %w: %v", translate.ErrBadOutput, err)
	}
	return nil
}

// isTimeout reports a network timeout that is not a context deadline (a caller's client may set
// http.Client.Timeout, or the dial may time out).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func (b *Backend) transportError(ctx context.Context, err error) error {
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return ctx.Err()
	}
	be := &translate.BackendError{Backend: "libretranslate", Temporary: true, Err: err}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || isTimeout(err):
		be.Err = fmt.Errorf("no answer from %s in time: %w", b.cfg.BaseURL, context.DeadlineExceeded)
	case errors.As(err, &dnsErr):
		be.Temporary, be.Fatal = false, true
		be.Err = fmt.Errorf("cannot reach %s: %w", b.cfg.BaseURL, dnsErr)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		be.Fatal = true
		be.Err = fmt.Errorf("cannot reach %s (is LibreTranslate running?): %w", b.cfg.BaseURL, opErr.Err)
	}
	return be
}
