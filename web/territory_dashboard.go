package web

import (
	"html/template"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/campaigns"
	"ardoise/courses"
	"ardoise/profile"
)

// territoryView is the inspector's territory dashboard as the page shows it.
type territoryView struct {
	Year, ScopeText string
	Years           []string
	Dash            *campaigns.Dashboard
	Levels          []territoryLevels
	Breakdown       tableView
	BreakdownTitle  string
	Hours           tableView
	Legend          string
}

type territoryLevels struct {
	Framework string
	Chart     template.HTML
	Table     tableView
}

// territoryDashboard is GET /suivi/territoire: the latest daily snapshot
// of the inspector's scope, every count through campaigns.Suppress.
func (a *App) territoryDashboard(c *fiber.Ctx) error {
	u := currentUser(c)
	year := c.Query("annee")
	d, err := a.Territories.Dashboard(c.UserContext(), u, year)
	if _, ok := asValidation(err); ok {
		v := territoryView{Year: year, Years: territoryYears(), ScopeText: profile.FormatScope(u.InspectionScope())}
		return a.render(c, fiber.StatusUnprocessableEntity, "territory_dashboard", page{Title: "territory_dashboard.title", Data: v,
			Errors: map[string]string{"annee": a.catalog.T(lang(c), "field.bad_school_year")}})
	}
	if err != nil {
		return err
	}
	l := lang(c)
	v := territoryView{Year: d.SchoolYear, Years: territoryYears(), Dash: d, ScopeText: profile.FormatScope(d.Scope), Legend: campaigns.Legend}
	levelCols := make([]string, campaigns.MaxLevel+1)
	for i := range levelCols {
		levelCols[i] = a.catalog.T(l, "territory_dashboard.level", "n", i)
	}
	overall := a.catalog.T(l, "territory_dashboard.overall")
	bank := a.Assessments.Bank()
	for _, fl := range d.Levels {
		fwTitle := fl.Framework
		f, known := bank.Framework(fl.Framework)
		if known {
			fwTitle = f.Title
		}
		rows := labels(fl.Table.Rows, func(s string) string {
			if s == "" {
				return overall
			}
			if known {
				if c, ok := f.Competence(s); ok {
					return s + " " + c.Title
				}
			}
			return s
		})
		caption := a.catalog.T(l, "territory_dashboard.levels.caption", "framework", fwTitle)
		// No totals: the people measured on a competence are nearly always
		// the people tested, a count the breakdown may hide.
		t := maskedTable("levels-"+fl.Framework, caption, a.catalog.T(l, "territory_dashboard.competence"), rows, levelCols,
			fl.Table, "", false)
		v.Levels = append(v.Levels, territoryLevels{Framework: fwTitle, Table: t,
			Chart: territoryChart("chart-"+fl.Framework, caption, shortRows(fl.Table.Rows, overall), fl.Table, a.catalog.T(l, "territory_dashboard.chart.hidden"))})
	}
	v.Breakdown, v.BreakdownTitle = a.breakdownView(l, d.Breakdown, levelCols)
	modules := labels(d.Hours.Rows, func(s string) string {
		if t := d.ModuleTitles[s]; t != "" {
			return t
		}
		return s
	})
	states := labels(d.Hours.Cols, func(s string) string { return a.catalog.T(l, "hours.state."+s) })
	v.Hours = maskedTable("hours", a.catalog.T(l, "territory_dashboard.hours.caption"), a.catalog.T(l, "territory_dashboard.col.module"), modules, states,
		d.Hours, a.catalog.T(l, "territory_dashboard.people"), true)
	addHours(&v.Hours, d.HoursMinutes, l, a.catalog.T(l, "territory_dashboard.hours"))
	if v.Hours.Totals != nil {
		v.Hours.Totals.Label = a.catalog.T(l, "territory_dashboard.total")
	}
	return a.render(c, fiber.StatusOK, "territory_dashboard", page{Title: "territory_dashboard.title", Data: v})
}

// breakdownView is the breakdown table: groups × overall levels, the
// people of each group, and their tests.
func (a *App) breakdownView(l string, b campaigns.Breakdown, levelCols []string) (tableView, string) {
	id := "circ"
	if b.Level == "uai" {
		id = "school"
	}
	none := a.catalog.T(l, "territory_dashboard.unknown")
	rows := labels(b.Table.Rows, func(s string) string {
		if s == "" {
			return none
		}
		return s
	})
	cols := append(slices.Clone(levelCols), a.catalog.T(l, "territory_dashboard.no_level"))
	t := maskedTable(id+"-breakdown", a.catalog.T(l, "territory_dashboard."+id+".caption", "framework", campaigns.ReferenceFramework),
		a.catalog.T(l, "territory_dashboard.col."+id), rows, cols, b.Table, a.catalog.T(l, "territory_dashboard.people"), true)
	t.ExtraHead = a.catalog.T(l, "territory_dashboard.tests")
	for i := range t.Rows {
		t.Rows[i].Extra = b.Tests.Cells[i][0].String()
	}
	if t.Totals != nil {
		t.Totals.Label = a.catalog.T(l, "territory_dashboard.total")
		t.Totals.Extra = b.Tests.Total.String()
	}
	return t, a.catalog.T(l, "territory_dashboard.by_"+id)
}

// addHours appends the hours of each module and in all to the hours table.
func addHours(t *tableView, minutes campaigns.Follow, l, head string) {
	t.ExtraHead = head
	for i := range t.Rows {
		t.Rows[i].Extra = hoursText(l, minutes.RowTotals[i])
	}
	if t.Totals != nil {
		t.Totals.Extra = hoursText(l, minutes.Total)
	}
}

func hoursText(l string, v campaigns.Value) string {
	if !v.Shown {
		return campaigns.Hidden
	}
	return durationText(l, v.Count)
}

// territoryYears are the school years a dashboard offers: this one and the previous.
func territoryYears() []string {
	now := time.Now()
	return []string{courses.SchoolYear(now), courses.SchoolYear(now.AddDate(-1, 0, 0))}
}

func labels(keys []string, f func(string) string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = f(k)
	}
	return out
}

// shortRows are a level table's row labels for its chart: competence ids,
// and overall for the framework's overall level.
func shortRows(ids []string, overall string) []string {
	return labels(ids, func(s string) string {
		if s == "" {
			return overall
		}
		return s
	})
}
