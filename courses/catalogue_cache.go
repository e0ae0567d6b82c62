package courses

import (
	"context"
	"sync"
	"time"
)

// CatalogueTTL is how long the published catalogue is served from memory
// to pages with a store budget (an organiser's dashboard). A module
// published meanwhile shows in their recommendations at most that late.
const CatalogueTTL = time.Minute

// catalogueCache holds the published modules read last; its zero value is
// empty and ready.
type catalogueCache struct {
	mu   sync.Mutex
	mods []ModuleDoc
	at   time.Time
}

// cachedCatalogue returns the published modules, read from the store at
// most once per CatalogueTTL. The slice is shared: callers only read it.
func (s *Service) cachedCatalogue(ctx context.Context) ([]ModuleDoc, error) {
	c := &s.catalogue
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.mods != nil && s.now().Sub(c.at) < CatalogueTTL {
		return c.mods, nil
	}
	mods, err := s.store.PublishedModules(ctx)
	if err != nil {
		return nil, err
	}
	if mods == nil {
		mods = []ModuleDoc{}
	}
	c.mods, c.at = mods, s.now()
	return mods, nil
}

// RecommendFor returns published modules for a group's weakest
// competences, given weakest first (a campaign's dashboard ranks them),
// for an audience, at most limit. It reads the catalogue from memory
// (see CatalogueTTL), so it costs no store command most of the time.
func (s *Service) RecommendFor(ctx context.Context, competences []string, audience string, limit int) ([]Recommendation, error) {
	if len(competences) == 0 {
		return nil, nil
	}
	mods, err := s.cachedCatalogue(ctx)
	if err != nil {
		return nil, err
	}
	return pick(mods, competences, nil, audience, limit), nil
}
