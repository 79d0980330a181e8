package web

import (
	"sync"
	"time"
)

// Failed logins slow down the next attempts instead of locking anyone out: after a name's or
// an address's first failure (a typo, retyped at once) each further one makes the next
// attempt for it wait, loginBaseDelay after the second failure and twice as long after each
// one after that, up to loginMaxDelay. Attempts inside the wait are refused without looking
// at the password and count for nothing, so a flood cannot lengthen the wait; a key's
// failures are forgotten loginForget after its last one.
const (
	loginFreeFailures = 1
	loginBaseDelay    = time.Second
	loginMaxDelay     = 5 * time.Minute
	loginForget       = 15 * time.Minute
	// loginSweepAt is how many keys the limiter keeps before it looks for forgotten ones.
	loginSweepAt = 10000
)

// loginDelay is the wait after n failures.
func loginDelay(n int) time.Duration {
	if n <= loginFreeFailures {
		return 0
	}
	d := loginBaseDelay
	for i := loginFreeFailures + 1; i < n && d < loginMaxDelay; i++ {
		d *= 2
	}
	return min(d, loginMaxDelay)
}

// loginLimiter keeps the failed logins in memory. An attempt is counted as a failure when it
// is let through, before its password is checked (bcrypt takes a quarter of a second, so
// guesses sent at once would all be checked before any was counted); a right password takes
// the count back.
//
// It counts by four keys. The address ("ip:"): every attempt from it, whatever the name. The
// name ("name:"): every attempt on it, which sets how long an address that has failed for the
// name waits. The pair of name and address ("pair:"): the wait of an address that has failed
// for the name runs from its own last attempt, so a stranger hammering the name from
// elsewhere never takes the real user's turn. The name's first tries ("first:"): addresses
// that have not failed for the name share one wait, so a crowd of new addresses gets no more
// guesses at a name than one address does, and a single attacker leaves it at the base delay
// for the real user.
type loginLimiter struct {
	mu    sync.Mutex
	now   func() time.Time
	keys  map[string]*loginFailures
	swept time.Time
}

// loginFailures is one key's count and when its last attempt was counted.
type loginFailures struct {
	n    int
	last time.Time
}

// loginAttempt is what admit counted for one attempt, for release to take back: the keys,
// when, and each key's last attempt before it.
type loginAttempt struct {
	counted []string
	at      time.Time
	before  []time.Time
	pair    string
}

func newLoginLimiter(now func() time.Time) *loginLimiter {
	return &loginLimiter{now: now, keys: map[string]*loginFailures{}}
}

// admit decides on an attempt to log in as name (lower-cased) from the address ip: it
// returns how long to wait, or counts the attempt as a failure and returns 0.
func (l *loginLimiter) admit(name, ip string) (loginAttempt, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	l.sweep(now)
	ipKey, nameKey, firstKey, pairKey := "ip:"+ip, "name:"+name, "first:"+name, "pair:"+name+" "+ip
	wait := l.wait(ipKey, ipKey, now)
	turn := firstKey
	if l.get(pairKey, now).n > 0 {
		turn = pairKey
		wait = max(wait, l.wait(pairKey, nameKey, now))
	} else {
		wait = max(wait, l.wait(firstKey, firstKey, now))
	}
	if wait > 0 {
		return loginAttempt{}, wait
	}
	a := loginAttempt{counted: []string{ipKey, nameKey, pairKey}, at: now, pair: pairKey}
	if turn == firstKey {
		a.counted = append(a.counted, firstKey)
	}
	for _, k := range a.counted {
		f := l.get(k, now)
		a.before = append(a.before, f.last)
		f.n++
		f.last = now
		l.keys[k] = &f
	}
	return a, 0
}

// release takes back what admit counted for an attempt that was no failure: the password
// was right (succeeded: the address's earlier failures for the name are forgotten too), or
// it could not be checked.
func (l *loginLimiter) release(a loginAttempt, succeeded bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, k := range a.counted {
		f := l.keys[k]
		if f == nil {
			continue
		}
		if f.n--; f.n <= 0 {
			delete(l.keys, k)
			continue
		}
		if f.last.Equal(a.at) { // no later attempt was counted: the wait runs from the one before
			f.last = a.before[i]
		}
	}
	if succeeded {
		delete(l.keys, a.pair)
	}
}

// wait is how long until key's turn comes: from key's last counted attempt, the delay that
// countKey's failures call for.
func (l *loginLimiter) wait(key, countKey string, now time.Time) time.Duration {
	f, n := l.get(key, now), l.get(countKey, now).n
	if loginDelay(n) == 0 {
		return 0
	}
	return max(0, f.last.Add(loginDelay(n)).Sub(now))
}

// get returns a key's failures, forgetting them once they are old.
func (l *loginLimiter) get(key string, now time.Time) loginFailures {
	f := l.keys[key]
	if f == nil {
		return loginFailures{}
	}
	if now.Sub(f.last) >= loginForget {
		delete(l.keys, key)
		return loginFailures{}
	}
	return *f
}

// sweep drops forgotten keys once there are many, at most once a minute, so a flood of
// made-up names and addresses cannot grow the limiter without bound.
func (l *loginLimiter) sweep(now time.Time) {
	if len(l.keys) < loginSweepAt || now.Sub(l.swept) < time.Minute {
		return
	}
	l.swept = now
	for k := range l.keys {
		l.get(k, now)
	}
}
