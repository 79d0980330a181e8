package openai_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/openai"
)

var quiet = slog.New(slog.DiscardHandler)

var batch = translate.Batch{
	Items:  []translate.Item{{ID: 7, Source: "قال ريابكوف إن الحوار مستمر."}, {ID: 8, Source: "وأكد لافروف ذلك."}},
	Before: []string{"عنوان"},
	Terms:  []translate.TermHint{{Arabic: "ريابكوف", English: "Ryabkov", Note: "deputy foreign minister"}},
}

func TestParseAnswer(t *testing.T) {
	want := `[{7 Ryabkov said talks go on.} {8 Lavrov confirmed it.}]`
	for _, tc := range []struct {
		name    string
		content string
	}{
		{"Schema", `{"translations":[{"id":7,"translation":"Ryabkov said talks go on."},{"id":8,"translation":"Lavrov confirmed it."}]}`},
		{"Fenced", "Here you go:\n```json\n{\"translations\":[{\"id\":7,\"translation\":\"Ryabkov said talks go on.\"},{\"id\":8,\"translation\":\"Lavrov confirmed it.\"}]}\n```\nHope this helps."},
		{"Prose", `Sure. {"translations":[{"id":7,"translation":"Ryabkov said talks go on."},{"id":8,"translation":"Lavrov confirmed it."}]} Done.`},
		{"BareArray", `[{"id":7,"translation":"Ryabkov said talks go on."},{"id":8,"translation":"Lavrov confirmed it."}]`},
		{"StringIDsOtherKey", `{"segments":[{"id":"7","text":"Ryabkov said talks go on."},{"id":"8","english":"Lavrov confirmed it."}]}`},
		{"KeyedByID", `{"8":"Lavrov confirmed it.","7":"Ryabkov said talks go on."}`},
		{"Thinking", "<think>The user wants {json}. Let me think [carefully].</think>\n" +
			`{"translations":[{"id":7,"translation":"Ryabkov said talks go on."},{"id":8,"translation":"Lavrov confirmed it."}]}`},
		{"BracesInProseFirst", `I used {curly} quotes. {"translations":[{"id":7,"translation":"Ryabkov said talks go on."},{"id":8,"translation":"Lavrov confirmed it."}]}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := openai.ParseAnswer(tc.content)
			if err != nil {
				t.Fatal(err)
			}
			if s := strings.TrimSpace(strings.ReplaceAll(fmtTrs(got), "\n", " ")); s != want {
				t.Errorf("got %s, want %s", s, want)
			}
		})
	}
	for _, tc := range []struct {
		name, content, want string
	}{
		{"Empty", "  ", "empty answer"},
		{"NoJSON", "I cannot translate this.", `no translations JSON in the answer: "I cannot translate this."`},
		{"Truncated", `{"translations":[{"id":7,"translation":"Ryabkov said"},{"id":8,"transl`, "the JSON in the answer is incomplete (cut off?)"},
		{"WrongShape", `{"answer": "Ryabkov said talks go on."}`, `no translations JSON in the answer: "{\"answer\": \"Ryabkov said talks go on.\"}"`},
		{"NoID", `{"translations":[{"id":7,"translation":"Ryabkov said talks go on."},{"translation":"Lavrov confirmed it."}]}`,
			`entry 2 of the answer's "translations" has no id`},
		{"NoText", `{"translations":[{"id":7}]}`, `entry 1 of the answer's "translations" (id 7) has no "translation"`},
		{"TextNotString", `{"translations":[{"id":7,"translation":["Ryabkov"]}]}`, `entry 1 of the answer's "translations" (id 7) has a "translation" that is not a string`},
		{"IDNotNumber", `{"translations":[{"id":"seven","translation":"Ryabkov said talks go on."}]}`, `entry 1 of the answer's "translations" has id "seven", which is not a number`},
		{"StringsWithoutIDs", `{"translations":["Ryabkov said talks go on."]}`,
			`entry 1 of the answer's "translations" is not an {"id", "translation"} object: "Ryabkov said talks go on."`},
		{"NotAList", `{"translations":"Ryabkov said talks go on."}`, `the answer's "translations" is not a list`},
		{"BareListNoID", `[{"translation":"Ryabkov said talks go on."}]`, `entry 1 of the answer's list has no id`},
		{"AsideInProse", `I cannot [sic] do this.`, `no translations JSON in the answer: "I cannot [sic] do this."`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := openai.ParseAnswer(tc.content)
			if want := "unusable backend output: " + tc.want; !errors.Is(err, translate.ErrBadOutput) || err.Error() != want {
				t.Errorf("err = %v\nwant ErrBadOutput saying %s", err, want)
			}
		})
	}
	// an explicitly empty list is read as such: the pipeline names the segments it lacks
	for _, content := range []string{`{"translations": []}`, "```json\n{\"translations\":[]}\n```", `[]`} {
		got, err := openai.ParseAnswer(content)
		if err != nil || got == nil || len(got) != 0 {
			t.Errorf("ParseAnswer(%q) = %v, %v; want an empty list", content, got, err)
		}
	}
	// an empty example list before the real one does not hide it
	got, err := openai.ParseAnswer(`The format is {"translations": []}. Here: {"translations":[{"id":7,"translation":"Ryabkov said talks go on."},{"id":8,"translation":"Lavrov confirmed it."}]}`)
	if err != nil || fmtTrs(got) != want {
		t.Errorf("after an empty example: %s, %v; want %s", fmtTrs(got), err, want)
	}
}

func fmtTrs(trs []translate.Translation) string {
	var b strings.Builder
	b.WriteString("[")
	for i, t := range trs {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString("{" + jsonInt(t.ID) + " " + t.Text + "}")
	}
	b.WriteString("]")
	return b.String()
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestUserMessage(t *testing.T) {
	msg, err := openai.UserMessage(batch)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"context_before":["عنوان"],"segments":[{"id":7,"source":"قال ريابكوف إن الحوار مستمر."},{"id":8,"source":"وأكد لافروف ذلك."}],` +
		`"context_after":[],"glossary":[{"arabic":"ريابكوف","english":"Ryabkov","note":"deputy foreign minister"}]}` + "\n"
	if msg != want {
		t.Errorf("user message:\n%s\nwant:\n%s", msg, want)
	}
}

func TestTranslate_Request(t *testing.T) {
	srv := backendtest.NewOpenAI(t, nil)
	b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), APIKey: "sk-test", Model: "fake-model", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Translate(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Translations) != 2 || res.Translations[0].ID != 7 || res.Usage.PromptTokens == 0 {
		t.Errorf("result = %+v", res)
	}
	r := srv.Requests()[0]
	if got := r.Header.Get("Authorization"); got != "Bearer sk-test" {
		t.Errorf("Authorization = %q", got)
	}
	if r.Model != "fake-model" || r.Temperature == nil || *r.Temperature != 0 || r.ResponseFormat != "json_schema" {
		t.Errorf("model %q temperature %v format %q", r.Model, r.Temperature, r.ResponseFormat)
	}
	var body struct {
		ResponseFormat struct {
			JSONSchema struct {
				Strict bool            `json:"strict"`
				Schema json.RawMessage `json:"schema"`
			} `json:"json_schema"`
		} `json:"response_format"`
	}
	if err := json.Unmarshal(r.Body, &body); err != nil {
		t.Fatal(err)
	}
	if !body.ResponseFormat.JSONSchema.Strict || !strings.Contains(string(body.ResponseFormat.JSONSchema.Schema), `"translations"`) {
		t.Errorf("json_schema = %s", r.Body)
	}
}

func TestTranslate_ReasoningModelGetsNoTemperature(t *testing.T) {
	srv := backendtest.NewOpenAI(t, nil)
	b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "o3-mini", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Translate(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	if r := srv.Requests()[0]; r.Temperature != nil {
		t.Errorf("temperature %v sent to a reasoning model", *r.Temperature)
	}
}

func TestTranslate_TemperatureRejected(t *testing.T) {
	srv := backendtest.NewOpenAI(t, func(r *backendtest.Request) backendtest.Reply {
		if r.Temperature != nil {
			return backendtest.Reply{Status: http.StatusBadRequest,
				Body: `{"error":{"message":"Unsupported value: 'temperature' does not support 0 with this model.","type":"invalid_request_error","param":"temperature"}}`}
		}
		return backendtest.Reply{Content: backendtest.Answer(backendtest.Good(r))}
	})
	b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "fake-model", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	var sent []int
	for range 2 {
		res, err := b.Translate(context.Background(), batch)
		if err != nil {
			t.Fatal(err)
		}
		sent = append(sent, res.Requests)
	}
	if fmt.Sprint(sent) != "[2 1]" {
		t.Errorf("requests reported per batch = %v, want [2 1]: the refused request and its resend, then one", sent)
	}
	if srv.Count() != 3 {
		t.Errorf("requests = %d, want 3: one refused, then without temperature from then on", srv.Count())
	}
}

func TestTranslate_ErrorsAreClassified(t *testing.T) {
	for _, tc := range []struct {
		name                  string
		status                int
		body                  string
		temporary, fatal, big bool
		retryAfter            string
	}{
		{"RateLimit", 429, `{"error":{"message":"Rate limit reached","type":"requests"}}`, true, false, false, "2"},
		{"Quota", 429, `{"error":{"message":"You exceeded your current quota","type":"insufficient_quota","code":"insufficient_quota"}}`, false, true, false, ""},
		{"Overloaded", 503, `upstream overloaded`, true, false, false, ""},
		{"BadKey", 401, `{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}`, false, true, false, ""},
		{"NoModel", 404, `{"error":{"message":"model 'llama9' not found, try pulling it first"}}`, false, true, false, ""},
		{"TooLong", 400, `{"error":{"message":"This model's maximum context length is 8192 tokens","code":"context_length_exceeded"}}`, false, false, true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := backendtest.NewOpenAI(t, func(r *backendtest.Request) backendtest.Reply {
				h := map[string]string{}
				if tc.retryAfter != "" {
					h["Retry-After"] = tc.retryAfter
				}
				return backendtest.Reply{Status: tc.status, Body: tc.body, Header: h}
			})
			b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "fake-model", Logger: quiet})
			if err != nil {
				t.Fatal(err)
			}
			_, err = b.Translate(context.Background(), batch)
			var be *translate.BackendError
			if !errors.As(err, &be) {
				t.Fatalf("err = %v (%T), want *translate.BackendError", err, err)
			}
			if be.StatusCode != tc.status || be.Temporary != tc.temporary || be.Fatal != tc.fatal || be.TooLarge != tc.big {
				t.Errorf("got status %d temporary %v fatal %v too large %v (%v)", be.StatusCode, be.Temporary, be.Fatal, be.TooLarge, err)
			}
			if tc.retryAfter == "2" && be.RetryAfter.Seconds() != 2 {
				t.Errorf("RetryAfter = %s, want 2s", be.RetryAfter)
			}
			if errors.Is(err, translate.ErrBackendUnavailable) != tc.fatal {
				t.Errorf("errors.Is(ErrBackendUnavailable) = %v, want %v", !tc.fatal, tc.fatal)
			}
		})
	}
}

func TestAzure(t *testing.T) {
	var mu sync.Mutex
	var path, key, auth string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		mu.Lock()
		path, key, auth = r.URL.String(), r.Header.Get("api-key"), r.Header.Get("Authorization")
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"choices":[{"index":0,"message":{"role":"assistant","content":"{\"translations\":[{\"id\":7,\"translation\":\"a\"},{\"id\":8,\"translation\":\"b\"}]}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":10,"completion_tokens":2}}`)
	}))
	defer srv.Close()
	b, err := openai.New(openai.Config{BaseURL: srv.URL, APIKey: "azure-key", Model: "my-gpt4o.deployment", Azure: true, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.Translate(context.Background(), batch); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := "/openai/deployments/my-gpt4o.deployment/chat/completions?api-version=" + openai.DefaultAzureAPIVersion; path != want {
		t.Errorf("path = %s, want %s", path, want)
	}
	if key != "azure-key" || auth != "" {
		t.Errorf("api-key %q Authorization %q, want the key in api-key only", key, auth)
	}
}

func TestNew(t *testing.T) {
	_, err := openai.New(openai.Config{BaseURL: "http://127.0.0.1:11434/v1"})
	var se *translate.SettingError
	if !errors.Is(err, translate.ErrInvalid) || !errors.As(err, &se) || se.Setting != translate.SettingModel || !se.Missing ||
		err.Error() != "openai: no model given for http://127.0.0.1:11434/v1" {
		t.Errorf("no model for a local server: err = %v; want the model named as the setting to give", err)
	}
	if _, err := openai.New(openai.Config{BaseURL: "ftp://x"}); !errors.Is(err, translate.ErrInvalid) {
		t.Errorf("bad URL: err = %v", err)
	}
	b, err := openai.New(openai.Config{APIKey: "sk"})
	if err != nil || b.Model() != openai.DefaultModel || b.BaseURL() != openai.DefaultBaseURL || b.Capabilities().Concurrency != 4 {
		t.Errorf("OpenAI defaults: %v %v", b, err)
	}
	local, err := openai.New(openai.Config{BaseURL: "http://localhost:11434/v1/", Model: "llama3.1"})
	if err != nil || local.Capabilities().Concurrency != 1 || local.BaseURL() != "http://localhost:11434/v1" {
		t.Errorf("local server: %+v %v", local, err)
	}
}

func TestCheck(t *testing.T) {
	srv := backendtest.NewOpenAI(t, nil)
	srv.Models = []string{"llama3.1:latest", "qwen2.5:7b"}
	for model, ok := range map[string]bool{"llama3.1": true, "qwen2.5:7b": true, "mistral": false} {
		b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: model, Logger: quiet})
		if err != nil {
			t.Fatal(err)
		}
		err = b.Check(context.Background())
		if ok != (err == nil) {
			t.Errorf("Check(%s) = %v", model, err)
		}
		if !ok && (!errors.Is(err, translate.ErrBackendUnavailable) || !strings.Contains(err.Error(), "qwen2.5:7b")) {
			t.Errorf("Check(%s) = %v, want an unavailable error listing the models", model, err)
		}
	}
}

