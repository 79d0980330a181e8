package auth

import (
	_ "embed"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
)

// commonPasswordsText is the list of common passwords (see its header for where it comes from).
//
//go:embed common_passwords.txt
var commonPasswordsText string

var commonPasswords = sync.OnceValue(func() map[string]bool {
	m := make(map[string]bool, 10000)
	for line := range strings.Lines(commonPasswordsText) {
		if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "#") {
			m[line] = true
		}
	}
	return m
})

// ValidatePassword checks a new password for the user name: 12 to 72 bytes' worth of
// characters, and not easy to guess (see guessable). It applies to new passwords only:
// accounts whose password predates the rules keep logging in with it.
func ValidatePassword(name, pw string) error {
	switch {
	case strings.TrimSpace(pw) == "":
		return ErrInvalid.Errorf("password: empty")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return ErrInvalid.Errorf("password: shorter than %d characters", MinPasswordLen)
	case len(pw) > MaxPasswordLength:
		return ErrInvalid.Errorf("password: longer than %d bytes", MaxPasswordLength)
	}
	if why := guessableFor(name, pw); why != "" {
		return ErrInvalid.Errorf("password: too easy to guess (%s); a few unrelated words make a good one", why)
	}
	return nil
}

// guessableFor says why a password is easy to guess, or "" if it is not: guessable, or the
// user's name (or the program's) with something guessable added.
func guessableFor(name, pw string) string {
	p := strings.ToLower(pw)
	if why := guessable(p); why != "" {
		return why
	}
	for _, n := range []string{strings.ToLower(strings.TrimSpace(name)), "tarjama"} {
		if utf8.RuneCountInString(n) < 3 || !strings.Contains(p, n) {
			continue
		}
		rest := strings.ReplaceAll(p, n, "")
		if rest == "" || guessable(rest) != "" {
			if n == "tarjama" {
				return "the program's name with a little added"
			}
			return "your name with a little added"
		}
	}
	return ""
}

// guessable says why a lower-case password is among the first that a guesser tries, or "".
// The patterns are checked on the whole password and on its core, the password without the
// digits, punctuation and symbols before its first letter and after its last, which is where
// people add them to a word.
func guessable(p string) string {
	core := strings.TrimFunc(p, func(r rune) bool { return !unicode.IsLetter(r) })
	for _, s := range []string{p, core} {
		switch {
		case commonPasswords()[s]:
			if s == p {
				return "one of the most common passwords"
			}
			return "a common password with digits or symbols added"
		case repeats(s):
			return "the same few characters repeated"
		case sequence(s):
			return "a run of consecutive letters or digits"
		case keyboardWalk(s):
			return "a walk along the keyboard"
		}
	}
	if utf8.RuneCountInString(core) < 4 {
		return "mostly digits and symbols"
	}
	return ""
}

// repeats reports whether s is one shorter string said again and again ("abcabcabcabc").
func repeats(s string) bool {
	r := []rune(s)
	for unit := 1; unit <= len(r)/2; unit++ {
		if len(r)%unit != 0 {
			continue
		}
		if strings.Repeat(string(r[:unit]), len(r)/unit) == s {
			return true
		}
	}
	return false
}

// sequence reports whether s (3 characters or more) steps one letter or digit at a time, up
// or down, digits going round from 9 to 0 ("123456789012", "zyxwvu").
func sequence(s string) bool {
	r := []rune(s)
	if len(r) < 3 {
		return false
	}
	step := func(a, b rune) int {
		if unicode.IsDigit(a) && unicode.IsDigit(b) {
			switch {
			case a == '9' && b == '0':
				return 1
			case a == '0' && b == '9':
				return -1
			}
		}
		return int(b - a)
	}
	dir := step(r[0], r[1])
	if dir != 1 && dir != -1 {
		return false
	}
	for i := 2; i < len(r); i++ {
		if step(r[i-1], r[i]) != dir {
			return false
		}
	}
	return true
}

// keyRows is a US QWERTY keyboard, row by row, with each row's offset to the right in keys:
// a key touches its neighbours in its row and the keys less than one key away in the rows
// above and below.
var keyRows = []struct {
	keys, shifted string
	offset        float64
}{
	{"`1234567890-=", "~!@#$%^&*()_+", 0},
	{"qwertyuiop[]\\", "QWERTYUIOP{}|", 1.5},
	{"asdfghjkl;'", "ASDFGHJKL:\"", 1.75},
	{"zxcvbnm,./", "ZXCVBNM<>?", 2.25},
}

type keyPos struct {
	row int
	x   float64
}

var keyPositions = sync.OnceValue(func() map[rune]keyPos {
	m := map[rune]keyPos{}
	for row, kr := range keyRows {
		shifted := []rune(kr.shifted)
		for i, k := range []rune(kr.keys) {
			pos := keyPos{row, kr.offset + float64(i)}
			m[k], m[shifted[i]] = pos, pos
		}
	}
	return m
})

// keyboardWalk reports whether s (4 characters or more) is typed by moving from each key to
// the same or a touching one ("qwertyuiop", "1qaz2wsx3edc", "zaq12wsxcde3").
func keyboardWalk(s string) bool {
	r := []rune(s)
	if len(r) < 4 {
		return false
	}
	pos := keyPositions()
	for i := 1; i < len(r); i++ {
		a, okA := pos[r[i-1]]
		b, okB := pos[r[i]]
		if !okA || !okB {
			return false
		}
		dx := a.x - b.x
		if dx < 0 {
			dx = -dx
		}
		switch a.row - b.row {
		case 0:
			if dx > 1 {
				return false
			}
		case 1, -1:
			if dx >= 1 {
				return false
			}
		default:
			return false
		}
	}
	return true
}
