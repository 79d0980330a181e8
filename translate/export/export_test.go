package export

import (
	"bytes"
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/tmx"
	"github.com/tarjama/tarjama/translate/xliff"
	"golang.org/x/net/html"
)

func export(tb testing.TB, f Format, a translate.Article, segs []translate.Segment) string {
	tb.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, f, a, segs, nil); err != nil {
		tb.Fatalf("Write(%s): %v", f, err)
	}
	return buf.String()
}

func TestParseFormat(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Format
		ok   bool
	}{
		{"txt", FormatTXT, true}, {"MD", FormatMD, true}, {" html ", FormatHTML, true},
		{"xliff", FormatXLIFF, true}, {"xlf", FormatXLIFF, true}, {"XLIFF12", FormatXLIFF12, true}, {"xliff1.2", FormatXLIFF12, true}, {"tmx", FormatTMX, true},
		{"pdf", "", false}, {"", "", false},
	} {
		got, err := ParseFormat(tc.in)
		if got != tc.want || (err == nil) != tc.ok {
			t.Errorf("ParseFormat(%q) = %q, %v", tc.in, got, err)
		}
	}
}

func TestExport_TXT(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	got := export(t, FormatTXT, a, segs)
	want := "[DRAFT: 1 of 4 segments approved; 1 edited but not approved; 1 unreviewed (machine, memory or draft text); 1 untranslated; 1 excluded segment left out. Unreviewed text is marked [unreviewed]; missing English shows the Arabic, marked [untranslated].]\n\n" +
		"The article's title\n\n" +
		storetest.ScriptTarget + " [unreviewed] He added that security guarantees are essential!\n\n" +
		"[untranslated] وختم بأن الحوار مستمر.\n"
	if got != want {
		t.Errorf("txt export:\n got %q\nwant %q", got, want)
	}
}

