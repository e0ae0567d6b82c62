package courses

import (
	"os"
	"strings"
	"testing"
)

func knownCompetences(id string) bool { return id == "1.1" || id == "4.2" || id == "E4.2" }

func TestParseReportsEveryProblem(t *testing.T) {
	src, err := SourceFromFS(os.DirFS("testdata/bad"))
	if err != nil {
		t.Fatal(err)
	}
	m, problems := Parse("module-casse", src, knownCompetences)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{
		`2-mauvais-nom.md:1: page files are named NN-name.md`,
		`module.md:4: audience "eleves": want teachers, parents or all`,
		`module.md:5: unknown competence "9.9"`,
		`module.md:6: duration_minutes: want whole minutes from 5 to 2400`,
		`module.md:7: unknown field "couleur"`,
		`module.md:8: completion: min_active_share and min_quiz_score are between 0 and 1`,
		`01-premiere.md:4: image "images/absente.svg" needs an alternative text`,
		`01-premiere.md:4: broken link: images/absente.svg is not in the module`,
		`quiz q1: solution "z" is not a proposal id`,
		`01-premiere.md:19: malformed quiz`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
	// Hostile HTML never reaches the rendered module.
	html := m.IntroHTML
	for _, p := range m.Pages {
		for _, b := range p.Blocks {
			html += b.HTML
		}
	}
	for _, bad := range []string{"<script", "javascript:", "onerror"} {
		if strings.Contains(html, bad) {
			t.Errorf("rendered HTML contains %q: %s", bad, html)
		}
	}
}

// TestParseRefusesMultiLineTitles: a title reaches mail subjects, PDFs and
// CSV cells; a CR or LF in it (a quoted YAML string allows them) is refused.
func TestParseRefusesMultiLineTitles(t *testing.T) {
	src := Source{Files: map[string][]byte{
		"module.md": []byte("---\ntitle: \"Module\\r\\nReply-To: pirate@exemple.com\\r\\n\\r\\nCliquez\"\nsummary: Résumé\naudience: teachers\n" +
			"competences: [\"1.1\"]\nduration_minutes: 30\n---\nIntroduction.\n"),
		"01-page.md": []byte("---\ntitle: \"Page\\tun\"\n---\nTexte.\n"),
	}}
	_, problems := Parse("module-titre", src, knownCompetences)
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"module.md:2: title is one line", "01-page.md:2: title is one line"} {
		if !strings.Contains(all, want) {
			t.Errorf("missing %q in:\n%s", want, all)
		}
	}
}

func TestZipRoundTrip(t *testing.T) {
	src, err := SourceFromFS(os.DirFS("testdata/bad"))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := src.Zip("module-casse")
	if err != nil {
		t.Fatal(err)
	}
	back, err := SourceFromZip(raw)
	if err != nil {
		t.Fatal(err)
	}
	if back.Hash() != src.Hash() || len(back.Files) != len(src.Files) {
		t.Fatalf("round trip changed the module: %d files, hash %s vs %s", len(back.Files), back.Hash(), src.Hash())
	}
	if _, err := SourceFromZip([]byte("pas un zip")); err == nil {
		t.Error("garbage accepted as a zip")
	}
}

func TestCleanPathRefusesEscapes(t *testing.T) {
	for _, p := range []string{"../x.md", "/etc/passwd", "images/../../x", ".cache", "sub/dir/x.md"} {
		if _, err := cleanPath(p); err == nil {
			t.Errorf("%q accepted", p)
		}
	}
	for _, p := range []string{"module.md", "01-intro.md", "images/a.svg", "attachments/fiche.pdf"} {
		if _, err := cleanPath(p); err != nil {
			t.Errorf("%q refused: %v", p, err)
		}
	}
}

func TestDiff(t *testing.T) {
	from := Source{Files: map[string][]byte{"01-a.md": []byte("un\ndeux\ntrois\nquatre\ncinq\nsix\nsept\n"), "images/x.svg": []byte("a")}}
	to := Source{Files: map[string][]byte{"01-a.md": []byte("un\ndeux\ntrois\nQUATRE\ncinq\nsix\nsept\n"), "02-b.md": []byte("nouvelle\n"), "images/x.svg": []byte("b")}}
	d := Diff(from, to)
	if len(d) != 3 || d[0].Path != "01-a.md" || d[1].Path != "02-b.md" || d[2].Path != "images/x.svg" {
		t.Fatalf("%+v", d)
	}
	var got []string
	for _, l := range d[0].Lines {
		got = append(got, string(l.Op)+l.Text)
	}
	if strings.Join(got, "|") != " deux| trois|-quatre|+QUATRE| cinq| six|.…" {
		t.Errorf("diff lines %q", got)
	}
	if len(Diff(from, from)) != 0 {
		t.Error("a source differs from itself")
	}
}
