package courses

import (
	"context"
	"slices"
)

// Module returns a module's record, published or not.
func (s *Service) Module(ctx context.Context, slug string) (*ModuleDoc, error) {
	return s.store.Module(ctx, slug)
}

// PublishedModule returns the record of a published module; a module
// never published is ErrNotPublished, as for the public.
func (s *Service) PublishedModule(ctx context.Context, slug string) (*ModuleDoc, error) {
	doc, err := s.store.Module(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !doc.Published {
		return nil, ErrNotPublished
	}
	return doc, nil
}

// PublishedModules lists the published modules, by slug.
func (s *Service) PublishedModules(ctx context.Context) ([]ModuleDoc, error) {
	return s.store.PublishedModules(ctx)
}

// ModulesOf lists the modules an author owns or co-owns (every module for
// an admin), by slug.
func (s *Service) ModulesOf(ctx context.Context, a Author) ([]ModuleDoc, error) {
	return s.store.ModulesOf(ctx, a)
}

// Versions lists a module's published versions, newest first.
func (s *Service) Versions(ctx context.Context, slug string) ([]Version, error) {
	return s.store.Versions(ctx, slug)
}

// CatalogueEntry is one module in the catalogue: its record and its
// latest version.
type CatalogueEntry struct {
	Doc    ModuleDoc
	Module *Module
}

// Catalogue returns the published modules for an audience (teachers or
// parents; modules for all suit both; every module when empty) that train
// a competence (any when empty), by slug, with their latest version (kept
// in memory once read).
func (s *Service) Catalogue(ctx context.Context, audience, competence string) ([]CatalogueEntry, error) {
	docs, err := s.store.PublishedModules(ctx)
	if err != nil {
		return nil, err
	}
	out := []CatalogueEntry{}
	for _, d := range docs {
		if !suits(d.Audience, audience) {
			continue
		}
		if competence != "" && !slices.Contains(d.Competences, competence) {
			continue
		}
		m, err := s.Published(ctx, d.Slug, d.Latest)
		if err != nil {
			return nil, err
		}
		out = append(out, CatalogueEntry{Doc: d, Module: m})
	}
	return out, nil
}

// RecommendUnfollowed is Recommend without the modules of enrolled, those
// the person already follows.
func (s *Service) RecommendUnfollowed(ctx context.Context, levels map[string]int, audience string, limit int, enrolled []Enrolment) ([]Recommendation, error) {
	recs, err := s.Recommend(ctx, levels, audience, limit)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(recs, func(r Recommendation) bool {
		return slices.ContainsFunc(enrolled, func(e Enrolment) bool { return e.Slug == r.Module.Slug })
	}), nil
}
