package irt

// choose picks the next item: the pools Kingsbury–Zara allows (every
// competence furthest below its share, or the whole bank), the most
// informative allowed items of those pools at the current estimate, one of
// the TopK drawn at random, then Sympson–Hetter's draw. It returns false
// when no allowed item is left.
func (t *Test) choose() (int, bool) {
	for {
		groups := t.chooseGroups()
		if len(groups) == 0 {
			return -1, false
		}
		if item, ok := t.chooseAmong(groups); ok {
			return item, true
		}
		// Only items, never answers, leave a pool, so pools found empty
		// stay empty for the rest of the test.
		for _, g := range groups {
			t.exhausted[g] = true
		}
	}
}

// chooseGroups applies Kingsbury–Zara with equal target shares: the
// competences with the fewest answers are the furthest below their share,
// and all of them are allowed. When several are tied, the item decides
// (the most informative among them), which is what a fixed-length test
// wants: over a round every competence gets its item anyway, and the order
// follows where the best items are for this person. Tied competences of
// the last AvoidLastN answers are dropped when others remain; limiting the
// avoidance to ties keeps the balance exact.
func (t *Test) chooseGroups() []int32 {
	e := t.e
	ties := t.ties[:0]
	if !e.cfg.ContentBalancing {
		if !t.exhausted[0] {
			ties = append(ties, 0)
		}
		t.ties = ties
		return ties
	}
	least := int32(-1)
	for c, n := range t.compCount {
		if t.exhausted[c] {
			continue
		}
		switch {
		case least < 0 || n < least:
			least = n
			ties = append(ties[:0], int32(c))
		case n == least:
			ties = append(ties, int32(c))
		}
	}
	if len(ties) > 1 && e.cfg.AvoidLastN > 0 {
		fresh := 0
		for _, c := range ties {
			if !t.recentCompetence(c) {
				fresh++
			}
		}
		if fresh > 0 {
			kept := ties[:0] // filtering in place: kept never overtakes ties
			for _, c := range ties {
				if !t.recentCompetence(c) {
					kept = append(kept, c)
				}
			}
			ties = kept
		}
	}
	t.ties = ties
	return ties
}

// recentCompetence reports whether competence c was the competence of one
// of the last AvoidLastN answers.
func (t *Test) recentCompetence(c int32) bool {
	h := t.history
	for i := len(h) - 1; i >= 0 && i >= len(h)-t.e.cfg.AvoidLastN; i-- {
		if t.e.comp[h[i].Item] == c {
			return true
		}
	}
	return false
}

// allowed reports whether item may be asked now, Sympson–Hetter aside.
func (t *Test) allowed(item int32) bool {
	s := t.state[item]
	if s != itemFree && s != itemExcluded {
		return false
	}
	return !t.e.cfg.OnePerTube || !t.tubeUsed[t.e.tube[item]]
}

// chooseAmong picks an item from the union of some pools, or returns false
// if none of them has an allowed item.
func (t *Test) chooseAmong(groups []int32) (int, bool) {
	e := t.e
	if e.cfg.Selection == RandomSelection {
		return t.chooseRandom(groups)
	}
	k := e.cfg.Grid.nearest(t.theta)
	// Without content balancing, AvoidLastN and FirstPass filter items
	// directly; they are dropped in turn when they would leave nothing
	// (AvoidLastN first, as PIX applies it to what the first pass left).
	f := filters{
		avoid:     !e.cfg.ContentBalancing && e.cfg.AvoidLastN > 0 && len(t.history) > 0,
		firstPass: !e.cfg.ContentBalancing && e.cfg.FirstPass && t.someCompetenceUnanswered(),
	}
	honourExposure := true
	t.freshOnly = t.seen != nil
	for {
		item, ok := t.draw(groups, k, honourExposure, f)
		if !ok {
			switch {
			case f.avoid:
				f.avoid = false
			case f.firstPass:
				f.firstPass = false
			case t.freshOnly:
				t.freshOnly = false
			case honourExposure && e.cfg.ExposureCap > 0:
				// Sympson–Hetter turned every allowed item down: give one
				// anyway rather than end the test early.
				honourExposure = false
			default:
				return -1, false
			}
			continue
		}
		if !honourExposure {
			return int(item), true
		}
		if t.selected != nil {
			t.selected[item]++
		}
		if kx := e.exposure[item]; kx < 1 && t.rng.Float64() >= kx {
			t.state[item] = itemExcluded
			continue
		}
		return int(item), true
	}
}

// filters are the item filters of selection without content balancing.
type filters struct {
	// avoid drops the competences of the last AvoidLastN answers.
	avoid bool
	// firstPass keeps only competences not answered yet.
	firstPass bool
}

// someCompetenceUnanswered reports whether a competence has no answer yet.
func (t *Test) someCompetenceUnanswered() bool {
	for _, n := range t.compCount {
		if n == 0 {
			return true
		}
	}
	return false
}

