package auth

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/migrations/migrationstest"
)

// mustOpenStore opens a store over a fresh database file with the clock now. Hashing uses
// bcrypt's minimum cost so the tests stay fast; TestPasswordsAreHashed checks the real cost.
func mustOpenStore(tb testing.TB, now func() time.Time) (*Store, *migrations.DB) {
	tb.Helper()
	db := migrationstest.Open(tb)
	s := NewStore(db.W, db.R, now)
	s.cost = bcrypt.MinCost
	return s, db
}

func mustCreate(tb testing.TB, s *Store, name string, role Role) User {
	tb.Helper()
	u, err := s.Create(context.Background(), name, role, "correct horse")
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestPasswordsAreHashed(t *testing.T) {
	db := migrationstest.Open(t)
	s := NewStore(db.W, db.R, time.Now)
	if _, err := s.Create(context.Background(), "amal", RoleAdmin, "correct horse"); err != nil {
		t.Fatal(err)
	}
	var hash string
	if err := db.R.QueryRow(`SELECT password_hash FROM users WHERE name = 'amal'`).Scan(&hash); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(hash, "correct horse") {
		t.Fatalf("password stored in the clear: %q", hash)
	}
	cost, err := bcrypt.Cost([]byte(hash))
	if err != nil || cost < 10 {
		t.Fatalf("bcrypt cost = %d, %v; want at least 10", cost, err)
	}
}

func TestCreate(t *testing.T) {
	ctx := context.Background()
	s, _ := mustOpenStore(t, time.Now)
	u := mustCreate(t, s, "amal", RoleAdmin)
	if u.ID == 0 || u.Name != "amal" || u.Role != RoleAdmin || u.CreatedAt.IsZero() {
		t.Fatalf("Create = %+v", u)
	}
	mustCreate(t, s, "سارة", RoleReviewer) // Arabic names are fine

	for _, c := range []struct {
		name, test string
		role       Role
		password   string
		want       error
		msg        string
	}{
		{"ErrNameTaken", "amal", RoleReviewer, "correct horse", ErrConflict, "taken"},
		{"ErrNameEmpty", "  ", RoleReviewer, "correct horse", ErrInvalid, "empty"},
		{"ErrNameSpace", "a b", RoleReviewer, "correct horse", ErrInvalid, "only letters"},
		{"ErrNameMarkup", "<b>", RoleReviewer, "correct horse", ErrInvalid, "only letters"},
		{"ErrNameEscape", "mona\x1b[2J", RoleReviewer, "correct horse", ErrInvalid, "name: character 5: U+001B"},
		{"ErrNameBidi", "mona\u202egnp.exe", RoleReviewer, "correct horse", ErrInvalid, "name: character 5: U+202E"},
		{"ErrNameReserved", "Local", RoleReviewer, "correct horse", ErrInvalid, "reserved"},
		{"ErrNameLong", strings.Repeat("a", 65), RoleReviewer, "correct horse", ErrInvalid, "longer than 64"},
		{"ErrRole", "bob", Role("root"), "correct horse", ErrInvalid, "want admin or reviewer"},
		{"ErrPasswordEmpty", "bob", RoleReviewer, "   ", ErrInvalid, "empty"},
		{"ErrPasswordShort", "bob", RoleReviewer, "12345678", ErrInvalid, "shorter than 12"},
		{"ErrPasswordCommon", "bob", RoleReviewer, "Password1234!", ErrInvalid, "too easy to guess"},
		{"ErrPasswordLong", "bob", RoleReviewer, strings.Repeat("x", 73), ErrInvalid, "longer than 72 bytes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := s.Create(ctx, c.test, c.role, c.password)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.msg) {
				t.Fatalf("Create(%q, %q) = %v, want %v with %q", c.test, c.role, err, c.want, c.msg)
			}
		})
	}
	if n, _ := s.Count(ctx); n != 2 {
		t.Fatalf("Count = %d after failed creates, want 2", n)
	}
}

