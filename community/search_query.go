package community

import (
	"context"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// SearchPage is a page of posts matching a search, in a stable order (by id).
type SearchPage struct {
	Results []Post
	Next    string // the last id of this page, for ?after=
}

// Search finds the posts of the spaces u can see (or of one space) whose
// tokens hold every word of the query: an equality on the indexed tokens
// array and a range on the id, a page at a time.
func (s *Service) Search(ctx context.Context, u *profile.User, q, spaceID, after string) (*SearchPage, error) {
	words := QueryTokens(q)
	if len(words) == 0 {
		return nil, errkind.Invalid("q", "required")
	}
	var (
		posts []Post
		err   error
	)
	if spaceID != "" {
		sp, oerr := s.open(ctx, u, spaceID)
		if oerr != nil {
			return nil, oerr
		}
		posts, err = s.store.SearchSpace(ctx, words, sp.ID, after, PageSize+1)
	} else {
		spaces, serr := s.Spaces(ctx, u)
		if serr != nil {
			return nil, serr
		}
		ids := []string{}
		for _, sp := range spaces {
			ids = append(ids, sp.ID)
		}
		posts, err = s.store.SearchSpaces(ctx, words, ids, after, PageSize+1)
	}
	if err != nil {
		return nil, err
	}
	page := &SearchPage{Results: posts}
	if len(page.Results) > PageSize {
		page.Results = page.Results[:PageSize]
		page.Next = page.Results[PageSize-1].ID
	}
	return page, nil
}
