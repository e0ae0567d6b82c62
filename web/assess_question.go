package web

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/assessments"
	"ardoise/internal/errkind"
)

// questionView is what the question page shows.
type questionView struct {
	Test       *assessments.Test
	Challenge  *assessments.Challenge
	Proposals  []assessments.Proposal // in this test's order
	Framework  *assessments.Framework
	Competence *assessments.Competence
	Number     int
	Remaining  int // seconds left on the timer, -1 without timer
	Notice     string
	Form       map[string]string
}

func (a *App) assessShow(c *fiber.Ctx) error {
	t, err := a.Assessments.Test(c.UserContext(), c.Params("id"), a.owner(c, false))
	if err != nil {
		return err
	}
	if t.State == assessments.StateFinished {
		return c.Redirect("/positionnement/"+t.ID+"/resultat", fiber.StatusSeeOther)
	}
	return a.renderQuestion(c, t, fiber.StatusOK, c.Query("note"), nil)
}

func (a *App) renderQuestion(c *fiber.Ctx, t *assessments.Test, status int, notice string, errs map[string]string) error {
	bank, err := a.Assessments.BankOf(c.UserContext(), t)
	if err != nil {
		return err
	}
	ch, ok := bank.Challenge(t.Current.ChallengeID)
	if !ok {
		return errors.New("web: served challenge missing from its content version")
	}
	f, _ := bank.Framework(t.Scope.Framework)
	comp, _ := f.Competence(ch.Competence)
	v := questionView{Test: t, Challenge: ch, Proposals: t.ProposalsOf(ch), Framework: f, Competence: comp, Number: t.Answered + 1, Remaining: -1}
	if ch.Timer > 0 {
		left := time.Until(t.Current.ServedAt.Add(time.Duration(ch.Timer) * time.Second))
		v.Remaining = max(int(left.Seconds()), 0)
	}
	if notice != "" {
		v.Notice = "assess.notice." + notice
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return a.render(c, status, "assess_question", page{Title: "assess.question.title", Data: v, Errors: errs})
}

// answerFromForm reads the answer of the posted question form.
func answerFromForm(c *fiber.Ctx, ch *assessments.Challenge) assessments.Answer {
	if c.FormValue("skip") != "" {
		return assessments.Answer{Skipped: true}
	}
	switch ch.Type {
	case assessments.TypeQCU:
		return assessments.Answer{Choice: c.FormValue("choice")}
	case assessments.TypeQCM:
		var ids []string
		for _, v := range c.Request().PostArgs().PeekMulti("choices") {
			ids = append(ids, string(v))
		}
		return assessments.Answer{Choices: ids}
	case assessments.TypeQROC:
		return assessments.Answer{Text: c.FormValue("text")}
	default:
		fields := map[string]string{}
		for _, f := range ch.Fields {
			fields[f.ID] = c.FormValue("field." + f.ID)
		}
		return assessments.Answer{Fields: fields}
	}
}

func (a *App) assessAnswer(c *fiber.Ctx) error {
	ctx := c.UserContext()
	o := a.owner(c, false)
	id, challengeID := c.Params("id"), c.FormValue("challenge")
	read := func(ch *assessments.Challenge) (assessments.Answer, error) {
		ans := answerFromForm(c, ch)
		if !ans.Skipped && emptyAnswer(ans) {
			return ans, errkind.Invalid("answer", "answer_required")
		}
		return ans, nil
	}
	nt, err := a.Assessments.AnswerWith(ctx, id, o, challengeID, read)
	var stale *assessments.StaleError
	switch {
	case errors.As(err, &stale):
		if stale.Test.State == assessments.StateFinished {
			return c.Redirect("/positionnement/"+id+"/resultat", fiber.StatusSeeOther)
		}
		return c.Redirect("/positionnement/"+id+"?note=stale", fiber.StatusSeeOther)
	case err != nil:
		v, ok := asValidation(err)
		if !ok {
			return err
		}
		// Only on this error path is the test read again, to show the question with the message.
		t, terr := a.Assessments.Test(ctx, id, o)
		if terr != nil {
			return terr
		}
		return a.renderQuestion(c, t, fiber.StatusUnprocessableEntity, "", map[string]string{"answer": a.formErrors(c, v)["answer"]})
	}
	last := nt.Answers[len(nt.Answers)-1]
	switch {
	case nt.State == assessments.StateFinished:
		return c.Redirect("/positionnement/"+nt.ID+"/resultat", fiber.StatusSeeOther)
	case last.Late:
		return c.Redirect("/positionnement/"+nt.ID+"?note=late", fiber.StatusSeeOther)
	}
	return c.Redirect("/positionnement/"+nt.ID, fiber.StatusSeeOther)
}

func emptyAnswer(a assessments.Answer) bool {
	if a.Choice != "" || len(a.Choices) > 0 || strings.TrimSpace(a.Text) != "" {
		return false
	}
	for _, v := range a.Fields {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// assessFocus records that the test page lost focus (sent by test.js).
func (a *App) assessFocus(c *fiber.Ctx) error {
	if err := a.Assessments.RecordFocusLoss(c.UserContext(), c.Params("id"), a.owner(c, false)); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
