package campaigns

import (
	"errors"
	"fmt"
	"strconv"
)

// MinCell is the smallest number of people a shown count may describe.
// Counts from 1 to MinCell-1 are hidden; 0 is shown (see docs/suppression.md).
const MinCell = 10

// Hidden is what a dashboard prints in place of a hidden count. The same
// mark is used for a count under MinCell and for a count hidden only to
// protect another one: distinct marks would tell a reader which hidden
// counts are at least MinCell, and that bound alone can give a small
// count away (a row of 1, 10 and 50 with a total of 61 would read
// "small + large = 11", so the small one is 1).
const Hidden = "s"

// Legend explains Hidden to the people reading a dashboard.
const Legend = "s : secret statistique. L'effectif concerne moins de 10 personnes, " +
	"ou il est masqué pour qu'on ne puisse pas retrouver un tel effectif par soustraction."

// Table is a two-way table of counts of people, such as levels by
// competence or circonscriptions by competence. Counts[i][j] is the count
// for row Rows[i] and column Cols[j]; counts are never negative. The row,
// column and grand totals are computed by Suppress.
type Table struct {
	Rows, Cols []string
	Counts     [][]int
}

// Value is one count of a masked table. When Shown is false, Count is 0,
// so a hidden count cannot leak through a template that forgets Shown.
type Value struct {
	Count int
	Shown bool
}

// String returns the count in decimal, or Hidden.
func (v Value) String() string {
	if !v.Shown {
		return Hidden
	}
	return strconv.Itoa(v.Count)
}

// Masked is a Table with its totals, after small-group suppression.
type Masked struct {
	Rows, Cols []string
	Cells      [][]Value // Cells[i][j] for Rows[i] and Cols[j]
	RowTotals  []Value   // RowTotals[i] sums Cells[i]
	ColTotals  []Value   // ColTotals[j] sums column j
	Total      Value     // the grand total
}

// Suppress computes the totals of t and hides what could single people
// out. Primary suppression hides every cell and total from 1 to
// MinCell-1. Secondary suppression then hides more counts until every
// hidden count lies on a cycle of hidden counts in the table with its
// margins: a hidden count that lies on no such cycle can be solved for
// exactly from the shown counts and totals, and one that does lies on a
// cycle along which counts can be moved without changing any total. In
// particular no row, column or line of totals has exactly one hidden
// count. Zeros are never hidden. Among the ways to close a cycle,
// Suppress hides the fewest new counts, then the smallest ones.
func Suppress(t Table) (Masked, error) {
	if err := t.check(); err != nil {
		return Masked{}, err
	}
	g := newGrid(t)
	g.hideSmall()
	for {
		i, j, ok := g.bridge()
		if !ok {
			break
		}
		g.closeCycle(i, j)
	}
	return g.masked(t), nil
}

// ErrInvalidTable is wrapped by the errors Suppress returns for a malformed Table.
var ErrInvalidTable = errors.New("invalid table")

func (t Table) check() error {
	if len(t.Counts) != len(t.Rows) {
		return fmt.Errorf("suppress: %d rows of counts for %d row labels: %w", len(t.Counts), len(t.Rows), ErrInvalidTable)
	}
	for i, row := range t.Counts {
		if len(row) != len(t.Cols) {
			return fmt.Errorf("suppress: row %q has %d counts for %d columns: %w", t.Rows[i], len(row), len(t.Cols), ErrInvalidTable)
		}
		for j, n := range row {
			if n < 0 {
				return fmt.Errorf("suppress: count %d for %q, %q is negative: %w", n, t.Rows[i], t.Cols[j], ErrInvalidTable)
			}
		}
	}
	return nil
}

// masked builds the result, zeroing hidden counts.
func (g *grid) masked(t Table) Masked {
	value := func(i, j int) Value {
		if g.hidden[i][j] {
			return Value{}
		}
		return Value{Count: g.v[i][j], Shown: true}
	}
	m := Masked{
		Rows:      append([]string(nil), t.Rows...),
		Cols:      append([]string(nil), t.Cols...),
		Cells:     make([][]Value, g.r),
		RowTotals: make([]Value, g.r),
		ColTotals: make([]Value, g.c),
		Total:     value(g.r, g.c),
	}
	for i := range g.r {
		m.Cells[i] = make([]Value, g.c)
		for j := range g.c {
			m.Cells[i][j] = value(i, j)
		}
		m.RowTotals[i] = value(i, g.c)
	}
	for j := range g.c {
		m.ColTotals[j] = value(g.r, j)
	}
	return m
}
