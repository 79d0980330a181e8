package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// runStats runs cmdStats directly (run's command table is wired separately) and returns its
// stdout and error.
func runStats(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(""), stdout: &out, stderr: &errb, log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := cmdStats(context.Background(), e, args)
	return out.String(), err
}

// seedApprovals stores one article translated by two backends, partly approved.
func seedApprovals(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db := migrationstest.OpenFile(t, path)
	defer db.Close() // before the CLI opens the file
	s := store.New(db.W, db.R, time.Now, glossary.NewStore(db.W, db.R, time.Now))
	a, err := s.CreateArticle(ctx, "عنوان", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.", "")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	outs := []store.MachineOutput{
		{SegmentID: segs[0].ID, Target: "Title", Backend: "openai", Model: "gpt-x"},
		{SegmentID: segs[1].ID, Target: "Ryabkov said Moscow is ready for talks.", Backend: "openai", Model: "gpt-x"},
		{SegmentID: segs[2].ID, Target: "He added guarantees are necessary.", Backend: "libretranslate",
			Flags: []string{`glossary: expected "security guarantees" for الضمانات الأمنية`}},
	}
	for i := range outs {
		outs[i].Status, outs[i].Origin = translate.StatusMachine, translate.OriginMachine
	}
	if _, err := s.ApplyMachine(ctx, outs); err != nil {
		t.Fatal(err)
	}
	for i, text := range []string{"", "Ryabkov said Moscow is ready for dialogue.", "He added that security guarantees are necessary."} {
		if _, err := s.Approve(ctx, segs[i].ID, text, 2, "mona"); err != nil {
			t.Fatal(err)
		}
	}
}

func TestStats(t *testing.T) {
	db := filepath.Join(t.TempDir(), "stats.db")

	out, err := runStats(t, "--db", db)
	if err != nil || !strings.Contains(out, "No quality figures yet") {
		t.Fatalf("stats on a fresh database = %v, %q; want the empty message", err, out)
	}
	out, err = runStats(t, "--json", "--db", db)
	if err != nil || strings.TrimSpace(out) != "{\n  \"quality\": []\n}" {
		t.Fatalf("stats --json on a fresh database = %v, %q; want an empty list", err, out)
	}

	seedApprovals(t, db)
	out, err = runStats(t, "--db", db)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(out, "\n")
	if len(lines) < 3 || !strings.HasPrefix(lines[0], "BACKEND") {
		t.Fatalf("table = %q", out)
	}
	// openai: 2 approved, 1 unchanged, 1 edit in 1+7 words, no flags nor findings;
	// libretranslate: 2 insertions in 7 words, one glossary violation in its one segment (a
	// flag stored without findings, as before the quality checks kept them).
	for i, want := range [][]string{
		{"openai", "gpt-x", "2", "50.0", "0.125", "*", "0.0", "0", "0.0", "-"},
		{"libretranslate", "-", "1", "0.0", "0.286", "*", "100.0", "1", "100.0", "glossary", "1"},
	} {
		got := strings.Fields(lines[i+1])
		if len(got) != len(want) {
			t.Errorf("row %d = %q, want %q", i, lines[i+1], want)
			continue
		}
		for j := range want {
			if want[j] != "*" && got[j] != want[j] {
				t.Errorf("row %d = %q, want %q", i, lines[i+1], want)
				break
			}
		}
		if strings.HasSuffix(lines[i+1], " ") {
			t.Errorf("row %d has trailing spaces: %q", i, lines[i+1])
		}
	}

	out, err = runStats(t, "--db", db, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var got struct{ Quality []store.QualityRow }
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("stats --json: %v in %q", err, out)
	}
	if len(got.Quality) != 2 || got.Quality[0].Backend != "openai" || got.Quality[0].Edits != 1 || got.Quality[1].GlossaryViolations != 1 {
		t.Errorf("stats --json = %+v", got.Quality)
	}

	var ue usageError
	if _, err := runStats(t, "--db", db, "extra"); !errors.As(err, &ue) {
		t.Errorf("stats with an argument = %v, want a usage error", err)
	}
}
