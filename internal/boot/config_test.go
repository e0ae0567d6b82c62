package boot

import (
	"strings"
	"testing"
)

func TestLoadConfig(t *testing.T) {
	tests := []struct {
		name    string
		env     map[string]string
		wantErr string // the variable the one-line error must name
		check   func(t *testing.T, c Config)
	}{
		{name: "defaults", env: map[string]string{}, check: func(t *testing.T, c Config) {
			if c.Addr != "127.0.0.1:8080" || c.DataDir != "./data" || !c.Embedded() || !c.Demo ||
				c.BaseURL != "http://127.0.0.1:8080" || c.SecretKeyFile != "data/secret.key" {
				t.Errorf("%+v", c)
			}
		}},
		{name: "external store turns demo off", env: map[string]string{"MONGODB_URI": "mongodb://db:27017/ardoise"}, check: func(t *testing.T, c Config) {
			if c.Demo || c.Embedded() {
				t.Errorf("%+v", c)
			}
		}},
		{name: "demo forced on", env: map[string]string{"MONGODB_URI": "mongodb://db/x", "ARDOISE_DEMO": "yes"}, check: func(t *testing.T, c Config) {
			if !c.Demo {
				t.Error("demo off")
			}
		}},
		{name: "bad addr", env: map[string]string{"ARDOISE_ADDR": "8080"}, wantErr: "ARDOISE_ADDR"},
		{name: "bad mongo", env: map[string]string{"MONGODB_URI": "postgres://x"}, wantErr: "MONGODB_URI"},
		{name: "bad postgres", env: map[string]string{"ARDOISE_POSTGRES_URL": "mysql://x"}, wantErr: "ARDOISE_POSTGRES_URL"},
		{name: "postgres with mongo", env: map[string]string{"ARDOISE_POSTGRES_URL": "postgres://x/y", "MONGODB_URI": "mongodb://a/b"}, wantErr: "ARDOISE_POSTGRES_URL"},
		{name: "bad redis", env: map[string]string{"REDIS_URL": "http://redis"}, wantErr: "REDIS_URL"},
		{name: "bad base url", env: map[string]string{"ARDOISE_BASE_URL": "ardoise.fr"}, wantErr: "ARDOISE_BASE_URL"},
		{name: "bad demo", env: map[string]string{"ARDOISE_DEMO": "peut-être"}, wantErr: "ARDOISE_DEMO"},
		{name: "bad smtp hides password", env: map[string]string{"ARDOISE_SMTP_URL": "smtps://u:secret@mail"}, wantErr: "ARDOISE_SMTP_URL"},
		{name: "bad ops networks", env: map[string]string{"ARDOISE_OPS_NETWORKS": "10.0.0.0/8,intranet"}, wantErr: "ARDOISE_OPS_NETWORKS"},
		{name: "ops networks", env: map[string]string{"ARDOISE_OPS_NETWORKS": " 10.0.8.7/24, ::1/128"}, check: func(t *testing.T, c Config) {
			if len(c.OpsNetworks) != 2 || c.OpsNetworks[0].String() != "10.0.8.0/24" || c.OpsNetworks[1].String() != "::1/128" {
				t.Errorf("ops networks %v", c.OpsNetworks)
			}
		}},
		{name: "https base url", env: map[string]string{"ARDOISE_BASE_URL": "https://ardoise.example.fr/"}, check: func(t *testing.T, c Config) {
			if c.BaseURL != "https://ardoise.example.fr" {
				t.Errorf("base %q", c.BaseURL)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := LoadConfig(func(k string) string { return tt.env[k] })
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) || strings.Contains(err.Error(), "\n") {
					t.Fatalf("error %v, want one line naming %s", err, tt.wantErr)
				}
				if strings.Contains(err.Error(), "secret") {
					t.Errorf("error shows a password: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, c)
		})
	}
}
