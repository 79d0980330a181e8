package glossary_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
)

// openStore opens a fresh database; seeded loads the seed glossary into it, as a new
// database gets it on first start.
func openStore(t *testing.T, seeded bool) *glossary.Store {
	t.Helper()
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := glossary.NewStore(db.W, db.R, time.Now)
	if seeded {
		data, err := seeds.FS.ReadFile(seeds.GlossaryFile)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Import(ctx, bytes.NewReader(data), glossary.ImportOptions{Name: "seeds/" + seeds.GlossaryFile, User: "seed"}); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// byArabic indexes the glossary by Arabic.
func byArabic(t *testing.T, s *glossary.Store) map[string]glossary.Term {
	t.Helper()
	all, err := s.All(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	m := make(map[string]glossary.Term, len(all))
	for _, tr := range all {
		m[tr.Arabic] = tr
	}
	return m
}

func lines(cs []glossary.Change) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Line)
	}
	return out
}

// TestImport_OneRowPerSpelling: a file that gives each spelling a row of its own names a
// stored term by its variant when the English is the term's or one of its alternatives (so
// it is unchanged, not a conflict); a different English is a conflict that says what is
// stored. Into an empty glossary every row is a term.
func TestImport_OneRowPerSpelling(t *testing.T) {
	ctx := context.Background()
	const file = "arabic,english\n" +
		"سيرجي ريابكوف,Sergei Ryabkov\n" + // the seed term 1
		"سيرغي ريابكوف,Sergei Ryabkov\n" + // its variant, its English
		"سيرغي لافروف,Sergey Lavrov\n" + // Lavrov's variant, one of his alternatives
		"أنتوني بلينكين,Tony Blinken\n" // Blinken's variant, another English
	t.Run("Empty", func(t *testing.T) {
		s := openStore(t, false)
		rep, err := s.Import(ctx, strings.NewReader(file), glossary.ImportOptions{Name: "spellings.csv"})
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(rep.Added); !slices.Equal(got, []int{2, 3, 4, 5}) || len(rep.Conflicting) != 0 {
			t.Errorf("added lines %v, conflicting %v; want every line added", got, rep.Conflicting)
		}
	})
	t.Run("Seeded", func(t *testing.T) {
		s := openStore(t, true)
		before := byArabic(t, s)
		ryabkov, blinken := before["سيرجي ريابكوف"], before["أنتوني بلينكن"]
		rep, err := s.Import(ctx, strings.NewReader(file), glossary.ImportOptions{Name: "spellings.csv", DryRun: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := lines(rep.Unchanged); !slices.Equal(got, []int{2, 3, 4}) || len(rep.Added)+len(rep.Updated) != 0 {
			t.Errorf("unchanged lines %v, added %v, updated %v; want lines 2-4 unchanged", got, rep.Added, rep.Updated)
		}
		if u := rep.Unchanged[1]; u.ID != ryabkov.ID || u.OldEnglish != "Sergei Ryabkov" || !strings.Contains(u.Detail, "another spelling of term") {
			t.Errorf("the variant's row = %+v; want it shown as another spelling of term %d", u, ryabkov.ID)
		}
		if len(rep.Conflicting) != 1 {
			t.Fatalf("conflicting %+v; want line 5", rep.Conflicting)
		}
		c := rep.Conflicting[0]
		if c.Line != 5 || c.ID != blinken.ID || c.OldEnglish != "Antony Blinken" || !strings.Contains(c.Reason, `"Antony Blinken"`) {
			t.Errorf("conflict %+v; want line 5 showing term %d → Antony Blinken as stored", c, blinken.ID)
		}

		_, err = s.Import(ctx, strings.NewReader(file), glossary.ImportOptions{Name: "spellings.csv"})
		var ie *glossary.ImportError
		if !errors.As(err, &ie) || ie.Total != 1 || ie.Rows[0].Line != 5 || !strings.Contains(err.Error(), "spellings.csv:5: arabic:") {
			t.Fatalf("import with the conflict = %v; want spellings.csv:5 refused", err)
		}
		if after := byArabic(t, s); !reflect.DeepEqual(before, after) {
			t.Error("a refused import changed the glossary")
		}
		if _, err := s.Import(ctx, strings.NewReader(file), glossary.ImportOptions{Name: "spellings.csv", SkipBad: true}); err != nil {
			t.Fatal(err)
		}
		if after := byArabic(t, s); !reflect.DeepEqual(before, after) {
			t.Error("importing the good rows changed the glossary; they are all unchanged")
		}
	})
}

// TestImport_ReplaceMakesTheGlossaryTheFile: replacing with a file keeps a stored variant only
// where the file names it with the term's English; the others are gone, so a row that gives
// such a spelling another English is a new term, not a conflict.
func TestImport_ReplaceMakesTheGlossaryTheFile(t *testing.T) {
	ctx := context.Background()
	const file = "ar,en\n" +
		"سيرجي ريابكوف,Sergei Ryabkov\n" +
		"سيرغي ريابكوف,Sergei Ryabkov\n" + // named: stays term 1's variant
		"أنتوني بلينكن,Antony Blinken\n" +
		"أنتوني بلينكين,Tony Blinken\n" // not named with Blinken's English: a term of its own
	for _, seeded := range []bool{false, true} {
		t.Run(map[bool]string{false: "Empty", true: "Seeded"}[seeded], func(t *testing.T) {
			s := openStore(t, seeded)
			rep, err := s.Import(ctx, strings.NewReader(file), glossary.ImportOptions{Name: "replace.csv", Mode: glossary.ModeReplace})
			if err != nil {
				t.Fatal(err)
			}
			if len(rep.Conflicting) != 0 {
				t.Errorf("conflicting %+v; want none", rep.Conflicting)
			}
			got := byArabic(t, s)
			want := map[string][2]string{ // Arabic → English, variants
				"سيرجي ريابكوف":  {"Sergei Ryabkov", "سيرغي ريابكوف"},
				"أنتوني بلينكن":  {"Antony Blinken", ""},
				"أنتوني بلينكين": {"Tony Blinken", ""},
			}
			if !seeded { // nothing stored: every row is a term
				want["سيرجي ريابكوف"] = [2]string{"Sergei Ryabkov", ""}
				want["سيرغي ريابكوف"] = [2]string{"Sergei Ryabkov", ""}
			}
			if len(got) != len(want) {
				t.Errorf("%d terms after replace, want %d: %v", len(got), len(want), got)
			}
			for ar, w := range want {
				if tr, ok := got[ar]; !ok || tr.English != w[0] || strings.Join(tr.Variants, "|") != w[1] {
					t.Errorf("%s = %+v; want English %q, variants %q", ar, tr, w[0], w[1])
				}
			}
		})
	}
}

// TestImport_EveryLayoutIntoEmptyAndSeeded imports every fixture of another tool's layout
// into an empty glossary and into one with the seed glossary: each row is added, updated,
// unchanged or conflicting (with what is stored), and afterwards the glossary has each
// imported row's Arabic with the row's English.
func TestImport_EveryLayoutIntoEmptyAndSeeded(t *testing.T) {
	ctx := context.Background()
	files := []string{"deepl_export.csv", "deepl_generator.csv", "google_terms.csv", "google_terms_trilingual.csv",
		"weblate.csv", "matecat.csv", "omegat.tsv", "weblate_v2.tbx", "memoq_v2.tbx", "basic_v3.tbx"}
	for _, seeded := range []bool{false, true} {
		for _, name := range files {
			t.Run(map[bool]string{false: "Empty/", true: "Seeded/"}[seeded]+name, func(t *testing.T) {
				s := openStore(t, seeded)
				data, err := os.ReadFile(filepath.Join("testdata", name))
				if err != nil {
					t.Fatal(err)
				}
				f, err := glossary.Read(bytes.NewReader(data), name)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := s.Import(ctx, bytes.NewReader(data), glossary.ImportOptions{Name: name, SkipBad: true})
				if err != nil {
					t.Fatal(err)
				}
				if n := len(rep.Added) + len(rep.Updated) + len(rep.Unchanged) + len(rep.Conflicting); n != len(f.Rows) {
					t.Errorf("%d rows reported, the file has %d", n, len(f.Rows))
				}
				if !seeded && len(rep.Added) != len(f.Rows) {
					t.Errorf("into an empty glossary: %d added of %d", len(rep.Added), len(f.Rows))
				}
				for _, c := range rep.Conflicting {
					if c.ID == 0 || c.OldEnglish == "" {
						t.Errorf("conflict %+v does not show what is stored", c)
					}
				}
				bySpelling := map[string]glossary.Term{}
				all, err := s.All(ctx)
				if err != nil {
					t.Fatal(err)
				}
				for _, tr := range all {
					for _, sp := range append([]string{tr.Arabic}, tr.Variants...) {
						bySpelling[arabic.Normalize(sp)] = tr
					}
				}
				refused := map[int]bool{}
				for _, c := range rep.Conflicting {
					refused[c.Line] = true
				}
				for _, r := range f.Rows {
					if refused[r.Line] {
						continue
					}
					stored, ok := bySpelling[r.Norm]
					if !ok {
						t.Errorf("line %d: %s is not in the glossary after the import", r.Line, r.Term.Arabic)
						continue
					}
					if stored.English != r.Term.English && !slices.Contains(stored.Alternatives, r.Term.English) {
						t.Errorf("line %d: %s → %q in the glossary, %q in the file", r.Line, r.Term.Arabic, stored.English, r.Term.English)
					}
				}
			})
		}
	}
}
