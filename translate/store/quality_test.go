package store_test

import (
	"context"
	"maps"
	"math"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

func near(a, b float64) bool { return math.Abs(a-b) < 1e-9 }

func TestQuality_HTER(t *testing.T) {
	tests := []struct {
		name, hyp, ref string
		want           float64
	}{
		{"identical", "Moscow is ready for dialogue", "Moscow is ready for dialogue", 0},
		{"one substitution in five words", "a b c d e", "a b x d e", 0.2},
		{"one insertion", "the cat", "the black cat", 1.0 / 3},
		{"two deletions", "the big black cat", "the cat", 1},
		{"substitution and deletion", "asked for our help", "requested our help", 2.0 / 3},
		{"whitespace is not a word", "  a\tb\n", "a b", 0},
		{"case is an edit", "moscow is ready", "Moscow is ready", 1.0 / 3},
		{"everything new", "x y", "a b c d", 1},
		{"both empty", "", "", 0},
		{"nothing to compare with", "words", "", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.HTER(tt.hyp, tt.ref); !near(got, tt.want) {
				t.Errorf("HTER(%q, %q) = %v, want %v", tt.hyp, tt.ref, got, tt.want)
			}
		})
	}
}

func TestQuality_ChrF(t *testing.T) {
	tests := []struct {
		name, hyp, ref string
		want           float64
	}{
		{"identical", "Ryabkov said Moscow is ready.", "Ryabkov said Moscow is ready.", 100},
		{"identical one letter", "a", "a", 100},
		{"whitespace removed", "a b\tc", "abc", 100},
		{"nothing shared", "abc", "xyz", 0},
		{"empty hypothesis", "", "abc", 0},
		// Orders 1 and 2 only (the hypothesis has no 3-gram): P = (1 + 1)/2 = 1,
		// R = (2/3 + 1/2)/2 = 7/12, F2 = 5·P·R / (4P + R) = (35/12)/(55/12) = 7/11.
		{"hand computed", "ab", "abc", 700.0 / 11},
		// Arabic counts by letters (code points), not bytes: 1-grams 2 of 3, 2-grams 1 of 2.
		{"code points", "سل", "سلم", 700.0 / 11},
		// sacreBLEU's chrF (char_order 6, beta 2) gives 61.576379378113785 for this pair.
		{"sacreBLEU reference", "The relationship between Obama and Netanyahu is not exactly friendly.",
			"The ties between Obama and Netanyahu are not particularly friendly.", 61.576379378113785},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := store.ChrF(tt.hyp, tt.ref); !near(got, tt.want) {
				t.Errorf("ChrF(%q, %q) = %v, want %v", tt.hyp, tt.ref, got, tt.want)
			}
		})
	}
}

// TestQuality_ChrFCorpusLevel checks that statistics are summed before the score, not averaged after.
func TestQuality_ChrFCorpusLevel(t *testing.T) {
	corpus := store.CorpusChrF([2]string{"ab", "abc"}, [2]string{"abc", "abc"})
	// Summed: order 1 5/5 and 5/6, order 2 3/3 and 3/4, order 3 1/1 and 1/2 → P = 1,
	// R = (5/6 + 3/4 + 1/2)/3 = 25/36, F2 = 5R/(4 + R) = 125/169.
	if got, want := corpus, 12500.0/169; !near(got, want) {
		t.Errorf("corpus chrF = %v, want %v", got, want)
	}
	// sacreBLEU's corpus chrF of these two pairs is 84.64214891738334.
	ref := store.CorpusChrF(
		[2]string{"The relationship between cats and dogs is not exactly friendly.", "The relationship between dogs and cats is not exactly friendly."},
		[2]string{"a good bookshop is just a genteel black hole that knows how to read.", "A good bookshop is just a genteel Black Hole that knows how to read."})
	if got := ref; math.Abs(got-84.64214891738334) > 1e-9 {
		t.Errorf("corpus chrF = %v, want sacreBLEU's 84.64214891738334", got)
	}
	if avg := (store.ChrF("ab", "abc") + store.ChrF("abc", "abc")) / 2; near(avg, corpus) {
		t.Errorf("corpus chrF equals the mean of sentence scores (%v); it should not here", avg)
	}
}

