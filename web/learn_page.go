package web

import (
	"errors"
	"slices"

	"github.com/gofiber/fiber/v2"

	"ardoise/courses"
)

// learnPageView is one page of a module being followed.
type learnPageView struct {
	Slug      string
	Module    *courses.Module
	Page      *courses.Page
	Index     int
	Prev      string
	Next      string
	Enrolment *courses.Enrolment
	Progress  courses.Progress
	// Answers holds the latest answer to each quiz of the page, with its feedback.
	Answers map[string]quizAnswerView
	// Just is the quiz answered by the request that led here; Missing
	// says that answer chose nothing.
	Just    string
	Missing bool
}

// quizAnswerView is a quiz's latest answer as the page shows it.
type quizAnswerView struct {
	Chosen  map[string]bool
	Correct bool
	// Feedback lists the feedback of each chosen proposal.
	Feedback []courses.QuizProposal
}

// learnPage shows a page and records the view: the page is seen and the
// time since the last counted event is credited (see courses/activity.go).
// js=1 comes from the page's script, which then sends heartbeats.
func (a *App) learnPage(c *fiber.Ctx) error {
	u := currentUser(c)
	slug := c.Params("slug")
	e, m, pg, err := a.Courses.View(c.UserContext(), u.ID, slug, c.Params("page"), c.Query("js") == "1")
	if errors.Is(err, courses.ErrNotEnrolled) {
		return c.Redirect("/modules/"+slug, fiber.StatusSeeOther)
	}
	if err != nil {
		return err
	}
	_, i, _ := m.Page(pg.ID)
	v := learnPageView{Slug: slug, Module: m, Page: pg, Index: i, Enrolment: e, Progress: m.ProgressOf(e),
		Answers: map[string]quizAnswerView{}, Just: c.Query("quiz"), Missing: c.Query("erreur") == "1"}
	if i > 0 {
		v.Prev = m.Pages[i-1].ID
	}
	if i+1 < len(m.Pages) {
		v.Next = m.Pages[i+1].ID
	}
	for _, b := range pg.Blocks {
		if b.Quiz == nil {
			continue
		}
		if r := e.Quiz(b.Quiz.ID); r != nil {
			v.Answers[b.Quiz.ID] = answerView(b.Quiz, r.Choice, r.Correct)
		}
	}
	return a.render(c, fiber.StatusOK, "learn_page", page{Title: pg.Title, Data: v})
}

func answerView(q *courses.Quiz, choice []string, correct bool) quizAnswerView {
	av := quizAnswerView{Chosen: map[string]bool{}, Correct: correct}
	for _, p := range q.Proposals {
		if slices.Contains(choice, p.ID) {
			av.Chosen[p.ID] = true
			av.Feedback = append(av.Feedback, p)
		}
	}
	return av
}

// learnAnswer records a quiz answer and goes back to the page, at the
// quiz, where its feedback shows.
func (a *App) learnAnswer(c *fiber.Ctx) error {
	slug, pageID, quizID := c.Params("slug"), c.Params("page"), c.Params("quiz")
	var choice []string
	for _, v := range c.Request().PostArgs().PeekMulti("choix") {
		choice = append(choice, string(v))
	}
	_, _, err := a.Courses.Answer(c.UserContext(), currentUser(c).ID, slug, quizID, choice)
	target := pageURL(slug, pageID) + "?quiz=" + quizID
	if c.FormValue("js") == "1" {
		target += "&js=1"
	}
	if _, ok := asValidation(err); ok {
		target += "&erreur=1"
		err = nil
	}
	if err != nil {
		return err
	}
	return c.Redirect(target+"#quiz-"+quizID, fiber.StatusSeeOther)
}

// learnBeat records a heartbeat from a visible, active page (sent by
// learn.js every 15 s) and answers with the progress.
func (a *App) learnBeat(c *fiber.Ctx) error {
	e, p, err := a.Courses.Beat(c.UserContext(), currentUser(c).ID, c.Params("slug"), c.Params("page"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"activeSeconds": p.ActiveSeconds, "neededSeconds": p.NeededSeconds, "done": e.Done()})
}
