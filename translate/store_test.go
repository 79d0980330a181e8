package translate

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations"
)

// mustOpenStore opens a store on a fresh SQLite file under t.TempDir().
func mustOpenStore(tb testing.TB) *Store {
	tb.Helper()
	db, err := migrations.Open(context.Background(), filepath.Join(tb.TempDir(), "tarjama.db"))
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	return NewStore(db)
}

const sampleText = "روسيا: دونيتسك ولوغانسك طلبا مساعدتنا\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات الأمنية ضرورية!\n"

func mustArticle(tb testing.TB, s *Store) (Article, []Segment) {
	tb.Helper()
	ctx := context.Background()
	title, text, err := NewText("sample", "", sampleText)
	if err != nil {
		tb.Fatal(err)
	}
	a, err := s.CreateArticle(ctx, title, text, "sample.txt")
	if err != nil {
		tb.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		tb.Fatal(err)
	}
	return a, segs
}

func TestStore_CreateArticle(t *testing.T) {
	s := mustOpenStore(t)
	a, segs := mustArticle(t, s)
	if a.Title != "روسيا: دونيتسك ولوغانسك طلبا مساعدتنا" {
		t.Errorf("title = %q", a.Title)
	}
	if a.Progress.Total != 3 || len(segs) != 3 {
		t.Fatalf("got %d segments (progress %d), want 3", len(segs), a.Progress.Total)
	}
	var joined strings.Builder
	for i, g := range segs {
		if g.Index != i || g.Status != StatusUntranslated || g.Version != 1 {
			t.Errorf("segment %d: index %d status %s version %d", i, g.Index, g.Status, g.Version)
		}
		joined.WriteString(g.Source + g.Sep)
	}
	if joined.String() != sampleText {
		t.Errorf("segments do not join back to the text:\n%q\n%q", joined.String(), sampleText)
	}
	if segs[1].Paragraph != segs[2].Paragraph || segs[0].Paragraph == segs[1].Paragraph {
		t.Errorf("paragraphs = %d %d %d, want title apart and the two sentences together", segs[0].Paragraph, segs[1].Paragraph, segs[2].Paragraph)
	}
	got, err := s.Article(context.Background(), a.ID)
	if err != nil || got.SourceText != sampleText {
		t.Fatalf("Article() = %q, %v", got.SourceText, err)
	}
}

func TestStore_ArticleNotFound(t *testing.T) {
	s := mustOpenStore(t)
	if _, err := s.Article(context.Background(), 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
	if _, err := s.Segment(context.Background(), 99); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v, want ErrNotFound", err)
	}
}