func TestExport_MD(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	got := export(t, FormatMD, a, segs)
	for _, want := range []string{
		"> **DRAFT: 1 of 4 segments approved;",
		"\n\nThe article's title\n\n",
		`He said \<script\>alert("x")\</script\> & 'Moscow' is ready. *\[unreviewed\] He added that security guarantees are essential!*`,
		`*\[untranslated\] وختم بأن الحوار مستمر.*`,
	} {
		if !strings.Contains(got, want) {
			t.Errorf("md export lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "اقرأ") || strings.Contains(got, "<script>") {
		t.Errorf("md export has the excluded line or raw markup:\n%s", got)
	}
}

func TestExport_AllApprovedHasNoDraftMarker(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	ctx := context.Background()
	a, segs := storetest.Sample(t, s)
	for i, g := range segs {
		if _, err := s.Approve(ctx, g.ID, []string{"Russia: Donetsk and Luhansk asked for our help", "Ryabkov said Moscow is ready for dialogue.", "He added that security guarantees are essential!"}[i], 1, "rev"); err != nil {
			t.Fatal(err)
		}
	}
	segs, _ = s.Segments(ctx, a.ID)
	if got, want := export(t, FormatTXT, a, segs), "Russia: Donetsk and Luhansk asked for our help\n\nRyabkov said Moscow is ready for dialogue. He added that security guarantees are essential!\n"; got != want {
		t.Errorf("txt export of an approved article:\n got %q\nwant %q", got, want)
	}
	if got := export(t, FormatHTML, a, segs); !strings.Contains(got, "All 3 segments approved.") {
		t.Errorf("html export of an approved article has no final summary:\n%s", got)
	}
}

func TestExport_NoApprovedSegments(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Sample(t, s)
	const marker = "DRAFT, NOT REVIEWED: no segment is approved; 3 untranslated."
	for _, f := range []Format{FormatTXT, FormatMD, FormatHTML} {
		if got := export(t, f, a, segs); !strings.Contains(got, marker) {
			t.Errorf("%s export of an unreviewed article lacks %q:\n%s", f, marker, got)
		}
	}
	for _, f := range []Format{FormatXLIFF, FormatXLIFF12} {
		out := export(t, f, a, segs)
		if !strings.Contains(out, marker) {
			t.Errorf("%s export of an unreviewed article lacks %q:\n%s", f, marker, out)
		}
		doc, err := xliff.Read(strings.NewReader(out), "export.xlf")
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range doc.Units {
			if u.State > xliff.StateInitial || u.HasTarget {
				t.Errorf("%s unit %s of an untranslated article: state %s, target %q", f, u.ID, u.State, u.Target)
			}
		}
	}
	out := export(t, FormatTMX, a, segs)
	read, err := tmx.Read(strings.NewReader(out), "export.tmx")
	if err != nil {
		t.Fatal(err)
	}
	if read.Units != 0 || !strings.Contains(out, "<body>\n    <!-- no approved pairs in article 1 (DRAFT, NOT REVIEWED") {
		t.Errorf("tmx export of an unreviewed article: %d units, want an empty body with a comment:\n%s", read.Units, out)
	}
}

func TestExport_HTML(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	out := export(t, FormatHTML, a, segs)
	doc, err := html.Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if n := findAll(doc, func(n *html.Node) bool { return n.Data == "script" }); len(n) != 0 {
		t.Fatalf("the html export has %d <script> elements; the reviewer's markup was not escaped:\n%s", len(n), out)
	}
	summary := findAll(doc, func(n *html.Node) bool { return attrOf(n, "id") == "summary" })
	if len(summary) != 1 || !strings.HasPrefix(textOf(summary[0]), "DRAFT: 1 of 4 segments approved;") || !strings.Contains(attrOf(summary[0], "class"), "draft") {
		t.Fatalf("summary = %v", summary)
	}
	rows := findAll(doc, func(n *html.Node) bool { return n.Data == "tr" && strings.HasPrefix(attrOf(n, "id"), "seg-") })
	want := []struct{ ar, en, status string }{
		{segs[0].Source, "The article's title", "approved"},
		{segs[1].Source, storetest.ScriptTarget, "edited"},
		{segs[2].Source, "He added that security guarantees are essential!", "machine"},
		{segs[4].Source, "[untranslated]", "untranslated"},
	}
	if len(rows) != len(want) {
		t.Fatalf("html export has %d rows, want %d (the excluded segment left out)", len(rows), len(want))
	}
	for i, r := range rows {
		cells := findAll(r, func(n *html.Node) bool { return n.Data == "td" })
		ar, en := cells[1], cells[2]
		if attrOf(ar, "dir") != "rtl" || attrOf(ar, "lang") != "ar" || attrOf(en, "lang") != "en" {
			t.Errorf("row %d: Arabic cell dir=%q lang=%q, English lang=%q", i, attrOf(ar, "dir"), attrOf(ar, "lang"), attrOf(en, "lang"))
		}
		if textOf(ar) != want[i].ar || textOf(en) != want[i].en || attrOf(r, "data-status") != want[i].status {
			t.Errorf("row %d = %q | %q | %s, want %q | %q | %s", i, textOf(ar), textOf(en), attrOf(r, "data-status"), want[i].ar, want[i].en, want[i].status)
		}
	}
	if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Moscow&#39;") ||
		!strings.Contains(out, "&lt;موسكو&gt; &amp; &#34;الغرب&#34;") {
		t.Errorf("html export does not escape <, &, quotes:\n%s", out)
	}
	if !strings.Contains(attrOf(rows[3], "class"), "para") {
		t.Errorf("the last paragraph's row is not marked as a new paragraph: %q", attrOf(rows[3], "class"))
	}
}

// TestExport_XLIFF: both versions carry the review summary, one group per paragraph, the
// segment numbers people count, xml:space="preserve", each status in the state other tools
// read (machine English as needing review), flags as notes, the segment versions that bring
// the file back, and escaped text.
func TestExport_XLIFF(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	for _, tc := range []struct {
		format  Format
		version string
		want    []string // in the file, in this order
	}{
		{FormatXLIFF, "2.0", []string{
			`<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.0" srcLang="ar" trgLang="en" xml:space="preserve">`,
			`<note category="tarjama-review">`, "DRAFT: 1 of 4 segments approved",
			`<group id="p1" name="paragraph 1">`, `<unit id="` + strconv.FormatInt(segs[0].ID, 10) + `" name="segment 1">`,
			`<segment state="final" subState="tarjama:approved">`,
			`<group id="p2" name="paragraph 2">`, `<segment state="translated" subState="tarjama:edited">`,
			`<note category="tarjama-flag" appliesTo="target">glossary: check &lt;this&gt; &amp; that</note>`,
			`<segment state="initial" subState="tarjama:machine">`, `<target>He added that security guarantees are essential!</target>`,
			`name="segment 4" translate="no">`, `<segment state="initial" subState="tarjama:excluded">`,
			`name="segment 5">`, `<segment state="initial" subState="tarjama:untranslated">`,
		}},
		{FormatXLIFF12, "1.2", []string{
			`<xliff xmlns="urn:oasis:names:tc:xliff:document:1.2" version="1.2">`,
			`<file original="article.txt" source-language="ar" target-language="en" datatype="plaintext" tool-id="tarjama" xml:space="preserve">`,
			`<note from="Tarjama" annotates="general">`, "DRAFT: 1 of 4 segments approved",
			`<group id="p1" resname="paragraph 1">`, `resname="segment 1" approved="yes"`, `<target state="final">The article&#39;s title</target>`,
			`<group id="p2" resname="paragraph 2">`, `<target state="translated">`,
			`<target state="needs-review-translation" state-qualifier="mt-suggestion">He added that security guarantees are essential!</target>`,
			`<note from="Tarjama" annotates="target">glossary: check &lt;this&gt; &amp; that</note>`,
			`resname="segment 4" translate="no"`, `resname="segment 5"`,
		}},
	} {
		t.Run(string(tc.format), func(t *testing.T) {
			out := export(t, tc.format, a, segs)
			if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
				t.Errorf("no XML declaration: %.60q", out)
			}
			rest := out
			for _, w := range tc.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("the export lacks %s (or has it out of order):\n%s", w, out)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(out, "<notes></notes>") {
				t.Errorf("xliff has an empty <notes> (XLIFF needs at least one note):\n%s", out)
			}
			if !strings.Contains(out, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &#39;Moscow&#39;") {
				t.Errorf("xliff does not escape the target:\n%s", out)
			}
			doc, err := xliff.Read(strings.NewReader(out), "export.xlf")
			if err != nil {
				t.Fatalf("read back: %v\n%s", err, out)
			}
			if doc.Version != tc.version || doc.Article != a.ID || doc.Skipped != 1 || len(doc.Units) != 4 {
				t.Fatalf("read back version %s, article %d, %d skipped, %d units; want %s, %d, 1, 4", doc.Version, doc.Article, doc.Skipped, len(doc.Units), tc.version, a.ID)
			}
			for i, u := range doc.Units { // the excluded segment and its paragraph are left out
				g := segs[[]int{0, 1, 2, 4}[i]]
				want := xliff.Meta{Article: a.ID, Segment: g.ID, Version: g.Version, Target: xliff.Fingerprint(g.Target)}
				if *u.Meta != want || u.Source != g.Source || u.Target != strings.TrimSpace(g.Target) || u.Paragraph != []int{0, 1, 1, 2}[i] {
					t.Errorf("unit %d = %+v %+v, want %+v for %+v", i, u, *u.Meta, want, g)
				}
			}
		})
	}
}

func TestExport_TMX(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	out := export(t, FormatTMX, a, segs)
	for _, want := range []string{`<tmx version="1.4">`, `<header creationtool="Tarjama" creationtoolversion="1" datatype="plaintext" segtype="sentence" adminlang="en" srclang="ar" o-tmf="tarjama"></header>`, `<tuv xml:lang="ar">`} {
		if !strings.Contains(out, want) {
			t.Errorf("tmx lacks %q:\n%s", want, out)
		}
	}
	read, err := tmx.Read(strings.NewReader(out), "article.tmx")
	if err != nil {
		t.Fatalf("parse back: %v\n%s", err, out)
	}
	if read.Units != 1 || len(read.Pairs) != 1 || read.Pairs[0].Source != segs[0].Source || read.Pairs[0].Target != "The article's title" {
		t.Fatalf("tmx export holds %+v, want only the approved pair", read)
	}
	if read.Pairs[0].Created.IsZero() || read.Pairs[0].Origin != "approved" {
		t.Errorf("pair lost its date or origin: %+v", read.Pairs[0])
	}
}

// TestExport_TMXKeepsTextExactly: an approved pair goes out as stored, its leading and
// trailing spaces, tabs and line breaks kept in the Arabic and the English alike; an approved
// target of only white space is no translation and stays out.
func TestExport_TMXKeepsTextExactly(t *testing.T) {
	at := time.Date(2024, 3, 5, 9, 30, 0, 0, time.UTC)
	segs := []translate.Segment{
		{ID: 1, Source: "  قال الوزير:\tالمحادثات مستمرة.\n", Target: " The minister said:\ttalks go on.\n\n", Status: translate.StatusApproved, UpdatedAt: at},
		{ID: 2, Index: 1, Source: "وأضاف أن الوفد وصل.", Target: " \t\n", Status: translate.StatusApproved, UpdatedAt: at},
		{ID: 3, Index: 2, Source: "نص آخر.", Target: "  Not approved.  ", Status: translate.StatusEdited, UpdatedAt: at},
	}
	out := export(t, FormatTMX, translate.Article{ID: 4, Title: "عنوان"}, segs)
	read, err := tmx.Read(strings.NewReader(out), "exact.tmx")
	if err != nil {
		t.Fatalf("parse back: %v\n%s", err, out)
	}
	if len(read.Pairs) != 1 || read.Pairs[0].Source != segs[0].Source || read.Pairs[0].Target != segs[0].Target {
		t.Fatalf("pairs %+v, want only the first segment's, exactly as stored:\n%s", read.Pairs, out)
	}
	if !read.Pairs[0].Created.Equal(at) {
		t.Errorf("created %s, want %s", read.Pairs[0].Created, at)
	}
}

func TestExport_FileNames(t *testing.T) {
	a := translate.Article{ID: 7}
	for f, want := range map[Format]string{
		FormatTXT: "tarjama-article-7.en.txt", FormatMD: "tarjama-article-7.en.md", FormatHTML: "tarjama-article-7.ar-en.html",
		FormatXLIFF: "tarjama-article-7.ar-en.xlf", FormatXLIFF12: "tarjama-article-7.ar-en.xliff12.xlf", FormatTMX: "tarjama-article-7.ar-en.tmx",
	} {
		if got := FileName(a, f); got != want {
			t.Errorf("FileName(%s) = %q, want %q", f, got, want)
		}
	}
}

func findAll(n *html.Node, pred func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && pred(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func attrOf(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

// TestExport_MDKeepsLineBreaks: a single line break of the source stays a line break once the
// Markdown is rendered (two trailing spaces), a blank line stays a paragraph break.
func TestExport_MDKeepsLineBreaks(t *testing.T) {
	s := storetest.New(migrationstest.Open(t))
	ctx := context.Background()
	a, err := s.CreateArticle(ctx, "t", "موسكو\nالخميس\n\nقال ريابكوف. وأضاف.\nوختم.", "")
	if err != nil {
		t.Fatal(err)
	}
	segs, err := s.Segments(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	english := []string{"Moscow", "Thursday", "Ryabkov said.", "He added.", "He ended."}
	if len(segs) != len(english) {
		t.Fatalf("%d segments, want %d", len(segs), len(english))
	}
	for i, g := range segs {
		if _, err := s.Approve(ctx, g.ID, english[i], g.Version, "rev"); err != nil {
			t.Fatal(err)
		}
	}
	if segs, err = s.Segments(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		f    Format
		want string
	}{
		{FormatMD, "Moscow  \nThursday\n\nRyabkov said. He added.  \nHe ended.\n"},
		{FormatTXT, "Moscow\nThursday\n\nRyabkov said. He added.\nHe ended.\n"},
	} {
		if got := export(t, c.f, a, segs); got != c.want {
			t.Errorf("%s export:\n got %q\nwant %q", c.f, got, c.want)
		}
	}
}

// TestMDLineStarts: an English line that begins like a list item or a heading underline is
// escaped so Markdown shows it as the text it is; the same characters inside a line stay.
func TestMDLineStarts(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"1. Moscow said", `1\. Moscow said`},
		{"2014) was the year", `2014\) was the year`},
		{"- no, he said", `\- no, he said`},
		{"+ and more", `\+ and more`},
		{"  - indented", `  \- indented`},
		{"===", `\===`},
		{"= x", `\= x`},
		{"---", `\---`},
		{"==x", "==x"},
		{"-", `\-`},
		{"The 1. and - stay", "The 1. and - stay"},
		{"-5 degrees", "-5 degrees"},
		{"1.5 million", "1.5 million"},
		{"a\n1. b", "a\n" + `1\. b`},
	} {
		if got := mdLineStarts(c.in); got != c.want {
			t.Errorf("mdLineStarts(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestExport_OpenFindings: a draft's summary counts the open findings of the quality checks,
// and XLIFF carries each as a note on its unit, a flag the finding already says only once.
func TestExport_OpenFindings(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	number := qa.Finding{Check: qa.Number, Severity: qa.Error, Message: "the English has 2, which the Arabic lacks", Target: [2]int{3, 4}}
	spacing := qa.Finding{Check: qa.Spacing, Severity: qa.Warning, Message: "a double space", Target: [2]int{8, 10}}
	glossary := qa.Finding{Check: qa.Glossary, Severity: qa.Error, Message: "glossary: check <this> & that"}
	excluded := qa.Finding{Check: qa.Number, Severity: qa.Error, Message: "not exported"}
	open := map[int64][]qa.Finding{segs[1].ID: {number, spacing}, segs[2].ID: {glossary}, segs[3].ID: {excluded}}
	write := func(f Format) string {
		t.Helper()
		var buf bytes.Buffer
		if err := Write(&buf, f, a, segs, open); err != nil {
			t.Fatal(err)
		}
		return buf.String()
	}
	const count = "; 1 excluded segment left out; 3 open quality check findings (2 errors)."
	for _, f := range []Format{FormatTXT, FormatMD, FormatHTML} {
		if got := write(f); !strings.Contains(got, count) {
			t.Errorf("%s summary lacks %q:\n%s", f, count, got)
		}
	}
	// Each unit's notes, in order: the flags no finding says, then the findings; the excluded
	// segment's finding is not exported.
	unit := func(g translate.Segment) string { return `id="` + strconv.FormatInt(g.ID, 10) + `"` }
	for _, tc := range []struct {
		format Format
		want   []string
	}{
		{FormatXLIFF, []string{count + "</note>", unit(segs[1]),
			`<note category="tarjama-qa" appliesTo="target">error number: the English has 2, which the Arabic lacks</note>`,
			`<note category="tarjama-qa" appliesTo="target">warning spacing: a double space</note>`, unit(segs[2]),
			`<note category="tarjama-qa" appliesTo="target">error glossary: glossary: check &lt;this&gt; &amp; that</note>`, unit(segs[3])}},
		{FormatXLIFF12, []string{count + "</note>", unit(segs[1]),
			`<note from="Tarjama quality checks" annotates="target">error number: the English has 2, which the Arabic lacks</note>`,
			`<note from="Tarjama quality checks" annotates="target">warning spacing: a double space</note>`, unit(segs[2]),
			`<note from="Tarjama quality checks" annotates="target">error glossary: glossary: check &lt;this&gt; &amp; that</note>`, unit(segs[3])}},
	} {
		out := write(tc.format)
		rest := out
		for _, w := range tc.want {
			i := strings.Index(rest, w)
			if i < 0 {
				t.Fatalf("%s export lacks %s (or has it out of order):\n%s", tc.format, w, out)
			}
			rest = rest[i+len(w):]
		}
		if strings.Contains(out, "tarjama-flag") || strings.Contains(out, `from="Tarjama" annotates="target"`) || strings.Contains(rest, "not exported") {
			t.Errorf("%s export says a flag a finding says, or the excluded segment's finding:\n%s", tc.format, out)
		}
	}

	// Approved with an open warning: the count is in the summary, the text stays clean.
	for _, g := range segs {
		if g.Status == translate.StatusApproved || g.Status == translate.StatusExcluded {
			continue
		}
		if _, err := s.Approve(ctx, g.ID, "Text.", g.Version, "rev"); err != nil {
			t.Fatal(err)
		}
	}
	segs, _ = s.Segments(ctx, a.ID)
	open = map[int64][]qa.Finding{segs[1].ID: {spacing}}
	if got := write(FormatTXT); strings.Contains(got, "[") || strings.Contains(got, "finding") {
		t.Errorf("final txt export has a banner:\n%s", got)
	}
	if got := write(FormatHTML); !strings.Contains(got, "All 4 segments approved; 1 excluded segment left out; 1 open quality check finding.") {
		t.Errorf("final html summary lacks the open warning:\n%s", got)
	}
}
