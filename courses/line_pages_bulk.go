package courses

import (
	"strconv"

	"ardoise/profile"
)

// LinePager numbers ledger lines into the inspectors' lists for a bulk load
// that writes the collections directly (cmd/loadgen's scale prefill): the
// documents Ardoise writes, in one pass, holding one open page a list.
type LinePager struct {
	heads map[string]int
	open  map[string]*linePageDoc
}

// NewLinePager returns a pager of empty lists.
func NewLinePager() *LinePager {
	return &LinePager{heads: map[string]int{}, open: map[string]*linePageDoc{}}
}

// Add gives l the next place in each of its lists (lines are added in the
// order the lists show them) and returns the page documents it filled, to
// be stored in LinePagesCollection.
func (p *LinePager) Add(l *Line) []any {
	var full []any
	l.Places = nil
	entry := pageEntry(*l)
	for _, ps := range pageScopes(l.Territory) {
		seq := p.heads[ps.key] + 1
		p.heads[ps.key] = seq
		l.Places = append(l.Places, LinePlace{Scope: ps.key, Seq: seq})
		doc := p.open[ps.key]
		if doc == nil {
			doc = &linePageDoc{ID: linePageID(ps.key, linePageOf(seq)), Lines: map[string]Line{}}
			p.open[ps.key] = doc
		}
		doc.Lines[strconv.Itoa(seq)] = entry
		if len(doc.Lines) == LinePageSize {
			full = append(full, doc)
			delete(p.open, ps.key)
		}
	}
	return full
}

// Rest returns the page documents not full yet and every list's head.
func (p *LinePager) Rest() []any {
	var out []any
	for _, doc := range p.open {
		out = append(out, doc)
	}
	for key, next := range p.heads {
		out = append(out, &lineHead{ID: lineHeadID(key), Next: next})
	}
	p.open = map[string]*linePageDoc{}
	return out
}

// Count is the number of lines in the list of scope (the académie,
// département or circonscription it names; the nation's when empty).
func (p *LinePager) Count(scope profile.Territory) int {
	all := pageScopes(scope.Scope())
	return p.heads[all[len(all)-1].key]
}
