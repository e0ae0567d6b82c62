// Package markdown turns the Markdown that people write (challenge prompts,
// module pages, forum posts) into HTML that is safe to show: goldmark with
// GitHub-flavoured extensions renders it, then bluemonday keeps only what
// the policy allows. Every caller stores PolicyVersion with the HTML it
// stored, so a stricter policy can re-render old content from its source.
package markdown

import (
	"bytes"
	"fmt"
	"regexp"
	"strings"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
)

// PolicyVersion names the sanitizing policy below; change it with the policy.
const PolicyVersion = "ardoise-ugc-2"

// Renderer renders and sanitizes Markdown.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
	// ImageBase, when set, rewrites relative image paths ("../images/x.svg")
	// to ImageBase + file name; other image sources are dropped unless they
	// start with one of ImagePrefixes.
	imageBase     string
	imagePrefixes []string
}

// Options configure a Renderer.
type Options struct {
	// ImageBase is the URL prefix of images shipped with the content
	// ("/contenu/images/"); relative image paths are rewritten under it.
	ImageBase string
	// ImagePrefixes are the other image URL prefixes allowed (Ardoise's own
	// uploads); any other image is removed.
	ImagePrefixes []string
	// HardWraps turns every newline into a line break, as people expect in
	// forum posts; content files wrap their lines freely and keep it off.
	HardWraps bool
}

// New returns a renderer. Raw HTML in the source is not rendered (goldmark's
// default) and whatever reaches the output passes bluemonday's UGC policy,
// tightened: no inline style, no iframes, links get rel="nofollow ugc noopener".
func New(opts Options) *Renderer {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(true)
	p.AddTargetBlankToFullyQualifiedLinks(false)
	p.RequireNoReferrerOnFullyQualifiedLinks(false)
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^language-[a-zA-Z0-9_+-]+$`)).OnElements("code")
	var rendererOpts []renderer.Option
	if opts.HardWraps {
		rendererOpts = append(rendererOpts, html.WithHardWraps())
	}
	md := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(rendererOpts...))
	return &Renderer{md: md, policy: p, imageBase: opts.ImageBase, imagePrefixes: opts.ImagePrefixes}
}

var (
	imgSrc = regexp.MustCompile(`<img src="([^"]*)"`)
	relRe  = regexp.MustCompile(`rel="nofollow"`)
)

// Render returns the sanitized HTML of src, shaped first (see Shape) so
// that its cost is linear in the size of src.
func (r *Renderer) Render(src string) (string, error) {
	var buf bytes.Buffer
	src, _ = Shape(src)
	if err := r.md.Convert([]byte(src), &buf); err != nil {
		return "", fmt.Errorf("markdown: %w", err)
	}
	out := r.policy.Sanitize(buf.String())
	out = imgSrc.ReplaceAllStringFunc(out, func(tag string) string {
		src := imgSrc.FindStringSubmatch(tag)[1]
		return `<img src="` + r.imageURL(src) + `"`
	})
	out = strings.ReplaceAll(out, `<img src=""`, `<img data-removed=""`)
	out = relRe.ReplaceAllString(out, `rel="nofollow ugc noopener"`)
	return strings.TrimSpace(out), nil
}

// RenderInline renders a one-line text (a proposal, a label) without the
// surrounding paragraph.
func (r *Renderer) RenderInline(src string) (string, error) {
	out, err := r.Render(src)
	if err != nil {
		return "", err
	}
	if strings.HasPrefix(out, "<p>") && strings.HasSuffix(out, "</p>") && strings.Count(out, "<p>") == 1 {
		out = strings.TrimSuffix(strings.TrimPrefix(out, "<p>"), "</p>")
	}
	return out, nil
}

func (r *Renderer) imageURL(src string) string {
	// A path that climbs out of its prefix would make every reader's
	// browser request any URL of the site.
	l := strings.ToLower(src)
	climbs := strings.Contains(l, "..") || strings.Contains(l, "%2e") || strings.Contains(l, `\`)
	for _, p := range r.imagePrefixes {
		if strings.HasPrefix(src, p) && !climbs {
			return src
		}
	}
	if r.imageBase != "" {
		if name, ok := strings.CutPrefix(src, "../images/"); ok && !strings.Contains(name, "/") {
			return r.imageBase + name
		}
	}
	return ""
}

// ImagePaths lists the image paths a Markdown source refers to, in order
// (for content checks).
func ImagePaths(src string) []ImageRef {
	var out []ImageRef
	for _, m := range imageRe.FindAllStringSubmatch(src, -1) {
		out = append(out, ImageRef{Alt: strings.TrimSpace(m[1]), Path: m[2]})
	}
	return out
}

// ImageRef is one ![alt](path) of a Markdown source.
type ImageRef struct {
	Alt, Path string
}

var imageRe = regexp.MustCompile(`!\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)`)
