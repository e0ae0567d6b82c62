package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"ardoise/assessments"
	"ardoise/assessments/content"
	"ardoise/courses"
	modules "ardoise/courses/content"
)

const contentUsage = "usage: ardoise content check [--dir DIR] | ardoise content links [--dir DIR] [--timeout 10s]"

// runContent implements `ardoise content check|links [--dir DIR]`. Without
// --dir it reads ./assessments/content when it exists (the files a trainer
// edits), else the content built into the binary.
//
// check validates the referentials and the item bank, prints every problem
// with its file and line, then the audit: the answer keys' position and
// length cues per framework, challenges never reviewed, overdue reviews, and
// challenges that repeat a training module's quiz. It fails on any problem,
// on a length cue above the limit, on an unreviewed challenge or a repeat;
// an overdue review is reported without failing.
//
// links fetches every tutorial and source URL and lists those that fail: an
// operator command for a machine with internet, not part of the tests.
func runContent(args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || (args[0] != "check" && args[0] != "links") {
		return &usageError{contentUsage}
	}
	fs := flag.NewFlagSet("content "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	dir := fs.String("dir", "", "content directory")
	timeout := fs.Duration("timeout", 10*time.Second, "time allowed for each link (links)")
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{err.Error()}
	}
	src, where, err := contentSources(*dir)
	if err != nil {
		return err
	}
	bank, problems := assessments.Load(src)
	printProblems := func(ps []assessments.Problem) {
		for _, p := range ps {
			fmt.Fprintln(stdout, filepath.Join(where, p.File)+":"+fmt.Sprint(p.Line)+": "+p.Msg)
		}
	}
	printProblems(problems)
	if len(problems) > 0 {
		return fmt.Errorf("content check: %d problems in %s", len(problems), where)
	}
	if args[0] == "links" {
		return checkLinks(context.Background(), bank, nil, *timeout, stdout, stderr)
	}
	for _, f := range bank.Frameworks {
		byLevel := map[int]int{}
		for _, c := range f.Challenges {
			byLevel[c.Level]++
		}
		fmt.Fprintf(stderr, "%s: %d competences, %d challenges (by level: %v)\n", f.ID, len(f.Competences), len(f.Challenges), byLevel)
	}
	audit := assessments.AuditBank(bank, time.Now().Format("2006-01-02"))
	for _, fa := range audit.Frameworks {
		fmt.Fprintln(stderr, fa)
	}
	quizzes, err := moduleQuestions()
	if err != nil {
		return err
	}
	repeats := bank.Repeats(quizzes)
	printProblems(audit.Failures)
	printProblems(repeats)
	for _, p := range audit.Overdue {
		fmt.Fprintln(stderr, "review overdue: "+filepath.Join(where, p.File)+":"+fmt.Sprint(p.Line)+": "+p.Msg)
	}
	if n := len(audit.Failures) + len(repeats); n > 0 {
		return fmt.Errorf("content check: %d findings in %s", n, where)
	}
	fmt.Fprintf(stderr, "content %s: no problem (version %s, %d reviews overdue)\n", where, bank.Version, len(audit.Overdue))
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

// moduleQuestions returns the quiz questions of the training modules shipped
// with Ardoise, each with its proposals.
func moduleQuestions() ([]assessments.Question, error) {
	dirs, err := fs.ReadDir(modules.FS, ".")
	if err != nil {
		return nil, err
	}
	var out []assessments.Question
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		sub, err := fs.Sub(modules.FS, d.Name())
		if err != nil {
			return nil, err
		}
		src, err := courses.SourceFromFS(sub)
		if err != nil {
			return nil, fmt.Errorf("module %s: %w", d.Name(), err)
		}
		m, _ := courses.Parse(d.Name(), src, func(string) bool { return true })
		for _, q := range m.Quizzes() {
			text := q.QuestionHTML
			for _, p := range q.Proposals {
				text += " " + p.HTML
			}
			out = append(out, assessments.Question{Where: d.Name() + "/" + q.Page + " " + q.ID, Text: text})
		}
	}
	return out, nil
}
