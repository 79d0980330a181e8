package xliff_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/internal/xmllint"
	"github.com/tarjama/tarjama/translate/qa"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/translate/xliff"
)

// validate checks doc against the schema in testdata with xmllint, offline; the XML catalog
// maps the W3C xml.xsd the 1.2 schema imports by URL to the local copy.
func validate(t *testing.T, schema string, doc []byte) error {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	return xmllint.Check(t, doc, []string{"XML_CATALOG_FILES=" + filepath.Join(dir, "catalog.xml")}, "--schema", filepath.Join(dir, schema))
}

// everyState stores the seed articles and puts their segments through every status (and
// stores storetest's article with markup in its English), as a newsroom's database would hold.
func everyState(t *testing.T) (*store.Store, []translate.Article) {
	t.Helper()
	ctx := context.Background()
	db := migrationstest.Open(t)
	s := storetest.New(db)
	if err := seeds.Load(ctx, db.W, time.Now, s, glossary.NewStore(db.W, db.R, time.Now), slog.New(slog.NewTextHandler(io.Discard, nil))); err != nil {
		t.Fatal(err)
	}
	arts, err := s.Articles(ctx)
	if err != nil || len(arts) == 0 {
		t.Fatalf("seed articles: %d, %v", len(arts), err)
	}
	// The English is a placeholder: every quality check only warns, so approving it needs no
	// ignore.
	cfg := qa.DefaultConfig()
	for name := range cfg.Checks {
		cfg.Checks[name] = qa.Rule{Enabled: true, Severity: qa.Warning}
	}
	if _, err := s.SaveQASettings(ctx, cfg, "test"); err != nil {
		t.Fatal(err)
	}
	statuses := []translate.Status{translate.StatusMachine, translate.StatusTM, translate.StatusDraft, translate.StatusFailed,
		translate.StatusEdited, translate.StatusApproved, translate.StatusExcluded, translate.StatusUntranslated}
	for _, a := range arts {
		segs, err := s.Segments(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var outs []store.MachineOutput
		for i, g := range segs {
			st := statuses[i%len(statuses)]
			switch st {
			case translate.StatusMachine, translate.StatusTM, translate.StatusDraft, translate.StatusFailed, translate.StatusEdited, translate.StatusApproved:
				out := store.MachineOutput{SegmentID: g.ID, Target: "English of segment & <" + g.Source[:4] + ">", Status: translate.StatusMachine,
					Origin: translate.OriginMachine, Backend: "fake", Flags: []string{"glossary: \"x\" missing"}}
				if st == translate.StatusTM || st == translate.StatusDraft {
					out.Status, out.Origin = st, string(st)
				}
				outs = append(outs, out)
			}
		}
		if _, err := s.ApplyMachine(ctx, outs); err != nil {
			t.Fatal(err)
		}
		var failed []store.MachineOutput
		for i, g := range segs {
			var err error
			switch statuses[i%len(statuses)] {
			case translate.StatusFailed:
				failed = append(failed, store.MachineOutput{SegmentID: g.ID, Status: translate.StatusFailed, Backend: "fake", Flags: []string{"the backend answered in Arabic"}})
			case translate.StatusEdited:
				_, err = s.SaveTarget(ctx, g.ID, "An edited sentence.", g.Version+1, "rev")
			case translate.StatusApproved:
				_, err = s.Approve(ctx, g.ID, "An approved sentence.", g.Version+1, "rev")
			case translate.StatusExcluded:
				_, err = s.SetExcluded(ctx, g.ID, true, g.Version, "rev")
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.ApplyMachine(ctx, failed); err != nil {
			t.Fatal(err)
		}
	}
	a, _ := storetest.Reviewed(t, s)
	return s, append(arts, a)
}

// TestWrite_ValidatesAgainstTheOASISSchemas: both exports of articles holding every status,
// markup and flags validate against the OASIS XLIFF 2.0 core and 1.2 strict schemas.
func TestWrite_ValidatesAgainstTheOASISSchemas(t *testing.T) {
	s, arts := everyState(t)
	ctx := context.Background()
	seen := map[translate.Status]bool{}
	for _, a := range arts {
		segs, err := s.Segments(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, g := range segs {
			seen[g.Status] = true
		}
		for _, v := range []struct {
			schema string
			write  func(io.Writer, translate.Article, []translate.Segment, string, map[int64][]string) error
		}{
			{"xliff_core_2.0.xsd", xliff.Write},
			{"xliff-core-1.2-strict.xsd", xliff.Write12},
		} {
			var buf bytes.Buffer
			// Every segment with an open finding of the quality checks as a note.
			findings := map[int64][]string{}
			for _, g := range segs {
				findings[g.ID] = []string{"error number: the Arabic has 17 (١٧); the English has <71> & more"}
			}
			if err := v.write(&buf, a, segs, "DRAFT: a summary & <more>", findings); err != nil {
				t.Fatal(err)
			}
			if err := validate(t, v.schema, buf.Bytes()); err != nil {
				t.Errorf("%s does not validate the export: %v\n%s", v.schema, err, buf.Bytes())
			}
		}
	}
	for _, st := range []translate.Status{translate.StatusUntranslated, translate.StatusDraft, translate.StatusMachine, translate.StatusTM,
		translate.StatusEdited, translate.StatusApproved, translate.StatusFailed, translate.StatusExcluded} {
		if !seen[st] {
			t.Errorf("no exported segment was %s", st)
		}
	}
}

// TestValidate_RefusesABrokenFile: the check can fail, so a pass means something.
func TestValidate_RefusesABrokenFile(t *testing.T) {
	bad := `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar"><file id="f"><unit id="u"><segment state="done"><source>x</source></segment></unit></file></xliff>`
	if err := validate(t, "xliff_core_2.0.xsd", []byte(bad)); err == nil || !strings.Contains(err.Error(), "'done'") {
		t.Errorf("xmllint did not refuse an invalid state: %v", err)
	}
}
