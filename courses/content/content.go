// Package content ships the sample training modules (one folder each,
// format in README.md) inside the binary, for demo installations.
package content

import "embed"

// FS holds the module folders.
//
//go:embed *
var FS embed.FS
