package qa

import (
	"bufio"
	"encoding/json"
	"os"
	"slices"
	"testing"

	"github.com/tarjama/tarjama/glossary"
)

// evalPair is one labelled pair of testdata/eval.jsonl: an Arabic news sentence, an English
// translation (correct, or with a realistic error), and the checks that should fire on it.
type evalPair struct {
	ID     string   `json:"id"`
	Source string   `json:"source"`
	Target string   `json:"target"`
	Expect []string `json:"expect"`
}

func readEval(t testing.TB) []evalPair {
	t.Helper()
	f, err := os.Open("testdata/eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []evalPair
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for line := 1; sc.Scan(); line++ {
		var p evalPair
		if err := json.Unmarshal(sc.Bytes(), &p); err != nil {
			t.Fatalf("testdata/eval.jsonl:%d: %v", line, err)
		}
		for _, c := range p.Expect {
			if _, ok := defaultRules[c]; !ok {
				t.Fatalf("testdata/eval.jsonl:%d: %q is not a check", line, c)
			}
		}
		out = append(out, p)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// testMatcher builds a glossary matcher from testdata/glossary.csv, read by the glossary's
// own CSV reader.
func testMatcher(t testing.TB) *glossary.Matcher {
	t.Helper()
	f, err := os.Open("testdata/glossary.csv")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	csv, err := glossary.ReadCSV(f, "testdata/glossary.csv")
	if err != nil {
		t.Fatal(err)
	}
	if len(csv.Bad) > 0 {
		t.Fatalf("testdata/glossary.csv: bad rows: %v", csv.Bad)
	}
	terms := make([]glossary.Term, len(csv.Rows))
	for i, r := range csv.Rows {
		terms[i] = r.Term
		terms[i].ID = int64(i + 1)
	}
	return glossary.NewMatcher(terms)
}

// evalScore runs a checker (as a function from pair to the checks that fired) over the
// corpus: recall is the share of labelled (pair, check) errors found; a false alarm is a
// (pair, check) that fired without a label.
func evalScore(t *testing.T, pairs []evalPair, fired func(evalPair) []string) (found, labelled, falseAlarms int) {
	t.Helper()
	for _, p := range pairs {
		got := fired(p)
		for _, c := range p.Expect {
			labelled++
			if slices.Contains(got, c) {
				found++
			} else {
				t.Logf("missed %s on %s: %s", c, p.ID, p.Target)
			}
		}
		for _, c := range got {
			if !slices.Contains(p.Expect, c) {
				falseAlarms++
				t.Logf("false alarm %s on %s: %s", c, p.ID, p.Target)
			}
		}
	}
	return found, labelled, falseAlarms
}

// TestEvaluation measures the checker on the labelled corpus and holds it to a floor: it must
// find at least 90% of the labelled errors and raise at most two false alarms. The naive
// digit-string comparison that European tools use is measured beside it, on the number errors.
func TestEvaluation(t *testing.T) {
	pairs := readEval(t)
	if len(pairs) < 60 {
		t.Fatalf("the corpus has %d pairs; it needs at least 60", len(pairs))
	}
	m := testMatcher(t)
	c, err := New(Config{})
	if err != nil {
		t.Fatal(err)
	}
	found, labelled, fa := evalScore(t, pairs, func(p evalPair) []string {
		var names []string
		for _, f := range c.Check(p.Source, p.Target, Terms(m, p.Source)) {
			if !slices.Contains(names, f.Check) {
				names = append(names, f.Check)
			}
		}
		return names
	})
	recall := float64(found) / float64(labelled)
	t.Logf("qa: %d pairs, %d labelled errors, found %d (recall %.3f), %d false alarms", len(pairs), labelled, found, recall, fa)
	if recall < 0.9 || fa > 2 {
		t.Errorf("recall %.3f (want ≥ 0.9), false alarms %d (want ≤ 2)", recall, fa)
	}

	var numberPairs []evalPair
	for _, p := range pairs {
		e := evalPair{ID: p.ID, Source: p.Source, Target: p.Target}
		if slices.Contains(p.Expect, Number) {
			e.Expect = []string{Number}
		}
		numberPairs = append(numberPairs, e)
	}
	bf, bl, bfa := evalScore(t, numberPairs, func(p evalPair) []string {
		if naiveNumbersDiffer(p.Source, p.Target) {
			return []string{Number}
		}
		return nil
	})
	var qf, qfa int
	qf, _, qfa = evalScore(t, numberPairs, func(p evalPair) []string {
		for _, f := range c.Check(p.Source, p.Target, Terms(m, p.Source)) {
			if f.Check == Number {
				return []string{Number}
			}
		}
		return nil
	})
	t.Logf("number errors: %d; naive digit strings find %d with %d false alarms; qa finds %d with %d false alarms", bl, bf, bfa, qf, qfa)
	if qf < bf || qfa > bfa {
		t.Errorf("the number check does worse than the naive baseline")
	}
}
