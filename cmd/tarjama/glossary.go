package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
)

// maxMatchInput bounds `glossary match` input: a long book, far beyond one article.
const maxMatchInput = 16 << 20

func cmdGlossary(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "glossary", args, map[string]command{
		"import": cmdGlossaryImport, "export": cmdGlossaryExport, "match": cmdGlossaryMatch,
		"imports": cmdGlossaryImports, "undo": cmdGlossaryUndo,
	})
}

func cmdGlossaryImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "glossary import")
	dry := fs.Bool("dry-run", false, "report what would be added, updated, unchanged or conflicting; write nothing")
	mode := fs.String("mode", glossary.ModeMerge, "merge: add and update terms; replace: the file becomes the glossary")
	skip := fs.Bool("skip-bad", false, "import the good rows and list the bad ones instead of refusing the file")
	asJSON := fs.Bool("json", false, "print the report as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrf("glossary import: name exactly one glossary file (CSV, TSV, TBX or XLSX)")
	}
	if *mode != glossary.ModeMerge && *mode != glossary.ModeReplace {
		return usageErrf("--mode: %q is not merge or replace", *mode)
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
	rep, err := a.glossary.Import(ctx, f, glossary.ImportOptions{Name: pos[0], Mode: *mode, DryRun: *dry, SkipBad: *skip, User: cliUser(e.cfg.user)})
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, rep)
	}
	printImportReport(e.stdout, rep)
	return nil
}

func printImportReport(w io.Writer, r *glossary.ImportReport) {
	verb := "imported"
	if r.DryRun {
		verb = "dry run, nothing written"
	}
	fmt.Fprintf(w, "%s: %s (%s; %s; %s; mode %s)\n", r.File, verb, strings.ToUpper(r.Format), r.Encoding, r.Dialect, r.Mode)
	if strings.HasPrefix(r.Encoding, "windows-1256") {
		fmt.Fprintf(w, "note: the file was not UTF-8; it was decoded as Windows-1256 (Arabic Windows/Excel)\n")
	}
	for _, ig := range r.Ignored {
		fmt.Fprintf(w, "ignored: %s\n", ig)
	}
	section := func(name string, list []glossary.Change, detail bool, describe func(glossary.Change) string) {
		fmt.Fprintf(w, "%-12s %d\n", name+":", len(list))
		if !detail {
			return
		}
		for i, c := range list {
			if i == 20 {
				fmt.Fprintf(w, "  … and %d more\n", len(list)-20)
				break
			}
			line := ""
			if c.Line > 0 {
				line = fmt.Sprintf("line %d: ", c.Line)
			}
			fmt.Fprintf(w, "  %s%s\n", line, describe(c))
		}
	}
	plain := func(c glossary.Change) string { return fmt.Sprintf("%s → %s", c.Arabic, c.English) }
	section("added", r.Added, r.DryRun, plain)
	section("updated", r.Updated, true, describeUpdate)
	section("unchanged", r.Unchanged, false, plain)
	section("conflicting", r.Conflicting, true, func(c glossary.Change) string {
		now := ""
		if c.OldEnglish != "" {
			now = fmt.Sprintf(" (now %s)", c.OldEnglish)
		}
		return fmt.Sprintf("%s → %s%s: %s", c.Arabic, c.English, now, c.Reason)
	})
	if len(r.Conflicting) > 0 {
		if r.DryRun {
			fmt.Fprintf(w, "note: the import would stop at the conflicting rows; fix them, or use --skip-bad to import the rest\n")
		} else {
			fmt.Fprintf(w, "note: the conflicting rows were left out\n")
		}
	}
	if r.Mode == glossary.ModeReplace {
		section("removed", r.Removed, true, plain)
	}
	if r.Duplicates > 0 {
		fmt.Fprintf(w, "%-12s %d (repeated rows merged)\n", "duplicates:", r.Duplicates)
	}
	if r.ImportID != 0 {
		fmt.Fprintf(w, "%-12s %d (tarjama glossary undo %d takes it back)\n", "import:", r.ImportID, r.ImportID)
	}
	if len(r.Skipped) > 0 {
		fmt.Fprintf(w, "%-12s %d\n", "skipped:", len(r.Skipped))
		for _, s := range r.Skipped {
			fmt.Fprintf(w, "  %v\n", s)
		}
	}
}

// describeUpdate says what an import changes in a term: its English first, then the other
// columns, then how the alternatives followed.
func describeUpdate(c glossary.Change) string {
	var parts []string
	var others []string
	for _, f := range c.Fields {
		if f != "english" {
			others = append(others, f)
		}
	}
	if c.OldEnglish != c.English {
		parts = append(parts, fmt.Sprintf("English %q → %q", c.OldEnglish, c.English))
		if len(others) > 0 {
			parts = append(parts, "also "+strings.Join(others, ", "))
		}
	} else {
		parts = append(parts, strings.Join(others, ", "))
	}
	if c.Detail != "" {
		parts = append(parts, c.Detail)
	}
	return c.Arabic + ": " + strings.Join(parts, "; ")
}

