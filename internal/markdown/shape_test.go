package markdown

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// hostileShapes are inputs whose cost grew with the square of their size
// before Shape (measured: 40,000 "- " took 3 s, 40,000 "[a](" 6 s).
var hostileShapes = map[string]func(n int) string{
	"quotes":      func(n int) string { return strings.Repeat(">", n) + " x" },
	"spacedQuote": func(n int) string { return strings.Repeat("> ", n) + "x" },
	"bullets":     func(n int) string { return strings.Repeat("- ", n) + "x" },
	"ordered":     func(n int) string { return strings.Repeat("1. ", n) + "x" },
	"mixed":       func(n int) string { return strings.Repeat("> - ", n) + "x" },
	"indented":    func(n int) string { return strings.Repeat(" ", 200) + strings.Repeat("* ", n) },
	"emphasis":    func(n int) string { return strings.Repeat("_a*", n) },
	"links":       func(n int) string { return strings.Repeat("[a](", n) },
	"linkLines":   func(n int) string { return strings.Repeat("[a](\n", n) },
	"brackets":    func(n int) string { return strings.Repeat("[", n) + "x" },
	"indentList": func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat(" ", 2*i) + "- x\n")
		}
		return b.String()
	},
	"stackedLists": func(n int) string {
		var b strings.Builder
		for i := 0; b.Len() < n; i++ {
			b.WriteString(strings.Repeat(" ", 32*i) + strings.Repeat("- ", 16) + "x\n")
		}
		return b.String()
	},
}

// maxBlockDepth bounds the container blocks (quotes, list items) a shaped
// source can nest: MaxNesting markers on a line, and lists nested by
// indentation up to MaxIndent (two columns a level at the least).
const maxBlockDepth = MaxNesting + MaxIndent/2 + 2

// structure parses src as Render does and returns its deepest nesting of
// container blocks and its number of nodes.
func structure(r *Renderer, src string) (depth, nodes int) {
	shaped, _ := Shape(src)
	doc := r.md.Parser().Parse(text.NewReader([]byte(shaped)))
	var walk func(n ast.Node, d int)
	walk = func(n ast.Node, d int) {
		nodes++
		if n.Kind() == ast.KindBlockquote || n.Kind() == ast.KindListItem {
			d++
		}
		depth = max(depth, d)
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			walk(c, d)
		}
	}
	walk(doc, 0)
	return depth, nodes
}

// checkStructure fails t when src parses deeper than maxBlockDepth or into
// more than two nodes per input byte (plus the document's few).
func checkStructure(t *testing.T, r *Renderer, name, src string) {
	t.Helper()
	depth, nodes := structure(r, src)
	if depth > maxBlockDepth {
		t.Errorf("%s (%d bytes): container depth %d > %d", name, len(src), depth, maxBlockDepth)
	}
	if nodes > 2*len(src)+8 {
		t.Errorf("%s (%d bytes): %d nodes", name, len(src), nodes)
	}
}

func TestShapeBoundsStructure(t *testing.T) {
	r := New(Options{HardWraps: true})
	for name, gen := range hostileShapes {
		checkStructure(t, r, name, gen(20000))
	}
	// The unshaped parse really is deeper: the bound is Shape's doing.
	doc := r.md.Parser().Parse(text.NewReader([]byte(strings.Repeat("> ", 200) + "x")))
	d := 0
	for n := ast.Node(doc); n.FirstChild() != nil; n = n.FirstChild() {
		d++
	}
	if d < 200 {
		t.Fatalf("control: 200 quote markers parsed %d deep", d)
	}
}

