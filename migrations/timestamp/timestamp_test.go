package timestamp

import (
	"testing"
	"time"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Stored times sort as text in time order, including the pairs RFC 3339 with a trimmed
// fraction gets wrong.
func TestFormatSortsAsText(t *testing.T) {
	for _, c := range []struct {
		name           string
		earlier, later time.Time
	}{
		{"whole second before half past", at("2026-03-01T10:00:05Z"), at("2026-03-01T10:00:05.5Z")},
		{"half past before the next second", at("2026-03-01T10:00:05.5Z"), at("2026-03-01T10:00:06Z")},
		{"one nanosecond apart", at("2026-03-01T10:00:05.000000001Z"), at("2026-03-01T10:00:05.00000001Z")},
		{"short fraction before long", at("2026-03-01T10:00:05.1Z"), at("2026-03-01T10:00:05.123456789Z")},
		{"last nanosecond of a day", at("2026-03-01T23:59:59.999999999Z"), at("2026-03-02T00:00:00Z")},
		{"an offset is read as UTC", at("2026-03-01T12:00:00+03:00"), at("2026-03-01T10:00:00Z")},
		{"zero time first", time.Time{}, at("1970-01-01T00:00:00Z")},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, b := Format(c.earlier), Format(c.later)
			if !(a < b) {
				t.Errorf("Format(earlier) = %q is not < Format(later) = %q", a, b)
			}
			if len(a) != len(Layout) || len(b) != len(Layout) {
				t.Errorf("widths %d and %d, want %d", len(a), len(b), len(Layout))
			}
		})
	}
	// The reason for the format: RFC3339Nano puts the whole second after the half.
	if a, b := at("2026-03-01T10:00:05Z").Format(time.RFC3339Nano), at("2026-03-01T10:00:05.5Z").Format(time.RFC3339Nano); a < b {
		t.Errorf("RFC3339Nano %q < %q: the test no longer shows why Layout exists", a, b)
	}
}

func TestFormat(t *testing.T) {
	moscow := time.FixedZone("MSK", 3*3600)
	for _, c := range []struct {
		in   time.Time
		want string
	}{
		{time.Date(2026, 3, 1, 10, 0, 5, 0, time.UTC), "2026-03-01T10:00:05.000000000Z"},
		{time.Date(2026, 3, 1, 10, 0, 5, 500_000_000, time.UTC), "2026-03-01T10:00:05.500000000Z"},
		{time.Date(2026, 3, 1, 13, 0, 5, 123_456_789, moscow), "2026-03-01T10:00:05.123456789Z"},
	} {
		if got := Format(c.in); got != c.want {
			t.Errorf("Format(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Parse reads what Format writes and what older versions wrote; unset and malformed values
// read as the zero time.
func TestParse(t *testing.T) {
	want := time.Date(2026, 3, 1, 10, 0, 5, 500_000_000, time.UTC)
	for _, s := range []string{
		"2026-03-01T10:00:05.500000000Z", // Layout
		"2026-03-01T10:00:05.5Z",         // RFC3339Nano
		"2026-03-01T13:00:05.5+03:00",    // an offset
	} {
		if got := Parse(s); !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("Parse(%q) = %v, want %v in UTC", s, got, want)
		}
	}
	if got := Parse("2026-03-01T10:00:05Z"); !got.Equal(want.Truncate(time.Second)) {
		t.Errorf("Parse of RFC 3339 without a fraction = %v", got)
	}
	for _, s := range []string{"", "yesterday", "2026-03-01 10:00:05"} {
		if got := Parse(s); !got.IsZero() {
			t.Errorf("Parse(%q) = %v, want the zero time", s, got)
		}
	}
	now := time.Now()
	if got := Parse(Format(now)); !got.Equal(now) {
		t.Errorf("Parse(Format(%v)) = %v", now, got)
	}
}
