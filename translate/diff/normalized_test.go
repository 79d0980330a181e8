package diff

import (
	"reflect"
	"strings"
	"testing"
)

func TestNormalized(t *testing.T) {
	for _, tc := range []struct {
		name, remembered, segment string
		want                      []Op
	}{
		{"same", "موسكو مستعدة للحوار", "موسكو مستعدة للحوار", []Op{{Equal, "موسكو مستعدة للحوار"}}},
		{"harakat are not a difference", "قالَ إنّ موسكو", "قال إن موسكو", []Op{{Equal, "قالَ إنّ موسكو"}}},
		{"word added", "موسكو مستعدة للحوار", "موسكو مستعدة دائما للحوار",
			[]Op{{Equal, "موسكو مستعدة"}, {Insert, " دائما"}, {Equal, " للحوار"}}},
		{"word dropped", "موسكو مستعدة دائما للحوار", "موسكو مستعدة للحوار",
			[]Op{{Equal, "موسكو مستعدة "}, {Delete, "دائما"}, {Equal, " للحوار"}}},
		{"word replaced, punctuation kept", "موسكو، واشنطن.", "موسكو، لندن.",
			[]Op{{Equal, "موسكو، "}, {Delete, "واشنطن"}, {Insert, " لندن"}, {Equal, "."}}},
		{"word added in front", "مستعدة للحوار", "موسكو مستعدة للحوار",
			[]Op{{Insert, "موسكو "}, {Equal, "مستعدة للحوار"}}},
		{"clitic is a difference", "الحوار مستمر", "والحوار مستمر",
			[]Op{{Delete, "الحوار"}, {Insert, " والحوار"}, {Equal, " مستمر"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Normalized(tc.remembered, tc.segment)
			if !reflect.DeepEqual(got, tc.want) {
				t.Errorf("Normalized = %q\nwant %q", got, tc.want)
			}
			var old strings.Builder
			for _, op := range got {
				if op.Kind != Insert {
					old.WriteString(op.Text)
				}
			}
			if old.String() != tc.remembered {
				t.Errorf("eq and del runs join to %q, want %q", old.String(), tc.remembered)
			}
		})
	}
}
