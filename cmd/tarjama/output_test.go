package main

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// -o writes a new file with the permissions a plain create gives, keeps an existing file's
// permissions, writes through a symlink instead of replacing it, and writes a device such as
// /dev/null directly instead of renaming a regular file over it.
func TestWriteOutput(t *testing.T) {
	e := &env{stdout: io.Discard, stderr: io.Discard}
	write := func(s string) func(io.Writer) error {
		return func(w io.Writer) error { _, err := io.WriteString(w, s); return err }
	}
	dir := t.TempDir()
	old := syscall.Umask(0o022)
	defer syscall.Umask(old)

	t.Run("NewFileGetsUmaskMode", func(t *testing.T) {
		path := filepath.Join(dir, "new.csv")
		if err := writeOutput(e, path, write("a")); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o644 {
			t.Fatalf("mode = %v (%v), want 0644", fi.Mode().Perm(), err)
		}
	})
	t.Run("ExistingFileKeepsItsMode", func(t *testing.T) {
		path := filepath.Join(dir, "shared.csv")
		if err := os.WriteFile(path, []byte("old"), 0o664); err != nil {
			t.Fatal(err)
		}
		os.Chmod(path, 0o664)
		if err := writeOutput(e, path, write("new")); err != nil {
			t.Fatal(err)
		}
		b, _ := os.ReadFile(path)
		fi, _ := os.Stat(path)
		if string(b) != "new" || fi.Mode().Perm() != 0o664 {
			t.Fatalf("content %q mode %v; want new, 0664", b, fi.Mode().Perm())
		}
	})
	t.Run("SymlinkWrittenThrough", func(t *testing.T) {
		real := filepath.Join(dir, "real.csv")
		link := filepath.Join(dir, "link.csv")
		if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(real, link); err != nil {
			t.Fatal(err)
		}
		if err := writeOutput(e, link, write("new")); err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Lstat(link); err != nil || fi.Mode()&os.ModeSymlink == 0 {
			t.Fatalf("the link was replaced: %v %v", fi.Mode(), err)
		}
		if b, _ := os.ReadFile(real); string(b) != "new" {
			t.Fatalf("target holds %q, want new", b)
		}
	})
	t.Run("DeviceWrittenDirectly", func(t *testing.T) {
		fifo := filepath.Join(dir, "fifo")
		if err := syscall.Mkfifo(fifo, 0o600); err != nil {
			t.Fatal(err)
		}
		got := make(chan []byte)
		go func() {
			f, err := os.Open(fifo)
			if err != nil {
				got <- nil
				return
			}
			defer f.Close()
			var b bytes.Buffer
			io.Copy(&b, f)
			got <- b.Bytes()
		}()
		if err := writeOutput(e, fifo, write("through the pipe")); err != nil {
			t.Fatal(err)
		}
		if b := <-got; string(b) != "through the pipe" {
			t.Fatalf("reader got %q", b)
		}
		if fi, err := os.Lstat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
			t.Fatalf("the pipe was replaced by %v (%v)", fi.Mode(), err)
		}
	})
}
