package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"ardoise/courses"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// moduleStore runs `module import` and `module export` against the store.
func moduleStore(ctx context.Context, cmd, target string, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("module "+cmd, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	owner := fs.String("owner", "", "email of the trainer who owns the module")
	slug := fs.String("slug", "", "module slug (default: the folder or zip name)")
	publish := fs.String("publish", "", "publish the imported draft with this change note")
	version := fs.Int("version", 0, "version to export (0: the draft)")
	out := fs.String("out", "", "zip file to write (default: SLUG.zip)")
	if err := fs.Parse(args); err != nil {
		return &usageError{err.Error() + "\n" + moduleUsage}
	}
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	if cmd == "export" {
		src, err := sys.Courses.Export(ctx, target, *version)
		if err != nil {
			return err
		}
		raw, err := src.Zip(target)
		if err != nil {
			return err
		}
		path := *out
		if path == "" {
			path = target + ".zip"
		}
		if err := os.WriteFile(path, raw, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "exported %s (%d files, sha256 %s) to %s\n", target, len(src.Files), src.Hash()[:12], path)
		return nil
	}
	if *owner == "" {
		return &usageError{"module import needs --owner EMAIL (a trainer or an admin)"}
	}
	u, err := sys.Profile.FindUser(ctx, *owner)
	if err != nil {
		return explain(err)
	}
	if !u.Has(profile.RoleTrainer) {
		return fmt.Errorf("%s is not a trainer: %w", u.Email, errkind.ErrForbidden)
	}
	src, err := readSource(target)
	if err != nil {
		return err
	}
	if *slug == "" {
		*slug = slugOf(target)
	}
	author := courses.Author{ID: u.ID, Admin: u.Has(profile.RoleAdmin)}
	_, problems, err := sys.Courses.SaveDraft(ctx, author, *slug, src)
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s: %s\n", p.File+":"+fmt.Sprint(p.Line), p.Msg)
	}
	fmt.Fprintf(stdout, "draft of %s saved (%d files, %d problems)\n", *slug, len(src.Files), len(problems))
	if *publish != "" {
		v, err := sys.Courses.Publish(ctx, author, *slug, *publish)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "published %s version %d\n", *slug, v.Number)
	}
	return nil
}
