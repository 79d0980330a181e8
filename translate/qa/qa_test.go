package qa

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/translate"
)

func TestFindingJSON(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	fs := c.Check("قتل ١٧ شخصا.", "71 people were killed.", nil)
	b, err := json.Marshal(fs)
	if err != nil {
		t.Fatal(err)
	}
	want := `[{"check":"number","severity":"error","message":"the Arabic has 17 (١٧); the English has 71","source":[4,6],"target":[0,2]}]`
	if string(b) != want {
		t.Errorf("got  %s\nwant %s", b, want)
	}
}

func TestCheckOrderAndEmptyTarget(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	if fs := c.Check("قتل ١٧ شخصا.", "  ", nil); fs != nil {
		t.Errorf("an empty target is unfinished, not wrong: %v", fs)
	}
	fs := c.Check("قتل ١٧ شخصا يوم الأربعاء.", "  71 people were killed on Monday", nil)
	var names []string
	for _, f := range fs {
		names = append(names, f.Check)
	}
	want := []string{Number, Date, Punctuation, Spacing}
	if !slices.Equal(names, want) {
		t.Errorf("checks %v, want %v", names, want)
	}
	if !HasError(fs) || HasError(fs[2:]) {
		t.Errorf("HasError: number and date are errors, punctuation and spacing warnings")
	}
	if got := Names(); len(got) != 10 || got[0] != Number || got[9] != Glossary {
		t.Errorf("Names() = %v", got)
	}
}

func TestKey(t *testing.T) {
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	a := c.Check("قتل ١٧ شخصا.", "71 people were killed.", nil)[0]
	b := c.Check("قتل ١٧ شخصا.", "Yesterday 71 people were killed.", nil)[0]
	d := c.Check("قتل ١٧ شخصا.", "Yesterday 72 people were killed.", nil)[0]
	if a.Key() != b.Key() {
		t.Errorf("an edit elsewhere changed the key: %q, %q", a.Key(), b.Key())
	}
	if a.Key() == d.Key() {
		t.Errorf("another wrong number kept the key %q", a.Key())
	}
}

func TestConfig(t *testing.T) {
	d := DefaultConfig()
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	for _, n := range Names() {
		if r := d.Rule(n); !r.Enabled || (r.Severity != Error && r.Severity != Warning) {
			t.Errorf("default rule of %s: %+v", n, r)
		}
	}
	// The settings page saves and loads it as JSON.
	b, err := json.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	var back Config
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if len(back.Checks) != len(Names()) || back.LengthTolerance != DefaultLengthTolerance || back.Rule(Number) != d.Rule(Number) {
		t.Errorf("round trip: %s gave %+v", b, back)
	}
	// A saved configuration that predates a check runs that check by its default.
	var old Config
	if err := json.Unmarshal([]byte(`{"checks":{"number":{"enabled":false,"severity":"error"}}}`), &old); err != nil {
		t.Fatal(err)
	}
	if old.Rule(Number).Enabled || old.Rule(Date) != defaultRules[Date] {
		t.Errorf("rules of an old configuration: %+v %+v", old.Rule(Number), old.Rule(Date))
	}
	// A rule saved without a severity keeps the check's default one.
	if r := (Config{Checks: map[string]Rule{Repeat: {Enabled: true}}}).Rule(Repeat); r != defaultRules[Repeat] {
		t.Errorf("rule without a severity: %+v", r)
	}

	for _, tc := range []struct {
		cfg   Config
		field string
	}{
		{Config{Checks: map[string]Rule{"numbers": {true, Error}}}, "checks.numbers"},
		{Config{Checks: map[string]Rule{Repeat: {true, "fatal"}}}, "checks.repeat.severity"},
		{Config{LengthRatio: -1}, "length_ratio"},
		{Config{LengthTolerance: 1}, "length_tolerance"},
		{Config{LengthMinLetters: -3}, "length_min_letters"},
	} {
		_, err := New(tc.cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != tc.field || !errors.Is(err, translate.ErrInvalid) {
			t.Errorf("%+v: error %v, want one about %s", tc.cfg, err, tc.field)
		}
		if err != nil && !strings.Contains(err.Error(), tc.field) {
			t.Errorf("the message %q does not name %s", err, tc.field)
		}
	}
}

func TestConfigRules(t *testing.T) {
	cfg := Config{Checks: map[string]Rule{Number: {false, Error}, Date: {true, Warning}}}
	c, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	fs := c.Check("قتل ١٧ شخصا يوم الأربعاء.", "71 people were killed on Monday.", nil)
	if len(fs) != 1 || fs[0].Check != Date || fs[0].Severity != Warning {
		t.Errorf("number off and date a warning: got %+v", fs)
	}
	if c.Config().Rule(Number).Enabled {
		t.Error("Config() does not give back the configuration")
	}
}
