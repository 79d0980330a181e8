package store

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/xliff"
)

// Upload is one article to import: a file, whose content (not its name) decides what it is,
// or a text given as such (the paste form, the API).
type Upload struct {
	Name  string // the file name, or what a given text is called in messages ("text")
	Data  []byte // a file's bytes; nil for a text given as such
	Title string // when set, the title, over the one a text's first line gives
	Text  string // a text given as such
}

// What an upload is, as ReadUpload tells it.
const (
	KindText      = "text"      // an Arabic text: a new article
	KindBilingual = "bilingual" // another tool's XLIFF file: a new article with its English
	KindExport    = "export"    // a Tarjama XLIFF export coming back into its article
)

// The files ReadUpload refuses, by the command that takes them (WrongFileError.Takes).
const (
	WrongTMX      = "tmx"      // a translation memory: tarjama tm import
	WrongGlossary = "glossary" // CSV, TSV, XLSX or TBX: tarjama glossary import
	WrongOther    = "other"    // XML or a zip file that no command imports as it is
)

// WrongFileError refuses a file that is not an article: a translation memory, a glossary, or
// another XML document or zip file. Takes says which command takes it; the CLI and the pages
// say how. Its kind is translate.ErrInvalid's.
type WrongFileError struct {
	File  string
	Takes string // WrongTMX, WrongGlossary or WrongOther
	What  string // "a TMX translation memory"
}

func (e *WrongFileError) Error() string {
	return fmt.Sprintf("%s is %s, not an article", e.File, e.What)
}

// Kind is translate.ErrInvalid's: the file is not an article.
func (e *WrongFileError) Kind() string { return translate.ErrInvalid.Kind() }

// Is makes every WrongFileError match translate.ErrInvalid.
func (e *WrongFileError) Is(target error) bool { return translate.ErrInvalid.Is(target) }

// Parsed is an upload read and checked, ready for Import.
type Parsed struct {
	Name     string
	Kind     string // KindText, KindBilingual or KindExport
	Encoding string // how a text file was decoded (arabic.Encoding*); "" otherwise
	Format   string // "text", "XLIFF 1.2" or "XLIFF 2.0"
	// ExportOf is the article an export comes back into (KindExport).
	ExportOf int64

	// Stripped counts the bidi controls the text rule removed from the text and the English
	// (arabic.CleanField); Notice says so.
	Stripped int

	title, text string
	targets     []string          // KindBilingual: the English of each segment, "" for none
	pieces      []translate.Piece // KindBilingual: the segments as the file cuts them
	file        *xliff.File       // KindBilingual and KindExport
}

// ReadUpload reads one upload and tells what it is by its content, the one reading of
// article imports for the CLI, the pages and the API:
//
//   - XLIFF 1.2 or 2.0: Tarjama's own export comes back into its article (KindExport); another
//     tool's file becomes a new article of its Arabic segments and its English (KindBilingual).
//   - A TMX memory, a glossary (CSV or TSV with glossary columns, XLSX, TBX) or another XML
//     document or zip file is refused with a *WrongFileError.
//   - Anything else is a text (translate.ReadText): its first line the title.
//
// A text, or a bilingual file's sources, without an Arabic letter is refused ("no Arabic text
// in FILE"). Checking against the stored articles (exact copies) is Import's.
func ReadUpload(up Upload) (*Parsed, error) {
	if up.Data == nil {
		t, err := translate.NewText(up.Name, up.Title, up.Text)
		if err != nil {
			return nil, err
		}
		if err := translate.CheckArabic(up.Name, t.Body); err != nil {
			return nil, err
		}
		return &Parsed{Name: up.Name, Kind: KindText, Format: "text", title: t.Title, text: t.Body, Stripped: t.Stripped}, nil
	}
	switch glossary.Detect(up.Data) {
	case glossary.FormatXLSX:
		if f, err := glossary.Read(bytes.NewReader(up.Data), up.Name); err == nil && f.Format == glossary.FormatXLSX {
			return nil, &WrongFileError{File: up.Name, Takes: WrongGlossary, What: "an Excel workbook (a glossary)"}
		}
		return nil, &WrongFileError{File: up.Name, Takes: WrongOther, What: "a zip file (a Word or other Office document?); save the article as plain text"}
	case glossary.FormatTBX: // XML of any kind
		return readXML(up)
	}
	if looksLikeGlossary(up) {
		return nil, &WrongFileError{File: up.Name, Takes: WrongGlossary, What: "a glossary (CSV or TSV with glossary columns)"}
	}
	t, err := translate.ReadText(up.Name, up.Title, up.Data)
	if err != nil {
		return nil, err
	}
	if err := translate.CheckArabic(up.Name, t.Body); err != nil {
		return nil, err
	}
	return &Parsed{Name: up.Name, Kind: KindText, Format: "text", Encoding: t.Encoding, title: t.Title, text: t.Body, Stripped: t.Stripped}, nil
}