func TestStore_Quality(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := store.New(db.W, db.R, time.Now, fixedGlossary{glossary.NewMatcher([]glossary.Term{
		{ID: 1, Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm, Forbidden: []string{"security assurances"}},
		{ID: 2, Arabic: "ريابكوف", English: "Ryabkov", Type: glossary.TypeName},
	})})

	rows, err := s.Quality(ctx)
	if err != nil || len(rows) != 0 {
		t.Fatalf("Quality on an empty store = %+v, %v; want no rows", rows, err)
	}

	_, a1 := storetest.Sample(t, s)
	_, a2 := storetest.Sample(t, s)
	_, a3 := storetest.Sample(t, s)
	_, a4 := storetest.Sample(t, s)
	machine := func(seg translate.Segment, backend, model, text string) {
		t.Helper()
		st := translate.StatusMachine
		if backend == "tm" {
			st = translate.StatusTM
		}
		if _, err := s.ApplyMachine(ctx, []store.MachineOutput{{SegmentID: seg.ID, Target: text, Status: st,
			Origin: translate.OriginMachine, Backend: backend, Model: model}}); err != nil {
			t.Fatal(err)
		}
	}
	version := func(seg translate.Segment) int {
		t.Helper()
		cur, err := s.Segment(ctx, seg.ID)
		if err != nil {
			t.Fatal(err)
		}
		return cur.Version
	}
	approve := func(seg translate.Segment, text string) {
		t.Helper()
		if _, err := s.Approve(ctx, seg.ID, text, version(seg), "mona"); err != nil {
			t.Fatal(err)
		}
	}
	edit := func(seg translate.Segment, text string) {
		t.Helper()
		if _, err := s.SaveTarget(ctx, seg.ID, text, version(seg), "mona"); err != nil {
			t.Fatal(err)
		}
	}

	// alpha a1: one approved unchanged, one edited then approved, one flagged and unreviewed.
	machine(a1[0], "alpha", "a1", "Russia asked for help")
	approve(a1[0], "")
	machine(a1[1], "alpha", "a1", "Ryabkov said Moscow is ready for talks.")
	edit(a1[1], "Ryabkov said Moscow is ready for dialogue.")
	approve(a1[1], "")
	machine(a1[2], "alpha", "a1", "He added that security assurances are needed!")
	// The term missing and its forbidden rendering used are two glossary findings on the
	// machine output, counted though the reviewer fixed the term before approving.
	machine(a3[2], "alpha", "a1", "He added that security assurances are needed!")
	approve(a3[2], "He added that security guarantees are needed!")

	// beta b1: the last machine output before approval counts, not an earlier one of alpha.
	machine(a2[0], "alpha", "a1", "Russia asks help")
	machine(a2[0], "beta", "b1", "Russia: Donetsk and Luhansk asked for our help.")
	approve(a2[0], "Russia: Donetsk and Luhansk requested our help")
	// Ryabkov missing: a glossary error, which the reviewer ignores to approve.
	machine(a2[1], "beta", "b1", "Moscow is ready")
	const ryabkov = `«ريابكوف» should be "Ryabkov" (glossary)`
	if _, _, err := s.Ignore(ctx, a2[1].ID, "Moscow is not ready", qa.Glossary, ryabkov, "mona"); err != nil {
		t.Fatal(err)
	}
	approve(a2[1], "Moscow is not ready")
	// Approved, then edited again: no longer approved, so not in the sample; nor are its findings.
	machine(a2[2], "beta", "b1", "The security guarantees are necessary")
	approve(a2[2], "")
	edit(a2[2], "Security guarantees are necessary!")

	// No machine output before approval: typed by hand, or from the translation memory.
	edit(a3[0], "Typed by a reviewer.")
	approve(a3[0], "")
	machine(a3[1], "tm", "", "Ryabkov, from the memory.")
	approve(a3[1], "")

	// gamma g1: machine output stored before the findings were kept counts its glossary flag.
	machine(a4[0], "gamma", "g1", "Russia asked for help")
	approve(a4[0], "")
	if _, err := db.W.ExecContext(ctx, `UPDATE segments SET machine_findings = '', machine_flags = ? WHERE id = ?`,
		`glossary: expected "Donetsk" for دونيتسك`, a4[0].ID); err != nil {
		t.Fatal(err)
	}

	rows, err = s.Quality(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 {
		t.Fatalf("Quality = %+v; want rows for gamma, alpha and beta only", rows)
	}
	gamma, alpha, beta := rows[0], rows[1], rows[2]
	if gamma.Backend != "gamma" || alpha.Backend != "alpha" || alpha.Model != "a1" || beta.Backend != "beta" || beta.Model != "b1" {
		t.Fatalf("rows = %s, %s, %s; want gamma (no edits), alpha a1 (lower edit rate), then beta b1", gamma.Label(), alpha.Label(), beta.Label())
	}

	alphaChrF := store.CorpusChrF(
		[2]string{"Russia asked for help", "Russia asked for help"},
		[2]string{"Ryabkov said Moscow is ready for talks.", "Ryabkov said Moscow is ready for dialogue."},
		[2]string{"He added that security assurances are needed!", "He added that security guarantees are needed!"})
	betaChrF := store.CorpusChrF(
		[2]string{"Russia: Donetsk and Luhansk asked for our help.", "Russia: Donetsk and Luhansk requested our help"},
		[2]string{"Moscow is ready", "Moscow is not ready"})

	tests := []struct {
		name      string
		got, want store.QualityRow
	}{
		{"gamma", gamma, store.QualityRow{Backend: "gamma", Model: "g1", Approved: 1, Unchanged: 1, UnchangedPct: 100,
			RefWords: 4, ChrF: 100, GlossaryViolations: 1, GlossaryPer100: 100,
			Findings: 1, Errors: 1, ByCheck: map[string]int{qa.Glossary: 1}, FindingsPer100: 100}},
		// talks → dialogue and assurances → guarantees: one substitution each. Findings: the
		// two glossary errors of a3[2]; a1[2]'s are on a segment nobody approved.
		{"alpha", alpha, store.QualityRow{Backend: "alpha", Model: "a1", Approved: 3, Unchanged: 1, UnchangedPct: 100.0 / 3,
			Edits: 2, RefWords: 4 + 7 + 7, HTER: 2.0 / 18, ChrF: alphaChrF,
			GlossaryViolations: 2, GlossaryPer100: 200.0 / 3,
			Findings: 2, Errors: 2, ByCheck: map[string]int{qa.Glossary: 2}, FindingsPer100: 200.0 / 3}},
		// asked for → requested is one substitution and one deletion, "help." → "help" another
		// substitution; "not" one insertion. Findings, both on "Moscow is ready": Ryabkov
		// missing (an error) and the sentence's full stop missing (a warning).
		{"beta", beta, store.QualityRow{Backend: "beta", Model: "b1", Approved: 2, Unchanged: 0, UnchangedPct: 0,
			Edits: 4, RefWords: 7 + 4, HTER: 4.0 / 11, ChrF: betaChrF,
			GlossaryViolations: 1, GlossaryPer100: 50,
			Findings: 2, Errors: 1, ByCheck: map[string]int{qa.Glossary: 1, qa.Punctuation: 1}, FindingsPer100: 100}},
	}
	for _, tt := range tests {
		g, w := tt.got, tt.want
		if g.Backend != w.Backend || g.Model != w.Model || g.Approved != w.Approved || g.Unchanged != w.Unchanged ||
			!near(g.UnchangedPct, w.UnchangedPct) || g.Edits != w.Edits || g.RefWords != w.RefWords ||
			!near(g.HTER, w.HTER) || !near(g.ChrF, w.ChrF) ||
			g.GlossaryViolations != w.GlossaryViolations || !near(g.GlossaryPer100, w.GlossaryPer100) ||
			g.Findings != w.Findings || g.Errors != w.Errors || !maps.Equal(g.ByCheck, w.ByCheck) || !near(g.FindingsPer100, w.FindingsPer100) {
			t.Errorf("%s:\n got %+v\nwant %+v", tt.name, g, w)
		}
	}
	if !(alpha.ChrF > beta.ChrF && beta.ChrF > 50 && alpha.ChrF < 100) {
		t.Errorf("chrF alpha %.1f, beta %.1f; want 100 > alpha > beta > 50", alpha.ChrF, beta.ChrF)
	}
}
