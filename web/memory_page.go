package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate/memory"
)

// memoryUpload is what the memory import's field "file" holds, for the message when it is
// missing.
const memoryUpload = "a TMX file (translation memory, TMX 1.1 to 1.4)"

// memoryPage serves /memory, for admins: the translation memory's size, its TMX export, and
// the import of a TMX file with the glossary import's dry-run preview (stagedImports).
type memoryPage struct {
	s       *Server
	uploads stagedImports
}

func newMemoryPage(s *Server) *memoryPage {
	return &memoryPage{s: s, uploads: newStagedImports()}
}

// memoryView is what memory.html renders.
type memoryView struct {
	Count  int // pairs in the memory
	Import *memoryImportView
}

// memoryImportView is the import preview (or the reason there is none) shown on the page.
type memoryImportView struct {
	Token   string // the stashed upload the buttons refer to
	File    string
	Report  *memory.ImportReport
	Groups  []unitGroup
	Changes int    // units the import would add or update
	Confirm string // the import button's label
	Problem string
	Expired bool
}

// unitGroup is one kind of unit in the preview, e.g. the added ones.
type unitGroup struct {
	Kind  string // added, updated, unchanged
	Title string
	Items []memory.UnitChange
	Total int
	More  int // units of the kind the report does not list
}

func (p *memoryPage) show(c *gin.Context) error {
	return p.render(c, http.StatusOK, "Translation memory", nil)
}

// render shows the page with the import preview iv (none when nil), with status.
func (p *memoryPage) render(c *gin.Context, status int, title string, iv *memoryImportView) error {
	n, err := p.s.cfg.Memory.Count(c.Request.Context())
	if err != nil {
		return err
	}
	c.Status(status)
	p.s.render(c, "memory.html", pageData{Title: title, Flash: takeFlash(c), Data: memoryView{Count: n, Import: iv}})
	return nil
}

// importUpload keeps the uploaded TMX file for stashTTL and shows what importing it would do.
func (p *memoryPage) importUpload(c *gin.Context) error {
	token, name, data, err := p.uploads.stage(p.s, c, memoryUpload, glossary.MaxImportSize)
	if err != nil {
		return p.importFailed(c, err, &memoryImportView{})
	}
	return p.preview(c, token, name, data)
}

// importStashed acts on a kept upload: action=preview shows the dry run again, action=import
// writes it.
func (p *memoryPage) importStashed(c *gin.Context) error {
	token, up, action, err := p.uploads.staged(c)
	if errors.Is(err, errImportExpired) {
		return p.render(c, http.StatusGone, "Memory import", &memoryImportView{Expired: true, Problem: userMessage(err)})
	}
	if err != nil {
		return err
	}
	if action == actionPreview {
		return p.preview(c, token, up.name, up.data)
	}
	rep, err := p.s.cfg.Memory.ImportTMX(c.Request.Context(), bytes.NewReader(up.data), memory.ImportOptions{Name: up.name})
	if err != nil {
		return p.importFailed(c, err, &memoryImportView{Token: token, File: up.name})
	}
	p.uploads.drop(token)
	p.s.log.Info("translation memory imported", "file", up.name, "by", reviewerName(c), "added", rep.Added.Total,
		"updated", rep.Updated.Total, "unchanged", rep.Unchanged.Total, "refused", rep.Refused.Total)
	redirectWithFlash(c, "/memory", memoryImportSummary(rep))
	return nil
}

func (p *memoryPage) preview(c *gin.Context, token, name string, data []byte) error {
	iv := &memoryImportView{Token: token, File: name}
	rep, err := p.s.cfg.Memory.ImportTMX(c.Request.Context(), bytes.NewReader(data), memory.ImportOptions{Name: name, DryRun: true})
	if err != nil {
		return p.importFailed(c, err, iv)
	}
	iv.fill(&rep)
	return p.render(c, http.StatusOK, "Memory import", iv)
}

// importFailed shows a file's problem (it names the file, the line and the reason) on the
// page; other errors go to fail.
func (p *memoryPage) importFailed(c *gin.Context, err error, iv *memoryImportView) error {
	status := statusOf(err)
	if status != http.StatusBadRequest && status != http.StatusRequestEntityTooLarge {
		return err
	}
	iv.Problem = userMessage(err)
	return p.render(c, status, "Memory import", iv)
}

// fill lays out a dry-run report for the page.
func (iv *memoryImportView) fill(r *memory.ImportReport) {
	iv.Report, iv.File = r, r.File
	for _, g := range []struct {
		kind, title string
		list        memory.Listed[memory.UnitChange]
	}{
		{"added", "New pairs", r.Added},
		{"updated", "Updated: the memory has the pair; the file brings other metadata", r.Updated},
		{"unchanged", "Unchanged: the memory has the pair as the file has it, or the file repeats it", r.Unchanged},
	} {
		items := g.list.Items[:min(len(g.list.Items), maxReportRows)]
		iv.Groups = append(iv.Groups, unitGroup{Kind: g.kind, Title: g.title, Items: items, Total: g.list.Total, More: g.list.Total - len(items)})
	}
	iv.Changes = r.Added.Total + r.Updated.Total
	switch {
	case r.Refused.Total == 0:
		iv.Confirm = "Import these changes"
	default:
		iv.Confirm = fmt.Sprintf("Import the %d good units", r.Pairs)
	}
}

// memoryImportSummary is the flash message after an import.
func memoryImportSummary(r memory.ImportReport) string {
	s := fmt.Sprintf("Imported %s: %d added, %d updated, %d unchanged", r.File, r.Added.Total, r.Updated.Total, r.Unchanged.Total)
	if r.Refused.Total > 0 {
		s += fmt.Sprintf(", %d refused units left out", r.Refused.Total)
	}
	return s + "."
}

// apiMemoryImport takes a multipart upload (file, dry_run) of a TMX file and answers with the
// import report; a bad file is a 400 naming the file, the line and the reason.
func (s *Server) apiMemoryImport(c *gin.Context) error {
	name, data, err := s.readFileUpload(c, memoryUpload, glossary.MaxImportSize)
	if err != nil {
		return err
	}
	dry, err := formBool(c, "dry_run")
	if err != nil {
		return err
	}
	rep, err := s.cfg.Memory.ImportTMX(c.Request.Context(), bytes.NewReader(data), memory.ImportOptions{Name: name, DryRun: dry})
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, rep)
	return nil
}

// apiMemoryExport answers with the whole translation memory as a TMX 1.4 download, streamed
// from the database (see download).
func (s *Server) apiMemoryExport(c *gin.Context) error {
	return s.download(c, "memory", map[string]string{
		"Content-Type":        "application/x-tmx+xml; charset=utf-8",
		"Content-Disposition": `attachment; filename="tarjama-memory.tmx"`,
	}, func(w io.Writer) error { return s.cfg.Memory.ExportTMX(c.Request.Context(), w) })
}
