// Package keyring loads the secret keys that sign and encrypt Ardoise's
// cookies and tokens, and seals and opens values with them.
package keyring

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Keyring derives purpose-bound keys from one master secret.
type Keyring struct {
	sealKey cipher.AEAD
	signKey []byte
}

// ErrBadSeal is returned when a sealed value was tampered with, made with
// another key, or is not a sealed value at all.
var ErrBadSeal = errors.New("keyring: value is not authentic")

// LoadOrCreate reads the master secret from path (64 hex characters), creating
// it with mode 0600 when create is true and the file does not exist.
func LoadOrCreate(path string, create bool) (*Keyring, error) {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && create {
		secret := make([]byte, 32)
		if _, err := rand.Read(secret); err != nil {
			return nil, err
		}
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		raw = []byte(hex.EncodeToString(secret) + "\n")
		// O_EXCL: two processes starting together must not both write a key.
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
		if errors.Is(err, fs.ErrExist) {
			return LoadOrCreate(path, false)
		}
		if err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
		if _, err := f.Write(raw); err != nil {
			f.Close()
			return nil, fmt.Errorf("keyring: %w", err)
		}
		if err := f.Close(); err != nil {
			return nil, fmt.Errorf("keyring: %w", err)
		}
	} else if err != nil {
		return nil, fmt.Errorf("keyring: %w", err)
	}
	secret, err := hex.DecodeString(strings.TrimSpace(string(raw)))
	if err != nil || len(secret) < 32 {
		return nil, fmt.Errorf("keyring: %s must hold at least 64 hexadecimal characters", path)
	}
	return New(secret)
}

// New builds a keyring from a master secret of at least 32 bytes.
func New(secret []byte) (*Keyring, error) {
	if len(secret) < 32 {
		return nil, errors.New("keyring: secret shorter than 32 bytes")
	}
	block, err := aes.NewCipher(derive(secret, "seal"))
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Keyring{sealKey: aead, signKey: derive(secret, "sign")}, nil
}

func derive(secret []byte, purpose string) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("ardoise/" + purpose))
	return m.Sum(nil)
}

// Seal encrypts and authenticates plaintext for purpose; the result is URL-safe text.
// A value sealed for one purpose cannot be opened for another.
func (k *Keyring) Seal(purpose string, plaintext []byte) string {
	nonce := make([]byte, k.sealKey.NonceSize())
	if _, err := rand.Read(nonce); err != nil {
		panic("keyring: no randomness: " + err.Error())
	}
	out := k.sealKey.Seal(nonce, nonce, plaintext, []byte(purpose))
	return base64.RawURLEncoding.EncodeToString(out)
}

// Open decrypts a value made by Seal for the same purpose.
func (k *Keyring) Open(purpose, sealed string) ([]byte, error) {
	raw, err := base64.RawURLEncoding.DecodeString(sealed)
	if err != nil || len(raw) < k.sealKey.NonceSize()+k.sealKey.Overhead() {
		return nil, ErrBadSeal
	}
	n := k.sealKey.NonceSize()
	plain, err := k.sealKey.Open(nil, raw[:n], raw[n:], []byte(purpose))
	if err != nil {
		return nil, ErrBadSeal
	}
	return plain, nil
}

// Sign returns a URL-safe MAC of the parts for purpose.
func (k *Keyring) Sign(purpose string, parts ...string) string {
	m := hmac.New(sha256.New, k.signKey)
	m.Write([]byte(purpose))
	for _, p := range parts {
		m.Write([]byte{0})
		m.Write([]byte(p))
	}
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// Verify reports whether mac is Sign(purpose, parts...), in constant time.
func (k *Keyring) Verify(mac, purpose string, parts ...string) bool {
	return hmac.Equal([]byte(mac), []byte(k.Sign(purpose, parts...)))
}

// RandomToken returns n random bytes as URL-safe text.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("keyring: no randomness: " + err.Error())
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
