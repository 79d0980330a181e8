package web

import (
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web/auth"
)

// attackText has, in its second segment, a number and a weekday for the checks to compare.
const attackText = "عنوان\n\nقتل ١٧ شخصا في الهجوم يوم الأربعاء.\n"

const (
	wrong71    = "the Arabic has 17 (١٧); the English has 71"
	wrong71Eng = "71 people were killed in the attack on Wednesday."
)

// attackSegment stores attackText and returns its sentence.
func (e *testEnv) attackSegment(t *testing.T) (translate.Article, translate.Segment) {
	t.Helper()
	a := e.article(t, "", attackText)
	return a, e.segments(t, a.ID)[1]
}

// TestQA_APICheck: POST /api/check answers {"source", "target"} with the JSON array of
// findings, the contract `tarjama check --pairs` writes, using the database's glossary.
func TestQA_APICheck(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "الضمانات الأمنية", "security guarantees", "term")
	resp, body := e.send(t, "POST", "/api/check", "application/json",
		[]byte(`{"source": "قتل ١٧ شخصا في الهجوم يوم الأربعاء.", "target": "71 people were killed in the attack on Monday."}`), nil)
	want := `[{"check":"number","severity":"error","message":"the Arabic has 17 (١٧); the English has 71","source":[4,6],"target":[0,2]},` +
		`{"check":"date","severity":"error","message":"the Arabic has الأربعاء (Wednesday); the English has Monday","source":[26,34],"target":[39,45]}]`
	if resp.StatusCode != http.StatusOK || string(body) != want {
		t.Errorf("POST /api/check = %d\n%s\nwant\n%s", resp.StatusCode, body, want)
	}
	var fs []store.Finding
	if resp := e.do(t, "POST", "/api/check", `{"source": "وأضاف أن الضمانات الأمنية ضرورية.", "target": "He added that security assurances were needed."}`, &fs); resp.StatusCode != http.StatusOK ||
		len(fs) != 1 || fs[0].Check != qa.Glossary {
		t.Errorf("the glossary check = %d %+v", resp.StatusCode, fs)
	}
	if resp, body := e.send(t, "POST", "/api/check", "application/json", []byte(`{"source": "نص.", "target": "Text."}`), nil); string(body) != "[]" {
		t.Errorf("a clean pair = %d %s, want []", resp.StatusCode, body)
	}
	for _, c := range []struct {
		ct, body string
		status   int
	}{
		{"application/json", `{"source": "نص"}`, http.StatusBadRequest},
		{"application/json", `{"source": 1, "target": "x"}`, http.StatusBadRequest},
		{"text/plain", `{"source": "نص", "target": "x"}`, http.StatusUnsupportedMediaType},
	} {
		if resp, body := e.send(t, "POST", "/api/check", c.ct, []byte(c.body), nil); resp.StatusCode != c.status || !strings.Contains(string(body), `"error"`) {
			t.Errorf("POST /api/check %s %s = %d %s, want %d", c.ct, c.body, resp.StatusCode, body, c.status)
		}
	}
}

