package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"

	"ardoise/certificates"
)

const credentialUsage = `usage:
  ardoise credential verify FILE [--jwks FILE_OR_URL] [--status-url-override DIR]
      check an Open Badges 3.0 credential (a VC-JWT): signature, fields, dates, status bit.
      Keys: from the issuer's /.well-known/jwks.json, or --jwks. Status list: fetched from
      the URL the credential names, or read from DIR/<list number> (--status-url-override).
      Exit 0 when valid, 1 when not`

// errCredentialInvalid is the error of a credential that does not verify
// (exit code 1).
var errCredentialInvalid = errors.New("the credential is not valid")

// runCredential implements `ardoise credential verify`.
func runCredential(args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		return &usageError{credentialUsage}
	}
	fs := flag.NewFlagSet("credential verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	jwks := fs.String("jwks", "", "JWKS file or URL")
	statusDir := fs.String("status-url-override", "", "directory of status lists")
	// FILE may come before or after the flags.
	if err := fs.Parse(args[1:]); err != nil {
		return &usageError{"credential verify: " + err.Error() + "\n" + credentialUsage}
	}
	rest := fs.Args()
	if len(rest) > 0 {
		if err := fs.Parse(rest[1:]); err != nil {
			return &usageError{"credential verify: " + err.Error() + "\n" + credentialUsage}
		}
	}
	if len(rest) == 0 || fs.NArg() != 0 || rest[0] == "" {
		return &usageError{credentialUsage}
	}
	if *statusDir != "" {
		if st, err := os.Stat(*statusDir); err != nil || !st.IsDir() {
			return &usageError{fmt.Sprintf("credential verify: --status-url-override %q: not a directory", *statusDir)}
		}
	}
	raw, err := readFile(rest[0])
	if err != nil {
		return &usageError{"credential verify: " + err.Error()}
	}
	token := strings.TrimSpace(string(raw))
	keys, err := credentialKeys(token, *jwks)
	if err != nil {
		return err
	}
	status := certificates.StatusFetcher(statusFromWeb)
	if *statusDir != "" {
		status = statusFromDir(*statusDir)
	}
	v := certificates.VerifyCredential(token, keys, status, time.Now())
	printVerification(stdout, v)
	if !v.Valid {
		return errCredentialInvalid
	}
	return nil
}

// credentialKeys returns the keys to verify token with: --jwks, or the
// issuer's published set.
func credentialKeys(token, jwks string) (*jose.JSONWebKeySet, error) {
	if jwks == "" {
		u, err := jwksURLOf(token)
		if err != nil {
			return nil, err
		}
		jwks = u
	}
	return loadJWKS(jwks)
}

// printVerification writes the verification's report in French.
func printVerification(w io.Writer, v *certificates.Verification) {
	if v.Valid {
		fmt.Fprintln(w, "valide")
	} else {
		fmt.Fprintln(w, "invalide")
	}
	fmt.Fprintf(w, "clé : %s\n", v.Kid)
	if c := v.Credential; c != nil {
		fmt.Fprintf(w, "nom : %s\n", c.Name)
		fmt.Fprintf(w, "émetteur : %s (%s)\n", c.Issuer.Name, c.Issuer.ID)
		fmt.Fprintf(w, "valide depuis : %s\n", c.ValidFrom)
	}
	for _, f := range v.Findings {
		fmt.Fprintf(w, "problème %s : %s\n", f.Problem, f.Detail)
	}
}
