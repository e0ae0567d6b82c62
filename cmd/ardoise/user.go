package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"text/tabwriter"

	"ardoise/internal/boot"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

const userUsage = `usage:
  ardoise user create --email E --name N --role R [--kind teacher|parent] [--territory ACADÉMIE/DÉPARTEMENT[/CIRCONSCRIPTION[/UAI]]] --password-stdin
  ardoise user list [--search TEXT]
  ardoise user set-role --email E --role learner|trainer|inspector|admin [--reason TEXT]
  ardoise user set-scope --email E --scope ACADÉMIE[/DÉPARTEMENT[/CIRCONSCRIPTION]] [--reason TEXT]
  ardoise user suspend --email E [--reason TEXT]
  ardoise user reactivate --email E [--reason TEXT]`

// runUser runs the account commands. On the embedded store they need the
// server stopped (boot.Open refuses otherwise, saying so).
func runUser(ctx context.Context, args []string, cfg boot.Config, logger *slog.Logger, stdin io.Reader, stdout io.Writer) error {
	if len(args) == 0 {
		return &usageError{userUsage}
	}
	sub := args[0]
	fs := flag.NewFlagSet("user "+sub, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "email address")
	name := fs.String("name", "", "full name")
	role := fs.String("role", "", "role")
	kind := fs.String("kind", "teacher", "teacher or parent")
	territory := fs.String("territory", "", "ACADÉMIE/DÉPARTEMENT[/CIRCONSCRIPTION[/UAI]]")
	pwStdin := fs.Bool("password-stdin", false, "read the password from standard input")
	reason := fs.String("reason", "", "why (written to the audit log)")
	search := fs.String("search", "", "filter")
	scopeFlag := fs.String("scope", "", "ACADÉMIE[/DÉPARTEMENT[/CIRCONSCRIPTION]]: what an inspector oversees")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{err.Error() + "\n" + userUsage}
	}
	switch sub {
	case "create", "list", "set-role", "set-scope", "suspend", "reactivate":
	default:
		return &usageError{fmt.Sprintf("unknown user command %q\n%s", sub, userUsage)}
	}
	if sub != "list" && *email == "" {
		return &usageError{"--email is required\n" + userUsage}
	}
	if sub == "create" && !*pwStdin {
		return &usageError{"user create reads the password from standard input: pass --password-stdin (never put a password on the command line)"}
	}
	if sub == "create" || sub == "set-role" {
		if _, ok := profile.ParseRole(*role); !ok {
			return &usageError{fmt.Sprintf("--role must be one of learner, trainer, inspector, admin (got %q)", *role)}
		}
	}
	if sub == "set-scope" {
		if _, err := profile.ParseScope(*scopeFlag); err != nil {
			return &usageError{"--scope: " + explain(err).Error() + ": want ACADÉMIE[/DÉPARTEMENT[/CIRCONSCRIPTION]], without a school"}
		}
	}
	var password string
	if sub == "create" {
		line, err := bufio.NewReader(stdin).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return fmt.Errorf("read password: %w", err)
		}
		password = strings.TrimRight(line, "\r\n")
	}
	sys, err := openForCommand(ctx, &cfg)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	p := sys.Profile
	if strings.TrimSpace(*reason) == "" {
		*reason = "commande ardoise user " + sub
	}
	switch sub {
	case "create":
		u, err := p.Create(ctx, profile.CreateInput{Role: profile.Role(*role), RegisterInput: profile.RegisterInput{
			Email: *email, Password: password, Name: *name, Kind: *kind, Territory: profile.ParseTerritory(*territory),
		}})
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "created %s (%s, %s) id %s handle @%s\n", u.Email, u.MainRole(), u.Kind, u.ID, u.Handle)
		if u.Has(profile.RoleInspector) {
			fmt.Fprintf(stdout, "scope %s\n", profile.FormatScope(u.Scope))
		}
	case "list":
		return listUsers(ctx, p, *search, stdout)
	default:
		u, err := p.FindUser(ctx, *email)
		if err != nil {
			return explain(err)
		}
		switch sub {
		case "set-role":
			u, err = p.SetRole(ctx, profile.CLI, u.ID, profile.Role(*role), *reason)
		case "set-scope":
			u, err = p.SetScope(ctx, profile.CLI, u.ID, *scopeFlag, *reason)
			if err == nil {
				fmt.Fprintf(stdout, "%s: scope %s\n", u.Email, profile.FormatScope(u.Scope))
				return nil
			}
		case "suspend":
			u, err = p.SetSuspended(ctx, profile.CLI, u.ID, true, *reason)
		case "reactivate":
			u, err = p.SetSuspended(ctx, profile.CLI, u.ID, false, *reason)
		}
		if err != nil {
			return explain(err)
		}
		fmt.Fprintf(stdout, "%s: role %s, suspended %t\n", u.Email, u.MainRole(), u.Suspended)
	}
	return nil
}

func listUsers(ctx context.Context, p *profile.Service, search string, stdout io.Writer) error {
	tw := tabwriter.NewWriter(stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tEMAIL\tNAME\tHANDLE\tROLE\tKIND\tVERIFIED\tSUSPENDED")
	after := ""
	for {
		pg, err := p.ListUsers(ctx, search, after, 200)
		if err != nil {
			return err
		}
		for _, u := range pg.Users {
			fmt.Fprintf(tw, "%s\t%s\t%s\t@%s\t%s\t%s\t%t\t%t\n", u.ID, u.Email, u.Name, u.Handle, u.MainRole(), u.Kind, u.EmailVerified, u.Suspended)
		}
		if pg.Next == "" {
			break
		}
		after = pg.Next
	}
	return tw.Flush()
}

// explain turns a validation error into one line per field for the terminal.
func explain(err error) error {
	var v *errkind.ValidationError
	if errors.As(err, &v) {
		var b strings.Builder
		for i, f := range v.Fields {
			if i > 0 {
				b.WriteString("; ")
			}
			field := strings.TrimPrefix(f.Field, "territory.")
			if rest, ok := strings.CutPrefix(field, "scope."); ok {
				field = "scope (" + rest + ")"
			}
			fmt.Fprintf(&b, "--%s: %s", field, f.Code)
		}
		return errors.New(b.String())
	}
	if errors.Is(err, errkind.ErrNotFound) {
		return errors.New("no account with this email")
	}
	return err
}
