package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ardoise/assessments"
	"ardoise/assessments/content"
	"ardoise/courses"
	"ardoise/internal/markdown"
)

const moduleUsage = `usage:
  ardoise module check DIR|ZIP
  ardoise module import DIR|ZIP --owner EMAIL [--slug SLUG] [--publish NOTE]
  ardoise module export SLUG [--version N] [--out FILE.zip]
  ardoise module rerender [--all]   render published versions again from their Markdown
                                    (those rendered by an older sanitizing policy; --all: every one)`

// runModule implements `ardoise module check|import|export`.
func runModule(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) >= 1 && args[0] == "rerender" {
		return rerenderModules(ctx, args[1:], stdout)
	}
	if len(args) < 2 {
		return &usageError{moduleUsage}
	}
	switch args[0] {
	case "check":
		if len(args) != 2 {
			return &usageError{moduleUsage}
		}
		return checkModule(args[1], stdout, stderr)
	case "import", "export":
		return moduleStore(ctx, args[0], args[1], args[2:], stdout, stderr)
	}
	return &usageError{moduleUsage}
}

// readSource reads a module folder or zip.
func readSource(where string) (courses.Source, error) {
	if strings.HasSuffix(strings.ToLower(where), ".zip") {
		raw, err := os.ReadFile(where)
		if err != nil {
			return courses.Source{}, err
		}
		return courses.SourceFromZip(raw)
	}
	return courses.SourceFromFS(os.DirFS(where))
}

func slugOf(where string) string {
	return strings.TrimSuffix(filepath.Base(filepath.Clean(where)), filepath.Ext(where))
}

// checkModule parses a module source and prints every problem with its file and line.
func checkModule(where string, stdout, stderr io.Writer) error {
	src, err := readSource(where)
	if err != nil {
		return fmt.Errorf("module %s: %w", where, err)
	}
	known, err := competenceIDs()
	if err != nil {
		return err
	}
	m, problems := courses.Parse(slugOf(where), src, known)
	for _, p := range problems {
		fmt.Fprintf(stdout, "%s: %s\n", filepath.Join(where, p.File)+":"+fmt.Sprint(p.Line), p.Msg)
	}
	if len(problems) > 0 {
		return fmt.Errorf("module check: %d problems in %s", len(problems), where)
	}
	fmt.Fprintf(stderr, "module %s: no problem (%d pages, %d quizzes, %d min)\n", m.Slug, len(m.Pages), len(m.Quizzes()), m.DurationMinutes)
	return nil
}

// competenceIDs returns a lookup of the referentials' competence ids.
func competenceIDs() (func(string) bool, error) {
	src, err := assessments.SourcesFrom(content.FS)
	if err != nil {
		return nil, err
	}
	bank, _ := assessments.Load(src)
	ids := map[string]bool{}
	for _, f := range bank.Frameworks {
		for _, c := range f.Competences {
			ids[c.ID] = true
		}
	}
	return func(id string) bool { return ids[id] }, nil
}

// rerenderModules implements `ardoise module rerender [--all]`.
func rerenderModules(ctx context.Context, args []string, stdout io.Writer) error {
	all := false
	for _, a := range args {
		if a != "--all" && a != "-all" {
			return &usageError{moduleUsage}
		}
		all = true
	}
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	rep, err := sys.Courses.Rerender(ctx, all)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d published versions, %d rendered again with policy %s\n", rep.Versions, rep.Rerendered, markdown.PolicyVersion)
	return nil
}
