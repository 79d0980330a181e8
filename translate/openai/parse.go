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
// block before the answer. An explicitly empty list ({"translations": []}) is returned as
// such, for the caller to say which segments it lacks. An answer with no usable JSON gives an
// error wrapping translate.ErrBadOutput that says what was wrong with it: no JSON at all, JSON
// cut off, or a translations list whose entries lack an id or a text.
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
	sawIncomplete, sawEmpty := false, false
	problem := ""
	for _, c := range candidates {
		sc := scanJSON(c)
		if sc.ok {
			return sc.out, nil
		}
		sawIncomplete = sawIncomplete || sc.incomplete
		sawEmpty = sawEmpty || sc.empty
		if problem == "" {
			problem = sc.problem
		}
	}
	switch {
	case sawEmpty:
		return []translate.Translation{}, nil
	case problem != "":
		return nil, fmt.Errorf("%w: %s", translate.ErrBadOutput, problem)
	case sawIncomplete:
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

// scanned is what scanJSON found in one candidate text.
type scanned struct {
	out        []translate.Translation
	ok         bool   // out holds the translations
	incomplete bool   // some JSON value started but never ended
	empty      bool   // a translations list was there and empty
	problem    string // what was wrong with the first translations list that could not be read
}

// scanJSON tries each '{' or '[' of s as the start of a JSON value and returns the first one
// that reads as a non-empty list of translations, else what it saw on the way.
func scanJSON(s string) scanned {
	var sc scanned
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
				sc.incomplete = true
				return sc
			}
			continue
		}
		trs, problem, good := interpret(raw)
		switch {
		case good && len(trs) > 0:
			sc.out, sc.ok = trs, true
			return sc
		case good:
			sc.empty = true // keep looking: a real list may follow an empty example
		case sc.problem == "":
			sc.problem = problem
		}
		i += int(dec.InputOffset()) - 1 // the whole value was not it; skip past it
	}
	return sc
}

// listKeys are the names under which models put the translations list.
var listKeys = []string{"translations", "segments", "results", "items", "data", "output"}

// interpret reads a JSON value as a list of translations. When the value is plainly meant as
// one (a list of objects, or an object with a translations key) but cannot be read, problem
// says why.
func interpret(raw json.RawMessage) (trs []translate.Translation, problem string, ok bool) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil, "", false
	}
	if raw[0] == '[' {
		trs, problem, ok := items(raw, "the answer's list")
		if !ok && !startsWithObject(raw) {
			problem = "" // a bracketed aside in prose ("[sic]", "[1, 2]"), not a translations list
		}
		return trs, problem, ok
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil {
		return nil, "", false
	}
	for _, key := range listKeys {
		if v, found := obj[key]; found {
			return items(v, fmt.Sprintf("the answer's %q", key))
		}
	}
	if tr, _, ok := item(obj); ok {
		return []translate.Translation{tr}, "", true
	}
	// {"12": "English", "13": "English"}
	var out []translate.Translation
	for k, v := range obj {
		id, err := strconv.ParseInt(strings.TrimSpace(k), 10, 64)
		if err != nil {
			return nil, "", false
		}
		var text string
		if err := json.Unmarshal(v, &text); err != nil {
			return nil, "", false
		}
		out = append(out, translate.Translation{ID: id, Text: text})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out, "", len(out) > 0
}

// startsWithObject reports whether the JSON list raw begins with an object.
func startsWithObject(raw json.RawMessage) bool {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil || len(list) == 0 {
		return false
	}
	first := bytes.TrimSpace(list[0])
	return len(first) > 0 && first[0] == '{'
}

// items reads a list of {"id", "translation"} objects; what names the list in problems.
func items(raw json.RawMessage, what string) ([]translate.Translation, string, bool) {
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, what + " is not a list", false
	}
	out := make([]translate.Translation, 0, len(list))
	for i, r := range list {
		var o map[string]json.RawMessage
		if err := json.Unmarshal(r, &o); err != nil {
			return nil, fmt.Sprintf("entry %d of %s is not an {\"id\", \"translation\"} object: %s", i+1, what, clip(string(r), 60)), false
		}
		tr, problem, ok := item(o)
		if !ok {
			return nil, fmt.Sprintf("entry %d of %s %s", i+1, what, problem), false
		}
		out = append(out, tr)
	}
	return out, "", true
}

// item reads one {"id": …, "translation": …} object, tolerating string ids and other names
// for the text field. When it cannot, problem says why ("has no id", …).
func item(o map[string]json.RawMessage) (translate.Translation, string, bool) {
	rawID, ok := o["id"]
	if !ok {
		return translate.Translation{}, "has no id", false
	}
	var id int64
	var num json.Number
	var str string
	switch {
	case json.Unmarshal(rawID, &num) == nil:
		n, err := num.Int64()
		if err != nil {
			return translate.Translation{}, fmt.Sprintf("has id %s, which is not a whole number", rawID), false
		}
		id = n
	case json.Unmarshal(rawID, &str) == nil:
		n, err := strconv.ParseInt(strings.TrimSpace(str), 10, 64)
		if err != nil {
			return translate.Translation{}, fmt.Sprintf("has id %s, which is not a number", clip(string(rawID), 40)), false
		}
		id = n
	default:
		return translate.Translation{}, fmt.Sprintf("has id %s, which is not a number", clip(string(rawID), 40)), false
	}
	for _, key := range []string{"translation", "text", "english", "target", "en"} {
		if v, ok := o[key]; ok {
			var text string
			if err := json.Unmarshal(v, &text); err != nil {
				return translate.Translation{}, fmt.Sprintf("(id %d) has a %q that is not a string", id, key), false
			}
			return translate.Translation{ID: id, Text: text}, "", true
		}
	}
	return translate.Translation{}, fmt.Sprintf("(id %d) has no \"translation\"", id), false
}

func clip(s string, n int) string {
	s = strings.TrimSpace(s)
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
