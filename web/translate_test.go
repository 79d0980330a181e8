package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/backendtest"
)

func TestBrowser_TranslateFillsSegmentsLive(t *testing.T) {
	ctx := newBrowser(t)
	// One segment per request, slow enough that the page is following the run long before
	// it ends.
	srv, articles := newSeededServerWith(t, func(cfg *Config, _ *migrations.DB) {
		llm := backendtest.NewOpenAI(t, backendtest.Success())
		llm.Latency = 250 * time.Millisecond
		cfg.MT = newTestService(t, cfg.Articles, cfg.Glossary, llm, slogDiscard())
		c := cfg.MT.Config()
		c.BatchSize, c.Concurrency = 1, 1
		if err := cfg.MT.Configure(c); err != nil {
			t.Fatal(err)
		}
	})
	list, _ := articles.Articles(context.Background())
	a := list[2]
	segs, _ := articles.Segments(context.Background(), a.ID)
	// A reviewer's edit made before the run must survive it.
	if _, err := articles.SaveTarget(context.Background(), segs[1].ID, "Kept by the reviewer.", 1, "r"); err != nil {
		t.Fatal(err)
	}
	var machineRows int
	var kept, summary, translated, edited string
	err := chromedp.Run(ctx,
		chromedp.Navigate(fmt.Sprintf("%s/articles/%d", srv.URL, a.ID)),
		chromedp.WaitVisible("#translate", chromedp.ByID),
	)
	if err != nil {
		t.Fatal(err)
	}
	// The button posts a form and the server redirects back to the page: wait for that load.
	if _, err := chromedp.RunResponse(ctx, chromedp.Click("#translate", chromedp.ByID)); err != nil {
		t.Fatal(err)
	}
	translatedNow := `Number(document.querySelector("#article-progress .p-translated").textContent)`
	var atLoad, midRun int
	err = chromedp.Run(ctx,
		// The page comes back while the run is going and shows its progress bar.
		waitJS(`!document.getElementById("progress").hidden`, 20*time.Second),
		chromedp.Evaluate(translatedNow, &atLoad),
		// While the run goes on, the count at the top rises with the rows filling in.
		waitJS(fmt.Sprintf(`!document.getElementById("progress").hidden && %s > %d`, translatedNow, atLoad), 20*time.Second),
		chromedp.Evaluate(translatedNow, &midRun),
		waitJS(fmt.Sprintf(`document.querySelectorAll("form.seg.status-machine").length >= %d`, len(segs)-1), 30*time.Second),
		chromedp.Evaluate(`document.querySelectorAll("form.seg.status-machine").length`, &machineRows),
		chromedp.Value(fmt.Sprintf("#seg-%d textarea", segs[1].ID), &kept, chromedp.ByQuery),
		waitJS(`document.getElementById("run-summary").textContent.includes("segments translated")`, 20*time.Second),
		chromedp.Text("#run-summary", &summary, chromedp.ByID),
		// The counts at the top follow the run without a reload.
		waitJS(fmt.Sprintf(`document.querySelector("#article-progress .p-translated").textContent === "%d"`, len(segs)-1), 10*time.Second),
		chromedp.Text("#article-progress .p-translated", &translated, chromedp.ByQuery),
		chromedp.Text("#article-progress .p-edited", &edited, chromedp.ByQuery),
		chromedp.Evaluate(`document.querySelectorAll("form.seg.status-machine").length`, &machineRows),
	)
	if err != nil {
		t.Fatal(err)
	}
	if machineRows != len(segs)-1 || kept != "Kept by the reviewer." {
		t.Fatalf("after the run: %d machine rows (want %d), edited row reads %q", machineRows, len(segs)-1, kept)
	}
	if n := len(segs) - 1; !strings.Contains(summary, fmt.Sprintf("%d of %d segments translated", n, n)) {
		t.Errorf("run summary = %q", summary)
	}
	if midRun <= atLoad || midRun >= len(segs)-1 {
		t.Errorf("mid-run the header said %d translated (at load %d); want it rising before the end", midRun, atLoad)
	}
	if translated != fmt.Sprint(machineRows) || edited != "1" {
		t.Errorf("header counts %s translated, %s edited; want %d (the filled rows) and 1", translated, edited, machineRows)
	}
	stored, _ := articles.Segments(context.Background(), a.ID)
	for _, g := range stored {
		if g.ID != segs[1].ID && (g.Status != translate.StatusMachine || g.Target == "") {
			t.Errorf("segment %d stored as %s %q", g.Index, g.Status, g.Target)
		}
	}
}

