package main

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/tarjama/tarjama/glossary"
	"github.com/tarjama/tarjama/glossary/arabic"
	"github.com/tarjama/tarjama/translate"
	"github.com/tarjama/tarjama/translate/backends"
	"github.com/tarjama/tarjama/translate/store"
)

// printError is the one place a command's error reaches the terminal: the message as
// written with the CLI's hint on how to fix it (see withHint), named by its command only
// once, whether or not the message already starts with it ("export: …", "glossary
// import: …").
func printError(w io.Writer, name string, err error) {
	msg := withHint(err)
	if !strings.HasPrefix(msg, name+": ") && !strings.HasPrefix(msg, name+" ") {
		msg = name + ": " + msg
	}
	fmt.Fprintf(w, "tarjama %s\n", msg)
}

// withHint is err's message followed by how to fix it from the command line, when hint
// knows; a list gets each item's hint on the item's line.
func withHint(err error) string {
	if l, ok := err.(*errorList); ok {
		var b strings.Builder
		b.WriteString(l.intro)
		for _, e := range l.errs {
			b.WriteString("\n  " + withHint(e))
		}
		return b.String()
	}
	if h := hint(err); h != "" {
		return err.Error() + " (" + h + ")"
	}
	return err.Error()
}

// hint says how to fix err in the CLI's words, or "" when there is nothing to add. The
// domain packages say what is wrong; the flags, variables and files to change are the CLI's
// to name.
func hint(err error) string {
	var te *arabic.TextError
	var se *translate.SettingError
	var wf *store.WrongFileError
	var dup *translate.DuplicateError
	var since *glossary.EditedSinceError
	switch {
	case errors.As(err, &since):
		return fmt.Sprintf("`tarjama glossary undo %d --force` undoes it all the same, replacing those changes", since.Import.ID)
	case errors.As(err, &te) && te.OtherEncoding:
		return "save the file as UTF-8"
	case errors.As(err, &wf) && wf.Takes == store.WrongTMX:
		return "import it with `tarjama tm import " + wf.File + "`"
	case errors.As(err, &wf) && wf.Takes == store.WrongGlossary:
		return "import it with `tarjama glossary import " + wf.File + "`"
	case errors.As(err, &dup):
		return "--allow-duplicate imports it all the same"
	case errors.As(err, &se):
		var be *translate.BackendError
		if errors.As(err, &be) && be.Backend == backends.LibreTranslate && se.Setting == translate.SettingAPIKey {
			return "set " + backends.EnvLibreTranslateKey + " or use --api-key"
		}
		return settingHints[se.Setting][se.Missing]
	}
	return ""
}

// settingHints says, for each setting of the openai backend, how to give it (Missing) or
// correct it from the command line.
var settingHints = map[string]map[bool]string{
	translate.SettingAPIKey: {true: "set " + backends.EnvOpenAIKey + " or use --api-key; for a local server set --base-url",
		false: "check " + backends.EnvOpenAIKey + " or --api-key"},
	translate.SettingModel: {true: "set --model or " + backends.EnvModel + " to a model the server serves, e.g. llama3.1 for Ollama",
		false: "check --model and --base-url"},
}

// errorList is several errors under one heading, one per indented line: every file that a
// command refused, so that all can be fixed at once.
type errorList struct {
	intro string
	errs  []error
}

func (l *errorList) Error() string {
	var b strings.Builder
	b.WriteString(l.intro)
	for _, e := range l.errs {
		b.WriteString("\n  " + e.Error())
	}
	return b.String()
}

// Unwrap gives the errors listed.
func (l *errorList) Unwrap() []error { return l.errs }

// usageError marks a mistake in how a command was called (exit status 2).
type usageError struct{ err error }

func (u usageError) Error() string { return u.err.Error() }

// Unwrap gives the mistake, which may be a domain package's error.
func (u usageError) Unwrap() error { return u.err }

// usageErr marks err as a mistake in how a command was called.
func usageErr(err error) error { return usageError{err} }

// usageErrf is usageErr of the error fmt.Errorf(format, args...) gives.
func usageErrf(format string, args ...any) error { return usageError{fmt.Errorf(format, args...)} }
