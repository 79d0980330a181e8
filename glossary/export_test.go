package glossary

import (
	"bytes"
	"context"
	"errors"
	"testing"
)

// TestStore_ExportFormatsRoundTrip: the glossary exported in each format imports into an
// empty database as the same glossary, and into the database it came from as unchanged.
func TestStore_ExportFormatsRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, format := range []string{FormatCSV, FormatTBX, FormatXLSX} {
		t.Run(format, func(t *testing.T) {
			from := openStore(t)
			mustCreate(t, from, roundTripTerms(t)...)
			want, err := from.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := from.Export(ctx, &buf, ExportOptions{Format: format}); err != nil {
				t.Fatal(err)
			}
			data := buf.Bytes()
			if got := Detect(data); got != format {
				t.Errorf("the %s export is detected as %s", format, got)
			}

			to := openStore(t)
			rep, err := to.Import(ctx, bytes.NewReader(data), ImportOptions{Name: "export." + format})
			if err != nil {
				t.Fatal(err)
			}
			if rep.Format != format || len(rep.Added) != len(want) || len(rep.Skipped)+len(rep.Conflicting) != 0 {
				t.Fatalf("import of the export: format %s, %d added of %d, skipped %v, conflicting %v",
					rep.Format, len(rep.Added), len(want), rep.Skipped, rep.Conflicting)
			}
			got, err := to.All(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for i := range want {
				if d := termDiff(got[i], want[i]); len(d) > 0 {
					t.Errorf("term %d differs in %v:\n got %+v\nwant %+v", i, d, got[i], want[i])
				}
			}

			again, err := from.Import(ctx, bytes.NewReader(data), ImportOptions{Name: "export." + format, DryRun: true})
			if err != nil {
				t.Fatal(err)
			}
			if len(again.Unchanged) != len(want) {
				t.Errorf("re-import into the source: %d unchanged of %d; added %v, updated %v",
					len(again.Unchanged), len(want), again.Added, again.Updated)
			}
		})
	}
}

func TestParseFormat(t *testing.T) {
	for in, want := range map[string]string{"": FormatCSV, "CSV": FormatCSV, "tbx": FormatTBX, " XLSX ": FormatXLSX} {
		if got, err := ParseFormat(in); got != want || err != nil {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	var fe *FieldError
	if _, err := ParseFormat("pdf"); !errors.As(err, &fe) || fe.Field != "format" {
		t.Errorf("ParseFormat(pdf) = %v; want a FieldError on format", err)
	}
}
