// Package xmllint checks, in tests, that what the translate packages write is valid against
// the interchange standards' own schemas, with Debian's xmllint (package libxml2-utils). Only
// tests import it.
package xmllint

import (
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
	out, err := exec.Command(bin, append(args, file)...).CombinedOutput()
	if err != nil {
		tb.Fatalf("xmllint %v: the document is not valid: %v\n%s", args, err, out)
	}
}
