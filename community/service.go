package community

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"ardoise/courses"
	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/internal/mail"
	"ardoise/internal/markdown"
	"ardoise/internal/queue"
	"ardoise/internal/ratelimit"
	"ardoise/internal/ttlcache"
	"ardoise/profile"
)

// Deps are what the community works with.
type Deps struct {
	DB      *database.DB
	Claims  *claim.Claims
	Courses *courses.Service
	Profile *profile.Service
	Limiter *ratelimit.Limiter
	// Outbox enqueues the work of the markers the service records.
	Outbox  *queue.Outbox
	Mailer  *mail.Mailer
	Keys    *keyring.Keyring
	Catalog *i18n.Catalog
	BaseURL string
	Logger  *slog.Logger
}

// Service is the community domain.
type Service struct {
	store   *Store
	courses *courses.Service
	profile *profile.Service
	limiter *ratelimit.Limiter
	outbox  *queue.Outbox
	mailer  *mail.Mailer
	keys    *keyring.Keyring
	cat     *i18n.Catalog
	baseURL string
	logger  *slog.Logger
	md      *markdown.Renderer
	now     func() time.Time

	mu        sync.Mutex
	spaces    *ttlcache.Cache[string, *Space]     // space id → space, 30 s
	memberOf  *ttlcache.Cache[string, bool]       // userID|spaceID → follows its module, 1 min once true
	pages     *ttlcache.Cache[string, ThreadPage] // space → its first page of threads, firstPageTTL
	made      map[string]bool                     // département spaces this process made sure exist
	views     map[string]int                      // thread → views not written yet
	viewSince map[string]time.Time                // thread → first view not written yet

	stopViews chan struct{} // closed by Close: stops the view ticker
	viewsDone chan struct{} // closed when the view ticker has stopped
	closeOnce sync.Once
}

// ImagePrefix is where the images posts may show live: Ardoise's own uploads.
const ImagePrefix = "/communaute/images/"

// NewService returns the service, with its view ticker started: Close stops it.
func NewService(d Deps) *Service {
	s := &Service{
		store:   NewStore(d.DB, d.Claims),
		courses: d.Courses, profile: d.Profile, limiter: d.Limiter, outbox: d.Outbox, mailer: d.Mailer, keys: d.Keys,
		cat: d.Catalog, baseURL: d.BaseURL, logger: d.Logger,
		md:     markdown.New(markdown.Options{HardWraps: true, ImagePrefixes: []string{ImagePrefix}}),
		now:    func() time.Time { return time.Now().UTC().Truncate(time.Millisecond) },
		spaces: ttlcache.New[string, *Space](30*time.Second, 10000), memberOf: ttlcache.New[string, bool](time.Minute, 100000),
		pages: ttlcache.New[string, ThreadPage](firstPageTTL, 10000),
		views: map[string]int{}, viewSince: map[string]time.Time{}, made: map[string]bool{},
		stopViews: make(chan struct{}), viewsDone: make(chan struct{}),
	}
	go s.flushViewsEvery(viewFlushAge)
	return s
}

func spaceID(kind, ref string) string { return kind + "-" + ref }

// ensureSpace creates a space once (its id derives from kind and ref), or
// updates its title, and its moderators when sp names them, when it exists.
func (s *Service) ensureSpace(ctx context.Context, sp Space) error {
	sp.ID = spaceID(sp.Kind, sp.Ref)
	// Spaces made at start (parents, académies, départements) name no
	// moderators: they keep the ones given to them since.
	if err := s.store.UpsertSpace(ctx, sp, s.now()); err != nil {
		return err
	}
	s.forgetSpace(sp.ID)
	s.mu.Lock()
	s.made[sp.ID] = true
	s.mu.Unlock()
	return nil
}

