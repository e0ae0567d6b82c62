package web

import (
	"io"

	"github.com/gofiber/fiber/v2"

	"ardoise/community"
	"ardoise/internal/errkind"
)

// notificationsView is a person's notifications.
type notificationsView struct {
	Notes  []community.Notification
	Unread int
}

func (a *App) communityNotifications(c *fiber.Ctx) error {
	notes, unread, err := a.Community.Notifications(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "community_notifications", page{Title: "community.notifications.title",
		Data: notificationsView{Notes: notes, Unread: unread}})
}

func (a *App) communityMarkRead(c *fiber.Ctx) error {
	if err := a.Community.MarkRead(c.UserContext(), currentUser(c).ID); err != nil {
		return err
	}
	return c.Redirect("/communaute/notifications", fiber.StatusSeeOther)
}

func (a *App) apiNotifications(c *fiber.Ctx) error {
	notes, unread, err := a.Community.Notifications(c.UserContext(), currentUser(c).ID)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"notifications": notes, "unread": unread})
}

// communitySubscribe follows or stops following a space or a thread, then
// goes back to it.
func (a *App) communitySubscribe(c *fiber.Ctx) error {
	kind, id, on := c.FormValue("type"), c.FormValue("id"), c.FormValue("suivre") == "1"
	if err := a.Community.SetSubscribed(c.UserContext(), currentUser(c), kind, id, on); err != nil {
		return err
	}
	target := "/communaute/" + id
	if kind == "thread" {
		target = "/communaute/fils/" + id
	}
	return c.Redirect(target+"?fait=subscription", fiber.StatusSeeOther)
}

// communityDigest records how the person wants community emails (from the profile).
func (a *App) communityDigest(c *fiber.Ctx) error {
	err := a.Community.SetDigest(c.UserContext(), currentUser(c).ID, c.FormValue("digest"))
	if err != nil {
		return err
	}
	return c.Redirect("/profil?courriels=1#courriels", fiber.StatusSeeOther)
}

// communityUnsubscribe is the one-click link of the emails: no login, a signature.
func (a *App) communityUnsubscribe(c *fiber.Ctx) error {
	if err := a.Community.Unsubscribe(c.UserContext(), c.Query("u"), c.Query("s")); err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "message", page{Title: "community.unsubscribed.title", Data: "community.unsubscribed.text"})
}

// cardView is a member's public card.
type cardView struct {
	Card *community.Card
}

func (a *App) communityCard(c *fiber.Ctx) error {
	ctx := c.UserContext()
	card, err := a.Community.CardOf(ctx, c.Params("handle"), func(userID string) int {
		certs, err := a.Certificates.ForHolder(ctx, userID)
		if err != nil {
			return 0
		}
		n := 0
		for _, cert := range certs {
			if !cert.Revoked {
				n++
			}
		}
		return n
	})
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "community_card", page{Title: "community.card.title", Data: cardView{Card: card}})
}

// mineView is a person's own threads and subscriptions.
type mineView struct {
	Threads []community.Thread
	Subs    []community.Subscription
}

func (a *App) communityMine(c *fiber.Ctx) error {
	u := currentUser(c)
	threads, err := a.Community.ThreadsBy(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	subs, err := a.Community.SubscriptionsOf(c.UserContext(), u.ID)
	if err != nil {
		return err
	}
	return a.render(c, fiber.StatusOK, "community_mine", page{Title: "community.mine.title", Data: mineView{Threads: threads, Subs: subs}})
}

// communityUpload stores an image for a post and shows the Markdown that
// places it (the form works without JavaScript).
func (a *App) communityUpload(c *fiber.Ctx) error {
	data, err := uploadedFile(c, "image", community.MaxImage)
	if err != nil {
		return err
	}
	u, err := a.Community.UploadImage(c.UserContext(), currentUser(c), data)
	if err != nil {
		return err
	}
	if isAPI(c) {
		return c.Status(fiber.StatusCreated).JSON(fiber.Map{"url": u, "markdown": "![description](" + u + ")"})
	}
	return a.render(c, fiber.StatusOK, "community_image", page{Title: "community.image.title", Data: "![description](" + u + ")"})
}

// communityImage serves an uploaded image: content-addressed, so cached for a year.
func (a *App) communityImage(c *fiber.Ctx) error {
	data, ct, err := a.Community.Image(c.UserContext(), c.Params("file"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, ct)
	c.Set(fiber.HeaderCacheControl, "public, max-age=31536000, immutable")
	c.Set("X-Content-Type-Options", "nosniff")
	return c.Send(data)
}

// uploadedFile reads the file of a multipart field, at most limit bytes.
func uploadedFile(c *fiber.Ctx, field string, limit int64) ([]byte, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, errkind.Invalid(field, "required")
	}
	if fh.Size > limit {
		return nil, errkind.Invalid(field, "image_too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit+1))
}
