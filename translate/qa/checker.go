package qa

import (
	"sort"
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
	run  func(*pair, func(Finding))
}

// runners maps each check name to its implementation.
var runners = map[string]func(*pair, func(Finding)){
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
	var out []Finding
	for _, ch := range c.checks {
		from := len(out)
		ch.run(p, func(f Finding) {
			f.Check = ch.name
			f.Severity = ch.rule.Severity
			out = append(out, f)
		})
		found := out[from:]
		sort.SliceStable(found, func(i, j int) bool {
			if found[i].Source[0] != found[j].Source[0] {
				return found[i].Source[0] < found[j].Source[0]
			}
			return found[i].Target[0] < found[j].Target[0]
		})
	}
	return out
}
