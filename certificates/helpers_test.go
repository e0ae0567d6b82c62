package certificates_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"ardoise/certificates"
	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/i18n"
	"ardoise/internal/mail"
	"ardoise/internal/teststore"
)

// fixture is what a certificates test reads besides the service: its
// fresh database and the mail outbox.
type fixture struct {
	DB     *database.DB
	Mailer *mail.Mailer
}

// each runs fn on every backend with a fresh database (the store fixture:
// no app, no queue), the certificates' and the mail outbox's indexes, and
// a service on them.
func each(t *testing.T, fn func(t *testing.T, fx *fixture, s *certificates.Service)) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	teststore.ForEach(t, func(t *testing.T, db *database.DB) {
		mailer, err := mail.New(db, "", teststore.Logger())
		if err != nil {
			t.Fatal(err)
		}
		s := certificates.NewService(certificates.Deps{
			DB: db, Mailer: mailer, Catalog: cat, BaseURL: "http://localhost", Logger: teststore.Logger(),
		})
		fn(t, &fixture{DB: db, Mailer: mailer}, s)
	}, slices.Concat(certificates.Indexes, mail.Indexes)...)
}

func request(sourceID string) certificates.Request {
	return certificates.Request{
		SourceID: sourceID, HolderID: "u-claire", HolderName: "Claire Dupré-Lefèvre",
		HolderEmail: "claire." + sourceID + "@ac-lyon.fr", HolderLocale: "fr",
		Title: "Évaluer avec le numérique", Slug: "evaluer-numerique", Version: 3,
		Objectives: []string{
			"Concevoir un quiz adapté à ses élèves",
			"Exploiter les résultats pour différencier l'enseignement",
			"Respecter le RGPD dans le choix des outils",
		},
		Nature: certificates.NatureDistance, DeclaredMinutes: 210, Result: "Quiz réussi : 80 %",
		CompletedAt: time.Date(2026, 11, 29, 15, 4, 0, 0, time.UTC),
		Issuer:      "Réseau Canopé — Ardoise",
	}
}

// source is a tiny in-memory Source.
type source struct {
	mu   sync.Mutex
	reqs map[string]certificates.Request
	done map[string]int
	// erased lists holders whose account was erased.
	erased map[string]bool
}

func newSource() *source {
	return &source{reqs: map[string]certificates.Request{}, done: map[string]int{}, erased: map[string]bool{}}
}

func (s *source) AttestationRequest(_ context.Context, id string) (certificates.Request, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.reqs[id]
	if !ok {
		return r, errkind.ErrNotFound
	}
	return r, nil
}

func (s *source) AttestationDone(_ context.Context, id string, _ int) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.done[id]++
	return true, nil
}

func (s *source) HolderErased(_ context.Context, id string) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.erased[id], nil
}

func (s *source) doneCount(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.done[id]
}
