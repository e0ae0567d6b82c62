package community

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

func TestTokens(t *testing.T) {
	tests := []struct {
		name  string
		texts []string
		want  []string
	}{
		{"empty", nil, []string{}},
		{"empty string", []string{""}, []string{}},
		{"only punctuation", []string{"?!… — ; « »"}, []string{}},
		{"accents", []string{"Élève été çà Noël où"}, []string{"ca", "eleve", "ete", "noel"}},
		{"uppercase accents", []string{"ÉCOLE MATERNELLE À PARIS"}, []string{"ecole", "maternelle", "pari"}},
		{"ligatures", []string{"Œuvre sœur Æsope cæcum"}, []string{"aesope", "caecum", "oeuvre", "soeur"}},
		{"apostrophes", []string{"l'élève d’Aurélie qu'il"}, []string{"aurelie", "eleve"}},
		{"stop words", []string{"Le chat et la souris sont dans une maison avec des amis"}, []string{"ami", "chat", "maison", "souri"}},
		{"stop word a folded", []string{"à a À"}, []string{}},
		{"plural s", []string{"élèves"}, []string{"eleve"}},
		{"plural x", []string{"tableaux jeux"}, []string{"jeu", "tableau"}},
		{"short words not stemmed", []string{"bus gaz"}, []string{"bus", "gaz"}},
		{"digits kept", []string{"Rentrée 2026, CM2 et 6e"}, []string{"2026", "6e", "cm2", "rentree"}},
		{"short tokens dropped", []string{"x 1 é B"}, []string{}},
		{"punctuation splits", []string{"maths/français-anglais_(CE1)...fin!"}, []string{"anglai", "ce1", "fin", "francai", "math"}},
		{"hyphens split", []string{"peut-être grand-mère"}, []string{"etre", "grand", "mere", "peut"}},
		{"duplicates", []string{"École école ÉCOLE écoles"}, []string{"ecole"}},
		{"several texts", []string{"Titre du sujet", "Contenu du message", "sujet"}, []string{"contenu", "message", "sujet", "titre"}},
		{"sorted", []string{"zèbre abeille mouton"}, []string{"abeille", "mouton", "zebre"}},
		{"too long token dropped", []string{strings.Repeat("a", 65) + " court"}, []string{"court"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Tokens(tt.texts...)
			if got == nil {
				t.Fatalf("Tokens(%q) = nil, want non-nil", tt.texts)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Tokens(%q) = %q, want %q", tt.texts, got, tt.want)
			}
		})
	}
}

func TestTokensCap(t *testing.T) {
	words := make([]string, 0, 300)
	for i := range 300 {
		words = append(words, fmt.Sprintf("mot%03d", i))
	}
	// Repeat the text so duplicates do not count towards the cap.
	text := strings.Join(words, " ")
	got := Tokens(text, text)
	if len(got) != MaxTokens {
		t.Fatalf("len(Tokens) = %d, want %d", len(got), MaxTokens)
	}
	want := slices.Clone(words[:MaxTokens])
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("Tokens kept %q..%q, want the first %d in order of appearance", got[0], got[len(got)-1], MaxTokens)
	}
	if !slices.IsSorted(got) {
		t.Error("Tokens result is not sorted")
	}
}

func TestQueryTokens(t *testing.T) {
	tests := []struct {
		name string
		q    string
		want []string
	}{
		{"empty", "", []string{}},
		{"only stop words", "le la les de", []string{}},
		{"accents and plural", "Élèves", []string{"eleve"}},
		{"stop words dropped", "Les élèves de CM2", []string{"cm2", "eleve"}},
		// "un" is a stop word; the first eight kept tokens are deux..neuf,
		// and "deux" loses its final x like any plural.
		{"cap keeps first 8", "un deux trois quatre cinq six sept huit neuf dix onze",
			[]string{"cinq", "deu", "huit", "neuf", "quatre", "sept", "six", "troi"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := QueryTokens(tt.q)
			if got == nil {
				t.Fatalf("QueryTokens(%q) = nil, want non-nil", tt.q)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("QueryTokens(%q) = %q, want %q", tt.q, got, tt.want)
			}
		})
	}
}

func TestQueryTokensCap(t *testing.T) {
	got := QueryTokens(strings.Repeat("alpha beta gamma delta epsilon zeta eta theta iota kappa ", 5))
	if len(got) != MaxQueryTokens {
		t.Fatalf("len(QueryTokens) = %d, want %d: %q", len(got), MaxQueryTokens, got)
	}
	if slices.Contains(got, "iota") || slices.Contains(got, "kappa") {
		t.Errorf("QueryTokens(...) = %q, kept tokens beyond the first %d", got, MaxQueryTokens)
	}
}

// TestQueryTokensMatch checks that a query matches a document the way the
// store does it: every query token is among the document's tokens.
func TestQueryTokensMatch(t *testing.T) {
	tests := []struct {
		query string
		doc   []string
		match bool
	}{
		{"Les élèves", []string{"L'élève écrit"}, true},
		{"élève", []string{"Des élèves attentifs"}, true},
		{"ELEVES", []string{"Mon élève"}, true},
		{"tableaux numériques", []string{"Un tableau numérique", "en classe"}, true},
		{"cœur", []string{"Par coeur"}, true},
		{"élèves absents", []string{"L'élève écrit"}, false},
		{"professeur", []string{"L'élève écrit"}, false},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, doc := QueryTokens(tt.query), Tokens(tt.doc...)
			if len(q) == 0 {
				t.Fatalf("QueryTokens(%q) is empty", tt.query)
			}
			match := true
			for _, tok := range q {
				if !slices.Contains(doc, tok) {
					match = false
				}
			}
			if match != tt.match {
				t.Errorf("QueryTokens(%q) = %q ⊆ Tokens(%q) = %q is %v, want %v", tt.query, q, tt.doc, doc, match, tt.match)
			}
		})
	}
}
