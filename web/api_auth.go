package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// decodeJSON reads a JSON body into v. Wrong types and unknown fields are
// field errors; a body that is not JSON at all is a clear 400.
func decodeJSON(c *fiber.Ctx, v any) error {
	if !strings.HasPrefix(c.Get(fiber.HeaderContentType), fiber.MIMEApplicationJSON) {
		return errkind.Invalid("body", "json_required")
	}
	dec := json.NewDecoder(bytes.NewReader(c.Body()))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	var te *json.UnmarshalTypeError
	switch {
	case err == nil:
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			return errkind.Invalid("body", "bad_json")
		}
		return nil
	case errors.As(err, &te):
		field := te.Field
		if field == "" {
			field = "body"
		}
		return errkind.Invalid(field, "bad_type")
	case strings.HasPrefix(err.Error(), "json: unknown field"):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return errkind.Invalid(name, "unknown_field")
	default:
		return errkind.Invalid("body", "bad_json")
	}
}

// meView is the JSON form of the signed-in account.
type meView struct {
	ID            string            `json:"id"`
	Email         string            `json:"email"`
	EmailVerified bool              `json:"emailVerified"`
	Name          string            `json:"name"`
	DisplayName   string            `json:"displayName,omitempty"`
	Handle        string            `json:"handle"`
	Kind          profile.Kind      `json:"kind"`
	Roles         []profile.Role    `json:"roles"`
	Territory     profile.Territory `json:"territory"`
	// Scope is what an inspector oversees, set by an admin.
	Scope *profile.Territory `json:"scope,omitempty"`
}

func meOf(u *profile.User) meView {
	v := meView{ID: u.ID, Email: u.Email, EmailVerified: u.EmailVerified, Name: u.Name, DisplayName: u.DisplayName,
		Handle: u.Handle, Kind: u.Kind, Roles: u.Roles, Territory: u.Territory}
	if u.Has(profile.RoleInspector) {
		scope := u.InspectionScope()
		v.Scope = &scope
	}
	return v
}

func (a *App) apiRegister(c *fiber.Ctx) error {
	var in profile.RegisterInput
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	if in.Locale == "" {
		in.Locale = lang(c)
	}
	u, err := a.Profile.RegisterFrom(c.UserContext(), in, c.IP())
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"id": u.ID})
}

func (a *App) apiToken(c *fiber.Ctx) error {
	var in struct {
		Email    string `json:"email"`
		Password string `json:"password"`
		Label    string `json:"label"`
	}
	if err := decodeJSON(c, &in); err != nil {
		return err
	}
	v := &errkind.ValidationError{}
	if in.Email == "" {
		v.Add("email", "required")
	}
	if in.Password == "" {
		v.Add("password", "required")
	}
	if err := v.Err(); err != nil {
		return err
	}
	u, err := a.Profile.Authenticate(c.UserContext(), in.Email, in.Password, c.IP())
	if err != nil {
		return err
	}
	label := strings.TrimSpace(in.Label)
	if label == "" || len([]rune(label)) > 60 {
		label = "API " + time.Now().UTC().Format("2006-01-02")
	}
	token, t, err := a.Profile.CreateToken(c.UserContext(), u, label)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"token": token, "expiresAt": t.ExpiresAt.Format(time.RFC3339)})
}

func (a *App) apiRevokeToken(c *fiber.Ctx) error {
	id, ok := c.Locals(localBearer).(string)
	if !ok {
		return fmt.Errorf("web: revoke needs the bearer token itself: %w", errkind.ErrUnauthenticated)
	}
	if err := a.Profile.RevokeToken(c.UserContext(), currentUser(c).ID, id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (a *App) apiMe(c *fiber.Ctx) error {
	return c.JSON(meOf(currentUser(c)))
}
