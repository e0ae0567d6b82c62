package certificates

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"ardoise/internal/keyring"
	"github.com/go-jose/go-jose/v4"
)

// KeysCollection holds the issuer's signing keys: each private key sealed
// with the secret key, so that every serve and worker process signs with,
// and publishes, the same set.
const KeysCollection = "credential_keys"

// sealPurpose binds the sealed private keys to this use of the secret key.
const sealPurpose = "credential-signing-key"

// keysFresh is how long a process trusts its copy of the key set: a key
// another process rotated in is used and published after at most this.
const keysFresh = 30 * time.Second

// keyDoc is one signing key as stored.
type keyDoc struct {
	// ID is the key's kid: its creation date and a random suffix.
	ID        string    `bson:"_id"`
	Alg       string    `bson:"alg"`
	Sealed    string    `bson:"sealed"` // PKCS #8 DER, sealed (keyring.Seal)
	CreatedAt time.Time `bson:"createdAt"`
}

// signingKey is an opened key.
type signingKey struct {
	kid       string
	private   *ecdsa.PrivateKey
	createdAt time.Time
}

// keySet is a process's cached copy of the stored keys.
type keySet struct {
	mu     sync.Mutex
	keys   []signingKey // oldest first
	loaded time.Time
}

// keys returns the stored keys, oldest first, creating the first one when
// there is none (two processes starting together may both create one:
// both are published, and the newer signs).
func (s *Service) keys(ctx context.Context) ([]signingKey, error) {
	s.keyCache.mu.Lock()
	defer s.keyCache.mu.Unlock()
	if len(s.keyCache.keys) > 0 && s.now().Sub(s.keyCache.loaded) < keysFresh {
		return s.keyCache.keys, nil
	}
	keys, err := s.loadKeys(ctx)
	if err != nil {
		return nil, err
	}
	if len(keys) == 0 {
		if _, err := s.addKey(ctx); err != nil {
			return nil, err
		}
		if keys, err = s.loadKeys(ctx); err != nil {
			return nil, err
		}
	}
	s.keyCache.keys, s.keyCache.loaded = keys, s.now()
	return keys, nil
}

// loadKeys reads and opens every stored key, oldest first.
func (s *Service) loadKeys(ctx context.Context) ([]signingKey, error) {
	if s.sealer == nil {
		return nil, errors.New("certificates: no secret key to open the signing keys")
	}
	docs, err := s.store.allKeys(ctx)
	if err != nil {
		return nil, err
	}
	keys := make([]signingKey, 0, len(docs))
	for _, d := range docs {
		der, err := s.sealer.Open(sealPurpose, d.Sealed)
		if err != nil {
			return nil, fmt.Errorf("certificates: signing key %s: %w", d.ID, err)
		}
		k, err := x509.ParsePKCS8PrivateKey(der)
		if err != nil {
			return nil, fmt.Errorf("certificates: signing key %s: %w", d.ID, err)
		}
		ec, ok := k.(*ecdsa.PrivateKey)
		if !ok {
			return nil, fmt.Errorf("certificates: signing key %s is not an ECDSA key", d.ID)
		}
		keys = append(keys, signingKey{kid: d.ID, private: ec, createdAt: d.CreatedAt})
	}
	slices.SortFunc(keys, func(a, b signingKey) int {
		if c := a.createdAt.Compare(b.createdAt); c != 0 {
			return c
		}
		return strings.Compare(a.kid, b.kid)
	})
	return keys, nil
}

// RotateKey adds a new ES256 signing key, which signs from then on; the
// older keys stay published so that what they signed still verifies. It
// returns the new key's kid (`ardoise keys rotate`).
func (s *Service) RotateKey(ctx context.Context) (string, error) {
	kid, err := s.addKey(ctx)
	if err != nil {
		return "", err
	}
	s.keyCache.mu.Lock()
	s.keyCache.loaded = time.Time{}
	s.keyCache.mu.Unlock()
	return kid, nil
}

// addKey stores a new signing key and returns its kid.
func (s *Service) addKey(ctx context.Context) (string, error) {
	if s.sealer == nil {
		return "", errors.New("certificates: no secret key to seal a signing key")
	}
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return "", err
	}
	der, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return "", err
	}
	now := s.now()
	kid := now.Format("20060102") + "-" + strings.ToLower(keyring.RandomToken(6))
	d := keyDoc{ID: kid, Alg: string(jose.ES256), Sealed: s.sealer.Seal(sealPurpose, der), CreatedAt: now}
	if err := s.store.putKey(ctx, d); err != nil {
		return "", err
	}
	return kid, nil
}

// JWKS returns the issuer's public keys, every one ever used, as a JSON
// Web Key Set (served at /.well-known/jwks.json).
func (s *Service) JWKS(ctx context.Context) (*jose.JSONWebKeySet, error) {
	keys, err := s.keys(ctx)
	if err != nil {
		return nil, err
	}
	set := &jose.JSONWebKeySet{Keys: make([]jose.JSONWebKey, 0, len(keys))}
	for _, k := range keys {
		set.Keys = append(set.Keys, jose.JSONWebKey{Key: &k.private.PublicKey, KeyID: k.kid, Algorithm: string(jose.ES256), Use: "sig"})
	}
	return set, nil
}

// sign signs payload as a compact JWS (a JWT) with the newest key.
func (s *Service) sign(ctx context.Context, payload any) (string, error) {
	keys, err := s.keys(ctx)
	if err != nil {
		return "", err
	}
	k := keys[len(keys)-1]
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.ES256, Key: jose.JSONWebKey{Key: k.private, KeyID: k.kid}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		return "", err
	}
	raw, err := json.Marshal(payload)
	if err != nil {
		return "", err
	}
	jws, err := signer.Sign(raw)
	if err != nil {
		return "", err
	}
	return jws.CompactSerialize()
}
