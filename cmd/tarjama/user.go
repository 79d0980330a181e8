package main

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/mattn/go-isatty"

	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/web/auth"
)

// cmdUser manages accounts: add, passwd, token, list, delete. Passwords come from the first
// line of stdin, never from flags, so they stay out of shell history and process lists.
func cmdUser(ctx context.Context, e *env, args []string) error {
	return subcommands(ctx, e, "user", args, map[string]command{
		"add": cmdUserAdd, "passwd": cmdUserPasswd, "token": cmdUserToken, "list": cmdUserList, "delete": cmdUserDelete,
	})
}

func cmdUserAdd(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "user add")
	roleFlag := fs.String("role", "", "admin (glossary, imports, settings, accounts) or reviewer (edit and approve)")
	name, err := parseName(fs, args, "user add")
	if err != nil {
		return err
	}
	if *roleFlag == "" {
		return usageErrf("user add: --role is required: admin or reviewer")
	}
	role, err := auth.ParseRole(*roleFlag)
	if err != nil {
		return usageErrf("user add: %w", err)
	}
	if err := auth.ValidateName(name); err != nil {
		return err
	}
	password, err := readPassword(e, name)
	if err != nil {
		return err
	}
	return withAccounts(ctx, e, *dbPath, func(users *auth.Store) error {
		u, err := users.Create(ctx, name, role, password)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "added %s (%s)\n", u.Name, u.Role)
		return nil
	})
}

func cmdUserPasswd(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "user passwd")
	revoke := fs.Bool("revoke-tokens", false, "also delete the user's API tokens")
	name, err := parseName(fs, args, "user passwd")
	if err != nil {
		return err
	}
	password, err := readPassword(e, name)
	if err != nil {
		return err
	}
	return withAccounts(ctx, e, *dbPath, func(users *auth.Store) error {
		n, err := users.SetPassword(ctx, name, password, *revoke)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "changed the password of %s; their sessions have ended", name)
		if *revoke {
			fmt.Fprintf(e.stdout, " and %s revoked", translate.Plural(n, "API token"))
		}
		fmt.Fprintln(e.stdout)
		return nil
	})
}

func cmdUserToken(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "user token")
	revoke := fs.Bool("revoke", false, "delete all of the user's API tokens instead of making one")
	name, err := parseName(fs, args, "user token")
	if err != nil {
		return err
	}
	return withAccounts(ctx, e, *dbPath, func(users *auth.Store) error {
		if *revoke {
			n, err := users.RevokeTokens(ctx, name)
			if err != nil {
				return err
			}
			fmt.Fprintf(e.stdout, "revoked %s of %s\n", translate.Plural(n, "token"), name)
			return nil
		}
		token, err := users.CreateToken(ctx, name)
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, token)
		fmt.Fprintf(e.stderr, "This token acts as %s; it is shown only now. Send it as the header \"Authorization: Bearer TOKEN\".\n", name)
		return nil
	})
}

func cmdUserList(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "user list")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usageErrf("user list: unexpected argument %q", pos[0])
	}
	return withAccounts(ctx, e, *dbPath, func(users *auth.Store) error {
		list, err := users.List(ctx)
		if err != nil {
			return err
		}
		if len(list) == 0 {
			fmt.Fprintln(e.stderr, "no accounts: on loopback the server runs in single-user mode")
			return nil
		}
		tokens, err := users.Tokens(ctx)
		if err != nil {
			return err
		}
		byUser := map[string][]auth.Token{}
		for _, t := range tokens {
			byUser[t.User] = append(byUser[t.User], t)
		}
		const stamp = "2006-01-02 15:04"
		var table bytes.Buffer
		tw := tabwriter.NewWriter(&table, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tROLE\tCREATED (UTC)\tAPI TOKEN\tTOKEN CREATED\tLAST USED")
		for _, u := range list {
			row := u.Name + "\t" + string(u.Role) + "\t" + u.CreatedAt.UTC().Format(stamp)
			if len(byUser[u.Name]) == 0 {
				fmt.Fprintln(tw, row+"\t-\t\t")
			}
			for _, t := range byUser[u.Name] {
				used := "never"
				if !t.LastUsedAt.IsZero() {
					used = t.LastUsedAt.UTC().Format(stamp)
				}
				fmt.Fprintf(tw, "%s\t#%d\t%s\t%s\n", row, t.ID, t.CreatedAt.UTC().Format(stamp), used)
				row = "\t\t" // the user's further tokens under the first
			}
		}
		if err := tw.Flush(); err != nil {
			return err
		}
		for line := range strings.Lines(table.String()) {
			fmt.Fprintln(e.stdout, strings.TrimRight(line, " \n")) // no padding after a user without tokens
		}
		return nil
	})
}

func cmdUserDelete(ctx context.Context, e *env, args []string) error {
	fs, dbPath := newFlags(e, "user delete")
	name, err := parseName(fs, args, "user delete")
	if err != nil {
		return err
	}
	return withAccounts(ctx, e, *dbPath, func(users *auth.Store) error {
		if err := users.Delete(ctx, name); err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "deleted %s; their revisions keep the name\n", name)
		return nil
	})
}

// parseName parses the flags and the one NAME argument a user subcommand takes.
func parseName(fs *flag.FlagSet, args []string, cmd string) (string, error) {
	pos, err := parse(fs, args)
	if err != nil {
		return "", err
	}
	if len(pos) != 1 {
		return "", usageErrf("%s: name exactly one user", cmd)
	}
	return pos[0], nil
}

// withAccounts opens the database and runs f with the account store over it.
func withAccounts(ctx context.Context, e *env, dbPath string, f func(*auth.Store) error) error {
	a, err := open(ctx, e, dbPath)
	if err != nil {
		return err
	}
	defer a.Close()
	return f(auth.NewStore(a.db.W, a.db.R, a.now))
}

// readPassword reads the new password of user name from the first line of stdin and checks
// it. On a terminal it asks first; the typing is visible there, so piping the password in is
// the better habit. A pipe, a file or /dev/null (a character device, but no terminal) gets no
// prompt.
func readPassword(e *env, name string) (string, error) {
	if f, ok := e.stdin.(*os.File); ok && isatty.IsTerminal(f.Fd()) {
		fmt.Fprint(e.stderr, "Password (visible as you type): ")
	}
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("read the password from stdin: %w", err)
	}
	line = strings.TrimRight(line, "\r\n")
	if strings.TrimSpace(line) == "" {
		return "", usageErrf("no password: give it as the first line of stdin, e.g. printf '%%s\\n' \"$PASSWORD\" | tarjama user add NAME --role reviewer")
	}
	if err := auth.ValidatePassword(name, line); err != nil {
		return "", usageErr(err)
	}
	return line, nil
}
