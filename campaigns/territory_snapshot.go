package campaigns

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/courses"
	"ardoise/profile"
)

// TypeTerritorySnapshot publishes the territory counters as the
// dashboards' snapshots, once a day (the worker's schedule sends it).
const TypeTerritorySnapshot = "campaigns:territory-snapshot"

// Snapshot is what an inspection scope's dashboard shows for a school
// year, as counted when it was taken: raw counts, suppressed when read
// (Territories.Dashboard).
type Snapshot struct {
	ID         string            `bson:"_id"`
	SchoolYear string            `bson:"schoolYear"`
	Scope      profile.Territory `bson:"scope"`
	TakenAt    time.Time         `bson:"takenAt"`
	People     int               `bson:"people"`
	Tests      int               `bson:"tests"`
	// Levels holds, per framework and competence (Competence "" for the
	// overall level), the number of people at each level 0 to MaxLevel.
	Levels           []Histogram  `bson:"levels"`
	Circonscriptions []Group      `bson:"circonscriptions"`
	Schools          []Group      `bson:"schools"`
	Hours            []HoursCount `bson:"hours"`
}

// Histogram counts people by level on a competence of a framework.
type Histogram struct {
	Framework  string `bson:"framework"`
	Competence string `bson:"competence,omitempty"`
	Levels     []int  `bson:"levels"` // MaxLevel+1 counts
}

// Group is one row of a breakdown: a circonscription or a school (UAI),
// its people, their tests, and their overall level per framework.
type Group struct {
	Key     string      `bson:"key"`
	People  int         `bson:"people"`
	Tests   int         `bson:"tests"`
	Overall []Histogram `bson:"overall"`
}

// HoursCount is the ledger lines of a module in a state: people (one line
// per person, module and year) and credited minutes.
type HoursCount struct {
	Module  string `bson:"module"`
	Title   string `bson:"title"`
	State   string `bson:"state"`
	People  int    `bson:"people"`
	Minutes int    `bson:"minutes"`
}

// HandleSnapshot runs the daily snapshot.
func (s *Territories) HandleSnapshot(ctx context.Context, _ *asynq.Task) error {
	return s.Snapshot(ctx)
}

// Snapshot reads the counters and the hours ledger of the current and the
// previous school years and writes one snapshot per (year, scope) for
// every scope an inspector can have that holds data: each académie, each
// of its départements and each of their circonscriptions. It streams the
// counters (one scan of territory_counters and of hours_ledger per year)
// and keeps only the aggregates in memory.
func (s *Territories) Snapshot(ctx context.Context) error {
	now := s.now()
	for _, year := range []string{courses.SchoolYear(now), courses.SchoolYear(now.AddDate(-1, 0, 0))} {
		if err := s.snapshotYear(ctx, year, now); err != nil {
			return err
		}
	}
	return nil
}

