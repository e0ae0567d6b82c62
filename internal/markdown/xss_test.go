package markdown

import (
	"html"
	"regexp"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// forumOptions are the options forum posts are rendered with.
var forumOptions = Options{HardWraps: true, ImagePrefixes: []string{"/communaute/images/"}}

const forumImagePrefix = "/communaute/images/"

var (
	// forbiddenTags must never appear in the output, whatever the case.
	forbiddenTags = []string{"<script", "<iframe", "<object", "<embed", "<svg", "<math", "<style", "<form", "<meta", "<base", "<link"}
	// eventAttr matches an event-handler attribute inside one tag.
	eventAttr = regexp.MustCompile(`\son[a-z]+\s*=`)
	// urlScheme matches the scheme of an absolute URL.
	urlScheme = regexp.MustCompile(`^([a-z][a-z0-9+.-]*):`)
	// urlAttrs are the attributes a browser may load or navigate to.
	urlAttrs = map[string]bool{"href": true, "src": true, "srcset": true, "action": true, "formaction": true,
		"data": true, "poster": true, "background": true, "xlink:href": true, "cite": true, "longdesc": true}
	safeSchemes = map[string]bool{"http": true, "https": true, "mailto": true}
)

// xssViolations lists why the rendered html is unsafe for a forum post.
func xssViolations(out string) []string {
	var bad []string
	lower := strings.ToLower(out)
	for _, tag := range forbiddenTags {
		if strings.Contains(lower, tag) {
			bad = append(bad, "contains "+tag)
		}
	}
	z := xhtml.NewTokenizer(strings.NewReader(out))
	for {
		tt := z.Next()
		if tt == xhtml.ErrorToken {
			break
		}
		if tt != xhtml.StartTagToken && tt != xhtml.SelfClosingTagToken {
			continue
		}
		raw := strings.ToLower(string(z.Raw()))
		if eventAttr.MatchString(raw) {
			bad = append(bad, "event handler in "+raw)
		}
		tok := z.Token() // attribute values come back entity-decoded
		attrs := map[string]string{}
		for _, a := range tok.Attr {
			key := strings.ToLower(a.Key)
			if a.Namespace != "" {
				key = strings.ToLower(a.Namespace) + ":" + key
			}
			attrs[key] = a.Val
			if strings.HasPrefix(key, "on") {
				bad = append(bad, "attribute "+key+" in "+raw)
			}
			if key == "style" {
				bad = append(bad, "style attribute in "+raw)
			}
			if urlAttrs[key] {
				if s := unsafeScheme(a.Val); s != "" {
					bad = append(bad, key+" with scheme "+s+" in "+raw)
				}
			}
		}
		switch tok.Data {
		case "img":
			if _, ok := attrs["srcset"]; ok {
				bad = append(bad, "img srcset in "+raw)
			}
			if src, ok := attrs["src"]; ok && !strings.HasPrefix(src, forumImagePrefix) {
				bad = append(bad, "foreign image in "+raw)
			}
		case "a":
			if _, ok := attrs["href"]; ok && attrs["rel"] != "nofollow ugc noopener" {
				bad = append(bad, "link without rel=\"nofollow ugc noopener\": "+raw)
			}
		}
	}
	return bad
}

// unsafeScheme returns the scheme of a URL attribute value when it is not
// http, https or mailto, after decoding entities once more (the tokenizer
// decoded them already) and removing what browsers ignore in a scheme:
// ASCII whitespace and control characters.
func unsafeScheme(val string) string {
	v := strings.ToLower(html.UnescapeString(val))
	v = strings.Map(func(r rune) rune {
		if r <= 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, v)
	for _, s := range []string{"javascript:", "vbscript:", "data:"} {
		if strings.Contains(v, s) {
			return strings.TrimSuffix(s, ":")
		}
	}
	if m := urlScheme.FindStringSubmatch(v); m != nil && !safeSchemes[m[1]] {
		return m[1]
	}
	return ""
}

func TestXSSCorpus(t *testing.T) {
	payloads, err := XSSCorpus()
	if err != nil {
		t.Fatal(err)
	}
	if len(payloads) < 60 {
		t.Fatalf("corpus has %d payloads, want at least 60", len(payloads))
	}
	r := New(forumOptions)
	for i, p := range payloads {
		out, err := r.Render(p)
		if err != nil {
			t.Errorf("payload %d %q: %v", i+1, p, err)
			continue
		}
		for _, v := range xssViolations(out) {
			t.Errorf("payload %d %q\n  output %q\n  %s", i+1, p, out, v)
		}
	}
}

// TestXSSCorpusControls makes sure the renderer really renders and the
// checks really catch something, so TestXSSCorpus cannot pass vacuously.
func TestXSSCorpusControls(t *testing.T) {
	r := New(forumOptions)
	out, err := r.Render("**gras** et [lien](https://www.education.gouv.fr)")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<strong>gras</strong>", `<a href="https://www.education.gouv.fr" rel="nofollow ugc noopener">lien</a>`} {
		if !strings.Contains(out, want) {
			t.Errorf("benign post %q lacks %q", out, want)
		}
	}
	if v := xssViolations(out); len(v) > 0 {
		t.Errorf("benign post flagged: %v", v)
	}
	out, err = r.Render("![ok](/communaute/images/ok.png)")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `<img src="/communaute/images/ok.png" alt="ok"`) {
		t.Errorf("own image not kept: %q", out)
	}
	if v := xssViolations(out); len(v) > 0 {
		t.Errorf("own image flagged: %v", v)
	}
	for _, unsafe := range []string{
		`<SCRIPT>alert(1)</SCRIPT>`,
		`<p><img src="x.png"></p>`,
		`<img src="/communaute/images/a.png" OnError="alert(1)">`,
		`<a href="jav&#x09;ascript:alert(1)" rel="nofollow ugc noopener">x</a>`,
		`<a href="&#0000106&#0000097vascript:alert(1)" rel="nofollow ugc noopener">x</a>`,
		`<a href="DATA:text/html,x" rel="nofollow ugc noopener">x</a>`,
		`<a href="https://x.fr">x</a>`,
		`<p style="color:red">x</p>`,
		`<Math><mi>x</mi></Math>`,
	} {
		if len(xssViolations(unsafe)) == 0 {
			t.Errorf("checker misses %q", unsafe)
		}
	}
}
