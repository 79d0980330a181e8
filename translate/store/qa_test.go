package store_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// numberText is an article whose second segment has a number and a weekday for the checks.
const numberText = "عنوان\n\nقتل ١٧ شخصا في الهجوم يوم الأربعاء.\n"

const (
	wrong17 = "the Arabic has 17 (١٧); the English has 71"
	wrong18 = "the Arabic has 17 (١٧); the English has 18"
)

// TestStore_ApproveNeedsIgnore: an open error blocks approval until it is ignored; the ignore
// is in the history with who and when; an edit that changes the finding brings it back.
func TestStore_ApproveNeedsIgnore(t *testing.T) {
	ctx := context.Background()
	at := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := at
	s, _ := storeAt(t, &now)
	a, segs := storetest.Article(t, s, "n.txt", numberText)
	g := segs[1]

	saved, err := s.SaveTarget(ctx, g.ID, "71 people were killed in the attack on Wednesday.", g.Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	if got := articleQA(t, s, a.ID); got != (translate.Issues{Errors: 1}) {
		t.Errorf("open findings after the save = %+v, want one error", got)
	}

	_, err = s.Approve(ctx, g.ID, "", saved.Version, "mona")
	var qe *store.QAError
	if !errors.As(err, &qe) || !errors.Is(err, translate.ErrConflict) {
		t.Fatalf("approving with a wrong number = %v, want a *QAError (a conflict)", err)
	}
	if len(qe.Findings) != 1 || qe.Findings[0].Check != qa.Number || qe.Findings[0].Message != wrong17 {
		t.Errorf("open errors = %+v", qe.Findings)
	}
	if !strings.Contains(err.Error(), "segment #2") || !strings.Contains(err.Error(), wrong17) {
		t.Errorf("message %q should name the segment as the page does and the finding", err)
	}
	if cur, _ := s.Segment(ctx, g.ID); cur.Status != translate.StatusEdited || cur.Version != saved.Version {
		t.Errorf("a refused approval wrote: %s v%d", cur.Status, cur.Version)
	}

	// Ignoring a finding the text does not have is refused.
	if _, _, err := s.Ignore(ctx, g.ID, "", qa.Number, wrong18, "mona"); !errors.Is(err, translate.ErrConflict) {
		t.Errorf("ignoring a finding that is not there = %v, want ErrConflict", err)
	}

	now = at.Add(time.Minute)
	_, fs, err := s.Ignore(ctx, g.ID, "", qa.Number, wrong17, "sami")
	if err != nil {
		t.Fatal(err)
	}
	if len(fs) != 1 || !fs[0].Ignored {
		t.Errorf("findings after the ignore = %+v, want the one finding ignored", fs)
	}
	if got := articleQA(t, s, a.ID); got != (translate.Issues{}) {
		t.Errorf("open findings after the ignore = %+v, want none", got)
	}
	revs, err := s.Revisions(ctx, g.ID)
	if err != nil {
		t.Fatal(err)
	}
	last := revs[len(revs)-1]
	if last.Kind != "ignore" || last.Author != "sami" || !last.CreatedAt.Equal(now) || last.Note != "error number: "+wrong17 ||
		last.Before != saved.Target || last.After != saved.Target {
		t.Errorf("ignore revision = %+v", last)
	}
	// Ignoring it again records nothing more.
	if _, _, err := s.Ignore(ctx, g.ID, "", qa.Number, wrong17, "sami"); err != nil {
		t.Fatal(err)
	}
	if again, _ := s.Revisions(ctx, g.ID); len(again) != len(revs) {
		t.Errorf("a second ignore added a revision")
	}

	approved, err := s.Approve(ctx, g.ID, "", saved.Version, "mona")
	if err != nil || approved.Status != translate.StatusApproved {
		t.Fatalf("approve after the ignore = %s, %v", approved.Status, err)
	}

	// An edit elsewhere keeps the finding ignored; another wrong number brings it back.
	edited, err := s.SaveTarget(ctx, g.ID, "71 people died in the attack on Wednesday.", approved.Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Approve(ctx, g.ID, "", edited.Version, "mona"); err != nil {
		t.Fatalf("approve after an edit that kept the finding: %v", err)
	}
	cur, _ := s.Segment(ctx, g.ID)
	_, err = s.Approve(ctx, g.ID, "18 people died in the attack on Wednesday.", cur.Version, "mona")
	if !errors.As(err, &qe) || len(qe.Findings) != 1 || qe.Findings[0].Message != wrong18 {
		t.Fatalf("approve with another wrong number = %v, want the new finding open", err)
	}
	cur, err = s.SaveTarget(ctx, g.ID, "18 people died in the attack on Wednesday.", cur.Version, "mona")
	if err != nil {
		t.Fatal(err)
	}
	// The old ignore went with the finding it was about: 71 again is open again.
	if _, err := s.Approve(ctx, g.ID, "71 people died in the attack on Wednesday.", cur.Version, "mona"); !errors.As(err, &qe) {
		t.Errorf("the ignore of a finding the text lost came back with it: %v", err)
	}
	// The API's approval without a version is gated too.
	if _, err := s.Approve(ctx, g.ID, "", store.AnyVersion, "mona"); !errors.As(err, &qe) {
		t.Errorf("approve with AnyVersion = %v, want a *QAError", err)
	}
}

// TestStore_IgnoreTypedText: a reviewer ignores a finding on the text in the editor, not yet
// saved, then approves that text.
func TestStore_IgnoreTypedText(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Article(t, s, "n.txt", numberText)
	g := segs[1]
	typed := "17 people were killed in the attack on Monday."
	_, fs, err := s.CheckSegment(ctx, g.ID, &typed)
	if err != nil || len(fs) != 1 || fs[0].Check != qa.Date || fs[0].Ignored {
		t.Fatalf("check of the typed text = %+v, %v", fs, err)
	}
	if _, _, err := s.Ignore(ctx, g.ID, typed, qa.Date, fs[0].Message, "mona"); err != nil {
		t.Fatal(err)
	}
	if _, fs, _ = s.CheckSegment(ctx, g.ID, &typed); len(fs) != 1 || !fs[0].Ignored {
		t.Errorf("after the ignore: %+v", fs)
	}
	if got, err := s.Approve(ctx, g.ID, typed, g.Version, "mona"); err != nil || got.Target != typed {
		t.Fatalf("approve the typed text = %+v, %v", got, err)
	}
	segs, _ = s.Segments(ctx, a.ID)
	all, err := s.Findings(ctx, segs)
	if err != nil {
		t.Fatal(err)
	}
	if f := all[g.ID]; len(f) != 1 || !f[0].Ignored || len(store.Open(f)) != 0 {
		t.Errorf("Findings of the approved segment = %+v", f)
	}
	if f, ok := all[segs[0].ID]; !ok || len(f) != 0 {
		t.Errorf("an untranslated segment has an empty entry: %+v, %v", f, ok)
	}
}

// TestStore_QACounts: the open findings per article follow every write, an exclusion, and a
// change of the settings.
func TestStore_QACounts(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Article(t, s, "n.txt", numberText)
	g := segs[1]
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{{SegmentID: g.ID, Target: "71 people were killed in the attack on Monday",
		Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "b"}}); err != nil {
		t.Fatal(err)
	}
	// number and date are errors, the missing full stop a warning.
	if got := articleQA(t, s, a.ID); got != (translate.Issues{Errors: 2, Warnings: 1}) {
		t.Errorf("after the machine output: %+v", got)
	}
	cfg := qa.DefaultConfig()
	cfg.Checks[qa.Date] = qa.Rule{Enabled: false}
	cfg.Checks[qa.Punctuation] = qa.Rule{Enabled: true, Severity: qa.Error}
	saved, err := s.SaveQASettings(ctx, cfg, "admin")
	if err != nil {
		t.Fatal(err)
	}
	if saved.SavedBy != "admin" || saved.Config.Rule(qa.Date).Enabled || saved.Config.Rule(qa.Punctuation).Severity != qa.Error {
		t.Errorf("saved settings = %+v", saved)
	}
	if got := articleQA(t, s, a.ID); got != (translate.Issues{Errors: 2}) {
		t.Errorf("after the settings changed: %+v, want the number and the full stop as errors", got)
	}
	cur, _ := s.Segment(ctx, g.ID)
	if _, err := s.SetExcluded(ctx, g.ID, true, cur.Version, "mona"); err != nil {
		t.Fatal(err)
	}
	if got := articleQA(t, s, a.ID); got != (translate.Issues{}) {
		t.Errorf("an excluded segment counts: %+v", got)
	}
	bad := qa.DefaultConfig()
	bad.Checks["spelling"] = qa.Rule{Enabled: true}
	var ce *qa.ConfigError
	if _, err := s.SaveQASettings(ctx, bad, "admin"); !errors.As(err, &ce) || !errors.Is(err, translate.ErrInvalid) {
		t.Errorf("an unknown check = %v, want a *qa.ConfigError", err)
	}
}

// TestStore_LengthLearned: approving teaches the length check, taking an approval back
// unlearns it, and a database whose approvals came before the checks is counted once.
func TestStore_LengthLearned(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	// A long sentence (over the 40 letters the length check needs), once per paragraph.
	const sentence = "وقال المتحدث باسم الوزارة إن المفاوضات ستستمر خلال الأسابيع المقبلة في العاصمة."
	const english = "The ministry spokesman said the negotiations would continue in the capital in the coming weeks."
	var text strings.Builder
	text.WriteString("عنوان\n\n")
	for range qa.MinLearnPairs {
		text.WriteString(sentence + "\n\n")
	}
	_, segs := storetest.Article(t, s, "long.txt", text.String())
	approveAll := func(segs []translate.Segment) {
		for _, g := range segs {
			if _, err := s.Approve(ctx, g.ID, english, g.Version, "mona"); err != nil {
				t.Fatal(err)
			}
		}
	}
	approveAll(segs[1:qa.MinLearnPairs])
	st, err := s.QASettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if r, learned := st.Ratio(); learned || r != qa.DefaultLengthRatio || st.Learned.Pairs != qa.MinLearnPairs-1 {
		t.Errorf("with %d pairs: ratio %v learned %v (%+v), want the default", st.Learned.Pairs, r, learned, st.Learned)
	}
	approveAll(segs[qa.MinLearnPairs:])
	st, _ = s.QASettings(ctx)
	want := float64(qa.Letters(english)) / float64(qa.Letters(sentence))
	if r, learned := st.Ratio(); !learned || !near(r, want) {
		t.Errorf("with %d pairs: ratio %v learned %v, want %v learned", st.Learned.Pairs, r, learned, want)
	}
	cur, _ := s.Segment(ctx, segs[1].ID)
	if _, err := s.SaveTarget(ctx, cur.ID, "Edited after approval.", cur.Version, "mona"); err != nil {
		t.Fatal(err)
	}
	if st, _ = s.QASettings(ctx); st.Learned.Pairs != qa.MinLearnPairs-1 {
		t.Errorf("an approval taken back still counts: %+v", st.Learned)
	}

	// As if the approvals had been made before the checks existed: the first use counts them.
	if _, err := db.W.ExecContext(ctx, `DELETE FROM qa_length`); err != nil {
		t.Fatal(err)
	}
	fresh := storetest.New(db)
	if st, err := fresh.QASettings(ctx); err != nil || st.Learned.Pairs != qa.MinLearnPairs-1 {
		t.Errorf("counted from the approved segments: %+v, %v", st.Learned, err)
	}
	fixed := qa.DefaultConfig()
	fixed.LengthRatio = 2
	if st, err := fresh.SaveQASettings(ctx, fixed, "admin"); err != nil {
		t.Fatal(err)
	} else if r, learned := st.Ratio(); r != 2 || learned {
		t.Errorf("a fixed ratio = %v (learned %v), want 2", r, learned)
	}
}

// TestStore_CheckerShared: one checker, rebuilt when the settings change, seen by every store
// over the database.
func TestStore_CheckerShared(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s, other := storetest.New(db), storetest.New(db)
	c1, err := s.Checker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c2, _ := s.Checker(ctx); c2 != c1 {
		t.Error("the checker was rebuilt with nothing changed")
	}
	cfg := qa.DefaultConfig()
	cfg.Checks[qa.Number] = qa.Rule{Enabled: true, Severity: qa.Warning}
	if _, err := other.SaveQASettings(ctx, cfg, "admin"); err != nil {
		t.Fatal(err)
	}
	c3, err := s.Checker(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if c3 == c1 || c3.Config().Rule(qa.Number).Severity != qa.Warning {
		t.Errorf("after another store saved the settings: %+v", c3.Config().Rule(qa.Number))
	}
	fs, err := s.Check(ctx, "قتل ١٧ شخصا.", "71 were killed.")
	if err != nil || len(fs) != 1 || fs[0].Severity != qa.Warning {
		t.Errorf("Check = %+v, %v", fs, err)
	}
}

// articleQA is an article's open findings as the article list counts them.
func articleQA(t *testing.T, s *store.Store, id int64) translate.Issues {
	t.Helper()
	list, err := s.Articles(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range list {
		if a.ID == id {
			return a.QA
		}
	}
	t.Fatalf("article %d not listed", id)
	return translate.Issues{}
}
