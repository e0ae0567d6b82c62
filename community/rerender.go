package community

import (
	"context"
)

// Rerender renders again, from their kept Markdown, the posts whose HTML
// an older sanitizing policy produced, and returns how many it changed.
func (s *Service) Rerender(ctx context.Context) (int, error) {
	posts, err := s.store.PostsToRerender(ctx)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, p := range posts {
		html, err := s.md.Render(p.Source)
		if err != nil {
			return n, err
		}
		if err := s.store.SetRendered(ctx, p.ID, p.Source, html); err != nil {
			return n, err
		}
		s.copyToPage(ctx, p.ID)
		n++
	}
	return n, nil
}
