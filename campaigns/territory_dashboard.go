package campaigns

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// ReferenceFramework is the framework whose overall levels the
// breakdown by circonscription or school shows: the CRCN, which every
// teacher's and parent's test belongs to.
const ReferenceFramework = "crcn"

// NoLevel is the column of a breakdown for the people without an overall
// level in ReferenceFramework (they took other tests only).
const NoLevel = "none"

// Dashboard is an inspector's territory dashboard for a school year: the
// scope's snapshot with every count through Suppress. Counts of tests and
// minutes are not counts of people; each is shown only where the count of
// the people it comes from is shown (Follow).
//
// Tables that share a count must be suppressed together, or a count one
// hides another shows (docs/territory.md): so the people of the scope and
// of each group, and the overall levels of the groups, are one table
// (Breakdown); the scope's overall levels in ReferenceFramework are its
// column totals and do not appear again among the competences; and a
// dashboard breaks down by one level only: circonscriptions for an
// académie or a département, schools for a circonscription.
type Dashboard struct {
	SchoolYear string
	Scope      profile.Territory
	// TakenAt is when the snapshot was taken (zero when there is none yet).
	TakenAt time.Time
	// People and Tests are the scope's people tested and their tests.
	People, Tests Value
	// Levels has one table per framework: competences × levels 0 to 8.
	Levels []FrameworkLevels
	// Breakdown is the scope's groups × overall levels.
	Breakdown Breakdown
	// Hours is modules × states: people (ledger lines), and minutes.
	Hours        Masked
	HoursMinutes Follow            // minutes, shown where Hours is
	ModuleTitles map[string]string // module slug → title
}

// FrameworkLevels is a masked table of people by competence (rows,
// "" for a framework's overall level) and level (columns "0" to "8").
type FrameworkLevels struct {
	Framework string
	Table     Masked
}

// Breakdown is the people of each group of a scope (a circonscription or
// a school, by Level) by overall level in ReferenceFramework (columns "0"
// to "8" and NoLevel): its row totals are each group's people, its grand
// total the scope's. Tests follow the row totals.
type Breakdown struct {
	Level string // "circonscription" or "uai"
	Table Masked
	Tests Follow // one column: each group's tests
}

// Follow is a table of amounts (tests, minutes) over a masked table of
// people: an amount is shown only where its count of people is, and a
// total only when every amount it adds up is shown.
type Follow struct {
	Cells     [][]Value
	RowTotals []Value
	ColTotals []Value
	Total     Value
}

// Dashboard returns the territory dashboard of u's inspection scope for a
// school year ("" for the current one), read from the latest snapshot:
// one read by _id whatever the number of people. Who may act is checked
// before the year.
func (s *Territories) Dashboard(ctx context.Context, u *profile.User, year string) (*Dashboard, error) {
	if !u.Has(profile.RoleInspector) {
		return nil, fmt.Errorf("territory: dashboard: %w", errkind.ErrForbidden)
	}
	scope := u.InspectionScope()
	if scope.IsZero() {
		return nil, &errkind.DeniedError{Code: "no_scope"}
	}
	if year == "" {
		year = courses.SchoolYear(s.now())
	}
	if _, _, err := YearBounds(year); err != nil {
		return nil, err
	}
	sn, err := s.store.Snapshot(ctx, ScopeKey(year, scope))
	if err != nil {
		return nil, err
	}
	if sn == nil {
		sn = &Snapshot{SchoolYear: year, Scope: scope}
	}
	return dashboardOf(sn)
}

// levelCols are the columns of a level table.
var levelCols = func() []string {
	out := make([]string, MaxLevel+1)
	for i := range out {
		out[i] = strconv.Itoa(i)
	}
	return out
}()

