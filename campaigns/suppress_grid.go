package campaigns

// grid is a table extended with its margins: v[i][c] is the total of row
// i, v[r][j] the total of column j and v[r][c] the grand total. Each row
// and each column of the extended grid is a line whose last entry is the
// sum of the others.
//
// Hidden entries are the edges of a bipartite graph whose nodes are the
// r+1 rows (nodes 0..r) and the c+1 columns (nodes r+1..r+c+1) of the
// extended grid. Negating the totals turns every line into a sum equal to
// zero, so an entry can be solved for exactly if and only if its edge is
// a bridge of that graph; otherwise it lies on a cycle, along which
// adding and subtracting the same amount in turn keeps every line's sum.
type grid struct {
	r, c   int
	v      [][]int
	hidden [][]bool
}

func newGrid(t Table) *grid {
	r, c := len(t.Rows), len(t.Cols)
	g := &grid{r: r, c: c, v: make([][]int, r+1), hidden: make([][]bool, r+1)}
	for i := range r + 1 {
		g.v[i] = make([]int, c+1)
		g.hidden[i] = make([]bool, c+1)
	}
	for i, row := range t.Counts {
		for j, n := range row {
			g.v[i][j] = n
			g.v[i][c] += n
			g.v[r][j] += n
			g.v[r][c] += n
		}
	}
	return g
}

// hideSmall is the primary suppression: every entry from 1 to MinCell-1.
func (g *grid) hideSmall() {
	for i := range g.r + 1 {
		for j := range g.c + 1 {
			g.hidden[i][j] = g.v[i][j] > 0 && g.v[i][j] < MinCell
		}
	}
}

// node numbers: rows first, then columns.
func (g *grid) colNode(j int) int { return g.r + 1 + j }

// bridge returns a hidden entry whose edge is a bridge of the graph of
// hidden entries (Tarjan's algorithm), if there is one.
func (g *grid) bridge() (int, int, bool) {
	n := g.r + g.c + 2
	disc := make([]int, n) // discovery time, 0 = not visited
	low := make([]int, n)
	timer := 0
	bi, bj, found := 0, 0, false
	var visit func(u, parent int)
	visit = func(u, parent int) {
		timer++
		disc[u], low[u] = timer, timer
		for w := range n {
			if found {
				return
			}
			i, j, ok := g.entry(u, w)
			if !ok || !g.hidden[i][j] || w == parent {
				continue
			}
			if disc[w] != 0 {
				low[u] = min(low[u], disc[w])
				continue
			}
			visit(w, u)
			if found {
				return
			}
			low[u] = min(low[u], low[w])
			if low[w] > disc[u] {
				bi, bj, found = i, j, true
			}
		}
	}
	for u := range n {
		if disc[u] == 0 && !found {
			visit(u, -1)
		}
	}
	return bi, bj, found
}

// entry returns the grid entry joining nodes u and w, if one does (a row
// node and a column node).
func (g *grid) entry(u, w int) (int, int, bool) {
	if u > w {
		u, w = w, u
	}
	if u > g.r || w <= g.r {
		return 0, 0, false
	}
	return u, w - g.r - 1, true
}

// cost orders detours: fewest newly hidden entries, then smallest sum.
type cost struct{ added, sum int }

func (a cost) less(b cost) bool {
	return a.added < b.added || a.added == b.added && a.sum < b.sum
}

// closeCycle hides the cheapest path of non-zero entries from row node bi
// to column node bj that avoids entry (bi, bj), so that the entry lies on
// a cycle. Already hidden entries cost nothing. Such a path always
// exists: summing the lines on one side of a cut crossed only by
// (bi, bj) would make that entry 0, and zeros are never hidden.
func (g *grid) closeCycle(bi, bj int) {
	n := g.r + g.c + 2
	dist := make([]cost, n)
	reached := make([]bool, n)
	done := make([]bool, n)
	prev := make([]int, n)
	start, target := bi, g.colNode(bj)
	reached[start] = true
	for {
		u := -1
		for w := range n {
			if reached[w] && !done[w] && (u < 0 || dist[w].less(dist[u])) {
				u = w
			}
		}
		if u < 0 {
			panic("campaigns: no detour around a hidden count; the table's totals are inconsistent")
		}
		if u == target {
			break
		}
		done[u] = true
		for w := range n {
			i, j, ok := g.entry(u, w)
			if !ok || done[w] || g.v[i][j] == 0 || i == bi && j == bj {
				continue
			}
			d := dist[u]
			if !g.hidden[i][j] {
				d = cost{d.added + 1, d.sum + g.v[i][j]}
			}
			if !reached[w] || d.less(dist[w]) {
				reached[w], dist[w], prev[w] = true, d, u
			}
		}
	}
	if dist[target].added == 0 {
		panic("campaigns: a bridge of hidden counts lies on a cycle")
	}
	for w := target; w != start; w = prev[w] {
		i, j, _ := g.entry(w, prev[w])
		g.hidden[i][j] = true
	}
}
