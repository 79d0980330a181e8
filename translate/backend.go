package translate

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tarjama/tarjama/glossary"
)

// Backend is a machine-translation engine: it turns a batch of Arabic segments into English.
// Implementations live in their own files or sub-packages (offline, openai, libretranslate).
type Backend interface {
	// Name is the backend's short name as chosen by flag ("openai", "offline").
	Name() string
	// Model names the model behind the backend ("" when it has none).
	Model() string
	// Capabilities tells the pipeline how to use the backend.
	Capabilities() Capabilities
	// Translate translates every item of the batch. It returns an error only when the batch as
	// a whole failed; the pipeline validates the translations it gets back.
	Translate(ctx context.Context, b Batch) (BatchResult, error)
}

// Capabilities describe what a backend can do.
type Capabilities struct {
	Draft       bool // output is only a draft (offline pre-translation), never "machine" quality
	Glossary    bool // the backend takes the batch's glossary terms into account
	MaxBatch    int  // the most segments one request should carry (0: no limit)
	Concurrency int  // how many requests the backend serves well at once (0: the pipeline's default)
	// Timeout is how long one request may take (0: the pipeline's default); a model on a local
	// CPU needs longer than a hosted API.
	Timeout time.Duration
}

// Batch is one request to a backend: segments of one article, their neighbours as context,
// and only the glossary terms matched in these segments.
type Batch struct {
	Items  []Item
	Before []string // source segments just before the first item, oldest first
	After  []string // source segments just after the last item
	Terms  []TermHint
}

// Item is one segment to translate.
type Item struct {
	ID     int64  `json:"id"`
	Source string `json:"source"`
	Hits   []Hit  `json:"-"` // glossary terms found in Source, in source order
}

// Hit is one glossary match inside an item's source.
type Hit struct {
	Term int    // index into the batch's Terms
	Text string // the words of the source that matched, as written there
}

// TermHint is what a backend is told about one glossary term found in the batch.
type TermHint struct {
	Arabic         string   `json:"arabic"`
	English        string   `json:"english"`
	Type           string   `json:"type,omitempty"`
	Alternatives   []string `json:"accepted_alternatives,omitempty"`
	Forbidden      []string `json:"forbidden,omitempty"`
	Note           string   `json:"note,omitempty"`
	DoNotTranslate bool     `json:"do_not_translate,omitempty"`
}

// HintFor turns a glossary term into the hint a backend sees.
func HintFor(t glossary.Term) TermHint {
	return TermHint{
		Arabic:         t.Arabic,
		English:        t.English,
		Type:           string(t.Type),
		Alternatives:   t.Alternatives,
		Forbidden:      t.Forbidden,
		Note:           t.Note,
		DoNotTranslate: t.DoNotTranslate,
	}
}

// BatchResult is what a backend returns for a batch, also beside an error.
type BatchResult struct {
	Translations []Translation
	Usage        Usage
	// Requests is how many HTTP requests the backend sent for the batch, its own resends
	// included (a server refusing a response format or a temperature gets the request again);
	// the pipeline adds them up for Report.Requests.
	Requests int
}

// Translation is the English for one item.
type Translation struct {
	ID   int64  `json:"id"`
	Text string `json:"translation"`
}

// Usage counts the tokens a request cost, when the backend reports them.
type Usage struct {
	PromptTokens     int `json:"prompt_tokens"`
	CompletionTokens int `json:"completion_tokens"`
}

// Add sums two usages.
func (u Usage) Add(o Usage) Usage {
	return Usage{u.PromptTokens + o.PromptTokens, u.CompletionTokens + o.CompletionTokens}
}

// Errors a backend or the pipeline wraps; callers test them with errors.Is.
var (
	// ErrBackendUnavailable means the backend cannot do the work: the server cannot be reached,
	// refuses the key or does not know the model (the pipeline stops the run at once), or it
	// kept failing (batch after batch, or on every segment of a run).
	ErrBackendUnavailable = &Error{"unavailable", errors.New("translation backend unavailable")}
	// ErrBadOutput means the backend answered but the answer could not be read as translations
	// of the batch (not JSON, truncated, ids missing or extra). The pipeline retries, then splits.
	ErrBadOutput = errors.New("unusable backend output")
)

// BackendError is a failed backend request, with what the pipeline needs to decide whether and
// when to try again.
type BackendError struct {
	Backend    string        // the backend's name
	StatusCode int           // HTTP status of the answer, 0 when none came back
	RetryAfter time.Duration // how long the server asked us to wait (Retry-After), 0 when it did not say
	Temporary  bool          // trying again later may succeed: rate limits, server errors, timeouts, dropped connections
	Fatal      bool          // once retries are spent, stop the run: nothing else will succeed either
	TooLarge   bool          // the request was too big for the model; smaller batches may pass
	Err        error
}

