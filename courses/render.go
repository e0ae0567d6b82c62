package courses

import (
	"context"
	"strconv"
	"time"

	"ardoise/internal/markdown"
)

// RendersCollection keeps each published version rendered (sanitized HTML
// in its pages and quizzes) with the sanitizing policy version that
// produced it. Readers use it as long as the policy is the current one;
// `ardoise module rerender` renders again from the kept Markdown source
// what an older policy produced.
const RendersCollection = "module_renders"

// rendering is a version's rendered module.
type rendering struct {
	ID            string    `bson:"_id"` // slug@number
	PolicyVersion string    `bson:"policyVersion"`
	Module        *Module   `bson:"module"`
	RenderedAt    time.Time `bson:"renderedAt"`
}

// saveRendering stores a version's rendering, replacing an older one.
func (s *Service) saveRendering(ctx context.Context, id string, m *Module) error {
	r := rendering{ID: id, PolicyVersion: markdown.PolicyVersion, Module: m, RenderedAt: s.now()}
	return s.store.saveRendering(ctx, r)
}

// rendered reads a version's stored rendering when the current policy made it.
func (s *Service) rendered(ctx context.Context, id string) (*Module, bool) {
	r, err := s.store.rendering(ctx, id, markdown.PolicyVersion)
	if err != nil || r.Module == nil {
		return nil, false
	}
	return r.Module, true
}

// RerenderReport says what Rerender did.
type RerenderReport struct {
	Versions, Rerendered int
}

// Rerender renders again, from their Markdown source, the published
// versions whose stored rendering is missing or was made by another
// sanitizing policy; with all, every version.
func (s *Service) Rerender(ctx context.Context, all bool) (RerenderReport, error) {
	var rep RerenderReport
	versions, err := s.store.versionIDs(ctx)
	if err != nil {
		return rep, err
	}
	rep.Versions = len(versions)
	for _, v := range versions {
		if !all {
			if _, ok := s.rendered(ctx, v.ID); ok {
				continue
			}
		}
		m, err := s.renderVersion(ctx, v.Slug, v.Number)
		if err != nil {
			return rep, err
		}
		if err := s.saveRendering(ctx, v.ID, m); err != nil {
			return rep, err
		}
		s.mu.Lock()
		s.parsed[v.ID] = m
		s.mu.Unlock()
		rep.Rerendered++
	}
	return rep, nil
}

// renderVersion parses a published version's source.
func (s *Service) renderVersion(ctx context.Context, slug string, number int) (*Module, error) {
	src, err := s.Export(ctx, slug, number)
	if err != nil {
		return nil, err
	}
	m, problems := Parse(slug, src, nil)
	if len(problems) > 0 {
		return nil, &ProblemsError{Problems: problems}
	}
	return m, nil
}

func versionID(slug string, number int) string { return slug + "@" + strconv.Itoa(number) }