func TestAuthenticate(t *testing.T) {
	ctx := context.Background()
	s, _ := mustOpenStore(t, time.Now)
	want := mustCreate(t, s, "amal", RoleReviewer)

	got, err := s.Authenticate(ctx, "amal", "correct horse")
	if err != nil || got.ID != want.ID || got.Role != RoleReviewer {
		t.Fatalf("Authenticate = %+v, %v", got, err)
	}
	for _, c := range []struct{ name, user, password string }{
		{"WrongPassword", "amal", "wrong horse"},
		{"UnknownUser", "nobody", "correct horse"},
		{"EmptyPassword", "amal", ""},
		{"CaseMatters", "amal", "Correct horse"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Authenticate(ctx, c.user, c.password); !errors.Is(err, ErrBadCredentials) {
				t.Fatalf("Authenticate(%q, %q) = %v, want ErrBadCredentials", c.user, c.password, err)
			}
		})
	}
}

func TestSetPasswordEndsSessions(t *testing.T) {
	ctx := context.Background()
	s, _ := mustOpenStore(t, time.Now)
	u := mustCreate(t, s, "amal", RoleAdmin)
	sess, err := s.CreateSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetPassword(ctx, "amal", "short", false); !errors.Is(err, ErrInvalid) {
		t.Fatalf("SetPassword(short) = %v, want ErrInvalid", err)
	}
	if _, err := s.SetPassword(ctx, "nobody", "a new password", false); !errors.Is(err, ErrNotFound) {
		t.Fatalf("SetPassword(nobody) = %v, want ErrNotFound", err)
	}
	tok, err := s.CreateToken(ctx, "amal")
	if err != nil {
		t.Fatal(err)
	}
	if n, err := s.SetPassword(ctx, "amal", "a new password", false); err != nil || n != 0 {
		t.Fatalf("SetPassword = %d, %v", n, err)
	}
	if _, err := s.LookupToken(ctx, tok); err != nil {
		t.Errorf("a password change without revoking ended the API token: %v", err)
	}
	if _, err := s.Authenticate(ctx, "amal", "correct horse"); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("old password still works: %v", err)
	}
	if _, err := s.Authenticate(ctx, "amal", "a new password"); err != nil {
		t.Errorf("new password: %v", err)
	}
	if _, err := s.LookupSession(ctx, sess.Token); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("session survived a password change: %v", err)
	}
	if n, err := s.SetPassword(ctx, "amal", "yet another new password", true); err != nil || n != 1 {
		t.Fatalf("SetPassword revoking tokens = %d, %v; want 1 revoked", n, err)
	}
	if _, err := s.LookupToken(ctx, tok); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("API token survived a password change with revokeTokens: %v", err)
	}
}

// TestOldPasswordsStillLogIn: the rules are for new passwords; an account whose password was
// set before them (8 characters, on the common list) keeps logging in with it.
func TestOldPasswordsStillLogIn(t *testing.T) {
	ctx := context.Background()
	s, db := mustOpenStore(t, time.Now)
	mustCreate(t, s, "amal", RoleAdmin)
	hash, err := bcrypt.GenerateFromPassword([]byte("12345678"), bcrypt.MinCost)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.W.Exec(`UPDATE users SET password_hash = ? WHERE name = 'amal'`, string(hash)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Authenticate(ctx, "amal", "12345678"); err != nil {
		t.Fatalf("an old short password no longer logs in: %v", err)
	}
}

func TestValidatePassword(t *testing.T) {
	for _, c := range []struct {
		name, user, password, msg string
	}{
		{"OK", "amal", "correct horse battery", ""},
		{"OKArabic", "amal", "كلمة سر طويلة جدا", ""},
		{"OKNameInAPhrase", "amal", "amal likes tall ships", ""},
		{"OKWordsAndDigits", "amal", "7 silver dunes at 4am", ""},
		{"Empty", "amal", "            ", "empty"},
		{"Short", "amal", "tall ships", "shorter than 12 characters"},
		{"Long", "amal", strings.Repeat("ship ", 15), "longer than 72 bytes"},
		{"CommonLong", "amal", "qwerty123456", "one of the most common passwords"},
		{"CommonLongCase", "amal", "FinalFantasy", "one of the most common passwords"},
		{"CommonPadded", "amal", "Sunshine2024!", "a common password with digits or symbols added"},
		{"CommonPaddedFront", "amal", "!!11iloveyou", "a common password with digits or symbols added"},
		{"OneCharacter", "amal", "aaaaaaaaaaaa", "the same few characters repeated"},
		{"Repeated", "amal", "abc1abc1abc1", "the same few characters repeated"},
		{"RepeatedWord", "amal", "horsehorsehorse", "the same few characters repeated"},
		{"DigitSequence", "amal", "123456789012", "a run of consecutive letters or digits"},
		{"DigitsDown", "amal", "210987654321", "a run of consecutive letters or digits"},
		{"LetterSequence", "amal", "abcdefghijklm", "a run of consecutive letters or digits"},
		{"KeyboardRow", "amal", "qwertyuiop[]", "a walk along the keyboard"},
		{"KeyboardColumns", "amal", "1qaz2wsx3edc4rfv", ""}, // on the list as well; either reason will do
		{"KeyboardZigzag", "amal", "zaq12wsxcde34", "a walk along the keyboard"},
		{"KeyboardShifted", "amal", "!QAZXSW@#EDCVFR$", "a walk along the keyboard"},
		{"MostlyDigits", "amal", "19900101x2024", "mostly digits and symbols"},
		{"OnlyDigits", "amal", "839201746352", "mostly digits and symbols"},
		{"Name", "amal", "Amal12345678", "your name with a little added"},
		{"NameTwice", "sami", "samisamisami", "the same few characters repeated"},
		{"NameAndCommon", "amal", "amal-password", "your name with a little added"},
		{"ProgramName", "amal", "tarjama2024!!", "the program's name with a little added"},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := ValidatePassword(c.user, c.password)
			switch {
			case c.name == "KeyboardColumns":
				if err == nil || !strings.Contains(err.Error(), "too easy to guess") {
					t.Errorf("ValidatePassword(%q) = %v, want it refused as easy to guess", c.password, err)
				}
			case c.msg == "" && err != nil:
				t.Errorf("ValidatePassword(%q, %q) = %v, want it accepted", c.user, c.password, err)
			case c.msg != "" && (!errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), c.msg)):
				t.Errorf("ValidatePassword(%q, %q) = %v, want ErrInvalid saying %q", c.user, c.password, err, c.msg)
			}
		})
	}
}

