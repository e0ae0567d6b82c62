package web

import (
	"github.com/gofiber/fiber/v2"

	"ardoise/certificates"
	"ardoise/internal/errkind"
)

// adminCertView is the admin's view of one attestation, found by its code.
type adminCertView struct {
	Code        string
	Certificate *certificates.Certificate
	NotFound    bool
	Notice      string
}

func (a *App) adminCertificates(c *fiber.Ctx) error {
	return a.renderAdminCert(c, fiber.StatusOK, c.Query("code"), c.Query("fait"), nil)
}

func (a *App) renderAdminCert(c *fiber.Ctx, status int, code, notice string, errs map[string]string) error {
	v := adminCertView{Code: code}
	if notice != "" {
		v.Notice = "admin.certs.notice." + notice
	}
	if code != "" {
		n, ok := certificates.NormalizeCode(code)
		var err error
		if ok {
			v.Certificate, err = a.Certificates.ByCode(c.UserContext(), n)
		}
		switch {
		case !ok || errkind.IsNotFound(err):
			v.NotFound = true
		case err != nil:
			return err
		}
	}
	return a.render(c, status, "admin_certificates", page{Title: "admin.certs.title", Data: v, Errors: errs})
}

// adminCertState revokes or reinstates an attestation, with a reason.
func (a *App) adminCertState(revoke bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		actor := currentUser(c).ID
		var cert *certificates.Certificate
		var err error
		if revoke {
			cert, err = a.Certificates.Revoke(c.UserContext(), actor, c.Params("id"), c.FormValue("motif"))
		} else {
			cert, err = a.Certificates.Reinstate(c.UserContext(), actor, c.Params("id"), c.FormValue("motif"))
		}
		if v, ok := asValidation(err); ok {
			return a.renderAdminCert(c, fiber.StatusUnprocessableEntity, c.FormValue("code"), "", a.formErrors(c, v))
		}
		if err != nil {
			return err
		}
		notice := "reinstated"
		if revoke {
			notice = "revoked"
		}
		return c.Redirect("/admin/attestations?code="+cert.Code+"&fait="+notice, fiber.StatusSeeOther)
	}
}
