package web

import (
	"bytes"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
)

// termsPerPage is how many terms the glossary page lists at a time.
const termsPerPage = 100

// maxReportRows caps how many changes of one kind the import preview lists; the counts are
// always complete.
const maxReportRows = 200

// glossaryPage serves /glossary: the term list, in-place editing (htmx) and the import of a
// glossary file (CSV, TSV, TBX or XLSX) with its dry-run preview. It holds the uploads
// waiting for confirmation.
type glossaryPage struct {
	s       *Server
	uploads stagedImports
}

func newGlossaryPage(s *Server) *glossaryPage {
	return &glossaryPage{s: s, uploads: newStagedImports()}
}

// glossaryView is what glossary.html renders.
type glossaryView struct {
	Terms    []glossary.Term
	Total    int
	Query    string
	Type     string
	Page     int
	Pages    int
	First    int // 1-based position of the first term shown
	Last     int
	PrevURL  string
	NextURL  string
	Import   *importView
	Filtered bool
	Blank    glossary.Term // the empty add form
	OOB      bool          // the count is sent out of band (htmx), after a delete
	Imports  []importRow   // the latest imports, newest first (see glossary_history.go)
	Undo     *undoView     // an undo refused, and why
}

// importView is the import preview (or the reason there is none) shown above the list.
type importView struct {
	Token     string // the stashed upload the buttons refer to
	File      string
	Mode      string
	OtherMode string
	SkipBad   bool
	Report    *glossary.ImportReport
	Format    string // CSV, TBX or XLSX
	Encoding  string // e.g. "decoded as Windows-1256"
	Groups    []changeGroup
	Skipped   []glossary.RowError
	Changes   int // how many terms the import would add, update or remove
	Good      int // the rows of the file that are imported: added, updated or unchanged
	Left      int // the rows that stay out: refused (conflicting) or bad (skipped)
	Confirm   string
	Problem   string
	BadRows   []glossary.RowError
	BadTotal  int
	Expired   bool
}

// changeGroup is one kind of change in the preview, e.g. the added terms.
type changeGroup struct {
	Kind  string // added, updated, unchanged, conflicting, removed
	Title string
	Items []glossary.Change
	Total int
	More  int
}

func (p *glossaryPage) list(c *gin.Context) error {
	v, err := p.listView(c)
	if err != nil {
		return err
	}
	p.s.render(c, "glossary.html", pageData{Title: "Glossary", Flash: takeFlash(c), Data: v})
	return nil
}

// listView reads the list part of the page from the query (q, type and page), with the
// latest imports.
func (p *glossaryPage) listView(c *gin.Context) (*glossaryView, error) {
	v, err := p.listViewOf(c, c.Request.URL.Query())
	if err != nil {
		return nil, err
	}
	imports, err := p.s.cfg.Glossary.Imports(c.Request.Context(), recentImports)
	if err != nil {
		return nil, err
	}
	for _, r := range imports {
		v.Imports = append(v.Imports, importRow{r})
	}
	return v, nil
}

// listViewOf is listView for the query of another URL (the page an htmx request came from).
func (p *glossaryPage) listViewOf(c *gin.Context, query url.Values) (*glossaryView, error) {
	v := &glossaryView{Query: strings.TrimSpace(query.Get("q")), Type: query.Get("type"), Page: 1}
	if n, err := strconv.Atoi(query.Get("page")); err == nil && n > 1 {
		v.Page = n
	}
	v.Filtered = v.Query != "" || v.Type != ""
	f := glossary.Filter{Query: v.Query, Type: glossary.TermType(v.Type), Limit: termsPerPage, Offset: (v.Page - 1) * termsPerPage}
	terms, total, err := p.s.cfg.Glossary.List(c.Request.Context(), f)
	if err != nil {
		return nil, err
	}
	v.Pages = max(1, (total+termsPerPage-1)/termsPerPage)
	if v.Page > v.Pages { // past the end (a stale link): show the last page
		v.Page = v.Pages
		f.Offset = (v.Page - 1) * termsPerPage
		if terms, total, err = p.s.cfg.Glossary.List(c.Request.Context(), f); err != nil {
			return nil, err
		}
	}
	v.Terms, v.Total = terms, total
	if len(terms) > 0 {
		v.First = f.Offset + 1
		v.Last = f.Offset + len(terms)
	}
	pageURL := func(n int) string {
		q := url.Values{}
		if v.Query != "" {
			q.Set("q", v.Query)
		}
		if v.Type != "" {
			q.Set("type", v.Type)
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return "/glossary"
		}
		return "/glossary?" + q.Encode()
	}
	if v.Page > 1 {
		v.PrevURL = pageURL(v.Page - 1)
	}
	if v.Page < v.Pages {
		v.NextURL = pageURL(v.Page + 1)
	}
	return v, nil
}