func TestStore_SaveTarget(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	g := segs[1]

	t.Run("OK", func(t *testing.T) {
		got, err := s.SaveTarget(ctx, g.ID, "  Ryabkov said Moscow was ready for dialogue.  ", 1, "mona")
		if err != nil {
			t.Fatal(err)
		}
		if got.Target != "Ryabkov said Moscow was ready for dialogue." || got.Version != 2 || got.Status != StatusEdited || got.Origin != OriginHuman {
			t.Fatalf("saved segment = %+v", got)
		}
	})
	t.Run("ErrConflict", func(t *testing.T) {
		_, err := s.SaveTarget(ctx, g.ID, "A stale edit.", 1, "sami")
		var ce *ConflictError
		if !errors.As(err, &ce) || !errors.Is(err, ErrConflict) {
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
		if _, err := s.SaveTarget(ctx, g.ID, "   ", 2, "mona"); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "target") {
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
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	g := segs[2]
	if _, err := s.Approve(ctx, g.ID, "", 1, "mona"); !errors.Is(err, ErrInvalid) {
		t.Fatalf("approving an empty segment: err = %v, want ErrInvalid", err)
	}
	got, err := s.Approve(ctx, g.ID, "He added that security guarantees were essential!", 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != StatusApproved || got.Version != 2 {
		t.Fatalf("approved = %+v", got)
	}
	tm, err := s.TMExact(ctx, []string{"وَأضاف أنّ الضمانات الأمنية ضرورية!"})
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
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	if _, err := s.SaveTarget(ctx, segs[1].ID, "Human text.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	n, err := s.ApplyMachine(ctx, []MachineOutput{
		{SegmentID: segs[0].ID, Target: "Russia: Donetsk and Luhansk asked for our help", Status: StatusMachine, Origin: OriginMachine, Backend: "openai", Model: "m1"},
		{SegmentID: segs[1].ID, Target: "Machine text.", Status: StatusMachine, Origin: OriginMachine, Backend: "openai", Model: "m1"},
		{SegmentID: segs[2].ID, Status: StatusFailed, Backend: "openai", Model: "m1", Flags: []string{"failed: Arabic echoed back"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != 2 {
		t.Fatalf("applied %d, want 2 (the edited segment is skipped)", n)
	}
	got, _ := s.Segments(ctx, segs[0].ArticleID)
	if got[0].Target != "Russia: Donetsk and Luhansk asked for our help" || got[0].Status != StatusMachine || got[0].Model != "m1" {
		t.Errorf("segment 0 = %+v", got[0])
	}
	if got[1].Target != "Human text." || got[1].Status != StatusEdited {
		t.Errorf("machine output replaced a reviewer's edit: %+v", got[1])
	}
	if got[2].Status != StatusFailed || got[2].Target != "" || len(got[2].Flags) != 1 {
		t.Errorf("failed segment = %+v", got[2])
	}
	// A re-translation keeps the earlier machine text in the revisions.
	if _, err := s.ApplyMachine(ctx, []MachineOutput{{SegmentID: segs[0].ID, Target: "Russia: Donetsk and Luhansk requested our help", Status: StatusMachine, Origin: OriginMachine, Backend: "openai", Model: "m2"}}); err != nil {
		t.Fatal(err)
	}
	revs, _ := s.Revisions(ctx, segs[0].ID)
	if len(revs) != 2 || revs[1].Before != "Russia: Donetsk and Luhansk asked for our help" || revs[1].Model != "m2" {
		t.Fatalf("revisions = %+v", revs)
	}
}

func TestParseText(t *testing.T) {
	tests := []struct {
		name, data, wantTitle, wantErr string
	}{
		{"OK", "\ufeff\n\n  عنوان المقال  \nنص.", "عنوان المقال", ""},
		{"ErrEmpty", " \n\t\n", "", "x.txt: empty"},
		{"ErrNotUTF8", "سطر\n\xe1\xc7\xe1", "", "x.txt:2: not valid UTF-8"},
		{"ErrNUL", "a\x00b", "", "NUL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			title, _, err := ParseText("x.txt", []byte(tt.data))
			if tt.wantErr != "" {
				if err == nil || !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil || title != tt.wantTitle {
				t.Fatalf("got %q, %v; want %q", title, err, tt.wantTitle)
			}
		})
	}
}

func TestStore_ReincludeKeepsWhereTheTextCameFrom(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	if _, err := s.ApplyMachine(ctx, []MachineOutput{
		{SegmentID: segs[0].ID, Target: "Russia", Status: StatusDraft, Origin: OriginDraft, Backend: "offline"},
		{SegmentID: segs[1].ID, Target: "From memory.", Status: StatusTM, Origin: OriginTM, Backend: "tm"},
	}); err != nil {
		t.Fatal(err)
	}
	for i, want := range []Status{StatusDraft, StatusTM} {
		g, _ := s.Segment(ctx, segs[i].ID)
		g, err := s.SetExcluded(ctx, g.ID, true, g.Version, "r")
		if err != nil || g.Status != StatusExcluded {
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
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	g := segs[1]
	if _, err := s.SaveTarget(ctx, g.ID, "Ryabkov said Moscow was ready.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrNewTextNeedsVersion", func(t *testing.T) {
		if _, err := s.Approve(ctx, g.ID, "Other text.", AnyVersion, "sami"); !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("ErrSaveNeedsVersion", func(t *testing.T) {
		if _, err := s.SaveTarget(ctx, g.ID, "Other text.", AnyVersion, "sami"); !errors.Is(err, ErrInvalid) {
			t.Fatalf("err = %v, want ErrInvalid", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		got, err := s.Approve(ctx, g.ID, "", AnyVersion, "sami")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != StatusApproved || got.Version != 3 || got.Target != "Ryabkov said Moscow was ready." {
			t.Fatalf("approved = %s v%d %q", got.Status, got.Version, got.Target)
		}
	})
}

func TestStore_ExcludedSegmentRefusesEditAndApproval(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	g, err := s.SetExcluded(ctx, segs[0].ID, true, 1, "mona")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name  string
		write func() (Segment, error)
	}{
		{"ErrSave", func() (Segment, error) { return s.SaveTarget(ctx, g.ID, "Russia says", g.Version, "mona") }},
		{"ErrApproveNewText", func() (Segment, error) { return s.Approve(ctx, g.ID, "Russia says", g.Version, "mona") }},
		{"ErrApproveAnyVersion", func() (Segment, error) { return s.Approve(ctx, g.ID, "", AnyVersion, "mona") }},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.write()
			if !errors.Is(err, ErrConflict) || !strings.Contains(err.Error(), "excluded") {
				t.Fatalf("err = %v, want a conflict naming the exclusion", err)
			}
			cur, _ := s.Segment(ctx, g.ID)
			if cur.Status != StatusExcluded || cur.Version != g.Version || cur.Target != "" {
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
		if err != nil || got.Status != StatusEdited {
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
	s := mustOpenStore(t)
	s.SetGlossary(fixedGlossary{glossary.NewMatcher([]glossary.Term{
		{ID: 1, Arabic: "ضمانات أمنية", English: "security guarantees", Type: glossary.TypeTerm, Forbidden: []string{"security assurances"}},
	})})
	_, segs := mustArticle(t, s)
	g := segs[2] // وأضاف أن الضمانات الأمنية ضرورية!
	machineFlag := `glossary: forbidden "security assurances" used for ضمانات أمنية (use "security guarantees")`
	if _, err := s.ApplyMachine(ctx, []MachineOutput{{SegmentID: g.ID, Target: "He added that security assurances were essential!",
		Status: StatusMachine, Origin: OriginMachine, Backend: "openai", Model: "m1", Flags: []string{machineFlag}}}); err != nil {
		t.Fatal(err)
	}
	g, _ = s.Segment(ctx, g.ID)
	for _, c := range []struct {
		name   string
		write  func(version int) (Segment, error)
		status Status
		flags  []string
	}{
		{"EditStillViolates", func(v int) (Segment, error) {
			return s.SaveTarget(ctx, g.ID, "He added that guarantees were essential!", v, "mona")
		}, StatusEdited, []string{`glossary: expected "security guarantees" for ضمانات أمنية`}},
		{"EditFixesTerm", func(v int) (Segment, error) {
			return s.SaveTarget(ctx, g.ID, "He added that security guarantees were essential!", v, "mona")
		}, StatusEdited, []string{}},
		{"ApproveWithViolation", func(v int) (Segment, error) {
			return s.Approve(ctx, g.ID, "He added that security assurances and guarantees were essential!", v, "mona")
		}, StatusApproved, []string{`glossary: expected "security guarantees" for ضمانات أمنية`, machineFlag}},
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
	s := mustOpenStore(t)
	_, segs := mustArticle(t, s)
	g := segs[1]
	if _, err := s.SaveTarget(ctx, g.ID, "Theirs.", 1, "sami"); err != nil {
		t.Fatal(err)
	}
	t.Run("ErrConflict", func(t *testing.T) {
		var ce *ConflictError
		if _, err := s.KeepTheirs(ctx, g.ID, "Mine.", 1, "mona"); !errors.As(err, &ce) || ce.Current.Version != 2 {
			t.Fatalf("err = %v, want a conflict at version 2", err)
		}
	})
	t.Run("OK", func(t *testing.T) {
		got, err := s.KeepTheirs(ctx, g.ID, "Mine.", 2, "mona")
		if err != nil {
			t.Fatal(err)
		}
		if got.Target != "Theirs." || got.Version != 2 || got.Status != StatusEdited {
			t.Fatalf("segment = %q v%d %s, want theirs unchanged", got.Target, got.Version, got.Status)
		}
		revs, _ := s.Revisions(ctx, g.ID)
		if len(revs) != 2 || revs[1].Kind != "theirs" || revs[1].Before != "Mine." || revs[1].After != "Theirs." || revs[1].Author != "mona" {
			t.Fatalf("revisions = %+v", revs)
		}
	})
}

// TestStore_TMExactPrefersNewest: the newest entry wins, whatever its timestamp's width
// (".1Z" sorts after ".12Z" as text), and a pair approved again becomes the newest.
func TestStore_TMExactPrefersNewest(t *testing.T) {
	ctx := context.Background()
	s := mustOpenStore(t)
	src := "قال ريابكوف إن موسكو مستعدة للحوار."
	for _, e := range []struct{ target, created string }{
		{"Older.", "2026-01-01T00:00:00.1Z"},
		{"Newer.", "2026-01-01T00:00:00.12Z"},
	} {
		if _, err := s.db.W.ExecContext(ctx, `INSERT INTO tm (source_norm, source, target, origin, created_at) VALUES (?, ?, ?, 'approved', ?)`,
			arabic.Normalize(src), src, e.target, e.created); err != nil {
			t.Fatal(err)
		}
	}
	exact := func() string {
		t.Helper()
		m, err := s.TMExact(ctx, []string{src})
		if err != nil {
			t.Fatal(err)
		}
		return m[src]
	}
	if got := exact(); got != "Newer." {
		t.Errorf("TMExact = %q, want the newer entry", got)
	}
	_, segs := mustArticle(t, s)
	g := segs[1] // the same sentence
	if g.Source != src {
		t.Fatalf("segment source %q, want %q", g.Source, src)
	}
	if _, err := s.Approve(ctx, g.ID, "Older.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	if got := exact(); got != "Older." {
		t.Errorf("after approving %q again, TMExact = %q", "Older.", got)
	}
	var n int
	if err := s.db.R.QueryRowContext(ctx, `SELECT COUNT(*) FROM tm WHERE source_norm = ?`, arabic.Normalize(src)).Scan(&n); err != nil || n != 2 {
		t.Errorf("memory holds %d entries for the source (%v), want 2", n, err)
	}
}

func TestProgress_Done(t *testing.T) {
	for _, c := range []struct {
		p    Progress
		want int
	}{
		{Progress{}, 0},
		{Progress{Total: 4, Approved: 1, Excluded: 1}, 33}, // 1 of the 3 to translate
		{Progress{Total: 4, Approved: 3, Excluded: 1}, 100},
		{Progress{Total: 4, Approved: 2}, 50},
		{Progress{Total: 2, Excluded: 2}, 100}, // nothing left to approve
		{Progress{Total: 3, Excluded: 1}, 0},
	} {
		if got := c.p.Done(); got != c.want {
			t.Errorf("%+v.Done() = %d, want %d", c.p, got, c.want)
		}
	}
}
