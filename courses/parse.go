package courses

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"ardoise/internal/errkind"
	"ardoise/internal/markdown"
)

// Problem is one thing wrong in a module source, where it is written.
type Problem = errkind.Problem

var (
	slugRe   = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,62}$`)
	pageRe   = regexp.MustCompile(`^[0-9]{2}-[a-z0-9-]+\.md$`)
	quizIDRe = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	linkRe   = regexp.MustCompile(`\]\(((?:images|attachments)/[^)\s]+)`)
)

// Parse checks and renders a module source. known says whether a
// competence id exists in the referentials. The module is usable only when
// no problem is returned.
func Parse(slug string, src Source, known func(string) bool) (*Module, []Problem) {
	p := &parser{src: src, known: known, md: markdown.New(markdown.Options{ImagePrefixes: []string{"images/"}})}
	m := &Module{Slug: slug}
	if !slugRe.MatchString(slug) {
		p.add("", 0, "slug %q: use 2 to 63 lowercase letters, digits and dashes", slug)
	}
	p.header(m)
	var pages []string
	for n := range src.Files {
		if n == "module.md" || path.Dir(n) != "." {
			continue
		}
		if !pageRe.MatchString(n) {
			p.add(n, 1, "page files are named NN-name.md (two digits, lowercase, dashes)")
			continue
		}
		pages = append(pages, n)
	}
	sort.Strings(pages)
	if len(pages) == 0 {
		p.add("module.md", 1, "a module needs at least one page (01-introduction.md …)")
	}
	quizIDs := map[string]string{}
	for _, n := range pages {
		m.Pages = append(m.Pages, p.page(n, quizIDs))
	}
	return m, p.problems.Sorted()
}

type parser struct {
	src      Source
	known    func(string) bool
	md       *markdown.Renderer
	problems errkind.Problems
}

func (p *parser) add(file string, line int, format string, args ...any) {
	p.problems.Add(file, line, format, args...)
}

// frontMatter splits "---\nYAML\n---\nbody" and returns the YAML root, the
// body and the line the body starts on.
func (p *parser) frontMatter(file string) (*yaml.Node, string, int) {
	raw, ok := p.src.Files[file]
	if !ok {
		p.add(file, 0, "missing file")
		return nil, "", 0
	}
	text := strings.ReplaceAll(string(raw), "\r\n", "\n")
	if !strings.HasPrefix(text, "---\n") {
		p.add(file, 1, "the file must start with a front matter between two --- lines")
		return nil, text, 1
	}
	end := strings.Index(text[4:], "\n---")
	if end < 0 {
		p.add(file, 1, "the front matter is not closed by a --- line")
		return nil, "", 1
	}
	head := text[4 : 4+end]
	body := strings.TrimPrefix(text[4+end+4:], "\n")
	bodyLine := strings.Count(text[:4+end+4], "\n") + 2
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(head), &doc); err != nil {
		line := 1
		fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: line "), "%d", &line)
		p.add(file, line+1, "invalid front matter: %v", err)
		return nil, body, bodyLine
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.add(file, 2, "the front matter must be a mapping")
		return nil, body, bodyLine
	}
	shiftLines(doc.Content[0], 1)
	return doc.Content[0], body, bodyLine
}

// shiftLines moves node line numbers to file lines.
func shiftLines(n *yaml.Node, by int) {
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// decode reads known keys into out and reports unknown keys.
func (p *parser) decode(file string, n *yaml.Node, out any, allowed ...string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if !slices.Contains(allowed, n.Content[i].Value) {
			p.add(file, n.Content[i].Line, "unknown field %q (known: %s)", n.Content[i].Value, strings.Join(allowed, ", "))
		}
	}
	if err := n.Decode(out); err != nil {
		p.add(file, n.Line, "front matter: %v", err)
	}
}

type header struct {
	Title           string     `yaml:"title"`
	Summary         string     `yaml:"summary"`
	Audience        string     `yaml:"audience"`
	Competences     []string   `yaml:"competences"`
	DurationMinutes int        `yaml:"duration_minutes"`
	Nature          string     `yaml:"nature"`
	Prerequisites   []string   `yaml:"prerequisites"`
	Objectives      []string   `yaml:"objectives"`
	Completion      Completion `yaml:"completion"`
}

func (p *parser) header(m *Module) {
	root, body, bodyLine := p.frontMatter("module.md")
	if root == nil {
		return
	}
	var h header
	p.decode("module.md", root, &h, "title", "summary", "audience", "competences", "duration_minutes", "nature",
		"prerequisites", "objectives", "completion")
	line := func(key string) int {
		for i := 0; i+1 < len(root.Content); i += 2 {
			if root.Content[i].Value == key {
				return root.Content[i].Line
			}
		}
		return root.Line
	}
	if strings.TrimSpace(h.Title) == "" || len([]rune(h.Title)) > 120 {
		p.add("module.md", line("title"), "title is required (at most 120 characters)")
	} else if !singleLine(h.Title) {
		p.add("module.md", line("title"), "title is one line, without control characters")
	}
	if strings.TrimSpace(h.Summary) == "" {
		p.add("module.md", line("summary"), "summary is required")
	}
	if !slices.Contains([]string{AudienceTeachers, AudienceParents, AudienceAll}, h.Audience) {
		p.add("module.md", line("audience"), "audience %q: want teachers, parents or all", h.Audience)
	}
	if h.Nature == "" {
		h.Nature = "distance"
	}
	if !slices.Contains([]string{"distance", "hybrid", "session"}, h.Nature) {
		p.add("module.md", line("nature"), "nature %q: want distance, hybrid or session", h.Nature)
	}
	if len(h.Competences) == 0 {
		p.add("module.md", line("competences"), "competences: list the competences the module trains")
	}
	for _, c := range h.Competences {
		if p.known != nil && !p.known(c) {
			p.add("module.md", line("competences"), "unknown competence %q", c)
		}
	}
	if h.DurationMinutes < 5 || h.DurationMinutes > 60*40 {
		p.add("module.md", line("duration_minutes"), "duration_minutes: want whole minutes from 5 to 2400")
	}
	if c := h.Completion; c.MinActiveShare < 0 || c.MinActiveShare > 1 || c.MinQuizScore < 0 || c.MinQuizScore > 1 {
		p.add("module.md", line("completion"), "completion: min_active_share and min_quiz_score are between 0 and 1")
	}
	m.Title, m.Summary, m.Audience, m.Nature = h.Title, h.Summary, h.Audience, h.Nature
	m.Competences, m.DurationMinutes, m.Prerequisites, m.Objectives, m.Completion =
		h.Competences, h.DurationMinutes, h.Prerequisites, h.Objectives, h.Completion
	m.IntroHTML = p.render("module.md", bodyLine, body)
}

// render renders Markdown after checking its local links exist.
func (p *parser) render(file string, line int, src string) string {
	for _, img := range markdown.ImagePaths(src) {
		if len([]rune(img.Alt)) < 5 {
			p.add(file, line, "image %q needs an alternative text that describes it", img.Path)
		}
	}
	for _, m := range linkRe.FindAllStringSubmatch(src, -1) {
		if _, ok := p.src.Files[m[1]]; !ok {
			p.add(file, line+strings.Count(src[:strings.Index(src, m[1])], "\n"), "broken link: %s is not in the module", m[1])
		}
	}
	html, err := p.md.Render(src)
	if err != nil {
		p.add(file, line, "%v", err)
	}
	return html
}

var fenceRe = regexp.MustCompile("(?m)^```quiz[ \t]*$")

