package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/tarjama/tarjama/glossary"
)

// Paging limits for GET /api/glossary.
const (
	apiTermsDefaultLimit = 100
	apiTermsMaxLimit     = 500
)

// exportFiles is, by format, what browsers save GET /api/glossary/export as and its type.
var exportFiles = map[string]struct{ name, contentType string }{
	glossary.FormatCSV:  {"tarjama-glossary.csv", "text/csv; charset=utf-8"},
	glossary.FormatTBX:  {"tarjama-glossary.tbx", "application/x-tbx+xml; charset=utf-8"},
	glossary.FormatXLSX: {"tarjama-glossary.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
}

type termListResponse struct {
	Terms []glossary.Term `json:"terms"`
	Total int             `json:"total"`
}

func (s *Server) apiTermList(c *gin.Context) error {
	limit, err := intQuery(c, "limit", apiTermsDefaultLimit, 1, apiTermsMaxLimit)
	if err != nil {
		return err
	}
	offset, err := intQuery(c, "offset", 0, 0, -1)
	if err != nil {
		return err
	}
	terms, total, err := s.cfg.Glossary.List(c.Request.Context(), glossary.Filter{
		Query: c.Query("q"), Type: glossary.TermType(c.Query("type")), Limit: limit, Offset: offset,
	})
	if err != nil {
		return err
	}
	if terms == nil {
		terms = []glossary.Term{}
	}
	c.JSON(http.StatusOK, termListResponse{Terms: terms, Total: total})
	return nil
}

// intQuery reads an optional integer query parameter within [lo, hi] (hi < 0: no upper bound).
func intQuery(c *gin.Context, name string, def, lo, hi int) (int, error) {
	v := c.Query(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || (hi >= 0 && n > hi) {
		if hi >= 0 {
			return 0, badRequest("%s: %q is not a number from %d to %d", name, v, lo, hi)
		}
		return 0, badRequest("%s: %q is not a number of at least %d", name, v, lo)
	}
	return n, nil
}

// bindTerm reads a Term from a JSON body; the id, author and time are the server's to set.
func bindTerm(c *gin.Context) (glossary.Term, error) {
	var t glossary.Term
	if err := requireJSON(c); err != nil {
		return t, err
	}
	if err := c.ShouldBindJSON(&t); err != nil {
		return t, badRequest(`body: expected a JSON term {"arabic", "english", "type", "variants", "english_alternatives", "forbidden", "note", "do_not_translate"}: %w`, err)
	}
	t.ID, t.UpdatedBy = 0, reviewerName(c)
	return t, nil
}

func (s *Server) apiTermCreate(c *gin.Context) error {
	t, err := bindTerm(c)
	if err != nil {
		return err
	}
	if err := s.cfg.Glossary.Create(c.Request.Context(), &t); err != nil {
		return err
	}
	c.JSON(http.StatusCreated, t)
	return nil
}

func (s *Server) apiTermUpdate(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	t, err := bindTerm(c)
	if err != nil {
		return err
	}
	t.ID = id
	if err := s.cfg.Glossary.Update(c.Request.Context(), &t); err != nil {
		return err
	}
	c.JSON(http.StatusOK, t)
	return nil
}

func (s *Server) apiTermDelete(c *gin.Context) error {
	id, err := idParam(c, "id")
	if err != nil {
		return err
	}
	if err := s.cfg.Glossary.Delete(c.Request.Context(), id, reviewerName(c)); err != nil {
		return err
	}
	c.Status(http.StatusNoContent)
	return nil
}

// apiGlossaryImport takes a multipart upload (file, dry_run, mode, skip_bad) of a glossary in
// any format glossary.Read knows (CSV/TSV, TBX, XLSX; the content decides) and answers with
// the import report; a bad file is a 400 naming the file and line.
func (s *Server) apiGlossaryImport(c *gin.Context) error {
	name, data, err := s.readGlossaryUpload(c)
	if err != nil {
		return err
	}
	opt, err := importOptionsFromForm(c, name)
	if err != nil {
		return err
	}
	if opt.DryRun, err = formBool(c, "dry_run"); err != nil {
		return err
	}
	report, err := s.cfg.Glossary.Import(c.Request.Context(), bytes.NewReader(data), opt)
	if err != nil {
		return err
	}
	c.JSON(http.StatusOK, report)
	return nil
}

// glossaryUpload is what the glossary import's field "file" holds, for the message when it
// is missing.
const glossaryUpload = "the glossary file, CSV, TSV, TBX or XLSX"

// readGlossaryUpload reads the multipart field "file" whole; the body limit middleware and
// glossary.MaxImportSize bound it.
func (s *Server) readGlossaryUpload(c *gin.Context) (name string, data []byte, err error) {
	return s.readFileUpload(c, glossaryUpload, glossary.MaxImportSize)
}

// readFileUpload reads the multipart field "file", of at most limit bytes; what says what the
// file should be, for the message when there is none.
func (s *Server) readFileUpload(c *gin.Context, what string, limit int64) (name string, data []byte, err error) {
	fh, err := c.FormFile("file")
	switch {
	case errors.Is(err, http.ErrMissingFile), errors.Is(err, http.ErrNotMultipart):
		return "", nil, badRequest("file: required (a multipart/form-data upload with %s, in the field \"file\")", what)
	case err != nil:
		return "", nil, badRequest("file: could not read the upload: %w", err)
	}
	if fh.Size > limit {
		return "", nil, httpError(http.StatusRequestEntityTooLarge, "file: %s is larger than %d MiB", fh.Filename, limit>>20)
	}
	f, err := fh.Open()
	if err != nil {
		return "", nil, err
	}
	defer f.Close()
	data, err = io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return "", nil, err
	}
	return uploadName(fh.Filename), data, nil
}

// uploadName keeps only the base name a browser sent, for messages.
func uploadName(name string) string {
	name = filepath.Base(strings.ReplaceAll(name, `\`, "/"))
	if name == "." || name == "/" || name == "" {
		return "upload"
	}
	return name
}

// importOptionsFromForm reads mode and skip_bad; the caller decides about dry_run.
func importOptionsFromForm(c *gin.Context, name string) (glossary.ImportOptions, error) {
	skip, err := formBool(c, "skip_bad")
	if err != nil {
		return glossary.ImportOptions{}, err
	}
	return glossary.ImportOptions{Name: name, Mode: c.PostForm("mode"), SkipBad: skip, User: reviewerName(c)}, nil
}

// formBool reads a yes/no form or query field the way HTML checkboxes and scripts send it.
func formBool(c *gin.Context, name string) (bool, error) {
	v, ok := c.GetPostForm(name)
	if !ok {
		v = c.Query(name)
	}
	b, ok := parseYesNo(v)
	if !ok {
		return false, badRequest("%s: %q is not one of true, false, 1, 0, on, off", name, v)
	}
	return b, nil
}

func parseYesNo(v string) (value, ok bool) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "", "0", "false", "off", "no":
		return false, true
	case "1", "true", "on", "yes":
		return true, true
	}
	return false, false
}

// maxXLSXExports is how many XLSX exports may be built at once; more wait their turn.
const maxXLSXExports = 2

// apiGlossaryExport answers with the whole glossary as a download: format csv (the default),
// tbx (TBX-Basic v3) or xlsx; bom=1 starts a CSV with a byte order mark (other formats have
// none, so it is left aside for them). CSV and TBX stream from the database to the client;
// an XLSX workbook is zipped in memory first (excelize writes the zip whole), so at most
// maxXLSXExports are built at once.
func (s *Server) apiGlossaryExport(c *gin.Context) error {
	format, err := glossary.ParseFormat(c.Query("format"))
	if err != nil {
		return err
	}
	bom, err := formBool(c, "bom")
	if err != nil {
		return err
	}
	if format == glossary.FormatXLSX {
		select {
		case s.xlsxSlots <- struct{}{}:
			defer func() { <-s.xlsxSlots }()
		case <-c.Request.Context().Done():
			return c.Request.Context().Err()
		}
	}
	opt := glossary.ExportOptions{Format: format, BOM: bom && format == glossary.FormatCSV}
	file := exportFiles[format]
	return s.download(c, "glossary", map[string]string{
		"Content-Type":        file.contentType,
		"Content-Disposition": `attachment; filename="` + file.name + `"`,
	}, func(w io.Writer) error { return s.cfg.Glossary.Export(c.Request.Context(), w, opt) })
}

type matchRequest struct {
	Text *string `json:"text"`
}

// apiGlossaryMatch finds glossary terms in {"text": ...} sent as application/json, or in a
// text/plain body (or one with no content type); offsets are code points of the text, as in
// `tarjama glossary match`.
func (s *Server) apiGlossaryMatch(c *gin.Context) error {
	ct := c.ContentType()
	if ct != "application/json" && ct != "text/plain" && ct != "" {
		return httpError(http.StatusUnsupportedMediaType, `body: send {"text": "..."} as application/json, or the text as text/plain (the request's content type: %s)`, ct)
	}
	body, err := readBody(c)
	if err != nil {
		return err
	}
	text := string(body)
	if ct == "application/json" {
		var req matchRequest
		if err := json.Unmarshal(body, &req); err != nil || req.Text == nil {
			if err == nil {
				err = errors.New(`no "text" field`)
			}
			return badRequest(`body: expected JSON {"text": "..."} or a text/plain body: %v`, err)
		}
		text = *req.Text
	}
	if !utf8.ValidString(text) {
		return badRequest("text: not valid UTF-8")
	}
	m, err := s.cfg.Glossary.Matcher(c.Request.Context())
	if err != nil {
		return err
	}
	matches := m.Match(text)
	if matches == nil {
		matches = []glossary.Match{}
	}
	c.JSON(http.StatusOK, matches)
	return nil
}
