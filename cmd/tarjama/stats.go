package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
)

// noQualityYet is what stats says before any approved segment came from machine output.
const noQualityYet = "No quality figures yet: no reviewer has approved a machine-translated segment."

// cmdStats prints the per-backend quality figures: a table, or JSON with --json.
func cmdStats(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "stats")
	asJSON := fs.Bool("json", false, "print JSON {\"quality\": [...]} instead of a table")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageErrf("stats: unexpected argument %q", pos[0])
	}
	a, err := open(ctx, e, *dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	rows, err := a.articles.Quality(ctx)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Quality []store.QualityRow `json:"quality"`
		}{rows})
	}
	return writeQualityTable(e.stdout, rows)
}

// writeQualityTable writes the figures as aligned columns, best backend first.
func writeQualityTable(w writer, rows []store.QualityRow) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, noQualityYet)
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "BACKEND\tMODEL\tAPPROVED\tUNCHANGED %\tHTER\tCHRF\tGLOSSARY/100\tVIOLATIONS\tFINDINGS/100\tBY CHECK")
	for _, r := range rows {
		model := r.Model
		if model == "" {
			model = "-"
		}
		var by []string
		for _, name := range qa.Names() {
			if n := r.ByCheck[name]; n > 0 {
				by = append(by, fmt.Sprintf("%s %d", name, n))
			}
		}
		if len(by) == 0 {
			by = []string{"-"}
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%.1f\t%.3f\t%.1f\t%.1f\t%d\t%.1f\t%s\n",
			r.Backend, model, r.Approved, r.UnchangedPct, r.HTER, r.ChrF, r.GlossaryPer100, r.GlossaryViolations, r.FindingsPer100, strings.Join(by, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintln(w, "\nHTER: word edits from machine to approved text per approved word (lower is better).\n"+
		"chrF: character 6-gram F-score, beta 2, 0-100 (higher is better).\n"+
		"GLOSSARY/100: glossary violations in the machine output per 100 approved segments.\n"+
		"FINDINGS/100: quality check findings in the machine output per 100 approved segments (BY CHECK: their counts).")
	return err
}