// TestQA_ApproveGateAPI: the API's approval is refused with the open errors (409) until the
// finding is ignored; the ignore is in the history with who and when; another wrong number
// is a new finding, open again.
func TestQA_ApproveGateAPI(t *testing.T) {
	e := newTestEnv(t)
	a, g := e.attackSegment(t)
	var saved translate.Segment
	if resp := e.do(t, "PUT", fmt.Sprintf("/api/segments/%d", g.ID), fmt.Sprintf(`{"target": %q, "version": %d}`, wrong71Eng, g.Version), &saved); resp.StatusCode != 200 {
		t.Fatalf("save = %d", resp.StatusCode)
	}
	approve := fmt.Sprintf("/api/segments/%d/approve", g.ID)
	var refused struct {
		Error    string          `json:"error"`
		Findings []store.Finding `json:"findings"`
	}
	if resp := e.do(t, "POST", approve, "", &refused); resp.StatusCode != http.StatusConflict {
		t.Fatalf("approve with an open error = %d %+v, want 409", resp.StatusCode, refused)
	}
	if len(refused.Findings) != 1 || refused.Findings[0].Message != wrong71 || refused.Findings[0].Source != [2]int{4, 6} ||
		!strings.Contains(refused.Error, "segment #2") || !strings.Contains(refused.Error, "POST /api/segments/:id/ignore") {
		t.Errorf("409 body = %+v", refused)
	}

	var checked []store.Finding
	if resp := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/check", g.ID), "", &checked); resp.StatusCode != 200 || len(checked) != 1 || checked[0].Ignored {
		t.Errorf("check of the stored English = %d %+v", resp.StatusCode, checked)
	}
	if resp := e.do(t, "POST", fmt.Sprintf("/api/segments/%d/check", g.ID), `{"target": "17 people were killed in the attack on Wednesday."}`, &checked); resp.StatusCode != 200 || len(checked) != 0 {
		t.Errorf("check of a corrected English = %d %+v", resp.StatusCode, checked)
	}

	ignore := fmt.Sprintf("/api/segments/%d/ignore", g.ID)
	if resp := e.do(t, "POST", ignore, `{"check": "number", "message": "the Arabic has 17 (١٧); the English has 18"}`, nil); resp.StatusCode != http.StatusConflict {
		t.Errorf("ignoring a finding the text does not have = %d, want 409", resp.StatusCode)
	}
	if resp := e.do(t, "POST", ignore, `{"check": "number"}`, nil); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("ignore without a message = %d, want 400", resp.StatusCode)
	}
	var ignored struct {
		Segment  translate.Segment `json:"segment"`
		Findings []store.Finding   `json:"findings"`
	}
	body, _ := json.Marshal(map[string]string{"check": qa.Number, "message": wrong71})
	if resp := e.do(t, "POST", ignore, string(body), &ignored); resp.StatusCode != 200 || len(ignored.Findings) != 1 || !ignored.Findings[0].Ignored {
		t.Fatalf("ignore = %d %+v", resp.StatusCode, ignored)
	}
	var revs struct {
		Revisions []translate.Revision `json:"revisions"`
	}
	e.do(t, "GET", fmt.Sprintf("/api/segments/%d/revisions", g.ID), "", &revs)
	last := revs.Revisions[len(revs.Revisions)-1]
	if last.Kind != "ignore" || last.Author != "reviewer" || last.Note != "error number: "+wrong71 || last.CreatedAt.IsZero() {
		t.Errorf("ignore revision = %+v", last)
	}
	_, page := e.getPage(t, fmt.Sprintf("/segments/%d/history", g.ID), true)
	if !strings.Contains(page, "ignored a quality check finding") || !strings.Contains(page, "error number: "+wrong71) {
		t.Errorf("history fragment lacks the ignore:\n%s", page)
	}

	var article struct {
		Segments []struct {
			ID       int64           `json:"id"`
			Findings []store.Finding `json:"findings"`
		} `json:"segments"`
	}
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d", a.ID), "", &article)
	if f := article.Segments[1].Findings; len(f) != 1 || f[0].Check != qa.Number || !f[0].Ignored || f[0].Target != [2]int{0, 2} {
		t.Errorf("GET /api/articles/:id findings = %+v", f)
	}
	if f := article.Segments[0].Findings; f == nil || len(f) != 0 {
		t.Errorf("an untranslated segment's findings = %#v, want []", f)
	}

	var approved translate.Segment
	if resp := e.do(t, "POST", approve, "", &approved); resp.StatusCode != 200 || approved.Status != translate.StatusApproved {
		t.Fatalf("approve after the ignore = %d %s", resp.StatusCode, approved.Status)
	}
	// Another wrong number is another finding: open again.
	resp := e.do(t, "POST", approve, fmt.Sprintf(`{"target": "18 people were killed in the attack on Wednesday.", "version": %d}`, approved.Version), &refused)
	if resp.StatusCode != http.StatusConflict || len(refused.Findings) != 1 || !strings.Contains(refused.Findings[0].Message, "has 18") {
		t.Errorf("approve with another wrong number = %d %+v", resp.StatusCode, refused)
	}
}

