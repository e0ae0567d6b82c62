package assessments

import (
	"os"
	"strings"
	"testing"

	"ardoise/assessments/content"
)

// TestContentCheckReportsEveryProblem loads a broken fixture and expects
// each problem with its file and line.
func TestContentCheckReportsEveryProblem(t *testing.T) {
	src, err := SourcesFrom(os.DirFS("testdata/bad"))
	if err != nil {
		t.Fatal(err)
	}
	_, problems := Load(src)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`crcn/framework.yaml:7: competence "1.2" has no file crcn/1.2.yaml`,
		`crcn/1.1.yaml:9: skill level "9" must be 1 to 8`,
		`crcn/1.1.yaml:8: skill requetes@2 has no challenge: it can never be reached`,
		`crcn/1.1.yaml:21: challenge id "ok-1" already used at crcn/1.1.yaml:11`,
		`crcn/1.1.yaml:30: skill "requetes@3" is not declared in the tubes of 1.1`,
		`crcn/1.1.yaml:32: image "../images/absente.svg" not found in images/`,
		`crcn/1.1.yaml:32: image "../images/absente.svg" needs an alternative text`,
		`crcn/1.1.yaml:34: solution "z" is not a proposal id`,
		`crcn/1.1.yaml:35: timer "5": want whole seconds from 15 to 600`,
		`crcn/1.1.yaml:36: unknown field "colour"`,
		`crcn/1.1.yaml:38: tutorial url must start with https://`,
		`crcn/1.1.yaml:44: solution for "pays", which is not a field`,
		`solution has no answers for field "cp"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing problem %q in:\n%s", want, all)
		}
	}
}

// TestShippedContent checks the real item bank: no problem, and the sizes
// the product promises.
func TestShippedContent(t *testing.T) {
	src, err := SourcesFrom(content.FS)
	if err != nil {
		t.Fatal(err)
	}
	bank, problems := Load(src)
	for _, p := range problems {
		t.Error(p)
	}
	crcn, ok := bank.Framework("crcn")
	if !ok || len(crcn.Competences) != 16 || len(crcn.Challenges) < 160 {
		t.Fatalf("CRCN: %v competences, %d challenges", ok && crcn != nil, len(crcn.Challenges))
	}
	for _, comp := range crcn.Competences {
		levels := map[int]int{}
		types := map[string]int{}
		for _, c := range crcn.Challenges {
			if c.Competence == comp.ID {
				levels[c.Level]++
				types[c.Type]++
			}
		}
		n := 0
		for lv, k := range levels {
			if lv < 1 || lv > 6 {
				t.Errorf("%s: %d challenges at level %d (want 1–6)", comp.ID, k, lv)
			}
			n += k
		}
		if n < 10 || len(levels) < 4 {
			t.Errorf("%s: %d challenges over %d levels (want ≥ 10 over ≥ 4 levels)", comp.ID, n, len(levels))
		}
	}
	ens, ok := bank.Framework("enseignants")
	if !ok || len(ens.Challenges) < 48 {
		t.Errorf("teachers' framework: %d challenges, want ≥ 48", len(ens.Challenges))
	}
	types := map[string]int{}
	for _, f := range bank.Frameworks {
		for _, c := range f.Challenges {
			types[c.Type]++
			if strings.Contains(c.PromptHTML, "<script") || strings.Contains(c.PromptHTML, "javascript:") {
				t.Errorf("%s: unsafe HTML in the prompt", c.ID)
			}
			for _, right := range []bool{true, false} {
				if got, err := c.Check(c.SampleAnswer(right)); err != nil || got != right {
					t.Errorf("%s (%s:%d): its own solution checks as %t (want %t), %v", c.ID, c.File, c.Line, got, right, err)
				}
			}
		}
	}
	for _, ty := range []string{TypeQCU, TypeQCM, TypeQROC, TypeQROCM} {
		if types[ty] < 10 {
			t.Errorf("only %d %s challenges", types[ty], ty)
		}
	}
}
