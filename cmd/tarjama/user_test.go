package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tarjama/tarjama/migrations/migrationstest"
	"github.com/tarjama/tarjama/web/auth"
)

// runUser runs `tarjama user ARGS --db db` with stdin and returns stdout, stderr and the error.
func runUser(t *testing.T, db, stdin string, args ...string) (string, string, error) {
	t.Helper()
	var out, errb bytes.Buffer
	e := &env{stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	err := cmdUser(context.Background(), e, append(args, "--db", db))
	return out.String(), errb.String(), err
}

func TestUserCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "users.db")

	out, _, err := runUser(t, db, "a long password\n", "add", "amal", "--role", "admin")
	if err != nil || out != "added amal (admin)\n" {
		t.Fatalf("user add = %q, %v", out, err)
	}
	// Flags may also come first, and a password without a final newline is read whole.
	if _, _, err := runUser(t, db, "another password", "add", "--role", "reviewer", "zaid"); err != nil {
		t.Fatalf("user add --role first: %v", err)
	}

	for _, c := range []struct {
		name, stdin string
		args        []string
		usage       bool
		msg         string
	}{
		{"ErrNoRole", "a long password\n", []string{"add", "noor"}, true, "--role is required"},
		{"ErrBadRole", "a long password\n", []string{"add", "noor", "--role", "root"}, true, "want admin or reviewer"},
		{"ErrNoName", "a long password\n", []string{"add", "--role", "admin"}, true, "exactly one user"},
		{"ErrTwoNames", "a long password\n", []string{"add", "a", "b", "--role", "admin"}, true, "exactly one user"},
		{"ErrEmptyPassword", "", []string{"add", "noor", "--role", "admin"}, true, "no password"},
		{"ErrBlankPassword", "   \n", []string{"add", "noor", "--role", "admin"}, true, "no password"},
		{"ErrShortPassword", "short\n", []string{"add", "noor", "--role", "admin"}, true, "shorter than 12"},
		{"ErrNamePassword", "noor12345678\n", []string{"add", "noor", "--role", "admin"}, true, "your name with a little added"},
		{"ErrCommonNewPassword", "qwerty123456\n", []string{"passwd", "amal"}, true, "one of the most common passwords"},
		{"ErrBadName", "a long password\n", []string{"add", "no or", "--role", "admin"}, false, "only letters"},
		{"ErrTaken", "a long password\n", []string{"add", "amal", "--role", "reviewer"}, false, "taken"},
		{"ErrTokenUnknown", "", []string{"token", "nobody"}, false, "not found"},
		{"ErrDeleteUnknown", "", []string{"delete", "nobody"}, false, "not found"},
		{"ErrSubcommand", "", []string{"frobnicate"}, true, "unknown subcommand"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runUser(t, db, c.stdin, c.args...)
			var ue usageError
			if err == nil || !strings.Contains(err.Error(), c.msg) || errors.As(err, &ue) != c.usage {
				t.Fatalf("user %v = %v, want an error with %q (usage error: %v)", c.args, err, c.msg, c.usage)
			}
		})
	}

	out, _, err = runUser(t, db, "", "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if err != nil || len(lines) != 3 || !strings.HasPrefix(lines[0], "NAME") || !strings.Contains(lines[0], "LAST USED") ||
		!strings.HasPrefix(lines[1], "amal ") || !strings.Contains(lines[1], "admin") ||
		!strings.HasPrefix(lines[2], "zaid ") || !strings.Contains(lines[2], "reviewer") {
		t.Fatalf("user list = %q, %v", out, err)
	}

	token, stderr, err := runUser(t, db, "", "token", "zaid")
	token = strings.TrimSuffix(token, "\n")
	if err != nil || !strings.HasPrefix(token, auth.TokenPrefix) || strings.ContainsAny(token, " \n") || !strings.Contains(stderr, "Authorization: Bearer") {
		t.Fatalf("user token = %q (stderr %q), %v", token, stderr, err)
	}
	users, closeDB := openUsers(t, db)
	if u, err := users.LookupToken(context.Background(), token); err != nil || u.Name != "zaid" {
		t.Fatalf("the printed token finds %+v, %v; want zaid", u, err)
	}
	closeDB()

	// The list shows each token with its creation and last use.
	if _, _, err := runUser(t, db, "", "token", "zaid"); err != nil {
		t.Fatal(err)
	}
	out, _, err = runUser(t, db, "", "list")
	lines = strings.Split(strings.TrimSpace(out), "\n")
	stamp := regexp.MustCompile(`\d{4}-\d\d-\d\d \d\d:\d\d`)
	if err != nil || len(lines) != 4 || !strings.HasSuffix(lines[1], "  -") ||
		!strings.Contains(lines[2], "#1") || len(stamp.FindAllString(lines[2], -1)) != 3 ||
		!strings.HasPrefix(lines[3], "  ") || !strings.Contains(lines[3], "#2") || !strings.HasSuffix(lines[3], "never") {
		t.Fatalf("user list with tokens = %q, %v; want zaid's token #1 used today, #2 never", out, err)
	}

	if out, _, err := runUser(t, db, "a new password\n", "passwd", "zaid"); err != nil || out != "changed the password of zaid; their sessions have ended\n" {
		t.Fatalf("passwd = %q, %v", out, err)
	}
	if out, _, err := runUser(t, db, "yet another password\n", "passwd", "zaid", "--revoke-tokens"); err != nil ||
		out != "changed the password of zaid; their sessions have ended and 2 API tokens revoked\n" {
		t.Fatalf("passwd --revoke-tokens = %q, %v", out, err)
	}
	if out, _, err := runUser(t, db, "", "token", "zaid", "--revoke"); err != nil || !strings.Contains(out, "revoked 0 tokens") {
		t.Fatalf("token --revoke = %q, %v", out, err)
	}
	if _, _, err := runUser(t, db, "", "delete", "zaid"); err != nil {
		t.Fatal(err)
	}
	users, closeDB = openUsers(t, db)
	defer closeDB()
	if _, err := users.Authenticate(context.Background(), "amal", "a long password"); err != nil {
		t.Errorf("amal cannot log in with the password from stdin: %v", err)
	}
	if _, err := users.LookupToken(context.Background(), token); err == nil {
		t.Error("a revoked token still works")
	}
	if list, _ := users.List(context.Background()); len(list) != 1 {
		t.Errorf("users after delete = %+v, want amal only", list)
	}
}

