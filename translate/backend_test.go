package translate

import (
	"errors"
	"strconv"
	"strings"
	"testing"
)

func TestServerURL(t *testing.T) {
	for _, raw := range []string{"http://127.0.0.1:11434/v1", "https://api.openai.com/v1"} {
		if u, err := ServerURL(raw); err != nil || u.String() != raw {
			t.Errorf("ServerURL(%q) = %v, %v; want the URL back", raw, u, err)
		}
	}
	for _, raw := range []string{"ftp://nowhere", "127.0.0.1:5000", "http://", "http//x", ""} {
		_, err := ServerURL(raw)
		if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), strconv.Quote(raw)+" is not an http(s) URL") {
			t.Errorf("ServerURL(%q) = %v; want an invalid error naming it", raw, err)
		}
	}
}
