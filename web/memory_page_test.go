package web

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"

	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/tmx"
)

var memoryTokenRE = regexp.MustCompile(`action="/memory/import/([A-Za-z0-9_-]+)"`)

// memoryTMX is a TMX file as another tool writes it: a unit the memory will have, a new one
// with markup in its text and white space to keep, and one in other languages.
const memoryTMX = `<?xml version="1.0" encoding="windows-1256"?>
<tmx version="1.4"><header creationtool="memoQ" creationtoolversion="9" segtype="sentence" o-tmf="x" adminlang="en" srclang="ar" datatype="plaintext"/>
<body>
<tu tuid="known" changeid="sami">
  <note>Checked.</note>
  <tuv xml:lang="ar-SA"><seg>قال ريابكوف إن موسكو مستعدة للحوار.</seg></tuv>
  <tuv xml:lang="en-US"><seg>Ryabkov said Moscow is ready for dialogue.</seg></tuv>
</tu>
<tu tuid="new">
  <tuv xml:lang="ara"><seg>الضمانات	الأمنية &lt;ضرورية&gt;.</seg></tuv>
  <tuv xml:lang="eng"><seg>Security guarantees are &lt;script&gt;alert(1)&lt;/script&gt; essential.</seg></tuv>
</tu>
<tu tuid="french">
  <tuv xml:lang="fr"><seg>merci</seg></tuv>
  <tuv xml:lang="de"><seg>danke</seg></tuv>
</tu>
</body></tmx>`

