package web

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"ardoise/certificates"
)

// jwks is GET /.well-known/jwks.json: the issuer's public keys, every one
// that ever signed, so that older credentials still verify.
func (a *App) jwks(c *fiber.Ctx) error {
	set, err := a.Certificates.JWKS(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "public, max-age=300")
	c.Set(fiber.HeaderContentType, "application/jwk-set+json")
	raw, err := json.Marshal(set)
	if err != nil {
		return err
	}
	return c.Send(raw)
}

// credentialIssuer is GET /credentials/issuer: the issuer's Open Badges Profile.
func (a *App) credentialIssuer(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
	return c.JSON(a.Certificates.Issuer())
}

// credentialStatus is GET /credentials/status/{list}: the list's
// BitstringStatusListCredential, signed (application/vc+jwt).
func (a *App) credentialStatus(c *fiber.Ctx) error {
	jwt, err := a.Certificates.StatusList(c.UserContext(), c.Params("list"))
	if err != nil {
		return err
	}
	// A suspension is seen within a minute by a verifier that caches.
	c.Set(fiber.HeaderCacheControl, "public, max-age=60")
	c.Set(fiber.HeaderContentType, "application/jwt")
	return c.SendString(jwt)
}

// apiCredential is GET /api/v1/certificates/{id}/credential: the holder's
// credential as a VC-JWT (another's is 404).
func (a *App) apiCredential(c *fiber.Ctx) error {
	cert, err := a.Certificates.CredentialFor(c.UserContext(), c.Params("id"), currentUser(c).ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "application/jwt")
	return c.SendString(cert.CredentialJWT())
}

// credentialDownload is GET /profil/attestations/{id}.jwt: the same, as a
// file the holder saves (its name is built from the code, never from input).
func (a *App) credentialDownload(c *fiber.Ctx) error {
	cert, err := a.Certificates.CredentialFor(c.UserContext(), c.Params("id"), currentUser(c).ID)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, "application/jwt")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+credentialFileName(cert)+`.jwt"`)
	return c.SendString(cert.CredentialJWT())
}

// credentialJSON is GET /profil/attestations/{id}.json: the credential's
// content, readable (the JWT's payload, indented).
func (a *App) credentialJSON(c *fiber.Ctx) error {
	cert, err := a.Certificates.CredentialFor(c.UserContext(), c.Params("id"), currentUser(c).ID)
	if err != nil {
		return err
	}
	parts := strings.Split(cert.CredentialJWT(), ".")
	if len(parts) != 3 {
		return fiber.ErrInternalServerError
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return err
	}
	var out bytes.Buffer
	if err := json.Indent(&out, payload, "", "  "); err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	c.Set(fiber.HeaderContentDisposition, `inline; filename="`+credentialFileName(cert)+`.json"`)
	return c.Send(out.Bytes())
}

// credentialFileName is a credential's file name: its kind and its code.
func credentialFileName(cert *certificates.Certificate) string {
	if cert.Kind == certificates.KindCertification {
		return "certificat-" + cert.Code
	}
	return "attestation-" + cert.Code
}
