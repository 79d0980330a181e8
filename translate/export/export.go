// Package export writes an article for download: the English alone (txt, md), Arabic and
// English side by side (html), XLIFF 2.0 or 1.2 for other translation tools (xliff, xliff12)
// and the approved pairs as TMX 1.4 (tmx). Every format says how far review has got.
package export

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"regexp"
	"strings"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/tmx"
	"github.com/tarjama/tarjama/translate/xliff"
)

// Format is a download format of an article.
type Format string

// Export formats: the English article (txt, md), a bilingual side-by-side page (html), XLIFF 2.0
// and 1.2 for other CAT tools (xliff, xliff12) and the approved pairs as TMX 1.4 (tmx).
const (
	FormatTXT     Format = "txt"
	FormatMD      Format = "md"
	FormatHTML    Format = "html"
	FormatXLIFF   Format = "xliff"
	FormatXLIFF12 Format = "xliff12"
	FormatTMX     Format = "tmx"
)

// Formats lists the export formats in the order the UI offers them.
var Formats = []Format{FormatTXT, FormatMD, FormatHTML, FormatXLIFF, FormatXLIFF12, FormatTMX}

// formatAliases are other names ParseFormat takes for a format.
var formatAliases = map[Format]Format{"xlf": FormatXLIFF, "xliff2": FormatXLIFF, "xliff20": FormatXLIFF, "xlf12": FormatXLIFF12, "xliff1.2": FormatXLIFF12}

// ParseFormat checks a --format value (case-insensitive; "xlf" is taken for xliff, "xlf12" and
// "xliff1.2" for xliff12).
func ParseFormat(s string) (Format, error) {
	f := Format(strings.ToLower(strings.TrimSpace(s)))
	if a, ok := formatAliases[f]; ok {
		f = a
	}
	for _, ok := range Formats {
		if f == ok {
			return f, nil
		}
	}
	return "", translate.ErrInvalid.Errorf("format: %q is not one of txt, md, html, xliff, xliff12, tmx", s)
}

// ContentType is the MIME type a download of this format is served with.
func (f Format) ContentType() string {
	switch f {
	case FormatMD:
		return "text/markdown; charset=utf-8"
	case FormatHTML:
		return "text/html; charset=utf-8"
	case FormatXLIFF, FormatXLIFF12:
		return "application/xliff+xml; charset=utf-8"
	case FormatTMX:
		return "application/xml; charset=utf-8"
	}
	return "text/plain; charset=utf-8"
}

// Extension is the file name extension of the format, without the dot.
func (f Format) Extension() string {
	if f == FormatXLIFF || f == FormatXLIFF12 {
		return "xlf"
	}
	return string(f)
}

// FileName is the file name a download of the article is offered under; the XLIFF 1.2 one
// says its version, so both downloads can sit in one folder.
func FileName(a translate.Article, f Format) string {
	kind := "en"
	switch f {
	case FormatHTML, FormatXLIFF, FormatTMX:
		kind = "ar-en"
	case FormatXLIFF12:
		kind = "ar-en.xliff12"
	}
	return fmt.Sprintf("tarjama-article-%d.%s.%s", a.ID, kind, f.Extension())
}

// Write writes the article in the given format. segs are the article's segments in
// order (store.Store.Segments), open their open findings of the quality checks by segment id
// (store.Open of store.Store.Findings; nil for none): the summary of every draft says how many
// there are, and XLIFF carries each as a note on its unit.
func Write(w io.Writer, f Format, a translate.Article, segs []translate.Segment, open map[int64][]qa.Finding) error {
	c := countReview(segs, open)
	switch f {
	case FormatTXT, FormatMD:
		_, err := io.WriteString(w, englishExport(f, segs, c))
		return err
	case FormatHTML:
		return writeHTMLExport(w, a, segs, c)
	case FormatXLIFF:
		return xliff.Write(w, a, unsaidFlags(segs, open), a.Title+": "+c.String(), qaNotes(segs, open))
	case FormatXLIFF12:
		return xliff.Write12(w, a, unsaidFlags(segs, open), a.Title+": "+c.String(), qaNotes(segs, open))
	case FormatTMX:
		return writeArticleTMX(w, a, segs, c)
	}
	return translate.ErrInvalid.Errorf("format %q", f)
}

