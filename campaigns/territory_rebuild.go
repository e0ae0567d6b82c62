package campaigns

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"ardoise/assessments"
	"ardoise/courses"
	"ardoise/internal/clock"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Rebuild recomputes the territory counters of the current and the
// previous school years from the stored finished tests, then rewrites
// the snapshots. A test counts where its person's territory was when it
// ended (their territory history), which is where the worker counted it
// unless the person moved in the seconds between. Run it with the worker
// stopped: a test counted meanwhile could be lost (docs/territory.md).
func (s *Territories) Rebuild(ctx context.Context) error {
	now := s.now()
	for _, year := range []string{courses.SchoolYear(now), courses.SchoolYear(now.AddDate(-1, 0, 0))} {
		if err := s.RebuildYear(ctx, year); err != nil {
			return err
		}
	}
	return s.Snapshot(ctx)
}

// RebuildYear recomputes the counters of one school year from the
// stored finished tests. It holds the year's people in memory (about a
// kilobyte per person tested).
func (s *Territories) RebuildYear(ctx context.Context, year string) error {
	from, to, err := YearBounds(year)
	if err != nil {
		return err
	}
	byUser := map[string][]*assessments.Test{}
	err = s.assessments.EachFinished(ctx, from, to, func(t *assessments.Test) error {
		if t.Result != nil {
			byUser[t.UserID] = append(byUser[t.UserID], t)
		}
		return nil
	})
	if err != nil {
		return err
	}
	var people []person
	rows := map[string]*Counter{}
	for uid, tests := range byUser {
		u, err := s.profile.User(ctx, uid)
		if errkind.IsNotFound(err) {
			continue
		}
		if err != nil {
			return err
		}
		if u.Deleted {
			continue
		}
		slices.SortFunc(tests, func(a, b *assessments.Test) int {
			return cmp.Or(a.FinishedAt.Compare(b.FinishedAt), strings.Compare(a.ID, b.ID))
		})
		p := person{ID: personKey(year, uid), SchoolYear: year, Row: PersonRow{UserID: uid, Levels: []PersonLevel{}}, Counted: []string{}}
		for _, t := range tests {
			if terr := territoryAt(u, t.FinishedAt); terr.Academie != "" {
				p.add(t, terr)
			}
		}
		if p.Key == "" {
			continue
		}
		p.Stale, p.Synced = nil, true
		people = append(people, p)
		c := rows[p.Key]
		if c == nil {
			c = &Counter{ID: p.Key, SchoolYear: year, Territory: p.Territory}
			rows[p.Key] = c
		}
		c.People = append(c.People, p.Row)
	}
	counters := make([]Counter, 0, len(rows))
	for _, c := range rows {
		slices.SortFunc(c.People, func(a, b PersonRow) int { return strings.Compare(a.UserID, b.UserID) })
		counters = append(counters, *c)
	}
	return s.store.replaceYear(ctx, year, people, counters)
}

// territoryAt is where u was at the instant at: the first territory of
// their history that they left after at, else their territory now.
func territoryAt(u *profile.User, at time.Time) profile.Territory {
	for _, h := range u.TerritoryHistory {
		if at.Before(h.Until) {
			return h.Territory
		}
	}
	return u.Territory
}

// YearBounds returns the first instant of a school year ("2026-2027") and
// of the next, 1 September in Paris time; a malformed year is a field
// error on schoolYear.
func YearBounds(year string) (time.Time, time.Time, error) {
	a, b, ok := strings.Cut(year, "-")
	y1, err1 := strconv.Atoi(a)
	y2, err2 := strconv.Atoi(b)
	if !ok || len(a) != 4 || len(b) != 4 || err1 != nil || err2 != nil || y2 != y1+1 || y1 < 2000 {
		return time.Time{}, time.Time{}, errkind.Invalid("schoolYear", "bad_school_year")
	}
	paris := clock.Paris()
	return time.Date(y1, time.September, 1, 0, 0, 0, 0, paris), time.Date(y2, time.September, 1, 0, 0, 0, 0, paris), nil
}