// TestCommonPasswordList: the embedded list is read, lower case, and as long as its header says.
func TestCommonPasswordList(t *testing.T) {
	list := commonPasswords()
	if len(list) != 10000 {
		t.Errorf("%d common passwords, want 10,000", len(list))
	}
	for _, p := range []string{"password", "iloveyou", "1qaz2wsx3edc", "sunshine"} {
		if !list[p] {
			t.Errorf("%q is not on the list", p)
		}
	}
	for p := range list {
		if p != strings.ToLower(p) || strings.TrimSpace(p) != p || strings.HasPrefix(p, "#") {
			t.Errorf("list entry %q is not a lower-case password", p)
		}
	}
}

func TestListAndDelete(t *testing.T) {
	ctx := context.Background()
	s, _ := mustOpenStore(t, time.Now)
	mustCreate(t, s, "zaid", RoleReviewer)
	u := mustCreate(t, s, "amal", RoleAdmin)
	list, err := s.List(ctx)
	if err != nil || len(list) != 2 || list[0].Name != "amal" || list[1].Name != "zaid" {
		t.Fatalf("List = %+v, %v; want amal, zaid", list, err)
	}
	sess, _ := s.CreateSession(ctx, u)
	tok, _ := s.CreateToken(ctx, "amal")
	if err := s.Delete(ctx, "amal"); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete(ctx, "amal"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("second Delete = %v, want ErrNotFound", err)
	}
	if _, err := s.LookupSession(ctx, sess.Token); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("session of a deleted user: %v", err)
	}
	if _, err := s.LookupToken(ctx, tok); !errors.Is(err, ErrBadCredentials) {
		t.Errorf("token of a deleted user: %v", err)
	}
	if _, err := s.Get(ctx, "amal"); !errors.Is(err, ErrNotFound) {
		t.Errorf("Get deleted user = %v, want ErrNotFound", err)
	}
}

