package assessments

import "testing"

// TestReviewedAnswers pins the answers the review found wrongly judged:
// what a person would type is accepted, the look-alike address the item
// exists to catch is refused.
func TestReviewedAnswers(t *testing.T) {
	b := shippedBank(t)
	for _, c := range []struct {
		id, text string
		want     bool
	}{
		{"enseignants-E5.1-emi-4-adresse-web", "aides-rentree.info", true},
		{"enseignants-E5.1-emi-4-adresse-web", "AIDES-RENTREE.INFO", true},
		{"enseignants-E5.1-emi-4-adresse-web", "www.education.gouv.fr.aides-rentree.info", false},
		{"enseignants-E5.1-emi-4-adresse-web", "education.gouv.fr", false},
		{"crcn-2.3-agendas-4-fuseau", "13 heures", true},
		{"crcn-2.3-agendas-4-fuseau", "13h", true},
		{"crcn-2.3-agendas-4-fuseau", "14h", false},
		{"crcn-3.2-son-6-poids-audio", "9,6Mo", true},
		{"crcn-3.2-son-6-poids-audio", "9.6 Mo", true},
		{"crcn-3.2-son-6-poids-audio", "96", false},
	} {
		ch, ok := b.Challenge(c.id)
		if !ok {
			t.Errorf("%s: not in the bank", c.id)
			continue
		}
		got, err := ch.Check(Answer{Text: c.text})
		if err != nil || got != c.want {
			t.Errorf("%s: %q judged %v (%v), want %v", c.id, c.text, got, err, c.want)
		}
	}
}
