package qa

import (
	"cmp"
	"slices"
	"strings"
)

// Checker runs the configured checks over source/target pairs. It is immutable and safe for
// concurrent use; build one when the configuration changes and share it.
type Checker struct {
	cfg    Config
	checks []check
}

type check struct {
	name string
	rule Rule
	run  func(*pair)
}

// runners maps each check name to its implementation.
var runners = map[string]func(*pair){
	Number:       checkNumbers,
	Date:         checkDates,
	Untranslated: checkUntranslated,
	Punctuation:  checkPunctuation,
	Quotes:       checkQuotes,
	Brackets:     checkBrackets,
	Spacing:      checkSpacing,
	Repeat:       checkRepeat,
	Length:       checkLength,
	Glossary:     checkGlossary,
}

// New returns a Checker for cfg, or the *ConfigError that Validate reports.
func New(cfg Config) (*Checker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	c := &Checker{cfg: cfg}
	for _, name := range checkNames {
		if r := cfg.Rule(name); r.Enabled {
			c.checks = append(c.checks, check{name, r, runners[name]})
		}
	}
	return c, nil
}

// Config returns the configuration the checker was built with.
func (c *Checker) Config() Config { return c.cfg }

// Check returns the findings for one pair: source is the Arabic, target the English, terms
// the glossary terms found in source (Terms, FromMatch; nil when there is no glossary).
// Findings come in the order of Names, then by their place in the source and in the target.
// An empty target (nothing translated yet) has no findings: it is unfinished, not wrong.
func (c *Checker) Check(source, target string, terms []Term) []Finding {
	if strings.TrimSpace(target) == "" {
		return nil
	}
	p := newPair(source, target, terms, &c.cfg)
	for i := range c.checks {
		from := len(p.out)
		p.check = &c.checks[i]
		p.check.run(p)
		if found := p.out[from:]; len(found) > 1 {
			slices.SortStableFunc(found, func(a, b Finding) int {
				if d := cmp.Compare(a.Source[0], b.Source[0]); d != 0 {
					return d
				}
				return cmp.Compare(a.Target[0], b.Target[0])
			})
		}
	}
	return p.out
}

// emit records a finding of the check running on p.
func (p *pair) emit(f Finding) {
	f.Check = p.check.name
	f.Severity = p.check.rule.Severity
	p.out = append(p.out, f)
}
