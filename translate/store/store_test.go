package store_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

func TestStore_CreateArticle(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Sample(t, s)
	if a.Title != "روسيا: دونيتسك ولوغانسك طلبا مساعدتنا" {
		t.Errorf("title = %q", a.Title)
	}
	if a.Progress.Total != 3 || len(segs) != 3 {
		t.Fatalf("got %d segments (progress %d), want 3", len(segs), a.Progress.Total)
	}
	var joined strings.Builder
	for i, g := range segs {
		if g.Index != i || g.Status != translate.StatusUntranslated || g.Version != 1 {
			t.Errorf("segment %d: index %d status %s version %d", i, g.Index, g.Status, g.Version)
		}
		joined.WriteString(g.Source + g.Sep)
	}
	if joined.String() != storetest.SampleText {
		t.Errorf("segments do not join back to the text:\n%q\n%q", joined.String(), storetest.SampleText)
	}
	if segs[1].Paragraph != segs[2].Paragraph || segs[0].Paragraph == segs[1].Paragraph {
		t.Errorf("paragraphs = %d %d %d, want title apart and the two sentences together", segs[0].Paragraph, segs[1].Paragraph, segs[2].Paragraph)
	}
	got, err := s.Article(context.Background(), a.ID)
	if err != nil || got.SourceText != storetest.SampleText {
		t.Fatalf("Article() = %q, %v", got.SourceText, err)
	}
}