// unsaidFlags are segs with the flags an open finding already says (a glossary finding is
// also a flag) left out, so that XLIFF says each once.
func unsaidFlags(segs []translate.Segment, open map[int64][]qa.Finding) []translate.Segment {
	out := make([]translate.Segment, len(segs))
	for i, g := range segs {
		out[i] = g
		if len(open[g.ID]) == 0 {
			continue
		}
		said := map[string]bool{}
		for _, f := range open[g.ID] {
			said[f.Message] = true
		}
		out[i].Flags = nil
		for _, f := range g.Flags {
			if !said[f] {
				out[i].Flags = append(out[i].Flags, f)
			}
		}
	}
	return out
}

// qaNotes are the XLIFF notes of the open findings, by segment id: "error number: …".
func qaNotes(segs []translate.Segment, open map[int64][]qa.Finding) map[int64][]string {
	out := map[int64][]string{}
	for _, g := range segs {
		if g.Status == translate.StatusExcluded {
			continue
		}
		for _, f := range open[g.ID] {
			out[g.ID] = append(out[g.ID], string(f.Severity)+" "+f.Check+": "+f.Message)
		}
	}
	return out
}

// reviewCounts sorts an article's segments by how far review has got, for the export headers.
type reviewCounts struct {
	Total        int // every segment, excluded ones included
	Approved     int
	Edited       int // changed by a reviewer, not approved
	Unreviewed   int // machine, memory, draft or failed text nobody has looked at
	Untranslated int // no English at all
	Excluded     int
	Findings     int // open findings of the quality checks on the exported segments
	Errors       int // those of them that are errors
}

func countReview(segs []translate.Segment, open map[int64][]qa.Finding) reviewCounts {
	var c reviewCounts
	for _, g := range segs {
		c.Total++
		if g.Status != translate.StatusExcluded {
			for _, f := range open[g.ID] {
				c.Findings++
				if f.Severity == qa.Error {
					c.Errors++
				}
			}
		}
		switch {
		case g.Status == translate.StatusExcluded:
			c.Excluded++
		case g.Status == translate.StatusApproved:
			c.Approved++
		case strings.TrimSpace(g.Target) == "":
			c.Untranslated++
		case g.Status == translate.StatusEdited:
			c.Edited++
		default:
			c.Unreviewed++
		}
	}
	return c
}

// Final reports whether every segment that is exported is approved.
func (c reviewCounts) Final() bool { return c.Approved+c.Excluded == c.Total }

// String is the one-line summary every export carries; it starts with "DRAFT" whenever a
// segment is not approved, and says so loudest when none is. Open findings of the quality
// checks are counted last.
func (c reviewCounts) String() string {
	excluded := ""
	if c.Excluded > 0 {
		excluded = "; " + translate.Plural(c.Excluded, "excluded segment") + " left out"
	}
	findings := ""
	if c.Findings > 0 {
		findings = "; " + translate.Plural(c.Findings, "open quality check finding")
		if c.Errors > 0 {
			findings += " (" + translate.Plural(c.Errors, "error") + ")"
		}
	}
	if c.Final() {
		if c.Approved == 1 {
			return "The one segment is approved" + excluded + findings + "."
		}
		return fmt.Sprintf("All %d segments approved%s%s.", c.Approved, excluded, findings)
	}
	var b strings.Builder
	if c.Approved == 0 {
		b.WriteString("DRAFT, NOT REVIEWED: no segment is approved")
	} else {
		fmt.Fprintf(&b, "DRAFT: %d of %s approved", c.Approved, translate.Plural(c.Total-c.Excluded, "segment"))
	}
	if c.Edited > 0 {
		fmt.Fprintf(&b, "; %d edited but not approved", c.Edited)
	}
	if c.Unreviewed > 0 {
		fmt.Fprintf(&b, "; %d unreviewed (machine, memory or draft text)", c.Unreviewed)
	}
	if c.Untranslated > 0 {
		fmt.Fprintf(&b, "; %d untranslated", c.Untranslated)
	}
	b.WriteString(excluded)
	b.WriteString(findings)
	b.WriteString(".")
	return b.String()
}

// Inline markers of the English article: text that no reviewer has approved or edited never
// passes for a reviewed translation, and a missing translation shows the Arabic it stands for.
const (
	unreviewedMark   = "[unreviewed] "
	untranslatedMark = "[untranslated] "
)