func (p *parser) page(file string, quizIDs map[string]string) Page {
	sum := sha256.Sum256(p.src.Files[file])
	pg := Page{ID: strings.TrimSuffix(file, ".md"), Hash: hex.EncodeToString(sum[:8])}
	root, body, bodyLine := p.frontMatter(file)
	if root != nil {
		var h struct {
			Title string `yaml:"title"`
		}
		p.decode(file, root, &h, "title")
		pg.Title = strings.TrimSpace(h.Title)
		if pg.Title == "" {
			p.add(file, root.Line, "title is required")
		} else if !singleLine(pg.Title) {
			p.add(file, root.Line, "title is one line, without control characters")
		}
	}
	rest, line := body, bodyLine
	for {
		loc := fenceRe.FindStringIndex(rest)
		if loc == nil {
			break
		}
		if text := rest[:loc[0]]; strings.TrimSpace(text) != "" {
			pg.Blocks = append(pg.Blocks, Block{HTML: p.render(file, line, text)})
		}
		startLine := line + strings.Count(rest[:loc[0]], "\n")
		after := rest[loc[1]:]
		end := strings.Index(after, "\n```")
		if end < 0 {
			p.add(file, startLine, "quiz block not closed by ```")
			return pg
		}
		q := p.quiz(file, startLine+1, after[:end], pg.ID)
		if q != nil {
			if other, dup := quizIDs[q.ID]; dup {
				p.add(file, startLine, "quiz id %q already used in %s", q.ID, other)
			}
			quizIDs[q.ID] = file
			pg.Blocks = append(pg.Blocks, Block{Quiz: q})
		}
		consumed := rest[:loc[1]] + after[:end+4]
		line += strings.Count(consumed, "\n")
		rest = strings.TrimPrefix(after[end+4:], "\n")
		line++
	}
	if strings.TrimSpace(rest) != "" {
		pg.Blocks = append(pg.Blocks, Block{HTML: p.render(file, line, rest)})
	}
	return pg
}

