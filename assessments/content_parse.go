package assessments

import (
	"path"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

var (
	idRe       = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.-]*$`)
	tubeRe     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	frameworks = map[string]bool{"crcn": true, "enseignants": true}
)

func (l *loader) framework(file string, used map[string]bool) {
	root := l.parse(file)
	if root == nil {
		return
	}
	f := l.fields(file, root, "id", "title", "description", "locale", "areas", "launched")
	fw := &Framework{
		ID:     l.str(file, root, f, "id", true),
		Title:  l.str(file, root, f, "title", true),
		Locale: l.str(file, root, f, "locale", false),
	}
	if fw.ID != "" && (!frameworks[fw.ID] || fw.ID != path.Dir(file)) {
		l.problem(file, f["id"].Line, "framework id %q must be crcn or enseignants and match its folder", fw.ID)
	}
	if fw.Locale == "" {
		fw.Locale = "fr-fr"
	}
	fw.Launched = l.date(file, root, f, "launched")
	if d := l.str(file, root, f, "description", true); d != "" {
		fw.DescriptionHTML = l.render(file, f["description"].Line, d, false)
	}
	areas, ok := f["areas"]
	if !ok || areas.Kind != yaml.SequenceNode || len(areas.Content) == 0 {
		l.problem(file, root.Line, "areas: a list of areas is required")
		return
	}
	seen := map[string]bool{}
	for _, an := range areas.Content {
		af := l.fields(file, an, "id", "title", "competences")
		a := Area{ID: l.str(file, an, af, "id", true), Title: l.str(file, an, af, "title", true)}
		cn, ok := af["competences"]
		if !ok || cn.Kind != yaml.SequenceNode || len(cn.Content) == 0 {
			l.problem(file, an.Line, "area %q: competences: a list of competence ids is required", a.ID)
			continue
		}
		for _, c := range cn.Content {
			id := strings.TrimSpace(c.Value)
			if seen[id] {
				l.problem(file, c.Line, "competence %q listed twice", id)
				continue
			}
			seen[id] = true
			a.Competences = append(a.Competences, id)
			cfile := path.Join(path.Dir(file), id+".yaml")
			if _, ok := l.src.Files[cfile]; !ok {
				l.problem(file, c.Line, "competence %q has no file %s", id, cfile)
				continue
			}
			used[cfile] = true
			l.competence(fw, a.ID, id, cfile)
		}
		fw.Areas = append(fw.Areas, a)
	}
	l.bank.Frameworks = append(l.bank.Frameworks, fw)
}

func (l *loader) competence(fw *Framework, area, id, file string) {
	root := l.parse(file)
	if root == nil {
		return
	}
	f := l.fields(file, root, "competence", "title", "description", "tubes", "challenges")
	c := &Competence{ID: l.str(file, root, f, "competence", true), Title: l.str(file, root, f, "title", true),
		Description: l.str(file, root, f, "description", false), Framework: fw.ID, Area: area}
	if c.ID != id {
		l.problem(file, root.Line, "competence %q in a file named for %q", c.ID, id)
		c.ID = id
	}
	skills := map[string]int{} // skill → line, to check every skill is reachable
	if tn, ok := f["tubes"]; !ok || tn.Kind != yaml.SequenceNode || len(tn.Content) == 0 {
		l.problem(file, root.Line, "tubes: a list of tubes is required")
	} else {
		for _, t := range tn.Content {
			tf := l.fields(file, t, "id", "title", "skills")
			tube := Tube{ID: l.str(file, t, tf, "id", true), Title: l.str(file, t, tf, "title", true), Skills: map[int]string{}}
			if tube.ID != "" && !tubeRe.MatchString(tube.ID) {
				l.problem(file, tf["id"].Line, "tube id %q: use lowercase letters, digits and dashes", tube.ID)
			}
			if slices.ContainsFunc(c.Tubes, func(o Tube) bool { return o.ID == tube.ID }) {
				l.problem(file, t.Line, "tube %q declared twice", tube.ID)
			}
			sn, ok := tf["skills"]
			if !ok || sn.Kind != yaml.MappingNode || len(sn.Content) == 0 {
				l.problem(file, t.Line, "tube %q: skills: a mapping level → description is required", tube.ID)
			} else {
				for i := 0; i+1 < len(sn.Content); i += 2 {
					lv, err := strconv.Atoi(sn.Content[i].Value)
					if err != nil || lv < 1 || lv > 8 {
						l.problem(file, sn.Content[i].Line, "skill level %q must be 1 to 8", sn.Content[i].Value)
						continue
					}
					tube.Skills[lv] = strings.TrimSpace(sn.Content[i+1].Value)
					skills[tube.ID+"@"+strconv.Itoa(lv)] = sn.Content[i].Line
				}
			}
			c.Tubes = append(c.Tubes, tube)
		}
	}
	fw.Competences = append(fw.Competences, c)
	reached := map[string]bool{}
	if cn, ok := f["challenges"]; !ok || cn.Kind != yaml.SequenceNode || len(cn.Content) == 0 {
		l.problem(file, root.Line, "challenges: a list of challenges is required")
	} else {
		for _, n := range cn.Content {
			if ch := l.challenge(fw, c, file, n, skills); ch != nil {
				switch {
				case ch.Added != "" && fw.Launched == "":
					l.problem(file, ch.Line, "added %s: the framework has no launched date, so the whole bank is the launch bank", ch.Added)
				case ch.Added != "" && ch.Added <= fw.Launched:
					l.problem(file, ch.Line, "added %s is not after the framework's launch (%s)", ch.Added, fw.Launched)
				case !ch.Pretest():
					reached[ch.Skill()] = true
				}
				fw.Challenges = append(fw.Challenges, ch)
			}
		}
	}
	var unreached []string
	for s := range skills {
		if !reached[s] {
			unreached = append(unreached, s)
		}
	}
	sort.Strings(unreached)
	for _, s := range unreached {
		l.problem(file, skills[s], "skill %s has no challenge: it can never be reached", s)
	}
}
