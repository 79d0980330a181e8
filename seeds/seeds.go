// Package seeds embeds the seed corpus (five Arabic news articles and the seed glossary) and
// loads it into a new database.
package seeds

import (
	"bytes"
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"sort"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// FS holds the seed articles (*.txt, UTF-8, first line the title) and glossary.csv.
//
//go:embed *.txt glossary.csv
var FS embed.FS

// GlossaryFile is the name of the seed glossary inside FS.
const GlossaryFile = "glossary.csv"

// Load imports every seed file not loaded before, through the stores. Each file is recorded
// in seed_loads (the loader's own table, written and read through the database's writer w,
// stamped with now's time), so a restart loads nothing twice and an article a team deleted
// does not come back.
func Load(ctx context.Context, w *sql.DB, now func() time.Time, articles *store.Store, terms *glossary.Store, log *slog.Logger) error {
	done := loads{w, now}
	if err := loadGlossary(ctx, done, terms, log); err != nil {
		return err
	}
	names, err := fs.Glob(FS, "*.txt")
	if err != nil {
		return err
	}
	sort.Strings(names)
	for _, name := range names {
		loaded, err := done.has(ctx, name)
		if err != nil {
			return err
		}
		if loaded {
			continue
		}
		// A crash between creating the article and recording it must not duplicate it.
		exists, err := articles.HasArticleFrom(ctx, "seeds/"+name)
		if err != nil {
			return fmt.Errorf("seed %s: %w", name, err)
		}
		if exists {
			if err := done.mark(ctx, name); err != nil {
				return err
			}
			continue
		}
		data, err := FS.ReadFile(name)
		if err != nil {
			return err
		}
		title, text, err := translate.ParseText("seeds/"+name, data)
		if err != nil {
			return fmt.Errorf("seed %s: %w", name, err)
		}
		a, err := articles.CreateArticle(ctx, title, text, "seeds/"+name)
		if err != nil {
			return fmt.Errorf("seed %s: %w", name, err)
		}
		if err := done.mark(ctx, name); err != nil {
			return err
		}
		log.Info("loaded seed article", "file", name, "id", a.ID, "segments", a.Progress.Total)
	}
	return nil
}

func loadGlossary(ctx context.Context, done loads, terms *glossary.Store, log *slog.Logger) error {
	loaded, err := done.has(ctx, GlossaryFile)
	if err != nil || loaded {
		return err
	}
	data, err := FS.ReadFile(GlossaryFile)
	if err != nil {
		return err
	}
	rep, err := terms.Import(ctx, bytes.NewReader(data), glossary.ImportOptions{Name: "seeds/" + GlossaryFile, Mode: glossary.ModeMerge, User: "seed"})
	if err != nil {
		return fmt.Errorf("seed glossary: %w", err)
	}
	if err := done.mark(ctx, GlossaryFile); err != nil {
		return err
	}
	log.Info("loaded seed glossary", "added", len(rep.Added), "updated", len(rep.Updated)+len(rep.Conflicting))
	return nil
}

// loads is the record of the seed files loaded so far: the seed_loads table, which only the
// loader reads and writes. It reads through the writer too, so it sees its own last write.
type loads struct {
	w   *sql.DB
	now func() time.Time
}

// has reports whether the seed file name was loaded before.
func (l loads) has(ctx context.Context, name string) (bool, error) {
	var x int
	err := l.w.QueryRowContext(ctx, `SELECT 1 FROM seed_loads WHERE name = ?`, name).Scan(&x)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("seed %s: %w", name, err)
	}
	return true, nil
}

// mark records that the seed file name is loaded.
func (l loads) mark(ctx context.Context, name string) error {
	_, err := l.w.ExecContext(ctx, `INSERT OR IGNORE INTO seed_loads (name, loaded_at) VALUES (?, ?)`, name, timestamp.Format(l.now()))
	if err != nil {
		return fmt.Errorf("seed %s: %w", name, err)
	}
	return nil
}