type quizSource struct {
	ID        string `yaml:"id"`
	Type      string `yaml:"type"`
	Question  string `yaml:"question"`
	Proposals []struct {
		ID       string `yaml:"id"`
		Text     string `yaml:"text"`
		Feedback string `yaml:"feedback"`
	} `yaml:"proposals"`
	Solution    yaml.Node `yaml:"solution"`
	Explanation string    `yaml:"explanation"`
}

func (p *parser) quiz(file string, line int, src, page string) *Quiz {
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(strings.TrimPrefix(src, "\n")), &doc); err != nil || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.add(file, line, "malformed quiz: %v", err)
		return nil
	}
	root := doc.Content[0]
	shiftLines(root, line)
	var qs quizSource
	p.decode(file, root, &qs, "id", "type", "question", "proposals", "solution", "explanation")
	q := &Quiz{ID: qs.ID, Page: page, Type: qs.Type}
	if !quizIDRe.MatchString(qs.ID) {
		p.add(file, line, "quiz id %q: use lowercase letters, digits and dashes", qs.ID)
	}
	if qs.Type != "qcu" && qs.Type != "qcm" {
		p.add(file, line, "quiz %s: type %q, want qcu or qcm", qs.ID, qs.Type)
	}
	if strings.TrimSpace(qs.Question) == "" {
		p.add(file, line, "quiz %s: question is required", qs.ID)
	}
	q.QuestionHTML = p.render(file, line, qs.Question)
	ids := map[string]bool{}
	for _, pr := range qs.Proposals {
		if pr.ID == "" || ids[pr.ID] || strings.TrimSpace(pr.Text) == "" {
			p.add(file, line, "quiz %s: each proposal needs a unique id and a text", qs.ID)
		}
		ids[pr.ID] = true
		text, _ := p.md.RenderInline(pr.Text)
		q.Proposals = append(q.Proposals, QuizProposal{ID: pr.ID, HTML: text, FeedbackHTML: p.render(file, line, pr.Feedback)})
	}
	if len(qs.Proposals) < 2 {
		p.add(file, line, "quiz %s: at least 2 proposals", qs.ID)
	}
	switch qs.Solution.Kind {
	case yaml.ScalarNode:
		q.Solution = []string{qs.Solution.Value}
	case yaml.SequenceNode:
		_ = qs.Solution.Decode(&q.Solution)
	}
	for _, s := range q.Solution {
		if !ids[s] {
			p.add(file, line, "quiz %s: solution %q is not a proposal id", qs.ID, s)
		}
	}
	if (qs.Type == "qcu" && len(q.Solution) != 1) || (qs.Type == "qcm" && len(q.Solution) < 2) {
		p.add(file, line, "quiz %s: a qcu has one solution, a qcm at least two", qs.ID)
	}
	sort.Strings(q.Solution)
	q.ExplanationHTML = p.render(file, line, qs.Explanation)
	return q
}

// Score returns the share of quizzes answered right: answers maps quiz id
// to the chosen proposal ids.
func (m *Module) Score(answers map[string][]string) float64 {
	qs := m.Quizzes()
	if len(qs) == 0 {
		return 1
	}
	right := 0
	for _, q := range qs {
		got := slices.Clone(answers[q.ID])
		sort.Strings(got)
		if slices.Equal(slices.Compact(got), q.Solution) {
			right++
		}
	}
	return float64(right) / float64(len(qs))
}

// singleLine reports whether s has no control character: titles go into
// mail subjects, PDF lines and CSV cells, where a line break is structure.
func singleLine(s string) bool {
	return !strings.ContainsFunc(s, unicode.IsControl)
}