// Error names the backend, the HTTP status when there was one, and the cause.
func (e *BackendError) Error() string {
	if e.StatusCode != 0 {
		return fmt.Sprintf("%s: HTTP %d: %v", e.Backend, e.StatusCode, e.Err)
	}
	return fmt.Sprintf("%s: %v", e.Backend, e.Err)
}

// Unwrap returns the underlying error.
func (e *BackendError) Unwrap() error { return e.Err }

// Kind is ErrBackendUnavailable's: the backend failed the request.
func (e *BackendError) Kind() string { return ErrBackendUnavailable.kind }

// Is makes a fatal BackendError match ErrBackendUnavailable.
func (e *BackendError) Is(target error) bool { return e.Fatal && ErrBackendUnavailable.Is(target) }

// The settings of a backend that a SettingError names; backends.FieldBaseURL and the others
// are the same names.
const (
	SettingBaseURL = "base_url"
	SettingModel   = "model"
	SettingAPIKey  = "api_key"
)

// SettingError says which setting of a backend's configuration is missing or wrong, when a
// backend can tell: the CLI (with its flags and variables) and the Settings page each say
// how to set it in their own words. A backend returns it inside a *BackendError, or inside
// an ErrInvalid from its constructor.
type SettingError struct {
	Setting string // SettingBaseURL, SettingModel or SettingAPIKey
	Missing bool   // none was given, rather than a wrong one
	Reason  string // what is wrong, e.g. "no model given for http://127.0.0.1:11434/v1"
}

func (e *SettingError) Error() string { return e.Reason }

// Checker is implemented by backends that can tell, before a run, whether they are reachable
// and configured (the server answers, the key is accepted, the model exists).
type Checker interface {
	Check(ctx context.Context) error
}

// DefaultCheckTimeout bounds a readiness check when no timeout is configured. It is shorter
// than a local server's request timeout on purpose: listing models or languages is quick even
// on a CPU, so a server silent for this long is not going to translate either.
const DefaultCheckTimeout = 30 * time.Second

// Check asks b whether it is ready when it can tell, and returns nil when it cannot. The check
// is bounded by timeout (0: DefaultCheckTimeout), so a server that accepts connections but
// never answers cannot hang the caller.
func Check(ctx context.Context, b Backend, timeout time.Duration) error {
	c, ok := b.(Checker)
	if !ok {
		return nil
	}
	if timeout <= 0 {
		timeout = DefaultCheckTimeout
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	err := c.Check(cctx)
	if err != nil && ctx.Err() == nil && errors.Is(cctx.Err(), context.DeadlineExceeded) && !errors.Is(err, ErrBackendUnavailable) {
		// a backend that did not classify the timeout itself still gets a clear, fatal error
		err = &BackendError{Backend: b.Name(), Temporary: true, Fatal: true,
			Err: fmt.Errorf("no answer within %s: %w", timeout, err)}
	}
	return err
}

// RetryAfter reads how long a server asked the client to wait before trying again, from the
// non-standard millisecond header some OpenAI-compatible servers send (retry-after-ms) or from
// Retry-After in seconds or as an HTTP date. It returns 0 when the headers say nothing usable.
func RetryAfter(h http.Header, now time.Time) time.Duration {
	if v := strings.TrimSpace(h.Get("Retry-After-Ms")); v != "" {
		if ms, err := strconv.ParseFloat(v, 64); err == nil && ms > 0 {
			return time.Duration(ms * float64(time.Millisecond))
		}
	}
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0
	}
	if secs, err := strconv.ParseFloat(v, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		return time.Duration(secs * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil && t.After(now) {
		return t.Sub(now)
	}
	return 0
}

// HTTPClient returns a copy of base (or a new client), so a backend can wrap its transport
// without changing the caller's client under it. Timeouts come from the request's context
// (Bound), not from the client.
func HTTPClient(base *http.Client) *http.Client {
	if base == nil {
		return &http.Client{}
	}
	c := *base
	return &c
}

// Bound gives ctx the backend's configured timeout d when d is set, so a request made without
// a deadline of the caller's (a direct Check, a test) cannot hang on a server that accepts a
// connection and never answers. A caller's earlier deadline still wins.
func Bound(ctx context.Context, d time.Duration) (context.Context, context.CancelFunc) {
	if d > 0 {
		return context.WithTimeout(ctx, d)
	}
	return ctx, func() {}
}

// ServerURL reads the base URL of a backend's server: it must be an http or https URL with a
// host. The error says what was given and why it cannot be used; callers add whose URL it is.
func ServerURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, ErrInvalid.Errorf("%q is not an http(s) URL", raw)
	}
	return u, nil
}
