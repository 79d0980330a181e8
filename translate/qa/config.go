package qa

import (
	"fmt"
	"math"
	"sort"

	"github.com/tarjama/tarjama/translate"
)

// ConfigError is a configuration problem that names the field it is about.
type ConfigError struct {
	Field  string // e.g. "checks.number.severity", "length_ratio"
	Reason string
}

// Error names the field and the reason: "quality checks: length_ratio: -1 is not …".
func (e *ConfigError) Error() string { return "quality checks: " + e.Field + ": " + e.Reason }

// Kind is translate.ErrInvalid's.
func (e *ConfigError) Kind() string { return translate.ErrInvalid.Kind() }

// Is makes every ConfigError match translate.ErrInvalid.
func (e *ConfigError) Is(target error) bool { return translate.ErrInvalid.Is(target) }

// Rule is how one check runs: whether at all, and how serious its findings are (empty: the
// check's default severity).
type Rule struct {
	Enabled  bool     `json:"enabled"`
	Severity Severity `json:"severity,omitempty"`
}

// Config chooses the checks and their severities and tunes the length check. Admins edit it on
// the settings page, so it is plain JSON; the zero Config means "all defaults".
type Config struct {
	// Checks holds the rules by check name. A check that is not listed runs by its default
	// rule (DefaultConfig), so a saved configuration keeps working when a check is added.
	Checks map[string]Rule `json:"checks,omitempty"`
	// LengthRatio is the expected number of English letters per Arabic letter. Zero means
	// automatic: the ratio learned from approved segments (WithLearnedRatio), else
	// DefaultLengthRatio.
	LengthRatio float64 `json:"length_ratio,omitempty"`
	// LengthTolerance is how far the English may stray from the expected length, as a factor
	// either way: 2 accepts half to twice the expected letters. Zero means
	// DefaultLengthTolerance.
	LengthTolerance float64 `json:"length_tolerance,omitempty"`
	// LengthMinLetters is the least number of Arabic letters a segment needs before its length
	// is judged: a headline or a dateline has too few for a ratio to mean anything. Zero means
	// DefaultLengthMinLetters.
	LengthMinLetters int `json:"length_min_letters,omitempty"`

	learned float64 // from WithLearnedRatio; used when LengthRatio is zero
}

// Defaults of the length check, measured on the correct pairs of testdata/eval.jsonl: news
// sentences of 40 Arabic letters or more keep 0.70 to 1.57 English letters per Arabic letter
// (median 1.22, 1.19 over all letters), so a 2× tolerance leaves correct translations alone
// and still catches an English that lost half the sentence or gained as much again.
const (
	DefaultLengthRatio      = 1.2
	DefaultLengthTolerance  = 2.0
	DefaultLengthMinLetters = 40
)

// defaultRules gives every check its default rule. Errors are what changes the meaning or
// breaks the house glossary (a wrong number, month or term; Arabic left in the English);
// the rest are presentation and only warn.
var defaultRules = map[string]Rule{
	Number:       {true, Error},
	Date:         {true, Error},
	Untranslated: {true, Error},
	Punctuation:  {true, Warning},
	Quotes:       {true, Warning},
	Brackets:     {true, Warning},
	Spacing:      {true, Warning},
	Repeat:       {true, Warning},
	Length:       {true, Warning},
	Glossary:     {true, Error},
}

// DefaultConfig returns the configuration with every check listed by its default rule and the
// length defaults spelled out: what a settings page shows before an admin changes anything.
func DefaultConfig() Config {
	c := Config{
		Checks:           make(map[string]Rule, len(defaultRules)),
		LengthTolerance:  DefaultLengthTolerance,
		LengthMinLetters: DefaultLengthMinLetters,
	}
	for name, r := range defaultRules {
		c.Checks[name] = r
	}
	return c
}

// Rule returns the rule the named check runs by: the configured one, else its default. A
// configured rule without a severity takes the default severity.
func (c Config) Rule(name string) Rule {
	r, ok := c.Checks[name]
	if !ok {
		return defaultRules[name]
	}
	if r.Severity == "" {
		r.Severity = defaultRules[name].Severity
	}
	return r
}

// WithLearnedRatio returns a copy of c whose length check uses ratio (English letters per
// Arabic letter, from LengthStats over the approved segments) when the admin left LengthRatio
// at zero. A ratio that is not positive is ignored.
func (c Config) WithLearnedRatio(ratio float64) Config {
	if ratio > 0 && !math.IsInf(ratio, 0) {
		c.learned = ratio
	}
	return c
}

// ratio is the length ratio in force.
func (c Config) ratio() float64 {
	switch {
	case c.LengthRatio > 0:
		return c.LengthRatio
	case c.learned > 0:
		return c.learned
	}
	return DefaultLengthRatio
}

func (c Config) tolerance() float64 {
	if c.LengthTolerance > 0 {
		return c.LengthTolerance
	}
	return DefaultLengthTolerance
}

func (c Config) minLetters() int {
	if c.LengthMinLetters > 0 {
		return c.LengthMinLetters
	}
	return DefaultLengthMinLetters
}

// Validate reports the first problem with c as a *ConfigError: an unknown check name, a
// severity other than error or warning, or a length setting out of range.
func (c Config) Validate() error {
	names := make([]string, 0, len(c.Checks))
	for name := range c.Checks {
		names = append(names, name)
	}
	sort.Strings(names) // the same configuration always reports the same first problem
	for _, name := range names {
		if _, ok := defaultRules[name]; !ok {
			return &ConfigError{"checks." + name, fmt.Sprintf("%q is not a check (the checks are %v)", name, checkNames)}
		}
		if s := c.Checks[name].Severity; s != Error && s != Warning && s != "" {
			return &ConfigError{"checks." + name + ".severity", fmt.Sprintf("%q is not error or warning", s)}
		}
	}
	switch {
	case c.LengthRatio < 0 || math.IsNaN(c.LengthRatio) || c.LengthRatio > maxLengthRatio:
		return &ConfigError{"length_ratio", fmt.Sprintf("%v is not between 0 (automatic) and %v", c.LengthRatio, maxLengthRatio)}
	case c.LengthTolerance != 0 && !(c.LengthTolerance > 1 && c.LengthTolerance <= maxLengthTolerance):
		return &ConfigError{"length_tolerance", fmt.Sprintf("%v is not above 1 and at most %v (0 means the default)", c.LengthTolerance, maxLengthTolerance)}
	case c.LengthMinLetters < 0:
		return &ConfigError{"length_min_letters", fmt.Sprintf("%d is negative", c.LengthMinLetters)}
	}
	return nil
}

// Bounds of the length settings: beyond them the check could only ever alarm or never.
const (
	maxLengthRatio     = 10
	maxLengthTolerance = 10
)
