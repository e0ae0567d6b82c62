package assessments

import (
	"errors"
	"os"
	"strings"
	"testing"

	"ardoise/internal/errkind"
)

func testChallenges() map[string]*Challenge {
	tol := Tolerance{Distance: DefaultDistance}
	return map[string]*Challenge{
		"qcu":   {ID: "qcu", Type: TypeQCU, Proposals: []Proposal{{ID: "a"}, {ID: "b"}, {ID: "c"}}, choice: "b"},
		"qcm":   {ID: "qcm", Type: TypeQCM, Proposals: []Proposal{{ID: "a"}, {ID: "b"}, {ID: "c"}, {ID: "d"}}, choices: []string{"a", "c"}},
		"qroc":  {ID: "qroc", Type: TypeQROC, Tolerance: tol, answers: []string{"Montpellier", "Montpelier"}},
		"exact": {ID: "exact", Type: TypeQROC, Tolerance: Tolerance{}, answers: []string{"1024"}},
		"qrocm": {ID: "qrocm", Type: TypeQROCM, Tolerance: tol, Fields: []Field{{ID: "ext"}, {ID: "app"}},
			fieldAn: map[string][]string{"ext": {".odt", "odt"}, "app": {"LibreOffice Writer", "Writer"}}},
	}
}

func TestCheckAnswers(t *testing.T) {
	chs := testChallenges()
	tests := []struct {
		ch      string
		a       Answer
		want    bool
		invalid bool
	}{
		{"qcu", Answer{Choice: "b"}, true, false},
		{"qcu", Answer{Choice: "a"}, false, false},
		{"qcu", Answer{Choice: "z"}, false, true},
		{"qcu", Answer{Choices: []string{"b"}}, false, true},
		{"qcu", Answer{Skipped: true}, false, false},
		{"qcm", Answer{Choices: []string{"c", "a"}}, true, false},
		{"qcm", Answer{Choices: []string{"a", "c", "a"}}, true, false},
		{"qcm", Answer{Choices: []string{"a"}}, false, false},
		{"qcm", Answer{Choices: []string{"a", "c", "d"}}, false, false},
		{"qcm", Answer{Choices: []string{"a", "x"}}, false, true},
		{"qcm", Answer{Text: "a"}, false, true},
		{"qroc", Answer{Text: "montpellier"}, true, false},
		{"qroc", Answer{Text: "  MONTPELLIER. "}, true, false},
		{"qroc", Answer{Text: "Montpelliar"}, true, false}, // one typo in 11 letters
		{"qroc", Answer{Text: "Monpeliar"}, true, false},   // two typos: allowed up to 2 (25 % of 11)
		{"qroc", Answer{Text: "Marseille"}, false, false},
		{"qroc", Answer{Text: ""}, false, false},
		{"qroc", Answer{Text: strings.Repeat("a", 301)}, false, true},
		{"qroc", Answer{Choice: "a"}, false, true},
		{"exact", Answer{Text: "1024"}, true, false},
		{"exact", Answer{Text: "1025"}, false, false},
		{"qrocm", Answer{Fields: map[string]string{"ext": "ODT", "app": "writer"}}, true, false},
		{"qrocm", Answer{Fields: map[string]string{"ext": "odt", "app": "Word"}}, false, false},
		{"qrocm", Answer{Fields: map[string]string{"ext": "odt"}}, false, true},
		{"qrocm", Answer{Fields: map[string]string{"ext": "odt", "autre": "x"}}, false, true},
		{"qrocm", Answer{Text: "odt"}, false, true},
	}
	for _, tt := range tests {
		got, err := chs[tt.ch].Check(tt.a)
		if tt.invalid != errors.Is(err, errkind.ErrInvalid) || (err != nil && !tt.invalid) {
			t.Errorf("%s %+v: error %v, want invalid %t", tt.ch, tt.a, err, tt.invalid)
			continue
		}
		if got != tt.want {
			t.Errorf("%s %+v = %t, want %t", tt.ch, tt.a, got, tt.want)
		}
	}
}

func TestToleranceOptions(t *testing.T) {
	strict := Tolerance{Case: true, Accents: true, Spaces: true}
	if strict.matches("ecole", []string{"école"}) || strict.matches("École", []string{"école"}) || strict.matches("l  école", []string{"l école"}) {
		t.Error("a strict tolerance ignored a difference")
	}
	lenient := Tolerance{}
	if !lenient.matches("ECOLE", []string{"école"}) || !lenient.matches("l   école", []string{"l'école", "l école"}) {
		t.Error("a lenient tolerance saw a difference")
	}
}

func FuzzCheckAnswer(f *testing.F) {
	f.Add("qroc", "Montpellier", "a", "odt", "Writer")
	f.Add("qcm", "", "a", "", "")
	f.Fuzz(func(t *testing.T, kind, text, choice, f1, f2 string) {
		chs := testChallenges()
		ch, ok := chs[kind]
		if !ok {
			ch = chs["qroc"]
		}
		for _, a := range []Answer{{Text: text}, {Choice: choice}, {Choices: []string{choice, text}},
			{Fields: map[string]string{"ext": f1, "app": f2}}, {Fields: map[string]string{f1: f2}}} {
			got, err := ch.Check(a)
			if err != nil && got {
				t.Fatalf("%s %+v: right and invalid", kind, a)
			}
		}
	})
}

func TestLoaderNeutralisesHostileMarkdown(t *testing.T) {
	src, _ := SourcesFrom(os.DirFS("testdata/bad"))
	bank, _ := Load(src)
	c, ok := bank.Challenge("ok-1")
	if !ok {
		t.Fatal("ok-1 not loaded")
	}
	if strings.Contains(c.PromptHTML, "<script") || !strings.Contains(c.PromptHTML, `<img src="/contenu/images/present.svg" alt="schéma des résultats"`) {
		t.Errorf("prompt HTML %q", c.PromptHTML)
	}
}

func TestSampleAnswers(t *testing.T) {
	for id, c := range testChallenges() {
		for _, right := range []bool{true, false} {
			got, err := c.Check(c.SampleAnswer(right))
			if err != nil || got != right {
				t.Errorf("%s: sample answer right=%t checks as %t, %v", id, right, got, err)
			}
		}
	}
}