// englishExport renders the English article as plain text or Markdown: each segment's target
// followed by its original separator, so paragraphs and line breaks stay where the Arabic had
// them. Excluded segments are left out; a draft starts with the summary line.
func englishExport(f Format, segs []translate.Segment, c reviewCounts) string {
	text, mark := func(s string) string { return s }, func(s string) string { return s }
	if f == FormatMD {
		text = mdEscape
		mark = func(s string) string { return "*" + mdEscape(s) + "*" }
	}
	var b strings.Builder
	for _, g := range segs {
		if g.Status == translate.StatusExcluded {
			// Keep the paragraph break an excluded line stood for, without stacking breaks.
			if want := strings.Count(g.Sep, "\n"); want > 0 {
				have := len(b.String()) - len(strings.TrimRight(b.String(), "\n"))
				b.WriteString(strings.Repeat("\n", max(0, min(want, 2)-have)))
			}
			continue
		}
		switch {
		case strings.TrimSpace(g.Target) == "":
			b.WriteString(mark(untranslatedMark + g.Source))
		case g.Status == translate.StatusApproved || g.Status == translate.StatusEdited:
			b.WriteString(text(g.Target))
		default:
			b.WriteString(mark(unreviewedMark + g.Target))
		}
		b.WriteString(g.Sep)
	}
	body := trimLineEnds(strings.Trim(b.String(), "\n"))
	if f == FormatMD {
		body = mdLineBreaks(mdLineStarts(body))
	}
	if c.Final() { // a final text is for publishing: no banner
		return body + "\n"
	}
	var hints []string
	if c.Unreviewed > 0 {
		hints = append(hints, "Unreviewed text is marked [unreviewed]")
	}
	if c.Untranslated > 0 {
		hints = append(hints, "missing English shows the Arabic, marked [untranslated]")
	}
	hint := ""
	if len(hints) > 0 {
		h := strings.Join(hints, "; ")
		hint = " " + strings.ToUpper(h[:1]) + h[1:] + "."
	}
	if f == FormatMD {
		return "> **" + mdEscape(c.String()) + "**" + mdEscape(hint) + "\n\n" + body + "\n"
	}
	return "[" + c.String() + hint + "]\n\n" + body + "\n"
}

// trimLineEnds drops the spaces a left-out segment can leave at the end of a line.
func trimLineEnds(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " \t\r")
	}
	return strings.Join(lines, "\n")
}

// mdLineBreaks keeps the source's single line breaks in Markdown, which would otherwise
// join the lines into one: a line followed by another line of the same paragraph ends in
// two spaces, the hard line break every Markdown dialect knows. Blank lines already
// separate paragraphs.
func mdLineBreaks(s string) string {
	lines := strings.Split(s, "\n")
	for i := 0; i+1 < len(lines); i++ {
		if lines[i] != "" && lines[i+1] != "" {
			lines[i] += "  "
		}
	}
	return strings.Join(lines, "\n")
}

// mdListStart is what makes a line a Markdown list item ("- ", "+ ", "1. ", "2) ") or a
// setext heading underline or rule (a line of = or -): group 2 is the marker, whose last character
// gets the backslash.
var mdListStart = regexp.MustCompile(`^([ \t]*)([-+]|[0-9]+[.)]|=)([ \t]|$|[-=]*[ \t]*$)`)

