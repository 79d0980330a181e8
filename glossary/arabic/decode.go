package arabic

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	xunicode "golang.org/x/text/encoding/unicode"
)

// ErrNotText means the bytes given to DecodeText are not text: a binary file, or broken
// UTF-8. A *TextError says where.
var ErrNotText = errors.New("not a text file")

// TextError says why bytes are not text that DecodeText can read, and on which line.
type TextError struct {
	File   string // the file's name, when In gave it
	Line   int    // 1-based line of the first offending byte; 0 when the whole file is at fault
	Reason string
	// OtherEncoding says the bytes look like text in an encoding DecodeText does not read
	// (rather than binary or damaged): the same text saved as UTF-8 would be read.
	OtherEncoding bool
}

// Error reads like a compiler message: "g.csv:3: not valid UTF-8 text", "g.csv: not a text
// file ...", or without a file "line 3: not valid UTF-8 text".
func (e *TextError) Error() string {
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Reason)
	case e.File != "":
		return e.File + ": " + e.Reason
	case e.Line > 0:
		return fmt.Sprintf("line %d: %s", e.Line, e.Reason)
	}
	return e.Reason
}

// In returns the error as said of the file name.
func (e *TextError) In(name string) *TextError {
	c := *e
	c.File = name
	return &c
}

// Kind is "invalid": the input is at fault, as the callers' own validation errors are.
func (e *TextError) Kind() string { return "invalid" }

// Unwrap makes every TextError match ErrNotText.
func (e *TextError) Unwrap() error { return ErrNotText }

// The encodings DecodeText names.
const (
	EncodingUTF8        = "utf-8"
	EncodingUTF8BOM     = "utf-8 with BOM"
	EncodingUTF16LEBOM  = "utf-16le with BOM"
	EncodingUTF16BEBOM  = "utf-16be with BOM"
	EncodingUTF16LE     = "utf-16le"
	EncodingUTF16BE     = "utf-16be"
	EncodingWindows1256 = "windows-1256"
)

// DecodeText is the one reader of uploaded Arabic text, for glossary files, articles and
// `glossary match` alike. It turns b into UTF-8 and names the encoding it found: UTF-8 with
// or without a BOM; UTF-16 with a BOM, or without one when the bytes are plainly UTF-16
// Arabic or ASCII; and Windows-1256, what Arabic Windows and Excel write, for bytes that are
// not UTF-8. Bytes that are mostly UTF-8 with a few invalid ones are broken UTF-8, not
// Windows-1256, and bytes that hold NUL once decoded are not text; both give a *TextError.
func DecodeText(b []byte) (text, enc string, err error) {
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		rest := b[3:]
		if !utf8.Valid(rest) {
			return "", "", invalidUTF8(rest, "starts with a UTF-8 byte order mark but is not valid UTF-8")
		}
		text, enc = string(rest), EncodingUTF8BOM
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), b, EncodingUTF16LEBOM)
	case bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), b, EncodingUTF16BEBOM)
	// Before the UTF-8 check: UTF-16 of ASCII and Arabic is all bytes below 0x80, valid UTF-8.
	case looksUTF16(b, 1):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.IgnoreBOM), b, EncodingUTF16LE)
	case looksUTF16(b, 0):
		text, enc, err = decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.IgnoreBOM), b, EncodingUTF16BE)
	case utf8.Valid(b):
		text, enc = string(b), EncodingUTF8
	case bytes.IndexByte(b, 0) >= 0:
		return "", "", &TextError{Reason: "not a text file (it has NUL bytes; is it binary?)"}
	case mostlyUTF8(b):
		return "", "", otherEncoding(b)
	default:
		text, enc, err = decodeWith(charmap.Windows1256, b, EncodingWindows1256)
		if err == nil && !mostlyArabic(text) {
			// Latin-1 or another 8-bit code page: every byte decodes, but not to Arabic.
			return "", "", otherEncoding(b)
		}
	}
	if err != nil {
		return "", "", err
	}
	if strings.IndexByte(text, 0) >= 0 {
		return "", "", &TextError{Reason: "not a text file (it has NUL bytes; is it binary?)"}
	}
	return text, enc, nil
}

func decodeWith(e encoding.Encoding, b []byte, name string) (string, string, error) {
	s, err := e.NewDecoder().Bytes(b)
	if err != nil {
		return "", "", &TextError{Reason: fmt.Sprintf("cannot be decoded as %s: %v", name, err)}
	}
	return string(s), name, nil
}

// invalidUTF8 names the line of the first byte that is not UTF-8.
func invalidUTF8(b []byte, reason string) *TextError {
	i := 0
	for i < len(b) {
		r, size := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && size <= 1 {
			break
		}
		i += size
	}
	return &TextError{Line: 1 + bytes.Count(b[:i], []byte{'\n'}), Reason: reason}
}

// otherEncoding refuses text that is neither UTF-8 nor an encoding DecodeText knows.
func otherEncoding(b []byte) *TextError {
	e := invalidUTF8(b, "not valid UTF-8 text")
	e.OtherEncoding = true
	return e
}

// mostlyArabic reports whether at least half the non-ASCII letters of s are Arabic: what
// Windows-1256 text is, and what Latin-1 or Cyrillic bytes read as Windows-1256 are not.
func mostlyArabic(s string) bool {
	ar, other := 0, 0
	for _, r := range s {
		switch {
		case r < utf8.RuneSelf || !unicode.IsLetter(r):
		case IsScriptLetter(r):
			ar++
		default:
			other++
		}
	}
	return ar > 0 && ar >= other
}

// mostlyUTF8 reports whether b has at least as many valid multi-byte UTF-8 sequences as
// invalid bytes: UTF-8 text with a few broken bytes. Windows-1256 Arabic has its letters in
// 0xC1–0xFE followed by more letters or spaces, which are seldom valid UTF-8.
func mostlyUTF8(b []byte) bool {
	valid, invalid := 0, 0
	for i := 0; i < len(b); {
		r, size := utf8.DecodeRune(b[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			invalid++
		case size > 1:
			valid++
		}
		i += size
	}
	return valid >= invalid
}

// looksUTF16 reports whether b reads as BOM-less UTF-16 text whose high bytes sit at the
// given parity (1: little-endian, 0: big-endian): an even length, nearly every high byte 0x00
// (ASCII) or 0x06 (the Arabic block) with some NULs among them, and no NUL in a low byte.
// Binary files have NULs too, but not in that regular a pattern.
func looksUTF16(b []byte, parity int) bool {
	if len(b) < 4 || len(b)%2 != 0 {
		return false
	}
	pairs, plain, nuls := len(b)/2, 0, 0
	for i := 0; i+1 < len(b); i += 2 {
		hi, lo := b[i+parity], b[i+1-parity]
		if lo == 0 {
			return false
		}
		switch hi {
		case 0x00:
			nuls++
			plain++
		case 0x06:
			plain++
		}
	}
	return nuls > 0 && plain*100 >= pairs*95
}
