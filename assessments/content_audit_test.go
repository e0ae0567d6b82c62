package assessments

import (
	"strings"
	"testing"
)

// auditFixture is a framework with three QCUs: the key is the longest
// option in two (a share above 35 %), one challenge has no review date and
// one has a review_by date in the past.
func auditFixture() Sources {
	qcu := func(id, key, extra string) string {
		return `
  - id: ` + id + `
    skill: t@1
    type: qcu
    prompt: Une question.
    proposals:
      - id: a
        text: Une réponse nettement plus longue que les autres
      - id: b
        text: Court
      - id: c
        text: Bref
    solution: ` + key + `
    explanation: Parce que.
    tutorial:
      title: Aide
      url: https://fr.wikipedia.org/wiki/Aide
` + extra
	}
	return Sources{Files: map[string][]byte{
		"crcn/framework.yaml": []byte("id: crcn\ntitle: T\ndescription: D.\nareas:\n  - id: \"1\"\n    title: A\n    competences: [\"1.1\"]\n"),
		"crcn/1.1.yaml": []byte("competence: \"1.1\"\ntitle: C\ndescription: D.\ntubes:\n  - id: t\n    title: T\n    skills:\n      1: S\nchallenges:" +
			qcu("q1", "a", "    reviewed: 2026-01-01\n") +
			qcu("q2", "a", "") +
			qcu("q3", "b", "    reviewed: 2026-01-01\n    review_by: 2026-06-01\n    source: Une source\n")),
	}}
}

// TestAuditFindsCuesAndReviews: the audit counts the key positions and the
// longest keys, fails on the share and the missing review, and reports the
// overdue review without failing on it.
func TestAuditFindsCuesAndReviews(t *testing.T) {
	b, problems := Load(auditFixture())
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	a := AuditBank(b, "2026-12-03")
	fa := a.Frameworks[0]
	if fa.QCU != 3 || fa.KeyLongest != 2 || fa.Unreviewed != 1 || len(fa.KeyPosition) != 2 || fa.KeyPosition[0] != 2 || fa.KeyPosition[1] != 1 {
		t.Fatalf("audit %+v", fa)
	}
	if len(a.Failures) != 2 {
		t.Fatalf("failures %v, want the share and the missing review", a.Failures)
	}
	if len(a.Overdue) != 1 || a.Overdue[0].Line == 0 {
		t.Fatalf("overdue %v", a.Overdue)
	}
	if got := AuditBank(b, "2026-05-31").Overdue; len(got) != 0 {
		t.Fatalf("a review_by still ahead is not overdue: %v", got)
	}
}

// TestRepeatsFindsQuizCopies: a quiz question that shares most of a
// challenge's words is a repeat; an unrelated one is not.
func TestRepeatsFindsQuizCopies(t *testing.T) {
	b, _ := Load(auditFixture())
	got := b.Repeats([]Question{
		{Where: "module/page.md quiz-1", Text: "<p>Une <em>question</em>.</p> Une réponse nettement plus longue que les autres"},
		{Where: "module/page.md quiz-2", Text: "Quel mot de passe choisir pour son compte académique ?"},
	})
	if len(got) != 3 {
		t.Fatalf("repeats %v, want the three challenges once each, for quiz-1", got)
	}
	for _, p := range got {
		if !strings.Contains(p.Msg, "quiz-1") {
			t.Errorf("%s", p.Msg)
		}
	}
}
