package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/store"
)

// cmdImport imports articles: the content of each file, not its name, says what it is (see
// store.ReadUpload). A text (UTF-8, or UTF-16 or Windows-1256 decoded and said on stderr) or
// another tool's XLIFF file becomes a new article; an XLIFF file Tarjama exported goes back
// into its article. Every file is read and checked before any is stored, and all are stored
// in one transaction, so one bad file in a list, or a failure while storing, leaves the
// database as it was.
func cmdImport(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "import")
	dry := fs.Bool("dry-run", false, "report what would be imported and, for an XLIFF export coming back, what would be updated, unchanged or conflicting; write nothing")
	dup := fs.Bool("allow-duplicate", false, "import a file even when an article with the same text exists")
	asJSON := fs.Bool("json", false, "print what was imported as JSON")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usageErrf("import: name at least one file (an Arabic text or an XLIFF file)")
	}
	var parsed []*store.Parsed
	var errs []error
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		p, err := store.ReadUpload(store.Upload{Name: f, Data: data})
		if err != nil {
			errs = append(errs, err)
			continue
		}
		parsed = append(parsed, p)
	}
	if len(errs) > 0 {
		return &errorList{"nothing imported:", errs}
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	done, err := a.articles.Import(ctx, parsed, store.ImportOptions{Author: cliUser(e.cfg.user), AllowDuplicate: *dup, DryRun: *dry})
	if err != nil {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			return &errorList{"nothing imported:", j.Unwrap()}
		}
		return fmt.Errorf("nothing imported: %w", err)
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(importJSON(done, *dry))
	}
	for _, imp := range done {
		if enc := imp.Decoded(); enc != "" {
			fmt.Fprintf(e.stderr, "import: %s is not UTF-8; decoded it as %s\n", imp.Name, enc)
		}
		if n := imp.Notice(); n != "" {
			fmt.Fprintf(e.stderr, "import: %s\n", n)
		}
		if imp.Back != nil {
			printExportReport(e.stdout, imp, *dry)
			continue
		}
		id := fmt.Sprint(imp.Article.ID)
		if *dry {
			id = "new (dry run)"
		}
		line := fmt.Sprintf("%s\t%s\t%s\t%s", id, imp.Name, translate.Plural(imp.Article.Progress.Total, "segment"), imp.Article.Title)
		if imp.Kind == store.KindBilingual {
			line += fmt.Sprintf("\t(%s, %d with English from the file)", imp.Format, imp.Drafts)
		}
		fmt.Fprintln(e.stdout, line)
	}
	return nil
}

// printExportReport says what an export coming back did, unit by unit.
func printExportReport(w io.Writer, imp store.Imported, dry bool) {
	verb := "imported"
	if dry {
		verb = "dry run, nothing written"
	}
	r := imp.Back
	fmt.Fprintf(w, "%s: %s export of article %d «%s»: %s\n", imp.Name, imp.Format, imp.Article.ID, imp.Article.Title, verb)
	section := func(name string, list []store.UnitChange, detail func(store.UnitChange) string) {
		fmt.Fprintf(w, "%-12s %d\n", name+":", len(list))
		for _, c := range list {
			if detail != nil {
				fmt.Fprintf(w, "  segment %d: %s\n", c.Number, detail(c))
			}
		}
	}
	section("updated", r.Updated, func(c store.UnitChange) string { return fmt.Sprintf("%s (%s)", c.After, c.Status) })
	section("unchanged", r.Unchanged, nil)
	section("conflicting", r.Conflicting, func(c store.UnitChange) string {
		return fmt.Sprintf("%s; Tarjama has %q, the file %q", c.Reason, c.Before, c.After)
	})
	section("no English", r.Empty, nil)
	if len(r.Conflicting) > 0 {
		fmt.Fprintf(w, "note: conflicting segments keep their text in Tarjama; settle them on the article page\n")
	}
}

// importJSON is what `import --json` prints for each file.
func importJSON(done []store.Imported, dry bool) []map[string]any {
	out := make([]map[string]any, 0, len(done))
	for _, imp := range done {
		m := map[string]any{"file": imp.Name, "kind": imp.Kind, "format": imp.Format, "dry_run": dry, "article": imp.Article}
		if imp.Back != nil {
			m["report"] = imp.Back
		}
		if imp.Kind == store.KindBilingual {
			m["drafts"] = imp.Drafts
		}
		out = append(out, m)
	}
	return out
}
