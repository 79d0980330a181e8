// Package timestamp is the one format of the times Tarjama stores in its *_at columns: UTC
// with exactly nine fraction digits, so that every stored time has the same width and text
// order is time order. SQL compares and sorts the stored text (ORDER BY, expires_at <= ?), which
// time.RFC3339Nano would break: it drops trailing zeros, so "…:05Z" sorts after "…:05.5Z".
//
// It imports nothing of the project, so every store can use it.
package timestamp

import "time"

// Layout is the stored format: 2006-01-02T15:04:05.000000000Z, always 30 characters.
const Layout = "2006-01-02T15:04:05.000000000Z"

// Format is t in UTC in Layout, as every *_at column stores it.
func Format(t time.Time) string { return t.UTC().Format(Layout) }

// Parse reads a stored time. It takes Layout and the RFC 3339 forms older versions wrote
// (a fraction of any width or none, an offset); an empty value (a time not set yet, such as an
// unfinished run's finished_at) or a malformed one reads as the zero time.
func Parse(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}
