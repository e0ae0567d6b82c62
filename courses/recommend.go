package courses

import (
	"context"
	"slices"
	"sort"
)

// Recommendation is a published module that trains one of a person's
// weakest competences.
type Recommendation struct {
	Module     ModuleDoc
	Competence string
	Level      int
}

// weakest is how many of the lowest-levelled competences recommendations cover.
const weakest = 3

// Recommend returns published modules for the weakest competences of a
// result (competence id → level), for an audience (teachers or parents;
// modules for all suit both), at most limit, weakest competence first.
// Competences a result did not measure are not guessed at.
func (s *Service) Recommend(ctx context.Context, levels map[string]int, audience string, limit int) ([]Recommendation, error) {
	if len(levels) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(levels))
	for id := range levels {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		if levels[ids[i]] != levels[ids[j]] {
			return levels[ids[i]] < levels[ids[j]]
		}
		return ids[i] < ids[j]
	})
	mods, err := s.store.PublishedModules(ctx)
	if err != nil {
		return nil, err
	}
	return pick(mods, ids, levels, audience, limit), nil
}

// pick returns up to limit modules of mods for the competences ids,
// weakest first, each module once: all of the first weakest competences,
// then further ones only while nothing was found.
func pick(mods []ModuleDoc, ids []string, levels map[string]int, audience string, limit int) []Recommendation {
	var out []Recommendation
	taken := map[string]bool{}
	for rank, id := range ids {
		if rank >= weakest && len(out) > 0 {
			break
		}
		for _, m := range mods {
			if taken[m.Slug] || !slices.Contains(m.Competences, id) || !suits(m.Audience, audience) {
				continue
			}
			taken[m.Slug] = true
			out = append(out, Recommendation{Module: m, Competence: id, Level: levels[id]})
			if len(out) == limit {
				return out
			}
		}
	}
	return out
}

// suits reports whether a module written for audience fits a person of kind want.
func suits(audience, want string) bool {
	return want == "" || audience == AudienceAll || audience == want
}
