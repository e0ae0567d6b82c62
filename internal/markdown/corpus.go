package markdown

import (
	"bufio"
	_ "embed"
	"fmt"
	"strings"
)

//go:embed testdata/xss.txt
var xssCorpus string

// XSSCorpus returns the script-injection payloads of testdata/xss.txt, one
// per non-empty, non-comment line, with each literal `\n` turned into a
// newline. The renderer's tests feed them to Render; browser tests can post
// the same payloads to the forum and check that nothing runs.
func XSSCorpus() ([]string, error) {
	var out []string
	sc := bufio.NewScanner(strings.NewReader(xssCorpus))
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), "\r")
		if strings.TrimSpace(line) == "" || strings.HasPrefix(line, "#") {
			continue
		}
		out = append(out, strings.ReplaceAll(line, `\n`, "\n"))
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("markdown: xss corpus: %w", err)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("markdown: xss corpus is empty")
	}
	return out, nil
}