// draw picks an item among the given pools according to the tie-break,
// with the randomesque draw; false when the pools have no candidate under
// the current filters.
func (t *Test) draw(groups []int32, k int, honourExposure bool, f filters) (int32, bool) {
	e := t.e
	if len(groups) == 1 || e.cfg.TieBreak == TiePooled {
		cands := t.topAllowed(groups, k, honourExposure, f)
		if len(cands) == 0 {
			return -1, false
		}
		return cands[t.pickRank(len(cands))], true
	}
	if e.cfg.TieBreak == TieRandom {
		// Draw a competence, then its randomesque item; a competence
		// without candidates is set aside and another drawn.
		left := append(t.props[:0], groups...)
		for len(left) > 0 {
			j := t.rng.IntN(len(left))
			cands := t.topAllowed(left[j:j+1], k, honourExposure, f)
			if len(cands) > 0 {
				t.props = left
				return cands[t.pickRank(len(cands))], true
			}
			left[j] = left[len(left)-1]
			left = left[:len(left)-1]
		}
		t.props = left
		return -1, false
	}
	// TieProposals: each competence proposes its randomesque item; the
	// most informative proposals form the final randomesque pool.
	info := e.info[k*len(e.items) : (k+1)*len(e.items)]
	props := t.props[:0]
	for j := range groups {
		cands := t.topAllowed(groups[j:j+1], k, honourExposure, f)
		if len(cands) == 0 {
			continue
		}
		p := cands[t.pickRank(len(cands))]
		pos := len(props)
		props = append(props, p)
		for pos > 0 && info[p] > info[props[pos-1]] {
			props[pos] = props[pos-1]
			pos--
		}
		props[pos] = p
	}
	t.props = props
	if len(props) == 0 {
		return -1, false
	}
	return props[t.pickRank(min(len(props), e.cfg.TopK))], true
}

// topAllowed collects, best first, the TopK most informative allowed items
// of the given pools at grid point k. Each pool's ranking is already
// sorted, so each contributes at most TopK items from its top, merged by
// insertion into a list of TopK.
func (t *Test) topAllowed(groups []int32, k int, honourExposure bool, f filters) []int32 {
	e := t.e
	n := len(e.items)
	top := e.cfg.TopK
	info := e.info[k*n : (k+1)*n]
	cands := t.cands[:0]
	for _, grp := range groups {
		sp := e.groups[grp]
		row := e.rank[k*n+sp.start : k*n+sp.end]
		taken := 0
		for _, item := range row {
			if taken == top {
				break
			}
			if !t.allowed(item) || (honourExposure && t.state[item] == itemExcluded) {
				continue
			}
			if f.avoid && t.recentCompetence(e.comp[item]) {
				continue
			}
			if f.firstPass && t.compCount[e.comp[item]] > 0 {
				continue
			}
			if t.freshOnly && t.seen[item] {
				continue
			}
			taken++
			v := info[item]
			if len(cands) == top && !(v > info[cands[top-1]]) {
				break // the rest of this pool is no better
			}
			// Insert in decreasing information; equal values keep pool
			// order, which keeps the draw deterministic.
			pos := len(cands)
			for pos > 0 && v > info[cands[pos-1]] {
				pos--
			}
			if len(cands) < top {
				cands = append(cands, 0)
			}
			copy(cands[pos+1:], cands[pos:len(cands)-1])
			cands[pos] = item
		}
	}
	t.cands = cands
	return cands
}

// pickRank draws the rank (0-based) of the item to give among n
// candidates: uniformly, or with the configured weights renormalised over
// the ranks that exist.
func (t *Test) pickRank(n int) int {
	if n == 1 {
		return 0
	}
	w := t.e.cfg.TopKWeights
	if w == nil {
		return t.rng.IntN(n)
	}
	var sum float64
	for _, x := range w[:n] {
		sum += x
	}
	if !(sum > 0) {
		return 0
	}
	u := t.rng.Float64() * sum
	for i, x := range w[:n] {
		if u < x {
			return i
		}
		u -= x
	}
	return n - 1
}

// chooseRandom draws uniformly among the allowed items of some pools.
func (t *Test) chooseRandom(groups []int32) (int, bool) {
	e := t.e
	count := 0
	for _, grp := range groups {
		for _, item := range e.rank[e.groups[grp].start:e.groups[grp].end] {
			if t.allowed(item) {
				count++
			}
		}
	}
	if count == 0 {
		return -1, false
	}
	r := t.rng.IntN(count)
	for _, grp := range groups {
		for _, item := range e.rank[e.groups[grp].start:e.groups[grp].end] {
			if t.allowed(item) {
				if r == 0 {
					return int(item), true
				}
				r--
			}
		}
	}
	return -1, false
}
