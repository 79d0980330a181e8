// Package openai is the translation backend for any server that speaks the OpenAI
// chat-completions protocol: OpenAI itself, Azure OpenAI, and local servers such as Ollama,
// llama.cpp's server, vLLM and LM Studio, chosen by base URL.
package openai

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	goai "github.com/sashabaranov/go-openai"

	"github.com/tarjama/tarjama/translate"
)

// DefaultBaseURL is OpenAI's own API.
const DefaultBaseURL = "https://api.openai.com/v1"

// DefaultModel is used against OpenAI's own API when no model is given.
const DefaultModel = "gpt-4o-mini"

// DefaultAzureAPIVersion is the first generally available Azure OpenAI API version with
// structured output (json_schema).
const DefaultAzureAPIVersion = "2024-10-21"

// Config says which server and model to use and how.
type Config struct {
	BaseURL     string        // e.g. http://127.0.0.1:11434/v1 for Ollama; default DefaultBaseURL
	APIKey      string        // may be empty for local servers
	Model       string        // the model (Azure: the deployment name); required unless BaseURL is OpenAI's
	APIVersion  string        // Azure only; default DefaultAzureAPIVersion
	Azure       bool          // speak Azure OpenAI even though the host is not *.openai.azure.com (a gateway)
	Temperature float32       // 0 (the default) asks for the most literal, repeatable output
	BatchSize   int           // segments per request the backend suggests to the pipeline (0: the pipeline's default)
	Concurrency int           // requests at once the backend suggests (0: 4 for remote servers, 1 for local ones)
	Timeout     time.Duration // upper bound for one request when the caller sets none (0: no bound of its own)
	HTTPClient  *http.Client  // optional; its transport is wrapped, not replaced
	Logger      *slog.Logger  // optional
}

// Response formats, from the strictest down; a server that rejects one gets the next.
const (
	formatSchema int32 = iota // response_format json_schema
	formatObject              // response_format json_object (JSON mode)
	formatText                // no response_format: the prompt alone asks for JSON
)

// Backend translates through an OpenAI-compatible chat-completions server.
type Backend struct {
	cfg    Config
	api    *goai.Client
	azure  bool
	local  bool
	openAI bool // the server is OpenAI's own API, which needs a key
	log    *slog.Logger
	format atomic.Int32 // the response format the server accepts, learned from its errors
	noTemp atomic.Bool  // the server rejected an explicit temperature (reasoning models)
}

// New returns a backend for cfg. It does not contact the server; Check does.
func New(cfg Config) (*Backend, error) {
	cfg.BaseURL = strings.TrimRight(strings.TrimSpace(cfg.BaseURL), "/")
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	u, err := translate.ServerURL(cfg.BaseURL)
	if err != nil {
		return nil, translate.ErrInvalid.Errorf("openai: base URL %w", err)
	}
	cfg.Model = strings.TrimSpace(cfg.Model)
	if cfg.Model == "" {
		if !isOpenAI(u) {
			return nil, translate.ErrInvalid.Errorf("openai: %w", &translate.SettingError{Setting: translate.SettingModel, Missing: true,
				Reason: "no model given for " + cfg.BaseURL})
		}
		cfg.Model = DefaultModel
	}
	b := &Backend{cfg: cfg, azure: cfg.Azure || isAzure(u), local: isLocal(u), openAI: isOpenAI(u), log: cfg.Logger}
	if b.log == nil {
		b.log = slog.Default()
	}
	var gc goai.ClientConfig
	if b.azure {
		gc = goai.DefaultAzureConfig(cfg.APIKey, cfg.BaseURL)
		gc.APIVersion = cfg.APIVersion
		if gc.APIVersion == "" {
			gc.APIVersion = DefaultAzureAPIVersion
		}
		gc.AzureModelMapperFunc = func(model string) string { return model } // the model is the deployment name
	} else {
		gc = goai.DefaultConfig(cfg.APIKey)
		gc.BaseURL = cfg.BaseURL
	}
	hc := translate.HTTPClient(cfg.HTTPClient)
	hc.Transport = transport{base: hc.Transport}
	gc.HTTPClient = hc
	b.api = goai.NewClientWithConfig(gc)
	return b, nil
}

