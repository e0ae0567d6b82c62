// Package boot assembles Ardoise from a Config: store, domain services,
// queue, then the web app and the worker, and takes them down in reverse.
// It lives apart from cmd/ardoise so that internal/testenv runs the very
// same wiring as the binary.
package boot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hibiken/asynq"
	"github.com/redis/go-redis/v9"

	"ardoise/assessments"
	"ardoise/campaigns"
	"ardoise/certificates"
	"ardoise/certification"
	"ardoise/community"
	"ardoise/courses"
	"ardoise/internal/claim"
	"ardoise/internal/database"
	"ardoise/internal/embedded"
	"ardoise/internal/i18n"
	"ardoise/internal/keyring"
	"ardoise/internal/mail"
	"ardoise/internal/metrics"
	"ardoise/internal/queue"
	"ardoise/internal/ratelimit"
	"ardoise/profile"
	"ardoise/web"
	"ardoise/worker"
)

// System is a running set of Ardoise's services.
type System struct {
	Cfg          Config
	Logger       *slog.Logger
	Store        *embedded.Store // nil with MONGODB_URI
	Redis        *embedded.Redis // nil with REDIS_URL
	DB           *database.DB
	RDB          redis.UniversalClient
	AsynqOpt     asynq.RedisConnOpt
	Keys         *keyring.Keyring
	Catalog      *i18n.Catalog
	Metrics      *metrics.Metrics
	Mailer       *mail.Mailer
	Limiter      *ratelimit.Limiter
	Claims       *claim.Claims // the services' one-time claims and document locks
	Queue        *queue.Client
	Outbox       *queue.Outbox
	Profile      *profile.Service
	Assessments  *assessments.Service
	Courses      *courses.Service
	Certificates *certificates.Service
	Community    *community.Service
	Campaigns    *campaigns.Service
	Territories  *campaigns.Territories
	// Certification runs certification centres and sessions.
	Certification *certification.Service

	asynqClient *asynq.Client
	lock        *os.File
}

// ErrRunning means another Ardoise process holds the embedded store.
var ErrRunning = errors.New("ardoise is running on this data dir")

// Indexes lists every collection and index, created at start-up before serving.
func Indexes() []database.Index {
	var all []database.Index
	all = append(all, profile.Indexes...)
	all = append(all, mail.Indexes...)
	all = append(all, assessments.Indexes...)
	all = append(all, courses.Indexes...)
	all = append(all, certificates.Indexes...)
	all = append(all, community.Indexes...)
	all = append(all, campaigns.Indexes...)
	all = append(all, campaigns.TerritoryIndexes...)
	all = append(all, certification.Indexes...)
	return append(all, queue.PendingIndexes(Markers()...)...)
}

// Markers lists every domain's pending work, registered with the outbox.
func Markers() [][]queue.Marker {
	return [][]queue.Marker{profile.Markers, assessments.Markers, courses.Markers, community.Markers, campaigns.Markers,
		certification.Markers, certificates.Markers}
}

