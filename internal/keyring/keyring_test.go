package keyring

import (
	"os"
	"path/filepath"
	"testing"
)

func TestSealOpenSign(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "sub", "secret.key")
	k, err := LoadOrCreate(path, true)
	if err != nil {
		t.Fatal(err)
	}
	st, err := os.Stat(path)
	if err != nil || st.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v %v", st, err)
	}
	again, err := LoadOrCreate(path, true)
	if err != nil {
		t.Fatal(err)
	}
	sealed := k.Seal("session", []byte("user-1"))
	if got, err := again.Open("session", sealed); err != nil || string(got) != "user-1" {
		t.Fatalf("reloaded key cannot open: %q %v", got, err)
	}
	if _, err := k.Open("reset", sealed); err != ErrBadSeal {
		t.Error("a session value opens as a reset value")
	}
	tampered := []byte(sealed)
	tampered[len(tampered)/2] ^= 1
	if _, err := k.Open("session", string(tampered)); err != ErrBadSeal {
		t.Error("tampered value opens")
	}
	if _, err := k.Open("session", "%%%"); err != ErrBadSeal {
		t.Error("garbage opens")
	}
	mac := k.Sign("csrf", "seed")
	if !k.Verify(mac, "csrf", "seed") || k.Verify(mac, "csrf", "other") || k.Verify(mac, "other", "seed") {
		t.Error("signature checks wrong")
	}
	other, _ := LoadOrCreate(filepath.Join(dir, "other.key"), true)
	if _, err := other.Open("session", sealed); err != ErrBadSeal {
		t.Error("another key opens the value")
	}
	os.WriteFile(filepath.Join(dir, "short.key"), []byte("abcd"), 0o600)
	if _, err := LoadOrCreate(filepath.Join(dir, "short.key"), true); err == nil {
		t.Error("a short key is accepted")
	}
}
