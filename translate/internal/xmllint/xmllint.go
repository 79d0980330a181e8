// Package xmllint checks, in tests, that what the translate packages write is valid against
// the interchange standards' own schemas, with Debian's xmllint (package libxml2-utils). Only
// tests import it.
package xmllint

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Validate writes doc to a file under tb.TempDir() and runs
// `xmllint --nonet --noout SCHEMA... FILE` on it (schema is, for example, "--dtdvalid",
// "testdata/tmx14.dtd"): the test fails with xmllint's report when the document is not
// valid. --nonet keeps xmllint from fetching anything a document names. Without xmllint the
// test is skipped, saying how to install it, except where TARJAMA_REQUIRE_BROWSER is set (CI,
// whose .ci/run installs it): there a missing xmllint fails the test.
func Validate(tb testing.TB, doc []byte, schema ...string) {
	tb.Helper()
	if err := Check(tb, doc, nil, schema...); err != nil {
		tb.Fatal(err)
	}
}

// Check runs xmllint on doc as Validate does, with env ("NAME=value") added to its
// environment, and returns xmllint's report as an error when the document is not valid, so a
// test can go on after it or show that a broken document is refused. A schema that imports
// another by URL (XLIFF 1.2 strict imports the W3C's xml.xsd) needs
// XML_CATALOG_FILES=catalog.xml mapping that URL to a local copy, as --nonet fetches nothing.
// A missing xmllint skips or fails the test as in Validate.
func Check(tb testing.TB, doc []byte, env []string, schema ...string) error {
	tb.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("TARJAMA_REQUIRE_BROWSER") != "" {
			tb.Fatal("xmllint not found, and TARJAMA_REQUIRE_BROWSER is set (CI): install it (apt-get install -y libxml2-utils)")
		}
		tb.Skip("xmllint not found: install Debian's libxml2-utils (apt-get install -y libxml2-utils) to validate against the schema")
	}
	file := filepath.Join(tb.TempDir(), "out.xml")
	if err := os.WriteFile(file, doc, 0o644); err != nil {
		tb.Fatal(err)
	}
	args := append([]string{"--nonet", "--noout"}, schema...)
	cmd := exec.Command(bin, append(args, file)...)
	cmd.Env = append(os.Environ(), env...)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("xmllint %v: the document is not valid: %v\n%s", args, err, out)
	}
	return nil
}
