package markdown

import (
	"strings"
	"testing"
)

func TestRenderNeutralisesHostileMarkdown(t *testing.T) {
	r := New(Options{ImageBase: "/contenu/images/", ImagePrefixes: []string{"/fichiers/"}})
	tests := []struct {
		name, src   string
		contains    []string
		notContains []string
	}{
		{"script tag", "Bonjour <script>alert(1)</script>", []string{"Bonjour"}, []string{"<script", "alert(1)</script>"}},
		{"onerror", `<img src=x onerror="alert(1)">`, nil, []string{"onerror"}},
		{"javascript link", "[clic](javascript:alert(1))", nil, []string{"javascript:"}},
		{"data link", "[clic](data:text/html;base64,PHNjcmlwdD4=)", nil, []string{"data:"}},
		{"link rel", "[CNIL](https://www.cnil.fr)", []string{`href="https://www.cnil.fr"`, `rel="nofollow ugc noopener"`}, nil},
		{"relative image", "![un schéma](../images/schema.svg)", []string{`<img src="/contenu/images/schema.svg" alt="un schéma"`}, nil},
		{"foreign image dropped", "![x](https://evil.example/x.png)", nil, []string{"evil.example"}},
		{"own upload kept", "![x](/fichiers/abc.png)", []string{`src="/fichiers/abc.png"`}, nil},
		{"image path escape", "![x](../images/../secret.svg)", nil, []string{"secret"}},
		{"style attribute", `<p style="color:red">x</p>`, nil, []string{"style="}},
		{"gfm table", "| a | b |\n|---|---|\n| 1 | 2 |", []string{"<table>", "<td>1</td>"}, nil},
		{"code", "`Ctrl+Z`", []string{"<code>Ctrl+Z</code>"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := r.Render(tt.src)
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range tt.contains {
				if !strings.Contains(out, s) {
					t.Errorf("%q lacks %q", out, s)
				}
			}
			for _, s := range tt.notContains {
				if strings.Contains(out, s) {
					t.Errorf("%q contains %q", out, s)
				}
			}
		})
	}
	if got, _ := r.RenderInline("**gras**"); got != "<strong>gras</strong>" {
		t.Errorf("inline %q", got)
	}
}

func TestImagePaths(t *testing.T) {
	got := ImagePaths("Voir ![ un plan ](../images/a.svg) et ![](../images/b.png \"titre\")")
	if len(got) != 2 || got[0].Alt != "un plan" || got[0].Path != "../images/a.svg" || got[1].Alt != "" || got[1].Path != "../images/b.png" {
		t.Errorf("%+v", got)
	}
}
