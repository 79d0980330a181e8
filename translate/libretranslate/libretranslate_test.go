package libretranslate_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backendtest"
	"github.com/tarjama/tarjama/translate/libretranslate"
)

var batch = translate.Batch{Items: []translate.Item{{ID: 1, Source: "قال ريابكوف"}, {ID: 2, Source: "وأكد لافروف"}}}

func TestTranslate(t *testing.T) {
	srv := backendtest.NewLibreTranslate(t, nil)
	b, err := libretranslate.New(libretranslate.Config{BaseURL: srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	res, err := b.Translate(context.Background(), batch)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Translations) != 2 || res.Translations[1].ID != 2 || res.Translations[1].Text != backendtest.LibreEnglish("وأكد لافروف") {
		t.Errorf("result = %+v", res)
	}
	if r := srv.Requests()[0]; strings.Join(r.Q, "|") != "قال ريابكوف|وأكد لافروف" || r.APIKey != "" {
		t.Errorf("request = %+v", r)
	}
}

func TestTranslate_Errors(t *testing.T) {
	for _, tc := range []struct {
		name             string
		sc               backendtest.LibreScenario
		temporary, fatal bool
		bad              bool
	}{
		{"RateLimited", backendtest.LibreStatus(429, "Slowdown", nil), true, false, false},
		{"ServerError", backendtest.LibreStatus(500, "boom", nil), true, false, false},
		{"BadKey", backendtest.LibreStatus(403, "Invalid API key", nil), false, true, false},
		{"WrongCount", func(*backendtest.LibreRequest) backendtest.Reply {
			return backendtest.Reply{Body: `{"translatedText":["only one"]}`}
		}, false, false, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			srv := backendtest.NewLibreTranslate(t, tc.sc)
			b, _ := libretranslate.New(libretranslate.Config{BaseURL: srv.URL})
			_, err := b.Translate(context.Background(), batch)
			if tc.bad {
				if !errors.Is(err, translate.ErrBadOutput) {
					t.Errorf("err = %v, want ErrBadOutput", err)
				}
				return
			}
			var be *translate.BackendError
			if !errors.As(err, &be) || be.Temporary != tc.temporary || be.Fatal != tc.fatal {
				t.Errorf("err = %#v", err)
			}
		})
	}
}

func TestCheck_NoArabic(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`[{"code":"en","targets":["de"]}]`))
	}))
	defer srv.Close()
	b, _ := libretranslate.New(libretranslate.Config{BaseURL: srv.URL})
	if err := b.Check(context.Background()); !errors.Is(err, translate.ErrBackendUnavailable) || !strings.Contains(err.Error(), "Arabic") {
		t.Errorf("Check = %v", err)
	}
}

func TestTimeoutBoundsCheckAndRequests(t *testing.T) {
	srv := backendtest.NewSilent(t)
	const timeout = 200 * time.Millisecond
	b, err := libretranslate.New(libretranslate.Config{BaseURL: srv.URL, Timeout: timeout})
	if err != nil {
		t.Fatal(err)
	}
	for name, do := range map[string]func() error{
		"Check":     func() error { return b.Check(context.Background()) },
		"Translate": func() error { _, err := b.Translate(context.Background(), batch); return err },
	} {
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			err := do()
			if took := time.Since(start); took > timeout+2*time.Second {
				t.Errorf("%s took %s with a timeout of %s", name, took, timeout)
			}
			if err == nil || !strings.Contains(err.Error(), "in time") {
				t.Errorf("%s = %v, want a clear timeout error", name, err)
			}
		})
	}
	if err := b.Check(context.Background()); !errors.Is(err, translate.ErrBackendUnavailable) {
		t.Errorf("Check = %v, want ErrBackendUnavailable", err)
	}
}
