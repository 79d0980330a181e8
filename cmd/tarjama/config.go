package main

import (
	"flag"
	"strconv"
	"strings"
	"time"

	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/openai"
	"github.com/tarjama/tarjama/translate/pipeline"
)

// config is what the program runs with: the environment, read once by readConfig before a
// command starts, and the command's flags, parsed into it over the environment (newFlags,
// addBackendFlags). Nothing below cmd reads the environment: the rest gets these values.
type config struct {
	// db is the database file: --db (before or after the command name), else $TARJAMA_DB,
	// else ./tarjama.db.
	db string
	// user names who runs the CLI when the OS cannot: $USER, else $USERNAME.
	user string
	// env is what the backend variables say (TARJAMA_BACKEND, TARJAMA_MODEL, OPENAI_*,
	// LIBRETRANSLATE_*); backends.Resolve puts the flags over it.
	env backends.Environment
	// batchSize, concurrency and timeout are the run limits' variables as given; start reads
	// them when no flag gives the limit, so a bad value fails only the commands that translate.
	batchSize, concurrency, timeout string
	// mt is what the machine-translation flags of serve and translate give.
	mt backends.Config
	// maxConns is $TARJAMA_MAX_CONNS as given: the most connections serve keeps open at
	// once (--max-conns wins); serveMaxConns reads it.
	maxConns string
}

// The variables the program reads besides the backends' (backends.EnvBackend and the others).
const (
	envDB          = "TARJAMA_DB"
	envBatchSize   = "TARJAMA_BATCH_SIZE"
	envConcurrency = "TARJAMA_CONCURRENCY"
	envTimeout     = "TARJAMA_TIMEOUT"
	envMaxConns    = "TARJAMA_MAX_CONNS"
)

// readConfig reads the environment through getenv: os.Getenv in the program, a map in tests.
func readConfig(getenv func(string) string) config {
	c := config{
		db: getenv(envDB),
		env: backends.Environment{
			Backend:           getenv(backends.EnvBackend),
			Model:             getenv(backends.EnvModel),
			OpenAIKey:         getenv(backends.EnvOpenAIKey),
			OpenAIBaseURL:     getenv(backends.EnvOpenAIBaseURL),
			OpenAIAPIVersion:  getenv(backends.EnvOpenAIAPIVersion),
			LibreTranslateURL: getenv(backends.EnvLibreTranslateURL),
			LibreTranslateKey: getenv(backends.EnvLibreTranslateKey),
		},
		batchSize: getenv(envBatchSize), concurrency: getenv(envConcurrency), timeout: getenv(envTimeout),
		maxConns: getenv(envMaxConns),
	}
	for _, k := range []string{"USER", "USERNAME"} {
		if c.user = strings.TrimSpace(getenv(k)); c.user != "" {
			break
		}
	}
	return c
}

// addBackendFlags adds the machine-translation flags serve and translate share, parsed into
// c.mt.
func addBackendFlags(fs *flag.FlagSet, c *config) {
	fs.StringVar(&c.mt.Backend, "backend", "", "translation backend: "+strings.Join(backends.Names(), ", ")+" (default: $TARJAMA_BACKEND, else openai when OPENAI_API_KEY or OPENAI_BASE_URL is set, else offline)")
	fs.StringVar(&c.mt.Model, "model", "", "model name (default $TARJAMA_MODEL)")
	fs.StringVar(&c.mt.BaseURL, "base-url", "", "server URL of an OpenAI-compatible or LibreTranslate server (default $OPENAI_BASE_URL / $LIBRETRANSLATE_URL)")
	fs.StringVar(&c.mt.APIKey, "api-key", "", "API key of the server (default $OPENAI_API_KEY / $LIBRETRANSLATE_API_KEY; prefer those: flags show in ps and the shell history)")
	fs.StringVar(&c.mt.APIVersion, "api-version", "", "Azure OpenAI API version (default $OPENAI_API_VERSION, else "+openai.DefaultAzureAPIVersion+")")
	fs.IntVar(&c.mt.BatchSize, "batch-size", 0, "segments per request (default 10)")
	fs.IntVar(&c.mt.Concurrency, "concurrency", 0, "requests in flight at once (default 4; 1 for a local server)")
	fs.DurationVar(&c.mt.Timeout, "timeout", 0, "timeout of one request (default 2m; 5m for a local server)")
}

// start is what the flags and the environment give, with the flag or variable behind each
// field; backends.Resolve puts it over the saved settings.
func (c *config) start() (backends.Start, error) {
	st := backends.Start{Config: backends.Config{Backend: c.mt.Backend, Model: c.mt.Model, BaseURL: c.mt.BaseURL, APIKey: c.mt.APIKey,
		APIVersion: c.mt.APIVersion, Limits: pipeline.Limits{BatchSize: c.mt.BatchSize, Concurrency: c.mt.Concurrency, Timeout: c.mt.Timeout}},
		Pins: map[string]string{}, Env: c.env}
	for field, f := range map[string]struct {
		flag  string
		given bool
	}{
		backends.FieldBackend: {"--backend", st.Backend != ""}, backends.FieldModel: {"--model", st.Model != ""},
		backends.FieldBaseURL: {"--base-url", st.BaseURL != ""}, backends.FieldAPIKey: {"--api-key", st.APIKey != ""},
		backends.FieldBatchSize: {"--batch-size", st.BatchSize != 0}, backends.FieldConcurrency: {"--concurrency", st.Concurrency != 0},
		backends.FieldTimeout: {"--timeout", st.Timeout != 0},
	} {
		if f.given {
			st.Pins[field] = f.flag
		}
	}
	var err error
	if st.BatchSize == 0 {
		if st.BatchSize, err = envInt(envBatchSize, c.batchSize); err != nil {
			return backends.Start{}, err
		} else if st.BatchSize != 0 {
			st.Pins[backends.FieldBatchSize] = envBatchSize
		}
	}
	if st.Concurrency == 0 {
		if st.Concurrency, err = envInt(envConcurrency, c.concurrency); err != nil {
			return backends.Start{}, err
		} else if st.Concurrency != 0 {
			st.Pins[backends.FieldConcurrency] = envConcurrency
		}
	}
	if v := c.timeout; st.Timeout == 0 && v != "" {
		if st.Timeout, err = time.ParseDuration(v); err != nil || st.Timeout <= 0 {
			return backends.Start{}, usageErrf("%s: %q is not a duration such as 90s or 2m", envTimeout, v)
		}
		st.Pins[backends.FieldTimeout] = envTimeout
	}
	return st, nil
}

// serveMaxConns is the cap on serve's open connections: the --max-conns flag when given
// (flag not 0), else $TARJAMA_MAX_CONNS, else 0, the server's default.
func (c *config) serveMaxConns(flag int) (int, error) {
	if flag < 0 {
		return 0, usageErrf("--max-conns: %d is not a positive number", flag)
	}
	if flag > 0 {
		return flag, nil
	}
	return envInt(envMaxConns, c.maxConns)
}

// envInt reads the whole number v that the variable name gave; "" is 0.
func envInt(name, v string) (int, error) {
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, usageErrf("%s: %q is not a whole number", name, v)
	}
	return n, nil
}
