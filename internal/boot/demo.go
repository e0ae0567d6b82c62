package boot

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"ardoise/internal/errkind"
	"ardoise/internal/keyring"
	"ardoise/profile"
)

// DemoAccount is one seeded account and, when it was just created, its password.
type DemoAccount struct {
	Email    string
	Role     profile.Role
	Password string // empty when the account already existed
}

var demoAccounts = []struct {
	email, name string
	role        profile.Role
	kind        profile.Kind
	territory   string
}{
	{"enseignante@demo.ardoise.test", "Camille Martin", profile.RoleLearner, profile.KindTeacher, "lyon/69/Lyon 3e/0691234A"},
	{"parent@demo.ardoise.test", "Sami Benali", profile.RoleLearner, profile.KindParent, ""},
	{demoTrainer, "Louise Bernard", profile.RoleTrainer, profile.KindTeacher, "lyon/69"},
	{"inspectrice@demo.ardoise.test", "Nadia Rousseau", profile.RoleInspector, profile.KindTeacher, "lyon/69"},
	{"admin@demo.ardoise.test", "Hugo Petit", profile.RoleAdmin, profile.KindTeacher, ""},
}

// demoTrainer owns the sample modules.
const demoTrainer = "formateur@demo.ardoise.test"

// DemoFile is where the passwords of new demo accounts are written, mode 0600.
func (s *System) DemoFile() string { return filepath.Join(s.Cfg.DataDir, "demo-accounts.txt") }

// SeedDemo creates the demo accounts that do not exist yet. Running it again
// changes nothing; passwords exist only for accounts it just created.
func (s *System) SeedDemo(ctx context.Context) ([]DemoAccount, error) {
	var created []DemoAccount
	for _, d := range demoAccounts {
		if _, err := s.Profile.FindUser(ctx, d.email); err == nil {
			continue
		} else if !errors.Is(err, errkind.ErrNotFound) {
			return nil, err
		}
		pw := strings.ReplaceAll(keyring.RandomToken(12), "_", "x")
		in := profile.CreateInput{Role: d.role, RegisterInput: profile.RegisterInput{
			Email: d.email, Password: pw, Name: d.name, Kind: string(d.kind), Territory: profile.ParseTerritory(d.territory),
		}}
		if d.territory == "" {
			in.Territory = profile.Territory{}
		}
		if _, err := s.Profile.Create(ctx, in); err != nil {
			return nil, fmt.Errorf("boot: demo account %s: %w", d.email, err)
		}
		created = append(created, DemoAccount{Email: d.email, Role: d.role, Password: pw})
	}
	if len(created) == 0 {
		return nil, nil
	}
	f, err := os.OpenFile(s.DemoFile(), os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o600)
	if err != nil {
		return created, fmt.Errorf("boot: %w", err)
	}
	defer f.Close()
	for _, a := range created {
		fmt.Fprintf(f, "%-12s %-32s %s\n", a.Role, a.Email, a.Password)
	}
	return created, f.Chmod(0o600)
}
