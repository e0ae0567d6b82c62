package boot

import (
	"ardoise/courses"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/internal/mail"
)

// Config is the whole configuration, read once from the environment.
type Config struct {
	Addr          string // ARDOISE_ADDR
	DataDir       string // ARDOISE_DATA_DIR
	MongoURI      string // MONGODB_URI; empty: embedded FerretDB
	PostgresURL   string // ARDOISE_POSTGRES_URL; embedded FerretDB over PostgreSQL
	RedisURL      string // REDIS_URL; empty: miniredis in-process
	BaseURL       string // ARDOISE_BASE_URL
	SecretKeyFile string // ARDOISE_SECRET_KEY_FILE
	Demo          bool   // ARDOISE_DEMO
	SMTPURL       string // ARDOISE_SMTP_URL
	StoreAddr     string // ARDOISE_STORE_ADDR, for `ardoise store`
	QueuePrefix   string // ARDOISE_QUEUE_PREFIX: isolates queues sharing one Redis
	// RetryCooldown is the wait before retaking a test of the same scope
	// (ARDOISE_RETRY_COOLDOWN, a Go duration; default 96h; 0 for none).
	RetryCooldown time.Duration
	// RegistrationsPerIP is how many accounts one client address may
	// register an hour (ARDOISE_REGISTRATIONS_PER_IP; default 30: a whole
	// school shares one address). Load tests that register many accounts
	// from one machine raise it.
	RegistrationsPerIP int
	// OpsNetworks are the client networks (ARDOISE_OPS_NETWORKS, CIDRs
	// separated by commas) that may read /metrics, the detail of /readyz
	// and the X-Store-Commands header; admins always may. Empty by default:
	// behind a proxy on the same host every client would look local.
	OpsNetworks []netip.Prefix
	// Allocation holds the dated rates of the allocation de formation, read
	// from ARDOISE_ALLOCATION_FILE (JSON, see courses/allocation.json) or
	// the built-in ones.
	Allocation courses.Allocation
}

// Embedded reports whether the store runs inside this process.
func (c Config) Embedded() bool { return c.MongoURI == "" }

// configError names the variable at fault, in one line.
type configError struct {
	name, value, want string
}

func (e *configError) Error() string {
	return fmt.Sprintf("configuration: %s=%q: %s", e.name, e.value, e.want)
}

// LoadConfig reads and checks the environment through getenv.
func LoadConfig(getenv func(string) string) (Config, error) {
	c := Config{
		Addr:          or(getenv("ARDOISE_ADDR"), "127.0.0.1:8080"),
		DataDir:       or(getenv("ARDOISE_DATA_DIR"), "./data"),
		MongoURI:      strings.TrimSpace(getenv("MONGODB_URI")),
		PostgresURL:   strings.TrimSpace(getenv("ARDOISE_POSTGRES_URL")),
		RedisURL:      strings.TrimSpace(getenv("REDIS_URL")),
		BaseURL:       strings.TrimRight(strings.TrimSpace(getenv("ARDOISE_BASE_URL")), "/"),
		SecretKeyFile: getenv("ARDOISE_SECRET_KEY_FILE"),
		SMTPURL:       strings.TrimSpace(getenv("ARDOISE_SMTP_URL")),
		StoreAddr:     or(getenv("ARDOISE_STORE_ADDR"), "127.0.0.1:27017"),
		QueuePrefix:   getenv("ARDOISE_QUEUE_PREFIX"),
	}
	if _, port, err := net.SplitHostPort(c.Addr); err != nil || port == "" {
		return c, &configError{"ARDOISE_ADDR", c.Addr, "want host:port, for example 127.0.0.1:8080"}
	}
	if _, _, err := net.SplitHostPort(c.StoreAddr); err != nil {
		return c, &configError{"ARDOISE_STORE_ADDR", c.StoreAddr, "want host:port, for example 127.0.0.1:27017"}
	}
	if c.MongoURI != "" && !strings.HasPrefix(c.MongoURI, "mongodb://") && !strings.HasPrefix(c.MongoURI, "mongodb+srv://") {
		return c, &configError{"MONGODB_URI", c.MongoURI, "want mongodb://… or mongodb+srv://…"}
	}
	if c.PostgresURL != "" {
		if !strings.HasPrefix(c.PostgresURL, "postgres://") && !strings.HasPrefix(c.PostgresURL, "postgresql://") {
			return c, &configError{"ARDOISE_POSTGRES_URL", c.PostgresURL, "want postgres://user@host:port/database"}
		}
		if c.MongoURI != "" {
			return c, &configError{"ARDOISE_POSTGRES_URL", c.PostgresURL, "applies to the embedded store only: unset it or MONGODB_URI"}
		}
	}
	if c.RedisURL != "" {
		if _, err := asynq.ParseRedisURI(c.RedisURL); err != nil {
			return c, &configError{"REDIS_URL", c.RedisURL, "want redis://[:password@]host:port[/db] or redis-sentinel://…"}
		}
	}
	if c.BaseURL == "" {
		c.BaseURL = "http://" + c.Addr
	} else if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, &configError{"ARDOISE_BASE_URL", c.BaseURL, "want http(s)://host[:port]"}
	}
	if c.SecretKeyFile == "" {
		c.SecretKeyFile = filepath.Join(c.DataDir, "secret.key")
	}
	c.RetryCooldown = 96 * time.Hour
	if v := strings.TrimSpace(getenv("ARDOISE_RETRY_COOLDOWN")); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d < 0 {
			return c, &configError{"ARDOISE_RETRY_COOLDOWN", v, "want a duration such as 96h or 30m"}
		}
		c.RetryCooldown = d
	}
	c.RegistrationsPerIP = 30
	if v := strings.TrimSpace(getenv("ARDOISE_REGISTRATIONS_PER_IP")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 {
			return c, &configError{"ARDOISE_REGISTRATIONS_PER_IP", v, "want a whole number of accounts an hour, at least 1"}
		}
		c.RegistrationsPerIP = n
	}
	if v := strings.TrimSpace(getenv("ARDOISE_OPS_NETWORKS")); v != "" {
		for _, part := range strings.Split(v, ",") {
			p, err := netip.ParsePrefix(strings.TrimSpace(part))
			if err != nil {
				return c, &configError{"ARDOISE_OPS_NETWORKS", v, "want CIDR networks separated by commas, for example 10.0.8.0/24,127.0.0.1/32"}
			}
			c.OpsNetworks = append(c.OpsNetworks, p.Masked())
		}
	}
	demo, err := parseBool(getenv("ARDOISE_DEMO"), c.Embedded())
	if err != nil {
		return c, &configError{"ARDOISE_DEMO", getenv("ARDOISE_DEMO"), "want true or false"}
	}
	c.Demo = demo
	if c.Allocation, err = courses.LoadAllocation(strings.TrimSpace(getenv("ARDOISE_ALLOCATION_FILE"))); err != nil {
		return c, &configError{"ARDOISE_ALLOCATION_FILE", getenv("ARDOISE_ALLOCATION_FILE"), err.Error()}
	}
	if c.SMTPURL != "" {
		if _, err := mail.ParseSMTPURL(c.SMTPURL); err != nil {
			return c, &configError{"ARDOISE_SMTP_URL", redact(c.SMTPURL), err.Error()}
		}
	}
	return c, nil
}

func or(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return strings.TrimSpace(v)
}

func parseBool(s string, def bool) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "":
		return def, nil
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean")
}

// redact hides a password in a URL before it is printed.
func redact(s string) string {
	u, err := url.Parse(s)
	if err != nil || u.User == nil {
		return s
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "***")
	}
	return u.String()
}