// Seed creates the spaces every installation has: the parents' space, one
// per académie and one per published module. Later publications open
// theirs (EnsureModuleSpace); département spaces are created when a teacher
// of the département visits. It also gives accounts stored before space
// membership existed the membership of their territory (idempotent).
func (s *Service) Seed(ctx context.Context) error {
	if n, err := s.profile.InitSpaceMembership(ctx); err != nil {
		return err
	} else if n > 0 {
		s.logger.Info("community: space membership set from the territory", "accounts", n)
	}
	mods, err := s.courses.PublishedModules(ctx)
	if err != nil {
		return err
	}
	for _, m := range mods {
		if err := s.EnsureModuleSpace(ctx, m.Slug, m.Title, m.Owners); err != nil {
			return err
		}
	}
	if err := s.ensureSpace(ctx, Space{Kind: KindParents, Ref: "parents", Title: "Espace des parents",
		Summary: "Questions et conseils entre parents sur le numérique à la maison et à l'école.", Visibility: Public}); err != nil {
		return err
	}
	for _, a := range profile.Academies {
		if err := s.ensureSpace(ctx, Space{Kind: KindAcademie, Ref: a.Code, Title: "Académie de " + a.Name,
			Summary: "Les enseignants de l'académie échangent leurs pratiques.", Visibility: Members}); err != nil {
			return err
		}
	}
	return nil
}

// EnsureModuleSpace creates (or renames) the space of a published module,
// moderated by the module's owners; courses calls it at each publication.
func (s *Service) EnsureModuleSpace(ctx context.Context, slug, title string, owners []string) error {
	return s.ensureSpace(ctx, Space{Kind: KindModule, Ref: slug, Title: title,
		Summary: "Les participants du module échangent et s'entraident.", Visibility: Members, Moderators: owners})
}

// CreateTheme creates a thematic space; trainers and admins only.
func (s *Service) CreateTheme(ctx context.Context, u *profile.User, title, summary string, membersOnly bool) (*Space, error) {
	if !u.Has(profile.RoleTrainer) {
		return nil, fmt.Errorf("community: themes are created by trainers: %w", errkind.ErrForbidden)
	}
	v := &errkind.ValidationError{}
	title, summary = cleanLine(title), cleanLine(summary)
	if n := len([]rune(title)); n < 3 || n > 120 {
		v.Add("title", "required")
	}
	if len([]rune(summary)) > 300 {
		v.Add("summary", "too_long")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	vis := Public
	if membersOnly {
		vis = Members
	}
	sp := Space{Kind: KindTheme, Ref: keyring.RandomToken(6), Title: title, Summary: summary, Visibility: vis, Moderators: []string{u.ID}}
	if err := s.ensureSpace(ctx, sp); err != nil {
		return nil, err
	}
	s.logAction(ctx, Action{SpaceID: spaceID(KindTheme, sp.Ref), By: u.ID, ByName: u.Name, What: "create-space", Target: title})
	return s.Space(ctx, spaceID(KindTheme, sp.Ref))
}

// Space returns a space, from a 30-second cache: spaces change rarely and
// every page needs theirs.
func (s *Service) Space(ctx context.Context, id string) (*Space, error) {
	if sp, ok := s.spaces.Get(id); ok {
		return sp, nil
	}
	sp, err := s.store.Space(ctx, id)
	if err != nil {
		return nil, err
	}
	s.spaces.Put(id, sp)
	return sp, nil
}

func (s *Service) forgetSpace(id string) { s.spaces.Forget(id) }

// ensured reports whether this process already made sure a space exists:
// a visit should not write.
func (s *Service) ensured(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.made[id]
}

// Spaces lists the spaces a person can see, creating the space of their
// département on the way: parents' and themes, their territory's, the
// modules they follow, and every space for admins.
func (s *Service) Spaces(ctx context.Context, u *profile.User) ([]Space, error) {
	if d := u.SpaceDepartement; d != "" && u.Kind == profile.KindTeacher && !s.ensured(spaceID(KindDepartement, d)) {
		if err := s.ensureSpace(ctx, Space{Kind: KindDepartement, Ref: d,
			Title: "Département " + d, Summary: "Les enseignants du département.", Visibility: Members}); err != nil {
			return nil, err
		}
	}
	all, err := s.store.AllSpaces(ctx)
	if err != nil {
		return nil, err
	}
	enrolled := map[string]bool{}
	if es, err := s.courses.Enrolments(ctx, u.ID); err == nil {
		for _, e := range es {
			enrolled[e.Slug] = true
		}
	}
	out := []Space{}
	for _, sp := range all {
		if s.visible(&sp, u, enrolled[sp.Ref]) {
			out = append(out, sp)
		}
	}
	return out, nil
}

// visible reports whether u sees sp; enrolled says, for a module space,
// whether u follows the module. Académie and département spaces admit by
// the membership an admin or moderator agreed to (profile.SpaceMembership),
// not by the territory a person declares.
func (s *Service) visible(sp *Space, u *profile.User, enrolled bool) bool {
	if u.Has(profile.RoleAdmin) || sp.Visibility == Public || slices.Contains(sp.Moderators, u.ID) {
		return true
	}
	switch sp.Kind {
	case KindModule:
		return enrolled
	case KindAcademie:
		return u.Kind == profile.KindTeacher && u.SpaceAcademie == sp.Ref
	case KindDepartement:
		return u.Kind == profile.KindTeacher && u.SpaceDepartement == sp.Ref
	case KindTheme:
		return slices.Contains(sp.Members, u.ID)
	}
	return false
}

// AddMember admits a person, found by email, to a members-only theme; its moderators do it.
func (s *Service) AddMember(ctx context.Context, u *profile.User, spaceID, email string) error {
	sp, err := s.moderated(ctx, u, spaceID)
	if err != nil {
		return err
	}
	if sp.Kind != KindTheme || sp.Visibility != Members {
		return errkind.Invalid("space", "not_a_members_theme")
	}
	m, err := s.profile.FindUser(ctx, email)
	if errkind.IsNotFound(err) {
		return errkind.Invalid("email", "unknown_account")
	}
	if err != nil {
		return err
	}
	if err := s.store.AddSpaceMember(ctx, sp.ID, m.ID); err != nil {
		return err
	}
	s.forgetSpace(sp.ID)
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: "add-member", Target: m.ID})
	return nil
}

