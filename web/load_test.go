package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/store"
)

// loadServer is the workbench served by ListenAndServe on a loopback port over a real
// SQLite file, with an article of loadSegments segments and a glossary of 300 terms.
type loadServer struct {
	base     string
	articles *store.Store
	article  translate.Article
	segs     []translate.Segment
}

const loadSegments = 40

func startLoadServer(tb testing.TB) *loadServer {
	tb.Helper()
	db := migrationstest.Open(tb)
	log := slogDiscard()
	terms := glossary.NewStore(db.W, db.R, time.Now)
	articles := store.New(db.W, db.R, time.Now, terms)
	stores := testStores(db, articles, terms)
	mt, err := backends.NewService(stores, backends.Config{Backend: backends.Offline}, log)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(mt.Close)
	var csv strings.Builder
	csv.WriteString("arabic,english\n")
	letters := []rune("بتثجحخدذرزسشصضطظعغفقكلمنهوي")
	for i := range 300 {
		fmt.Fprintf(&csv, "كلمة%c%c%c,term %d\n", letters[i%27], letters[i/27%27], letters[i/729%27], i)
	}
	if _, err := terms.Import(context.Background(), strings.NewReader(csv.String()), glossary.ImportOptions{Name: "load.csv"}); err != nil {
		tb.Fatal(err)
	}
	var text strings.Builder
	text.WriteString("عنوان المقال\n\n")
	for i := 1; i < loadSegments; i++ {
		fmt.Fprintf(&text, "قال المتحدث في الجملة رقم %d إن الضمانات الأمنية ضرورية. ", i)
		if i%5 == 0 {
			text.WriteString("\n\n")
		}
	}
	a, err := articles.CreateArticle(context.Background(), "load", text.String(), "")
	if err != nil {
		tb.Fatal(err)
	}
	segs, err := articles.Segments(context.Background(), a.ID)
	if err != nil || len(segs) != loadSegments {
		tb.Fatalf("the load article has %d segments, %v", len(segs), err)
	}
	s, err := NewServer(Config{Articles: articles, Memory: stores.Memory, Glossary: terms, MT: mt, Logger: log})
	if err != nil {
		tb.Fatal(err)
	}
	return &loadServer{base: "http://" + listenOnLoopback(tb, s), articles: articles, article: a, segs: segs}
}

// ack is a write the server acknowledged (200): the version the reviewer wrote from, and the
// segment's version and text after it.
type ack struct {
	segment int64
	base    int
	version int
	target  string
}

// loadResult is what a load run measured.
type loadResult struct {
	requests  int
	elapsed   time.Duration
	latencies []time.Duration
	status    map[int]int // answers by status
	failures  []string    // transport errors and 5xx answers
	acks      []ack
}

func (r *loadResult) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p * float64(len(r.latencies)-1))
	return r.latencies[i]
}

// runLoad sends requests from clients at once for d, each client a reviewer at work: reading
// the article, saving a segment with the version it read (a stale version gets 409 with the
// current segment, which it takes up), approving one, reading the glossary. The segments
// written are a handful, so that reviewers collide.
func (ls *loadServer) runLoad(tb testing.TB, clients int, d time.Duration) *loadResult {
	tb.Helper()
	tr := &http.Transport{MaxIdleConnsPerHost: clients, MaxConnsPerHost: clients}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	hot := ls.segs[1:9] // eight segments everyone edits
	res := &loadResult{status: map[int]int{}}
	var mu sync.Mutex
	record := func(start time.Time, status int, failure string) {
		lat := time.Since(start)
		mu.Lock()
		defer mu.Unlock()
		res.requests++
		res.latencies = append(res.latencies, lat)
		res.status[status]++
		if failure != "" && len(res.failures) < 20 {
			res.failures = append(res.failures, failure)
		}
	}
	acked := func(base int, g translate.Segment) {
		mu.Lock()
		defer mu.Unlock()
		res.acks = append(res.acks, ack{segment: g.ID, base: base, version: g.Version, target: g.Target})
	}
	// call sends one request; out, when not nil, receives a 200's or a 409's JSON answer.
	call := func(method, path string, body any, out any) int {
		var rd io.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = bytes.NewReader(b)
		}
		req, _ := http.NewRequest(method, ls.base+path, rd)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			record(start, 0, fmt.Sprintf("%s %s: %v", method, path, err))
			return 0
		}
		data, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		failure := ""
		switch {
		case err != nil:
			failure = fmt.Sprintf("%s %s: reading the answer: %v", method, path, err)
		case resp.StatusCode >= 500:
			failure = fmt.Sprintf("%s %s = %d %s", method, path, resp.StatusCode, data)
		}
		if out != nil && (resp.StatusCode == http.StatusOK || resp.StatusCode == http.StatusConflict) {
			if err := json.Unmarshal(data, out); err != nil {
				failure = fmt.Sprintf("%s %s: %v in %q", method, path, err, data)
			}
		}
		record(start, resp.StatusCode, failure)
		return resp.StatusCode
	}
	deadline := time.Now().Add(d)
	var wg sync.WaitGroup
	begin := time.Now()
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 1))
			known := map[int64]int{} // segment → the version this reviewer last saw
			read := func() {
				var got struct{ Segments []translate.Segment }
				if call("GET", fmt.Sprintf("/api/articles/%d", ls.article.ID), nil, &got) == http.StatusOK {
					for _, g := range got.Segments {
						known[g.ID] = g.Version
					}
				}
			}
			read()
			for n := 0; time.Now().Before(deadline); n++ {
				g := hot[rng.IntN(len(hot))]
				switch p := rng.IntN(100); {
				case p < 35:
					read()
				case p < 85:
					// Save a new text, or approve the text as read; either with the version read.
					path, body := fmt.Sprintf("/api/segments/%d", g.ID), map[string]any{"version": known[g.ID]}
					method := "PUT"
					if p < 70 {
						body["target"] = fmt.Sprintf("Reviewer %d, edit %d: security guarantees are essential.", c, n)
					} else {
						method, path = "POST", path+"/approve"
					}
					var got struct {
						translate.Segment
						Current translate.Segment `json:"current"` // a 409's
					}
					switch call(method, path, body, &got) {
					case http.StatusOK:
						acked(body["version"].(int), got.Segment)
						known[g.ID] = got.Version
					case http.StatusConflict:
						known[g.ID] = got.Current.Version
					}
				default:
					call("GET", "/api/glossary?limit=100", nil, nil)
				}
			}
		})
	}
	wg.Wait()
	res.elapsed = time.Since(begin)
	slices.Sort(res.latencies)
	return res
}

