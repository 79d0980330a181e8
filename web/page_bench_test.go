package web

import (
	"context"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/store"
)

// BenchmarkArticlePage200 measures the review page of a 200-segment article with the seed
// glossary highlighted, against a baseline that only escapes the same 200 sources and
// targets into a bare template (no store, no matching, no layout).
func BenchmarkArticlePage200(b *testing.B) {
	ctx := context.Background()
	db, err := migrations.Open(ctx, filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	terms := glossary.NewStore(db)
	articles := store.New(db, terms)
	if err := seeds.Load(ctx, db, articles, terms, log); err != nil {
		b.Fatal(err)
	}
	// 200 segments of real seed sentences, each with an English target.
	seedSegs, _ := articles.Segments(ctx, 1)
	var text strings.Builder
	for i := 0; i < 200; i++ {
		text.WriteString(seedSegs[1+i%(len(seedSegs)-1)].Source)
		text.WriteString("\n")
	}
	a, err := articles.CreateArticle(ctx, "bench", text.String(), "")
	if err != nil {
		b.Fatal(err)
	}
	segs, _ := articles.Segments(ctx, a.ID)
	if len(segs) != 200 {
		b.Fatalf("%d segments, want 200", len(segs))
	}
	var outs []store.MachineOutput
	for _, g := range segs {
		outs = append(outs, store.MachineOutput{SegmentID: g.ID, Target: "Deputy Foreign Minister Sergei Ryabkov said on Monday that Moscow was ready for dialogue.",
			Status: translate.StatusMachine, Origin: translate.OriginMachine, Backend: "bench"})
	}
	if _, err := articles.ApplyMachine(ctx, outs); err != nil {
		b.Fatal(err)
	}
	stores := testStores(db, articles, terms)
	mt, err := backends.NewService(stores, backends.Config{Backend: backends.Offline}, log)
	if err != nil {
		b.Fatal(err)
	}
	defer mt.Close()
	s, err := NewServer(Config{Articles: articles, Memory: stores.Memory, Glossary: terms, MT: mt, Logger: log})
	if err != nil {
		b.Fatal(err)
	}
	h := s.Handler()
	path := fmt.Sprintf("/articles/%d", a.ID)

	b.Run("tarjama", func(b *testing.B) {
		var size int
		for b.Loop() {
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d", rec.Code)
			}
			size = rec.Body.Len()
		}
		b.ReportMetric(float64(size)/1024, "KiB/page")
	})
	b.Run("baseline-bare-template", func(b *testing.B) {
		bare := template.Must(template.New("bare").Parse(`{{range .}}<div>{{.Source}}</div><textarea>{{.Target}}</textarea>{{end}}`))
		full, _ := articles.Segments(ctx, a.ID)
		for b.Loop() {
			if err := bare.Execute(io.Discard, full); err != nil {
				b.Fatal(err)
			}
		}
	})
}
