package assessments

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"ardoise/internal/errkind"
	"ardoise/internal/markdown"
)

// Problem is one thing wrong in the content, where it is written.
type Problem = errkind.Problem

// Sources are the content files of one version: YAML text by path
// ("crcn/1.1.yaml"). Images are checked for existence through HasImage.
type Sources struct {
	Files    map[string][]byte
	HasImage func(name string) bool
}

// SourcesFrom reads every */*.yaml of fsys and checks images in fsys's images/.
func SourcesFrom(fsys fs.FS) (Sources, error) {
	names, err := fs.Glob(fsys, "*/*.yaml")
	if err != nil {
		return Sources{}, err
	}
	s := Sources{Files: map[string][]byte{}}
	for _, n := range names {
		raw, err := fs.ReadFile(fsys, n)
		if err != nil {
			return Sources{}, err
		}
		s.Files[n] = raw
	}
	s.HasImage = func(name string) bool {
		st, err := fs.Stat(fsys, path.Join("images", name))
		return err == nil && !st.IsDir()
	}
	return s, nil
}

// Version is the SHA-256 of the files, in path order.
func (s Sources) Version() string {
	names := make([]string, 0, len(s.Files))
	for n := range s.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(s.Files[n]))
		h.Write(s.Files[n])
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

// ImageBase is the URL under which content images are served.
const ImageBase = "/contenu/images/"

// Load parses and checks the sources. It returns the bank with every
// problem found; a bank with problems must not be served.
func Load(src Sources) (*Bank, []Problem) {
	l := &loader{src: src, md: markdown.New(markdown.Options{ImageBase: ImageBase}),
		bank: &Bank{Version: src.Version(), challenges: map[string]*Challenge{}}}
	var fwFiles []string
	for n := range src.Files {
		if path.Base(n) == "framework.yaml" {
			fwFiles = append(fwFiles, n)
		}
	}
	sort.Strings(fwFiles)
	if len(fwFiles) == 0 {
		l.problem("", 0, "no */framework.yaml found")
	}
	used := map[string]bool{}
	for _, fw := range fwFiles {
		used[fw] = true
		l.framework(fw, used)
	}
	for n := range src.Files {
		if !used[n] {
			l.problem(n, 1, "file not listed by its framework.yaml (add its competence to an area, or remove it)")
		}
	}
	// Frameworks in a stable order: crcn first, then by id.
	slices.SortFunc(l.bank.Frameworks, func(a, b *Framework) int {
		if a.ID == "crcn" {
			return -1
		}
		if b.ID == "crcn" {
			return 1
		}
		return strings.Compare(a.ID, b.ID)
	})
	return l.bank, l.problems.Sorted()
}

type loader struct {
	src      Sources
	md       *markdown.Renderer
	bank     *Bank
	problems errkind.Problems
}

func (l *loader) problem(file string, line int, format string, args ...any) {
	l.problems.Add(file, line, format, args...)
}

// parse reads a YAML file into its root mapping node.
func (l *loader) parse(file string) *yaml.Node {
	var doc yaml.Node
	if err := yaml.Unmarshal(l.src.Files[file], &doc); err != nil {
		line := 1
		var te *yaml.TypeError
		if !errors.As(err, &te) {
			fmt.Sscanf(strings.TrimPrefix(err.Error(), "yaml: line "), "%d", &line)
		}
		l.problem(file, line, "invalid YAML: %v", err)
		return nil
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		l.problem(file, 1, "expected a mapping at the top of the file")
		return nil
	}
	return doc.Content[0]
}

// fields maps the keys of a mapping node to their value nodes, reporting
// unknown and duplicate keys.
func (l *loader) fields(file string, n *yaml.Node, allowed ...string) map[string]*yaml.Node {
	out := map[string]*yaml.Node{}
	if n.Kind != yaml.MappingNode {
		l.problem(file, n.Line, "expected a mapping")
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if !slices.Contains(allowed, k.Value) {
			l.problem(file, k.Line, "unknown field %q (known: %s)", k.Value, strings.Join(allowed, ", "))
			continue
		}
		if _, dup := out[k.Value]; dup {
			l.problem(file, k.Line, "field %q given twice", k.Value)
		}
		out[k.Value] = n.Content[i+1]
	}
	return out
}

// str reads a required (or optional) scalar string.
func (l *loader) str(file string, parent *yaml.Node, f map[string]*yaml.Node, key string, required bool) string {
	n, ok := f[key]
	if !ok {
		if required {
			l.problem(file, parent.Line, "missing field %q", key)
		}
		return ""
	}
	if n.Kind != yaml.ScalarNode {
		l.problem(file, n.Line, "field %q must be text", key)
		return ""
	}
	v := strings.TrimSpace(n.Value)
	if v == "" && required {
		l.problem(file, n.Line, "field %q is empty", key)
	}
	return v
}

func (l *loader) render(file string, line int, src string, inline bool) string {
	var out string
	var err error
	if inline {
		out, err = l.md.RenderInline(src)
	} else {
		out, err = l.md.Render(src)
	}
	if err != nil {
		l.problem(file, line, "markdown: %v", err)
	}
	for _, img := range markdown.ImagePaths(src) {
		name, ok := strings.CutPrefix(img.Path, "../images/")
		switch {
		case !ok || strings.Contains(name, "/"):
			l.problem(file, line, "image %q must be in images/ and written ../images/<file>", img.Path)
		case l.src.HasImage != nil && !l.src.HasImage(name):
			l.problem(file, line, "image %q not found in images/", img.Path)
		}
		if len([]rune(img.Alt)) < 5 {
			l.problem(file, line, "image %q needs an alternative text that describes it", img.Path)
		}
	}
	return out
}
