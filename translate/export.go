package translate

import (
	"fmt"
	"io"
	"strings"
)

// Export formats an article's English for download.
type Format string

// Export formats; XLIFF and TMX come with the review workflow.
const (
	FormatTXT Format = "txt"
	FormatMD  Format = "md"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatTXT, FormatMD:
		return f, nil
	}
	return "", fmt.Errorf("%w: format: %q is not one of txt, md", ErrInvalid, s)
}

// unreviewedMark prefixes English that no reviewer has approved or edited, so an export of
// unfinished work never passes for a reviewed translation.
const unreviewedMark = "[unreviewed] "

// englishText renders the English article: each segment's target followed by its original
// separator, so paragraphs and line breaks stay where the Arabic had them. Excluded segments
// are left out; segments without English show the Arabic in brackets.
func englishText(a Article, segs []Segment, mark func(s string) string) string {
	var b strings.Builder
	for _, g := range segs {
		if g.Status == StatusExcluded {
			if strings.Contains(g.Sep, "\n") {
				b.WriteString(sepNewlines(g.Sep))
			}
			continue
		}
		switch {
		case strings.TrimSpace(g.Target) == "":
			b.WriteString(mark("[untranslated] " + g.Source))
		case g.Status == StatusApproved || g.Status == StatusEdited:
			b.WriteString(g.Target)
		default:
			b.WriteString(mark(unreviewedMark + g.Target))
		}
		b.WriteString(g.Sep)
	}
	return strings.TrimLeft(b.String(), "\n")
}

// sepNewlines keeps only the line breaks of a separator (dropping spaces).
func sepNewlines(sep string) string {
	return strings.Repeat("\n", strings.Count(sep, "\n"))
}

// WriteExport writes the article in the given format.
func WriteExport(w io.Writer, f Format, a Article, segs []Segment) error {
	var out string
	switch f {
	case FormatTXT:
		out = englishText(a, segs, func(s string) string { return s })
	case FormatMD:
		body := englishText(a, segs, func(s string) string { return "*" + mdEscape(s) + "*" })
		out = "<!-- Tarjama export of article " + fmt.Sprint(a.ID) + ": " + summary(a) + " -->\n\n" + body
	default:
		return fmt.Errorf("%w: format %q", ErrInvalid, f)
	}
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	_, err := io.WriteString(w, out)
	return err
}

func mdEscape(s string) string {
	return strings.NewReplacer("*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}

func summary(a Article) string {
	p := a.Progress
	return fmt.Sprintf("%d segments, %d approved, %d edited, %d unreviewed", p.Total, p.Approved, p.Edited, p.Total-p.Approved-p.Edited-p.Excluded)
}
