package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/memory"
)

func cmdTM(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "tm", args, map[string]command{"import": cmdTMImport, "export": cmdTMExport})
}

func cmdTMImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "tm import")
	dry := fs.Bool("dry-run", false, "report how many pairs would be added; write nothing")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrf("tm import: name exactly one TMX file")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.memory.ImportTMX(ctx, f, memory.ImportOptions{Name: pos[0], DryRun: *dry})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(rep)
	}
	printTMXReport(e.stdout, rep)
	return nil
}

func printTMXReport(w io.Writer, r memory.ImportReport) {
	if r.DryRun {
		fmt.Fprintf(w, "%s: dry run, nothing written: %d of %s would be added (%d already in the memory)\n",
			r.File, r.Added, translate.Plural(r.Pairs, "Arabic–English pair"), r.Unchanged)
	} else {
		fmt.Fprintf(w, "%s: imported: %d of %s added (%d already in the memory)\n",
			r.File, r.Added, translate.Plural(r.Pairs, "Arabic–English pair"), r.Unchanged)
	}
	if n := arabic.BidiNotice("pairs", r.Stripped); n != "" {
		fmt.Fprintln(w, n)
	}
	if r.Skipped > 0 {
		fmt.Fprintf(w, "skipped %d of %s:\n", r.Skipped, translate.Plural(r.Units, "translation unit"))
		for _, n := range r.Notes {
			fmt.Fprintf(w, "  %s\n", n)
		}
		if r.Skipped > len(r.Notes) {
			fmt.Fprintf(w, "  … and %d more\n", r.Skipped-len(r.Notes))
		}
	}
}

func cmdTMExport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "tm export")
	outPath := fs.String("o", "", "write to this file instead of stdout")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("tm export: unexpected argument %q", pos[0])
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	return writeOutput(e, *outPath, func(w io.Writer) error { return a.memory.ExportTMX(ctx, w) })
}
