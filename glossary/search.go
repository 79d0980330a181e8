package glossary

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tarjama/tarjama/glossary/arabic"
)

// The glossary search (List with a Query) reads a query word by word and finds the terms that
// have, for every word of the query, a word starting with one of its readings: see
// searchWords for the words a term has and queryReadings for the readings of a query word.
// It reads them from the word index of migration 012 (term_words): one index range per
// reading, so that a search costs about the same at 100,000 terms as at 100.
//
// The writes pay nothing for the index but a log of the ids they update or delete
// (term_changes, filled by triggers on terms, whichever code writes) or put back under an id
// below those indexed (logged by UndoImport, the one writer that does; migration 021);
// syncSearchIndex brings the index up to date before a search, so an import of 100,000 terms
// stays about as fast as without it, and the first search after it indexes them in bulk.

// searchWords returns the words a term is found by, each once: every word (arabic.Tokenize)
// of its stored normalized Arabic and variants and its lower-cased English and alternatives,
// read as searchFold reads a query, and for a word with the article also the word without it
// (arabic.StripAl), since the article is optional on both sides. The buffers of w are reused.
func (w *wordReader) searchWords(arabicNorm, variantsNorm, englishFold string) []string {
	words := []string{} // not nil, which updateSearchIndex reads as a term gone
	// The Arabic columns are normalized already: lower case is all searchFold adds to them.
	for _, text := range [3]string{strings.ToLower(arabicNorm), strings.ToLower(variantsNorm), searchFold(englishFold)} {
		w.runes = w.runes[:0]
		for _, r := range text {
			w.runes = append(w.runes, r)
		}
		w.toks = arabic.Tokenize(w.runes, w.toks[:0])
		for _, tk := range w.toks {
			tok := w.runes[tk.Start:tk.End]
			words = addWord(words, tok)
			if key, art := arabic.StripAl(tok); art {
				words = addWord(words, key)
			}
		}
	}
	return words
}

// wordReader holds the buffers of searchWords.
type wordReader struct {
	runes []rune
	toks  []arabic.Token
}

func addWord(words []string, w []rune) []string {
	if s := string(w); !slices.Contains(words, s) {
		return append(words, s)
	}
	return words
}

// searchFold is the one reading of text that both the words of terms and the words of a query
// go through: lower case, normalized (arabic.Normalize), lower case again (normalizing can
// make capitals of compatibility characters).
func searchFold(text string) string {
	return strings.ToLower(arabic.Normalize(strings.ToLower(text)))
}

// maxSearchWords bounds how many words of a query the search reads (the rest are left out),
// which bounds the SQL it builds.
const maxSearchWords = 12

// queryReadings returns, for each word of a query, the forms a word of a term may start with:
// the readings the matcher gives a word of text (arabic.Candidates), each without its
// article — the word as typed, and with a proclitic chain [و|ف][ب|ك|ل] stripped. So
// بالضمانات and «ضمانات امنية» find الضمانات الأمنية, الأمن finds الأمنية, KREMLIN finds the
// Kremlin, and a word is found while it is being typed; nothing is found from inside a word
// (رملين is not in الكرملين).
func queryReadings(query string) [][]string {
	runes := []rune(searchFold(query))
	toks := arabic.Tokenize(runes, nil)
	if len(toks) > maxSearchWords {
		toks = toks[:maxSearchWords]
	}
	var cands [arabic.MaxCandidates]arabic.Candidate
	out := make([][]string, 0, len(toks))
	for _, tk := range toks {
		tok := runes[tk.Start:tk.End]
		var forms []string
		for _, c := range arabic.Candidates(tok, cands[:0]) {
			if f := string(tok[c.Key:]); !slices.Contains(forms, f) {
				forms = append(forms, f)
			}
		}
		out = append(out, forms)
	}
	return out
}

// wordsQuery is the SQL (and its arguments) of the ids of the terms having, for every word of
// the query, a word in term_words that starts with one of its readings: one index range
// [form, form + U+10FFFF) per reading, the sets of the query's words intersected. Each id
// comes once.
func wordsQuery(readings [][]string) (string, []any) {
	var (
		sets []string
		args []any
	)
	for _, forms := range readings {
		ranges := make([]string, len(forms))
		for i, f := range forms {
			ranges[i] = `(word >= ? AND word < ?)`
			args = append(args, f, f+string(utf8.MaxRune))
		}
		sets = append(sets, `SELECT term_id FROM term_words WHERE `+strings.Join(ranges, " OR "))
	}
	if len(sets) == 1 {
		return `SELECT DISTINCT` + strings.TrimPrefix(sets[0], "SELECT"), args
	}
	return strings.Join(sets, " INTERSECT "), args
}

// broadSearch is the number of terms found from which a page of the search is read walking
// the terms in the page's order (the index on arabic_norm) and keeping those found, rather
// than reading every term found and sorting them: a query of one letter finds a tenth of the
// glossary.
const broadSearch = 2000

