package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
)

type writer = io.Writer

// writeOutput writes to stdout, or to path atomically: a temporary file beside it is renamed
// into place only when everything was written, so a failed export never leaves half a file.
// A symlink is written through (the file it points to is replaced, not the link), and a path
// that is not a regular file (/dev/stdout, a pipe) is written directly, since renaming over it
// would replace the device. The new file gets the old one's permissions, or the usual
// 0666 less the umask. Errors name path, the file the user asked for, not the temporary one.
func writeOutput(e *env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		return write(e.stdout)
	}
	target, mode := path, os.FileMode(0o666)&^umask()
	if real, err := filepath.EvalSymlinks(path); err == nil {
		target = real
	}
	if fi, err := os.Stat(target); err == nil {
		if !fi.Mode().IsRegular() {
			return writeDirect(path, target, write)
		}
		mode = fi.Mode().Perm()
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*")
	if err != nil {
		return outputError(path, err)
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return outputError(path, err)
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return outputError(path, err)
	}
	if err := tmp.Close(); err != nil {
		return outputError(path, err)
	}
	if err := os.Rename(tmp.Name(), target); err != nil {
		return outputError(path, err)
	}
	return nil
}

// writeDirect writes to a target that is not a regular file (a device or a pipe).
func writeDirect(path, target string, write func(io.Writer) error) error {
	f, err := os.OpenFile(target, os.O_WRONLY|os.O_TRUNC, 0)
	if err != nil {
		return outputError(path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return outputError(path, err)
	}
	if err := f.Close(); err != nil {
		return outputError(path, err)
	}
	return nil
}

// umask reads the process's file mode creation mask (setting it back at once), so that a
// file made through a temporary one gets the permissions a plain create would give.
func umask() os.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return os.FileMode(m)
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
