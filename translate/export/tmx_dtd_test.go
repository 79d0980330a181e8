package export

import (
	"path/filepath"
	"testing"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/translate/internal/storetest"
	"github.com/tarjama/tarjama/translate/internal/xmllint"
)

// TestExport_TMXValidatesAgainstDTD: an article's TMX, with its approved pair and with none,
// is valid TMX 1.4 by the standard's DTD (the copy in translate/tmx/testdata, as published).
func TestExport_TMXValidatesAgainstDTD(t *testing.T) {
	dtd := filepath.Join("..", "tmx", "testdata", "tmx14.dtd")
	s := storetest.New(migrationstest.Open(t))
	a, segs := storetest.Reviewed(t, s)
	t.Run("Approved", func(t *testing.T) {
		xmllint.Validate(t, []byte(export(t, FormatTMX, a, segs)), "--dtdvalid", dtd)
	})
	t.Run("NoneApproved", func(t *testing.T) {
		a, segs := storetest.Sample(t, s)
		xmllint.Validate(t, []byte(export(t, FormatTMX, a, segs)), "--dtdvalid", dtd)
	})
}
