// Package csvcell writes CSV files that spreadsheets open as data, never as
// formulas: every CSV Ardoise writes goes through its Writer.
//
// A cell that starts with =, +, -, @, a tab or a carriage return is read by
// Excel, LibreOffice and Google Sheets as a formula (CSV or formula
// injection: =HYPERLINK(…) sends the reader elsewhere with the sheet's
// data, DDE formulas run commands). Following OWASP's advice, such a cell is
// written with a leading apostrophe, which spreadsheets show as text. The
// rule applies to every cell, numbers included: the numbers Ardoise writes
// (hours, amounts, counts) are never negative, so they never start with one
// of those characters; a value that does is not a number Ardoise produced.
package csvcell

import (
	"encoding/csv"
	"io"
	"strings"
)

// Neutralize returns s as a spreadsheet must show it: prefixed with an
// apostrophe when its first character, or its first character after
// leading spaces (some spreadsheets trim them on import), would start a
// formula.
func Neutralize(s string) string {
	t := strings.TrimLeft(s, " ")
	if t == "" {
		return s
	}
	switch t[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

// Writer is a csv.Writer whose every cell is neutralized.
type Writer struct {
	w   *csv.Writer
	row []string
}

// NewWriter returns a Writer on w that separates cells with comma (French
// spreadsheets expect ';').
func NewWriter(w io.Writer, comma rune) *Writer {
	cw := csv.NewWriter(w)
	cw.Comma = comma
	return &Writer{w: cw}
}

// Write writes one row, each cell neutralized (the caller's slice is left
// as it is).
func (w *Writer) Write(row []string) error {
	w.row = w.row[:0]
	for _, cell := range row {
		w.row = append(w.row, Neutralize(cell))
	}
	return w.w.Write(w.row)
}

// Flush writes what is buffered and returns the first error met.
func (w *Writer) Flush() error {
	w.w.Flush()
	return w.w.Error()
}
