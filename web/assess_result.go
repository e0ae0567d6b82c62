package web

import (
	"fmt"
	"html/template"
	"slices"
	"sort"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/courses"
)

// resultView is what the result page shows.
type resultView struct {
	Test        *assessments.Test
	Framework   *assessments.Framework
	Rows        []competenceRow
	Strengths   []competenceRow
	ToWork      []competenceRow
	Reviewed    []reviewedQuestion
	Chart       template.HTML
	PrivateLink string
	RetryFrom   string
	Anonymous   bool
	Public      bool
	// Modules are published modules for the weakest competences.
	Modules []courses.Recommendation
	// Campaign is set on the result of a campaign's test, for its person.
	Campaign *campaignResult
}

type competenceRow struct {
	ID, Title  string
	Level      int
	Confidence string // catalog key
	Margin     float64
	Tutorials  []assessments.Tutorial
	theta      float64
}

type reviewedQuestion struct {
	Challenge *assessments.Challenge
	Answer    assessments.Recorded
}

func (a *App) assessResult(c *fiber.Ctx) error {
	t, err := a.Assessments.Test(c.UserContext(), c.Params("id"), a.owner(c, false))
	if err != nil {
		return err
	}
	if t.State != assessments.StateFinished {
		return c.Redirect("/positionnement/"+t.ID, fiber.StatusSeeOther)
	}
	return a.renderResult(c, t, false)
}

func (a *App) assessPrivateResult(c *fiber.Ctx) error {
	t, err := a.Assessments.ByPrivateLink(c.UserContext(), c.Params("token"))
	if err != nil {
		return err
	}
	c.Set("X-Robots-Tag", "noindex")
	return a.renderResult(c, t, true)
}

func (a *App) renderResult(c *fiber.Ctx, t *assessments.Test, public bool) error {
	return a.renderResultPage(c, t, public, fiber.StatusOK, "")
}

// renderResultWith shows its person the result of t with status and, in
// the campaign's sharing block, why sending was refused.
func (a *App) renderResultWith(c *fiber.Ctx, t *assessments.Test, status int, shareError string) error {
	return a.renderResultPage(c, t, false, status, shareError)
}

func (a *App) renderResultPage(c *fiber.Ctx, t *assessments.Test, public bool, status int, shareError string) error {
	v, err := a.resultOf(c, t)
	if err != nil {
		return err
	}
	v.Public = public
	if u := currentUser(c); !public && u != nil && t.Scope.Campaign != "" && t.UserID == u.ID {
		if v.Campaign, err = a.campaignResultOf(c, t, v.Framework); err != nil {
			return err
		}
		v.Campaign.Error = shareError
	}
	audience := courses.AudienceTeachers
	if u := currentUser(c); u != nil {
		audience = audienceOf(u)
	} else if t.Scope.Framework == "crcn" {
		audience = "" // an anonymous visitor may be a parent or a teacher
	}
	if t.Result != nil {
		if v.Modules, err = a.Courses.Recommend(c.UserContext(), t.Result.Levels(), audience, 4); err != nil {
			return err
		}
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "assess_result", page{Title: "assess.result.title", Data: v})
}

// confidence turns a competence's standard error into words.
func confidence(se float64) string {
	switch {
	case se < 0.5:
		return "assess.confidence.high"
	case se < 0.75:
		return "assess.confidence.medium"
	}
	return "assess.confidence.low"
}

