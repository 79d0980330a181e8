package seeds

import (
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/store"
)

func TestLoadIsIdempotent(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "seeds.db")
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	load := func() (*migrations.DB, *store.Store, *glossary.Store) {
		db := migrationstest.OpenFile(t, path)
		g := glossary.NewStore(db.W, db.R, time.Now)
		a := store.New(db.W, db.R, time.Now, g)
		if err := Load(ctx, db.W, time.Now, a, g, log); err != nil {
			t.Fatal(err)
		}
		return db, a, g
	}
	db, articles, terms := load()
	list, _ := articles.Articles(ctx)
	all, _ := terms.All(ctx)
	if len(list) != 5 {
		t.Fatalf("loaded %d articles, want 5", len(list))
	}
	if len(all) < 40 {
		t.Fatalf("loaded %d glossary terms, want at least 40", len(all))
	}
	for _, a := range list {
		full, _ := articles.Article(ctx, a.ID)
		segs, _ := articles.Segments(ctx, a.ID)
		var b strings.Builder
		for _, g := range segs {
			b.WriteString(g.Source + g.Sep)
		}
		if b.String() != full.SourceText || !strings.HasPrefix(a.SourceName, "seeds/") {
			t.Errorf("article %d (%s): segments do not join back to the stored text", a.ID, a.SourceName)
		}
	}
	// A team deletes a seed term; a restart must neither duplicate the seeds nor restore it.
	if err := terms.Delete(ctx, all[0].ID, "tester"); err != nil {
		t.Fatal(err)
	}
	db.Close()

	db, articles, terms = load()
	defer db.Close()
	list2, _ := articles.Articles(ctx)
	all2, _ := terms.All(ctx)
	if len(list2) != 5 || len(all2) != len(all)-1 {
		t.Fatalf("after restart: %d articles and %d terms, want 5 and %d", len(list2), len(all2), len(all)-1)
	}
}

func TestLoadRecoversFromUnrecordedArticle(t *testing.T) {
	ctx := context.Background()
	db := migrationstest.Open(t)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	g := glossary.NewStore(db.W, db.R, time.Now)
	a := store.New(db.W, db.R, time.Now, g)
	if err := Load(ctx, db.W, time.Now, a, g, log); err != nil {
		t.Fatal(err)
	}
	// Simulate a crash after an article was created but before it was recorded.
	if _, err := db.W.Exec(`DELETE FROM seed_loads WHERE name LIKE '000_%'`); err != nil {
		t.Fatal(err)
	}
	if err := Load(ctx, db.W, time.Now, a, g, log); err != nil {
		t.Fatal(err)
	}
	list, _ := a.Articles(ctx)
	if len(list) != 5 {
		t.Fatalf("%d articles after reload, want 5", len(list))
	}
}
