package web

import (
	"errors"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/community"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// spacesView lists the spaces a person sees, with their unread count and
// the académie they asked to join, if any.
type spacesView struct {
	Spaces  []community.Space
	Unread  int
	Pending string
}

func (a *App) communityHome(c *fiber.Ctx) error {
	return a.renderSpaces(c, fiber.StatusOK, nil)
}

func (a *App) renderSpaces(c *fiber.Ctx, status int, errs map[string]string) error {
	spaces, err := a.Community.Spaces(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	m, err := a.Community.Member(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	v := spacesView{Spaces: spaces, Unread: m.Unread}
	if r := currentUser(c).SpaceRequest; r != "" {
		v.Pending = profile.AcademieName(r)
	}
	return a.render(c, status, "community_home", page{Title: "community.title", Data: v, Errors: errs,
		Form: map[string]string{"title": c.FormValue("title"), "summary": c.FormValue("summary")}})
}

// communityCreateSpace creates a thematic space (trainers and admins).
func (a *App) communityCreateSpace(c *fiber.Ctx) error {
	sp, err := a.Community.CreateTheme(c.UserContext(), currentUser(c), c.FormValue("title"), c.FormValue("summary"), c.FormValue("membres") == "1")
	if v, ok := asValidation(err); ok {
		return a.renderSpaces(c, fiber.StatusUnprocessableEntity, a.formErrors(c, v))
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/"+sp.ID, fiber.StatusSeeOther)
}

// spaceView is a space's threads and the form to start one.
type spaceView struct {
	Page       *community.ThreadPage
	Preview    string
	Moderator  bool
	Subscribed bool
}

func (a *App) communitySpace(c *fiber.Ctx) error {
	return a.renderSpace(c, fiber.StatusOK, "", nil)
}

func (a *App) renderSpace(c *fiber.Ctx, status int, preview string, errs map[string]string) error {
	u := currentUser(c)
	p, err := a.Community.Threads(c.UserContext(), u, c.Params("space"), c.Query("apres"))
	if err != nil {
		return err
	}
	v := spaceView{Page: p, Preview: preview, Moderator: community.CanModerate(p.Space, u)}
	if v.Subscribed, err = a.Community.Subscribed(c.UserContext(), u.ID, "space:"+p.Space.ID); err != nil {
		return err
	}
	return a.render(c, status, "community_space", page{Title: p.Space.Title, Data: v, Errors: errs,
		Form: map[string]string{"title": c.FormValue("title"), "body": c.FormValue("body"), "question": c.FormValue("question")}})
}

// communityNewThread starts a thread, or shows its preview (action=apercu).
func (a *App) communityNewThread(c *fiber.Ctx) error {
	if c.FormValue("action") == "apercu" {
		html, err := a.Community.PreviewFor(c.UserContext(), currentUser(c), c.FormValue("body"))
		if errs, ok := a.postErrors(c, err); ok {
			return a.renderSpace(c, c.Response().StatusCode(), "", errs)
		}
		if err != nil {
			return err
		}
		return a.renderSpace(c, fiber.StatusOK, html, nil)
	}
	t, _, err := a.Community.CreateThread(c.UserContext(), currentUser(c), c.Params("space"), community.NewThread{
		Title: c.FormValue("title"), Body: c.FormValue("body"), Question: c.FormValue("question") == "1"})
	if errs, ok := a.postErrors(c, err); ok {
		return a.renderSpace(c, c.Response().StatusCode(), "", errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/fils/"+t.ID, fiber.StatusSeeOther)
}

// postErrors turns a refused or invalid post, edit or preview into
// messages by field for the form to show again, and sets the response's
// status (422, or 403 for an unverified address); rate limits stay errors
// (429).
func (a *App) postErrors(c *fiber.Ctx, err error) (map[string]string, bool) {
	if v, ok := asValidation(err); ok {
		c.Status(fiber.StatusUnprocessableEntity)
		return a.formErrors(c, v), true
	}
	var ref *errkind.RefusedError
	if errors.As(err, &ref) {
		c.Status(fiber.StatusUnprocessableEntity)
		return map[string]string{"body": a.catalog.T(lang(c), "community.refused."+ref.Code)}, true
	}
	var den *errkind.DeniedError
	if errors.As(err, &den) {
		c.Status(fiber.StatusForbidden)
		return map[string]string{"body": a.catalog.T(lang(c), "error."+den.Code)}, true
	}
	return nil, false
}

// threadView is a thread page.
type threadView struct {
	Page    *community.PostPage
	Preview string
	Quote   string
	Spaces  []community.Space // where a moderator may move the thread
	Notice  string
	// Subscribed says whether the reader follows the thread.
	Subscribed bool
}

func (a *App) communityThread(c *fiber.Ctx) error {
	return a.renderThread(c, fiber.StatusOK, "", nil)
}

func (a *App) renderThread(c *fiber.Ctx, status int, preview string, errs map[string]string) error {
	u := currentUser(c)
	after, _ := strconv.Atoi(c.Query("apres"))
	p, err := a.Community.Thread(c.UserContext(), u, c.Params("thread"), after)
	if err != nil {
		return err
	}
	v := threadView{Page: p, Preview: preview}
	if v.Subscribed, err = a.Community.Subscribed(c.UserContext(), u.ID, "thread:"+p.Thread.ID); err != nil {
		return err
	}
	if n := c.Query("fait"); n != "" {
		v.Notice = "community.notice." + n
	}
	if q := c.Query("citer"); q != "" {
		if qp, _, err := a.Community.Post(c.UserContext(), u, q); err == nil && !qp.Deleted && !qp.Hidden {
			v.Quote = quoteOf(qp)
		}
	}
	if p.Moderator {
		if v.Spaces, err = a.Community.Spaces(c.UserContext(), u); err != nil {
			return err
		}
	}
	body := c.FormValue("body")
	if body == "" {
		body = v.Quote
	}
	return a.render(c, status, "community_thread", page{Title: p.Thread.Title, Data: v, Errors: errs, Form: map[string]string{"body": body}})
}

// quoteOf is a post's text as a Markdown quote, to start a reply with.
func quoteOf(p *community.Post) string {
	out := "> **" + p.AuthorName + "** :\n"
	for _, line := range splitLines(p.Source) {
		out += "> " + line + "\n"
	}
	return out + "\n"
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

// communityReply posts a reply, or shows its preview (action=apercu).
func (a *App) communityReply(c *fiber.Ctx) error {
	if c.FormValue("action") == "apercu" {
		html, err := a.Community.PreviewFor(c.UserContext(), currentUser(c), c.FormValue("body"))
		if errs, ok := a.postErrors(c, err); ok {
			return a.renderThread(c, c.Response().StatusCode(), "", errs)
		}
		if err != nil {
			return err
		}
		return a.renderThread(c, fiber.StatusOK, html, nil)
	}
	p, err := a.Community.Reply(c.UserContext(), currentUser(c), c.Params("thread"), c.FormValue("body"))
	if errs, ok := a.postErrors(c, err); ok {
		return a.renderThread(c, c.Response().StatusCode(), "", errs)
	}
	if err != nil {
		return err
	}
	// The page that holds the reply, as the thread's own links cut it: one
	// page document to read.
	page := (p.Seq - 1) / community.PageSize * community.PageSize
	return c.Redirect("/communaute/fils/"+p.ThreadID+"?apres="+strconv.Itoa(page)+"#"+postAnchor(p.ID), fiber.StatusSeeOther)
}

func postAnchor(id string) string { return "message-" + id }

// communityThreadModerate locks, pins or moves a thread (moderators).
func (a *App) communityThreadModerate(c *fiber.Ctx) error {
	err := a.Community.ModerateThread(c.UserContext(), currentUser(c), c.Params("thread"),
		community.ThreadAction(c.FormValue("action")), c.FormValue("espace"), c.FormValue("motif"))
	if v, ok := asValidation(err); ok {
		return a.renderThread(c, fiber.StatusUnprocessableEntity, "", a.formErrors(c, v))
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/fils/"+c.Params("thread")+"?fait=moderation", fiber.StatusSeeOther)
}

// communityPostAction runs an action on a post and goes back to its
// thread, whose id the post's id holds: the action reads the post itself.
func (a *App) communityPostAction(action string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		ctx, u, id := c.UserContext(), currentUser(c), c.Params("post")
		threadID := community.ThreadOf(id)
		var err error
		switch action {
		case "delete":
			err = a.Community.Delete(ctx, u, id)
		case "accept":
			_, err = a.Community.Accept(ctx, u, id)
		case "flag":
			err = a.Community.FlagPost(ctx, u, id, c.FormValue("motif"))
		case "hide", "restore":
			err = a.Community.SetHidden(ctx, u, id, action == "hide", c.FormValue("motif"))
		case "react":
			err = a.Community.React(ctx, u, id, c.FormValue("kind"), c.FormValue("on") == "1")
		}
		if v, ok := asValidation(err); ok {
			return a.renderPostError(c, threadID, a.formErrors(c, v))
		}
		if err != nil {
			return err
		}
		return c.Redirect("/communaute/fils/"+threadID+"?fait="+action+"#"+postAnchor(id), fiber.StatusSeeOther)
	}
}

// renderPostError shows the thread again with an action's error.
func (a *App) renderPostError(c *fiber.Ctx, threadID string, errs map[string]string) error {
	p, err := a.Community.Thread(c.UserContext(), currentUser(c), threadID, 0)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusUnprocessableEntity, "community_thread", page{Title: p.Thread.Title, Data: threadView{Page: p}, Errors: errs})
}

// editView is the edit form of a post.
type editView struct {
	Post    *community.Post
	Preview string
}

func (a *App) communityEdit(c *fiber.Ctx) error {
	ctx, u, id := c.UserContext(), currentUser(c), c.Params("post")
	p, _, err := a.Community.Post(ctx, u, id)
	if err != nil {
		return err
	}
	if p.AuthorID != u.ID {
		return errkind.ErrForbidden
	}
	if c.Method() == fiber.MethodGet {
		return a.render(c, fiber.StatusOK, "community_edit", page{Title: "community.edit.title", Data: editView{Post: p},
			Form: map[string]string{"body": p.Source}})
	}
	body := c.FormValue("body")
	form := map[string]string{"body": body}
	if c.FormValue("action") == "apercu" {
		html, err := a.Community.PreviewFor(ctx, u, body)
		if errs, ok := a.postErrors(c, err); ok {
			return a.render(c, c.Response().StatusCode(), "community_edit", page{Title: "community.edit.title", Data: editView{Post: p}, Form: form, Errors: errs})
		}
		if err != nil {
			return err
		}
		return a.render(c, fiber.StatusOK, "community_edit", page{Title: "community.edit.title", Data: editView{Post: p, Preview: html}, Form: form})
	}
	_, err = a.Community.Edit(ctx, u, id, body)
	if errs, ok := a.postErrors(c, err); ok {
		return a.render(c, c.Response().StatusCode(), "community_edit", page{Title: "community.edit.title", Data: editView{Post: p}, Form: form, Errors: errs})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/fils/"+p.ThreadID+"?fait=edit#"+postAnchor(id), fiber.StatusSeeOther)
}

// flagsView is a space's review queue.
type flagsView struct {
	Space  *community.Space
	Flags  []community.FlagView
	Notice string
}

func (a *App) communityFlags(c *fiber.Ctx) error {
	u := currentUser(c)
	flags, err := a.Community.Flags(c.UserContext(), u, c.Params("space"))
	if err != nil {
		return err
	}
	sp, err := a.Community.Space(c.UserContext(), c.Params("space"))
	if err != nil {
		return err
	}
	v := flagsView{Space: sp, Flags: flags}
	if c.Query("fait") == "moderateur" {
		v.Notice = "community.notice.moderateur"
	}
	return a.render(c, fiber.StatusOK, "community_flags", page{Title: "community.flags.title", Data: v})
}

// communitySilence silences a member in a space for some days (moderators).
func (a *App) communitySilence(c *fiber.Ctx) error {
	days, _ := strconv.Atoi(c.FormValue("jours"))
	err := a.Community.Silence(c.UserContext(), currentUser(c), c.Params("space"), c.FormValue("membre"), time.Duration(days)*24*time.Hour, c.FormValue("motif"))
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "message", page{Title: "community.flags.title", Data: firstMessage(a.formErrors(c, v))})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/"+c.Params("space")+"/signalements", fiber.StatusSeeOther)
}

func firstMessage(errs map[string]string) string {
	for _, m := range errs {
		return m
	}
	return ""
}

// searchView is a search's results.
type searchView struct {
	Q, Space string
	Page     *community.SearchPage
}

func (a *App) communitySearch(c *fiber.Ctx) error {
	v := searchView{Q: c.Query("q"), Space: c.Query("espace")}
	if v.Q != "" {
		p, err := a.Community.Search(c.UserContext(), currentUser(c), v.Q, v.Space, c.Query("apres"))
		if v2, ok := asValidation(err); ok {
			return a.render(c, fiber.StatusOK, "community_search", page{Title: "community.search.title", Data: v, Errors: a.formErrors(c, v2)})
		}
		if err != nil {
			return err
		}
		v.Page = p
	}
	return a.render(c, fiber.StatusOK, "community_search", page{Title: "community.search.title", Data: v})
}

// adminModeration is the whole moderation log, for admins.
func (a *App) adminModeration(c *fiber.Ctx) error {
	log, err := a.Community.ModerationLog(c.UserContext(), currentUser(c), "", 200)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "admin_moderation", page{Title: "community.log.title", Data: log})
}

// communityAddMember admits someone to a members-only theme (its moderators).
func (a *App) communityAddMember(c *fiber.Ctx) error {
	err := a.Community.AddMember(c.UserContext(), currentUser(c), c.Params("space"), c.FormValue("email"))
	if v, ok := asValidation(err); ok {
		return a.render(c, fiber.StatusUnprocessableEntity, "message", page{Title: "community.flags.title", Data: firstMessage(a.formErrors(c, v))})
	}
	if err != nil {
		return err
	}
	return c.Redirect("/communaute/"+c.Params("space")+"/signalements?fait=membre", fiber.StatusSeeOther)
}
