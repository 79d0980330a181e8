package store

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"github.com/tarjama/tarjama/translate/qa"
)

// QualityRow is how one backend and model fared with the reviewers: the figures a team
// compares to decide which backend to pay for.
//
// The sample is every approved segment whose target came from machine output: for each, the
// last machine revision before its latest approval gives the backend, the model and the
// machine text (the hypothesis), and the approval gives the approved text (the reference).
// Segments approved without any machine output before (typed by hand, from the translation
// memory) are not in any row.
type QualityRow struct {
	Backend string `json:"backend"`
	Model   string `json:"model"`

	// Approved is the number of approved segments in this row's sample.
	Approved int `json:"approved"`
	// Unchanged is how many of them were approved exactly as the machine wrote them
	// (both texts trimmed of surrounding whitespace); UnchangedPct is that share in percent.
	Unchanged    int     `json:"unchanged"`
	UnchangedPct float64 `json:"unchanged_pct"`

	// HTER is the word-level edit rate: Edits (word insertions, deletions and substitutions
	// turning the machine text into the approved text, by Levenshtein distance over
	// whitespace-separated, case-sensitive words; no block shifts, so it is an upper bound on
	// TER) divided by RefWords (words in the approved texts), both summed over the sample.
	// 0 is perfect; it can exceed 1.
	HTER     float64 `json:"hter"`
	Edits    int     `json:"edits"`
	RefWords int     `json:"ref_words"`

	// ChrF is the corpus-level chrF2 score, 0–100 (Popović 2015, as in sacreBLEU): character
	// n-grams of order 1–6 with all whitespace removed; n-gram counts, reference counts and
	// matches are summed over the sample first, precision and recall are averaged over the
	// orders, and β = 2 weighs recall twice as much as precision.
	ChrF float64 `json:"chrf"`

	// GlossaryViolations is the number of glossary findings on the machine output of the
	// sample's segments (one per term missed or forbidden rendering used, however the reviewer
	// fixed it later), and GlossaryPer100 is that per 100 approved segments of the sample.
	GlossaryViolations int     `json:"glossary_violations"`
	GlossaryPer100     float64 `json:"glossary_per_100"`

	// Findings is the number of the quality checks' findings on the machine output of the
	// sample's segments (as checked when the output was stored), ByCheck the same by check
	// name (only checks with findings), Errors those of error severity, and FindingsPer100
	// all of them per 100 approved segments of the sample.
	Findings       int            `json:"findings"`
	Errors         int            `json:"errors"`
	ByCheck        map[string]int `json:"by_check"`
	FindingsPer100 float64        `json:"findings_per_100"`
}

// legacyGlossaryFlag starts the glossary flags machine output got before the quality checks
// kept its findings (machine_findings empty): they still count as glossary violations.
const legacyGlossaryFlag = "glossary:"

// countMachine adds one segment's machine findings (or, for output stored before they were
// kept, its glossary flags) to r.
func (r *QualityRow) countMachine(findings, flags string) error {
	if findings == "" {
		for _, f := range splitFlags(flags) {
			if strings.HasPrefix(f, legacyGlossaryFlag) {
				r.GlossaryViolations++
				r.Findings++
				r.Errors++
				r.ByCheck[qa.Glossary]++
			}
		}
		return nil
	}
	var fs []qa.Finding
	if err := json.Unmarshal([]byte(findings), &fs); err != nil {
		return fmt.Errorf("machine findings: %w", err)
	}
	for _, f := range fs {
		r.Findings++
		r.ByCheck[f.Check]++
		if f.Severity == qa.Error {
			r.Errors++
		}
		if f.Check == qa.Glossary {
			r.GlossaryViolations++
		}
	}
	return nil
}

// Label names the backend and model together for tables and charts.
func (r QualityRow) Label() string {
	if r.Model == "" {
		return r.Backend
	}
	return r.Backend + " " + r.Model
}

