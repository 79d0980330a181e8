package translate

import "testing"

func TestPlural(t *testing.T) {
	for _, c := range []struct {
		n    int
		want string
	}{{0, "0 segments"}, {1, "1 segment"}, {2, "2 segments"}} {
		if got := Plural(c.n, "segment"); got != c.want {
			t.Errorf("Plural(%d) = %q, want %q", c.n, got, c.want)
		}
	}
}