func TestSettings_KeyNeverShownInFull(t *testing.T) {
	e := newTestEnv(t)
	get := func() string {
		resp, err := http.Get(e.srv.URL + "/settings")
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return string(b)
	}
	page := get()
	if strings.Contains(page, "sk-test-0123456789") || !strings.Contains(page, "test-model") {
		t.Fatalf("settings page shows the key in full or lacks the model")
	}
	post := func(form url.Values) (int, string) {
		req, _ := http.NewRequest("POST", e.srv.URL+"/settings", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(asBrowser(req))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	code, body := post(url.Values{"backend": {"openai"}, "base_url": {e.llm.BaseURL()}, "model": {"m2"}, "timeout": {"forever"}})
	if code != http.StatusBadRequest || !strings.Contains(body, "timeout: &#34;forever&#34; is not a duration") {
		t.Fatalf("bad timeout = %d", code)
	}
	if e.mt.Config().Model != "test-model" {
		t.Fatalf("a rejected form changed the configuration to %q", e.mt.Config().Model)
	}
	code, _ = post(url.Values{"backend": {"openai"}, "base_url": {e.llm.BaseURL()}, "model": {"m2"}, "batch_size": {"4"}, "timeout": {"30s"}})
	if code != http.StatusOK { // the redirect is followed to the settings page
		t.Fatalf("save = %d", code)
	}
	cfg := e.mt.Config()
	if cfg.Model != "m2" || cfg.BatchSize != 4 || cfg.Timeout != 30*time.Second || cfg.APIKey != "sk-test-0123456789" {
		t.Fatalf("config after save = model %q batch %d timeout %s key kept %v", cfg.Model, cfg.BatchSize, cfg.Timeout, cfg.APIKey == "sk-test-0123456789")
	}
	if !strings.Contains(get(), "openai m2") {
		t.Error("page does not show the new backend")
	}
	// Pointing the backend at another host must not carry the stored key there.
	if code, _ := post(url.Values{"backend": {"openai"}, "base_url": {"http://elsewhere.example/v1"}, "model": {"m3"}}); code != http.StatusOK {
		t.Fatalf("save with a new host = %d", code)
	}
	if k := e.mt.Config().APIKey; k != "" {
		t.Fatalf("the key followed the backend to a new host: %q", k)
	}
}

func TestTranslate_CancelKeepsWhatFinished(t *testing.T) {
	e := newTestEnv(t)
	e.llm.Latency = 400 * time.Millisecond
	var text strings.Builder
	text.WriteString("عنوان\n\n")
	for i := 0; i < 30; i++ {
		fmt.Fprintf(&text, "قال ريابكوف إن موسكو مستعدة للحوار رقم %d. ", i)
	}
	a := e.article(t, "", text.String())
	if err := e.mt.Configure(func() backends.Config { c := e.mt.Config(); c.BatchSize, c.Concurrency = 5, 1; return c }()); err != nil {
		t.Fatal(err)
	}
	form := url.Values{}
	req, _ := http.NewRequest("POST", fmt.Sprintf("%s/articles/%d/translate", e.srv.URL, a.ID), strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(asBrowser(req))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("start = %d, want a redirect to the article", resp.StatusCode)
	}
	// Let the first batch land, then press Cancel.
	landed := followRun(t, e.mt, a.ID, func(ev translate.Event) bool {
		return ev.Kind == translate.EventSegment && ev.Segment != nil && ev.Segment.Status == translate.StatusMachine
	})
	if !landed {
		t.Fatal("the run ended before a batch finished")
	}
	if r := e.do(t, "POST", fmt.Sprintf("/articles/%d/translate/cancel", a.ID), "", nil); r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusOK {
		t.Fatalf("cancel = %d", r.StatusCode)
	}
	waitForRun(t, e.mt, a.ID)
	var st struct {
		Running bool
		Report  translate.Report
	}
	e.do(t, "GET", fmt.Sprintf("/api/articles/%d/translate", a.ID), "", &st)
	if st.Running || st.Report.Status != translate.RunCancelled {
		t.Fatalf("after cancel: running=%v status=%q", st.Running, st.Report.Status)
	}
	segs, _ := e.articles.Segments(context.Background(), a.ID)
	kept, open := 0, 0
	for _, g := range segs {
		switch g.Status {
		case translate.StatusMachine:
			kept++
		case translate.StatusUntranslated:
			open++
		}
	}
	if kept == 0 || open == 0 || kept+open != len(segs) {
		t.Fatalf("after cancel: %d translated kept, %d left open of %d", kept, open, len(segs))
	}
}

func TestShutdownEndsLiveProgressStreams(t *testing.T) {
	e := newTestEnv(t)
	e.llm.Latency = 4 * time.Second // a run that outlasts the check below unless shutdown ends it
	a := e.article(t, "", "عنوان\n\nقال ريابكوف إن موسكو مستعدة للحوار. وأضاف أن الضمانات ضرورية.")
	s, err := NewServer(Config{Articles: e.articles, Glossary: e.glossary, MT: e.mt, Logger: slogDiscard()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	addrc := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- s.ListenAndServe(ctx, "127.0.0.1:0", func(a net.Addr) { addrc <- a.String() })
	}()
	addr := <-addrc
	if err := e.mt.Start(a.ID, translate.RunOptions{}); err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(fmt.Sprintf("http://%s/articles/%d/events", addr, a.ID))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start := time.Now()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("shutdown: %v", err)
		}
	case <-time.After(8 * time.Second):
		t.Fatal("shutdown waited for the progress stream")
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("shutdown took %s", d)
	}
}

func slogDiscard() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// Cancelling from the page without htmx redirects back to the article with the outcome as a
// one-time flash: shown on the next load, not again on a reload, and never in the URL.
func TestTranslateCancel_FlashShownOnce(t *testing.T) {
	e := newTestEnv(t)
	a := e.article(t, "", "عنوان\n\nنص.")
	path := fmt.Sprintf("/articles/%d", a.ID)
	resp, _ := e.postForm(t, path+"/translate/cancel", url.Values{}, false)
	const want = "No translation was running."
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != path || flashOf(t, resp) != want {
		t.Fatalf("cancel = %d to %q with flash %q; want 303 to %s with %q", resp.StatusCode, loc, flashOf(t, resp), path, want)
	}
	var flash *http.Cookie
	for _, ck := range resp.Cookies() {
		if ck.Name == flashCookie {
			flash = ck
		}
	}
	_, first := e.send(t, "GET", path, "", nil, map[string]string{"Cookie": flash.Name + "=" + flash.Value})
	_, again := e.send(t, "GET", path, "", nil, nil)
	if !strings.Contains(string(first), want) || strings.Contains(string(again), want) {
		t.Errorf("flash on first load %v, on reload %v; want shown once", strings.Contains(string(first), want), strings.Contains(string(again), want))
	}
}
