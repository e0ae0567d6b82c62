package web

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/certificates"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Public verification is rate-limited per address: codes are unguessable
// (about 49 bits), and the limit keeps anyone from trying many.
const (
	verifyLimit  = 30
	verifyWindow = time.Minute
)

// verifyView is what the public verification page shows, and nothing else.
type verifyView struct {
	Code   string
	Result *certificates.Public
	Hours  string
}

func (a *App) limitVerify(c *fiber.Ctx) error {
	return a.allowOrRefuse(c, "verify:"+c.IP(), verifyLimit, verifyWindow)
}

// verifyForm asks for a code; with ?code= it goes to that code's page.
func (a *App) verifyForm(c *fiber.Ctx) error {
	if code := c.Query("code"); code != "" {
		if n, ok := certificates.NormalizeCode(code); ok {
			return c.Redirect("/verifier/"+n, fiber.StatusSeeOther)
		}
		return a.render(c, fiber.StatusNotFound, "verify", page{Title: "verify.title", Data: verifyView{Code: code}})
	}
	return a.render(c, fiber.StatusOK, "verify", page{Title: "verify.title", Data: verifyView{}})
}

// verifyShow is the public page of an attestation: validity, holder,
// title, hours, date, revocation.
func (a *App) verifyShow(c *fiber.Ctx) error {
	if err := a.limitVerify(c); err != nil {
		return err
	}
	v := verifyView{Code: c.Params("code")}
	pub, err := a.Certificates.Verify(c.UserContext(), v.Code)
	if errkind.IsNotFound(err) {
		return a.render(c, fiber.StatusNotFound, "verify", page{Title: "verify.title", Data: v})
	}
	if err != nil {
		return err
	}
	v.Result, v.Hours = pub, durationText(lang(c), int(pub.Hours*60+0.5))
	return a.render(c, fiber.StatusOK, "verify", page{Title: "verify.title", Data: v})
}

// apiVerify is the API form of the public verification.
func (a *App) apiVerify(c *fiber.Ctx) error {
	if err := a.limitVerify(c); err != nil {
		return err
	}
	pub, err := a.Certificates.Verify(c.UserContext(), c.Params("code"))
	if err != nil {
		return err
	}
	return c.JSON(pub)
}

// attestationPDF sends an attestation's PDF to its holder (or an admin).
func (a *App) attestationPDF(c *fiber.Ctx) error {
	u := currentUser(c)
	id := c.Params("id")
	pdf, cert, err := a.Certificates.PDF(c.UserContext(), id, u.ID, u.Has(profile.RoleAdmin))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/pdf")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="attestation-`+cert.Code+`.pdf"`)
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(pdf)
}
