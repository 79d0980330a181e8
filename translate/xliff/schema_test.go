package xliff_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/translate/xliff"
)

// xmllint finds Debian's xmllint (libxml2-utils). Without it the schema tests skip, except in
// CI (TARJAMA_REQUIRE_BROWSER set), where .ci/run installs it and its absence is a failure.
func xmllint(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("xmllint")
	if err == nil {
		return path
	}
	if os.Getenv("TARJAMA_REQUIRE_BROWSER") != "" {
		t.Fatal("no xmllint found, and TARJAMA_REQUIRE_BROWSER is set: install it (apt-get install -y libxml2-utils)")
	}
	t.Skip("xmllint not found: install Debian's libxml2-utils to validate the XLIFF exports against the OASIS schemas")
	return ""
}

// validate runs xmllint on doc against the schema in testdata, offline (--nonet); the XML
// catalog maps the W3C xml.xsd the 1.2 schema imports by URL to the local copy.
func validate(t *testing.T, lint, schema string, doc []byte) {
	t.Helper()
	dir, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "export.xlf")
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(lint, "--nonet", "--noout", "--schema", filepath.Join(dir, schema), file)
	cmd.Env = append(os.Environ(), "XML_CATALOG_FILES="+filepath.Join(dir, "catalog.xml"))
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("%s does not validate the export: %v\n%s\n%s", schema, err, out, doc)
	}
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
	lint := xmllint(t)
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
			write  func(io.Writer, translate.Article, []translate.Segment, string) error
		}{
			{"xliff_core_2.0.xsd", xliff.Write},
			{"xliff-core-1.2-strict.xsd", xliff.Write12},
		} {
			var buf bytes.Buffer
			if err := v.write(&buf, a, segs, "DRAFT: a summary & <more>"); err != nil {
				t.Fatal(err)
			}
			validate(t, lint, v.schema, buf.Bytes())
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
	lint := xmllint(t)
	dir, _ := filepath.Abs("testdata")
	file := filepath.Join(t.TempDir(), "bad.xlf")
	bad := `<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="ar"><file id="f"><unit id="u"><segment state="done"><source>x</source></segment></unit></file></xliff>`
	if err := os.WriteFile(file, []byte(bad), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(lint, "--nonet", "--noout", "--schema", filepath.Join(dir, "xliff_core_2.0.xsd"), file).CombinedOutput(); err == nil {
		t.Errorf("xmllint accepted an invalid state:\n%s", out)
	}
}