// Notice says what the text rule removed from the upload, for the user; "" when nothing.
func (p *Parsed) Notice() string { return arabic.BidiNotice(p.Name, p.Stripped) }

// cleanUnits applies the one text rule (arabic.CleanField) to the units of an XLIFF file:
// a control character is refused naming the line and the unit, bidi controls are removed
// from the English (and from the Arabic of a new article, sources when sources is set)
// and counted.
func (p *Parsed) cleanUnits(sources bool) error {
	for i := range p.file.Units {
		u := &p.file.Units[i]
		fields := []struct {
			name string
			text *string
		}{{"target", &u.Target}}
		if sources {
			fields = append(fields, struct {
				name string
				text *string
			}{"source", &u.Source})
		}
		for _, f := range fields {
			clean, removed, err := arabic.CleanField(f.name, *f.text, arabic.StripBidi)
			if err != nil {
				return &xliff.Error{File: p.Name, Line: u.Line, Element: u.Label(), Reason: err.Error()}
			}
			*f.text = clean
			p.Stripped += removed
		}
	}
	return nil
}

// looksLikeGlossary tells a glossary CSV from an article: glossary.Read finds glossary rows
// with a header naming its columns, or, without a header, on every row an Arabic and an
// English cell. An article's lines are single cells (Arabic text has its own comma, «،»),
// which glossary.Read reports as bad rows.
func looksLikeGlossary(up Upload) bool {
	f, err := glossary.Read(bytes.NewReader(up.Data), up.Name)
	if err != nil || f.Format != glossary.FormatCSV || len(f.Rows) == 0 {
		return false
	}
	return !strings.Contains(f.Dialect, "no header") || len(f.Bad) == 0
}

// readXML reads an XML upload: XLIFF is imported, the other interchange formats are refused
// naming what they are.
func readXML(up Upload) (*Parsed, error) {
	root, err := xliff.Root(up.Data, up.Name)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(root) {
	case "xliff":
	case "tmx":
		return nil, &WrongFileError{File: up.Name, Takes: WrongTMX, What: "a TMX translation memory"}
	case "martif", "tbx":
		return nil, &WrongFileError{File: up.Name, Takes: WrongGlossary, What: "a TBX termbase (a glossary)"}
	default:
		return nil, &WrongFileError{File: up.Name, Takes: WrongOther, What: fmt.Sprintf("an XML document (<%s>) that is neither XLIFF nor text", root)}
	}
	f, err := xliff.Read(bytes.NewReader(up.Data), up.Name)
	if err != nil {
		return nil, err
	}
	p := &Parsed{Name: up.Name, Format: "XLIFF " + f.Version, file: f}
	if f.Article != 0 {
		// The Arabic of an export is compared with the article's, never written.
		p.Kind, p.ExportOf = KindExport, f.Article
		return p, p.cleanUnits(false)
	}
	p.Kind = KindBilingual
	if err := p.cleanUnits(true); err != nil {
		return nil, err
	}
	return p, p.bilingual(up.Title)
}

// bilingual lays out another tool's file as a new article: each unit a segment, a blank line
// between paragraphs, a space between the sentences of one, its English beside it.
func (p *Parsed) bilingual(title string) error {
	units := p.file.Units
	for i, u := range units {
		if len(u.Target) > translate.MaxTargetBytes {
			return &xliff.Error{File: p.Name, Line: u.Line, Element: u.Label(), Reason: fmt.Sprintf("the target is over %d bytes", translate.MaxTargetBytes)}
		}
		sep := "\n"
		if i+1 < len(units) {
			sep = " "
			if units[i+1].Paragraph != u.Paragraph {
				sep = "\n\n"
			}
		}
		p.pieces = append(p.pieces, translate.Piece{Source: u.Source, Sep: sep, Paragraph: u.Paragraph})
		p.targets = append(p.targets, u.Target)
	}
	t, err := translate.NewText(p.Name, title, translate.Join(p.pieces))
	if err != nil {
		return err
	}
	p.title, p.text = t.Title, t.Body
	return translate.CheckArabic(p.Name, p.text)
}