func (e *testEnv) memoryCount(t *testing.T) int {
	t.Helper()
	n, err := e.stores.Memory.Count(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestMemoryPage_ImportPreviewThenConfirm: an upload is previewed unit by unit (added,
// updated, unchanged, refused with its line), nothing is written until the preview's button,
// and the button imports what the preview showed.
func TestMemoryPage_ImportPreviewThenConfirm(t *testing.T) {
	e := newTestEnv(t)
	var known bytes.Buffer
	if err := tmx.Write(&known, []tmx.Pair{{Source: "قال ريابكوف إن موسكو مستعدة للحوار.", Target: "Ryabkov said Moscow is ready for dialogue."}}, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := e.stores.Memory.ImportTMX(context.Background(), &known, memory.ImportOptions{Name: "known.tmx"}); err != nil {
		t.Fatal(err)
	}
	resp, body := e.send(t, "GET", "/memory", "", nil, nil)
	page := string(body)
	if resp.StatusCode != 200 || !strings.Contains(page, `<strong id="memory-count">1</strong>`) || !strings.Contains(page, `action="/api/memory/export"`) ||
		!strings.Contains(page, `<a href="/memory" class="admin-only">Memory</a>`) || !strings.Contains(page, `action="/memory/import"`) {
		t.Fatalf("GET /memory = %d\n%s", resp.StatusCode, page)
	}

	data, err := charmap.Windows1256.NewEncoder().Bytes([]byte(memoryTMX))
	if err != nil {
		t.Fatal(err)
	}
	resp, body = e.upload(t, "/memory/import", "desk.tmx", data, nil)
	page = string(body)
	if resp.StatusCode != 200 {
		t.Fatalf("preview = %d\n%s", resp.StatusCode, page)
	}
	for _, want := range []string{
		"desk.tmx", "preview (nothing written yet)", "TMX 1.4", "windows-1256", "3 translation units, 2 Arabic–English pairs", "languages ar, de, en, fr",
		"1 to add", "1 to update", "0 unchanged", "1 refused",
		`<td class="ar seg" dir="rtl" lang="ar">الضمانات	الأمنية &lt;ضرورية&gt;.</td>`,
		"Security guarantees are &lt;script&gt;alert(1)&lt;/script&gt; essential.",
		"<td>tuid, changeid, notes</td>",
		`<span class="line">line 13</span> <span class="field">&lt;tu tuid="french"&gt;</span>: no Arabic and no English variant (languages fr, de)`,
		"Import the 2 good units", "The refused units stay out",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("preview lacks %q", want)
		}
	}
	if strings.Contains(page, "<script>alert") {
		t.Error("the preview shows a segment's markup unescaped")
	}
	if n := e.memoryCount(t); n != 1 {
		t.Fatalf("the preview wrote: %d pairs", n)
	}
	m := memoryTokenRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no confirm form in the preview:\n%s", page)
	}
	path := "/memory/import/" + m[1]
	if resp, body := e.postForm(t, path, url.Values{"action": {"preview"}}, false); resp.StatusCode != 200 || !strings.Contains(string(body), "1 to add") {
		t.Errorf("preview again = %d", resp.StatusCode)
	}

	resp, _ = e.postForm(t, path, url.Values{"action": {"import"}}, false)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/memory" {
		t.Fatalf("confirm = %d %q", resp.StatusCode, loc)
	}
	if msg := flashOf(t, resp); msg != "Imported desk.tmx: 1 added, 1 updated, 0 unchanged, 1 refused units left out." {
		t.Errorf("flash = %q", msg)
	}
	if n := e.memoryCount(t); n != 2 {
		t.Errorf("after confirm: %d pairs, want 2", n)
	}
	got, err := e.stores.Memory.Exact(context.Background(), []string{"الضمانات الأمنية <ضرورية>."})
	if err != nil || got["الضمانات الأمنية <ضرورية>."] != "Security guarantees are <script>alert(1)</script> essential." {
		t.Errorf("Exact after the import = %v, %v", got, err)
	}
	resp, body = e.postForm(t, path, url.Values{"action": {"import"}}, false)
	if resp.StatusCode != http.StatusGone || !strings.Contains(string(body), "upload the file again") {
		t.Errorf("re-using an imported upload = %d", resp.StatusCode)
	}

	// The same file again changes nothing, and the preview offers no import.
	resp, body = e.upload(t, "/memory/import", "desk.tmx", data, nil)
	if page := string(body); resp.StatusCode != 200 || !strings.Contains(page, "0 to add") || !strings.Contains(page, "2 unchanged") ||
		strings.Contains(page, `id="import-confirm"`) || !strings.Contains(page, "Nothing to change") {
		t.Errorf("preview of a file the memory has = %d\n%s", resp.StatusCode, page)
	}
	if resp, _ := e.postForm(t, path, url.Values{"action": {"frob"}}, false); resp.StatusCode != http.StatusGone {
		t.Errorf("an unknown action on a dropped upload = %d", resp.StatusCode)
	}
}

// TestMemoryPage_Refusals: a file that cannot be imported is shown with its reason (the file,
// the line or the languages) and changes nothing.
func TestMemoryPage_Refusals(t *testing.T) {
	e := newTestEnv(t)
	for _, tc := range []struct {
		name, doc, want string
		status          int
	}{
		{"broken.tmx", "<tmx version=\"1.4\">\n<body>\n<tu><tuv xml:lang=\"ar\"><seg>x</tuv>\n</body></tmx>", "broken.tmx:3: element &lt;seg&gt; closed by &lt;/tuv&gt;", 400},
		{"fr.tmx", `<tmx version="1.4"><body><tu><tuv xml:lang="fr"><seg>merci</seg></tuv><tuv xml:lang="de"><seg>danke</seg></tuv></tu></body></tmx>`,
			"fr.tmx: no Arabic–English pair in 1 translation unit; the file&#39;s languages are: de, fr", 400},
		{"glossary.tbx", `<martif type="TBX"><text><body/></text></martif>`, "this is a TBX glossary, not a TMX memory", 400},
		{"", "", "file: required (a multipart/form-data upload with a TMX file", 400},
	} {
		resp, body := e.upload(t, "/memory/import", tc.name, []byte(tc.doc), nil)
		if resp.StatusCode != tc.status || !strings.Contains(string(body), tc.want) || !strings.Contains(string(body), `class="import-problem"`) {
			t.Errorf("%s: %d, want %d with %q\n%s", tc.name, resp.StatusCode, tc.status, tc.want, body)
		}
	}
	if n := e.memoryCount(t); n != 0 {
		t.Errorf("refused files wrote %d pairs", n)
	}
}

// TestMemoryAPI: POST /api/memory/import answers with the report (a dry run writes nothing),
// GET /api/memory/export with the memory as a TMX download.
func TestMemoryAPI(t *testing.T) {
	e := newTestEnv(t)
	data, err := charmap.Windows1256.NewEncoder().Bytes([]byte(memoryTMX))
	if err != nil {
		t.Fatal(err)
	}
	for _, dry := range []string{"1", "0"} {
		resp, body := e.upload(t, "/api/memory/import", "desk.tmx", data, map[string]string{"dry_run": dry})
		var rep memory.ImportReport
		if err := json.Unmarshal(body, &rep); err != nil || resp.StatusCode != 200 {
			t.Fatalf("dry_run=%s: %d %s", dry, resp.StatusCode, body)
		}
		if rep.Added.Total != 2 || rep.Refused.Total != 1 || rep.Refused.Items[0].TUID != "french" || rep.DryRun != (dry == "1") {
			t.Errorf("dry_run=%s: report %+v", dry, rep)
		}
	}
	if n := e.memoryCount(t); n != 2 {
		t.Errorf("the memory holds %d pairs, want 2", n)
	}
	resp, body := e.upload(t, "/api/memory/import", "bad.tmx", []byte("<tmx>\n<body>\n<tu>"), nil)
	if resp.StatusCode != 400 || !strings.Contains(errorOf(t, body), "bad.tmx:3:") {
		t.Errorf("a bad file = %d %s", resp.StatusCode, body)
	}

	resp, page := e.fetch(t, "/api/memory/export")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Disposition") != `attachment; filename="tarjama-memory.tmx"` ||
		!strings.HasPrefix(resp.Header.Get("Content-Type"), "application/x-tmx+xml") {
		t.Fatalf("export = %d %v", resp.StatusCode, resp.Header)
	}
	read, err := tmx.Read(strings.NewReader(page), "tarjama-memory.tmx")
	if err != nil || len(read.Pairs) != 2 || read.Pairs[0].TUID != "known" || read.Pairs[1].Source != "الضمانات\tالأمنية <ضرورية>." {
		t.Errorf("exported memory = %+v, %v", read, err)
	}
}
