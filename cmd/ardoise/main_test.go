package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"ardoise/internal/boot"
)

// syncBuffer is a bytes.Buffer safe to read while run writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func cli(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errb syncBuffer
	code := run(args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

// TestUserCommands drives `ardoise user …` on the embedded store.
func TestUserCommands(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ARDOISE_DATA_DIR", dir)
	t.Setenv("ARDOISE_DEMO", "false")
	code, out, errs := cli(t, "une phrase de passe\n", "user", "create", "--email", "Ines@AC-Lille.fr", "--name", "Inès Vidal",
		"--role", "inspector", "--territory", "Lille/59/Lille Nord", "--password-stdin")
	if code != 0 || !strings.Contains(out, "created Ines@AC-Lille.fr (inspector, teacher)") || !strings.Contains(out, "scope lille/59/Lille Nord\n") {
		t.Fatalf("create: %d %q %q", code, out, errs)
	}
	// The scope: set by the command line only, validated like a territory, never a school.
	for _, bad := range []string{"", "lille/59/Lille Nord/0591234A", "atlantide", "/59"} {
		if code, _, errs := cli(t, "", "user", "set-scope", "--email", "ines@ac-lille.fr", "--scope", bad); code != 2 || !strings.Contains(errs, "--scope") {
			t.Errorf("set-scope %q: %d %q", bad, code, errs)
		}
	}
	if code, out, errs := cli(t, "", "user", "set-scope", "--email", "ines@ac-lille.fr", "--scope", "Amiens/80", "--reason", "mutation"); code != 0 || out != "Ines@AC-Lille.fr: scope amiens/80\n" {
		t.Errorf("set-scope: %d %q %q", code, out, errs)
	}
	if code, _, errs := cli(t, "", "user", "create", "--email", "a@b.fr", "--name", "A", "--role", "learner"); code != 2 || !strings.Contains(errs, "--password-stdin") {
		t.Errorf("create without --password-stdin: %d %q", code, errs)
	}
	if code, _, errs := cli(t, "court\n", "user", "create", "--email", "a@b.fr", "--name", "A", "--role", "learner", "--password-stdin"); code != 1 || !strings.Contains(errs, "--password: password_short") {
		t.Errorf("short password: %d %q", code, errs)
	}
	if code, _, errs := cli(t, "", "user", "set-role", "--email", "ines@ac-lille.fr", "--role", "chef"); code != 2 || !strings.Contains(errs, "--role") {
		t.Errorf("bad role: %d %q", code, errs)
	}
	if code, out, _ := cli(t, "", "user", "set-role", "--email", "ines@ac-lille.fr", "--role", "trainer", "--reason", "mutation"); code != 0 || !strings.Contains(out, "role trainer") {
		t.Errorf("set-role: %d %q", code, out)
	}
	if code, out, _ := cli(t, "", "user", "suspend", "--email", "ines@ac-lille.fr"); code != 0 || !strings.Contains(out, "suspended true") {
		t.Errorf("suspend: %d %q", code, out)
	}
	if code, out, _ := cli(t, "", "user", "reactivate", "--email", "ines@ac-lille.fr"); code != 0 || !strings.Contains(out, "suspended false") {
		t.Errorf("reactivate: %d %q", code, out)
	}
	if code, out, _ := cli(t, "", "user", "list"); code != 0 || !regexp.MustCompile(`Ines@AC-Lille.fr\s+Inès Vidal\s+@ines-vidal\s+trainer\s+teacher\s+true\s+false`).MatchString(out) {
		t.Errorf("list: %d\n%s", code, out)
	}
	if code, _, errs := cli(t, "", "user", "suspend", "--email", "personne@b.fr"); code != 1 || !strings.Contains(errs, "no account") {
		t.Errorf("unknown email: %d %q", code, errs)
	}
	// While a server holds the embedded store, the commands refuse clearly.
	cfg, _ := boot.LoadConfig(os.Getenv)
	sys, err := boot.Open(context.Background(), cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close(context.Background())
	if code, _, errs := cli(t, "", "user", "list"); code != 1 || !strings.Contains(errs, "stop it first") {
		t.Errorf("while running: %d %q", code, errs)
	}
}

// TestAllStartsAndStops runs `ardoise all` on an empty data dir: ready,
// demo accounts written with mode 0600, SIGTERM stops it within 10 s, and a
// second start seeds nothing new.
func TestAllStartsAndStops(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ARDOISE_DATA_DIR", dir)
	t.Setenv("ARDOISE_ADDR", "127.0.0.1:0")
	t.Setenv("ARDOISE_DEMO", "")
	for round := 0; round < 2; round++ {
		var out, errb syncBuffer
		done := make(chan int, 1)
		go func() { done <- run([]string{"all"}, strings.NewReader(""), &out, &errb) }()
		var addr string
		deadline := time.Now().Add(20 * time.Second)
		for addr == "" {
			if m := regexp.MustCompile(`listening on (127\.0\.0\.1:\d+)`).FindStringSubmatch(out.String()); m != nil {
				addr = m[1]
			}
			if time.Now().After(deadline) {
				t.Fatalf("not ready: %s %s", out.String(), errb.String())
			}
			time.Sleep(20 * time.Millisecond)
		}
		resp, err := http.Get("http://" + addr + "/readyz")
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("readyz: %v %v", resp, err)
		}
		resp.Body.Close()
		if round == 0 && (!strings.Contains(out.String(), "admin@demo.ardoise.test") || !strings.Contains(out.String(), "rgpd-en-classe")) {
			t.Errorf("demo accounts or sample modules not printed: %s", out.String())
		}
		if round == 1 && (strings.Contains(out.String(), "created") || strings.Contains(out.String(), "published") || !strings.Contains(out.String(), "Demo accounts: see")) {
			t.Errorf("second start: %s", out.String())
		}
		st, err := os.Stat(filepath.Join(dir, "demo-accounts.txt"))
		if err != nil || st.Mode().Perm() != 0o600 {
			t.Fatalf("demo file: %v %v", st, err)
		}
		if key, err := os.Stat(filepath.Join(dir, "secret.key")); err != nil || key.Mode().Perm() != 0o600 {
			t.Fatalf("secret key: %v %v", key, err)
		}
		start := time.Now()
		stopBySignal(t, done, &errb)
		t.Logf("round %d: stopped in %s", round, time.Since(start))
	}
	raw, _ := os.ReadFile(filepath.Join(dir, "demo-accounts.txt"))
	if n := strings.Count(string(raw), "@demo.ardoise.test"); n != 5 {
		t.Errorf("demo file has %d accounts, want 5 (seeding must be idempotent)", n)
	}
}

func TestBadConfigStopsWithOneLine(t *testing.T) {
	t.Setenv("ARDOISE_ADDR", "pas-une-adresse")
	code, _, errs := cli(t, "", "all")
	if code != 2 || !strings.HasPrefix(errs, "configuration: ARDOISE_ADDR=") || strings.Count(errs, "\n") != 1 {
		t.Errorf("%d %q", code, errs)
	}
}

// TestStoreServesSeveralProcesses runs `ardoise store` and two commands
// that share it through MONGODB_URI, as several serve/worker processes would.
func TestStoreServesSeveralProcesses(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("ARDOISE_DATA_DIR", dir)
	t.Setenv("ARDOISE_STORE_ADDR", "127.0.0.1:0")
	var out, errb syncBuffer
	done := make(chan int, 1)
	go func() { done <- run([]string{"store"}, strings.NewReader(""), &out, &errb) }()
	var uri string
	deadline := time.Now().Add(20 * time.Second)
	for uri == "" {
		if m := regexp.MustCompile(`MONGODB_URI=(mongodb://\S+)`).FindStringSubmatch(out.String()); m != nil {
			uri = m[1]
		}
		if time.Now().After(deadline) {
			t.Fatalf("store not listening: %s %s", out.String(), errb.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Setenv("MONGODB_URI", uri)
	t.Setenv("ARDOISE_DATA_DIR", t.TempDir()) // the clients keep nothing of their own
	t.Setenv("ARDOISE_SECRET_KEY_FILE", filepath.Join(dir, "secret.key"))
	if code, _, errs := cli(t, "une phrase de passe\n", "user", "create", "--email", "partage@exemple.fr", "--name", "Pat Partage", "--role", "admin", "--password-stdin"); code != 0 {
		t.Fatalf("create through the store: %d %s", code, errs)
	}
	if code, out, errs := cli(t, "", "user", "list"); code != 0 || !strings.Contains(out, "partage@exemple.fr") {
		t.Fatalf("list through the store: %d %s %s", code, out, errs)
	}
	stopBySignal(t, done, &errb)
}

// stopBySignal sends SIGTERM to this process, where run is listening for it,
// and expects run to return 0 within the 10 s shutdown budget (and a margin).
func stopBySignal(t *testing.T, done <-chan int, errb *syncBuffer) {
	t.Helper()
	syscall.Kill(os.Getpid(), syscall.SIGTERM)
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("exit %d: %s", code, errb.String())
		}
	case <-time.After(12 * time.Second):
		t.Fatal("not stopped within 10 s of SIGTERM")
	}
}

func TestContentCheckCommand(t *testing.T) {
	if code, _, errs := cli(t, "", "content", "check"); code != 0 || !strings.Contains(errs, "no problem") {
		t.Errorf("built-in content: %d %s", code, errs)
	}
	code, out, _ := cli(t, "", "content", "check", "--dir", "../../assessments/testdata/bad")
	if code != 1 || !strings.Contains(out, "crcn/1.1.yaml:34: solution \"z\" is not a proposal id") {
		t.Errorf("broken content: %d\n%s", code, out)
	}
}

func TestModuleCheckCommand(t *testing.T) {
	code, out, _ := cli(t, "", "module", "check", "../../courses/testdata/bad")
	if code != 1 || !strings.Contains(out, "module.md:5: unknown competence \"9.9\"") {
		t.Errorf("broken module: %d\n%s", code, out)
	}
	entries, _ := os.ReadDir("../../courses/content")
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		if code, out, errs := cli(t, "", "module", "check", "../../courses/content/"+e.Name()); code != 0 {
			t.Errorf("shipped module %s: %d\n%s%s", e.Name(), code, out, errs)
		}
	}
}

// TestModuleImportExport imports a module folder, publishes it and exports
// it back: the zip holds the same files, byte for byte.
func TestModuleImportExport(t *testing.T) {
	t.Setenv("ARDOISE_DATA_DIR", t.TempDir())
	t.Setenv("ARDOISE_DEMO", "false")
	if code, _, errs := cli(t, "une phrase de passe\n", "user", "create", "--email", "formatrice@exemple.fr", "--name", "Flo Formatrice", "--role", "trainer", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "module.md"), []byte("---\ntitle: Essai\nsummary: Un essai.\naudience: all\ncompetences: [\"1.1\"]\nduration_minutes: 20\n---\nIntro.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "01-page.md"), []byte("---\ntitle: Page\n---\nTexte.\n"), 0o644)
	code, out, errs := cli(t, "", "module", "import", dir, "--owner", "formatrice@exemple.fr", "--slug", "essai", "--publish", "première")
	if code != 0 || !strings.Contains(out, "published essai version 1") {
		t.Fatalf("import: %d %s %s", code, out, errs)
	}
	zipPath := filepath.Join(t.TempDir(), "essai.zip")
	if code, out, errs := cli(t, "", "module", "export", "essai", "--version", "1", "--out", zipPath); code != 0 || !strings.Contains(out, "2 files") {
		t.Fatalf("export: %d %s %s", code, out, errs)
	}
	if code, _, errs := cli(t, "", "module", "check", zipPath); code != 0 {
		t.Errorf("exported zip does not check: %s", errs)
	}
	if code, _, errs := cli(t, "", "module", "import", dir, "--owner", "personne@exemple.fr"); code != 1 || !strings.Contains(errs, "no account") {
		t.Errorf("unknown owner: %d %s", code, errs)
	}
}
