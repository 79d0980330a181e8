package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/memory"
)

func cmdTM(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "tm", args, map[string]command{"import": cmdTMImport, "export": cmdTMExport})
}

func cmdTMImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "tm import")
	dry := fs.Bool("dry-run", false, "report what would be added, updated or refused; write nothing")
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

// printTMXReport prints an import report in the glossary import's layout: what the file is,
// then a count of each kind with the units worth reading (in a dry run, the added ones too).
func printTMXReport(w io.Writer, r memory.ImportReport) {
	verb := "imported"
	if r.DryRun {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(w, "%s: %s (TMX %s; %s; %s, %s; languages %s)\n", r.File, verb, r.Version, r.Encoding,
		translate.Plural(r.Units, "translation unit"), translate.Plural(r.Pairs, "Arabic–English pair"), strings.Join(r.Languages, ", "))
	section := func(name string, l memory.Listed[memory.UnitChange], detail bool) {
		fmt.Fprintf(w, "%-12s %d\n", name+":", l.Total)
		if !detail {
			return
		}
		for i, c := range l.Items {
			if i == 20 {
				break
			}
			what := ""
			if len(c.Fields) > 0 {
				what = ": " + strings.Join(c.Fields, ", ")
			}
			fmt.Fprintf(w, "  line %d: %s → %s%s\n", c.Line, oneLine(c.Source), oneLine(c.Target), what)
		}
		if more := l.Total - min(len(l.Items), 20); more > 0 {
			fmt.Fprintf(w, "  … and %d more\n", more)
		}
	}
	section("added", r.Added, r.DryRun)
	section("updated", r.Updated, true)
	section("unchanged", r.Unchanged, false)
	fmt.Fprintf(w, "%-12s %d\n", "refused:", r.Refused.Total)
	for _, ref := range r.Refused.Items {
		fmt.Fprintf(w, "  %s\n", ref)
	}
	if more := r.Refused.Total - len(r.Refused.Items); more > 0 {
		fmt.Fprintf(w, "  … and %d more\n", more)
	}
	if n := arabic.BidiNotice("pairs", r.Stripped); n != "" {
		fmt.Fprintln(w, n)
	}
}

// oneLine shows a segment on one line of a report: its line breaks and tabs as \n and \t.
func oneLine(s string) string {
	return strings.NewReplacer("\n", `\n`, "\r", `\r`, "\t", `\t`).Replace(s)
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
