package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

type writer = io.Writer

// writeOutput writes to stdout, or to path atomically: a temporary file beside it is renamed
// into place only when everything was written, so a failed export never leaves half a file.
// Errors name path, the file the user asked for, not the temporary one.
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return outputError(path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return outputError(path, err)
	}
	if err := tmp.Close(); err != nil {
		return outputError(path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return outputError(path, err)
	}
	return nil
}

// outputError names path in place of whatever file an *os.PathError names.
func outputError(path string, err error) error {
	var pe *os.PathError
	var le *os.LinkError
	switch {
	case errors.As(err, &pe):
		err = pe.Err
	case errors.As(err, &le):
		err = le.Err
	}
	return fmt.Errorf("write %s: %w", path, err)
}