// syncSearchIndex brings the word index up to date with the terms: those logged in
// term_changes (updated, deleted, or put back under an id below the highest indexed) and
// those added since it was last brought up to date, which are the terms with an id above
// every id left in term_index once the logged ones are out: the store gives a new term an id
// above every id a term has had (nextTermID), and SQLite a row written without one the
// highest id plus one (migration 012). Their words are
// computed again (searchWords); those a term lost are taken out of term_words and those it
// gained put in, each set with one statement, in key order. When nothing changed it costs
// three probes of an index end.
func (s *Store) syncSearchIndex(ctx context.Context) error {
	var pending bool
	err := s.r.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM term_changes)
		OR COALESCE((SELECT MAX(id) FROM terms), 0) > COALESCE((SELECT MAX(term_id) FROM term_index), 0)`).Scan(&pending)
	if err != nil {
		return fmt.Errorf("update the search index: %w", err)
	}
	if !pending {
		return nil
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("update the search index: %w", err)
	}
	defer tx.Rollback()
	if err := updateSearchIndex(ctx, tx); err != nil {
		return fmt.Errorf("update the search index: %w", err)
	}
	return tx.Commit()
}

// indexEdit is what updateSearchIndex changes in the index: the (word, term) pairs to take
// out and to put in, the terms' new word lists, and the ids of the terms no longer stored.
type indexEdit struct {
	out, in []indexPair
	lists   []string // "id word word ...", for term_index
	gone    []string // ids
}

type indexPair struct {
	word string
	id   int64
}

// pairsJSON renders pairs as the JSON array of strings "word id" that pairSQL reads. Words
// are runs of letters and digits, and ids digits: none needs escaping.
func pairsJSON(pairs []indexPair) string {
	var b strings.Builder
	b.WriteByte('[')
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		b.WriteString(p.word)
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(p.id, 10))
		b.WriteByte('"')
	}
	b.WriteByte(']')
	return b.String()
}

// listJSON renders strings (of letters, digits and spaces) as a JSON array.
func listJSON(items []string) string {
	return `["` + strings.Join(items, `","`) + `"]`
}

// pairSQL reads the strings "word id" or "id words" of a JSON array (json_each) as two
// columns, head and tail: what comes before the first space and what comes after it.
const pairSQL = `SELECT substr(value, 1, instr(value, ' ') - 1) AS head, substr(value, instr(value, ' ') + 1) AS tail
	FROM json_each(?)`

// updateSearchIndex is syncSearchIndex inside the writing transaction tx.
func updateSearchIndex(ctx context.Context, tx *sql.Tx) error {
	var upto int64 // the last logged change this update takes in
	if err := tx.QueryRowContext(ctx, `SELECT COALESCE(MAX(seq), 0) FROM term_changes`).Scan(&upto); err != nil {
		return err
	}
	const logged = `(SELECT term_id FROM term_changes WHERE seq <= ?)`
	var above int64 // the highest id indexed and not logged: every term above it is new
	err := tx.QueryRowContext(ctx, `SELECT COALESCE((SELECT term_id FROM term_index WHERE term_id NOT IN `+logged+`
		ORDER BY term_id DESC LIMIT 1), 0)`, upto).Scan(&above)
	if err != nil {
		return err
	}
	var (
		e indexEdit
		w wordReader
	)
	// The terms to index (again), with their words so far; then the logged terms gone.
	rows, err := tx.QueryContext(ctx, `SELECT t.id, t.arabic_norm, t.variants_norm, t.english_fold, COALESCE(i.words, '')
		FROM terms t LEFT JOIN term_index i ON i.term_id = t.id
		WHERE t.id > ? OR t.id IN `+logged, above, upto)
	if err != nil {
		return err
	}
	for rows.Next() {
		var (
			id                              int64
			arabicNorm, variants, eng, prev string
		)
		if err := rows.Scan(&id, &arabicNorm, &variants, &eng, &prev); err != nil {
			rows.Close()
			return err
		}
		e.edit(id, strings.Fields(prev), w.searchWords(arabicNorm, variants, eng))
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT i.term_id, i.words FROM term_index i
		WHERE i.term_id IN `+logged+` AND i.term_id NOT IN (SELECT id FROM terms)`, upto)
	if err != nil {
		return err
	}
	for rows.Next() {
		var (
			id   int64
			prev string
		)
		if err := rows.Scan(&id, &prev); err != nil {
			rows.Close()
			return err
		}
		e.edit(id, strings.Fields(prev), nil)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, st := range []struct {
		sql  string
		n    int
		json func() string
	}{
		{`DELETE FROM term_words WHERE (word, term_id) IN (SELECT head, CAST(tail AS INTEGER) FROM (` + pairSQL + `))`,
			len(e.out), func() string { return pairsJSON(e.out) }},
		// In key order, so that SQLite fills its index from one end to the other.
		{`INSERT OR IGNORE INTO term_words (word, term_id) SELECT head, CAST(tail AS INTEGER) FROM (` + pairSQL + `) ORDER BY 1, 2`,
			len(e.in), func() string { return pairsJSON(e.in) }},
		{`INSERT OR REPLACE INTO term_index (term_id, words) SELECT CAST(head AS INTEGER), tail FROM (` + pairSQL + `)`,
			len(e.lists), func() string { return listJSON(e.lists) }},
		{`DELETE FROM term_index WHERE term_id IN (SELECT CAST(value AS INTEGER) FROM json_each(?))`,
			len(e.gone), func() string { return listJSON(e.gone) }},
	} {
		if st.n == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, st.sql, st.json()); err != nil {
			return err
		}
	}
	_, err = tx.ExecContext(ctx, `DELETE FROM term_changes WHERE seq <= ?`, upto)
	return err
}

// edit records that the term id had the words prev and now has now (nil: it is gone).
func (e *indexEdit) edit(id int64, prev, now []string) {
	for _, w := range prev {
		if !slices.Contains(now, w) {
			e.out = append(e.out, indexPair{w, id})
		}
	}
	for _, w := range now {
		if !slices.Contains(prev, w) {
			e.in = append(e.in, indexPair{w, id})
		}
	}
	ids := strconv.FormatInt(id, 10)
	if now == nil {
		e.gone = append(e.gone, ids)
		return
	}
	e.lists = append(e.lists, ids+" "+strings.Join(now, " "))
}
