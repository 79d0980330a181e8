package qa

import (
	"slices"
	"testing"
)

// only runs the one named check over a pair.
func only(t *testing.T, name, source, target string, terms []Term) []Finding {
	t.Helper()
	cfg := Config{Checks: map[string]Rule{}}
	for _, n := range Names() {
		cfg.Checks[n] = Rule{Enabled: n == name, Severity: Warning}
	}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c.Check(source, target, terms)
}

// checkCase is one row of a per-check table: the messages the check must give, none for a
// pair it must leave alone.
type checkCase struct {
	name           string
	source, target string
	want           []string
}

func runCases(t *testing.T, check string, cases []checkCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, f := range only(t, check, tc.source, tc.target, nil) {
				if f.Check != check {
					t.Errorf("finding of %q from the %s check", f.Check, check)
				}
				got = append(got, f.Message)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s | %s\n got  %q\n want %q", tc.source, tc.target, got, tc.want)
			}
		})
	}
}
