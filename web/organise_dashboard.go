package web

import (
	"fmt"
	"html/template"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/courses"
	"ardoise/internal/clock"
)

// dashboardView is an organiser's dashboard of one campaign: counts,
// levels per competence, the weakest competences, gains for an "après"
// campaign, and one page of shared participations.
type dashboardView struct {
	campaignRow
	FrameworkTitle string
	Joined         int
	Finished       int
	Shared         int
	Competences    []dashCompetence
	Levels         []int
	Weakest        []dashCompetence
	// ByTarget says the weakest are ranked by the share at the target
	// level (else by mean level).
	ByTarget bool
	Modules  []courses.Recommendation
	Paired   bool
	Rows     []dashParticipant
	// Newer and Older link to the pages around this one ("" when none).
	Newer, Older string
	CSV          string
}

// dashCompetence is one measured competence on the dashboard.
type dashCompetence struct {
	ID, Title string
	Target    int
	ByLevel   []int
	Chart     template.HTML
	// AtTarget is "n / shared (x %)" ("" without a target level).
	AtTarget string
	// Mean is the mean level of the shared participations ("" if none).
	Mean string
	// Gain is the mean gain in levels with its interval, or why there is
	// none.
	Gain     string
	GainN    int
	share    float64
	mean     float64
	measured int
}

// dashParticipant is one shared participation: a name, a date and a level
// per competence, in the order of the dashboard's competences.
type dashParticipant struct {
	Name     string
	SharedAt time.Time
	Levels   []string
}

// weakestShown is how many competences the dashboard names as weakest.
const weakestShown = 3

// organiseDashboard is GET /suivi/campagnes/:id?apres=: three store reads
// (the campaign, its counters, one page) with the catalogue of modules in
// memory.
func (a *App) organiseDashboard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	r, err := a.Campaigns.Results(ctx, currentUser(c), c.Params("id"), c.Query("apres"))
	if err != nil {
		return err
	}
	l := lang(c)
	camp, k := r.Campaign, r.Counters
	v := dashboardView{campaignRow: campaignRowOf(*camp, time.Now()), FrameworkTitle: camp.Framework, Joined: k.Joined,
		Finished: k.Finished, Shared: k.Shared, Levels: []int{0, 1, 2, 3, 4, 5, 6, 7, 8}, Paired: camp.Before != "",
		CSV: "/suivi/campagnes/" + url.PathEscape(camp.ID) + "/export.csv"}
	f, _ := a.Assessments.Bank().Framework(camp.Framework)
	if f != nil {
		v.FrameworkTitle = f.Title
	}
	for _, cc := range k.Competences {
		d := dashCompetence{ID: cc.Competence, Title: competenceTitle(f, cc.Competence), Target: cc.Target, ByLevel: cc.ByLevel}
		for lv, n := range cc.ByLevel {
			d.measured += n
			d.mean += float64(lv * n)
		}
		if d.measured > 0 {
			d.mean /= float64(d.measured)
			d.Mean = decimalFR(d.mean, 1)
		}
		if cc.Target > 0 {
			v.ByTarget = true
			d.share = ratio(cc.AtTarget, d.measured)
			d.AtTarget = fmt.Sprintf("%d / %d (%s %%)", cc.AtTarget, d.measured, decimalFR(100*d.share, 0))
		}
		if v.Paired {
			g := k.GainOf(cc.Competence).InLevels()
			d.GainN = g.N
			if g.Enough {
				d.Gain = a.catalog.T(l, "organise.gain.value", "mean", signedFR(g.Mean), "low", signedFR(g.Low), "high", signedFR(g.High))
			} else {
				d.Gain = a.catalog.T(l, campaigns.TooFewPairsKey)
			}
		}
		d.Chart = distributionChart(a.catalog.T(l, "organise.chart.title", "competence", d.ID+" "+d.Title), d.ByLevel)
		v.Competences = append(v.Competences, d)
	}
	v.Weakest = weakestOf(v.Competences, v.ByTarget)
	if len(v.Weakest) > 0 {
		ids := make([]string, len(v.Weakest))
		for i, d := range v.Weakest {
			ids[i] = d.ID
		}
		audience := courses.AudienceTeachers
		if camp.OpenToParents {
			audience = ""
		}
		if v.Modules, err = a.Courses.RecommendFor(ctx, ids, audience, 4); err != nil {
			return err
		}
	}
	for _, e := range r.Participants {
		p := dashParticipant{Name: a.participantName(c, e), SharedAt: e.SharedAt.In(clock.Paris())}
		for _, d := range v.Competences {
			lv := "—"
			if i := slices.IndexFunc(e.Levels, func(x campaigns.Level) bool { return x.Competence == d.ID }); i >= 0 {
				lv = strconv.Itoa(e.Levels[i].Level)
			}
			p.Levels = append(p.Levels, lv)
		}
		v.Rows = append(v.Rows, p)
	}
	base := "/suivi/campagnes/" + url.PathEscape(camp.ID)
	if r.Next != "" {
		v.Older = base + "?apres=" + url.QueryEscape(r.Next) + "#participations"
	}
	if c.Query("apres") != "" {
		v.Newer = base + "#participations"
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return a.render(c, fiber.StatusOK, "organise_campaign", page{Title: camp.Title, Data: v})
}

