package web

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
)

// recentImports is how many imports the glossary page lists.
const recentImports = 10

// Paging limits for GET /api/glossary/imports.
const (
	apiImportsDefaultLimit = 50
	apiImportsMaxLimit     = 500
)

// importRow is an import as the page's list of recent imports shows it.
type importRow struct{ glossary.ImportRecord }

// Undone is when the import was undone; the zero time while it stands.
func (r importRow) Undone() time.Time {
	if r.UndoneAt == nil {
		return time.Time{}
	}
	return *r.UndoneAt
}

// termHistoryView is what the term-history fragment renders: a term's revisions, newest first.
type termHistoryView struct {
	TermID    int64
	Revisions []revisionView
}

// revisionView is one revision of a term as the page shows it.
type revisionView struct {
	glossary.Revision
}

// Label says what the revision did, in words.
func (r revisionView) Label() string {
	byImport := r.ImportID != 0
	switch {
	case r.UndoOf != 0 && r.Action == glossary.ActionCreate:
		return "Put back"
	case r.UndoOf != 0 && r.Action == glossary.ActionUpdate:
		return "Restored"
	case r.Action == glossary.ActionCreate:
		return "Added"
	case r.Action == glossary.ActionUpdate && byImport:
		return "Updated"
	case r.Action == glossary.ActionUpdate:
		return "Edited"
	case r.Action == glossary.ActionDelete && byImport:
		return "Removed"
	case r.Action == glossary.ActionDelete:
		return "Deleted"
	}
	return r.Action
}

// Source names the import the change came with or the undo that made it; "" for an edit.
func (r revisionView) Source() string {
	switch {
	case r.ImportID != 0:
		return fmt.Sprintf("with import %d (%s)", r.ImportID, r.ImportFile)
	case r.UndoOf != 0:
		return fmt.Sprintf("undoing import %d (%s)", r.UndoOf, r.UndoFile)
	}
	return ""
}

// fieldLabels are the names the term form gives the fields.
var fieldLabels = map[string]string{
	"arabic": "Arabic", "english": "English", "type": "Type", "variants": "Arabic variants",
	"english_alternatives": "Accepted English alternatives", "forbidden": "Forbidden English",
	"note": "Note", "do_not_translate": "Do not translate",
}

// fieldChangeView is one field of a revision: its label, and whether it holds Arabic.
type fieldChangeView struct {
	glossary.FieldChange
	Label  string
	Arabic bool
}

// Fields are the revision's changes, labelled as the form labels them.
func (r revisionView) Fields() []fieldChangeView {
	out := make([]fieldChangeView, len(r.Changes))
	for i, c := range r.Changes {
		out[i] = fieldChangeView{FieldChange: c, Label: fieldLabels[c.Field], Arabic: c.Field == "arabic" || c.Field == "variants"}
	}
	return out
}

// history answers htmx with a term's history, a row to go under the term's row.
func (p *glossaryPage) history(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	revs, err := p.s.cfg.Glossary.History(c.Request.Context(), id)
	if err != nil {
		return err
	}
	v := termHistoryView{TermID: id, Revisions: make([]revisionView, len(revs))}
	for i, r := range revs {
		v.Revisions[i] = revisionView{r}
	}
	p.s.renderTemplate(c, "glossary.html", "term-history", v)
	return nil
}

// termHistoryResponse is the JSON of GET /api/glossary/:id/history.
type termHistoryResponse struct {
	TermID    int64               `json:"term_id"`
	Revisions []glossary.Revision `json:"revisions"` // newest first
}

func (s *Server) apiTermHistory(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	revs, err := s.cfg.Glossary.History(c.Request.Context(), id)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, termHistoryResponse{TermID: id, Revisions: revs})
	return nil
}

// importsResponse is the JSON of GET /api/glossary/imports.
type importsResponse struct {
	Imports []glossary.ImportRecord `json:"imports"` // newest first
}

