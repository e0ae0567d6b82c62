package courses

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"ardoise/certificates"
	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/markdown"
	"ardoise/internal/queue"
	"ardoise/profile"
)

// Service is the courses domain.
type Service struct {
	store   *Store
	known   func(string) bool
	outbox  *queue.Outbox
	profile *profile.Service
	certs   *certificates.Service
	rates   Allocation
	claims  *claim.Claims
	logger  *slog.Logger
	now     func() time.Time

	onPublish func(ctx context.Context, slug, title string, owners []string) error

	mu     sync.Mutex
	parsed map[string]*Module // by version id: versions are immutable

	catalogue catalogueCache // published modules, for pages with a store budget
}

// OnPublish sets what follows each publication (the community opens the
// module's space); an error there is logged, the publication stands.
func (s *Service) OnPublish(fn func(ctx context.Context, slug, title string, owners []string) error) {
	s.onPublish = fn
}

// Deps are what the courses domain works with. Known says whether a
// competence id exists in the referentials.
type Deps struct {
	Store *Store
	Known func(string) bool
	// Outbox enqueues the work of the markers the service records.
	Outbox       *queue.Outbox
	Profile      *profile.Service
	Certificates *certificates.Service
	Allocation   Allocation
	// Claims serializes the writers of a ledger line (see lockLine).
	Claims *claim.Claims
	Logger *slog.Logger
}

// NewService returns the service.
func NewService(d Deps) *Service {
	return &Service{store: d.Store, known: d.Known, outbox: d.Outbox, profile: d.Profile, certs: d.Certificates,
		rates: d.Allocation, claims: d.Claims, logger: d.Logger, parsed: map[string]*Module{},
		now: func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }}
}

// SetClock replaces the clock (tests and simulations measure active time
// without waiting for it).
func (s *Service) SetClock(now func() time.Time) { s.now = now }

// Author is who edits: trainers edit the modules they own or co-own;
// admins edit any.
type Author struct {
	ID    string
	Admin bool
}

// ProblemsError lists what blocks publication; it wraps ErrInvalid.
type ProblemsError struct {
	Problems []Problem
}

func (e *ProblemsError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "courses: %d problems", len(e.Problems))
	for i, p := range e.Problems {
		if i == 5 {
			b.WriteString("; …")
			break
		}
		b.WriteString("; " + p.String())
	}
	return b.String()
}

// Unwrap makes errors.Is(err, errkind.ErrInvalid) true.
func (e *ProblemsError) Unwrap() error { return errkind.ErrInvalid }

// SaveDraft stores src as the module's draft, creating the module (owned by
// the author) when the slug is new. Who may act is checked before anything
// is stored: a module of other trainers is refused (ErrForbidden) with none
// of src's files kept. Problems are returned, not refused: a draft may be
// unfinished; publication is what they block.
func (s *Service) SaveDraft(ctx context.Context, a Author, slug string, src Source) (*ModuleDoc, []Problem, error) {
	if !slugRe.MatchString(slug) {
		return nil, nil, errkind.Invalid("slug", "bad_slug")
	}
	m, err := s.store.Module(ctx, slug)
	switch {
	case errkind.IsNotFound(err):
		m = nil
	case err != nil:
		return nil, nil, err
	case !canEdit(m, a.ID, a.Admin):
		return nil, nil, fmt.Errorf("courses: module %s belongs to other trainers: %w", slug, errkind.ErrForbidden)
	}
	_, problems := Parse(slug, src, s.known)
	refs, err := s.store.putFiles(ctx, src)
	if err != nil {
		return nil, nil, err
	}
	sortRefs(refs)
	now := s.now()
	if m == nil {
		m = &ModuleDoc{Slug: slug, Owners: []string{a.ID}, Draft: refs, DraftAt: now, DraftBy: a.ID, CreatedAt: now, Competences: []string{}}
		if err := s.store.insertModule(ctx, m); err != nil {
			if database.IsDuplicate(err) {
				return nil, nil, fmt.Errorf("courses: module %s created meanwhile: %w", slug, errkind.ErrConflict)
			}
			return nil, nil, database.Wrap(err, "courses: create module")
		}
		return m, problems, nil
	}
	if err := s.store.saveDraft(ctx, slug, refs, now, a.ID); err != nil {
		return nil, nil, err
	}
	m.Draft, m.DraftAt, m.DraftBy = refs, now, a.ID
	return m, problems, nil
}

