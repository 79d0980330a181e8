package main

import (
	"context"
	"fmt"
	"os"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// cmdImport imports text files as articles: UTF-8, or UTF-16 or Windows-1256 decoded and said
// on stderr (see translate.ReadText). Every file is checked before any is
// stored, and all are stored in one transaction, so one bad file in a list, or a failure
// while storing, leaves the database as it was.
func cmdImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "import")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErrf("import: name at least one text file")
	}
	var arts []store.NewArticle
	var read []translate.Text
	var errs []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		t, err := translate.ReadText(f, "", data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		arts = append(arts, store.NewArticle{Title: t.Title, Text: t.Body, SourceName: f})
		read = append(read, t)
	}
	if len(errs) > 0 {
		return &errorList{"nothing imported:", errs}
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	created, err := a.articles.CreateArticles(ctx, arts)
	if err != nil {
		return fmt.Errorf("nothing imported: %w", err)
	}
	for i, art := range created {
		if enc := read[i].Encoding; enc != arabic.EncodingUTF8 && enc != arabic.EncodingUTF8BOM {
			fmt.Fprintf(e.stderr, "import: %s is not UTF-8; decoded it as %s\n", arts[i].SourceName, enc)
		}
		if n := read[i].Notice(); n != "" {
			fmt.Fprintf(e.stderr, "import: %s: %s\n", arts[i].SourceName, n)
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%s\t%s\n", art.ID, arts[i].SourceName, translate.Plural(art.Progress.Total, "segment"), art.Title)
	}
	return nil
}