func (s *Territories) snapshotYear(ctx context.Context, year string, now time.Time) error {
	acc := map[string]*snapAcc{}
	scopeAccs := func(t profile.Territory) []*snapAcc {
		var out []*snapAcc
		for _, sc := range scopesOf(t) {
			k := ScopeKey(year, sc)
			a := acc[k]
			if a == nil {
				a = newSnapAcc(k, year, sc, now)
				acc[k] = a
			}
			out = append(out, a)
		}
		return out
	}
	err := s.store.eachCounter(ctx, year, func(c *Counter) error {
		for _, a := range scopeAccs(c.Territory) {
			for i := range c.People {
				a.addRow(c.Territory.Circonscription, &c.People[i])
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if s.courses != nil {
		err = s.courses.EachLineOfYear(ctx, year, func(l *courses.Line) error {
			for _, a := range scopeAccs(l.Territory) {
				a.addLine(l)
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	snaps := make([]*Snapshot, 0, len(acc))
	for _, a := range acc {
		snaps = append(snaps, a.snapshot())
	}
	return s.store.putSnapshots(ctx, year, snaps, now)
}

// scopesOf lists the inspection scopes a territory lies in: its académie,
// its département, its circonscription, as far as it names them.
func scopesOf(t profile.Territory) []profile.Territory {
	if t.Academie == "" {
		return nil
	}
	out := []profile.Territory{{Academie: t.Academie}}
	if t.Departement != "" {
		out = append(out, profile.Territory{Academie: t.Academie, Departement: t.Departement})
		if t.Circonscription != "" {
			out = append(out, t.Scope())
		}
	}
	return out
}

// snapAcc accumulates one snapshot.
type snapAcc struct {
	snap   Snapshot
	levels map[[2]string][]int
	circs  map[string]*groupAcc
	school map[string]*groupAcc
	hours  map[[2]string]*HoursCount
}

type groupAcc struct {
	g       Group
	overall map[string][]int
}

func newSnapAcc(id, year string, scope profile.Territory, now time.Time) *snapAcc {
	return &snapAcc{snap: Snapshot{ID: id, SchoolYear: year, Scope: scope, TakenAt: now},
		levels: map[[2]string][]int{}, circs: map[string]*groupAcc{}, school: map[string]*groupAcc{}, hours: map[[2]string]*HoursCount{}}
}

func (a *snapAcc) addRow(circ string, r *PersonRow) {
	a.snap.People++
	a.snap.Tests += r.Tests
	for _, l := range r.Levels {
		k := [2]string{l.Framework, l.Competence}
		if a.levels[k] == nil {
			a.levels[k] = make([]int, MaxLevel+1)
		}
		a.levels[k][clampLevel(l.Level)]++
	}
	for _, g := range []*groupAcc{group(a.circs, circ), group(a.school, r.UAI)} {
		g.g.People++
		g.g.Tests += r.Tests
		for _, l := range r.Levels {
			if l.Competence != "" {
				continue
			}
			if g.overall[l.Framework] == nil {
				g.overall[l.Framework] = make([]int, MaxLevel+1)
			}
			g.overall[l.Framework][clampLevel(l.Level)]++
		}
	}
}

func group(m map[string]*groupAcc, key string) *groupAcc {
	g := m[key]
	if g == nil {
		g = &groupAcc{g: Group{Key: key}, overall: map[string][]int{}}
		m[key] = g
	}
	return g
}

func (a *snapAcc) addLine(l *courses.Line) {
	k := [2]string{l.Slug, l.State}
	h := a.hours[k]
	if h == nil {
		h = &HoursCount{Module: l.Slug, Title: l.Title, State: l.State}
		a.hours[k] = h
	}
	h.People++
	h.Minutes += l.DeclaredMinutes
}

func (a *snapAcc) snapshot() *Snapshot {
	sn := a.snap
	sn.Levels = histograms(a.levels)
	// A dashboard breaks down by one level only (Dashboard): schools for a
	// circonscription, circonscriptions above.
	sn.Circonscriptions, sn.Schools = []Group{}, []Group{}
	if sn.Scope.Circonscription != "" {
		sn.Schools = groups(a.school)
	} else {
		sn.Circonscriptions = groups(a.circs)
	}
	sn.Hours = []HoursCount{}
	for _, h := range a.hours {
		sn.Hours = append(sn.Hours, *h)
	}
	slices.SortFunc(sn.Hours, func(x, y HoursCount) int {
		return cmp.Or(strings.Compare(x.Module, y.Module), strings.Compare(x.State, y.State))
	})
	return &sn
}

func histograms(m map[[2]string][]int) []Histogram {
	out := []Histogram{}
	for k, v := range m {
		out = append(out, Histogram{Framework: k[0], Competence: k[1], Levels: v})
	}
	slices.SortFunc(out, func(x, y Histogram) int {
		return cmp.Or(strings.Compare(x.Framework, y.Framework), strings.Compare(x.Competence, y.Competence))
	})
	return out
}

func groups(m map[string]*groupAcc) []Group {
	out := []Group{}
	for _, g := range m {
		gg := g.g
		gg.Overall = []Histogram{}
		for fw, v := range g.overall {
			gg.Overall = append(gg.Overall, Histogram{Framework: fw, Levels: v})
		}
		slices.SortFunc(gg.Overall, func(x, y Histogram) int { return strings.Compare(x.Framework, y.Framework) })
		out = append(out, gg)
	}
	slices.SortFunc(out, func(x, y Group) int { return strings.Compare(x.Key, y.Key) })
	return out
}