// Publish makes the draft an immutable version, numbered after the latest.
// A draft with problems is refused with them (ProblemsError).
func (s *Service) Publish(ctx context.Context, a Author, slug, note string) (*Version, error) {
	m, err := s.store.Module(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !canEdit(m, a.ID, a.Admin) {
		return nil, fmt.Errorf("courses: module %s belongs to other trainers: %w", slug, errkind.ErrForbidden)
	}
	if len([]rune(note)) > 500 {
		return nil, errkind.Invalid("note", "too_long")
	}
	src, err := s.store.source(ctx, m.Draft)
	if err != nil {
		return nil, err
	}
	mod, problems := Parse(slug, src, s.known)
	if len(problems) > 0 {
		return nil, &ProblemsError{Problems: problems}
	}
	v := &Version{ID: slug + "@" + strconv.Itoa(m.Latest+1), Slug: slug, Number: m.Latest + 1, Hash: src.Hash(),
		Files: m.Draft, PolicyVersion: markdown.PolicyVersion, PublishedBy: a.ID, PublishedAt: s.now(), Note: strings.TrimSpace(note)}
	// The version's id claims its number: two publications at once cannot both get it.
	if err := s.store.insertVersion(ctx, v); err != nil {
		if database.IsDuplicate(err) {
			return nil, fmt.Errorf("courses: version %s published meanwhile: %w", v.ID, errkind.ErrConflict)
		}
		return nil, database.Wrap(err, "courses: publish")
	}
	if err := s.store.setPublished(ctx, slug, v.Number, mod); err != nil {
		return nil, err
	}
	if err := s.saveRendering(ctx, v.ID, mod); err != nil {
		return nil, err
	}
	if s.onPublish != nil {
		if err := s.onPublish(ctx, slug, mod.Title, m.Owners); err != nil {
			s.logger.Warn("after publication", "module", slug, "err", err)
		}
	}
	s.mu.Lock()
	s.parsed[v.ID] = mod
	s.mu.Unlock()
	return v, nil
}

// Export returns the files of a version (0: the draft), byte for byte.
func (s *Service) Export(ctx context.Context, slug string, number int) (Source, error) {
	if number == 0 {
		m, err := s.store.Module(ctx, slug)
		if err != nil {
			return Source{}, err
		}
		return s.store.source(ctx, m.Draft)
	}
	v, err := s.store.version(ctx, slug, number)
	if err != nil {
		return Source{}, err
	}
	return s.store.source(ctx, v.Files)
}

// ErrNotPublished means a module has no published version yet.
var ErrNotPublished = fmt.Errorf("courses: module not published: %w", errkind.ErrNotFound)

// Published returns a published version's rendered module: from memory
// once read (versions never change), else from its stored rendering when
// the current sanitizing policy made it, else rendered again from its
// source (and stored).
func (s *Service) Published(ctx context.Context, slug string, number int) (*Module, error) {
	id := versionID(slug, number)
	s.mu.Lock()
	m, ok := s.parsed[id]
	s.mu.Unlock()
	if ok {
		return m, nil
	}
	if m, ok = s.rendered(ctx, id); !ok {
		var err error
		m, err = s.renderVersion(ctx, slug, number)
		if errors.Is(err, errkind.ErrNotFound) {
			return nil, ErrNotPublished
		}
		if err != nil {
			return nil, err
		}
		if err := s.saveRendering(ctx, id, m); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	s.parsed[id] = m
	s.mu.Unlock()
	return m, nil
}

// Rollback republishes an old version's files as a new version: history
// only grows, and what teachers completed stays tied to the version they saw.
// Who may act is checked first, so that a trainer who may not edit the
// module learns nothing of which versions it has (ErrForbidden whatever the
// number); an owner asking a version that does not exist gets ErrNotFound.
func (s *Service) Rollback(ctx context.Context, a Author, slug string, number int) (*Version, error) {
	if _, err := s.Editable(ctx, a, slug); err != nil {
		return nil, err
	}
	if number < 1 {
		return nil, fmt.Errorf("courses: version %d of %s: %w", number, slug, errkind.ErrNotFound)
	}
	src, err := s.Export(ctx, slug, number)
	if err != nil {
		return nil, err
	}
	if _, _, err := s.SaveDraft(ctx, a, slug, src); err != nil {
		return nil, err
	}
	return s.Publish(ctx, a, slug, fmt.Sprintf("Retour à la version %d", number))
}

// Editable returns a module the author may edit (ErrForbidden otherwise).
func (s *Service) Editable(ctx context.Context, a Author, slug string) (*ModuleDoc, error) {
	m, err := s.store.Module(ctx, slug)
	if err != nil {
		return nil, err
	}
	if !canEdit(m, a.ID, a.Admin) {
		return nil, fmt.Errorf("courses: module %s belongs to other trainers: %w", slug, errkind.ErrForbidden)
	}
	return m, nil
}

// AddCoOwner lets another trainer, found by email, edit a module the
// author owns or co-owns. Who may act is checked before the address: a
// trainer who may not edit the module is refused (ErrForbidden) whatever
// the email; an address of no trainer's account is then a validation
// error on "email" (not_a_trainer).
func (s *Service) AddCoOwner(ctx context.Context, a Author, slug, email string) error {
	if _, err := s.Editable(ctx, a, slug); err != nil {
		return err
	}
	u, err := s.profile.FindUser(ctx, email)
	if errkind.IsNotFound(err) || (err == nil && !u.Has(profile.RoleTrainer)) {
		return errkind.Invalid("email", "not_a_trainer")
	}
	if err != nil {
		return err
	}
	return s.store.addOwner(ctx, slug, u.ID)
}
