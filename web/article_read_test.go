package web

import (
	"fmt"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// TestPages_ReadingView: the reading view puts each paragraph's Arabic (right to left) beside
// its assembled English, leaves excluded segments out, and marks the sentences nobody has
// reviewed with a class and a text label; user text is escaped.
func TestPages_ReadingView(t *testing.T) {
	e := newTestEnv(t)
	ctx := t.Context()
	a := e.article(t, "", "عنوان المقال\n\nقال ريابكوف إن موسكو مستعدة. وأضاف أن الضمانات ضرورية!\n\nاقرأ أيضا: روابط\n\nوختم بأن الحوار مستمر.\n")
	segs := e.segments(t, a.ID)
	if _, err := e.articles.ApplyMachine(ctx, []store.MachineOutput{
		{SegmentID: segs[0].ID, Target: "The title", Status: translate.StatusMachine},
		{SegmentID: segs[2].ID, Target: "He added <guarantees> & more!", Status: translate.StatusMachine},
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.Approve(ctx, segs[1].ID, "Ryabkov said Moscow is ready.", 1, "mona"); err != nil {
		t.Fatal(err)
	}
	if _, err := e.articles.SetExcluded(ctx, segs[3].ID, true, 1, "mona"); err != nil {
		t.Fatal(err)
	}
	resp, page := e.getPage(t, fmt.Sprintf("/articles/%d/read", a.ID), false)
	if resp.StatusCode != 200 {
		t.Fatalf("GET read = %d\n%s", resp.StatusCode, page)
	}
	doc, err := html.Parse(strings.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	paras := findNodes(doc, func(n *html.Node) bool { return n.Data == "div" && htmlAttr(n, "class") == "reading-para" })
	if len(paras) != 3 {
		t.Fatalf("%d paragraphs, want 3 (title, two sentences, the last; the excluded line left out)", len(paras))
	}
	ar := findNodes(paras[1], func(n *html.Node) bool {
		return n.Data == "p" && htmlAttr(n, "dir") == "rtl" && htmlAttr(n, "lang") == "ar"
	})
	en := findNodes(paras[1], func(n *html.Node) bool { return n.Data == "p" && htmlAttr(n, "lang") == "en" })
	if len(ar) != 1 || len(en) != 1 {
		t.Fatalf("paragraph 2 has %d Arabic and %d English columns", len(ar), len(en))
	}
	if got := nodeText(ar[0]); !strings.Contains(got, "قال ريابكوف إن موسكو مستعدة. وأضاف أن الضمانات ضرورية!") {
		t.Errorf("Arabic of paragraph 2 = %q", got)
	}
	if got := strings.Join(strings.Fields(nodeText(en[0])), " "); got != "Ryabkov said Moscow is ready. unreviewed He added <guarantees> & more!" {
		t.Errorf("English of paragraph 2 = %q", got)
	}
	sents := findNodes(en[0], func(n *html.Node) bool { return n.Data == "span" && strings.HasPrefix(htmlAttr(n, "class"), "sent ") })
	if len(sents) != 2 || htmlAttr(sents[0], "class") != "sent approved" || htmlAttr(sents[1], "class") != "sent unreviewed" ||
		!strings.Contains(htmlAttr(sents[1], "title"), "#3: unreviewed") {
		t.Errorf("sentence classes: %q %q", htmlAttr(sents[0], "class"), htmlAttr(sents[1], "class"))
	}
	last := strings.Join(strings.Fields(nodeText(findNodes(paras[2], func(n *html.Node) bool { return n.Data == "p" && htmlAttr(n, "lang") == "en" })[0])), " ")
	if last != "untranslated" {
		t.Errorf("English of the untranslated last paragraph = %q, want its label", last)
	}
	if strings.Contains(page, "اقرأ أيضا") || strings.Contains(page, "<guarantees>") {
		t.Error("the excluded line is shown, or user text is not escaped")
	}
	if !strings.Contains(page, "3 of the sentences below are not reviewed yet") {
		t.Error("the page does not say how many sentences are not reviewed")
	}
	if resp, _ := e.getPage(t, "/articles/999/read", false); resp.StatusCode != 404 {
		t.Errorf("reading view of a missing article = %d", resp.StatusCode)
	}
}
