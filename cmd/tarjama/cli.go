package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/migrations"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/store"
	"github.com/tarjama/tarjama/web"
)

const usage = `tarjama — Arabic→English translation and glossary workbench

Usage:
  tarjama serve [--addr 127.0.0.1:8080]
  tarjama import FILE...                        (UTF-8, UTF-16 or Windows-1256 text; 2 MiB and 2000 segments at most each)
  tarjama translate [--backend B] [--model M] [--base-url U] [--all | ARTICLE_ID...]
  tarjama glossary import [--dry-run] [--mode merge|replace] [--skip-bad] FILE
  tarjama glossary export [--bom] [-o FILE]
  tarjama glossary match < text
  tarjama export ARTICLE_ID --format txt|md|html|xliff|tmx [-o FILE]
  tarjama user add NAME --role admin|reviewer   (password on stdin)
  tarjama user passwd NAME                      (password on stdin)
  tarjama user token NAME [--revoke]
  tarjama user list | delete NAME
  tarjama tm import [--dry-run] FILE.tmx
  tarjama tm export [-o FILE]
  tarjama stats [--json]

Every command takes --db PATH (default $TARJAMA_DB or ./tarjama.db), before or after its name.
`

// env is what a command runs with: its streams and the process environment.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	getenv         func(string) string
	// db is a --db given before the subcommand name; it replaces the environment's
	// default so `tarjama --db X glossary match` works like `tarjama glossary match --db X`.
	db string
}

type command func(ctx context.Context, e *env, args []string) error

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: os.Getenv,
		log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))}
	args, err := e.leadingDB(args)
	if err != nil {
		fmt.Fprintf(stderr, "tarjama: %v\n\n%s", err, usage)
		return 2
	}
	if len(args) == 0 { // a mistake, not a request for help: say how, and fail
		fmt.Fprint(stderr, usage)
		return 2
	}
	if args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stdout, usage)
		return 0
	}
	commands := map[string]command{
		"serve":     cmdServe,
		"import":    cmdImport,
		"translate": cmdTranslate,
		"glossary":  cmdGlossary,
		"export":    cmdExport,
		"user":      cmdUser,
		"stats":     cmdStats,
		"tm":        cmdTM,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(stderr, "tarjama: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := cmd(ctx, e, args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		printError(stderr, args[0], err)
		var ue usageError
		if errors.As(err, &ue) {
			return 2
		}
		return 1
	}
	return 0
}

// printError is the one place a command's error reaches the terminal: in the words of
// web.Message, and named by its command only once, whether or not the message already
// starts with it ("export: …", "glossary import: …").
func printError(w io.Writer, name string, err error) {
	msg := web.Message(err)
	if !strings.HasPrefix(msg, name+": ") && !strings.HasPrefix(msg, name+" ") {
		msg = name + ": " + msg
	}
	fmt.Fprintf(w, "tarjama %s\n", msg)
}

// subcommands runs the subcommand args[0] names, e.g. `glossary import`.
func subcommands(ctx context.Context, e *env, group string, args []string, subs map[string]command) error {
	args, err := e.leadingDB(args)
	if err != nil {
		return err
	}
	names := make([]string, 0, len(subs))
	for n := range subs {
		names = append(names, n)
	}
	sort.Strings(names)
	if len(args) == 0 {
		return usageError{fmt.Sprintf("%s: name a subcommand: %s", group, strings.Join(names, ", "))}
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usageError{fmt.Sprintf("%s: unknown subcommand %q (%s)", group, args[0], strings.Join(names, ", "))}
	}
	return sub(ctx, e, args[1:])
}

// leadingDB takes the --db flags that stand before a (sub)command name, remembers the
// last one in e.db and returns the arguments after them. Only --db is global: any other
// flag there is left for the command name check to refuse.
func (e *env) leadingDB(args []string) ([]string, error) {
	for len(args) > 0 {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(args[0], "-"), "=")
		if !strings.HasPrefix(args[0], "-") || name != "db" && name != "-db" {
			return args, nil
		}
		args = args[1:]
		if !hasValue {
			if len(args) == 0 {
				return nil, usageError{"flag needs an argument: --db"}
			}
			value, args = args[0], args[1:]
		}
		if strings.TrimSpace(value) == "" {
			return nil, usageError{"--db: empty path"}
		}
		e.db = value
	}
	return args, nil
}

// usageError marks a mistake in how a command was called (exit status 2).
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

// newFlags makes a flag set with the --db flag every command takes.
func newFlags(e *env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	def := e.db
	if def == "" {
		def = e.getenv("TARJAMA_DB")
	}
	if def == "" {
		def = "tarjama.db"
	}
	db := fs.String("db", def, "SQLite database file")
	return fs, db
}

// parse parses flags that may stand before, between or after positional arguments
// (`export 3 --format tmx`), and returns the positionals in order.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, usageError{err.Error()}
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// app is the opened database and the stores over it.
type app struct {
	db       *migrations.DB
	now      func() time.Time // every store's clock
	articles *store.Store
	memory   *memory.Memory
	glossary *glossary.Store
}

// open opens the database, applies migrations and loads the seed corpus on first use.
func open(ctx context.Context, e *env, path string) (*app, error) {
	if strings.TrimSpace(path) == "" {
		return nil, usageError{"--db: empty path"}
	}
	db, err := migrations.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	now := time.Now
	terms := glossary.NewStore(db.W, db.R, now)
	// The article store checks a reviewer's text against the glossary, as the pipeline checks
	// machine output, whichever command writes it.
	a := &app{db: db, now: now, articles: store.New(db.W, db.R, now, terms), memory: memory.New(db.W, db.R, now), glossary: terms}
	if err := seeds.Load(ctx, db.W, now, a.articles, a.glossary, e.log); err != nil {
		db.Close()
		return nil, err
	}
	return a, nil
}

func (a *app) Close() error { return a.db.Close() }
