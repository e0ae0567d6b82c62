package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
)

// itemsView is the admin's view of the latest calibration report.
type itemsView struct {
	Report  *assessments.ItemsReport
	Rows    []itemRow
	Status  string // the filter: "" for every status
	Flagged bool   // only items with a flag
	Counts  map[string]int
	// Rho and RhoSE are the learned ρ, written for the page's language.
	Rho, RhoSE string
}

// itemRow is one challenge, its numbers written for the page's language.
type itemRow struct {
	assessments.ItemReport
	Success, A, B, SEA, SEB, Outfit string
}

// adminItems shows every challenge of the current content with its
// answers, parameters, their standard errors and misfit flags, as the
// latest calibration found them (?statut= filters by status, ?alertes=1
// keeps flagged items).
func (a *App) adminItems(c *fiber.Ctx) error {
	rep, err := a.Assessments.ItemsReport(c.UserContext())
	if err != nil {
		return err
	}
	v := itemsView{Report: rep, Status: c.Query("statut"), Flagged: c.Query("alertes") == "1", Counts: map[string]int{}}
	switch v.Status {
	case "", assessments.ItemLaunch, assessments.ItemPretest, assessments.ItemCalibrated:
	default:
		v.Status = "" // an unknown filter shows everything, like no filter
	}
	if rep != nil {
		l := lang(c)
		v.Rho, v.RhoSE = decimal(l, rep.Rho, 2), decimal(l, rep.RhoSE, 2)
		for _, it := range rep.Items {
			v.Counts[it.Status]++
			if (v.Status != "" && it.Status != v.Status) || (v.Flagged && len(it.Flags) == 0) {
				continue
			}
			row := itemRow{ItemReport: it, A: decimal(l, it.A, 2), B: decimal(l, it.B, 2), SEA: "—", SEB: "—", Outfit: "—", Success: "—"}
			if it.SEA > 0 {
				row.SEA, row.SEB = decimal(l, it.SEA, 2), decimal(l, it.SEB, 2)
			}
			if it.Outfit > 0 {
				row.Outfit = decimal(l, it.Outfit, 2)
			}
			if it.Answers > 0 {
				row.Success = strconv.Itoa(100*it.Correct/it.Answers) + " %"
			}
			v.Rows = append(v.Rows, row)
		}
	}
	return a.render(c, fiber.StatusOK, "admin_items", page{Title: "admin.items.title", Data: v})
}

// decimal writes f with digits decimals, with a decimal comma in French.
func decimal(lang string, f float64, digits int) string {
	s := strconv.FormatFloat(f, 'f', digits, 64)
	if lang == "en" {
		return s
	}
	return strings.Replace(s, ".", ",", 1)
}
