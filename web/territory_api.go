package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/campaigns"
)

// count is a count of the API: null when suppressed.
func count(v campaigns.Value) *int {
	if !v.Shown {
		return nil
	}
	n := v.Count
	return &n
}

func counts(vs []campaigns.Value) []*int {
	out := make([]*int, len(vs))
	for i, v := range vs {
		out[i] = count(v)
	}
	return out
}

// levelsJSON is a masked level table: per competence ("" for a
// framework's overall level), the people at each level 0 to 8. No totals,
// as on the page (web/territory_dashboard.go).
func levelsJSON(fl campaigns.FrameworkLevels) fiber.Map {
	rows := make([]fiber.Map, 0, len(fl.Table.Rows))
	for i, r := range fl.Table.Rows {
		rows = append(rows, fiber.Map{"competence": r, "levels": counts(fl.Table.Cells[i])})
	}
	return fiber.Map{"framework": fl.Framework, "rows": rows}
}

// breakdownJSON is the breakdown: per group, its people by overall level
// (levels 0 to 8, then noLevel), in all, and their tests; then the totals.
func breakdownJSON(b campaigns.Breakdown) fiber.Map {
	n := campaigns.MaxLevel + 1
	rows := make([]fiber.Map, 0, len(b.Table.Rows))
	for i, r := range b.Table.Rows {
		cells := counts(b.Table.Cells[i])
		rows = append(rows, fiber.Map{"key": r, "levels": cells[:n], "noLevel": cells[n],
			"people": count(b.Table.RowTotals[i]), "tests": count(b.Tests.Cells[i][0])})
	}
	totals := counts(b.Table.ColTotals)
	return fiber.Map{"by": b.Level, "framework": campaigns.ReferenceFramework, "rows": rows,
		"totals": fiber.Map{"levels": totals[:n], "noLevel": totals[n], "people": count(b.Table.Total), "tests": count(b.Tests.Total)}}
}

// apiTerritoryDashboard is GET /api/v1/territory/dashboard?schoolYear=:
// the page's aggregates, hidden counts as null.
func (a *App) apiTerritoryDashboard(c *fiber.Ctx) error {
	d, err := a.Territories.Dashboard(c.UserContext(), currentUser(c), c.Query("schoolYear"))
	if err != nil {
		return err
	}
	var taken *time.Time
	if !d.TakenAt.IsZero() {
		taken = &d.TakenAt
	}
	levels := make([]fiber.Map, 0, len(d.Levels))
	for _, fl := range d.Levels {
		levels = append(levels, levelsJSON(fl))
	}
	hours := make([]fiber.Map, 0, len(d.Hours.Rows))
	for i, m := range d.Hours.Rows {
		states := fiber.Map{}
		for j, st := range d.Hours.Cols {
			states[st] = fiber.Map{"people": count(d.Hours.Cells[i][j]), "minutes": count(d.HoursMinutes.Cells[i][j])}
		}
		hours = append(hours, fiber.Map{"module": m, "title": d.ModuleTitles[m], "states": states,
			"people": count(d.Hours.RowTotals[i]), "minutes": count(d.HoursMinutes.RowTotals[i])})
	}
	return c.JSON(fiber.Map{
		"schoolYear": d.SchoolYear, "scope": d.Scope, "snapshotAt": taken, "minCell": campaigns.MinCell,
		"people": count(d.People), "tests": count(d.Tests), "levels": levels,
		"breakdown": breakdownJSON(d.Breakdown),
		"hours":     hours, "hoursTotal": fiber.Map{"people": count(d.Hours.Total), "minutes": count(d.HoursMinutes.Total)},
	})
}
