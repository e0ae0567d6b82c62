package main

import (
	"context"
	"fmt"
	"io"
)

const keysUsage = `usage:
  ardoise keys rotate   add a new signing key for the Open Badges credentials; the older keys stay
                        published so that what they signed still verifies`

// runKeys implements `ardoise keys rotate`.
func runKeys(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "rotate" {
		return &usageError{keysUsage}
	}
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	kid, err := sys.Certificates.RotateKey(ctx)
	if err != nil {
		return err
	}
	set, err := sys.Certificates.JWKS(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "nouvelle clé : %s\n", kid)
	fmt.Fprintln(stdout, "clés publiées :")
	for _, k := range set.Keys {
		fmt.Fprintf(stdout, "  %s (%s)\n", k.KeyID, k.Algorithm)
	}
	return nil
}