// mdLineStarts escapes what would turn an English line that begins "1. " or "- " into a
// list (or a heading): a translation is text, never structure.
func mdLineStarts(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		if m := mdListStart.FindStringSubmatchIndex(l); m != nil {
			marker := l[m[4]:m[5]]
			last := len(marker) - 1
			lines[i] = l[:m[4]] + marker[:last] + `\` + marker[last:] + l[m[5]:]
		}
	}
	return strings.Join(lines, "\n")
}

// mdEscape backslash-escapes the ASCII punctuation Markdown would read as markup or raw HTML.
var mdEscape = strings.NewReplacer(
	`\`, `\\`, "`", "\\`", "*", `\*`, "_", `\_`, "[", `\[`, "]", `\]`,
	"<", `\<`, ">", `\>`, "#", `\#`, "|", `\|`, "~", `\~`,
).Replace

// htmlExport is the bilingual side-by-side document; html/template escapes every text.
var htmlExport = template.Must(template.New("export").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Tarjama">
<title>{{.Title}}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 75rem; padding: 0 1rem; color: #1d2430; }
.summary { padding: .6rem .8rem; border-radius: 4px; background: #e8f5e9; }
.summary.draft { background: #fff3cd; font-weight: bold; }
table { border-collapse: collapse; width: 100%; }
th, td { border-bottom: 1px solid #d7dce3; padding: .5rem .6rem; vertical-align: top; text-align: left; }
tr.para td { border-top: 2px solid #8a94a6; }
th.ar-head { width: 45%; }
td.ar { text-align: right; font-family: "Noto Naskh Arabic", "Amiri", serif; font-size: 1.15em; line-height: 1.9; width: 45%; }
td.en { width: 45%; }
td.idx, td.status { color: #5b6475; font-size: .85em; white-space: nowrap; }
tr.unreviewed td.en, tr.untranslated td.en { background: #fff8e1; }
.missing { color: #a33; font-style: italic; }
</style>
</head>
<body>
<header>
<h1 lang="ar" dir="rtl">{{.Title}}</h1>
<p class="summary{{if not .Counts.Final}} draft{{end}}" id="summary">{{.Counts.String}}</p>
</header>
<table>
<thead><tr><th>#</th><th class="ar-head">Arabic</th><th>English</th><th>Status</th></tr></thead>
<tbody>
{{range .Rows}}<tr id="seg-{{.ID}}" class="{{.Class}}{{if .NewParagraph}} para{{end}}" data-status="{{.Status}}"><td class="idx">{{.Index}}</td><td class="ar" dir="rtl" lang="ar">{{.Source}}</td><td class="en" lang="en">{{if .Target}}{{.Target}}{{else}}<span class="missing">[untranslated]</span>{{end}}</td><td class="status">{{.Label}}</td></tr>
{{end}}</tbody>
</table>
</body>
</html>
`))

type htmlExportRow struct {
	ID           int64
	Index        int // 1-based, as readers count
	Source       string
	Target       string
	Status       translate.Status
	Class        string // approved, edited, unreviewed or untranslated
	Label        string
	NewParagraph bool
}

func writeHTMLExport(w io.Writer, a translate.Article, segs []translate.Segment, c reviewCounts) error {
	rows := make([]htmlExportRow, 0, len(segs))
	para := -1
	for _, g := range segs {
		if g.Status == translate.StatusExcluded {
			continue
		}
		r := htmlExportRow{ID: g.ID, Index: g.Index + 1, Source: g.Source, Target: strings.TrimSpace(g.Target), Status: g.Status,
			NewParagraph: para >= 0 && g.Paragraph != para}
		para = g.Paragraph
		switch {
		case g.Status == translate.StatusApproved:
			r.Class, r.Label = "approved", "approved"
		case r.Target == "":
			r.Class, r.Label = "untranslated", "untranslated"
		case g.Status == translate.StatusEdited:
			r.Class, r.Label = "edited", "edited, not approved"
		default:
			r.Class, r.Label = "unreviewed", "unreviewed "+exportOrigin(g.Status)
		}
		rows = append(rows, r)
	}
	var buf bytes.Buffer
	if err := htmlExport.Execute(&buf, map[string]any{"Title": a.Title, "Counts": c, "Rows": rows}); err != nil {
		return fmt.Errorf("html export: %w", err)
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// exportOrigin names where unreviewed English came from.
func exportOrigin(s translate.Status) string {
	switch s {
	case translate.StatusTM:
		return "memory match"
	case translate.StatusDraft:
		return "offline draft"
	case translate.StatusFailed:
		return "machine (last run failed)"
	}
	return "machine translation"
}

// writeArticleTMX writes the article's approved pairs, the Arabic and the English exactly as
// stored (white space and all, as the memory keeps them); unapproved English, and an approved
// target of only white space, is never exported as a translation memory.
func writeArticleTMX(w io.Writer, a translate.Article, segs []translate.Segment, c reviewCounts) error {
	var pairs []tmx.Pair
	for _, g := range segs {
		if g.Status == translate.StatusApproved && strings.TrimSpace(g.Target) != "" {
			pairs = append(pairs, tmx.Pair{Source: g.Source, Target: g.Target, Origin: "approved", Created: g.UpdatedAt})
		}
	}
	return tmx.Write(w, pairs, fmt.Sprintf("no approved pairs in article %d (%s)", a.ID, c))
}
