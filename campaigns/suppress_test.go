package campaigns

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
)

// extended returns the true counts with their margins, in the layout of
// grid, and the hidden flags read back from m.
func extended(tab Table, m Masked) (v [][]int, hidden [][]bool) {
	r, c := len(tab.Rows), len(tab.Cols)
	g := newGrid(tab)
	hidden = make([][]bool, r+1)
	for i := range r + 1 {
		hidden[i] = make([]bool, c+1)
	}
	for i := range r {
		for j := range c {
			hidden[i][j] = !m.Cells[i][j].Shown
		}
		hidden[i][c] = !m.RowTotals[i].Shown
	}
	for j := range c {
		hidden[r][j] = !m.ColTotals[j].Shown
	}
	hidden[r][c] = !m.Total.Shown
	return g.v, hidden
}

// recoverable returns the hidden entries of the extended grid that a
// reader can solve for exactly from what is shown. It does not use the
// grid's graph: it row-reduces the line equations over the hidden
// entries and reports every unknown whose unit vector is in their row
// space. The matrix is the incidence matrix of a bipartite graph, so it
// is totally unimodular and integer pivoting stays exact.
func recoverable(hidden [][]bool) [][2]int {
	var unknowns [][2]int
	for i := range hidden {
		for j := range hidden[i] {
			if hidden[i][j] {
				unknowns = append(unknowns, [2]int{i, j})
			}
		}
	}
	r, c := len(hidden), len(hidden[0])
	var m [][]int
	for line := range r + c {
		row := make([]int, len(unknowns))
		for k, u := range unknowns {
			if line < r && u[0] == line || line >= r && u[1] == line-r {
				row[k] = 1
			}
		}
		m = append(m, row)
	}
	pivotRow := 0
	for k := range unknowns {
		p := -1
		for i := pivotRow; i < len(m); i++ {
			if m[i][k] != 0 {
				p = i
				break
			}
		}
		if p < 0 {
			continue
		}
		m[pivotRow], m[p] = m[p], m[pivotRow]
		for i := range m {
			if i != pivotRow && m[i][k] != 0 {
				f := m[i][k] * m[pivotRow][k] // the pivot is ±1
				for kk := range m[i] {
					m[i][kk] -= f * m[pivotRow][kk]
				}
			}
		}
		pivotRow++
	}
	var out [][2]int
	for _, row := range m {
		nonZero, at := 0, 0
		for k, x := range row {
			if x != 0 {
				nonZero, at = nonZero+1, k
			}
		}
		if nonZero == 1 {
			out = append(out, unknowns[at])
		}
	}
	return out
}

// violations checks m against the rule and returns what breaks it.
func violations(tab Table, m Masked) []string {
	v, hidden := extended(tab, m)
	r, c := len(tab.Rows), len(tab.Cols)
	var out []string
	for i := range r + 1 {
		for j := range c + 1 {
			switch n := v[i][j]; {
			case n == 0 && hidden[i][j]:
				out = append(out, fmt.Sprintf("zero hidden at %d,%d", i, j))
			case n > 0 && n < MinCell && !hidden[i][j]:
				out = append(out, fmt.Sprintf("small count %d shown at %d,%d", n, i, j))
			}
		}
	}
	for i := range r + 1 {
		k := 0
		for j := range c {
			if hidden[i][j] {
				k++
			}
		}
		if !hidden[i][c] && k == 1 {
			out = append(out, fmt.Sprintf("line %d: total shown and one hidden member", i))
		}
	}
	for j := range c + 1 {
		k := 0
		for i := range r {
			if hidden[i][j] {
				k++
			}
		}
		if !hidden[r][j] && k == 1 {
			out = append(out, fmt.Sprintf("column %d: total shown and one hidden member", j))
		}
	}
	for _, e := range recoverable(hidden) {
		out = append(out, fmt.Sprintf("hidden %d at %d,%d is recoverable", v[e[0]][e[1]], e[0], e[1]))
	}
	return out
}

// hiddenCount returns how many cells and totals m hides.
func hiddenCount(tab Table, m Masked) int {
	_, hidden := extended(tab, m)
	n := 0
	for _, row := range hidden {
		for _, h := range row {
			if h {
				n++
			}
		}
	}
	return n
}