// ImportOptions controls Import.
type ImportOptions struct {
	Author         string // who the revisions name
	AllowDuplicate bool   // import an exact copy of a stored article all the same
	DryRun         bool   // report what would happen; write nothing
	// Into, when set, accepts only an export of this article coming back (the article page).
	Into int64
}

// Imported is what became of one upload.
type Imported struct {
	*Parsed
	// Article is the new article, or the one an export came back into. In a dry run a new
	// article has no id yet.
	Article translate.Article
	Drafts  int           // KindBilingual: segments that came with English
	Back    *ExportReport // KindExport: what changed in the article
}

// Import stores what ReadUpload read, all in one transaction: every upload or none (a dry
// run writes nothing either way). Texts and bilingual files become new articles unless one is
// an exact copy of a stored article (a *translate.DuplicateError naming it; AllowDuplicate
// imports it anyway); a bilingual file's English comes in as edited drafts of origin "xliff",
// each with an "imported" revision by opt.Author. An export comes back into its article
// (see importExport). Every refused upload is reported, joined.
func (s *Store) Import(ctx context.Context, uploads []*Parsed, opt ImportOptions) ([]Imported, error) {
	q, err := s.qaState(ctx)
	if err != nil {
		return nil, err
	}
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	defer tx.Rollback()
	now := s.stamp()
	out := make([]Imported, len(uploads))
	var errs []error
	for i, p := range uploads {
		name := p.Name
		if name == "" {
			name = fmt.Sprintf("article %d of %d", i+1, len(uploads))
		}
		out[i].Parsed = p
		var err error
		switch {
		case opt.Into != 0 && (p.Kind != KindExport || p.ExportOf != opt.Into):
			err = notAnExportOf(p, opt.Into)
		case p.Kind == KindExport:
			out[i].Back, out[i].Article, err = importExport(ctx, tx, name, p, opt.Author, q, now)
		default:
			out[i].Article, out[i].Drafts, err = createArticle(ctx, tx, name, p, opt, q, now)
		}
		if err != nil {
			if !isRefusal(err) {
				return nil, err
			}
			errs = append(errs, err)
		}
	}
	switch len(errs) {
	case 0:
	case 1:
		return nil, errs[0]
	default:
		return nil, errors.Join(errs...)
	}
	if opt.DryRun {
		return out, nil
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("import: %w", err)
	}
	return out, nil
}

// isRefusal tells an upload's own problem, which Import reports beside the others', from a
// failure of the store, which stops it.
func isRefusal(err error) bool {
	return errors.Is(err, translate.ErrInvalid) || errors.Is(err, translate.ErrConflict) || errors.Is(err, translate.ErrNotFound)
}

// notAnExportOf refuses, on an article's page, a file that is not an export of that article.
func notAnExportOf(p *Parsed, id int64) error {
	if p.Kind == KindExport {
		return translate.ErrInvalid.Errorf("%s is an export of article %d, not of article %d", p.Name, p.ExportOf, id)
	}
	return translate.ErrInvalid.Errorf("%s is not an XLIFF export of article %d (it is %s)", p.Name, id, what(p))
}

func what(p *Parsed) string {
	if p.Kind == KindBilingual {
		return "another tool's " + p.Format + " file"
	}
	return "a text"
}

// createArticle stores a text or a bilingual file as a new article inside tx; name is the
// upload's in messages.
func createArticle(ctx context.Context, tx *sql.Tx, name string, p *Parsed, opt ImportOptions, q qaState, now string) (translate.Article, int, error) {
	if !opt.AllowDuplicate {
		if dup, ok, err := findCopy(ctx, tx, p.text); err != nil || ok {
			if err == nil {
				err = &translate.DuplicateError{Name: name, Existing: dup}
			}
			return translate.Article{}, 0, err
		}
	}
	pieces := p.pieces
	if pieces == nil {
		pieces = translate.Split(p.text)
	}
	id, err := insertPieces(ctx, tx, name, p.title, p.text, p.Name, pieces, now)
	if err != nil && !isRefusal(err) {
		err = fmt.Errorf("%s: %w", name, err)
	}
	if err != nil {
		return translate.Article{}, 0, err
	}
	drafts, err := importDrafts(ctx, tx, id, p.targets, opt.Author, q, now)
	if err != nil {
		return translate.Article{}, 0, fmt.Errorf("%s: %w", name, err)
	}
	a, err := articleHead(ctx, tx, id)
	if opt.DryRun {
		a.ID = 0
	}
	return a, drafts, err
}