func competenceTitle(f *assessments.Framework, id string) string {
	if f != nil {
		if comp, ok := f.Competence(id); ok {
			return comp.Title
		}
	}
	return ""
}

// weakestOf returns up to weakestShown measured competences, weakest
// first: by the share at the target level when the campaign sets targets
// (a competence everyone reached is not one to work on), else by the mean
// level; ties by id.
func weakestOf(all []dashCompetence, byTarget bool) []dashCompetence {
	var out []dashCompetence
	for _, d := range all {
		if d.measured > 0 && (!byTarget || d.Target > 0 && d.share < 1) {
			out = append(out, d)
		}
	}
	key := func(d dashCompetence) float64 {
		if byTarget {
			return d.share
		}
		return d.mean
	}
	slices.SortStableFunc(out, func(x, y dashCompetence) int {
		switch {
		case key(x) < key(y):
			return -1
		case key(x) > key(y):
			return 1
		}
		return strings.Compare(x.ID, y.ID)
	})
	return out[:min(len(out), weakestShown)]
}

func ratio(n, d int) float64 {
	if d == 0 {
		return 0
	}
	return float64(n) / float64(d)
}

// decimalFR writes v with places decimals and a decimal comma.
func decimalFR(v float64, places int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', places, 64), ".", ",", 1)
}

// signedFR writes a gain in levels with its sign and one decimal.
func signedFR(v float64) string {
	v = math.Round(v*10) / 10
	if v > 0 {
		return "+" + decimalFR(v, 1)
	}
	if v == 0 {
		return "0,0"
	}
	return "−" + decimalFR(-v, 1)
}

// distributionChart draws a competence's level counts as vertical bars,
// in SVG rendered here (no JavaScript); the table beside it says the same
// in text.
func distributionChart(title string, byLevel []int) template.HTML {
	const (
		left, step, barW, top, barMax = 8, 32, 24, 18, 70
	)
	peak := 1
	for _, n := range byLevel {
		peak = max(peak, n)
	}
	w, h := left*2+step*len(byLevel), top+barMax+20
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" xmlns="http://www.w3.org/2000/svg"><title>%s</title>`,
		w, h, template.HTMLEscapeString(title))
	for lv, n := range byLevel {
		x := left + lv*step
		bh := n * barMax / peak
		if n > 0 {
			bh = max(bh, 2)
		}
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="%d" fill="#0b5cad"/>`, x, top+barMax-bh, barW, bh)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="#1b1f24">%d</text>`, x+barW/2, top+barMax-bh-4, n)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="#555">%d</text>`, x+barW/2, top+barMax+14, lv)
	}
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#767676"/>`, left, top+barMax, w-left, top+barMax)
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
