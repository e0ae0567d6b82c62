package web

import (
	"io/fs"
	"path"
	"strings"

	"ardoise/assessments/content"
)

// contentImageFile reads an image of the content, by plain file name.
func contentImageFile(name string) ([]byte, string, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) || strings.HasPrefix(name, ".") {
		return nil, "", false
	}
	ct := map[string]string{".svg": "image/svg+xml", ".png": "image/png", ".jpg": "image/jpeg", ".webp": "image/webp"}[path.Ext(name)]
	if ct == "" {
		return nil, "", false
	}
	body, err := fs.ReadFile(content.FS, "images/"+name)
	if err != nil {
		return nil, "", false
	}
	return body, ct, true
}
