package courses

import (
	"context"

	"ardoise/internal/errkind"
)

// Store methods for this package's tests only.

// RenderedWith reports whether the stored rendering id (slug@number) was
// made by the sanitizing policy policyVersion.
func (s *Store) RenderedWith(ctx context.Context, id, policyVersion string) (bool, error) {
	_, err := s.rendering(ctx, id, policyVersion)
	if errkind.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// RestampRendering stores the rendering id, made by policy from, again as
// if policy to had made it: what an earlier release leaves behind.
func (s *Store) RestampRendering(ctx context.Context, id, from, to string) error {
	r, err := s.rendering(ctx, id, from)
	if err != nil {
		return err
	}
	r.PolicyVersion = to
	return s.saveRendering(ctx, *r)
}
