package xliff

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/htmlindex"
	xunicode "golang.org/x/text/encoding/unicode"
)

// newDecoder is the one place this package sets up XML reading, as the glossary's TBX reader
// does (glossary/tbx.go), so it can give way to a shared safe reader: UTF-8 with or without a
// byte order mark, UTF-16 with one, or any encoding the XML declaration names that
// golang.org/x/text knows. encoding/xml fetches nothing: a DOCTYPE is read past and an entity
// it would declare is refused, never expanded. charsetErr returns the reason an encoding was
// refused, for the message.
func newDecoder(raw []byte) (d *xml.Decoder, charsetErr func() error) {
	var in io.Reader = bytes.NewReader(raw)
	utf16 := false
	switch {
	case bytes.HasPrefix(raw, []byte{0xEF, 0xBB, 0xBF}):
		in = bytes.NewReader(raw[3:])
	case bytes.HasPrefix(raw, []byte{0xFF, 0xFE}):
		in, utf16 = xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM).NewDecoder().Reader(in), true
	case bytes.HasPrefix(raw, []byte{0xFE, 0xFF}):
		in, utf16 = xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM).NewDecoder().Reader(in), true
	}
	d = xml.NewDecoder(in)
	d.Strict = true
	var refused error
	d.CharsetReader = func(label string, input io.Reader) (io.Reader, error) {
		if utf16 && strings.HasPrefix(strings.ToLower(label), "utf-16") {
			return input, nil // decoded by its byte order mark already
		}
		enc, err := htmlindex.Get(label)
		if err != nil {
			refused = fmt.Errorf("the XML declaration names encoding %q, which is not known; save the file as UTF-8", label)
			return nil, refused
		}
		return enc.NewDecoder().Reader(input), nil
	}
	return d, func() error { return refused }
}

// syntaxReason words a decoding error for a person, with the line it happened on.
func syntaxReason(d *xml.Decoder, err error, charsetErr error) (int, string) {
	line, col := d.InputPos()
	if charsetErr != nil {
		return line, charsetErr.Error()
	}
	reason := err.Error()
	if se, ok := err.(*xml.SyntaxError); ok {
		line, reason = se.Line, fmt.Sprintf("%s (column %d)", se.Msg, col)
	}
	if strings.HasPrefix(reason, "invalid character entity") {
		reason += ": Tarjama reads no DTD, so it knows only the entities XML defines (&amp; &lt; &gt; &quot; &apos;) and character references"
	}
	return line, reason
}
