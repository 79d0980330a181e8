package web

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/translate/xliff"
)

// exportImport brings an XLIFF export, worked on in another tool, back into its article from
// the article page: the upload shows what it would change (a dry run) and is kept for
// stashTTL, like a glossary import; the confirmation writes it.
type exportImport struct {
	s       *Server
	uploads stagedImports
}

func newExportImport(s *Server) *exportImport {
	return &exportImport{s: s, uploads: newStagedImports()}
}

// exportImportView is the preview above the segments, or why there is none.
type exportImportView struct {
	Token   string
	File    string
	Format  string
	Report  *store.ExportReport
	Problem string
	Expired bool
}

// upload takes an XLIFF file on the article page and previews it.
func (p *exportImport) upload(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	name, data, err := p.s.readFileUpload(c, "the XLIFF file exported from this article", xliff.MaxFileBytes)
	if err != nil {
		return p.refused(c, id, err, &exportImportView{})
	}
	return p.preview(c, id, name, data)
}

// preview shows what importing the file into article id would do, keeping the file for the
// confirmation. The home page's upload form sends an export here too.
func (p *exportImport) preview(c *gin.Context, id int64, name string, data []byte) error {
	iv := &exportImportView{File: name}
	done, err := p.run(c, id, name, data, true)
	if err != nil {
		return p.refused(c, id, err, iv)
	}
	if iv.Token, err = p.uploads.keep(name, data); err != nil {
		return err
	}
	iv.Format, iv.Report = done.Format, done.Back
	return p.s.showArticle(c, http.StatusOK, id, iv)
}

// apply writes a kept upload into its article.
func (p *exportImport) apply(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	token := c.Param("token")
	up, err := p.uploads.kept(token)
	if err != nil {
		return p.s.showArticle(c, http.StatusGone, id, &exportImportView{Expired: true, Problem: userMessage(err)})
	}
	done, err := p.run(c, id, up.name, up.data, false)
	if err != nil {
		return p.refused(c, id, err, &exportImportView{File: up.name})
	}
	p.uploads.drop(token)
	r := done.Back
	p.s.log.Info("xliff imported", "article", id, "file", up.name, "updated", len(r.Updated), "conflicting", len(r.Conflicting), "by", reviewerName(c))
	redirectWithFlash(c, fmt.Sprintf("/articles/%d", id), exportSummary(up.name, r))
	return nil
}

// run reads the file and imports it into article id (or, with dry, says what it would do).
func (p *exportImport) run(c *gin.Context, id int64, name string, data []byte, dry bool) (store.Imported, error) {
	parsed, err := store.ReadUpload(store.Upload{Name: name, Data: data})
	if err != nil {
		return store.Imported{}, err
	}
	done, err := p.s.cfg.Articles.Import(c.Request.Context(), []*store.Parsed{parsed},
		store.ImportOptions{Author: reviewerName(c), DryRun: dry, Into: id})
	if err != nil {
		return store.Imported{}, err
	}
	return done[0], nil
}

// refused shows why a file cannot come back on the article page; other errors go to fail.
func (p *exportImport) refused(c *gin.Context, id int64, err error, iv *exportImportView) error {
	status := statusOf(err)
	if status >= http.StatusInternalServerError {
		return err
	}
	iv.Problem = userMessage(err)
	return p.s.showArticle(c, status, id, iv)
}

// exportSummary is the flash message after an import, segments numbered from 1.
func exportSummary(name string, r *store.ExportReport) string {
	s := fmt.Sprintf("Imported %s: %s updated, %d unchanged", name, translate.Plural(len(r.Updated), "segment"), len(r.Unchanged))
	if len(r.Conflicting) > 0 {
		s += fmt.Sprintf("; %d conflicting left as they were (segment %s)", len(r.Conflicting), segmentNumbers(r.Conflicting))
	}
	if len(r.Empty) > 0 {
		s += fmt.Sprintf("; %d without English in the file", len(r.Empty))
	}
	return s + "."
}

func segmentNumbers(list []store.UnitChange) string {
	out := make([]string, len(list))
	for i, c := range list {
		out[i] = fmt.Sprint(c.Number)
	}
	return strings.Join(out, ", ")
}

// apiImport is POST /api/articles/:id/import: multipart "file" (an XLIFF export of the
// article) and "dry_run"; the answer is the report.
func (p *exportImport) apiImport(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	dry, err := formBool(c, "dry_run")
	if err != nil {
		return err
	}
	name, data, err := p.s.readFileUpload(c, "the XLIFF file exported from this article", xliff.MaxFileBytes)
	if err != nil {
		return err
	}
	done, err := p.run(c, id, name, data, dry)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, gin.H{"file": name, "format": done.Format, "dry_run": dry, "article": done.Article, "report": done.Back})
	return nil
}