func table(counts ...[]int) Table {
	t := Table{Counts: counts}
	for i := range counts {
		t.Rows = append(t.Rows, fmt.Sprintf("r%d", i))
	}
	if len(counts) > 0 {
		for j := range counts[0] {
			t.Cols = append(t.Cols, fmt.Sprintf("c%d", j))
		}
	}
	return t
}

func TestSuppress(t *testing.T) {
	tests := []struct {
		name       string
		table      Table
		wantHidden int      // cells and totals hidden
		wantCells  []string // rows of Cells as printed, when given
	}{
		{
			name:       "all large: nothing hidden",
			table:      table([]int{10, 20, 30}, []int{40, 50, 60}),
			wantHidden: 0,
		},
		{
			name:       "all zero: nothing hidden",
			table:      table([]int{0, 0}, []int{0, 0}),
			wantHidden: 0,
			wantCells:  []string{"[0 0]", "[0 0]"},
		},
		{
			name:       "one small cell: a rectangle of the smallest cells",
			table:      table([]int{3, 12, 40}, []int{11, 30, 50}, []int{60, 70, 80}),
			wantHidden: 4,
			wantCells:  []string{"[s s 40]", "[s s 50]", "[60 70 80]"},
		},
		{
			name:       "zero beside a small cell is shown, a larger one is hidden",
			table:      table([]int{4, 0, 25}, []int{20, 30, 40}),
			wantHidden: 4,
			wantCells:  []string{"[s 0 s]", "[s 30 s]"},
		},
		{
			// The cycle through the three small cells alone would hide 6;
			// closing one cycle at a time hides 7 (see docs/suppression.md).
			name:       "small cells in different rows and columns chain",
			table:      table([]int{2, 50, 50, 50}, []int{50, 3, 50, 50}, []int{50, 50, 4, 50}, []int{50, 50, 50, 50}),
			wantHidden: 7,
			wantCells:  []string{"[s s s 50]", "[s s 50 50]", "[s 50 s 50]", "[50 50 50 50]"},
		},
		{
			name:       "a row total under 10 is hidden and protected through the grand total",
			table:      table([]int{3, 4}, []int{20, 30}, []int{25, 35}),
			wantHidden: 6, // 3, 4, their total 7, 20, 30 and their total 50
			wantCells:  []string{"[s s]", "[s s]", "[25 35]"},
		},
		{
			name:       "whole table under 10",
			table:      table([]int{1, 0}, []int{2, 3}),
			wantHidden: 3 + 2 + 2 + 1,
			wantCells:  []string{"[s 0]", "[s s]"},
		},
		{
			name:       "one row one column",
			table:      table([]int{7}),
			wantHidden: 4,
		},
		{
			name:       "single large cell",
			table:      table([]int{12}),
			wantHidden: 0,
		},
		{
			name:       "no rows",
			table:      Table{Cols: []string{"a", "b"}, Counts: [][]int{}},
			wantHidden: 0,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Suppress(tt.table)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range violations(tt.table, m) {
				t.Error(v)
			}
			if got := hiddenCount(tt.table, m); got != tt.wantHidden {
				t.Errorf("hidden = %d, want %d", got, tt.wantHidden)
			}
			for i, want := range tt.wantCells {
				if got := fmt.Sprint(m.Cells[i]); got != want {
					t.Errorf("row %d = %s, want %s", i, got, want)
				}
			}
		})
	}
}

func TestSuppressOneSmallCellHidesAnotherInItsRow(t *testing.T) {
	m, err := Suppress(table([]int{5, 15, 40, 60}, []int{30, 30, 30, 30}))
	if err != nil {
		t.Fatal(err)
	}
	if m.Cells[0][0].Shown || m.Cells[0][1].Shown {
		t.Errorf("row 0 = %v, want the 5 and the smallest other cell, 15, hidden", m.Cells[0])
	}
	if !m.RowTotals[0].Shown || !m.Total.Shown {
		t.Errorf("totals hidden: row %v, grand %v", m.RowTotals[0], m.Total)
	}
}

func TestValueHidesItsCount(t *testing.T) {
	m, err := Suppress(table([]int{3, 30, 30}, []int{30, 30, 30}, []int{30, 30, 30}))
	if err != nil {
		t.Fatal(err)
	}
	v := m.Cells[0][0]
	if v.Shown || v.Count != 0 || v.String() != Hidden {
		t.Errorf("hidden cell = %+v %q, want a zero count printed %q", v, v.String(), Hidden)
	}
	if got := m.Cells[2][2].String(); got != "30" {
		t.Errorf("shown cell prints %q, want 30", got)
	}
}

