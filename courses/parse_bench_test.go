package courses

import (
	"fmt"
	"strings"
	"testing"
)

// twentyPages builds a module of 20 pages of about 600 words with two
// quizzes each, the size the publication figure is measured on.
func twentyPages() Source {
	src := Source{Files: map[string][]byte{
		"module.md": []byte("---\ntitle: Module de vingt pages\nsummary: Mesure.\naudience: teachers\ncompetences: [\"4.2\"]\nduration_minutes: 300\n---\nIntroduction.\n"),
	}}
	para := strings.Repeat("Un paragraphe de texte **avec du gras**, une [référence](https://www.cnil.fr) et une liste :\n\n- premier point\n- second point\n\n", 12)
	for i := 1; i <= 20; i++ {
		var b strings.Builder
		fmt.Fprintf(&b, "---\ntitle: Page %d\n---\n%s", i, para)
		for q := 1; q <= 2; q++ {
			fmt.Fprintf(&b, "\n```quiz\nid: p%d-q%d\ntype: qcm\nquestion: Lesquelles ?\nproposals:\n  - {id: a, text: A, feedback: Oui.}\n  - {id: b, text: B, feedback: Oui.}\n  - {id: c, text: C, feedback: Non.}\nsolution: [a, b]\nexplanation: Parce que.\n```\n\n%s", i, q, para[:400])
		}
		src.Files[fmt.Sprintf("%02d-page.md", i)] = []byte(b.String())
	}
	return src
}

// BenchmarkParseTwentyPages measures checking and rendering a 20-page
// module, the CPU part of its publication.
func BenchmarkParseTwentyPages(b *testing.B) {
	src := twentyPages()
	known := func(string) bool { return true }
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, problems := Parse("vingt-pages", src, known); len(problems) > 0 {
			b.Fatal(problems[0])
		}
	}
}

// TwentyPages gives the external benchmarks the same module.
var TwentyPages = twentyPages
