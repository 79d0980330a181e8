package glossary

import (
	"context"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/migrations/sqlread"
)

// BenchmarkGlossarySearch runs the glossary page's search (Store.List, one page of 100, as
// web/glossary_page.go asks for it) over 100,000 terms, beside the search it replaced, which
// read every row twice (oldListTerms, kept here as the baseline):
//
//	go test ./glossary/ -run '^$' -bench GlossarySearch -benchtime=20x
//
// The queries are what a user types: a whole Arabic word, the same with proclitics and the
// article, a word being typed (its first three letters), two words, an English word, a word
// no term has, and a single letter, which finds a tenth of the glossary.
func BenchmarkGlossarySearch(b *testing.B) {
	benchSetup(b)
	terms := searchBenchTerms(benchT)
	db := migrationstest.Open(b)
	mustInsertTerms(b, db, terms)
	s := storeOver(db)
	ctx := context.Background()
	// Words of a term in the middle of the table, so that neither search finds it first.
	pick := terms[len(terms)/2]
	words := strings.Fields(pick.Arabic)
	last := words[len(words)-1]
	bare, _ := arabic.StripAl([]rune(arabic.Normalize(last)))
	queries := []struct{ name, q string }{
		{"arabic-word", last},
		{"arabic-proclitics", "وبال" + string(bare)},
		{"arabic-typing", string([]rune(string(bare))[:3])},
		{"arabic-two-words", strings.Join(words[max(0, len(words)-2):], " ")},
		{"english-word", strings.Fields(pick.English)[0]},
		{"no-hit", "كازاخستان"},
		{"one-letter", "م"}, // the broadest: a first keystroke
	}
	// The first search after 100,000 terms were imported: it indexes them all.
	b.Run("first-search-indexes-100k", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			b.StopTimer()
			if _, err := db.W.ExecContext(ctx, `DELETE FROM term_words; DELETE FROM term_index`); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			if _, _, err := s.List(ctx, Filter{Query: "كازاخستان", Limit: 100}); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, q := range queries {
		f := Filter{Query: q.q, Limit: 100}
		var want int
		b.Run(q.name+"/index", func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_, total, err := s.List(ctx, f)
				if err != nil {
					b.Fatal(err)
				}
				want = total
			}
			b.ReportMetric(float64(want), "found")
		})
		b.Run(q.name+"/full-scan", func(b *testing.B) {
			var total int
			for i := 0; i < b.N; i++ {
				tx, err := db.R.BeginTx(ctx, nil)
				if err != nil {
					b.Fatal(err)
				}
				_, total, err = oldListTerms(ctx, tx, f)
				tx.Rollback()
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(total), "found")
		})
	}
}

// searchBenchTerms gives the synthetic terms English of a few made-up words each, so that an
// English query finds some terms and not all.
func searchBenchTerms(in []Term) []Term {
	rng := rand.New(rand.NewPCG(3, 4))
	syl := []string{"ka", "lo", "mi", "ra", "te", "su", "no", "vi", "de", "po", "gu", "shi", "an", "el"}
	out := make([]Term, len(in))
	for i, t := range in {
		var en []string
		for range 1 + rng.IntN(3) {
			var w strings.Builder
			for range 2 + rng.IntN(3) {
				w.WriteString(syl[rng.IntN(len(syl))])
			}
			en = append(en, w.String())
		}
		t.English = strings.Join(en, " ")
		out[i] = t
	}
	return out
}

// The search before the term_words index, the baseline of BenchmarkGlossarySearch: every
// word of the query looked for with instr in every row, once to count and once for the page.

// oldHaystack is every stored normalized spelling of a term (its Arabic, then its
// variants), each word preceded by a space, so that instr(oldHaystack, ' ' || w) finds a
// word starting with w.
const oldHaystack = `(' ' || arabic_norm || ' ' || replace(variants_norm, char(10), ' '))`

// oldMaxWords bounds how many words of a query the Arabic search reads (the rest are
// left out), which bounds the SQL it builds.
const oldMaxWords = 12

// oldWordsCondition is the SQL (and its arguments) that finds the terms having every word
// of norm (a normalized query) as the matcher reads a word of text (arabic.Candidates): the
// word as typed, without its article, anywhere in a spelling; or, with a proclitic chain
// [و|ف][ب|ك|ل] stripped, at the start of a word, with or without the article. So بالضمانات
// and «ضمانات امنية» find الضمانات الأمنية. It is "" when norm has no words.
func oldWordsCondition(norm string) (string, []any) {
	runes := []rune(norm)
	toks := arabic.Tokenize(runes, nil)
	if len(toks) > oldMaxWords {
		toks = toks[:oldMaxWords]
	}
	var (
		and   []string
		args  []any
		cands [arabic.MaxCandidates]arabic.Candidate
	)
	for _, tk := range toks {
		tok := runes[tk.Start:tk.End]
		var or []string
		for _, c := range arabic.Candidates(tok, cands[:0]) {
			key := string(tok[c.Key:])
			// The plain instr calls come first: SQLite stops at the first false term of an AND,
			// so the haystack is built only for the few rows that contain the key at all.
			if c.Skip == 0 {
				or = append(or, `instr(arabic_norm, ?) > 0`, `instr(variants_norm, ?) > 0`)
				args = append(args, key, key)
				continue
			}
			or = append(or, `((instr(arabic_norm, ?) > 0 OR instr(variants_norm, ?) > 0)
				AND (instr(`+oldHaystack+`, ?) > 0 OR instr(`+oldHaystack+`, ?) > 0))`)
			args = append(args, key, key, " "+key, " ال"+key)
		}
		and = append(and, "("+strings.Join(or, " OR ")+")")
	}
	if len(and) == 0 {
		return "", nil
	}
	return "(" + strings.Join(and, " AND ") + ")", args
}

// oldListTerms was listTerms: it runs a Filter, the page of terms and the count of all matching ones.
func oldListTerms(ctx context.Context, q sqlread.Queryer, f Filter) ([]Term, int, error) {
	var (
		where []string
		args  []any
	)
	if f.Type != "" {
		where = append(where, `type = ?`)
		args = append(args, string(f.Type))
	}
	if query := strings.TrimSpace(f.Query); query != "" {
		// instr, not LIKE: no wildcard characters to escape in what the user typed.
		or := []string{`instr(english_fold, ?) > 0`}
		args = append(args, strings.ToLower(query))
		if norm := arabic.Normalize(query); norm != "" {
			or = append(or, `instr(arabic_norm, ?) > 0`, `instr(variants_norm, ?) > 0`)
			args = append(args, norm, norm)
			if cond, a := oldWordsCondition(norm); cond != "" {
				or = append(or, cond)
				args = append(args, a...)
			}
		}
		where = append(where, "("+strings.Join(or, " OR ")+")")
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}

	var total int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM terms`+cond, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	limit, offset := f.Limit, f.Offset
	if limit <= 0 {
		limit = -1
	}
	if offset < 0 {
		offset = 0
	}
	terms, err := readPage(ctx, q, cond, args, limit, offset, total)
	return terms, total, err
}
