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
	"github.com/tarjama/tarjama/migrations/timestamp"
	"github.com/tarjama/tarjama/seeds"
	"github.com/tarjama/tarjama/translate/memory"
	"github.com/tarjama/tarjama/translate/store"
)

const usage = `tarjama — Arabic→English translation and glossary workbench

Usage:
  tarjama serve [--addr 127.0.0.1:8080] [--max-conns N]
  tarjama import [--dry-run] [--allow-duplicate] FILE...   (Arabic text: UTF-8, UTF-16 or Windows-1256, 2 MiB and 2000 segments at most; or XLIFF 1.2/2.0)
  tarjama translate [--backend B] [--model M] [--base-url U] [--all | ARTICLE_ID...]
  tarjama glossary import [--dry-run] [--mode merge|replace] [--skip-bad] FILE
  tarjama glossary imports [--limit N] [--json]   (every import: id, when, who, file, mode, counts, undone)
  tarjama glossary undo IMPORT_ID [--force]      (the terms as before the import; --force when some changed since)
  tarjama glossary export [--bom] [-o FILE]
  tarjama glossary match < text
  tarjama export ARTICLE_ID --format txt|md|html|xliff|xliff12|tmx [-o FILE]
  tarjama check ARTICLE_ID... [--json]          (quality checks; exit 1 while an error is open, neither fixed nor ignored)
  tarjama check --pairs < pairs.jsonl           (JSON lines {"source", "target"} in, a JSON array of findings per line out)
  tarjama user add NAME --role admin|reviewer   (password on stdin)
  tarjama user passwd NAME [--revoke-tokens]    (password on stdin)
  tarjama user token NAME [--revoke]
  tarjama user list | delete NAME               (list: accounts, and their API tokens' creation and last use)
  tarjama tm import [--dry-run] FILE.tmx
  tarjama tm export [-o FILE]
  tarjama stats [--json]
  tarjama backup -o FILE [--force]              (a verified copy of the database, safe while serve runs)

Every command takes --db PATH (default $TARJAMA_DB or ./tarjama.db), before or after its name.
A new password has at least 12 characters and is not a common password, a sequence, a keyboard
walk or the user's name with a little added: a few unrelated words make a good one.
`

// env is what a command runs with: its streams and its configuration.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	log            *slog.Logger
	cfg            config
}

type command func(ctx context.Context, e *env, args []string) error

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, cfg: readConfig(os.Getenv),
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
		"backup":    cmdBackup,
		"check":     cmdCheck,
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
		return usageErrf("%s: name a subcommand: %s", group, strings.Join(names, ", "))
	}
	sub, ok := subs[args[0]]
	if !ok {
		return usageErrf("%s: unknown subcommand %q (%s)", group, args[0], strings.Join(names, ", "))
	}
	return sub(ctx, e, args[1:])
}

// leadingDB takes the --db flags that stand before a (sub)command name, so that
// `tarjama --db X glossary match` works like `tarjama glossary match --db X`: the last one
// replaces the environment's in e.cfg.db. It returns the arguments after them. Only --db is
// global: any other flag there is left for the command name check to refuse.
func (e *env) leadingDB(args []string) ([]string, error) {
	for len(args) > 0 {
		name, value, hasValue := strings.Cut(strings.TrimPrefix(args[0], "-"), "=")
		if !strings.HasPrefix(args[0], "-") || name != "db" && name != "-db" {
			return args, nil
		}
		args = args[1:]
		if !hasValue {
			if len(args) == 0 {
				return nil, usageErrf("flag needs an argument: --db")
			}
			value, args = args[0], args[1:]
		}
		if strings.TrimSpace(value) == "" {
			return nil, usageErrf("--db: empty path")
		}
		e.cfg.db = value
	}
	return args, nil
}

// newFlags makes a flag set with the --db flag every command takes.
func newFlags(e *env, name string) (*flag.FlagSet, *string) {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	def := e.cfg.db
	if def == "" {
		def = "tarjama.db"
	}
	fs.StringVar(&e.cfg.db, "db", def, "SQLite database file")
	return fs, &e.cfg.db
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
			return nil, usageErr(err)
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
		return nil, usageErrf("--db: empty path")
	}
	db, err := migrations.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if err := logTextCleaning(ctx, db, timestamp.Format(now()), e.log); err != nil {
		db.Close()
		return nil, err
	}
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