func TestSuppressRejectsMalformedTables(t *testing.T) {
	for name, tab := range map[string]Table{
		"rows":     {Rows: []string{"a"}, Cols: []string{"x"}},
		"ragged":   {Rows: []string{"a", "b"}, Cols: []string{"x"}, Counts: [][]int{{1}, {1, 2}}},
		"negative": {Rows: []string{"a"}, Cols: []string{"x"}, Counts: [][]int{{-1}}},
	} {
		if _, err := Suppress(tab); !errors.Is(err, ErrInvalidTable) {
			t.Errorf("%s: err = %v, want ErrInvalidTable", name, err)
		}
	}
}

// TestRecoverableFindsABridge checks the test's own oracle: two hidden
// rectangles joined by a single hidden cell leave every line with zero or
// at least two hidden counts, yet the joining cell can be solved for.
func TestRecoverableFindsABridge(t *testing.T) {
	h := make([][]bool, 5)
	for i := range h {
		h[i] = make([]bool, 5)
	}
	for _, e := range [][2]int{{0, 0}, {0, 1}, {1, 0}, {1, 1}, {2, 2}, {2, 3}, {3, 2}, {3, 3}, {1, 2}} {
		h[e[0]][e[1]] = true
	}
	got := recoverable(h)
	if len(got) != 1 || got[0] != [2]int{1, 2} {
		t.Errorf("recoverable = %v, want [[1 2]]", got)
	}
}

// randomTable draws a table of 1–8 rows and 1–10 columns whose counts
// lean toward small numbers: a third zeros, a third under MinCell.
func randomTable(rng *rand.Rand) Table {
	counts := make([][]int, 1+rng.IntN(8))
	cols := 1 + rng.IntN(10)
	for i := range counts {
		counts[i] = make([]int, cols)
		for j := range counts[i] {
			switch rng.IntN(3) {
			case 0:
			case 1:
				counts[i][j] = 1 + rng.IntN(MinCell-1)
			default:
				counts[i][j] = rng.IntN(1 + rng.IntN(200))
			}
		}
	}
	return table(counts...)
}

func TestSuppressProperty(t *testing.T) {
	tables, hidden, primary := 0, 0, 0
	for seed := range uint64(4) {
		rng := rand.New(rand.NewPCG(seed, 14))
		for range 1000 {
			tab := randomTable(rng)
			m, err := Suppress(tab)
			if err != nil {
				t.Fatal(err)
			}
			for _, v := range violations(tab, m) {
				t.Errorf("seed %d, table %v: %s", seed, tab.Counts, v)
			}
			tables++
			hidden += hiddenCount(tab, m)
			for _, row := range newGrid(tab).v {
				for _, n := range row {
					if n > 0 && n < MinCell {
						primary++
					}
				}
			}
		}
	}
	t.Logf("%d tables: %d counts under %d, %d hidden in all", tables, primary, MinCell, hidden)
}

func TestSuppressPropertyLargeCountsHideNothing(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 1000 {
		tab := randomTable(rng)
		for _, row := range tab.Counts {
			for j := range row {
				row[j] = MinCell + rng.IntN(100)
			}
		}
		m, err := Suppress(tab)
		if err != nil {
			t.Fatal(err)
		}
		if n := hiddenCount(tab, m); n != 0 {
			t.Fatalf("table %v: %d hidden, want 0", tab.Counts, n)
		}
	}
}

func TestSuppressIsDeterministic(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 7))
	for range 200 {
		tab := randomTable(rng)
		a, _ := Suppress(tab)
		b, _ := Suppress(tab)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("table %v masked two ways", tab.Counts)
		}
	}
}

// BenchmarkSuppressSchools masks a table the size of a département's
// schools by competences: 300 rows, 20 columns, counts leaning small.
func BenchmarkSuppressSchools(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 3))
	counts := make([][]int, 300)
	for i := range counts {
		counts[i] = make([]int, 20)
		for j := range counts[i] {
			counts[i][j] = rng.IntN(1 + rng.IntN(40))
		}
	}
	tab := table(counts...)
	var m Masked
	for b.Loop() {
		m, _ = Suppress(tab)
	}
	b.ReportMetric(float64(hiddenCount(tab, m)), "hidden")
}
