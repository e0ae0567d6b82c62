package main

import (
	"context"
	"fmt"

	"ardoise/courses"
)

// pagesBatch is the number of hours page documents of one InsertMany (a
// page holds courses.LinePageSize lines: large documents).
const pagesBatch = 100

// prefillLedger inserts size ledger lines, line(i) each, with their places
// in the inspectors' lists, and those lists' page documents and heads, as
// Ardoise writes them (courses.LinePager), in the order of i. It returns
// the pager, which knows each list's length.
func (p *prefiller) prefillLedger(ctx context.Context, size int, line func(i int) *courses.Line) (*courses.LinePager, error) {
	pager := courses.NewLinePager()
	pages := p.db.Collection(courses.LinePagesCollection)
	var buf []any
	var flushErr error
	flush := func() {
		if len(buf) > 0 && flushErr == nil {
			if _, err := pages.InsertMany(ctx, buf); err != nil {
				flushErr = fmt.Errorf("prefill %s: %w", courses.LinePagesCollection, err)
			}
		}
		buf = buf[:0]
	}
	err := p.insert(ctx, courses.LedgerCollection, size, func(i int) any {
		l := line(i)
		if buf = append(buf, pager.Add(l)...); len(buf) >= pagesBatch {
			flush()
		}
		return l
	})
	if err != nil {
		return nil, err
	}
	buf = append(buf, pager.Rest()...)
	for len(buf) > 0 && flushErr == nil {
		n := min(len(buf), pagesBatch)
		rest := buf[n:]
		buf = buf[:n]
		flush()
		buf = rest
	}
	return pager, flushErr
}