func openUsers(t *testing.T, path string) (*auth.Store, func()) {
	t.Helper()
	db := migrationstest.OpenFile(t, path)
	return auth.NewStore(db.W, db.R, time.Now), func() { db.Close() }
}

func TestCheckListen(t *testing.T) {
	for _, c := range []struct {
		addr     string
		accounts int
		refused  bool
	}{
		{"127.0.0.1:8080", 0, false},
		{"localhost:8080", 0, false},
		{"[::1]:8080", 0, false},
		{"0.0.0.0:8080", 0, true},
		{":8080", 0, true},
		{"192.168.1.5:8080", 0, true},
		{"0.0.0.0:8080", 1, false},
		{":8080", 2, false},
	} {
		err := checkListen(c.addr, c.accounts)
		if (err != nil) != c.refused {
			t.Errorf("checkListen(%q, %d) = %v, want refused=%v", c.addr, c.accounts, err, c.refused)
		}
		if err != nil && (!strings.Contains(err.Error(), "no account exists") || !strings.Contains(err.Error(), "tarjama user add")) {
			t.Errorf("checkListen(%q, 0) does not say why and what to do: %v", c.addr, err)
		}
	}
}

func TestServeRefusesToListenBeyondLoopbackWithoutAccounts(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "serve.db")
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard,
		log: slog.New(slog.NewTextHandler(io.Discard, nil))}
	a, err := open(ctx, e, db)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	if _, err := openAccounts(ctx, e, a, "0.0.0.0:8080"); err == nil || !strings.Contains(err.Error(), "refusing to listen on 0.0.0.0:8080") {
		t.Fatalf("no accounts, all interfaces: %v; want a refusal", err)
	}
	if users, err := openAccounts(ctx, e, a, "127.0.0.1:8080"); err != nil || users == nil {
		t.Fatalf("no accounts, loopback: %v", err)
	}
	if _, err := auth.NewStore(a.db.W, a.db.R, a.now).Create(ctx, "amal", auth.RoleAdmin, "a long password"); err != nil {
		t.Fatal(err)
	}
	if _, err := openAccounts(ctx, e, a, "0.0.0.0:8080"); err != nil {
		t.Fatalf("with an account, all interfaces: %v", err)
	}
}