// TestShapeKeepsWriting: ordinary Markdown passes through Shape unchanged.
func TestShapeKeepsWriting(t *testing.T) {
	for _, src := range []string{
		"# Titre\n\nUn paragraphe avec *emphase* et [un lien](https://exemple.fr).\n",
		"> Citation\n> > imbriquée\n\n- un\n  - deux\n    1. trois\n",
		"```go\n" + strings.Repeat(" ", 120) + "x := 1\n" + strings.Repeat("a", 20000) + "\n```\n",
		"| a | b |\n|---|---|\n| 1 | 2 |\n",
		strings.Repeat("- "+strings.Repeat("mot ", 20)+"\n", 50),
	} {
		if got, changed := Shape(src); changed || got != src {
			t.Errorf("Shape changed %q into %q", src[:min(40, len(src))], got[:min(40, len(got))])
		}
	}
	got, _ := Shape(strings.Repeat("> ", 20) + "x")
	if want := strings.Repeat("> ", MaxNesting) + `\` + strings.Repeat("> ", 20-MaxNesting) + "x"; got != want {
		t.Errorf("quotes: %q, want %q", got, want)
	}
	got, _ = Shape(strings.Repeat("12. ", 20))
	if !strings.HasPrefix(got, strings.Repeat("12. ", MaxNesting)+`12\.`) {
		t.Errorf("ordered: %q", got)
	}
	long := strings.Repeat("mot ", MaxBlock/2)
	got, _ = Shape(long)
	for _, part := range strings.Split(got, "\n\n") {
		if len(part) > MaxBlock {
			t.Errorf("a run of %d bytes was left", len(part))
		}
	}
	if strings.ReplaceAll(strings.ReplaceAll(got, "\n\n", " "), "  ", " ") != strings.TrimSpace(long)+" " &&
		strings.ReplaceAll(got, "\n\n", " ") != long {
		t.Errorf("cutting lost words")
	}
}

// TestShapeProperty: random mixtures of the characters that build structure
// never parse deeper or into more nodes than the bounds.
func TestShapeProperty(t *testing.T) {
	r := New(Options{HardWraps: true})
	rng := rand.New(rand.NewPCG(3, 4))
	pieces := []string{">", "> ", "- ", "* ", "+ ", "1. ", "9) ", " ", "  ", "\t", "\n", "\n\n", "[", "](", ")", "*", "_", "`", "```\n", "~~~", "|", "a", "mot ", "<", "!", "#"}
	for i := 0; i < 3000; i++ {
		var b strings.Builder
		for n := rng.IntN(400); n > 0; n-- {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		checkStructure(t, r, "random", b.String())
		if t.Failed() {
			t.Fatalf("input %q", b.String())
		}
	}
}

func FuzzShape(f *testing.F) {
	for _, gen := range hostileShapes {
		f.Add(gen(50))
	}
	r := New(Options{HardWraps: true})
	f.Fuzz(func(t *testing.T, src string) {
		checkStructure(t, r, "fuzz", src)
		if _, err := r.Render(src); err != nil {
			t.Fatal(err)
		}
	})
}

// BenchmarkRenderPerKB reports the CPU cost per KB of rendering each
// hostile shape and ordinary prose, at 64 KB and 512 KB: a cost per KB that
// stays the same at eight times the size is linear (docs/benchmarks.md).
func BenchmarkRenderPerKB(b *testing.B) {
	r := New(Options{HardWraps: true})
	shapes := map[string]func(int) string{"prose": func(n int) string {
		return strings.Repeat("Un paragraphe ordinaire, avec *emphase* et un [lien](https://exemple.fr).\n\n", n/75+1)
	}}
	for k, v := range hostileShapes {
		shapes[k] = v
	}
	for name, gen := range shapes {
		for _, size := range []int{64 << 10, 512 << 10} {
			src := gen(size)
			if len(src) > size {
				src = src[:size]
			}
			b.Run(fmt.Sprintf("%s/%dKB", name, size>>10), func(b *testing.B) {
				b.SetBytes(int64(len(src)))
				for b.Loop() {
					if _, err := r.Render(src); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Microseconds())/float64(b.N)/float64(len(src))*1024, "µs/KB")
			})
		}
	}
}