// TestQA_ApproveGatePage: the page's Approve over an open error answers with the row (409):
// the reviewer's text still in the box, the finding listed with its Ignore button; Ignore
// answers with the list, the finding ignored; Approve then approves.
func TestQA_ApproveGatePage(t *testing.T) {
	e := newTestEnv(t)
	_, g := e.attackSegment(t)
	form := url.Values{"version": {fmt.Sprint(g.Version)}, "target": {wrong71Eng}, "base": {""}}
	resp, body := e.postForm(t, fmt.Sprintf("/segments/%d/approve", g.ID), form, true)
	page := string(body)
	if resp.StatusCode != http.StatusConflict || !strings.Contains(page, "Not approved:") || !strings.Contains(page, wrong71Eng+"</textarea>") ||
		!regexp.MustCompile(`<form class="seg[^"]*\bqa-refused\b`).MatchString(page) {
		t.Fatalf("refused approval = %d:\n%s", resp.StatusCode, page)
	}
	finding := regexp.MustCompile(`<li class="qa-finding qa-error" id="qa-\d+-0" data-check="number"\s+data-src="4,6" data-tgt="0,2">`)
	if !finding.MatchString(page) || !strings.Contains(page, "the Arabic has 17 (١٧); the English has 71") ||
		!strings.Contains(page, `<q lang="ar" dir="rtl">١٧</q>`) || !strings.Contains(page, "English: <q>71</q>") ||
		!strings.Contains(page, fmt.Sprintf(`hx-post="/segments/%d/ignore"`, g.ID)) {
		t.Errorf("the refused row does not list the finding with its spans and Ignore:\n%s", page)
	}
	if cur, _ := e.articles.Segment(context.Background(), g.ID); cur.Version != g.Version || cur.Target != "" {
		t.Errorf("a refused approval wrote %q v%d", cur.Target, cur.Version)
	}

	// The editor's check as one types answers with the list alone.
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d/check", g.ID), url.Values{"target": {wrong71Eng}}, true)
	if resp.StatusCode != 200 || !strings.HasPrefix(strings.TrimSpace(string(body)), fmt.Sprintf(`<div class="qa" id="qa-%d" data-open="1" data-errors="1"`, g.ID)) || !finding.Match(body) {
		t.Errorf("check = %d:\n%s", resp.StatusCode, body)
	}
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d/check", g.ID), url.Values{"target": {"17 people were killed in the attack on Wednesday."}}, true)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `data-open="0"`) || strings.Contains(string(body), "qa-finding") {
		t.Errorf("check of a corrected text = %d:\n%s", resp.StatusCode, body)
	}
	if resp, _ := e.postForm(t, fmt.Sprintf("/segments/%d/check", g.ID), url.Values{}, true); resp.StatusCode != http.StatusBadRequest {
		t.Errorf("check without a target = %d, want 400", resp.StatusCode)
	}

	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d/ignore", g.ID), url.Values{"target": {wrong71Eng}, "check": {qa.Number}, "message": {wrong71}}, true)
	if resp.StatusCode != 200 || !strings.Contains(string(body), `class="qa-finding qa-error qa-ignored"`) || !strings.Contains(string(body), `data-open="0"`) ||
		strings.Contains(string(body), "Not approved") {
		t.Errorf("ignore = %d:\n%s", resp.StatusCode, body)
	}
	resp, body = e.postForm(t, fmt.Sprintf("/segments/%d/approve", g.ID), form, true)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "status-approved") {
		t.Fatalf("approve after the ignore = %d:\n%s", resp.StatusCode, body)
	}
}

// TestQA_ArticlePage: the row lists and marks its findings, joins the "QA issues" filter, and
// the article has a per-check summary; the home page counts the open findings per article.
func TestQA_ArticlePage(t *testing.T) {
	e := newTestEnv(t)
	a, g := e.attackSegment(t)
	e.machine(t, g, "openai", "m1", "71 people were killed in the attack on Monday")
	_, page := e.getPage(t, fmt.Sprintf("/articles/%d", a.ID), false)
	for _, want := range []string{
		`<button type="button" class="filter" data-filter="qa" aria-pressed="false">QA issues</button>`,
		`<span class="qa-count" data-check="number"><code>number</code> 1 error</span> · <span class="qa-count" data-check="date"><code>date</code> 1 error</span> · <span class="qa-count" data-check="punctuation"><code>punctuation</code> 1 warning</span>`,
		fmt.Sprintf(`aria-describedby="qa-%d"`, g.ID),
		fmt.Sprintf(`hx-post="/segments/%d/check" hx-trigger="input changed delay:300ms"`, g.ID),
	} {
		if !strings.Contains(page, want) {
			t.Errorf("article page lacks %q", want)
		}
	}
	if !regexp.MustCompile(fmt.Sprintf(`<form class="seg status-machine[^"]*\bqa-open\b[^"]*" id="seg-%d"`, g.ID)).MatchString(page) {
		t.Errorf("the row with findings is not in the QA issues filter")
	}
	noInlineStyle(t, "article page", page)

	_, home := e.getPage(t, "/", false)
	if !strings.Contains(home, `title="2 errors, 1 warnings">2<span class="visually-hidden"> errors</span> / 1<span class="visually-hidden"> warnings</span>`) {
		t.Errorf("home page lacks the article's open findings:\n%s", home)
	}
	var list struct {
		Articles []translate.Article `json:"articles"`
	}
	e.do(t, "GET", "/api/articles", "", &list)
	if got := list.Articles[0].QA; got != (translate.Issues{Errors: 2, Warnings: 1}) {
		t.Errorf("GET /api/articles qa = %+v", got)
	}
}

