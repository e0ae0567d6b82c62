package boot

import (
	"context"
	"fmt"
	"io/fs"

	"ardoise/courses"
	coursecontent "ardoise/courses/content"
	"ardoise/internal/errkind"
	"ardoise/profile"
)

// SeedModules imports and publishes the sample modules that do not exist
// yet, owned by the demo trainer. Like every seed, running it again changes nothing.
func (s *System) SeedModules(ctx context.Context) ([]string, error) {
	trainer, err := s.Profile.FindUser(ctx, demoTrainer)
	if err != nil {
		return nil, fmt.Errorf("boot: sample modules need the demo trainer: %w", err)
	}
	author := courses.Author{ID: trainer.ID, Admin: trainer.Has(profile.RoleAdmin)}
	entries, err := fs.ReadDir(coursecontent.FS, ".")
	if err != nil {
		return nil, err
	}
	var published []string
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		slug := e.Name()
		if _, err := s.Courses.Module(ctx, slug); err == nil {
			continue
		} else if !errkind.IsNotFound(err) {
			return nil, err
		}
		sub, err := fs.Sub(coursecontent.FS, slug)
		if err != nil {
			return nil, err
		}
		src, err := courses.SourceFromFS(sub)
		if err != nil {
			return nil, fmt.Errorf("boot: sample module %s: %w", slug, err)
		}
		if _, _, err := s.Courses.SaveDraft(ctx, author, slug, src); err != nil {
			return nil, fmt.Errorf("boot: sample module %s: %w", slug, err)
		}
		if _, err := s.Courses.Publish(ctx, author, slug, "Module d'exemple fourni avec Ardoise"); err != nil {
			return nil, fmt.Errorf("boot: sample module %s: %w", slug, err)
		}
		published = append(published, slug)
	}
	return published, nil
}
