package main

import (
	"context"
	"strconv"

	"github.com/tarjama/tarjama/translate/export"
)

func cmdExport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "export")
	format := fs.String("format", "txt", "txt | md | html | xliff (2.0) | xliff12 (1.2) | tmx")
	outPath := fs.String("o", "", "write to this file instead of stdout")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrf("export: name exactly one ARTICLE_ID")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usageErrf("export: %q is not an article id", pos[0])
	}
	f, err := export.ParseFormat(*format)
	if err != nil {
		return usageErr(err)
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	art, err := a.articles.Article(ctx, id)
	if err != nil {
		return err
	}
	segs, err := a.articles.Segments(ctx, id)
	if err != nil {
		return err
	}
	open, err := a.articles.OpenFindings(ctx, segs)
	if err != nil {
		return err
	}
	return writeOutput(e, *outPath, func(w writer) error { return export.Write(w, f, art, segs, open) })
}