func TestSessions(t *testing.T) {
	ctx := context.Background()
	clock := time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)
	s, db := mustOpenStore(t, func() time.Time { return clock })
	u := mustCreate(t, s, "amal", RoleReviewer)

	sess, err := s.CreateSession(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	if len(sess.Token) < 43 || sess.CSRF == "" || sess.CSRF == sess.Token || !sess.ExpiresAt.Equal(clock.Add(SessionTTL)) {
		t.Fatalf("session = %+v", sess)
	}
	var stored string
	if err := db.R.QueryRow(`SELECT token_hash FROM sessions`).Scan(&stored); err != nil {
		t.Fatal(err)
	}
	if stored == sess.Token || strings.Contains(stored, sess.Token) || len(stored) != 64 {
		t.Fatalf("stored %q for token %q; want only its SHA-256", stored, sess.Token)
	}

	got, err := s.LookupSession(ctx, sess.Token)
	if err != nil || got.User.Name != "amal" || got.User.Role != RoleReviewer || got.CSRF != sess.CSRF {
		t.Fatalf("LookupSession = %+v, %v", got, err)
	}
	if !got.CheckCSRF(sess.CSRF) || got.CheckCSRF("") || got.CheckCSRF(sess.Token) || got.CheckCSRF(sess.CSRF+"x") {
		t.Error("CheckCSRF accepts the wrong tokens or refuses the right one")
	}
	other, _ := s.CreateSession(ctx, u)
	if other.Token == sess.Token || other.CSRF == sess.CSRF {
		t.Fatal("two sessions share a token")
	}
	for _, bad := range []string{"", "x", stored, sess.CSRF} {
		if _, err := s.LookupSession(ctx, bad); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("LookupSession(%q) = %v, want ErrBadCredentials", bad, err)
		}
	}

	clock = clock.Add(SessionTTL - time.Second)
	if _, err := s.LookupSession(ctx, sess.Token); err != nil {
		t.Fatalf("session a second before expiry: %v", err)
	}
	clock = clock.Add(time.Second)
	if _, err := s.LookupSession(ctx, sess.Token); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("expired session = %v, want ErrBadCredentials", err)
	}
	if _, err := s.CreateSession(ctx, u); err != nil { // clears the expired ones
		t.Fatal(err)
	}
	var n int
	db.R.QueryRow(`SELECT COUNT(*) FROM sessions`).Scan(&n)
	if n != 1 {
		t.Fatalf("%d sessions after a login past expiry, want 1 (expired ones cleared)", n)
	}

	fresh, _ := s.CreateSession(ctx, u)
	if err := s.DeleteSession(ctx, fresh.Token); err != nil {
		t.Fatal(err)
	}
	if _, err := s.LookupSession(ctx, fresh.Token); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("session after logout = %v", err)
	}
	if err := s.DeleteSession(ctx, fresh.Token); err != nil {
		t.Fatalf("second logout = %v, want nil", err)
	}
}

func TestTokens(t *testing.T) {
	ctx := context.Background()
	s, db := mustOpenStore(t, time.Now)
	mustCreate(t, s, "bot", RoleReviewer)
	if _, err := s.CreateToken(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("CreateToken(nobody) = %v, want ErrNotFound", err)
	}
	tok, err := s.CreateToken(ctx, "bot")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(tok, TokenPrefix) || len(tok) < len(TokenPrefix)+43 {
		t.Fatalf("token %q", tok)
	}
	var stored, used string
	db.R.QueryRow(`SELECT token_hash, last_used_at FROM api_tokens`).Scan(&stored, &used)
	if strings.Contains(stored, tok[len(TokenPrefix):]) || used != "" {
		t.Fatalf("stored %q (last used %q) for %q; want only a hash, never used", stored, used, tok)
	}
	u, err := s.LookupToken(ctx, tok)
	if err != nil || u.Name != "bot" || u.Role != RoleReviewer {
		t.Fatalf("LookupToken = %+v, %v", u, err)
	}
	db.R.QueryRow(`SELECT last_used_at FROM api_tokens`).Scan(&used)
	if used == "" {
		t.Error("LookupToken did not record the use")
	}
	second, _ := s.CreateToken(ctx, "bot")
	for _, bad := range []string{"", tok + "x", stored, TokenPrefix + stored, strings.TrimPrefix(tok, TokenPrefix)} {
		if _, err := s.LookupToken(ctx, bad); !errors.Is(err, ErrBadCredentials) {
			t.Errorf("LookupToken(%q) = %v, want ErrBadCredentials", bad, err)
		}
	}
	if n, err := s.RevokeTokens(ctx, "bot"); err != nil || n != 2 {
		t.Fatalf("RevokeTokens = %d, %v; want 2", n, err)
	}
	if _, err := s.LookupToken(ctx, second); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("revoked token = %v", err)
	}
}

