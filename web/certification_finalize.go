package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/certification"
)

// finalizeForm reads the finalization form of session x: a comment, the
// incidents box and, per candidate, a reason (for an unfinished test) and
// an optional report (a category and its text). It returns the input and,
// for each report it holds, the candidate it is about.
func finalizeForm(c *fiber.Ctx, x *certification.Session) (certification.FinalizeInput, []string, map[string]string) {
	form := formValues(c, "comment", "incidents")
	in := certification.FinalizeInput{Comment: form["comment"], Incidents: form["incidents"] == "1",
		Reasons: map[string]string{}}
	var about []string
	for _, cand := range x.Candidates {
		for _, k := range []string{"reason.", "category.", "report."} {
			form[k+cand.ID] = c.FormValue(k + cand.ID)
		}
		if r := form["reason."+cand.ID]; cand.State != certification.StateFinished {
			in.Reasons[cand.ID] = r
		}
		category, text := form["category."+cand.ID], form["report."+cand.ID]
		if category == "" && strings.TrimSpace(text) == "" {
			continue
		}
		in.Reports = append(in.Reports, certification.Report{CandidateID: cand.ID, Category: category, Text: text})
		about = append(about, cand.ID)
	}
	return in, about, form
}

// finalizeErrors names each error of a finalization after its form field
// (reason.<candidate>, category.<candidate>, report.<candidate>) and says
// which candidate it is about.
func (a *App) finalizeErrors(c *fiber.Ctx, x *certification.Session, about []string, err error) map[string]string {
	out := map[string]string{}
	v, _ := asValidation(err)
	l := lang(c)
	for _, f := range v.Fields {
		name := f.Field
		if id, ok := strings.CutPrefix(name, "reasons."); ok {
			name = "reason." + id
		} else if rest, ok := strings.CutPrefix(name, "reports."); ok {
			i, field, _ := strings.Cut(rest, ".")
			n, convErr := strconv.Atoi(i)
			if convErr != nil || n >= len(about) {
				name = "comment"
			} else if field == "text" {
				name = "report." + about[n]
			} else {
				name = "category." + about[n]
			}
		}
		if _, dup := out[name]; dup {
			continue
		}
		msg := a.catalog.T(l, "field."+f.Code)
		if _, id, ok := strings.Cut(name, "."); ok && name != "comment" {
			for _, cand := range x.Candidates {
				if cand.ID == id {
					msg = cand.LastName + " " + cand.FirstName + " : " + msg
				}
			}
		}
		out[name] = msg
	}
	return out
}

// certificationFinalize is POST /certification/centre/sessions/{id}/finaliser:
// the référent's report closes the session and hands it to the jury.
func (a *App) certificationFinalize(c *fiber.Ctx) error {
	ctx, u, id := c.UserContext(), currentUser(c), c.Params("id")
	x, err := a.Certification.SessionFor(ctx, u, id)
	if err != nil {
		return a.noDeskOr(c, err)
	}
	in, about, form := finalizeForm(c, x)
	_, err = a.Certification.Finalize(ctx, u, id, in)
	if err == nil {
		return c.Redirect("/certification/centre/sessions/"+id+"?finalisee=1", fiber.StatusSeeOther)
	}
	if _, ok := asValidation(err); ok {
		return a.renderReferentSession(c, fiber.StatusUnprocessableEntity, x, referentSessionView{}, form,
			a.finalizeErrors(c, x, about, err))
	}
	if msg, ok := a.refusalText(c, err); ok {
		return a.renderReferentSession(c, fiber.StatusUnprocessableEntity, x, referentSessionView{}, form,
			map[string]string{"finalize": msg})
	}
	return err
}
