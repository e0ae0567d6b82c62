package certificates

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"ardoise/internal/errkind"
)

// StatusListBits is the length of a status list: the specification's
// minimum, 131,072 entries (16 KB), so that a bit says nothing about who
// holds it.
const StatusListBits = 131072

// maxStatusLists bounds the lists served (and tried when issuing).
const maxStatusLists = 999

// slotTries is how many random indexes of a list issuing tries before the
// next list: a list is left once about 85 % full.
const slotTries = 16

// statusCache keeps each list's signed credential for its version.
type statusCache struct {
	mu    sync.Mutex
	lists map[string]cachedList
}

type cachedList struct {
	version int
	jwt     string
}

// allocateSlot claims a random free index for certificate certID, in the
// first list that has one within slotTries draws.
func (s *Service) allocateSlot(ctx context.Context, certID string) (string, int, error) {
	for n := 1; n <= maxStatusLists; n++ {
		list := strconv.Itoa(n)
		for range slotTries {
			i := rand.IntN(StatusListBits)
			ok, err := s.store.claimSlot(ctx, list, i, certID)
			if err != nil {
				return "", 0, err
			}
			if ok {
				return list, i, nil
			}
		}
	}
	return "", 0, fmt.Errorf("certificates: every status list is full: %w", errkind.ErrUnavailable)
}

// bit reports bit i of a list, the first bit being the first byte's most
// significant (Bitstring Status List).
func bit(bits []byte, i int) bool { return bits[i/8]&(0x80>>(i%8)) != 0 }

func setBit(bits []byte, i int, on bool) {
	if on {
		bits[i/8] |= 0x80 >> (i % 8)
	} else {
		bits[i/8] &^= 0x80 >> (i % 8)
	}
}

// EncodeList is a list's encodedList: multibase "u", base64url without
// padding, of the GZIP-compressed bits.
func EncodeList(bits []byte) (string, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	if _, err := zw.Write(bits); err != nil {
		return "", err
	}
	if err := zw.Close(); err != nil {
		return "", err
	}
	return "u" + base64.RawURLEncoding.EncodeToString(buf.Bytes()), nil
}

// StatusListCredential is a BitstringStatusListCredential, with the JWT
// registered claims of its proof.
type StatusListCredential struct {
	Context           []string          `json:"@context"`
	ID                string            `json:"id"`
	Type              []string          `json:"type"`
	Issuer            string            `json:"issuer"`
	ValidFrom         string            `json:"validFrom"`
	CredentialSubject StatusListSubject `json:"credentialSubject"`
	Claims
}

// StatusListSubject holds a list's bits.
type StatusListSubject struct {
	ID            string `json:"id"`
	Type          string `json:"type"`
	StatusPurpose string `json:"statusPurpose"`
	EncodedList   string `json:"encodedList"`
}

// StatusList returns status list `list` as a signed credential (a JWT):
// one read of the list by _id; signed again only when a bit changed.
func (s *Service) StatusList(ctx context.Context, list string) (string, error) {
	if n, err := strconv.Atoi(list); err != nil || n < 1 || n > maxStatusLists || strconv.Itoa(n) != list {
		return "", fmt.Errorf("certificates: status list %q: %w", list, errkind.ErrNotFound)
	}
	d, err := s.store.statusList(ctx, list)
	if err != nil {
		return "", err
	}
	s.statuses.mu.Lock()
	cached, ok := s.statuses.lists[list]
	s.statuses.mu.Unlock()
	if ok && cached.version == d.Version {
		return cached.jwt, nil
	}
	encoded, err := EncodeList(d.Bits)
	if err != nil {
		return "", err
	}
	now := s.now().UTC().Truncate(time.Second)
	url := s.StatusListURL(list)
	jwt, err := s.sign(ctx, StatusListCredential{
		Context: []string{ContextVC}, ID: url, Type: []string{"VerifiableCredential", "BitstringStatusListCredential"},
		Issuer: s.IssuerID(), ValidFrom: now.Format(time.RFC3339),
		CredentialSubject: StatusListSubject{ID: url + "#list", Type: "BitstringStatusList", StatusPurpose: StatusPurpose,
			EncodedList: encoded},
		Claims: Claims{Iss: s.IssuerID(), Jti: url, Nbf: now.Unix()},
	})
	if err != nil {
		return "", err
	}
	s.statuses.mu.Lock()
	if s.statuses.lists == nil {
		s.statuses.lists = map[string]cachedList{}
	}
	s.statuses.lists[list] = cachedList{version: d.Version, jwt: jwt}
	s.statuses.mu.Unlock()
	return jwt, nil
}

// SyncStatus writes a certificate's suspension bit from its revoked state,
// then clears its status marker, unless its state changed meanwhile (then
// it writes again). Idempotent: the task may run twice, or after a newer
// change.
func (s *Service) SyncStatus(ctx context.Context, certID string) error {
	for range 20 {
		c, err := s.EnsureCredential(ctx, certID)
		if err != nil {
			return err
		}
		if c.Credential != nil {
			if err := s.writeBit(ctx, c.Credential.List, c.Credential.Index, c.Revoked); err != nil {
				return err
			}
		}
		cleared, err := s.store.clearPending(ctx, c.ID, markerStatus, c.StateVersion)
		if err != nil || cleared {
			return err
		}
	}
	return fmt.Errorf("certificates: status of %s keeps changing: %w", certID, errkind.ErrConflict)
}

// writeBit sets bit index of list to on, guarded by the list's version.
func (s *Service) writeBit(ctx context.Context, list string, index int, on bool) error {
	for range 50 {
		d, err := s.store.statusList(ctx, list)
		if err != nil {
			return err
		}
		if bit(d.Bits, index) == on {
			return nil
		}
		setBit(d.Bits, index, on)
		d.Version++
		ok, err := s.store.putStatusList(ctx, d)
		if err != nil || ok {
			return err
		}
	}
	return fmt.Errorf("certificates: status list %s: too many concurrent writes: %w", list, errkind.ErrConflict)
}
