package offline

import (
	"testing"

	"github.com/tarjama/tarjama/translate"
)

func TestOfflineDraft(t *testing.T) {
	terms := []translate.TermHint{{English: "Sergei Ryabkov"}, {English: "Russia"}, {English: "security guarantees"}}
	for _, tc := range []struct {
		source string
		hits   []translate.Hit
		want   string
	}{
		{"سيرغي ريابكوف", []translate.Hit{{Term: 0, Text: "سيرغي ريابكوف"}}, "Sergei Ryabkov"},
		{"سيرغي ريابكوف، روسيا", []translate.Hit{{Term: 0, Text: "سيرغي ريابكوف"}, {Term: 1, Text: "روسيا"}}, "Sergei Ryabkov, Russia"},
		{"«ضمانات أمنية»؟", []translate.Hit{{Term: 2, Text: "ضمانات أمنية"}}, "\"security guarantees\"?"},
		{"وروسيا", []translate.Hit{{Term: 1, Text: "روسيا"}}, ""}, // "and Russia": a word is left over
		{"قال ريابكوف إن روسيا مستعدة", []translate.Hit{{Term: 1, Text: "روسيا"}}, ""},
		{"١٢ شباط", nil, ""},
		{"٢٠٢٢/٠٢/٢١", nil, "2022/02/21"},
		{"(AFP)", nil, "(AFP)"},
		{"روسيا", []translate.Hit{{Term: 7, Text: "روسيا"}}, ""}, // a bad term index is ignored, not a panic
	} {
		if got := draft(translate.Item{Source: tc.source, Hits: tc.hits}, terms); got != tc.want {
			t.Errorf("draft(%q) = %q, want %q", tc.source, got, tc.want)
		}
	}
}