// termFromForm reads the add and edit forms; lists may be separated by | or new lines.
func termFromForm(c *gin.Context) (glossary.Term, error) {
	dnt, err := formBool(c, "do_not_translate")
	if err != nil {
		return glossary.Term{}, err
	}
	return glossary.Term{
		Arabic:         c.PostForm("arabic"),
		English:        c.PostForm("english"),
		Type:           glossary.TermType(c.PostForm("type")),
		Variants:       splitFormList(c.PostForm("variants")),
		Alternatives:   splitFormList(c.PostForm("english_alternatives")),
		Forbidden:      splitFormList(c.PostForm("forbidden")),
		Note:           c.PostForm("note"),
		DoNotTranslate: dnt,
		UpdatedBy:      reviewerName(c),
	}, nil
}

func splitFormList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == '|' || r == '\n' || r == '\r' })
}

// create adds a term from the form: htmx gets the new row, a plain form post a redirect to it.
func (p *glossaryPage) create(c *gin.Context) error {
	t, err := termFromForm(c)
	if err != nil {
		return err
	}
	if err := p.s.cfg.Glossary.Create(c.Request.Context(), &t); err != nil {
		return err
	}
	if isHTMX(c) {
		p.s.renderTemplate(c, "glossary.html", "term-row", t)
		return nil
	}
	redirectWithFlash(c, "/glossary?"+url.Values{"q": {t.Arabic}}.Encode(), fmt.Sprintf("Added %s → %s.", t.Arabic, t.English))
	return nil
}

// row answers htmx with a term's row (cancelling an edit); a browser is sent to the list.
func (p *glossaryPage) row(c *gin.Context) error {
	t, err := p.term(c)
	if err != nil {
		return err
	}
	if !isHTMX(c) {
		c.Redirect(http.StatusSeeOther, "/glossary?"+url.Values{"q": {t.Arabic}}.Encode())
		return nil
	}
	p.s.renderTemplate(c, "glossary.html", "term-row", t)
	return nil
}

func (p *glossaryPage) editRow(c *gin.Context) error {
	t, err := p.term(c)
	if err != nil {
		return err
	}
	p.s.renderTemplate(c, "glossary.html", "term-edit", t)
	return nil
}

func (p *glossaryPage) term(c *gin.Context) (glossary.Term, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return glossary.Term{}, err
	}
	return p.s.cfg.Glossary.Get(c.Request.Context(), id)
}

// save stores an edited term and answers with its row.
func (p *glossaryPage) save(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := termFromForm(c)
	if err != nil {
		return err
	}
	t.ID = id
	if err := p.s.cfg.Glossary.Update(c.Request.Context(), &t); err != nil {
		return err
	}
	if !isHTMX(c) {
		redirectWithFlash(c, "/glossary?"+url.Values{"q": {t.Arabic}}.Encode(), "Saved "+t.Arabic+".")
		return nil
	}
	p.s.renderTemplate(c, "glossary.html", "term-row", t)
	return nil
}

// deletedView is the answer to an htmx delete: the row goes (nothing takes its place), and
// out-of-band the list's count, recounted for the page the request came from, and a line
// saying what was deleted.
type deletedView struct {
	List    *glossaryView
	Message string
}