func TestTranslate_RequestRefusedBeforeSending(t *testing.T) {
	srv := backendtest.NewOpenAI(t, nil)
	b, err := openai.New(openai.Config{BaseURL: srv.BaseURL(), Model: "text-davinci-003", Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Translate(context.Background(), batch)
	if !errors.Is(err, translate.ErrBackendUnavailable) || srv.Count() != 0 || res.Requests != 0 {
		t.Errorf("err = %v after %d requests (%d reported), want a fatal error and no request", err, srv.Count(), res.Requests)
	}
}

func TestTimeoutBoundsCheckAndRequests(t *testing.T) {
	srv := backendtest.NewSilent(t)
	const timeout = 200 * time.Millisecond
	b, err := openai.New(openai.Config{BaseURL: srv.URL + "/v1", Model: "m", Timeout: timeout, Logger: quiet})
	if err != nil {
		t.Fatal(err)
	}
	for name, do := range map[string]func() error{
		"Check":     func() error { return b.Check(context.Background()) },
		"Translate": func() error { _, err := b.Translate(context.Background(), batch); return err },
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := do()
			if took := time.Since(start); took > timeout+2*time.Second {
				t.Errorf("%s took %s with a timeout of %s", name, took, timeout)
			}
			if err == nil || !strings.Contains(err.Error(), "no answer from") || !strings.Contains(err.Error(), "timeout 200ms") {
				t.Errorf("%s = %v, want a clear timeout error", name, err)
			}
		})
	}
	if err := b.Check(context.Background()); !errors.Is(err, translate.ErrBackendUnavailable) {
		t.Errorf("Check = %v, want ErrBackendUnavailable: a silent server is not ready", err)
	}
	if srv.Accepted() == 0 {
		t.Error("no connection reached the silent server")
	}
}

func TestCheckBoundedByCaller(t *testing.T) {
	srv := backendtest.NewSilent(t)
	b, err := openai.New(openai.Config{BaseURL: srv.URL + "/v1", Model: "m", Logger: quiet}) // no timeout of its own
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	err = translate.Check(context.Background(), b, 200*time.Millisecond)
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("Check took %s with a timeout of 200ms", took)
	}
	if !errors.Is(err, translate.ErrBackendUnavailable) || !strings.Contains(err.Error(), "in time") {
		t.Errorf("Check = %v, want an unavailable error saying the server did not answer in time", err)
	}
}