// TestQA_Exports: the downloads carry the open findings: the count in a draft's banner, a
// note per finding in XLIFF.
func TestQA_Exports(t *testing.T) {
	e := newTestEnv(t)
	a, g := e.attackSegment(t)
	e.machine(t, g, "openai", "m1", wrong71Eng)
	for _, f := range []string{"txt", "md", "html"} {
		if _, body := e.fetch(t, fmt.Sprintf("/articles/%d/export?format=%s", a.ID, f)); !strings.Contains(body, "; 1 open quality check finding (1 error).") {
			t.Errorf("%s export lacks the count of open findings:\n%s", f, body)
		}
	}
	for f, note := range map[string]string{
		"xliff":   `<note category="tarjama-qa" appliesTo="target">error number: the Arabic has 17 (١٧); the English has 71</note>`,
		"xliff12": `<note from="Tarjama quality checks" annotates="target">error number: the Arabic has 17 (١٧); the English has 71</note>`,
	} {
		if _, body := e.fetch(t, fmt.Sprintf("/articles/%d/export?format=%s", a.ID, f)); !strings.Contains(body, note) {
			t.Errorf("%s lacks the finding's note:\n%s", f, body)
		}
	}
}

// TestQA_Settings: an admin chooses which checks run and how severe they are, and fixes the
// length ratio; the segments' counts follow; a reviewer sees the checks and cannot save them.
func TestQA_Settings(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "sami", auth.RoleReviewer)
	e.addUser(t, "mona", auth.RoleAdmin)
	reviewer, admin := e.client(t), e.client(t)
	reviewer.mustLogin("sami")
	admin.mustLogin("mona")
	ctx := context.Background()
	a, err := e.articles.CreateArticle(ctx, "", attackText, "")
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := e.articles.Segments(ctx, a.ID)
	if _, err := e.articles.SaveTarget(ctx, segs[1].ID, "71 people were killed in the attack on Monday.", segs[1].Version, "sami"); err != nil {
		t.Fatal(err)
	}

	page := admin.do("GET", "/settings", "", "", nil).body
	for _, want := range []string{`action="/settings/qa"`, `<input type="checkbox" name="check.number.enabled" value="1" aria-labelledby="check-number" checked>`,
		`<option value="error" selected>error</option>`, "Length ratio in force: 1.2 English letters per Arabic letter"} {
		if !strings.Contains(page, want) {
			t.Errorf("admin settings page lacks %q", want)
		}
	}
	form := url.Values{csrfField: {admin.csrf}, "length_ratio_mode": {"fixed"}, "length_ratio": {"1.5"}}
	for _, name := range qa.Names() {
		if name != qa.Date {
			form.Set("check."+name+".enabled", "1")
		}
		form.Set("check."+name+".severity", "error")
	}
	form.Set("check.number.severity", "warning")
	if r := reviewer.form("/settings/qa", withCSRF(form, reviewer.csrf)); r.status != http.StatusForbidden {
		t.Errorf("reviewer POST /settings/qa = %d, want 403", r.status)
	}
	if st, _ := e.articles.QASettings(ctx); st.SavedBy != "" {
		t.Fatalf("a refused save was stored: %+v", st)
	}
	if r := admin.form("/settings/qa", form); r.status != http.StatusSeeOther {
		t.Fatalf("admin POST /settings/qa = %d %s", r.status, r.body)
	}
	st, err := e.articles.QASettings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SavedBy != "mona" || st.Config.Rule(qa.Date).Enabled || st.Config.Rule(qa.Number).Severity != qa.Warning || st.Config.LengthRatio != 1.5 {
		t.Errorf("stored settings = %+v", st)
	}
	list, _ := e.articles.Articles(ctx)
	if got := list[0].QA; got != (translate.Issues{Warnings: 1}) {
		t.Errorf("open findings after the save = %+v, want the number as the one warning (date off)", got)
	}

	page = reviewer.do("GET", "/settings", "", "", nil).body
	for _, want := range []string{"Only admins change which checks run", "<th scope=\"row\"><code>date</code></th>", "Last saved by mona", "1.5 English letters per Arabic letter (fixed here)"} {
		if !strings.Contains(page, want) {
			t.Errorf("reviewer settings page lacks %q", want)
		}
	}
	if strings.Contains(page, `action="/settings/qa"`) {
		t.Error("reviewer settings page has the checks' form")
	}

	form.Set("length_ratio", "lots")
	if r := admin.form("/settings/qa", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Not saved: length ratio: &#34;lots&#34; is not a number") {
		t.Errorf("a bad ratio = %d:\n%s", r.status, r.body)
	}
	form.Set("length_ratio", "1.5")
	form.Set("check.spacing.severity", "fatal")
	if r := admin.form("/settings/qa", form); r.status != http.StatusBadRequest || !strings.Contains(r.body, "checks.spacing.severity") {
		t.Errorf("a bad severity = %d:\n%s", r.status, r.body)
	}
}

