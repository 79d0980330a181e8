package glossary

import (
	"context"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// spellingSeed is a small glossary where NATO has Arabic variants, as in the seed glossary.
func spellingSeed(t *testing.T) *Store {
	t.Helper()
	s := openStore(t)
	mustCreate(t, s,
		Term{Arabic: "حلف شمال الأطلسي", English: "NATO", Type: TypeName,
			Variants: []string{"الناتو", "حلف الناتو", "حلف الأطلسي"}},
		Term{Arabic: "الكرملين", English: "the Kremlin", Alternatives: []string{"Kremlin"}},
	)
	return s
}

func TestStore_SpellingBelongsToOneTerm(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		term      Term
		field     string
		asVariant bool
		wantID    int64
	}{
		{"ArabicIsAnotherTermsVariant", Term{Arabic: "الناتو", English: "the Atlantic alliance"}, "arabic", true, 1},
		{"ArabicIsAnotherTermsVariantAfterNormalizing", Term{Arabic: "حلف الاطلسي", English: "Atlantic pact"}, "arabic", true, 1},
		{"VariantIsAnotherTermsArabic", Term{Arabic: "قصر الكرملين", English: "Kremlin palace", Variants: []string{"الكرملين"}}, "variants", false, 2},
		{"VariantIsAnotherTermsVariant", Term{Arabic: "الأطلسي", English: "the Atlantic", Variants: []string{"حلف الناتو"}}, "variants", true, 1},
	} {
		t.Run("Create/"+tc.name, func(t *testing.T) {
			s := spellingSeed(t)
			tr := tc.term
			err := s.Create(ctx, &tr)
			if !errors.Is(err, ErrConflict) {
				t.Fatalf("Create(%q) err = %v; want ErrConflict", tc.term.Arabic, err)
			}
			var ce *ConflictError
			if !errors.As(err, &ce) || ce.Existing.ID != tc.wantID || ce.Field != tc.field || ce.AsVariant != tc.asVariant {
				t.Fatalf("err = %#v; want a *ConflictError on %s naming term %d (as variant: %v)", err, tc.field, tc.wantID, tc.asVariant)
			}
			if !strings.Contains(err.Error(), ce.Existing.English) || !strings.Contains(err.Error(), ce.Arabic) {
				t.Errorf("error %q names neither the other term nor the spelling", err)
			}
			if all, _ := s.All(ctx); len(all) != 2 {
				t.Errorf("%d terms after a refused Create, want 2", len(all))
			}
		})
	}

	t.Run("Update/VariantOfAnotherTerm", func(t *testing.T) {
		s := spellingSeed(t)
		k, err := s.Get(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		k.Variants = []string{"الناتو"}
		if err := s.Update(ctx, &k); !errors.Is(err, ErrConflict) {
			t.Fatalf("Update err = %v; want ErrConflict", err)
		}
	})
	t.Run("Update/OwnVariantsStay", func(t *testing.T) {
		s := spellingSeed(t)
		n, err := s.Get(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		n.Note = "write NATO"
		n.Variants = append(n.Variants, "الحلف الأطلسي")
		if err := s.Update(ctx, &n); err != nil {
			t.Fatalf("Update with its own variants: %v", err)
		}
	})
	t.Run("Create/NewSpellingIsFine", func(t *testing.T) {
		s := spellingSeed(t)
		// A longer phrase that contains a variant is a different spelling.
		mustCreate(t, s, Term{Arabic: "قمة الناتو", English: "the NATO summit", Variants: []string{"قمة حلف الناتو"}})
	})
}

func TestStore_ImportSpellingConflicts(t *testing.T) {
	ctx := context.Background()
	type want struct {
		line         int
		field        string
		reasonNaming string // the Reason contains it
	}
	for _, tc := range []struct {
		name       string
		mode       string
		body       string
		conflicts  []want
		added      int
		updated    int
		writeCount int // terms after a SkipBad import
	}{
		{
			name:      "ArabicIsAStoredVariant",
			body:      "حلف الأطلسي,Atlantic pact\nروسيا,Russia\n",
			conflicts: []want{{1, "arabic", `term 1 "حلف شمال الأطلسي" → "NATO"`}},
			added:     1, writeCount: 3,
		},
		{
			name:      "VariantIsAStoredArabic",
			body:      "arabic,english,variants\nروسيا,Russia,\nقصر الكرملين,Kremlin palace,الكرملين\n",
			conflicts: []want{{3, "variants", `term 2 "الكرملين" → "the Kremlin"`}},
			added:     1, writeCount: 3,
		},
		{
			name:      "TwoRowsClaimOneSpelling",
			body:      "arabic,english,variants\nموسكو,Moscow,العاصمة الروسية\nالعاصمة الروسية,the Russian capital,\n",
			conflicts: []want{{3, "arabic", `line 2 "موسكو" → "Moscow"`}},
			added:     1, writeCount: 3,
		},
		{
			name:      "TwoNewRowsShareAVariant",
			body:      "arabic,english,variants\nموسكو,Moscow,موسكفا\nمسكو,Moskva,موسكفا\n",
			conflicts: []want{{3, "variants", `line 2 "موسكو" → "Moscow"`}},
			added:     1, writeCount: 3,
		},
		{
			name:       "UnchangedStoredTermKeepsItsVariant",
			body:       "arabic,english,variants\nحلف شمال الأطلسي,NATO,الناتو|حلف الناتو|حلف الأطلسي\nالحلف,the alliance,الناتو\n",
			conflicts:  []want{{3, "variants", `term 1 "حلف شمال الأطلسي" → "NATO"`}},
			writeCount: 2,
		},
		{
			name:       "UpdatedStoredTermKeepsItsVariant",
			body:       "arabic,english,variants,note\nالحلف,the alliance,الناتو,\nحلف شمال الأطلسي,NATO,الناتو|حلف الناتو|حلف الأطلسي,capitals\n",
			conflicts:  []want{{2, "variants", `line 3 "حلف شمال الأطلسي" → "NATO"`}},
			updated:    1,
			writeCount: 2,
		},
		{
			name:    "SameTermUpdatedWithItsOwnVariants",
			body:    "arabic,english,variants,note\nحلف شمال الأطلسي,NATO,الناتو|حلف الناتو|حلف الأطلسي|الحلف الأطلسي,capitals\n",
			updated: 1, writeCount: 2,
		},
		{
			name:  "VariantMovesToAnotherTermInTheSameFile",
			body:  "arabic,english,variants\nحلف شمال الأطلسي,NATO,الناتو|حلف الناتو\nالحلف الأطلسي,the Atlantic alliance,حلف الأطلسي\n",
			added: 1, updated: 1, writeCount: 3,
		},
		{
			name:  "ReplaceFreesTheSpellingsOfRemovedTerms",
			mode:  ModeReplace,
			body:  "الناتو,NATO\nالكرملين,the Kremlin\n",
			added: 1, writeCount: 2,
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			check := func(t *testing.T, rep *ImportReport) {
				t.Helper()
				var got []want
				for i, c := range rep.Conflicting {
					if len(c.Fields) != 1 {
						t.Fatalf("conflict %+v: want one field", c)
					}
					got = append(got, want{c.Line, c.Fields[0], ""})
					if i < len(tc.conflicts) && !strings.Contains(c.Reason, tc.conflicts[i].reasonNaming) {
						t.Errorf("line %d reason %q does not name %s", c.Line, c.Reason, tc.conflicts[i].reasonNaming)
					}
				}
				var wantLines []want
				for _, w := range tc.conflicts {
					wantLines = append(wantLines, want{w.line, w.field, ""})
				}
				if !reflect.DeepEqual(got, wantLines) {
					t.Errorf("Conflicting = %+v, want %+v", got, wantLines)
				}
				if len(rep.Added) != tc.added || len(rep.Updated) != tc.updated {
					t.Errorf("added %d, updated %d; want %d, %d", len(rep.Added), len(rep.Updated), tc.added, tc.updated)
				}
			}
			t.Run("DryRun", func(t *testing.T) {
				s := spellingSeed(t)
				rep, err := importString(s, tc.body, ImportOptions{Mode: tc.mode, DryRun: true})
				if err != nil {
					t.Fatal(err)
				}
				check(t, rep)
			})
			t.Run("Import", func(t *testing.T) {
				s := spellingSeed(t)
				before := dumpTerms(t, s.r)
				rep, err := importString(s, tc.body, ImportOptions{Mode: tc.mode})
				if len(tc.conflicts) == 0 {
					if err != nil {
						t.Fatal(err)
					}
					check(t, rep)
					return
				}
				var ie *ImportError
				if !errors.As(err, &ie) || !errors.Is(err, ErrInvalid) || ie.Total != len(tc.conflicts) {
					t.Fatalf("err = %v; want an *ImportError with %d rows", err, len(tc.conflicts))
				}
				for i, w := range tc.conflicts {
					if r := ie.Rows[i]; r.Line != w.line || r.Field != w.field || !strings.Contains(r.Reason, w.reasonNaming) {
						t.Errorf("row error %+v; want line %d, %s, naming %s", r, w.line, w.field, w.reasonNaming)
					}
				}
				if after := dumpTerms(t, s.r); !reflect.DeepEqual(before, after) {
					t.Errorf("a refused import changed the table:\nbefore %q\nafter  %q", before, after)
				}
			})
			t.Run("SkipBad", func(t *testing.T) {
				s := spellingSeed(t)
				rep, err := importString(s, tc.body, ImportOptions{Mode: tc.mode, SkipBad: true})
				if err != nil {
					t.Fatal(err)
				}
				check(t, rep)
				all, err := s.All(ctx)
				if err != nil {
					t.Fatal(err)
				}
				if len(all) != tc.writeCount {
					t.Errorf("%d terms after the import, want %d", len(all), tc.writeCount)
				}
				owner := map[string]int64{}
				for _, tr := range all {
					for _, sp := range termSpellings(&tr, arabic.Normalize(tr.Arabic)) {
						if id, ok := owner[sp.norm]; ok {
							t.Errorf("spelling %q belongs to terms %d and %d", sp.text, id, tr.ID)
						}
						owner[sp.norm] = tr.ID
					}
				}
			})
		})
	}
}

func TestStore_ImportNewEnglish(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name      string
		stored    Term
		body      string
		wantEn    string
		wantAlts  []string
		wantField string // the refused column; "" when the row is an update
	}{
		{
			name:   "FormerEnglishTakesThePlaceOfTheAlternative",
			stored: Term{Arabic: "الكرملين", English: "the Kremlin", Alternatives: []string{"Kremlin palace", "Kremlin", "Moscow"}},
			body:   "الكرملين\tKremlin\n",
			wantEn: "Kremlin", wantAlts: []string{"Kremlin palace", "the Kremlin", "Moscow"},
		},
		{
			name:   "NewEnglishNotAnAlternative",
			stored: Term{Arabic: "الكرملين", English: "the Kremlin", Alternatives: []string{"Kremlin"}},
			body:   "الكرملين,the Russian presidency\n",
			wantEn: "the Russian presidency", wantAlts: []string{"Kremlin"},
		},
		{
			name:   "TheFilesAlternativesWinButNeverRepeatTheEnglish",
			stored: Term{Arabic: "الكرملين", English: "the Kremlin", Alternatives: []string{"Kremlin"}},
			body:   "arabic,english,english_alternatives\nالكرملين,Kremlin,Kremlin|Kremlin palace\n",
			wantEn: "Kremlin", wantAlts: []string{"Kremlin palace"},
		},
		{
			name:   "ForbiddenEnglishIsRefused",
			stored: Term{Arabic: "الكرملين", English: "the Kremlin", Forbidden: []string{"Kremlin"}},
			body:   "الكرملين,Kremlin\n",
			wantEn: "the Kremlin", wantAlts: []string{}, wantField: "forbidden",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openStore(t)
			stored := mustCreate(t, s, tc.stored)[0]
			dry, err := importString(s, tc.body, ImportOptions{DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := importString(s, tc.body, ImportOptions{SkipBad: true})
			if err != nil {
				t.Fatal(err)
			}
			for name, r := range map[string]*ImportReport{"dry run": dry, "import": rep} {
				if tc.wantField != "" {
					if len(r.Conflicting) != 1 || len(r.Updated) != 0 || r.Conflicting[0].Fields[0] != tc.wantField {
						t.Errorf("%s: conflicting %+v, updated %+v; want one row refused on %s", name, r.Conflicting, r.Updated, tc.wantField)
					}
					continue
				}
				if len(r.Conflicting) != 0 || len(r.Updated) != 1 {
					t.Fatalf("%s: conflicting %+v, updated %+v; want one update and no conflict", name, r.Conflicting, r.Updated)
				}
				if u := r.Updated[0]; u.OldEnglish != stored.English || u.English != tc.wantEn || !slices.Contains(u.Fields, "english") {
					t.Errorf("%s: update %+v; want English %q → %q", name, u, stored.English, tc.wantEn)
				}
			}
			got, err := s.Get(ctx, stored.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.English != tc.wantEn || !reflect.DeepEqual(got.Alternatives, tc.wantAlts) {
				t.Errorf("stored English %q, alternatives %q; want %q, %q", got.English, got.Alternatives, tc.wantEn, tc.wantAlts)
			}
		})
	}
}
