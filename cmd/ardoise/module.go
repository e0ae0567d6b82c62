package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"ardoise/assessments"
	"ardoise/assessments/content"
	"ardoise/courses"
)

// runModule implements `ardoise module check DIR|ZIP`: it parses a module
// source and prints every problem with its file and line. (Import, export
// and publication come with the courses store.)
func runModule(args []string, stdout, stderr io.Writer) error {
	if len(args) != 2 || args[0] != "check" {
		return &usageError{"usage: ardoise module check DIR|ZIP"}
	}
	where := args[1]
	var src courses.Source
	var err error
	if strings.HasSuffix(strings.ToLower(where), ".zip") {
		raw, rerr := os.ReadFile(where)
		if rerr != nil {
			return rerr
		}
		src, err = courses.SourceFromZip(raw)
	} else {
		src, err = courses.SourceFromFS(os.DirFS(where))
	}
	if err != nil {
		return fmt.Errorf("module %s: %w", where, err)
	}
	known, err := competenceIDs()
	if err != nil {
		return err
	}
	slug := strings.TrimSuffix(filepath.Base(where), filepath.Ext(where))
	m, problems := courses.Parse(slug, src, known)
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
