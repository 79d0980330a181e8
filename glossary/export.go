package glossary

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"strings"
)

// ExportOptions controls Store.Export.
type ExportOptions struct {
	Format string // FormatCSV (the default when empty), FormatTBX or FormatXLSX
	BOM    bool   // CSV: start with a UTF-8 byte order mark so Excel reads the file as UTF-8
}

// ParseFormat checks an export format name given by a user: csv, tbx or xlsx, in any case.
func ParseFormat(s string) (string, error) {
	switch f := strings.ToLower(strings.TrimSpace(s)); f {
	case "", FormatCSV:
		return FormatCSV, nil
	case FormatTBX, FormatXLSX:
		return f, nil
	}
	return "", &FieldError{"format", fmt.Sprintf("%q is not one of csv, tbx, xlsx", s)}
}

// termWriter writes terms one at a time in one export format; flush ends the file.
type termWriter interface {
	write(t *Term) error
	flush() error
}

// newTermWriter opens a termWriter for opt.Format on w.
func newTermWriter(w io.Writer, opt ExportOptions) (termWriter, error) {
	format, err := ParseFormat(opt.Format)
	if err != nil {
		return nil, err
	}
	switch format {
	case FormatTBX:
		return newTBXTermWriter(w)
	case FormatXLSX:
		return newXLSXTermWriter(w)
	}
	return newCSVTermWriter(w, opt.BOM)
}

// writeTerms writes terms, in the order given, through the termWriter open makes; what names
// the format in errors.
func writeTerms(w io.Writer, terms []Term, open func(io.Writer) (termWriter, error), what string) error {
	tw, err := open(w)
	if err != nil {
		return fmt.Errorf("write glossary %s: %w", what, err)
	}
	for i := range terms {
		if err := tw.write(&terms[i]); err != nil {
			return fmt.Errorf("write glossary %s: %w", what, err)
		}
	}
	if err := tw.flush(); err != nil {
		return fmt.Errorf("write glossary %s: %w", what, err)
	}
	return nil
}

// Export writes the whole glossary, ordered by normalized Arabic, then id, in opt.Format:
// canonical CSV (see WriteCSV), TBX-Basic v3 (see WriteTBX) or an Excel workbook (see
// WriteXLSX). Each reads back to the same glossary.
func (s *Store) Export(ctx context.Context, w io.Writer, opt ExportOptions) error {
	tx, err := s.r.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("export glossary: %w", err)
	}
	defer tx.Rollback()
	if err := exportTerms(ctx, tx, w, opt); err != nil {
		return fmt.Errorf("export glossary: %w", err)
	}
	return nil
}

func exportTerms(ctx context.Context, tx *sql.Tx, w io.Writer, opt ExportOptions) error {
	tw, err := newTermWriter(w, opt)
	if err != nil {
		return err
	}
	rows, err := tx.QueryContext(ctx, `SELECT `+termColumns+` FROM terms ORDER BY arabic_norm, id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		t, err := scanTerm(rows)
		if err != nil {
			return err
		}
		if err := tw.write(&t); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return tw.flush()
}