// delete removes a term; htmx swaps the row for nothing and updates the count and status.
func (p *glossaryPage) delete(c *gin.Context) error {
	t, err := p.term(c)
	if err != nil {
		return err
	}
	if err := p.s.cfg.Glossary.Delete(c.Request.Context(), t.ID, reviewerName(c)); err != nil {
		return err
	}
	if !isHTMX(c) {
		c.Data(http.StatusOK, "text/html; charset=utf-8", nil)
		return nil
	}
	var from url.Values
	if u, err := url.Parse(c.GetHeader("HX-Current-URL")); err == nil {
		from = u.Query()
	}
	v, err := p.listViewOf(c, from)
	if err != nil {
		return err
	}
	v.OOB = true
	p.s.renderTemplate(c, "glossary.html", "term-deleted", deletedView{List: v, Message: fmt.Sprintf("Deleted «%s» → %s.", t.Arabic, t.English)})
	return nil
}

// importUpload keeps the uploaded file for stashTTL and shows what importing it would do.
func (p *glossaryPage) importUpload(c *gin.Context) error {
	token, name, data, err := p.uploads.stage(p.s, c, glossaryUpload, glossary.MaxImportSize)
	if err != nil {
		return p.importFailed(c, err, &importView{Mode: c.PostForm("mode")})
	}
	return p.importPreview(c, token, name, data)
}

// importStashed acts on a kept upload: action=preview shows the dry run again (with another
// mode or skipping bad rows), action=import writes it.
func (p *glossaryPage) importStashed(c *gin.Context) error {
	token, up, action, err := p.uploads.staged(c)
	if errors.Is(err, errImportExpired) {
		return p.renderImport(c, http.StatusGone, &importView{Expired: true, Problem: userMessage(err)})
	}
	if err != nil {
		return err
	}
	if action == actionPreview {
		return p.importPreview(c, token, up.name, up.data)
	}
	opt, err := importOptionsFromForm(c, up.name)
	if err != nil {
		return err
	}
	report, err := p.s.cfg.Glossary.Import(c.Request.Context(), bytes.NewReader(up.data), opt)
	if err != nil {
		return p.importFailed(c, err, &importView{Token: token, File: up.name, Mode: opt.Mode, SkipBad: opt.SkipBad})
	}
	p.uploads.drop(token)
	p.s.log.Info("glossary imported", "file", up.name, "mode", report.Mode, "added", len(report.Added),
		"updated", len(report.Updated), "conflicting", len(report.Conflicting), "removed", len(report.Removed))
	redirectWithFlash(c, "/glossary", importSummary(report))
	return nil
}

func (p *glossaryPage) importPreview(c *gin.Context, token, name string, data []byte) error {
	opt, err := importOptionsFromForm(c, name)
	if err != nil {
		return err
	}
	opt.DryRun = true
	iv := &importView{Token: token, File: name, Mode: opt.Mode, SkipBad: opt.SkipBad}
	report, err := p.s.cfg.Glossary.Import(c.Request.Context(), bytes.NewReader(data), opt)
	if err != nil {
		return p.importFailed(c, err, iv)
	}
	iv.fill(report)
	return p.renderImport(c, http.StatusOK, iv)
}

// importFailed shows a file's problems on the page, beside the list; other errors go to fail.
func (p *glossaryPage) importFailed(c *gin.Context, err error, iv *importView) error {
	status := statusOf(err)
	if status != http.StatusBadRequest {
		return err
	}
	iv.Problem = userMessage(err)
	var ie *glossary.ImportError
	if errors.As(err, &ie) && (ie.Total > 1 || len(ie.Rows) == 1 && ie.Rows[0].Line > 0) {
		// The rows are listed under the summary, so they are not said twice.
		iv.Problem, iv.BadRows, iv.BadTotal = ie.Summary(), ie.Rows, ie.Total
	}
	if iv.Mode == "" {
		iv.Mode = glossary.ModeMerge
	}
	iv.OtherMode = otherMode(iv.Mode)
	return p.renderImport(c, status, iv)
}

