package testenv

import (
	"bytes"
	"compress/zlib"
	"io"
)

// PDFText inflates a PDF's compressed streams, so that a test can look for
// the words drawn on its pages.
func PDFText(data []byte) string {
	var out bytes.Buffer
	rest := data
	for {
		i := bytes.Index(rest, []byte("stream\n"))
		if i < 0 {
			break
		}
		rest = rest[i+len("stream\n"):]
		j := bytes.Index(rest, []byte("endstream"))
		if j < 0 {
			break
		}
		if r, err := zlib.NewReader(bytes.NewReader(rest[:j])); err == nil {
			b, _ := io.ReadAll(r)
			out.Write(b)
		}
		rest = rest[j+len("endstream"):]
	}
	return out.String()
}
