package main

import (
	"context"
	"fmt"
	"io"

	"ardoise/internal/markdown"
)

const communityUsage = `usage:
  ardoise community rerender   render again the posts an older sanitizing policy rendered`

// runCommunity implements `ardoise community rerender`.
func runCommunity(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) != 1 || args[0] != "rerender" {
		return &usageError{communityUsage}
	}
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		return err
	}
	defer sys.Close(context.Background())
	n, err := sys.Community.Rerender(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%d posts rendered again with policy %s\n", n, markdown.PolicyVersion)
	return nil
}
