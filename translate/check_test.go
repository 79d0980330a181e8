package translate

import (
	"errors"
	"net/http"
	"testing"
	"time"
)

func TestCheckText(t *testing.T) {
	src := "قال ريابكوف إن الحوار مستمر."
	for _, tc := range []struct {
		target string
		want   string
	}{
		{"Ryabkov said the dialogue continues.", ""},
		{"  ", "empty translation"},
		{src, "the answer repeats the Arabic source"},
		{"قال ريابكوف: the dialogue", "the answer is Arabic, not English"},
		{"Ryabkov (ريابكوف) said the dialogue continues.", ""}, // a little Arabic is fine
		{"2022/02/21", ""},
		{"Ryabkov said \x1b[31mthe dialogue continues.", "the answer has the control character U+001B"},
		{"Ryabkov said\u0085 the dialogue continues.", "the answer has the control character U+0085"},
	} {
		if got := CheckText(src, tc.target); got != tc.want {
			t.Errorf("CheckText(%q) = %q, want %q", tc.target, got, tc.want)
		}
	}
}

func TestAlign(t *testing.T) {
	items := []Item{{ID: 1}, {ID: 2}, {ID: 3}}
	tr := func(ids ...int64) []Translation {
		var out []Translation
		for _, id := range ids {
			out = append(out, Translation{ID: id, Text: "x"})
		}
		return out
	}
	for _, tc := range []struct {
		name string
		got  []Translation
		want string
	}{
		{"OK", tr(3, 1, 2), ""},
		{"Missing", tr(1, 2), "unusable backend output: the answer had no translation for segment 3"},
		{"MissingTwo", tr(2), "unusable backend output: the answer had no translation for segments 1, 3"},
		{"Empty", tr(), "unusable backend output: the answer's translations list was empty: no translation for segments 1, 2, 3"},
		{"Extra", tr(1, 2, 3, 4), "unusable backend output: the answer had a translation for id 4, which was not asked for"},
		{"Twice", tr(1, 2, 2, 3), "unusable backend output: the answer had two translations for segment 2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Align(items, tc.got)
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("err = %v", err)
			case tc.want != "" && (!errors.Is(err, ErrBadOutput) || err.Error() != tc.want):
				t.Errorf("err = %v, want ErrBadOutput saying %q", err, tc.want)
			}
		})
	}
}

func TestRetryAfter(t *testing.T) {
	now := time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		header map[string]string
		want   time.Duration
	}{
		{map[string]string{"Retry-After": "7"}, 7 * time.Second},
		{map[string]string{"Retry-After": "1.5"}, 1500 * time.Millisecond},
		{map[string]string{"Retry-After": now.Add(30 * time.Second).Format(http.TimeFormat)}, 30 * time.Second},
		{map[string]string{"Retry-After": now.Add(-time.Minute).Format(http.TimeFormat)}, 0},
		{map[string]string{"Retry-After": "soon"}, 0},
		{map[string]string{"Retry-After": "-3"}, 0},
		{map[string]string{"Retry-After-Ms": "250", "Retry-After": "1"}, 250 * time.Millisecond},
		{nil, 0},
	} {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		if got := RetryAfter(h, now); got != tc.want {
			t.Errorf("RetryAfter(%v) = %s, want %s", tc.header, got, tc.want)
		}
	}
}