// withCSRF is form with the client's CSRF token in place of another's.
func withCSRF(form url.Values, token string) url.Values {
	out := url.Values{}
	for k, v := range form {
		out[k] = v
	}
	out.Set(csrfField, token)
	return out
}

// TestQA_StatsPerCheck: the quality page counts the machine output's findings per backend,
// model and check.
func TestQA_StatsPerCheck(t *testing.T) {
	e := newTestEnv(t)
	_, g := e.attackSegment(t)
	e.machine(t, g, "openai", "m1", "71 people were killed in the attack on Monday.")
	if _, err := e.articles.Approve(context.Background(), g.ID, "17 people were killed in the attack on Wednesday.", e.version(t, g), "mona"); err != nil {
		t.Fatal(err)
	}
	_, page := e.getPage(t, "/stats", false)
	for _, want := range []string{"<th><code>number</code></th><th><code>date</code></th><th>All findings</th>",
		`<td class="num" data-check="number">1</td><td class="num" data-check="date">1</td>`, "<td class=\"num\">2 <small>(2 errors)</small></td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("stats page lacks %q", want)
		}
	}
	var stats struct {
		Quality []struct {
			ByCheck map[string]int `json:"by_check"`
		} `json:"quality"`
	}
	e.do(t, "GET", "/api/stats", "", &stats)
	if len(stats.Quality) != 1 || stats.Quality[0].ByCheck[qa.Number] != 1 || stats.Quality[0].ByCheck[qa.Date] != 1 {
		t.Errorf("GET /api/stats = %+v", stats)
	}
}

// TestQA_FindingsEscaped: a finding's message and the texts it marks come from the article,
// the glossary and the reviewer: the list escapes them, in text and in attributes alike.
func TestQA_FindingsEscaped(t *testing.T) {
	e := newTestEnv(t)
	term := glossary.Term{Arabic: "كييف", English: `Kyiv"><script>alert(1)</script>`, Type: glossary.TypeName, Forbidden: []string{"Kiev"}}
	if err := e.glossary.Create(context.Background(), &term); err != nil {
		t.Fatal(err)
	}
	a := e.article(t, "", "عنوان\n\nوصل الوفد إلى كييف.\n")
	g := e.segments(t, a.ID)[1]
	resp, body := e.postForm(t, fmt.Sprintf("/segments/%d/check", g.ID), url.Values{"target": {`The <b>delegation</b> arrived in Kiev.`}}, true)
	page := string(body)
	if resp.StatusCode != 200 || strings.Contains(page, "<script>") || strings.Contains(page, "<b>") ||
		!strings.Contains(page, `should be &#34;Kyiv\&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&#34; (glossary)`) ||
		!strings.Contains(page, `hx-vals="{&#34;check&#34;:&#34;glossary&#34;,&#34;message&#34;:`) {
		t.Errorf("findings list = %d:\n%s", resp.StatusCode, page)
	}
	// What the button sends is the finding as the API gives it.
	m := regexp.MustCompile(`hx-vals="([^"]*)"`).FindStringSubmatch(page)
	var sent struct{ Check, Message string }
	if m == nil || json.Unmarshal([]byte(html.UnescapeString(m[1])), &sent) != nil || sent.Check != qa.Glossary || !strings.HasPrefix(sent.Message, "«كييف» should be") {
		t.Errorf("hx-vals = %v, decoded %+v", m, sent)
	}
}