// findCopy finds a stored article whose text is text exactly.
func findCopy(ctx context.Context, tx *sql.Tx, text string) (translate.Article, bool, error) {
	var a translate.Article
	err := tx.QueryRowContext(ctx, `SELECT id, title FROM articles WHERE source_text = ? ORDER BY id LIMIT 1`, text).Scan(&a.ID, &a.Title)
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("look for a copy: %w", err)
	}
	return a, true, nil
}

// importDrafts gives a new article's segments (in order) the English of a bilingual file:
// each an edited draft of origin "xliff", checked by the quality checks, with its "imported"
// revision.
func importDrafts(ctx context.Context, tx *sql.Tx, articleID int64, targets []string, author string, q qaState, now string) (int, error) {
	n := 0
	for i, t := range targets {
		if t == "" {
			continue
		}
		var cur translate.Segment
		cur, err := scanSegment(tx.QueryRowContext(ctx, `SELECT `+segmentColumns+` FROM segments WHERE article_id = ? AND idx = ?`, articleID, i))
		if err != nil {
			return 0, fmt.Errorf("segment %d: %w", i+1, err)
		}
		c := change{target: t, status: translate.StatusEdited, origin: translate.OriginXLIFF, kind: "imported", recheck: true}
		if err := applyChange(ctx, tx, cur, c, q.check(cur.Source, t), author, now); err != nil {
			return 0, err
		}
		n++
	}
	return n, nil
}

// CreateArticle segments text and stores the article with all its segments in one
// transaction, as it is: the seed loader's way in. Imports go through ReadUpload and Import,
// which check what they are given first.
func (s *Store) CreateArticle(ctx context.Context, title, text, sourceName string) (translate.Article, error) {
	tx, err := s.w.BeginTx(ctx, nil)
	if err != nil {
		return translate.Article{}, err
	}
	defer tx.Rollback()
	name := sourceName
	if name == "" {
		name = "text"
	}
	id, err := insertPieces(ctx, tx, name, title, text, sourceName, translate.Split(text), s.stamp())
	if err != nil {
		return translate.Article{}, err
	}
	if err := tx.Commit(); err != nil {
		return translate.Article{}, fmt.Errorf("create article: %w", err)
	}
	return s.Article(ctx, id)
}

// insertPieces inserts an article of text cut into pieces, and its segments, inside tx; the
// caller commits. name says where the text came from, in messages. It is the one place an
// article's rows are written, so it holds the one text rule whoever calls it: the readers
// (translate.NewText, ReadUpload) have already removed the bidi controls from the text, and
// anything the rule refuses is refused here too.
func insertPieces(ctx context.Context, tx *sql.Tx, name, title, text, sourceName string, pieces []translate.Piece, now string) (int64, error) {
	for _, f := range []struct{ name, value string }{{"title", title}, {"text", text}, {"file name", sourceName}} {
		if _, _, err := arabic.CleanField(f.name, f.value, arabic.RefuseBidi); err != nil {
			return 0, translate.ErrInvalid.Errorf("%s: %w", name, err)
		}
	}
	if len(pieces) == 0 {
		return 0, translate.ErrInvalid.Errorf("%s: no sentences found", name)
	}
	if err := translate.CheckSegments(name, pieces); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO articles (title, source_text, source_name, created_at) VALUES (?, ?, ?, ?)`,
		title, text, sourceName, now)
	if err != nil {
		return 0, fmt.Errorf("create article: %w", err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, fmt.Errorf("create article: %w", err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO segments (article_id, idx, paragraph, source, sep, updated_at) VALUES (?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return 0, fmt.Errorf("create article: %w", err)
	}
	defer stmt.Close()
	for i, p := range pieces {
		if _, err := stmt.ExecContext(ctx, id, i, p.Paragraph, p.Source, p.Sep, now); err != nil {
			return 0, fmt.Errorf("create article: segment %d: %w", i, err)
		}
	}
	return id, nil
}

// isUTF8 reports whether a text file was UTF-8, with or without a byte order mark.
func (p *Parsed) isUTF8() bool {
	return p.Encoding == "" || p.Encoding == arabic.EncodingUTF8 || p.Encoding == arabic.EncodingUTF8BOM
}

// Decoded says how a text file that was not UTF-8 was decoded ("windows-1256"), "" for UTF-8
// and for files that are not text.
func (p *Parsed) Decoded() string {
	if p.isUTF8() {
		return ""
	}
	return p.Encoding
}