// Open starts or connects to the store and the queue and builds the domain services.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (sys *System, err error) {
	s := &System{Cfg: cfg, Logger: logger}
	defer func() {
		if err != nil {
			closeCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			_ = s.Close(closeCtx)
		}
	}()
	if s.Catalog, err = i18n.Load(); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("boot: data dir %s: %w", cfg.DataDir, err)
	}
	uri := cfg.MongoURI
	if cfg.Embedded() {
		if s.lock, err = lockDataDir(cfg.DataDir); err != nil {
			return nil, err
		}
		s.Store, err = embedded.StartStore(embedded.StoreOptions{
			SQLiteDir: filepath.Join(cfg.DataDir, "store"), PostgresURL: cfg.PostgresURL, Logger: logger,
			TuneEvery: time.Minute,
		})
		if err != nil {
			return nil, err
		}
		uri = s.Store.URI()
	}
	if s.DB, err = database.Connect(ctx, uri, ""); err != nil {
		return nil, err
	}
	if err := s.DB.EnsureIndexes(ctx, Indexes()); err != nil {
		return nil, err
	}
	if s.Store != nil {
		// The indexes FerretDB's pushdown can use (internal/embedded/tune.go).
		if _, err := s.Store.Tune(ctx, s.DB.Name()); err != nil {
			return nil, err
		}
	}
	redisURL := cfg.RedisURL
	if redisURL == "" {
		if s.Redis, err = embedded.StartRedis(""); err != nil {
			return nil, err
		}
		redisURL = s.Redis.URL()
	}
	if s.AsynqOpt, err = asynq.ParseRedisURI(redisURL); err != nil {
		return nil, fmt.Errorf("boot: REDIS_URL: %w", err)
	}
	s.RDB = s.AsynqOpt.MakeRedisClient().(redis.UniversalClient)
	if err := s.RDB.Ping(ctx).Err(); err != nil {
		return nil, fmt.Errorf("boot: redis: %w", err)
	}
	if s.Keys, err = keyring.LoadOrCreate(cfg.SecretKeyFile, true); err != nil {
		return nil, err
	}
	if s.Mailer, err = mail.New(s.DB, cfg.SMTPURL, logger); err != nil {
		return nil, err
	}
	s.Metrics = metrics.New()
	s.Limiter = ratelimit.New(s.RDB, "ardoise:"+cfg.QueuePrefix+"rl:")
	s.asynqClient = asynq.NewClientFromRedisClient(s.RDB)
	s.Queue = queue.NewClient(s.asynqClient, queue.Names{Prefix: cfg.QueuePrefix})
	s.Outbox = queue.NewOutbox(s.Queue, logger, Markers()...)
	s.Claims = claim.New(s.RDB, "ardoise:"+cfg.QueuePrefix+"claim:")
	s.Profile = profile.NewService(profile.Deps{Claims: s.Claims,
		Store: profile.NewStore(s.DB), Keys: s.Keys, Outbox: s.Outbox, Mailer: s.Mailer, Limiter: s.Limiter,
		Catalog: s.Catalog, BaseURL: cfg.BaseURL, Logger: logger,
		Redis: s.RDB, RedisPrefix: "ardoise:" + cfg.QueuePrefix + "auth:", RegistrationsPerIP: cfg.RegistrationsPerIP,
	})
	if err := s.Profile.Migrate(ctx); err != nil {
		return nil, err
	}
	claims := s.Claims
	s.Assessments, err = assessments.NewService(assessments.Deps{
		Store: assessments.NewStore(s.DB), Keys: s.Keys, Outbox: s.Outbox, Logger: logger, Cooldown: cfg.RetryCooldown,
		Claims: claims,
	})
	if err != nil {
		return nil, err
	}
	if err := s.Assessments.Seed(ctx); err != nil {
		return nil, err
	}
	if err := s.Assessments.Migrate(ctx); err != nil {
		return nil, err
	}
	if len(cfg.Allocation.Rates) == 0 {
		if cfg.Allocation, err = courses.LoadAllocation(""); err != nil {
			return nil, err
		}
	}
	s.Certificates = certificates.NewService(certificates.Deps{
		DB: s.DB, Keys: s.Keys, Outbox: s.Outbox, Locks: s.Claims, Mailer: s.Mailer, Catalog: s.Catalog, BaseURL: cfg.BaseURL, Logger: logger,
	})
	s.Certificates.SetHolderEmails(s.Profile.CredentialEmail)
	if err := s.Certificates.Migrate(ctx); err != nil {
		return nil, err
	}
	s.Courses = courses.NewService(courses.Deps{
		Store: courses.NewStore(s.DB, s.Claims), Known: s.Assessments.Bank().HasCompetence, Outbox: s.Outbox, Profile: s.Profile,
		Certificates: s.Certificates, Allocation: cfg.Allocation, Claims: claims, Logger: logger,
	})
	s.Certificates.SetSource(s.Courses)
	s.Community = community.NewService(community.Deps{DB: s.DB, Claims: claims, Courses: s.Courses, Profile: s.Profile, Limiter: s.Limiter,
		Outbox: s.Outbox, Mailer: s.Mailer, Keys: s.Keys, Catalog: s.Catalog, BaseURL: cfg.BaseURL, Logger: logger})
	s.Courses.OnPublish(s.Community.EnsureModuleSpace)
	if err := s.Community.Seed(ctx); err != nil {
		return nil, err
	}
	s.Campaigns = campaigns.NewService(campaigns.Deps{Store: campaigns.NewStore(s.DB, s.Claims), Assessments: s.Assessments, Courses: s.Courses,
		Outbox: s.Outbox, Logger: logger})
	s.Assessments.OnFinish(s.Campaigns.CountFinished)
	s.Territories = campaigns.NewTerritories(campaigns.TerritoryDeps{Store: campaigns.NewTerritoryStore(s.DB, s.Claims),
		Profile: s.Profile, Assessments: s.Assessments, Courses: s.Courses})
	s.Assessments.OnFinish(s.Territories.CountTest)
	s.Certification = certification.NewService(certification.Deps{Store: certification.NewStore(s.DB, s.Claims),
		Profile: s.Profile, Assessments: s.Assessments, Limits: s.Limiter, Keys: s.Keys,
		Redis: s.RDB, RedisPrefix: "ardoise:" + cfg.QueuePrefix, Certificates: s.Certificates, Outbox: s.Outbox, Logger: logger})
	s.Assessments.OnCertificationFinish(s.Certification.CountFinished)
	return s, nil
}