// isOpenAI recognises OpenAI's own API (the default base URL), which refuses every request
// without a key.
func isOpenAI(u *url.URL) bool {
	return strings.EqualFold(u.Hostname(), "api.openai.com")
}

// keyMissing returns a fatal error when the backend talks to OpenAI's own API without a key,
// and nil otherwise: local servers and gateways work without one. It is checked before any
// request, in Check and in Translate, not in New, so a server can still start (and its
// Settings page take a key) with the backend configured this way. Sending nothing is the
// point: the request could only be refused, or, offline, end in a misleading "cannot reach".
func (b *Backend) keyMissing() error {
	if !b.openAI || strings.TrimSpace(b.cfg.APIKey) != "" {
		return nil
	}
	return &translate.BackendError{Backend: "openai", Fatal: true,
		Err: &translate.SettingError{Setting: translate.SettingAPIKey, Missing: true, Reason: "no API key, which OpenAI's API needs"}}
}

// isAzure recognises Azure OpenAI endpoints, which want the api-key header and deployment URLs.
func isAzure(u *url.URL) bool {
	h := strings.ToLower(u.Hostname())
	return strings.HasSuffix(h, ".openai.azure.com") || strings.HasSuffix(h, ".cognitiveservices.azure.com")
}

// isLocal reports whether the server runs on this machine, where one request at a time is all
// a model server usually handles well.
func isLocal(u *url.URL) bool {
	h := u.Hostname()
	if h == "localhost" {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// Name is "openai".
func (b *Backend) Name() string { return "openai" }

// Model is the configured model.
func (b *Backend) Model() string { return b.cfg.Model }

// BaseURL is the server the backend talks to.
func (b *Backend) BaseURL() string { return b.cfg.BaseURL }

// LocalTimeout is the request timeout suggested for servers on this machine, where a model
// running on the CPU may take minutes for one batch.
const LocalTimeout = 5 * time.Minute

// Capabilities: glossary-aware, batched; local servers get one request at a time and a longer
// timeout by default.
func (b *Backend) Capabilities() translate.Capabilities {
	c := translate.Capabilities{Glossary: true, MaxBatch: b.cfg.BatchSize, Concurrency: b.cfg.Concurrency}
	if c.Concurrency == 0 {
		c.Concurrency = 4
		if b.local {
			c.Concurrency = 1
		}
	}
	if b.local {
		c.Timeout = LocalTimeout
	}
	return c
}

// reasoningModel reports models that refuse any temperature but the default.
func reasoningModel(m string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5", "gpt-6"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// Translate sends one batch as one chat request and reads the translations from the answer.
// Usage and the number of requests sent are returned even when the answer cannot be used.
func (b *Backend) Translate(ctx context.Context, batch translate.Batch) (translate.BatchResult, error) {
	if err := b.keyMissing(); err != nil {
		return translate.BatchResult{}, err
	}
	ctx, cancel := translate.Bound(ctx, b.cfg.Timeout)
	defer cancel()
	user, err := UserMessage(batch)
	if err != nil {
		return translate.BatchResult{}, fmt.Errorf("openai: build prompt: %w", err)
	}
	sent := 0 // requests sent for this batch, the resends after a refused parameter included
	for {
		format := b.format.Load()
		req := goai.ChatCompletionRequest{
			Model: b.cfg.Model,
			Messages: []goai.ChatCompletionMessage{
				{Role: goai.ChatMessageRoleSystem, Content: SystemPrompt},
				{Role: goai.ChatMessageRoleUser, Content: user},
			},
		}
		sendTemp := !b.noTemp.Load() && !reasoningModel(b.cfg.Model)
		if sendTemp {
			req.Temperature = b.cfg.Temperature
		}
		switch format {
		case formatSchema:
			req.ResponseFormat = &goai.ChatCompletionResponseFormat{
				Type: goai.ChatCompletionResponseFormatTypeJSONSchema,
				JSONSchema: &goai.ChatCompletionResponseFormatJSONSchema{
					Name:   "translations",
					Schema: answerSchema,
					Strict: true,
				},
			}
		case formatObject:
			req.ResponseFormat = &goai.ChatCompletionResponseFormat{Type: goai.ChatCompletionResponseFormatTypeJSONObject}
		}
		c := &call{zeroTemperature: sendTemp && b.cfg.Temperature == 0}
		resp, err := b.api.CreateChatCompletion(withCall(ctx, c), req)
		sent += c.sent
		if err != nil {
			if format < formatText && rejects(err, "response_format", "json_schema", "json_object", "response format", "structured output") {
				if b.format.CompareAndSwap(format, format+1) {
					b.log.Warn("openai: server rejected the response format; falling back", "rejected", formatName(format), "now", formatName(format+1), "err", err)
				}
				continue
			}
			if sendTemp && rejects(err, "temperature") {
				if b.noTemp.CompareAndSwap(false, true) {
					b.log.Warn("openai: server rejected the temperature; using its default", "err", err)
				}
				continue
			}
			return translate.BatchResult{Requests: sent}, b.classify(ctx, err, c)
		}
		usage := translate.Usage{PromptTokens: resp.Usage.PromptTokens, CompletionTokens: resp.Usage.CompletionTokens}
		res := translate.BatchResult{Usage: usage, Requests: sent}
		if len(resp.Choices) == 0 {
			return res, fmt.Errorf("openai: %w: the answer has no choices", translate.ErrBadOutput)
		}
		choice := resp.Choices[0]
		if choice.Message.Refusal != "" {
			return res, fmt.Errorf("openai: %w: the model refused: %s", translate.ErrBadOutput, clip(choice.Message.Refusal, 200))
		}
		if choice.FinishReason == goai.FinishReasonContentFilter {
			return res, fmt.Errorf("openai: %w: the answer was stopped by the server's content filter", translate.ErrBadOutput)
		}
		trs, perr := ParseAnswer(choice.Message.Content)
		if perr != nil {
			if choice.FinishReason == goai.FinishReasonLength {
				return res, &translate.BackendError{Backend: "openai", TooLarge: true,
					Err: fmt.Errorf("the answer hit the model's length limit: %w", perr)}
			}
			return res, fmt.Errorf("openai: %w", perr)
		}
		res.Translations = trs
		return res, nil
	}
}

func formatName(f int32) string {
	switch f {
	case formatSchema:
		return "json_schema"
	case formatObject:
		return "json_object"
	}
	return "text"
}

// rejects reports whether err is the server refusing a request parameter: a 400-class answer
// whose message names one of words.
func rejects(err error, words ...string) bool {
	status, msg := statusOf(err)
	if status != http.StatusBadRequest && status != http.StatusUnprocessableEntity && status != http.StatusNotImplemented {
		return false
	}
	msg = strings.ToLower(msg)
	for _, w := range words {
		if strings.Contains(msg, w) {
			return true
		}
	}
	return false
}

// statusOf digs the HTTP status and the server's message out of a go-openai error.
func statusOf(err error) (int, string) {
	var apiErr *goai.APIError
	if errors.As(err, &apiErr) {
		msg := apiErr.Message
		if apiErr.Param != nil {
			msg += " (param " + *apiErr.Param + ")"
		}
		if code, ok := apiErr.Code.(string); ok && code != "" {
			msg += " [" + code + "]"
		}
		return apiErr.HTTPStatusCode, msg
	}
	var reqErr *goai.RequestError
	if errors.As(err, &reqErr) {
		return reqErr.HTTPStatusCode, strings.TrimSpace(string(reqErr.Body))
	}
	return 0, ""
}

// classify turns a failed request into a *translate.BackendError the pipeline can act on.
func (b *Backend) classify(ctx context.Context, err error, c *call) error {
	be := &translate.BackendError{Backend: "openai", Err: err}
	if c.header != nil {
		be.RetryAfter = translate.RetryAfter(c.header, time.Now())
	}
	status, msg := statusOf(err)
	if status != 0 {
		be.StatusCode = status
		be.Err = errors.New(clip(msg, 300))
		lower := strings.ToLower(msg)
		switch {
		case status == http.StatusTooManyRequests && strings.Contains(lower, "insufficient_quota"):
			be.Fatal = true
			be.Err = fmt.Errorf("the account has no quota left: %s", clip(msg, 300))
		case status == http.StatusTooManyRequests, status == http.StatusRequestTimeout, status == http.StatusConflict,
			status == http.StatusTooEarly, status >= 500:
			be.Temporary = true
		case status == http.StatusUnauthorized || status == http.StatusForbidden:
			be.Fatal = true
			be.Err = &translate.SettingError{Setting: translate.SettingAPIKey, Missing: strings.TrimSpace(b.cfg.APIKey) == "",
				Reason: "the server refused the API key: " + clip(msg, 300)}
		case status == http.StatusNotFound:
			be.Fatal = true
			be.Err = &translate.SettingError{Setting: translate.SettingModel,
				Reason: fmt.Sprintf("model %q or the endpoint %s/chat/completions not found: %s", b.cfg.Model, b.cfg.BaseURL, clip(msg, 300))}
		case status == http.StatusRequestEntityTooLarge || strings.Contains(lower, "context length") ||
			strings.Contains(lower, "context_length") || strings.Contains(lower, "maximum context") || strings.Contains(lower, "too many tokens"):
			be.TooLarge = true
		}
		return be
	}
	if errors.Is(err, context.Canceled) && ctx.Err() != nil {
		return ctx.Err()
	}
	if errors.Is(err, context.DeadlineExceeded) || ctx.Err() == context.DeadlineExceeded || isTimeout(err) {
		be.Temporary = true
		be.Err = fmt.Errorf("no answer from %s in time%s: %w", b.cfg.BaseURL, within(b.cfg.Timeout), context.DeadlineExceeded)
		return be
	}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.As(err, &dnsErr):
		be.Fatal = true
		be.Err = fmt.Errorf("cannot reach %s: %w", b.cfg.BaseURL, dnsErr)
	case errors.As(err, &opErr) && opErr.Op == "dial":
		be.Temporary, be.Fatal = true, true
		be.Err = fmt.Errorf("cannot reach %s (is the server running?): %w", b.cfg.BaseURL, opErr.Err)
	case c.status == 0 && !errors.As(err, new(*url.Error)):
		// go-openai refused the request before sending it (a model it does not allow on this
		// endpoint, parameters a reasoning model rejects): no retry will change that
		be.Fatal = true
		be.Err = fmt.Errorf("request not sent: %w", err)
	default:
		// a connection dropped mid-answer, a reset, a garbled body from a proxy: worth another try
		be.Temporary = true
	}
	return be
}

// isTimeout reports a network timeout that is not a context deadline (a caller's client may set
// http.Client.Timeout, or the dial may time out).
func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// within names the configured timeout for error messages ("" when none is configured).
func within(configured time.Duration) string {
	if configured > 0 {
		return " (timeout " + configured.String() + ")"
	}
	return ""
}

// Check asks the server for its model list: it proves the server is reachable and the key
// accepted, and for servers that list models, that the configured model is among them.
// OpenAI's own API without a key fails at once, without a request.
func (b *Backend) Check(ctx context.Context) error {
	if err := b.keyMissing(); err != nil {
		return fmt.Errorf("check openai backend at %s: %w", b.cfg.BaseURL, err)
	}
	ctx, cancel := translate.Bound(ctx, b.cfg.Timeout)
	defer cancel()
	c := &call{}
	list, err := b.api.ListModels(withCall(ctx, c))
	if err != nil {
		be := b.classify(ctx, err, c)
		var bErr *translate.BackendError
		if errors.As(be, &bErr) && bErr.StatusCode == http.StatusNotFound {
			return nil // some servers serve chat completions without a model list
		}
		if errors.As(be, &bErr) {
			bErr.Fatal = true
		}
		return fmt.Errorf("check openai backend at %s: %w", b.cfg.BaseURL, be)
	}
	if b.azure || len(list.Models) == 0 {
		return nil
	}
	var ids []string
	for _, m := range list.Models {
		if m.ID == b.cfg.Model || m.ID == b.cfg.Model+":latest" {
			return nil
		}
		ids = append(ids, m.ID)
	}
	if len(ids) > 12 {
		ids = append(ids[:12], "…")
	}
	return &translate.BackendError{Backend: "openai", Fatal: true, Err: &translate.SettingError{Setting: translate.SettingModel,
		Reason: fmt.Sprintf("model %q is not served by %s (it serves: %s)", b.cfg.Model, b.cfg.BaseURL, strings.Join(ids, ", "))}}
}