func dashboardOf(sn *Snapshot) (*Dashboard, error) {
	d := &Dashboard{SchoolYear: sn.SchoolYear, Scope: sn.Scope, TakenAt: sn.TakenAt}
	groups, level := sn.Circonscriptions, "circonscription"
	if sn.Scope.Circonscription != "" {
		groups, level = sn.Schools, "uai"
	}
	var err error
	if d.Breakdown, err = breakdownOf(level, groups); err != nil {
		return nil, err
	}
	d.People, d.Tests = d.Breakdown.Table.Total, d.Breakdown.Tests.Total
	byFw := map[string]*Table{}
	var order []string
	for _, h := range sn.Levels {
		if h.Framework == ReferenceFramework && h.Competence == "" {
			continue // the breakdown's column totals
		}
		t := byFw[h.Framework]
		if t == nil {
			t = &Table{Cols: levelCols}
			byFw[h.Framework] = t
			order = append(order, h.Framework)
		}
		t.Rows = append(t.Rows, h.Competence)
		t.Counts = append(t.Counts, h.Levels)
	}
	for _, fw := range order {
		m, err := Suppress(*byFw[fw])
		if err != nil {
			return nil, err
		}
		d.Levels = append(d.Levels, FrameworkLevels{Framework: fw, Table: m})
	}
	if d.Hours, d.HoursMinutes, err = hoursOf(sn.Hours); err != nil {
		return nil, err
	}
	d.ModuleTitles = map[string]string{}
	for _, h := range sn.Hours {
		d.ModuleTitles[h.Module] = h.Title
	}
	return d, nil
}

func breakdownOf(level string, groups []Group) (Breakdown, error) {
	b := Breakdown{Level: level}
	t := Table{Cols: append(slices.Clone(levelCols), NoLevel)}
	tests := make([][]int, 0, len(groups))
	for _, g := range groups {
		row := make([]int, MaxLevel+2)
		measured := 0
		for _, h := range g.Overall {
			if h.Framework == ReferenceFramework {
				for l, n := range h.Levels {
					row[l] += n
					measured += n
				}
			}
		}
		row[MaxLevel+1] = g.People - measured
		t.Rows = append(t.Rows, g.Key)
		t.Counts = append(t.Counts, row)
		tests = append(tests, []int{g.Tests})
	}
	var err error
	if b.Table, err = Suppress(t); err != nil {
		return b, err
	}
	people := Masked{Rows: b.Table.Rows, Cols: []string{"people"}, Cells: make([][]Value, len(groups)),
		RowTotals: b.Table.RowTotals, ColTotals: []Value{b.Table.Total}, Total: b.Table.Total}
	for i := range people.Cells {
		people.Cells[i] = []Value{b.Table.RowTotals[i]}
	}
	b.Tests = FollowMask(people, tests)
	return b, nil
}

// hoursOf is the table of people by module and state, with the minutes.
func hoursOf(cells []HoursCount) (Masked, Follow, error) {
	states := []string{courses.StateCredited, courses.StateToReview, courses.StateValidated, courses.StateRejected, courses.StateExported}
	t := Table{Cols: states}
	var minutes [][]int
	row := map[string]int{}
	for _, h := range cells {
		i, ok := row[h.Module]
		if !ok {
			i = len(t.Rows)
			row[h.Module] = i
			t.Rows = append(t.Rows, h.Module)
			t.Counts = append(t.Counts, make([]int, len(states)))
			minutes = append(minutes, make([]int, len(states)))
		}
		for j, st := range states {
			if st == h.State {
				t.Counts[i][j] += h.People
				minutes[i][j] += h.Minutes
			}
		}
	}
	m, err := Suppress(t)
	if err != nil {
		return Masked{}, Follow{}, err
	}
	return m, FollowMask(m, minutes), nil
}

// FollowMask shows amounts[i][j] where m shows its count of people, and a
// total where m shows the matching total and every amount it adds up.
func FollowMask(m Masked, amounts [][]int) Follow {
	f := Follow{Cells: make([][]Value, len(m.Rows)), RowTotals: make([]Value, len(m.Rows)), ColTotals: make([]Value, len(m.Cols))}
	colSum, colAll := make([]int, len(m.Cols)), make([]bool, len(m.Cols))
	for j := range colAll {
		colAll[j] = m.ColTotals[j].Shown
	}
	total, all := 0, m.Total.Shown
	for i := range m.Rows {
		f.Cells[i] = make([]Value, len(m.Cols))
		sum, rowAll := 0, m.RowTotals[i].Shown
		for j := range m.Cols {
			v := amounts[i][j]
			sum += v
			colSum[j] += v
			total += v
			if m.Cells[i][j].Shown {
				f.Cells[i][j] = Value{Count: v, Shown: true}
			} else {
				rowAll, colAll[j], all = false, false, false
			}
		}
		if rowAll {
			f.RowTotals[i] = Value{Count: sum, Shown: true}
		}
	}
	for j := range m.Cols {
		if colAll[j] {
			f.ColTotals[j] = Value{Count: colSum[j], Shown: true}
		}
	}
	if all {
		f.Total = Value{Count: total, Shown: true}
	}
	return f
}
