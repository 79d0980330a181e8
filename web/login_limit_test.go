package web

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarjama/tarjama/web/auth"
)

// testClock is a clock the tests move by hand, so that waits pass without waiting.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)}
}

func (c *testClock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// setClock makes the limiter read the time from now.
func (l *loginLimiter) setClock(now func() time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.now = now
}

func TestLoginDelay(t *testing.T) {
	for n, want := range map[int]time.Duration{
		0: 0, 1: 0, 2: time.Second, 3: 2 * time.Second, 4: 4 * time.Second, 6: 16 * time.Second,
		10: 256 * time.Second, 11: loginMaxDelay, 1000: loginMaxDelay,
	} {
		if got := loginDelay(n); got != want {
			t.Errorf("loginDelay(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestLoginLimiter(t *testing.T) {
	clock := newTestClock()
	l := newLoginLimiter(clock.now)
	admitted := func(name, ip string) bool {
		t.Helper()
		_, wait := l.admit(name, ip)
		return wait == 0
	}
	waitOf := func(name, ip string) time.Duration {
		t.Helper()
		_, wait := l.admit(name, ip)
		return wait
	}
	var attackerLast time.Time // when 10.0.0.1's last guess at amal was let through
	amal := 0                  // amal's failures

	t.Run("CountedBeforeTheCheck", func(t *testing.T) {
		if !admitted("amal", "10.0.0.1") || !admitted("amal", "10.0.0.1") {
			t.Fatal("a typo's retry refused")
		}
		// Both passwords are still being checked, and both count: the third waits.
		if w := waitOf("amal", "10.0.0.1"); w != time.Second {
			t.Fatalf("third attempt at once: wait %v, want 1s", w)
		}
		amal, attackerLast = 2, clock.now()
	})
	t.Run("EachFailureDoubles", func(t *testing.T) {
		for ; amal < 7; amal++ {
			if w := waitOf("amal", "10.0.0.1"); w != loginDelay(amal) {
				t.Fatalf("after %d failures: wait %v, want %v", amal, w, loginDelay(amal))
			}
			clock.advance(loginDelay(amal))
			if !admitted("amal", "10.0.0.1") {
				t.Fatalf("attempt %d refused after the wait", amal+1)
			}
			attackerLast = clock.now()
		}
		if w := waitOf("amal", "10.0.0.1"); w != 32*time.Second {
			t.Fatalf("after 7 failures: wait %v, want 32s", w)
		}
	})
	t.Run("RefusedAttemptsDoNotLengthenTheWait", func(t *testing.T) {
		for range 100 {
			l.admit("amal", "10.0.0.1")
		}
		if w := waitOf("amal", "10.0.0.1"); w != 32*time.Second {
			t.Fatalf("after a flood inside the wait: wait %v, want still 32s", w)
		}
	})
	t.Run("RealUserFromAnotherAddress", func(t *testing.T) {
		// 10.0.0.1 has failed 7 times for amal, but only its first try was a first try:
		// another address gets its own at once.
		a, w := l.admit("amal", "10.0.0.9")
		if w != 0 {
			t.Fatalf("real user from another address: wait %v, want none", w)
		}
		l.release(a, true)
		if w := waitOf("amal", "10.0.0.1"); w != 32*time.Second {
			t.Fatalf("attacker's wait after the real user's login: %v, want still 32s", w)
		}
	})
	t.Run("RealUserWhoMistypedWaitsOnlyForTheirOwnTurn", func(t *testing.T) {
		clock.advance(time.Second)
		typo := clock.now()
		if !admitted("amal", "10.0.0.8") {
			t.Fatal("first try from 10.0.0.8 refused")
		}
		amal++
		// Under attack even a typo's retry waits, as every address that failed for amal does.
		if w := waitOf("amal", "10.0.0.8"); w != loginDelay(amal) {
			t.Fatalf("retry of a typo: wait %v, want %v", w, loginDelay(amal))
		}
		// An address that has failed for amal waits, from its own last attempt, as long as
		// amal's failures call for.
		if w, want := waitOf("amal", "10.0.0.1"), attackerLast.Add(loginDelay(amal)).Sub(clock.now()); w != want {
			t.Fatalf("attacker's wait = %v, want %v", w, want)
		}
		clock.advance(attackerLast.Add(loginDelay(amal)).Sub(clock.now()))
		if !admitted("amal", "10.0.0.1") {
			t.Fatal("attacker's turn refused")
		}
		amal++
		// The attacker took its own turn, not the real user's.
		want := typo.Add(loginDelay(amal)).Sub(clock.now())
		if w := waitOf("amal", "10.0.0.8"); w != want || w <= 0 {
			t.Fatalf("real user's wait = %v, want %v (%v from the typo)", w, want, loginDelay(amal))
		}
		clock.advance(want)
		a, w := l.admit("amal", "10.0.0.8")
		if w != 0 {
			t.Fatalf("real user's turn: wait %v", w)
		}
		l.release(a, true)
		if _, ok := l.keys["pair:amal 10.0.0.8"]; ok {
			t.Error("after a login the address's failures for the name are kept")
		}
	})
	t.Run("NewAddressesShareOneTurn", func(t *testing.T) {
		for n := 0; n < 5; n++ { // n first tries so far
			clock.advance(loginDelay(n))
			if !admitted("zaid", fmt.Sprintf("10.1.0.%d", n)) {
				t.Fatalf("first try from address %d refused", n)
			}
			if d := loginDelay(n + 1); d > 0 {
				if w := waitOf("zaid", fmt.Sprintf("10.1.0.%d", n+100)); w != d {
					t.Fatalf("after %d first tries a new address waits %v, want %v", n+1, w, d)
				}
			}
		}
	})
	t.Run("AddressAcrossNames", func(t *testing.T) {
		clock.advance(time.Hour)
		if !admitted("a1", "10.2.0.1") || !admitted("a2", "10.2.0.1") {
			t.Fatal("first attempts refused")
		}
		if w := waitOf("a3", "10.2.0.1"); w != time.Second {
			t.Fatalf("a third name from the same address: wait %v, want 1s", w)
		}
	})
	t.Run("Forgotten", func(t *testing.T) {
		clock.advance(loginForget)
		if w := waitOf("amal", "10.0.0.1"); w != 0 {
			t.Fatalf("still waiting %v after %v", w, loginForget)
		}
		l.mu.Lock()
		defer l.mu.Unlock()
		if f := l.keys["name:amal"]; f == nil || f.n != 1 {
			t.Errorf("name:amal = %+v, want only the attempt just made", f)
		}
	})
}

// loginFrom posts the login form from a loopback address of its own (Linux answers on all of
// 127.0.0.0/8), with the Origin a browser sends.
func loginFrom(srv string, ip, name, password string) (int, http.Header, error) {
	dialer := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	client := &http.Client{
		Transport:     &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	form := url.Values{"name": {name}, "password": {password}, "next": {"/"}}
	req, err := http.NewRequest("POST", srv+"/login", strings.NewReader(form.Encode()))
	if err != nil {
		return 0, nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", srv)
	resp, err := client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	resp.Body.Close()
	return resp.StatusCode, resp.Header, nil
}

// loginWave sends one login per address in ips, all at once, and counts the answers by status.
func loginWave(t *testing.T, srv string, ips []string, name, password string) map[int]int {
	t.Helper()
	var wg sync.WaitGroup
	var mu sync.Mutex
	got := map[int]int{}
	start := make(chan struct{})
	for _, ip := range ips {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			status, h, err := loginFrom(srv, ip, name, password)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				t.Error(err)
				return
			}
			if status == http.StatusTooManyRequests && h.Get("Retry-After") == "" {
				t.Error("429 without Retry-After")
			}
			got[status]++
		}()
	}
	close(start)
	wg.Wait()
	return got
}

func addresses(n, from int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("127.0.0.%d", from+i)
	}
	return out
}

// TestLogin_ConcurrentGuesses: 32 wrong passwords sent at once from one address are two
// guesses (a typo's retry is free) and 30 refusals, and 32 sent at once from 32 new
// addresses are one guess; the attackers' turns come later and later, while the real user,
// from another address, logs in after the short wait for a first try; and any attempt inside
// the wait, even with the right password, is refused without being checked.
func TestLogin_ConcurrentGuesses(t *testing.T) {
	e := newAuthEnv(t, "127.0.0.1:8080", false)
	e.addUser(t, "amal", auth.RoleAdmin)
	clock := newTestClock()
	e.server.logins.setClock(clock.now)
	srv := e.srv.URL
	repeat := func(ip string) []string { return strings.Fields(strings.Repeat(ip+" ", 32)) }

	if got := loginWave(t, srv, repeat("127.0.0.1"), "amal", "guess"); got[http.StatusUnauthorized] != 2 || got[http.StatusTooManyRequests] != 30 {
		t.Fatalf("32 guesses at once from one address = %v, want two 401s and 30 429s", got)
	}
	if got := loginWave(t, srv, addresses(32, 2), "amal", "guess"); got[http.StatusUnauthorized] != 1 || got[http.StatusTooManyRequests] != 31 {
		t.Fatalf("32 guesses at once from 32 new addresses = %v, want one 401 and 31 429s", got)
	}
	if status, h, err := loginFrom(srv, "127.0.0.200", "amal", "password-of-amal"); err != nil || status != http.StatusTooManyRequests || h.Get("Retry-After") != "1" {
		t.Fatalf("real user inside the wait for a first try = %d (Retry-After %q), %v; want 429 for 1s", status, h.Get("Retry-After"), err)
	}
	if status, h, _ := loginFrom(srv, "127.0.0.1", "amal", "guess"); status != http.StatusTooManyRequests || h.Get("Retry-After") != "2" {
		t.Fatalf("first attacker after its guesses = %d (Retry-After %q), want 429 for 2s (amal has 3 failures)", status, h.Get("Retry-After"))
	}
	clock.advance(2 * time.Second)
	// The attackers' turns are open again with the real user's: they take theirs, one of
	// them (the second then waits 4s for amal's 4th failure), not the real user's.
	if got := loginWave(t, srv, append(repeat("127.0.0.1"), repeat(firstGuesser(t, e))...), "amal", "guess"); got[http.StatusUnauthorized] != 1 || got[http.StatusTooManyRequests] != 63 {
		t.Fatalf("the attackers' next wave = %v, want one guess checked", got)
	}
	if status, h, err := loginFrom(srv, "127.0.0.200", "amal", "password-of-amal"); err != nil || status != http.StatusSeeOther {
		t.Fatalf("real user after the wait = %d (Retry-After %q), %v; want 303 into the workbench", status, h.Get("Retry-After"), err)
	}
	if status, _, _ := loginFrom(srv, "127.0.0.1", "amal", "password-of-amal"); status != http.StatusTooManyRequests {
		t.Errorf("right password from the attacker's address inside its wait = %d, want 429", status)
	}
}

// firstGuesser is the one address of the second wave whose guess was checked: the one that
// has failed for amal.
func firstGuesser(t *testing.T, e *authEnv) string {
	t.Helper()
	l := e.server.logins
	l.mu.Lock()
	defer l.mu.Unlock()
	for k := range l.keys {
		if ip, ok := strings.CutPrefix(k, "pair:amal "); ok && ip != "127.0.0.1" {
			return ip
		}
	}
	t.Fatal("no second guesser")
	return ""
}
