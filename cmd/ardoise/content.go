package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"ardoise/assessments"
	"ardoise/assessments/content"
)

// runContent implements `ardoise content check [--dir DIR]`: it validates the
// referentials and the item bank and prints every problem with its file and
// line. Without --dir it checks ./assessments/content when it exists (the
// files a trainer edits), else the content built into the binary.
func runContent(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "check" {
		return &usageError{"usage: ardoise content check [--dir DIR]"}
	}
	fs := flag.NewFlagSet("content check", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("dir", "", "content directory")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{err.Error()}
	}
	src, where, err := contentSources(*dir)
	if err != nil {
		return err
	}
	bank, problems := assessments.Load(src)
	for _, p := range problems {
		fmt.Fprintln(stdout, filepath.Join(where, p.File)+":"+fmt.Sprint(p.Line)+": "+p.Msg)
	}
	for _, f := range bank.Frameworks {
		byLevel := map[int]int{}
		for _, c := range f.Challenges {
			byLevel[c.Level]++
		}
		fmt.Fprintf(stderr, "%s: %d competences, %d challenges (by level: %v)\n", f.ID, len(f.Competences), len(f.Challenges), byLevel)
	}
	if len(problems) > 0 {
		return fmt.Errorf("content check: %d problems in %s", len(problems), where)
	}
	fmt.Fprintf(stderr, "content %s: no problem (version %s)\n", where, bank.Version)
	return nil
}

func contentSources(dir string) (assessments.Sources, string, error) {
	if dir == "" {
		if st, err := os.Stat("assessments/content"); err == nil && st.IsDir() {
			dir = "assessments/content"
		}
	}
	if dir == "" {
		src, err := assessments.SourcesFrom(content.FS)
		return src, "(built-in content)", err
	}
	src, err := assessments.SourcesFrom(os.DirFS(dir))
	return src, dir, err
}
