// Package content ships the referentials and the item bank (YAML files and
// images, documented in README.md) inside the binary.
package content

import "embed"

// FS holds the frameworks, competence files and images of this directory.
//
//go:embed */*.yaml images
var FS embed.FS
