package main

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/tarjama/tarjama/translate"
)

// cmdImport imports UTF-8 text files as articles. Every file is checked before any is
// stored, so one bad file in a list leaves the database as it was.
func cmdImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "import")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageError{"import: name at least one text file"}
	}
	type parsed struct{ name, title, text string }
	var ok []parsed
	var errs []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		title, text, err := translate.ParseText(f, data)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		ok = append(ok, parsed{f, title, text})
	}
	if len(errs) > 0 {
		return fmt.Errorf("nothing imported:\n  %w", errors.Join(errs...))
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	for _, p := range ok {
		art, err := a.articles.CreateArticle(ctx, p.title, p.text, p.name)
		if err != nil {
			return fmt.Errorf("%s: %w", p.name, err)
		}
		fmt.Fprintf(e.stdout, "%d\t%s\t%d segments\t%s\n", art.ID, p.name, art.Progress.Total, art.Title)
	}
	return nil
}