// TestTokens_ListWithLastUse: the list shows each token's creation and last use, which a
// lookup writes back at most once a minute.
func TestTokens_ListWithLastUse(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	s, _ := mustOpenStore(t, func() time.Time { return now })
	mustCreate(t, s, "zaid", RoleReviewer)
	mustCreate(t, s, "amal", RoleAdmin)
	used, err := s.CreateToken(ctx, "zaid")
	if err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if _, err := s.CreateToken(ctx, "zaid"); err != nil {
		t.Fatal(err)
	}
	list := func() []Token {
		t.Helper()
		l, err := s.Tokens(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := list(); len(l) != 2 || l[0].User != "zaid" || !l[0].CreatedAt.Equal(now.Add(-time.Hour)) || !l[0].LastUsedAt.IsZero() || l[1].ID <= l[0].ID {
		t.Fatalf("Tokens = %+v, want zaid's two, oldest first, never used", l)
	}
	first := now.Add(time.Minute)
	for _, step := range []time.Duration{time.Minute, 30 * time.Second, 20 * time.Second} {
		now = now.Add(step)
		if _, err := s.LookupToken(ctx, used); err != nil {
			t.Fatal(err)
		}
	}
	if got := list()[0].LastUsedAt; !got.Equal(first) {
		t.Errorf("last use = %v, want %v (uses within a minute of it are not written)", got, first)
	}
	now = now.Add(15 * time.Second) // 65s after the recorded use
	if _, err := s.LookupToken(ctx, used); err != nil {
		t.Fatal(err)
	}
	if got := list()[0].LastUsedAt; !got.Equal(now) {
		t.Errorf("last use = %v, want %v", got, now)
	}
}

func TestCan(t *testing.T) {
	all := []Action{ActionRead, ActionEdit, ActionGlossary, ActionImport, ActionSettings, ActionUsers, ActionBackup, ActionAdmin}
	for _, a := range all {
		if !Can(RoleAdmin, a) {
			t.Errorf("admin cannot %s", a)
		}
		want := a == ActionRead || a == ActionEdit
		if got := Can(RoleReviewer, a); got != want {
			t.Errorf("Can(reviewer, %s) = %v, want %v", a, got, want)
		}
		if Can(Role(""), a) || Can(Role("root"), a) {
			t.Errorf("an unknown role can %s", a)
		}
	}
}

func TestParseRole(t *testing.T) {
	for in, want := range map[string]Role{"admin": RoleAdmin, " Reviewer ": RoleReviewer} {
		if got, err := ParseRole(in); err != nil || got != want {
			t.Errorf("ParseRole(%q) = %q, %v", in, got, err)
		}
	}
	for _, in := range []string{"", "root", "admins"} {
		if _, err := ParseRole(in); !errors.Is(err, ErrInvalid) {
			t.Errorf("ParseRole(%q) = %v, want ErrInvalid", in, err)
		}
	}
}

func TestSingleUserMode(t *testing.T) {
	for _, c := range []struct {
		addr     string
		loopback bool
	}{
		{"127.0.0.1:8080", true},
		{"127.3.4.5:80", true},
		{"localhost:8080", true},
		{"LOCALHOST:8080", true},
		{"[::1]:8080", true},
		{"::1", true},
		{"127.0.0.1", true},
		{":8080", false},
		{"0.0.0.0:8080", false},
		{"[::]:8080", false},
		{"192.168.1.10:8080", false},
		{"example.com:8080", false},
		{"", false},
	} {
		if got := IsLoopback(c.addr); got != c.loopback {
			t.Errorf("IsLoopback(%q) = %v, want %v", c.addr, got, c.loopback)
		}
		if got := SingleUser(0, c.addr); got != c.loopback {
			t.Errorf("SingleUser(0, %q) = %v, want %v", c.addr, got, c.loopback)
		}
		if SingleUser(1, c.addr) {
			t.Errorf("SingleUser(1, %q) = true with an account", c.addr)
		}
	}

	ctx := context.Background()
	s, _ := mustOpenStore(t, time.Now)
	if on, err := s.SingleUser(ctx, "127.0.0.1:8080"); err != nil || !on {
		t.Fatalf("no accounts, loopback: SingleUser = %v, %v; want true", on, err)
	}
	if on, _ := s.SingleUser(ctx, "0.0.0.0:8080"); on {
		t.Fatal("no accounts, all interfaces: single-user mode")
	}
	mustCreate(t, s, "amal", RoleAdmin)
	if on, _ := s.SingleUser(ctx, "127.0.0.1:8080"); on {
		t.Fatal("an account exists, yet single-user mode")
	}
}