// Quality computes the figures for every backend and model with at least one approved segment
// of machine output, best first: lowest edit rate, then highest chrF, then most approved.
func (s *Store) Quality(ctx context.Context) ([]QualityRow, error) {
	type key struct{ backend, model string }
	type acc struct {
		row  QualityRow
		chrf chrfStats
	}
	groups := map[key]*acc{}

	rows, err := s.r.QueryContext(ctx, `
		SELECT m.backend, m.model, m.after, ap.after, s.machine_flags, s.machine_findings
		FROM segments s
		JOIN revisions ap ON ap.id = (SELECT MAX(r.id) FROM revisions r
			WHERE r.segment_id = s.id AND r.kind = 'approve')
		JOIN revisions m ON m.id = (SELECT MAX(r.id) FROM revisions r
			WHERE r.segment_id = s.id AND r.kind = 'machine' AND r.id < ap.id)
		WHERE s.status = 'approved'`)
	if err != nil {
		return nil, fmt.Errorf("quality figures: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var k key
		var machine, approved, machineFlags, machineFindings string
		if err := rows.Scan(&k.backend, &k.model, &machine, &approved, &machineFlags, &machineFindings); err != nil {
			return nil, fmt.Errorf("quality figures: %w", err)
		}
		g := groups[k]
		if g == nil {
			g = &acc{row: QualityRow{Backend: k.backend, Model: k.model, ByCheck: map[string]int{}}}
			groups[k] = g
		}
		machine, approved = strings.TrimSpace(machine), strings.TrimSpace(approved)
		g.row.Approved++
		if machine == approved {
			g.row.Unchanged++
		}
		edits, words := wordEdits(machine, approved)
		g.row.Edits += edits
		g.row.RefWords += words
		g.chrf.add(machine, approved)
		if err := g.row.countMachine(machineFindings, machineFlags); err != nil {
			return nil, fmt.Errorf("quality figures: %s %s: %w", k.backend, k.model, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("quality figures: %w", err)
	}
	rows.Close()

	out := make([]QualityRow, 0, len(groups))
	for _, g := range groups {
		r := g.row
		r.UnchangedPct = 100 * float64(r.Unchanged) / float64(r.Approved)
		if r.RefWords > 0 {
			r.HTER = float64(r.Edits) / float64(r.RefWords)
		}
		r.ChrF = g.chrf.score()
		r.GlossaryPer100 = 100 * float64(r.GlossaryViolations) / float64(r.Approved)
		r.FindingsPer100 = 100 * float64(r.Findings) / float64(r.Approved)
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		switch {
		case a.HTER != b.HTER:
			return a.HTER < b.HTER
		case a.ChrF != b.ChrF:
			return a.ChrF > b.ChrF
		case a.Approved != b.Approved:
			return a.Approved > b.Approved
		case a.Backend != b.Backend:
			return a.Backend < b.Backend
		}
		return a.Model < b.Model
	})
	return out, nil
}

// HTER is the word-level edit rate of one machine text (hyp) against its approved text (ref):
// word insertions, deletions and substitutions divided by the words in ref (see QualityRow).
// An empty ref gives 0 when hyp is empty too and 1 otherwise.
func HTER(hyp, ref string) float64 {
	edits, words := wordEdits(hyp, ref)
	if words == 0 {
		if edits == 0 {
			return 0
		}
		return 1
	}
	return float64(edits) / float64(words)
}

// wordEdits is the word-level Levenshtein distance from hyp to ref and the number of words
// in ref. Words are separated by whitespace and compared case-sensitively.
func wordEdits(hyp, ref string) (edits, refWords int) {
	h, r := strings.Fields(hyp), strings.Fields(ref)
	// Common ends cost nothing; cutting them keeps the table small for long, similar texts.
	for len(h) > 0 && len(r) > 0 && h[0] == r[0] {
		h, r, refWords = h[1:], r[1:], refWords+1
	}
	for len(h) > 0 && len(r) > 0 && h[len(h)-1] == r[len(r)-1] {
		h, r, refWords = h[:len(h)-1], r[:len(r)-1], refWords+1
	}
	refWords += len(r)
	if len(h) == 0 || len(r) == 0 {
		return len(h) + len(r), refWords
	}
	prev := make([]int, len(r)+1)
	cur := make([]int, len(r)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(h); i++ {
		cur[0] = i
		for j := 1; j <= len(r); j++ {
			sub := prev[j-1]
			if h[i-1] != r[j-1] {
				sub++
			}
			cur[j] = min(sub, prev[j]+1, cur[j-1]+1)
		}
		prev, cur = cur, prev
	}
	return prev[len(r)], refWords
}

// chrfOrder and chrfBeta are the standard chrF2 settings.
const (
	chrfOrder = 6
	chrfBeta  = 2.0
)

// chrfStats sums, per n-gram order, the character n-grams of the hypotheses, of the
// references, and the matches between them (clipped counts).
type chrfStats [chrfOrder]struct{ hyp, ref, match int }

// ChrF is the chrF2 score (0–100) of one machine text against its approved text; see
// QualityRow for the definition. Identical texts score 100 (ignoring whitespace); with no
// n-grams on one side (an empty text) the score is 0.
func ChrF(hyp, ref string) float64 {
	var st chrfStats
	st.add(hyp, ref)
	return st.score()
}

func (st *chrfStats) add(hyp, ref string) {
	h, r := []rune(dropSpace(hyp)), []rune(dropSpace(ref))
	for n := 1; n <= chrfOrder; n++ {
		hc, rc := charNgrams(h, n), charNgrams(r, n)
		s := &st[n-1]
		for g, c := range hc {
			s.hyp += c
			s.match += min(c, rc[g])
		}
		for _, c := range rc {
			s.ref += c
		}
	}
}

// score averages precision and recall over the orders where both sides have n-grams, then
// takes their F-beta, in percent.
func (st *chrfStats) score() float64 {
	var prec, rec float64
	orders := 0
	for _, s := range st {
		if s.hyp > 0 && s.ref > 0 {
			prec += float64(s.match) / float64(s.hyp)
			rec += float64(s.match) / float64(s.ref)
			orders++
		}
	}
	if orders == 0 {
		return 0
	}
	prec /= float64(orders)
	rec /= float64(orders)
	if prec+rec == 0 {
		return 0
	}
	b2 := chrfBeta * chrfBeta
	return 100 * (1 + b2) * prec * rec / (b2*prec + rec)
}

func dropSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

func charNgrams(rs []rune, n int) map[string]int {
	out := make(map[string]int, max(len(rs)-n+1, 0))
	for i := 0; i+n <= len(rs); i++ {
		out[string(rs[i:i+n])]++
	}
	return out
}