func TestStore_ArticleNotFound(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	if _, err := s.Article(context.Background(), 99); !errors.Is(err, translate.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if _, err := s.Segment(context.Background(), 99); !errors.Is(err, translate.ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestStore_SaveTarget(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	g := segs[1]

	t.Run("OK", func(t *testing.T) {
		got, err := s.SaveTarget(ctx, g.ID, "  Ryabkov said Moscow was ready for dialogue.  ", 1, "mona")
		if err != nil {
			t.Fatal(err)
		}
		if got.Target != "Ryabkov said Moscow was ready for dialogue." || got.Version != 2 || got.Status != translate.StatusEdited || got.Origin != translate.OriginHuman {
			t.Fatalf("saved segment = %+v", got)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.SaveTarget(ctx, g.ID, "A stale edit.", 1, "sami")
		var ce *translate.ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, translate.ErrConflict) {
			t.Fatalf("err = %v, want *ConflictError", err)
		}
		if ce.Current.Target != "Ryabkov said Moscow was ready for dialogue." || ce.Current.Version != 2 {
			t.Fatalf("conflict carries %+v, want the saved text at version 2", ce.Current)
		}
		cur, _ := s.Segment(ctx, g.ID)
		if cur.Target != ce.Current.Target {
			t.Fatalf("stale save overwrote the segment: %q", cur.Target)
		}
	})
	t.Run("ErrTargetRequired", func(t *testing.T) {
		if _, err := s.SaveTarget(ctx, g.ID, "   ", 2, "mona"); !errors.Is(err, translate.ErrInvalid) || !strings.Contains(err.Error(), "target") {
			t.Fatalf("err = %v, want invalid target", err)
		}
	})
	t.Run("SameTextIsNoNewVersion", func(t *testing.T) {
		got, err := s.SaveTarget(ctx, g.ID, "Ryabkov said Moscow was ready for dialogue.", 2, "mona")
		if err != nil || got.Version != 2 {
			t.Fatalf("resave = version %d, %v; want 2, nil", got.Version, err)
		}
	})
	t.Run("Revisions", func(t *testing.T) {
		revs, err := s.Revisions(ctx, g.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(revs) != 1 || revs[0].Kind != "edit" || revs[0].Before != "" || revs[0].After != "Ryabkov said Moscow was ready for dialogue." || revs[0].Author != "mona" || revs[0].CreatedAt.IsZero() {
			t.Fatalf("revisions = %+v", revs)
		}
	})
}

func TestStore_Approve(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	_, segs := storetest.Sample(t, s)
	g := segs[2]
	if _, err := s.Approve(ctx, g.ID, "", 1, "mona"); !errors.Is(err, translate.ErrInvalid) {
		t.Fatalf("approving an empty segment: err = %v, want ErrInvalid", err)
	}
	got, err := s.Approve(ctx, g.ID, "He added that security guarantees were essential!", 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != translate.StatusApproved || got.Version != 2 {
		t.Fatalf("approved = %+v", got)
	}
	tm, err := memory.New(db.W, db.R, time.Now).Exact(ctx, []string{"وَأضاف أنّ الضمانات الأمنية ضرورية!"})
	if err != nil {
		t.Fatal(err)
	}
	if len(tm) != 1 {
		t.Fatalf("approved pair not found in translation memory by normalized source: %v", tm)
	}
	a, _ := s.Article(ctx, g.ArticleID)
	if a.Progress.Approved != 1 {
		t.Fatalf("progress = %+v, want 1 approved", a.Progress)
	}
}

func TestStore_ApplyMachineNeverOverwritesReview(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	if _, err := s.SaveTarget(ctx, segs[1].ID, "Human text.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	n, err := s.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[0].ID, Target: "Russia: Donetsk and Luhansk asked for our help", Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "openai", Model: "m1"},
		{SegmentID: segs[1].ID, Target: "Machine text.", Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "openai", Model: "m1"},
		{SegmentID: segs[2].ID, Status: translate.StatusFailed, Backend: "openai", Model: "m1", Flags: []string{"failed: Arabic echoed back"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("applied %d, want 2 (the edited segment is skipped)", n)
	}
	got, _ := s.Segments(ctx, segs[0].ArticleID)
	if got[0].Target != "Russia: Donetsk and Luhansk asked for our help" || got[0].Status != translate.StatusMachine || got[0].Model != "m1" {
		t.Errorf("segment 0 = %+v", got[0])
	}
	if got[1].Target != "Human text." || got[1].Status != translate.StatusEdited {
		t.Errorf("machine output replaced a reviewer's edit: %+v", got[1])
	}
	if got[2].Status != translate.StatusFailed || got[2].Target != "" || len(got[2].Flags) != 1 {
		t.Errorf("failed segment = %+v", got[2])
	}
	// A re-translation keeps the earlier machine text in the revisions.
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{{SegmentID: segs[0].ID, Target: "Russia: Donetsk and Luhansk requested our help", Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "openai", Model: "m2"}}); err != nil {
		t.Fatal(err)
	}
	revs, _ := s.Revisions(ctx, segs[0].ID)
	if len(revs) != 2 || revs[1].Before != "Russia: Donetsk and Luhansk asked for our help" || revs[1].Model != "m2" {
		t.Fatalf("revisions = %+v", revs)
	}
}

func TestStore_ReincludeKeepsWhereTheTextCameFrom(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[0].ID, Target: "Russia", Status: translate.StatusDraft, Origin: translate.OriginDraft, Backend: "offline"},
		{SegmentID: segs[1].ID, Target: "From memory.", Status: translate.StatusTM, Origin: translate.OriginTM, Backend: "tm"},
	}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []translate.Status{translate.StatusDraft, translate.StatusTM} {
		g, _ := s.Segment(ctx, segs[i].ID)
		g, err := s.SetExcluded(ctx, g.ID, true, g.Version, "r")
		if err != nil || g.Status != translate.StatusExcluded {
			t.Fatalf("exclude: %v %s", err, g.Status)
		}
		g, err = s.SetExcluded(ctx, g.ID, false, g.Version, "r")
		if err != nil || g.Status != want {
			t.Errorf("re-included segment %d is %s (%v), want %s", i, g.Status, err, want)
		}
	}
}

func TestStore_ApproveAnyVersion(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	g := segs[1]
	if _, err := s.SaveTarget(ctx, g.ID, "Ryabkov said Moscow was ready.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNewTextNeedsVersion", func(t *testing.T) {
		if _, err := s.Approve(ctx, g.ID, "Other text.", store.AnyVersion, "sami"); !errors.Is(err, translate.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("ErrSaveNeedsVersion", func(t *testing.T) {
		if _, err := s.SaveTarget(ctx, g.ID, "Other text.", store.AnyVersion, "sami"); !errors.Is(err, translate.ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		got, err := s.Approve(ctx, g.ID, "", store.AnyVersion, "sami")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != translate.StatusApproved || got.Version != 3 || got.Target != "Ryabkov said Moscow was ready." {
			t.Fatalf("approved = %s v%d %q", got.Status, got.Version, got.Target)
		}
	})
}

func TestStore_ExcludedSegmentRefusesEditAndApproval(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	g, err := s.SetExcluded(ctx, segs[0].ID, true, 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		write func() (translate.Segment, error)
	}{
		{"ErrSave", func() (translate.Segment, error) { return s.SaveTarget(ctx, g.ID, "Russia says", g.Version, "mona") }},
		{"ErrApproveNewText", func() (translate.Segment, error) { return s.Approve(ctx, g.ID, "Russia says", g.Version, "mona") }},
		{"ErrApproveAnyVersion", func() (translate.Segment, error) { return s.Approve(ctx, g.ID, "", store.AnyVersion, "mona") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.write()
			if !errors.Is(err, translate.ErrConflict) || !strings.Contains(err.Error(), "excluded") {
				t.Fatalf("err = %v, want a conflict naming the exclusion", err)
			}
			cur, _ := s.Segment(ctx, g.ID)
			if cur.Status != translate.StatusExcluded || cur.Version != g.Version || cur.Target != "" {
				t.Fatalf("refused write changed the segment: %s v%d %q", cur.Status, cur.Version, cur.Target)
			}
		})
	}
	t.Run("OKAfterInclude", func(t *testing.T) {
		in, err := s.SetExcluded(ctx, g.ID, false, g.Version, "mona")
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.SaveTarget(ctx, g.ID, "Russia says", in.Version, "mona")
		if err != nil || got.Status != translate.StatusEdited {
			t.Fatalf("save after include = %s, %v", got.Status, err)
		}
	})
}

// fixedGlossary serves one prebuilt matcher.
type fixedGlossary struct{ m *glossary.Matcher }

func (g fixedGlossary) Matcher(context.Context) (*glossary.Matcher, error) { return g.m, nil }

// TestStore_ReviewRechecksGlossaryFlags: the machine's glossary flags stay for the quality
// figures, while the current flags follow the reviewer's text.
func TestStore_ReviewRechecksGlossaryFlags(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := store.New(db.W, db.R, time.Now, fixedGlossary{glossary.NewMatcher([]glossary.Term{
		{ID: 1, Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm, Forbidden: []string{"security assurances"}},
	})})
	_, segs := storetest.Sample(t, s)
	g := segs[2] // وأضاف أن الضمانات الأمنية ضرورية!
	const (
		missing   = `«الضمانات الأمنية» should be "security guarantees" (glossary)`
		forbidden = `"security assurances" is a forbidden rendering of «الضمانات الأمنية»; use "security guarantees"`
	)
	machineFlag := forbidden
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{{SegmentID: g.ID, Target: "He added that security assurances were essential!",
		Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "openai", Model: "m1", Flags: []string{machineFlag}}}); err != nil {
		t.Fatal(err)
	}
	g, _ = s.Segment(ctx, g.ID)
	for _, c := range []struct {
		name   string
		write  func(version int) (translate.Segment, error)
		status translate.Status
		flags  []string
	}{
		{"EditStillViolates", func(v int) (translate.Segment, error) {
			return s.SaveTarget(ctx, g.ID, "He added that guarantees were essential!", v, "mona")
		}, translate.StatusEdited, []string{missing}},
		{"EditFixesTerm", func(v int) (translate.Segment, error) {
			return s.SaveTarget(ctx, g.ID, "He added that security guarantees were essential!", v, "mona")
		}, translate.StatusEdited, []string{}},
		// Approving over the glossary needs both findings ignored; the flags stay.
		{"ApproveWithViolation", func(v int) (translate.Segment, error) {
			text := "He added that security assurances and guarantees were essential!"
			var qe *store.QAError
			if _, err := s.Approve(ctx, g.ID, text, v, "mona"); !errors.As(err, &qe) || len(qe.Findings) != 2 {
				t.Fatalf("approving with two glossary errors: %v, want a *QAError with both", err)
			}
			for _, m := range []string{missing, forbidden} {
				if _, _, err := s.Ignore(ctx, g.ID, text, qa.Glossary, m, "mona"); err != nil {
					t.Fatal(err)
				}
			}
			return s.Approve(ctx, g.ID, text, v, "mona")
		}, translate.StatusApproved, []string{missing, forbidden}},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := c.write(g.Version)
			if err != nil {
				t.Fatal(err)
			}
			g = got
			if got.Status != c.status || strings.Join(got.Flags, "|") != strings.Join(c.flags, "|") {
				t.Errorf("after %s: %s flags %q, want %s %q", c.name, got.Status, got.Flags, c.status, c.flags)
			}
			if len(got.MachineFlags) != 1 || got.MachineFlags[0] != machineFlag {
				t.Errorf("machine flags = %q, want the machine output's one flag", got.MachineFlags)
			}
		})
	}
}

func TestStore_KeepTheirs(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	_, segs := storetest.Sample(t, s)
	g := segs[1]
	if _, err := s.SaveTarget(ctx, g.ID, "Theirs.", 1, "sami"); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		var ce *translate.ConflictError
		if _, err := s.KeepTheirs(ctx, g.ID, "Mine.", 1, "mona"); !errors.As(err, &ce) || ce.Current.Version != 2 {
			t.Fatalf("err = %v, want a conflict at version 2", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		got, err := s.KeepTheirs(ctx, g.ID, "Mine.", 2, "mona")
		if err != nil {
			t.Fatal(err)
		}
		if got.Target != "Theirs." || got.Version != 2 || got.Status != translate.StatusEdited {
			t.Fatalf("segment = %q v%d %s, want theirs unchanged", got.Target, got.Version, got.Status)
		}
		revs, _ := s.Revisions(ctx, g.ID)
		if len(revs) != 2 || revs[1].Kind != "theirs" || revs[1].Before != "Mine." || revs[1].After != "Theirs." || revs[1].Author != "mona" {
			t.Fatalf("revisions = %+v", revs)
		}
	})
}

// TestStore_HasArticleFrom: the seed loader's question, whether an article from a file is
// stored, is answered by the file name exactly.
func TestStore_HasArticleFrom(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	if found, err := s.HasArticleFrom(ctx, "sample.txt"); err != nil || found {
		t.Fatalf("before any import: %v, %v; want false", found, err)
	}
	storetest.Sample(t, s)
	for name, want := range map[string]bool{"sample.txt": true, "sample": false, "seeds/sample.txt": false} {
		if found, err := s.HasArticleFrom(ctx, name); err != nil || found != want {
			t.Errorf("HasArticleFrom(%q) = %v, %v; want %v", name, found, err, want)
		}
	}
}

// Revisions written within the same second, some at the very same instant, list in the
// order they were written, with the times they were written at; sorting the stored times as
// text (then by id) gives the same order.
func TestStore_RevisionsWithinOneSecondKeepTheirOrder(t *testing.T) {
	ctx := context.Background()
	second := time.Date(2026, 3, 1, 10, 0, 5, 0, time.UTC)
	now := second
	s, db := storeAt(t, &now)
	_, segs := storetest.Sample(t, s)
	id := segs[1].ID

	// The whole second first: RFC 3339 with trimmed zeros stored it as "…:05Z", which sorts
	// after the "…:05.5Z" written later.
	if _, err := s.ApplyMachine(ctx, []store.MachineOutput{{SegmentID: id, Target: "machine", Status: translate.StatusMachine,
		Origin: translate.OriginMachine, Backend: "fake"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveTarget(ctx, id, "first edit", 2, "huda"); err != nil { // the same instant
		t.Fatal(err)
	}
	now = second.Add(500 * time.Millisecond)
	if _, err := s.SaveTarget(ctx, id, "second edit", 3, "huda"); err != nil {
		t.Fatal(err)
	}
	now = second.Add(500*time.Millisecond + time.Nanosecond)
	if _, err := s.Approve(ctx, id, "", 4, "amal"); err != nil {
		t.Fatal(err)
	}

	revs, err := s.Revisions(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		kind, after string
		at          time.Time
	}{
		{"machine", "machine", second},
		{"edit", "first edit", second},
		{"edit", "second edit", second.Add(500 * time.Millisecond)},
		{"approve", "second edit", second.Add(500*time.Millisecond + time.Nanosecond)},
	}
	if len(revs) != len(want) {
		t.Fatalf("%d revisions, want %d: %+v", len(revs), len(want), revs)
	}
	var ids []string
	for i, w := range want {
		r := revs[i]
		if r.Kind != w.kind || r.After != w.after || !r.CreatedAt.Equal(w.at) {
			t.Errorf("revision %d = %s %q at %s, want %s %q at %s", i, r.Kind, r.After, r.CreatedAt.Format(time.RFC3339Nano),
				w.kind, w.after, w.at.Format(time.RFC3339Nano))
		}
		ids = append(ids, strconv.FormatInt(r.ID, 10))
	}
	var byText string
	if err := db.R.QueryRowContext(ctx, `SELECT group_concat(id, ' ' ORDER BY created_at, id) FROM revisions
		WHERE segment_id = ?`, id).Scan(&byText); err != nil {
		t.Fatal(err)
	}
	if written := strings.Join(ids, " "); byText != written {
		t.Errorf("revisions by stored time as text = %s, want the written order %s", byText, written)
	}
}

// storeAt is a review store without a glossary over a fresh database, whose clock reads *now so
// a test sets the time of each write.
func storeAt(t *testing.T, now *time.Time) (*store.Store, *migrations.DB) {
	t.Helper()
	db := migrationstest.Open(t)
	return store.New(db.W, db.R, func() time.Time { return *now }, nil), db
}

// A run's record carries the store's clock: started and finished at the times it gave, the
// duration between them, read back exactly.
func TestStore_RunTimesFromTheStoreClock(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 10, 0, 5, 0, time.UTC)
	now := start
	s, _ := storeAt(t, &now)
	a, _ := storetest.Sample(t, s)
	rep := translate.Report{ArticleID: a.ID, Backend: "fake", StartedAt: start.Add(-time.Hour)}
	if err := s.StartRun(ctx, &rep); err != nil {
		t.Fatal(err)
	}
	now = start.Add(1500 * time.Millisecond)
	rep.Status = translate.RunDone
	if err := s.FinishRun(ctx, &rep); err != nil {
		t.Fatal(err)
	}
	if !rep.StartedAt.Equal(start) || !rep.FinishedAt.Equal(now) || rep.Duration != 1500*time.Millisecond {
		t.Errorf("report started %s, finished %s, took %s; want %s, %s, 1.5s", rep.StartedAt, rep.FinishedAt, rep.Duration, start, now)
	}
	runs, err := s.Runs(ctx, a.ID)
	if err != nil || len(runs) != 1 {
		t.Fatalf("Runs = %+v, %v", runs, err)
	}
	if r := runs[0]; !r.StartedAt.Equal(start) || !r.FinishedAt.Equal(now) || r.Duration != 1500*time.Millisecond {
		t.Errorf("stored run started %s, finished %s, took %s; want %s, %s, 1.5s", r.StartedAt, r.FinishedAt, r.Duration, start, now)
	}
}

// A run holds a lease: while its process renews it the run reads as running; once the lease
// lapses — the process died, and nobody restarted anything — it reads as interrupted
// wherever it is read (Runs, Run), finished when its lease ran out. A process that was only
// stalled and comes back renews and finishes the run as usual.
func TestStore_RunLease(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	now := start
	s, _ := storeAt(t, &now)
	a, _ := storetest.Sample(t, s)
	rep := translate.Report{ArticleID: a.ID, Backend: "fake", Pending: 3}
	if err := s.StartRun(ctx, &rep); err != nil {
		t.Fatal(err)
	}
	rep.Translated = 1
	if err := s.ProgressRun(ctx, rep); err != nil {
		t.Fatal(err)
	}
	read := func(when time.Time) translate.Report {
		t.Helper()
		now = when
		runs, err := s.Runs(ctx, a.ID)
		if err != nil || len(runs) != 1 {
			t.Fatalf("Runs = %+v, %v", runs, err)
		}
		one, err := s.Run(ctx, rep.RunID)
		if err != nil || one.Status != runs[0].Status || one.Error != runs[0].Error {
			t.Fatalf("Run = %+v, %v; Runs says %+v", one, err, runs[0])
		}
		return one
	}
	if r := read(start.Add(store.RunLease - time.Second)); r.Status != translate.RunRunning || !r.LeaseUntil.Equal(start.Add(store.RunLease)) {
		t.Errorf("within the lease: %s until %s", r.Status, r.LeaseUntil)
	}
	now = start.Add(store.RunLease - time.Second)
	if err := s.RenewRun(ctx, rep.RunID); err != nil {
		t.Fatal(err)
	}
	renewed := now.Add(store.RunLease)
	if r := read(renewed.Add(-time.Second)); r.Status != translate.RunRunning {
		t.Errorf("after a renewal, within the new lease: %s", r.Status)
	}
	r := read(renewed.Add(time.Second))
	if r.Status != translate.RunInterrupted || !r.FinishedAt.Equal(renewed) || r.Duration != renewed.Sub(start) || r.Untouched != 2 ||
		!strings.Contains(r.Error, "the process running it stopped (no sign of life since 2026-03-01 10:00:29 UTC)") {
		t.Errorf("after the lease lapsed: %+v", r)
	}
	if !strings.HasSuffix(r.String(), "; interrupted") {
		t.Errorf("summary %q does not say the run was interrupted", r.String())
	}
	// The process was stalled, not dead: it renews and finishes.
	if err := s.RenewRun(ctx, rep.RunID); err != nil {
		t.Fatal(err)
	}
	if r := read(now); r.Status != translate.RunRunning {
		t.Errorf("renewed again: %s", r.Status)
	}
	rep.Status = translate.RunDone
	if err := s.FinishRun(ctx, &rep); err != nil {
		t.Fatal(err)
	}
	if err := s.RenewRun(ctx, rep.RunID); err != nil {
		t.Fatal(err)
	}
	if r := read(now.Add(time.Hour)); r.Status != translate.RunDone || r.Error != "" {
		t.Errorf("a finished run an hour on: %s %q", r.Status, r.Error)
	}
}
