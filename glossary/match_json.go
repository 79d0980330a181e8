package glossary

import (
	"strconv"
	"unicode/utf8"
)

// AppendMatchesJSON appends the JSON array of ms to dst, byte for byte what encoding/json
// writes for it with HTML escaping off (`[]` for none), without reflection: `tarjama glossary
// match` prints the matches of a text of megabytes, hundreds of thousands of them, with it.
func AppendMatchesJSON(dst []byte, ms []Match) []byte {
	dst = append(dst, '[')
	for i := range ms {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = ms[i].appendJSON(dst)
	}
	return append(dst, ']')
}

// appendJSON appends the JSON object of m to dst (see AppendMatchesJSON).
func (m *Match) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"term_id":`...)
	dst = strconv.AppendInt(dst, m.TermID, 10)
	dst = append(dst, `,"arabic":`...)
	dst = appendJSONString(dst, m.Arabic)
	dst = append(dst, `,"english":`...)
	dst = appendJSONString(dst, m.English)
	dst = append(dst, `,"type":`...)
	dst = appendJSONString(dst, string(m.Type))
	dst = append(dst, `,"text":`...)
	dst = appendJSONString(dst, m.Text)
	dst = append(dst, `,"start":`...)
	dst = strconv.AppendInt(dst, int64(m.Start), 10)
	dst = append(dst, `,"end":`...)
	dst = strconv.AppendInt(dst, int64(m.End), 10)
	dst = append(dst, `,"variant":`...)
	dst = strconv.AppendBool(dst, m.Variant)
	return append(dst, '}')
}

// appendJSONString appends s as a JSON string the way encoding/json does without HTML
// escaping: " and \ escaped, control characters as \b \f \n \r \t or \u00XX, broken UTF-8
// as \ufffd, U+2028 and U+2029 escaped (JavaScript reads them as line ends).
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i++
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
