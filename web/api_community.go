package web

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"ardoise/community"
)

func (a *App) apiSpaces(c *fiber.Ctx) error {
	spaces, err := a.Community.Spaces(c.UserContext(), currentUser(c))
	if err != nil {
		return err
	}
	return c.JSON(spaces)
}

func (a *App) apiThreads(c *fiber.Ctx) error {
	p, err := a.Community.Threads(c.UserContext(), currentUser(c), c.Params("id"), c.Query("after"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"threads": p.Threads, "next": p.Next})
}

func (a *App) apiNewThread(c *fiber.Ctx) error {
	var in struct {
		Title    string `json:"title"`
		Body     string `json:"body"`
		Question bool   `json:"question"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	t, _, err := a.Community.CreateThread(c.UserContext(), currentUser(c), c.Params("id"), community.NewThread(in))
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": t.ID})
}

// postJSON is a post as the API shows it: hidden and deleted posts keep
// their place without their text (moderators see hidden ones).
func postJSON(p community.Post, moderator bool) fiber.Map {
	html := p.HTML
	if p.Deleted || (p.Hidden && !moderator) {
		html = ""
	}
	return fiber.Map{"id": p.ID, "seq": p.Seq, "author": p.AuthorName, "authorHandle": p.AuthorHandle, "html": html,
		"createdAt": p.CreatedAt, "editedAt": p.EditedAt, "deleted": p.Deleted, "hidden": p.Hidden, "reactions": p.Reactions}
}

func (a *App) apiThread(c *fiber.Ctx) error {
	after, _ := strconv.Atoi(c.Query("after"))
	p, err := a.Community.Thread(c.UserContext(), currentUser(c), c.Params("id"), after)
	if err != nil {
		return err
	}
	posts := make([]fiber.Map, 0, len(p.Posts))
	for _, post := range p.Posts {
		posts = append(posts, postJSON(post, p.Moderator))
	}
	next := ""
	if p.Next > 0 {
		next = strconv.Itoa(p.Next)
	}
	return c.JSON(fiber.Map{"thread": p.Thread, "posts": posts, "next": next})
}

func (a *App) apiReply(c *fiber.Ctx) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := a.Community.Reply(c.UserContext(), currentUser(c), c.Params("id"), in.Body)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": p.ID, "html": p.HTML})
}

func (a *App) apiEditPost(c *fiber.Ctx) error {
	var in struct {
		Body string `json:"body"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	p, err := a.Community.Edit(c.UserContext(), currentUser(c), c.Params("id"), in.Body)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"id": p.ID, "html": p.HTML})
}

func (a *App) apiAccept(c *fiber.Ctx) error {
	t, err := a.Community.Accept(c.UserContext(), currentUser(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"thread": t.ID, "accepted": t.Accepted})
}

func (a *App) apiFlag(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := a.Community.FlagPost(c.UserContext(), currentUser(c), c.Params("id"), in.Reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusCreated)
}

func (a *App) apiHide(c *fiber.Ctx) error {
	var in struct {
		Reason string `json:"reason"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := a.Community.SetHidden(c.UserContext(), currentUser(c), c.Params("id"), true, in.Reason); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiSearch(c *fiber.Ctx) error {
	p, err := a.Community.Search(c.UserContext(), currentUser(c), c.Query("q"), c.Query("space"), c.Query("after"))
	if err != nil {
		return err
	}
	results := make([]fiber.Map, 0, len(p.Results))
	for _, post := range p.Results {
		m := postJSON(post, false)
		m["threadId"] = post.ThreadID
		results = append(results, m)
	}
	return c.JSON(fiber.Map{"results": results, "next": p.Next})
}

func (a *App) apiReact(c *fiber.Ctx) error {
	var in struct {
		Kind string `json:"kind"`
		On   bool   `json:"on"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if err := a.Community.React(c.UserContext(), currentUser(c), c.Params("id"), in.Kind, in.On); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