func cmdGlossaryExport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "glossary export")
	format := fs.String("format", glossary.FormatCSV, "csv, tbx (TBX-Basic v3, for memoQ, Trados, OmegaT, Weblate) or xlsx (Excel)")
	bom := fs.Bool("bom", false, "csv: start with a UTF-8 byte order mark (for Excel)")
	outPath := fs.String("o", "", "write to this file instead of stdout")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("glossary export: unexpected argument %q", pos[0])
	}
	f, err := glossary.ParseFormat(*format)
	if err != nil {
		var fe *glossary.FieldError
		if errors.As(err, &fe) {
			return usageErrf("--%s: %s", fe.Field, fe.Reason)
		}
		return usageErr(err)
	}
	if *bom && f != glossary.FormatCSV {
		return usageErrf("--bom: only a CSV export has a byte order mark")
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	return writeOutput(e, *outPath, func(w io.Writer) error {
		return a.glossary.Export(ctx, w, glossary.ExportOptions{Format: f, BOM: *bom})
	})
}

func cmdGlossaryMatch(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "glossary match")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("glossary match: reads the text from stdin and takes no arguments")
	}
	data, err := io.ReadAll(io.LimitReader(e.stdin, maxMatchInput+1))
	if err != nil {
		return fmt.Errorf("stdin: %w", err)
	}
	if len(data) > maxMatchInput {
		return fmt.Errorf("stdin: more than %d MiB of text", maxMatchInput>>20)
	}
	text, encoding, err := arabic.DecodeText(data)
	if err != nil {
		return fmt.Errorf("stdin: %w", err)
	}
	if encoding == arabic.EncodingUTF8BOM {
		// Offsets count code points of the input as given, so its BOM is code point 0; the
		// normalizer drops it like any zero-width mark, so it never joins a hit.
		text = "\ufeff" + text
	}
	if encoding != arabic.EncodingUTF8 && encoding != arabic.EncodingUTF8BOM {
		fmt.Fprintf(e.stderr, "glossary match: stdin is not UTF-8; decoded it as %s (offsets count the decoded text)\n", encoding)
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	m, err := a.glossary.Matcher(ctx)
	if err != nil {
		return err
	}
	matches := m.Match(text)
	out := glossary.AppendMatchesJSON(make([]byte, 0, 160*len(matches)+3), matches)
	_, err = e.stdout.Write(append(out, '\n'))
	return err
}

// importStamp is how the CLI shows the time of an import: UTC to the minute.
const importStamp = "2006-01-02 15:04"

func cmdGlossaryImports(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "glossary imports")
	limit := fs.Int("limit", 0, "list only the latest N imports (0: all)")
	asJSON := fs.Bool("json", false, "print the imports as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("glossary imports: unexpected argument %q", pos[0])
	}
	if *limit < 0 {
		return usageErrf("--limit: %d is below 0", *limit)
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	list, err := a.glossary.Imports(ctx, *limit)
	if err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, list)
	}
	if len(list) == 0 {
		fmt.Fprintln(e.stderr, "no glossary imports yet")
		return nil
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN (UTC)\tWHO\tFILE\tMODE\tADDED\tUPDATED\tREMOVED\tUNDONE")
	for _, r := range list {
		undone := "-"
		if r.UndoneAt != nil {
			undone = r.UndoneAt.UTC().Format(importStamp) + " by " + r.UndoneBy
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%d\t%d\t%s\n", r.ID, r.At.UTC().Format(importStamp), r.By, r.File, r.Mode,
			r.Added, r.Updated, r.Removed, undone)
	}
	return tw.Flush()
}

func cmdGlossaryUndo(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "glossary undo")
	force := fs.Bool("force", false, "undo even when terms the import changed were changed since, replacing those changes")
	asJSON := fs.Bool("json", false, "print what the undo did as JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErrf("glossary undo: name one import by its id (tarjama glossary imports lists them)")
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return usageErrf("glossary undo: %q is not an import id (tarjama glossary imports lists them)", pos[0])
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	rep, err := a.glossary.UndoImport(ctx, id, glossary.UndoOptions{User: cliUser(e.cfg.user), Force: *force})
	if err != nil {
		return fmt.Errorf("glossary undo: %w", err)
	}
	if *asJSON {
		return printJSON(e.stdout, rep)
	}
	printUndoReport(e.stdout, rep)
	return nil
}

// printUndoReport says what an undo did, term by term (20 of each kind at most).
func printUndoReport(w io.Writer, r *glossary.UndoReport) {
	fmt.Fprintf(w, "undid %s of %s by %s\n", r.Import.Name(), r.Import.At.UTC().Format(importStamp), r.Import.By)
	section := func(name string, list []glossary.Change, describe func(glossary.Change) string) {
		fmt.Fprintf(w, "%-12s %d\n", name+":", len(list))
		for i, c := range list {
			if i == 20 {
				fmt.Fprintf(w, "  … and %d more\n", len(list)-20)
				break
			}
			fmt.Fprintf(w, "  %s\n", describe(c))
		}
	}
	plain := func(c glossary.Change) string { return fmt.Sprintf("%s → %s", c.Arabic, c.English) }
	section("deleted", r.Deleted, plain)
	section("restored", r.Restored, func(c glossary.Change) string {
		if c.OldEnglish != c.English {
			return fmt.Sprintf("%s: English %q → %q", c.Arabic, c.OldEnglish, c.English)
		}
		return fmt.Sprintf("%s: %s", c.Arabic, strings.Join(c.Fields, ", "))
	})
	section("put back", r.Recreated, plain)
	if len(r.Overwritten) > 0 {
		section("overwritten", r.Overwritten, func(c glossary.Change) string {
			return fmt.Sprintf("%s → %s (%s)", c.Arabic, c.English, c.Detail)
		})
	}
}

// printJSON writes v as indented JSON, for the --json of the glossary commands.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