func (s *Server) apiGlossaryImports(c *gin.Context) error {
	limit, err := intQuery(c, "limit", apiImportsDefaultLimit, 1, apiImportsMaxLimit)
	if err != nil {
		return err
	}
	list, err := s.cfg.Glossary.Imports(c.Request.Context(), limit)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, importsResponse{Imports: list})
	return nil
}

// undoForce reads whether an undo is forced: "force" in a JSON body {"force": true}, or as a
// form or query field.
func undoForce(c *gin.Context) (bool, error) {
	if c.ContentType() == "application/json" {
		var body struct {
			Force bool `json:"force"`
		}
		if err := bindJSON(c, &body, `{"force": true|false}`); err != nil {
			return false, err
		}
		return body.Force, nil
	}
	return formBool(c, "force")
}

// apiGlossaryUndo undoes an import and answers with what it did; an import whose terms were
// changed since is a 409 naming them (terms), unless forced.
func (s *Server) apiGlossaryUndo(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	force, err := undoForce(c)
	if err != nil {
		return err
	}
	rep, err := s.cfg.Glossary.UndoImport(c.Request.Context(), id, glossary.UndoOptions{User: reviewerName(c), Force: force})
	if err != nil {
		return err
	}
	s.log.Info("glossary import undone", "import", id, "deleted", len(rep.Deleted), "restored", len(rep.Restored),
		"put_back", len(rep.Recreated), "overwritten", len(rep.Overwritten))
	c.JSON(http.StatusOK, rep)
	return nil
}

// undoView is the refusal of an undo shown on the glossary page: the terms changed since,
// and the button that undoes the import all the same; or why it cannot be undone.
type undoView struct {
	Import  glossary.ImportRecord
	Terms   []glossary.Change // changed since the import
	Problem string            // why the undo cannot be done at all
}

// undo undoes an import from the page. When terms it changed were changed since, the page
// lists them and asks to confirm (force=1); done, it goes back to the list saying what the
// undo did.
func (p *glossaryPage) undo(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	force, err := formBool(c, "force")
	if err != nil {
		return err
	}
	rep, err := p.s.cfg.Glossary.UndoImport(c.Request.Context(), id, glossary.UndoOptions{User: reviewerName(c), Force: force})
	var since *glossary.EditedSinceError
	switch {
	case errors.As(err, &since):
		return p.renderUndo(c, http.StatusConflict, &undoView{Import: since.Import, Terms: since.Terms})
	case err != nil && statusOf(err) < http.StatusInternalServerError:
		return p.renderUndo(c, statusOf(err), &undoView{Import: glossary.ImportRecord{ID: id}, Problem: userMessage(err)})
	case err != nil:
		return err
	}
	p.s.log.Info("glossary import undone", "import", id, "deleted", len(rep.Deleted), "restored", len(rep.Restored),
		"put_back", len(rep.Recreated), "overwritten", len(rep.Overwritten))
	redirectWithFlash(c, "/glossary", undoSummary(rep))
	return nil
}

func (p *glossaryPage) renderUndo(c *gin.Context, status int, uv *undoView) error {
	return p.renderWith(c, status, "Undo a glossary import", func(v *glossaryView) { v.Undo = uv })
}

// undoSummary is the flash message after an undo.
func undoSummary(r *glossary.UndoReport) string {
	var parts []string
	count := func(n int, one, many string) {
		if n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n, map[bool]string{true: one, false: many}[n == 1]))
		}
	}
	count(len(r.Deleted), "added term deleted", "added terms deleted")
	count(len(r.Restored), "term restored", "terms restored")
	count(len(r.Recreated), "removed term back", "removed terms back")
	count(len(r.Overwritten), "later change replaced", "later changes replaced")
	if len(parts) == 0 {
		parts = append(parts, "nothing to change")
	}
	return fmt.Sprintf("Undid %s: %s.", r.Import.Name(), strings.Join(parts, ", "))
}
