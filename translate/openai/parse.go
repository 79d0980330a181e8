package openai

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"

	"github.com/tarjama/tarjama/translate"
)

// maxJSONStarts bounds how many '{' or '[' positions ParseAnswer tries in one answer, so a long
// prose answer cannot make parsing quadratic.
const maxJSONStarts = 64

// ParseAnswer finds the translations in a model's answer. It accepts the requested shape
// ({"translations": [{"id", "translation"}]}) and the usual deviations of models without
// structured output: the JSON inside ``` fences or surrounded by prose, a bare array, an object
// keyed by id, ids as strings, "text" or "english" instead of "translation", and a <think>
// block before the answer. An answer with no readable JSON gives an error wrapping
// translate.ErrBadOutput.
func ParseAnswer(content string) ([]translate.Translation, error) {
	content = stripThinking(content)
	if strings.TrimSpace(content) == "" {
		return nil, fmt.Errorf("%w: empty answer", translate.ErrBadOutput)
	}
	var candidates []string
	for _, f := range fenced(content) {
		candidates = append(candidates, f)
	}
	candidates = append(candidates, content)
	sawIncomplete := false
	for _, c := range candidates {
		out, incomplete, ok := scanJSON(c)
		if ok {
			return out, nil
		}
		sawIncomplete = sawIncomplete || incomplete
	}
	if sawIncomplete {
		return nil, fmt.Errorf("%w: the JSON in the answer is incomplete (cut off?)", translate.ErrBadOutput)
	}
	return nil, fmt.Errorf("%w: no translations JSON in the answer: %q", translate.ErrBadOutput, clip(content, 120))
}

// stripThinking drops the <think>…</think> block reasoning models put before their answer.
func stripThinking(s string) string {
	for {
		i := strings.Index(s, "<think>")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "</think>")
		if j < 0 {
			return s[:i]
		}
		s = s[:i] + s[i+j+len("</think>"):]
	}
}

// fenced returns the bodies of ``` code fences, in order.
func fenced(s string) []string {
	var out []string
	for {
		i := strings.Index(s, "```")
		if i < 0 {
			return out
		}
		rest := s[i+3:]
		if nl := strings.IndexByte(rest, '\n'); nl >= 0 && !strings.ContainsAny(rest[:nl], "{[") {
			rest = rest[nl+1:] // the language tag line, e.g. ```json
		}
		j := strings.Index(rest, "```")
		if j < 0 {
			return append(out, rest)
		}
		out = append(out, rest[:j])
		s = rest[j+3:]
	}
}

// scanJSON tries each '{' or '[' of s as the start of a JSON value and returns the first one
// that reads as translations. incomplete tells whether some value started but never ended.
func scanJSON(s string) (out []translate.Translation, incomplete, ok bool) {
	tries := 0
	for i := 0; i < len(s) && tries < maxJSONStarts; i++ {
		if s[i] != '{' && s[i] != '[' {
			continue
		}
		tries++
		dec := json.NewDecoder(strings.NewReader(s[i:]))
		dec.UseNumber()
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
				// the value runs to the end of the text unfinished; whatever starts inside it is a
				// fragment of it (one entry of a cut-off list), not the answer
				return nil, true, false
			}
			continue
		}
		if trs, good := interpret(raw); good {
			return trs, false, true
		}
		i += int(dec.InputOffset()) - 1 // the whole value was not it; skip past it
	}
	return nil, incomplete, false
}

// interpret reads a JSON value as a list of translations.
func interpret(raw json.RawMessage) ([]translate.Translation, bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, false
	}
	if raw[0] == '[' {
		return items(raw)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, false
	}
	for _, key := range []string{"translations", "segments", "results", "items", "data", "output"} {
		if v, ok := obj[key]; ok {
			if trs, ok := items(v); ok {
				return trs, true
			}
		}
	}
	if tr, ok := item(obj); ok {
		return []translate.Translation{tr}, true
	}
	// {"12": "English", "13": "English"}
	var out []translate.Translation
	for k, v := range obj {
		id, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil {
			return nil, false
		}
		var text string
		if err := json.Unmarshal(v, &text); err != nil {
			return nil, false
		}
		out = append(out, translate.Translation{ID: id, Text: text})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, len(out) > 0
}

func items(raw json.RawMessage) ([]translate.Translation, bool) {
	var list []map[string]json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return nil, false
	}
	out := make([]translate.Translation, 0, len(list))
	for _, o := range list {
		tr, ok := item(o)
		if !ok {
			return nil, false
		}
		out = append(out, tr)
	}
	return out, true
}

// item reads one {"id": …, "translation": …} object, tolerating string ids and other names
// for the text field.
func item(o map[string]json.RawMessage) (translate.Translation, bool) {
	rawID, ok := o["id"]
	if !ok {
		return translate.Translation{}, false
	}
	var id int64
	var num json.Number
	var str string
	switch {
	case json.Unmarshal(rawID, &num) == nil:
		n, err := num.Int64()
		if err != nil {
			return translate.Translation{}, false
		}
		id = n
	case json.Unmarshal(rawID, &str) == nil:
		n, err := strconv.ParseInt(strings.TrimSpace(str), 10, 64)
		if err != nil {
			return translate.Translation{}, false
		}
		id = n
	default:
		return translate.Translation{}, false
	}
	for _, key := range []string{"translation", "text", "english", "target", "en"} {
		if v, ok := o[key]; ok {
			var text string
			if err := json.Unmarshal(v, &text); err != nil {
				return translate.Translation{}, false
			}
			return translate.Translation{ID: id, Text: text}, true
		}
	}
	return translate.Translation{}, false
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