// open returns a space u may see; one they may not is not found, so that a
// members-only space does not leak its existence.
func (s *Service) open(ctx context.Context, u *profile.User, id string) (*Space, error) {
	sp, err := s.Space(ctx, id)
	if err != nil {
		return nil, err
	}
	enrolled := false
	if sp.Kind == KindModule && sp.Visibility == Members && !u.Has(profile.RoleAdmin) && !slices.Contains(sp.Moderators, u.ID) {
		if enrolled, err = s.enrolled(ctx, u.ID, sp); err != nil {
			return nil, err
		}
	}
	if !s.visible(sp, u, enrolled) {
		return nil, fmt.Errorf("community: space %s: %w", id, errkind.ErrNotFound)
	}
	return sp, nil
}

// enrolled says whether a person follows a space's module, remembered for
// a minute once true.
func (s *Service) enrolled(ctx context.Context, userID string, sp *Space) (bool, error) {
	key := userID + "|" + sp.ID
	if _, ok := s.memberOf.Get(key); ok {
		return true, nil
	}
	_, _, err := s.courses.Enrolment(ctx, userID, sp.Ref)
	if errkind.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	s.memberOf.Put(key, true)
	return true, nil
}

// CanModerate reports whether u moderates sp.
func CanModerate(sp *Space, u *profile.User) bool {
	return u.Has(profile.RoleAdmin) || slices.Contains(sp.Moderators, u.ID)
}

func (s *Service) logAction(ctx context.Context, a Action) {
	a.ID, a.At = keyring.RandomToken(9), s.now()
	if err := s.store.InsertAction(ctx, a); err != nil {
		s.logger.Warn("moderation log", "err", err)
	}
}