// Web builds the HTTP application.
func (s *System) Web() (*web.App, error) {
	return web.New(web.Deps{
		Ready: readiness{db: s.DB, rdb: s.RDB}, AsynqOpt: s.AsynqOpt, Profile: s.Profile, Assessments: s.Assessments, Courses: s.Courses,
		Certificates: s.Certificates, Community: s.Community, Campaigns: s.Campaigns, Mailer: s.Mailer, Keys: s.Keys,
		Catalog: s.Catalog, Metrics: s.Metrics, Limiter: s.Limiter, Logger: s.Logger, BaseURL: s.Cfg.BaseURL,
		OpsNetworks: s.Cfg.OpsNetworks,
		Territories: s.Territories, Certification: s.Certification,
	})
}

// Worker builds the background worker.
func (s *System) Worker() *worker.Worker {
	return worker.New(worker.Deps{
		RedisOpt: s.AsynqOpt, Queue: s.Queue, Outbox: s.Outbox, DB: s.DB, Claims: s.Claims, Profile: s.Profile, Assessments: s.Assessments, Courses: s.Courses,
		Certificates: s.Certificates, Community: s.Community, Campaigns: s.Campaigns, Territories: s.Territories, Metrics: s.Metrics, Logger: s.Logger,
		Certification: s.Certification,
	})
}

// Close releases everything in reverse order of Open: the community's
// buffered view counts are written first, then the queue clients, then
// the store client, then the embedded servers, then the data-dir lock.
func (s *System) Close(ctx context.Context) error {
	var errs []error
	if s.Community != nil {
		// Its buffered thread views are written while the store and the claims are up.
		errs = append(errs, s.Community.Close(ctx))
	}
	if s.asynqClient != nil {
		// The client shares RDB; closing RDB below closes its connections.
		s.asynqClient = nil
	}
	if s.RDB != nil {
		errs = append(errs, s.RDB.Close())
	}
	if s.Redis != nil {
		s.Redis.Stop()
	}
	if s.DB != nil {
		errs = append(errs, s.DB.Close(ctx))
	}
	if s.Store != nil {
		errs = append(errs, s.Store.Stop(ctx))
	}
	if s.lock != nil {
		_ = syscall.Flock(int(s.lock.Fd()), syscall.LOCK_UN)
		errs = append(errs, s.lock.Close())
	}
	return errors.Join(errs...)
}

// lockDataDir takes an exclusive lock on the data dir: FerretDB keeps its
// metadata in memory, so two processes must never embed it over the same files.
func lockDataDir(dir string) (*os.File, error) {
	path := filepath.Join(dir, "ardoise.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("boot: lock %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		pid, _ := os.ReadFile(path)
		f.Close()
		return nil, fmt.Errorf("%w (pid %s, data dir %s): stop it first, or point MONGODB_URI at a shared store (see `ardoise store`)",
			ErrRunning, strings.TrimSpace(string(pid)), dir)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(fmt.Sprint(os.Getpid())), 0)
	return f, nil
}
