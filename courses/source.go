package courses

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// Limits on what a module source may hold.
const (
	MaxFiles     = 200
	MaxFileSize  = 5 << 20
	MaxTotalSize = 20 << 20
)

// Source is a module's files by relative path ("module.md",
// "02-donnees.md", "images/schema.svg"), byte for byte: export writes them
// back unchanged, so import and export round-trip without loss.
type Source struct {
	Files map[string][]byte
}

// Hash is the SHA-256 of the files in path order: a published version's id.
func (s Source) Hash() string {
	names := s.names()
	h := sha256.New()
	for _, n := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", n, len(s.Files[n]))
		h.Write(s.Files[n])
	}
	return hex.EncodeToString(h.Sum(nil))
}

func (s Source) names() []string {
	names := make([]string, 0, len(s.Files))
	for n := range s.Files {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// cleanPath refuses absolute paths, "..", hidden files and anything but
// the module's files and its images/ and attachments/ folders.
func cleanPath(p string) (string, error) {
	p = strings.TrimPrefix(path.Clean(strings.ReplaceAll(p, `\`, "/")), "./")
	switch {
	case strings.HasPrefix(p, "/") || strings.HasPrefix(p, "..") || strings.Contains(p, "/../"):
		return "", fmt.Errorf("path %q leaves the module folder", p)
	case strings.HasPrefix(path.Base(p), "."):
		return "", fmt.Errorf("hidden file %q", p)
	}
	dir := path.Dir(p)
	if dir != "." && dir != "images" && dir != "attachments" {
		return "", fmt.Errorf("file %q: only the module folder, images/ and attachments/ are allowed", p)
	}
	return p, nil
}

// SourceFromFS reads a module folder.
func SourceFromFS(fsys fs.FS) (Source, error) {
	s := Source{Files: map[string][]byte{}}
	total := 0
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == "." {
			return err
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		clean, err := cleanPath(p)
		if err != nil {
			return err
		}
		raw, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		total += len(raw)
		if len(raw) > MaxFileSize || total > MaxTotalSize || len(s.Files) >= MaxFiles {
			return fmt.Errorf("module too large (at most %d files, %d MB each, %d MB in all)", MaxFiles, MaxFileSize>>20, MaxTotalSize>>20)
		}
		s.Files[clean] = raw
		return nil
	})
	return s, err
}

// SourceFromZip reads a zipped module; a single top folder is stripped.
func SourceFromZip(raw []byte) (Source, error) {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil {
		return Source{}, fmt.Errorf("not a zip file: %w", err)
	}
	prefix := ""
	if len(zr.File) > 0 {
		first, _, ok := strings.Cut(zr.File[0].Name, "/")
		if ok {
			prefix = first + "/"
			for _, f := range zr.File {
				if !strings.HasPrefix(f.Name, prefix) {
					prefix = ""
					break
				}
			}
		}
	}
	s := Source{Files: map[string][]byte{}}
	total := 0
	for _, f := range zr.File {
		if f.FileInfo().IsDir() {
			continue
		}
		if len(s.Files) >= MaxFiles || f.UncompressedSize64 > MaxFileSize {
			return Source{}, fmt.Errorf("module too large (at most %d files, %d MB each)", MaxFiles, MaxFileSize>>20)
		}
		clean, err := cleanPath(strings.TrimPrefix(f.Name, prefix))
		if err != nil {
			return Source{}, err
		}
		rc, err := f.Open()
		if err != nil {
			return Source{}, err
		}
		// Read one byte past the limit: a zip can lie about sizes.
		body, err := io.ReadAll(io.LimitReader(rc, MaxFileSize+1))
		rc.Close()
		if err != nil {
			return Source{}, err
		}
		total += len(body)
		if len(body) > MaxFileSize || total > MaxTotalSize {
			return Source{}, fmt.Errorf("module too large (at most %d MB in all)", MaxTotalSize>>20)
		}
		s.Files[clean] = body
	}
	return s, nil
}

// Zip writes the source as a zip under a folder named slug.
func (s Source) Zip(slug string) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, n := range s.names() {
		w, err := zw.Create(slug + "/" + n)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(s.Files[n]); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// ZipSlug returns the name of a zip's single top folder, or "".
func ZipSlug(raw []byte) string {
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	if err != nil || len(zr.File) == 0 {
		return ""
	}
	top, _, ok := strings.Cut(zr.File[0].Name, "/")
	if !ok {
		return ""
	}
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, top+"/") {
			return ""
		}
	}
	return top
}
