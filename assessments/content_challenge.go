package assessments

import (
	"slices"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// Defaults for content files.
const (
	DefaultDistance = 0.25
	MinTimer        = 15
	MaxTimer        = 600
)

// initialParams derives 2PL parameters from a skill's level until the item
// is calibrated: difficulty at the middle of the level's band on the
// default scoring scale (level 1 → −2, level 3 → 0, level 6 → 3), and a
// moderate discrimination of 1.
func initialParams(level int) (a, b float64) { return 1, float64(level) - 3 }

func (l *loader) challenge(fw *Framework, comp *Competence, file string, n *yaml.Node, skills map[string]int) *Challenge {
	f := l.fields(file, n, "id", "skill", "type", "prompt", "proposals", "fields", "solution", "tolerance",
		"placeholder", "timer", "accessible", "locale", "explanation", "tutorial", "irt",
		"fixed_order", "reviewed", "review_by", "source", "added", "attachments", "environment", "certification")
	c := &Challenge{ID: l.str(file, n, f, "id", true), Framework: fw.ID, Competence: comp.ID, File: file, Line: n.Line,
		Type: l.str(file, n, f, "type", true), Accessible: true, Locale: fw.Locale,
		Tolerance: Tolerance{Distance: DefaultDistance}}
	if c.ID == "" {
		return nil
	}
	if !idRe.MatchString(c.ID) {
		l.problem(file, f["id"].Line, "challenge id %q: use letters, digits, dots and dashes", c.ID)
	}
	if other, dup := l.bank.challenges[c.ID]; dup {
		l.problem(file, f["id"].Line, "challenge id %q already used at %s:%d", c.ID, other.File, other.Line)
		return nil
	}
	skill := l.str(file, n, f, "skill", true)
	tube, lv, ok := strings.Cut(skill, "@")
	level, err := strconv.Atoi(lv)
	switch {
	case skill == "":
	case !ok || err != nil:
		l.problem(file, f["skill"].Line, "skill %q: write <tube>@<level>", skill)
	default:
		if _, exists := skills[skill]; !exists {
			l.problem(file, f["skill"].Line, "skill %q is not declared in the tubes of %s", skill, comp.ID)
		}
		c.Tube, c.Level = tube, level
	}
	c.A, c.B = initialParams(max(c.Level, 1))
	if p := l.str(file, n, f, "prompt", true); p != "" {
		c.PromptHTML = l.render(file, f["prompt"].Line, p, false)
	}
	if e := l.str(file, n, f, "explanation", true); e != "" {
		c.ExplanationHTML = l.render(file, f["explanation"].Line, e, false)
	}
	c.Placeholder = l.str(file, n, f, "placeholder", false)
	if loc := l.str(file, n, f, "locale", false); loc != "" {
		c.Locale = loc
	}
	l.tutorial(c, file, n, f)
	l.options(c, file, f)
	l.review(c, file, n, f)
	switch c.Type {
	case TypeQCU, TypeQCM:
		l.proposals(c, file, n, f)
	case TypeQROC:
		if _, has := f["proposals"]; has {
			l.problem(file, f["proposals"].Line, "a qroc has no proposals")
		}
		c.answers = l.stringList(file, n, f, "solution")
	case TypeQROCM:
		l.qrocm(c, file, n, f)
	case "":
	default:
		l.problem(file, f["type"].Line, "type %q: want qcu, qcm, qroc or qrocm", c.Type)
	}
	l.bank.challenges[c.ID] = c
	return c
}

func (l *loader) tutorial(c *Challenge, file string, n *yaml.Node, f map[string]*yaml.Node) {
	t, ok := f["tutorial"]
	if !ok {
		l.problem(file, n.Line, "missing field \"tutorial\" (title and url of a page to learn more)")
		return
	}
	tf := l.fields(file, t, "title", "url")
	c.Tutorial = Tutorial{Title: l.str(file, t, tf, "title", true), URL: l.str(file, t, tf, "url", true)}
	if c.Tutorial.URL != "" && !strings.HasPrefix(c.Tutorial.URL, "https://") {
		l.problem(file, tf["url"].Line, "tutorial url must start with https://")
	}
}

func (l *loader) options(c *Challenge, file string, f map[string]*yaml.Node) {
	if t, ok := f["timer"]; ok {
		v, err := strconv.Atoi(t.Value)
		if err != nil || v < MinTimer || v > MaxTimer {
			l.problem(file, t.Line, "timer %q: want whole seconds from %d to %d", t.Value, MinTimer, MaxTimer)
		} else {
			c.Timer = v
		}
	}
	if v, ok := f["certification"]; ok && v.Decode(&c.Certification) != nil {
		l.problem(file, v.Line, "certification: want true or false")
	}
	if a, ok := f["accessible"]; ok {
		if err := a.Decode(&c.Accessible); err != nil {
			l.problem(file, a.Line, "accessible: want true or false")
		}
	}
	if t, ok := f["tolerance"]; ok {
		if c.Type != TypeQROC && c.Type != TypeQROCM {
			l.problem(file, t.Line, "tolerance applies to qroc and qrocm only")
		}
		tf := l.fields(file, t, "distance", "case", "accents", "spaces")
		for key, dst := range map[string]*bool{"case": &c.Tolerance.Case, "accents": &c.Tolerance.Accents, "spaces": &c.Tolerance.Spaces} {
			if v, ok := tf[key]; ok && v.Decode(dst) != nil {
				l.problem(file, v.Line, "tolerance.%s: want true or false", key)
			}
		}
		if d, ok := tf["distance"]; ok {
			if err := d.Decode(&c.Tolerance.Distance); err != nil || c.Tolerance.Distance < 0 || c.Tolerance.Distance > 0.5 {
				l.problem(file, d.Line, "tolerance.distance: want a number from 0 to 0.5")
			}
		}
	}
	if p, ok := f["irt"]; ok {
		pf := l.fields(file, p, "a", "b")
		if a, ok := pf["a"]; ok && (a.Decode(&c.A) != nil || c.A <= 0 || c.A > 4) {
			l.problem(file, a.Line, "irt.a: want a number in ]0, 4]")
		}
		if b, ok := pf["b"]; ok && (b.Decode(&c.B) != nil || c.B < -6 || c.B > 6) {
			l.problem(file, b.Line, "irt.b: want a number in [-6, 6]")
		}
	}
}

func (l *loader) proposals(c *Challenge, file string, n *yaml.Node, f map[string]*yaml.Node) {
	pn, ok := f["proposals"]
	if !ok || pn.Kind != yaml.SequenceNode || len(pn.Content) < 2 || len(pn.Content) > 8 {
		l.problem(file, n.Line, "a %s needs 2 to 8 proposals", c.Type)
		return
	}
	for _, p := range pn.Content {
		pf := l.fields(file, p, "id", "text", "last")
		id, text := l.str(file, p, pf, "id", true), l.str(file, p, pf, "text", true)
		if slices.ContainsFunc(c.Proposals, func(o Proposal) bool { return o.ID == id }) {
			l.problem(file, p.Line, "proposal id %q used twice", id)
		}
		prop := Proposal{ID: id, HTML: l.render(file, p.Line, text, true), text: text}
		if v, ok := pf["last"]; ok && v.Decode(&prop.last) != nil {
			l.problem(file, v.Line, "last: want true or false")
		}
		c.Proposals = append(c.Proposals, prop)
	}
	if f["fixed_order"] != nil && slices.ContainsFunc(c.Proposals, func(o Proposal) bool { return o.last }) {
		l.problem(file, f["fixed_order"].Line, "fixed_order keeps every proposal in place: no proposal needs last")
	}
	has := func(id string) bool {
		return slices.ContainsFunc(c.Proposals, func(o Proposal) bool { return o.ID == id })
	}
	sol, ok := f["solution"]
	if !ok {
		l.problem(file, n.Line, "missing field \"solution\"")
		return
	}
	if c.Type == TypeQCU {
		if sol.Kind != yaml.ScalarNode || !has(sol.Value) {
			l.problem(file, sol.Line, "a qcu's solution is one proposal id")
			return
		}
		c.choice = sol.Value
		return
	}
	ids := l.stringList(file, n, f, "solution")
	for _, id := range ids {
		if !has(id) {
			l.problem(file, sol.Line, "solution %q is not a proposal id", id)
		}
	}
	if len(ids) < 2 || len(ids) >= len(c.Proposals) {
		l.problem(file, sol.Line, "a qcm's solution lists at least 2 proposals, and not all of them")
	}
	slices.Sort(ids)
	c.choices = slices.Compact(ids)
}

func (l *loader) qrocm(c *Challenge, file string, n *yaml.Node, f map[string]*yaml.Node) {
	fn, ok := f["fields"]
	if !ok || fn.Kind != yaml.SequenceNode || len(fn.Content) < 2 {
		l.problem(file, n.Line, "a qrocm needs at least 2 fields (id, label)")
		return
	}
	for _, x := range fn.Content {
		xf := l.fields(file, x, "id", "label")
		fld := Field{ID: l.str(file, x, xf, "id", true), Label: l.str(file, x, xf, "label", true)}
		if slices.ContainsFunc(c.Fields, func(o Field) bool { return o.ID == fld.ID }) {
			l.problem(file, x.Line, "field id %q used twice", fld.ID)
		}
		c.Fields = append(c.Fields, fld)
	}
	sol, ok := f["solution"]
	if !ok || sol.Kind != yaml.MappingNode {
		l.problem(file, n.Line, "a qrocm's solution maps each field id to its accepted answers")
		return
	}
	c.fieldAn = map[string][]string{}
	sf := map[string]*yaml.Node{}
	for i := 0; i+1 < len(sol.Content); i += 2 {
		sf[sol.Content[i].Value] = sol.Content[i+1]
	}
	for _, fld := range c.Fields {
		v, ok := sf[fld.ID]
		if !ok {
			l.problem(file, sol.Line, "solution has no answers for field %q", fld.ID)
			continue
		}
		c.fieldAn[fld.ID] = l.answerList(file, v)
		delete(sf, fld.ID)
	}
	for k, v := range sf {
		l.problem(file, v.Line, "solution for %q, which is not a field", k)
	}
}

// stringList reads a list of non-empty strings (a scalar counts as a list of one).
func (l *loader) stringList(file string, n *yaml.Node, f map[string]*yaml.Node, key string) []string {
	v, ok := f[key]
	if !ok {
		l.problem(file, n.Line, "missing field %q", key)
		return nil
	}
	return l.answerList(file, v)
}

func (l *loader) answerList(file string, v *yaml.Node) []string {
	var out []string
	switch v.Kind {
	case yaml.ScalarNode:
		out = []string{v.Value}
	case yaml.SequenceNode:
		for _, x := range v.Content {
			if x.Kind != yaml.ScalarNode {
				l.problem(file, x.Line, "want text")
				continue
			}
			out = append(out, x.Value)
		}
	default:
		l.problem(file, v.Line, "want a text or a list of texts")
	}
	for _, s := range out {
		if strings.TrimSpace(s) == "" {
			l.problem(file, v.Line, "an accepted answer is empty")
		}
	}
	if len(out) == 0 {
		l.problem(file, v.Line, "at least one accepted answer is required")
	}
	return out
}