// check fails the test for any 5xx or transport error, and for a lost update. Every change of
// a segment raises its version by one, and every change here is a reviewer's acknowledged
// write (a failed request fails the test anyway), so for each segment the acknowledged writes
// that changed it must be one per version from the first to the stored one, each written from
// the version before it — no write went in over one its writer had not seen — with one
// revision each, and the stored text must be the last one's. A write that changed nothing (an
// approval of approved text) keeps its version.
func (ls *loadServer) check(tb testing.TB, r *loadResult) {
	tb.Helper()
	for _, f := range r.failures {
		tb.Errorf("failed request: %s", f)
	}
	for status, n := range r.status {
		if status == 0 || status >= 500 {
			tb.Errorf("%d answers with status %d", n, status)
		}
	}
	changes := map[int64]map[int]ack{} // segment → version → the write that made it
	for _, a := range r.acks {
		switch {
		case a.version == a.base:
			continue // nothing changed
		case a.version != a.base+1:
			tb.Errorf("segment %d: a write from version %d acknowledged at version %d", a.segment, a.base, a.version)
		}
		byVersion := changes[a.segment]
		if byVersion == nil {
			byVersion = map[int]ack{}
			changes[a.segment] = byVersion
		}
		if prev, ok := byVersion[a.version]; ok {
			tb.Errorf("segment %d: two writes acknowledged at version %d, %q and %q: one was lost", a.segment, a.version, prev.target, a.target)
		}
		byVersion[a.version] = a
	}
	if len(changes) == 0 {
		tb.Error("no write was acknowledged: the load did not test lost updates")
	}
	for _, first := range ls.segs {
		byVersion := changes[first.ID]
		g, err := ls.articles.Segment(context.Background(), first.ID)
		if err != nil {
			tb.Fatal(err)
		}
		revs, err := ls.articles.Revisions(context.Background(), first.ID)
		if err != nil {
			tb.Fatal(err)
		}
		if g.Version != first.Version+len(byVersion) || len(revs) != len(byVersion) {
			tb.Errorf("segment %d went from version %d to %d with %d revisions, but %d changes were acknowledged",
				g.ID, first.Version, g.Version, len(revs), len(byVersion))
			continue
		}
		if len(byVersion) > 0 && g.Target != byVersion[g.Version].target {
			tb.Errorf("segment %d is stored as %q; the last acknowledged write, version %d, was %q", g.ID, g.Target, g.Version, byVersion[g.Version].target)
		}
	}
}

// TestLoad_NoLostUpdate: eight reviewers at once for two seconds against a real server and
// SQLite file: no 5xx, and every acknowledged save is stored or superseded by a later one.
// BenchmarkLoad is the long version with its figures.
func TestLoad_NoLostUpdate(t *testing.T) {
	if testing.Short() {
		t.Skip("two seconds of load")
	}
	ls := startLoadServer(t)
	r := ls.runLoad(t, 8, 2*time.Second)
	ls.check(t, r)
	t.Logf("%d requests in %s (%d acknowledged writes, %d conflicts), p50 %s, p99 %s",
		r.requests, r.elapsed.Round(time.Millisecond), len(r.acks), r.status[http.StatusConflict], r.percentile(0.5), r.percentile(0.99))
}

// BenchmarkLoad: 32 reviewers at once for 10 seconds, on loopback, with the checks of
// TestLoad_NoLostUpdate. Run it alone: go test ./web -run '^$' -bench Load -benchtime=1x.
func BenchmarkLoad(b *testing.B) {
	ls := startLoadServer(b)
	var r *loadResult
	for b.Loop() {
		r = ls.runLoad(b, 32, 10*time.Second)
		ls.check(b, r)
	}
	b.ReportMetric(float64(r.requests)/r.elapsed.Seconds(), "req/s")
	b.ReportMetric(float64(r.percentile(0.5).Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(r.percentile(0.99).Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(len(r.acks)), "acked-writes")
	b.ReportMetric(float64(r.status[http.StatusConflict]), "conflicts")
}