func (p *glossaryPage) renderImport(c *gin.Context, status int, iv *importView) error {
	return p.renderWith(c, status, "Glossary import", func(v *glossaryView) { v.Import = iv })
}

// renderWith renders the page with status and title, the list as the query asks and what set
// adds to it (an import's preview, an undo's refusal).
func (p *glossaryPage) renderWith(c *gin.Context, status int, title string, set func(*glossaryView)) error {
	v, err := p.listView(c)
	if err != nil {
		return err
	}
	set(v)
	c.Status(status)
	p.s.render(c, "glossary.html", pageData{Title: title, Data: v})
	return nil
}

func otherMode(mode string) string {
	if mode == glossary.ModeReplace {
		return glossary.ModeMerge
	}
	return glossary.ModeReplace
}

// fill lays out a dry-run report for the page.
func (iv *importView) fill(r *glossary.ImportReport) {
	iv.Report, iv.File, iv.Mode, iv.OtherMode = r, r.File, r.Mode, otherMode(r.Mode)
	iv.Encoding = encodingLabel(r.Encoding)
	iv.Format = strings.ToUpper(r.Format)
	for _, g := range []struct {
		kind, title string
		items       []glossary.Change
	}{
		{"added", "New terms", r.Added},
		{"conflicting", "Conflicting: refused, a spelling belongs to one term", r.Conflicting},
		{"updated", "Updated: a new English or other columns", r.Updated},
		{"removed", "Removed: in the glossary but not in the file", r.Removed},
		{"unchanged", "Unchanged", r.Unchanged},
	} {
		cg := changeGroup{Kind: g.kind, Title: g.title, Items: g.items, Total: len(g.items)}
		if len(cg.Items) > maxReportRows {
			cg.Items, cg.More = cg.Items[:maxReportRows], len(cg.Items)-maxReportRows
		}
		iv.Groups = append(iv.Groups, cg)
	}
	iv.Skipped = r.Skipped
	if len(iv.Skipped) > maxReportRows {
		iv.Skipped = iv.Skipped[:maxReportRows]
	}
	iv.Changes = len(r.Added) + len(r.Updated) + len(r.Removed)
	iv.Good = len(r.Added) + len(r.Updated) + len(r.Unchanged)
	iv.Left = len(r.Conflicting) + len(r.Skipped)
	// With rows that stay out, the import leaves them out (skip_bad), so the button never
	// offers something the server would refuse.
	switch {
	case iv.Left == 0:
		iv.Confirm = "Import these changes"
	case iv.Good == 1:
		iv.Confirm = "Import the good row"
	default:
		iv.Confirm = fmt.Sprintf("Import the %d good rows", iv.Good)
	}
}

// encodingLabel says in words how the file was decoded.
func encodingLabel(enc string) string {
	switch enc {
	case "", "utf-8":
		return "read as UTF-8"
	case "utf-8 with BOM":
		return "read as UTF-8 (with a byte order mark)"
	case "windows-1256":
		return "decoded as Windows-1256 (Arabic Windows / Excel)"
	}
	return "decoded as " + strings.ToUpper(enc[:1]) + enc[1:]
}

// importSummary is the flash message after an import.
func importSummary(r *glossary.ImportReport) string {
	s := fmt.Sprintf("Imported %s, %s, in %s mode: %d added, %d updated, %d unchanged",
		r.File, encodingLabel(r.Encoding), r.Mode, len(r.Added), len(r.Updated), len(r.Unchanged))
	if r.Mode == glossary.ModeReplace {
		s += fmt.Sprintf(", %d removed", len(r.Removed))
	}
	if len(r.Conflicting) > 0 {
		s += fmt.Sprintf(", %d conflicting rows left out", len(r.Conflicting))
	}
	if len(r.Skipped) > 0 {
		s += fmt.Sprintf(", %d bad rows skipped", len(r.Skipped))
	}
	return s + "."
}
