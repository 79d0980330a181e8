package web

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/charmap"

	"github.com/tarjama/tarjama/glossary"
)

// TestGlossaryPage_EscapesMarkup feeds markup through a term's English and note and checks
// that the glossary page and the article tooltip show it as text.
func TestGlossaryPage_EscapesMarkup(t *testing.T) {
	e := newTestEnv(t)
	term := glossary.Term{Arabic: "الكرملين", English: `<script>alert("en")</script>`, Type: glossary.TypeName,
		Note: `<img src=x onerror=alert(1)> "quoted" & more`, Alternatives: []string{"<b>bold</b>"}}
	if err := e.glossary.Create(context.Background(), &term); err != nil {
		t.Fatal(err)
	}
	a := e.article(t, "", "عنوان\n\nقال الكرملين إن الحوار ممكن.")

	for _, path := range []string{"/glossary", "/glossary?q=" + url.QueryEscape("<script>"), fmt.Sprintf("/articles/%d", a.ID)} {
		resp, body := e.send(t, "GET", path, "", nil, nil)
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		for _, raw := range []string{"<script>alert", "<img src=x", "<b>bold"} {
			if strings.Contains(page, raw) {
				t.Errorf("GET %s: page contains unescaped %q", path, raw)
			}
		}
		if !strings.Contains(page, "&lt;script&gt;alert(&#34;en&#34;)&lt;/script&gt;") {
			t.Errorf("GET %s: escaped English not found", path)
		}
	}
	_, body := e.send(t, "GET", fmt.Sprintf("/articles/%d", a.ID), "", nil, nil)
	tip := regexp.MustCompile(`<mark [^>]*data-tip="([^"]*)"`).FindStringSubmatch(string(body))
	if tip == nil || !strings.Contains(tip[1], "&lt;img src=x") {
		t.Errorf("article page: no escaped data-tip on the highlighted term: %v", tip)
	}
	// The same text, escaped, is the mark's accessible description.
	desc := regexp.MustCompile(`<mark [^>]*aria-describedby="([^"]+)"[^>]*>[^<]*</mark><span class="tip-text" id="([^"]+)"[^>]*hidden>([^<]*)</span>`).FindStringSubmatch(string(body))
	if desc == nil || desc[1] != desc[2] || tip == nil || desc[3] != tip[1] {
		t.Errorf("article page: the highlight's aria-describedby does not name a hidden span with its tooltip: %q", desc)
	}
	// The htmx partials escape too.
	resp, row := e.send(t, "GET", fmt.Sprintf("/glossary/%d/edit", term.ID), "", nil, map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || strings.Contains(string(row), "<script>alert") || !strings.Contains(string(row), "&lt;script&gt;") {
		t.Errorf("edit row = %d\n%s", resp.StatusCode, row)
	}
}

func TestGlossaryPage_List(t *testing.T) {
	e := newTestEnv(t)
	var csv strings.Builder
	csv.WriteString("arabic,english\n")
	for i := range 150 {
		fmt.Fprintf(&csv, "مصطلح%s,term %03d\n", arabicNumber(i), i)
	}
	if _, err := e.glossary.Import(context.Background(), strings.NewReader(csv.String()), glossary.ImportOptions{Name: "many.csv"}); err != nil {
		t.Fatal(err)
	}
	e.mustTerm(t, "سيرغي ريابكوف", "Sergei Ryabkov", glossary.TypeName)
	e.mustTerm(t, "الضمانات الأمنية", "security guarantees", glossary.TypeTerm)

	for _, c := range []struct {
		query string
		want  []string
		not   []string
	}{
		{"", []string{"Terms 1–100 of 152", `href="/glossary?page=2"`, `<input type="hidden" name="csrf_token"`}, []string{`rel="prev"`}},
		{"?page=2", []string{"Terms 101–152 of 152", `href="/glossary"`}, []string{`rel="next"`}},
		{"?page=99", []string{"Terms 101–152 of 152"}, nil},
		// Arabic words are read as the concordance search reads them: article optional,
		// proclitics stripped.
		{"?q=" + url.QueryEscape("ضمانات امنية"), []string{"Terms 1–1 of 1", "security guarantees"}, []string{"term 001"}},
		{"?q=" + url.QueryEscape("بالضمانات"), []string{"Terms 1–1 of 1", "security guarantees"}, []string{"term 001"}},
		{"?q=" + url.QueryEscape("ريابكوف"), []string{"Terms 1–1 of 1", "Sergei Ryabkov"}, []string{"term 001"}},
		{"?type=name", []string{"Sergei Ryabkov", "(names only)"}, []string{"term 001"}},
		{"?q=nothing", []string{"No terms match"}, nil},
	} {
		resp, body := e.send(t, "GET", "/glossary"+c.query, "", nil, nil)
		page := string(body)
		if resp.StatusCode != 200 {
			t.Fatalf("GET /glossary%s = %d", c.query, resp.StatusCode)
		}
		for _, w := range c.want {
			if !strings.Contains(page, w) {
				t.Errorf("GET /glossary%s lacks %q", c.query, w)
			}
		}
		for _, n := range c.not {
			if strings.Contains(page, n) {
				t.Errorf("GET /glossary%s has %q", c.query, n)
			}
		}
	}
	if resp, _ := e.send(t, "GET", "/glossary?type=place", "", nil, nil); resp.StatusCode != 400 {
		t.Errorf("GET /glossary?type=place = %d, want 400", resp.StatusCode)
	}
}

// arabicNumber spells n with Arabic letters so generated terms stay distinct after normalization.
func arabicNumber(n int) string {
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	s := []rune{letters[n%len(letters)], letters[(n/len(letters))%len(letters)]}
	return string(s)
}

func TestGlossaryPage_AddEditDelete(t *testing.T) {
	e := newTestEnv(t)
	form := url.Values{"arabic": {"الضمانات الأمنية"}, "english": {"security guarantees"}, "type": {"term"},
		"variants": {"ضمانات أمنية\nالضمانات الامنية"}, "english_alternatives": {"security assurances | safety guarantees"},
		"forbidden": {""}, "note": {"plural in English"}, "do_not_translate": {""}}

	resp, row := e.postForm(t, "/glossary", form, true)
	if resp.StatusCode != 200 || !strings.Contains(string(row), `<tr id="term-`) || !strings.Contains(string(row), "security guarantees") {
		t.Fatalf("htmx add = %d\n%s", resp.StatusCode, row)
	}
	list, _, _ := e.glossary.List(context.Background(), glossary.Filter{})
	if len(list) != 1 || len(list[0].Variants) != 2 || len(list[0].Alternatives) != 2 || list[0].Note != "plural in English" {
		t.Fatalf("stored = %+v", list)
	}
	id := list[0].ID

	resp, body := e.postForm(t, "/glossary", form, true)
	if got := errorOf(t, body); resp.StatusCode != 409 || !strings.Contains(got, "already in the glossary") {
		t.Errorf("duplicate add = %d %q, want 409", resp.StatusCode, got)
	}
	bad := url.Values{"arabic": {"روسيا"}, "english": {""}}
	resp, body = e.postForm(t, "/glossary", bad, true)
	if got := errorOf(t, body); resp.StatusCode != 400 || got != "«روسيا»: english: required" {
		t.Errorf("add without English = %d %q", resp.StatusCode, got)
	}

	// Without htmx the form redirects to the new term.
	resp, _ = e.postForm(t, "/glossary", url.Values{"arabic": {"روسيا"}, "english": {"Russia"}, "type": {"name"}, "do_not_translate": {"1"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/glossary?") || strings.Contains(loc, "msg=") || flashOf(t, resp) != "Added روسيا → Russia." {
		t.Errorf("plain add = %d Location %q flash %q; want a redirect to the term with a one-time flash", resp.StatusCode, loc, flashOf(t, resp))
	}

	resp, edit := e.send(t, "GET", fmt.Sprintf("/glossary/%d/edit", id), "", nil, map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || !strings.Contains(string(edit), `hx-post="/glossary/`) || !strings.Contains(string(edit), "ضمانات أمنية\nالضمانات الامنية") {
		t.Errorf("edit row = %d\n%s", resp.StatusCode, edit)
	}

	form.Set("english", "security assurances")
	form.Set("english_alternatives", "")
	resp, row = e.postForm(t, fmt.Sprintf("/glossary/%d", id), form, true)
	if resp.StatusCode != 200 || !strings.Contains(string(row), "security assurances") {
		t.Errorf("save = %d\n%s", resp.StatusCode, row)
	}
	if got, _ := e.glossary.Get(context.Background(), id); got.English != "security assurances" || len(got.Alternatives) != 0 {
		t.Errorf("after save = %+v", got)
	}
	resp, body = e.postForm(t, "/glossary/9999", form, true)
	if resp.StatusCode != 404 {
		t.Errorf("save of a missing term = %d %s", resp.StatusCode, body)
	}

	resp, cancel := e.send(t, "GET", fmt.Sprintf("/glossary/%d", id), "", nil, map[string]string{"HX-Request": "true"})
	if resp.StatusCode != 200 || !strings.Contains(string(cancel), `class="edit"`) {
		t.Errorf("cancel row = %d\n%s", resp.StatusCode, cancel)
	}

	// A delete takes the row away and, out of band, recounts the list the page shows and
	// says what was deleted.
	resp, body = e.send(t, "DELETE", fmt.Sprintf("/glossary/%d", id), "", nil, map[string]string{"HX-Request": "true",
		"HX-Current-URL": e.srv.URL + "/glossary?q=" + url.QueryEscape("الضمانات")})
	for _, want := range []string{
		`<p id="list-summary" class="list-summary" hx-swap-oob="true">No terms match for “<span dir="auto">الضمانات</span>”.</p>`,
		`<p id="glossary-status" hx-swap-oob="innerHTML">Deleted «الضمانات الأمنية» → security assurances.</p>`,
	} {
		if resp.StatusCode != 200 || !strings.Contains(string(body), want) {
			t.Errorf("delete = %d %s\nwant it to contain %s", resp.StatusCode, body, want)
		}
	}
	if strings.Contains(string(body), "<tr") {
		t.Errorf("delete answered with a row: %s", body)
	}
	if _, err := e.glossary.Get(context.Background(), id); err == nil {
		t.Errorf("term %d still there after delete", id)
	}
	if resp, _ := e.send(t, "DELETE", fmt.Sprintf("/glossary/%d", id), "", nil, map[string]string{"HX-Request": "true"}); resp.StatusCode != 404 {
		t.Errorf("second delete = %d, want 404", resp.StatusCode)
	}
}

var importTokenRE = regexp.MustCompile(`action="/glossary/import/([A-Za-z0-9_-]+)"`)

func TestGlossaryPage_ImportPreviewThenConfirm(t *testing.T) {
	e := newTestEnv(t)
	e.mustTerm(t, "روسيا", "Russia", glossary.TypeName)
	e.mustTerm(t, "حلف شمال الأطلسي", "NATO", glossary.TypeName)
	enc, err := charmap.Windows1256.NewEncoder().Bytes([]byte("arabic,english\r\nروسيا,Russia\r\nالكرملين,the Kremlin\r\nأوكرانيا,Ukraine\r\n"))
	if err != nil {
		t.Fatal(err)
	}

	resp, body := e.upload(t, "/glossary/import", "excel.csv", enc, map[string]string{"mode": "merge"})
	page := string(body)
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"decoded as Windows-1256", "excel.csv", "2 to add", "0 to update", "1 unchanged", "Import these changes", "الكرملين", ">3</td>"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if n := e.termCount(t); n != 2 {
		t.Fatalf("preview wrote: %d terms", n)
	}
	m := importTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no confirm form in the preview:\n%s", page)
	}
	path := "/glossary/import/" + m[1]

	// The same upload previewed as replace shows what would go.
	resp, body = e.postForm(t, path, url.Values{"action": {"preview"}, "mode": {"replace"}}, false)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "1 to remove") || !strings.Contains(string(body), "حلف شمال الأطلسي") {
		t.Errorf("replace preview = %d", resp.StatusCode)
	}

	resp, _ = e.postForm(t, path, url.Values{"action": {"import"}, "mode": {"merge"}, "skip_bad": {"0"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/glossary" {
		t.Fatalf("confirm = %d %q", resp.StatusCode, loc)
	}
	if msg := flashOf(t, resp); !strings.Contains(msg, "2 added") || !strings.Contains(msg, "Windows-1256") {
		t.Errorf("flash = %q", msg)
	}
	if n := e.termCount(t); n != 4 {
		t.Errorf("after confirm: %d terms, want 4", n)
	}
	resp, body = e.postForm(t, path, url.Values{"action": {"import"}}, false)
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "upload the file again") {
		t.Errorf("re-using an applied upload = %d", resp.StatusCode)
	}

	// A bad file is shown with its line, nothing is written, and the page offers to skip it.
	bad := []byte("arabic,english\nبيلاروسيا,Belarus\nالصين,\n")
	resp, body = e.upload(t, "/glossary/import", "bad.csv", bad, map[string]string{"mode": "merge"})
	page = string(body)
	if resp.StatusCode != 400 || !strings.Contains(page, "bad.csv: 1 bad row, nothing imported") || !strings.Contains(page, "line 3") ||
		strings.Count(page, ": required") != 1 || !strings.Contains(page, "leaving out the bad rows") {
		t.Errorf("bad file preview = %d; want the summary, then line 3 once, and the offer to leave it out\n%s", resp.StatusCode, page)
	}
	m = importTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("no skip-bad form for the bad file")
	}
	resp, body = e.postForm(t, "/glossary/import/"+m[1], url.Values{"action": {"preview"}, "mode": {"merge"}, "skip_bad": {"1"}}, false)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "1 to add") || !strings.Contains(string(body), "1 bad rows left out") {
		t.Errorf("skip-bad preview = %d", resp.StatusCode)
	}
	if n := e.termCount(t); n != 4 {
		t.Errorf("bad file wrote: %d terms", n)
	}

	resp, body = e.upload(t, "/glossary/import", "", nil, map[string]string{"mode": "merge"})
	if resp.StatusCode != 400 || !strings.Contains(string(body), "file: required") {
		t.Errorf("preview without a file = %d", resp.StatusCode)
	}
}

func TestUploadStash_Bounded(t *testing.T) {
	now := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	u := newUploadStash(10*time.Minute, 3, 100)
	u.now = func() time.Time { return now }
	put := func(n int) string {
		tok, err := u.put("f.csv", make([]byte, n))
		if err != nil {
			t.Fatal(err)
		}
		now = now.Add(time.Second)
		return tok
	}
	a, b := put(10), put(10)
	if a == b || len(a) < 32 {
		t.Fatalf("tokens %q %q", a, b)
	}
	c, d := put(10), put(10) // four items: the oldest goes
	if _, ok := u.get(a); ok {
		t.Error("oldest upload kept beyond the item limit")
	}
	for _, tok := range []string{b, c, d} {
		if _, ok := u.get(tok); !ok {
			t.Error("a recent upload was dropped")
		}
	}
	e := put(90) // over 100 bytes: older ones go until it fits
	if _, ok := u.get(e); !ok || u.bytes > 100 {
		t.Errorf("after a large upload: kept=%v bytes=%d", ok, u.bytes)
	}
	if _, ok := u.get(b); ok {
		t.Error("byte limit not enforced")
	}
	now = now.Add(11 * time.Minute)
	if _, ok := u.get(e); ok || len(u.items) != 0 || u.bytes != 0 {
		t.Errorf("expired uploads kept: %d items, %d bytes", len(u.items), u.bytes)
	}
}

// TestGlossaryPage_ImportPreviewSaysWhatHappens: a new English is previewed as an update with
// the former English kept as an alternative; a spelling another term owns is shown as
// conflicting with its reason, and confirming without leaving it out writes nothing.
func TestGlossaryPage_ImportPreviewSaysWhatHappens(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, tr := range []glossary.Term{
		{Arabic: "الكرملين", English: "the Kremlin", Alternatives: []string{"Kremlin"}},
		{Arabic: "حلف شمال الأطلسي", English: "NATO", Type: glossary.TypeName, Variants: []string{"الناتو"}},
	} {
		if err := e.glossary.Create(ctx, &tr); err != nil {
			t.Fatal(err)
		}
	}
	file := []byte("الكرملين,Kremlin\nالناتو,the Atlantic alliance\n")
	resp, body := e.upload(t, "/glossary/import", "g.csv", file, map[string]string{"mode": "merge"})
	page := string(body)
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{"1 to update", "1 conflicting, refused", "Updated: a new English",
		"Conflicting: refused", "is already a variant of «حلف شمال الأطلسي» → &#34;NATO&#34;", "takes its place among the alternatives"} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(page, "with a different English") {
		t.Error("preview still calls a new English a conflict")
	}
	// The refused row shows what the glossary has now, and the button imports the others.
	if !regexp.MustCompile(`(?s)الناتو</td>\s*<td>the Atlantic alliance</td>\s*<td class="now">NATO</td>`).MatchString(page) {
		t.Error(`the conflicting row does not show "NATO" as what is stored now`)
	}
	action, fields := confirmForm(t, page)
	if fields.Get("skip_bad") != "1" || !strings.Contains(page, ">Import the good row</button>") ||
		!strings.Contains(page, "The refused row stays out: fix it in the file") {
		t.Errorf("the confirm form posts %v; want skip_bad=1 behind \"Import the good row\", saying the refused row stays out", fields)
	}
	before, _ := e.glossary.All(ctx)
	// A script that insists on the whole file is still refused, the reason said once.
	manual := url.Values{"action": {"import"}, "mode": {"merge"}, "skip_bad": {"0"}}
	resp, body = e.postForm(t, action, manual, false)
	if page := string(body); resp.StatusCode != 400 || !strings.Contains(page, "g.csv: 1 conflicting row, nothing imported") ||
		strings.Count(page, "is already a variant of «حلف شمال الأطلسي» → &#34;NATO&#34;") != 1 || !strings.Contains(page, "leaving out the bad rows") {
		t.Errorf("confirm with a conflict = %d; want the summary and the row once\n%s", resp.StatusCode, page)
	}
	if after, _ := e.glossary.All(ctx); !reflect.DeepEqual(before, after) {
		t.Errorf("a refused import changed the glossary:\nbefore %+v\nafter  %+v", before, after)
	}
	resp, _ = e.postForm(t, action, fields, false)
	if msg := flashOf(t, resp); resp.StatusCode != http.StatusSeeOther || !strings.Contains(msg, "1 updated") || !strings.Contains(msg, "1 conflicting rows left out") {
		t.Errorf("the preview's own button = %d %q", resp.StatusCode, msg)
	}
}

// confirmForm finds the form of the preview's confirm button: where it posts and its fields.
func confirmForm(t *testing.T, page string) (string, url.Values) {
	t.Helper()
	i := strings.Index(page, `id="import-confirm"`)
	if i < 0 {
		t.Fatalf("no confirm button in the preview:\n%s", page)
	}
	form := page[strings.LastIndex(page[:i], "<form"):i]
	m := importTokenRE.FindStringSubmatch(form)
	if m == nil {
		t.Fatalf("the confirm form has no action: %s", form)
	}
	fields := url.Values{"action": {"import"}}
	for _, in := range regexp.MustCompile(`<input type="hidden" name="([a-z_]+)" value="([^"]*)">`).FindAllStringSubmatch(form, -1) {
		if in[1] != "csrf_token" {
			fields.Set(in[1], in[2])
		}
	}
	return "/glossary/import/" + m[1], fields
}

// TestGlossaryPage_FlashShownOnce: the message after a plain form post is shown on the page
// the browser is sent to, and not again when that page is reloaded (it is not in the URL).
func TestGlossaryPage_FlashShownOnce(t *testing.T) {
	e := newTestEnv(t)
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	get := func(u string) (string, string) {
		t.Helper()
		resp, err := browser.Get(u)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.Request.URL.String(), string(b)
	}
	req, _ := http.NewRequest("POST", e.srv.URL+"/glossary", strings.NewReader(url.Values{"arabic": {"روسيا"}, "english": {"Russia"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := browser.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	landed := resp.Request.URL.String()
	const flash = `<p class="flash" role="status">Added روسيا → Russia.</p>`
	if resp.StatusCode != 200 || !strings.Contains(string(b), flash) || strings.Contains(landed, "msg") {
		t.Fatalf("after the add: %d at %s; want the list with the flash and a clean URL", resp.StatusCode, landed)
	}
	if _, again := get(landed); strings.Contains(again, `class="flash"`) {
		t.Error("reloading the page shows the flash again")
	}
}