func (a *App) resultOf(c *fiber.Ctx, t *assessments.Test) (*resultView, error) {
	bank, err := a.Assessments.BankOf(c.UserContext(), t)
	if err != nil {
		return nil, err
	}
	f, _ := bank.Framework(t.Scope.Framework)
	v := &resultView{Test: t, Framework: f, Anonymous: t.UserID == "",
		PrivateLink: strings.TrimRight(a.BaseURL, "/") + "/resultat/" + a.Assessments.PrivateLink(t),
		RetryFrom:   dateIn(lang(c), t.FinishedAt.Add(a.Assessments.Cooldown()))}
	wrong := map[string][]assessments.Tutorial{}
	for _, r := range t.Answers {
		ch, ok := bank.Challenge(r.ChallengeID)
		if !ok || r.Pretest {
			continue // a pretest answer does not count, and its key stays unpublished
		}
		v.Reviewed = append(v.Reviewed, reviewedQuestion{Challenge: ch, Answer: r})
		if !r.Correct {
			wrong[ch.Competence] = appendTutorial(wrong[ch.Competence], ch.Tutorial)
		}
	}
	for _, comp := range f.Competences {
		if t.Scope.Competence != "" && comp.ID != t.Scope.Competence {
			continue
		}
		if len(t.Scope.Competences) > 0 && !slices.Contains(t.Scope.Competences, comp.ID) {
			continue // a campaign's test measures its target profile only
		}
		m := t.Result.Of(comp.ID)
		row := competenceRow{ID: comp.ID, Title: comp.Title, Level: m.Level, theta: m.Theta,
			Confidence: confidence(m.SE), Margin: m.SE, Tutorials: wrong[comp.ID]}
		if len(row.Tutorials) == 0 {
			for _, ch := range f.Challenges {
				if ch.Competence == comp.ID && !ch.Certification && ch.Level >= row.Level && len(row.Tutorials) < 2 {
					row.Tutorials = appendTutorial(row.Tutorials, ch.Tutorial)
				}
			}
		}
		v.Rows = append(v.Rows, row)
	}
	sorted := append([]competenceRow(nil), v.Rows...)
	sort.SliceStable(sorted, func(i, j int) bool {
		return sorted[i].theta > sorted[j].theta
	})
	n := min(3, len(sorted)/2)
	if len(sorted) == 1 {
		v.ToWork = sorted
	} else {
		v.Strengths = sorted[:n]
		v.ToWork = append([]competenceRow(nil), sorted[len(sorted)-n:]...)
		sort.SliceStable(v.ToWork, func(i, j int) bool {
			return v.ToWork[i].theta < v.ToWork[j].theta
		})
	}
	v.Chart = levelChart(a.catalog.T(lang(c), "assess.chart.title"), a.catalog.T(lang(c), "assess.chart.desc"), v.Rows)
	return v, nil
}

func appendTutorial(ts []assessments.Tutorial, t assessments.Tutorial) []assessments.Tutorial {
	for _, x := range ts {
		if x.URL == t.URL {
			return ts
		}
	}
	if len(ts) >= 3 {
		return ts
	}
	return append(ts, t)
}

// levelChart draws the levels as horizontal bars, in SVG rendered here: it
// needs no JavaScript, and the table under it says the same in text.
func levelChart(title, desc string, rows []competenceRow) template.HTML {
	const (
		left, barMax, rowH, top = 64, 256, 22, 8
	)
	h := top + rowH*len(rows) + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="chart" viewBox="0 0 %d %d" role="img" aria-labelledby="chart-title chart-desc" xmlns="http://www.w3.org/2000/svg">`,
		left+barMax+40, h)
	fmt.Fprintf(&b, `<title id="chart-title">%s</title><desc id="chart-desc">%s</desc>`, template.HTMLEscapeString(title), template.HTMLEscapeString(desc))
	for lv := 0; lv <= 8; lv += 2 {
		x := left + lv*barMax/8
		fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#d0d4da"/>`, x, top-4, x, h-20)
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" text-anchor="middle" fill="#555">%d</text>`, x, h-6, lv)
	}
	for i, r := range rows {
		y := top + i*rowH
		w := r.Level * barMax / 8
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="12" text-anchor="end" fill="#1b1f24">%s</text>`, left-8, y+14, template.HTMLEscapeString(r.ID))
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%d" height="14" rx="2" fill="#0b5cad"/>`, left, y+3, max(w, 2))
		fmt.Fprintf(&b, `<text x="%d" y="%d" font-size="11" fill="#1b1f24">%d</text>`, left+max(w, 2)+4, y+14, r.Level)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}
