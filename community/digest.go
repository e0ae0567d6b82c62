package community

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/hibiken/asynq"

	"ardoise/internal/database"
	"ardoise/internal/errkind"
	"ardoise/internal/mail"
	"ardoise/profile"
)

// Scheduled digest tasks: the worker's schedule enqueues each once per
// period with a task id naming the period, and each digest mail's id names
// the period and the person, so several workers never send one twice.
const (
	TypeDigestDaily  = "community:digest-daily"
	TypeDigestWeekly = "community:digest-weekly"
)

// Digest periods.
const (
	Day  = 24 * time.Hour
	Week = 7 * Day
)

// SetDigest records how a person wants their notifications emailed.
func (s *Service) SetDigest(ctx context.Context, userID, digest string) error {
	switch digest {
	case DigestImmediate, DigestDaily, DigestWeekly, DigestNone:
	default:
		return errkind.Invalid("digest", "bad_choice")
	}
	return s.store.SetDigest(ctx, userID, digest)
}

// UnsubscribeURL is the one-click link, valid without login, that stops a
// person's notification emails: it carries a signature of their id.
func (s *Service) UnsubscribeURL(userID string) string {
	return s.baseURL + "/communaute/desabonnement?u=" + url.QueryEscape(userID) + "&s=" + s.keys.Sign("digest-unsubscribe", userID)
}

// Unsubscribe stops the notification emails of the person a signed link names.
func (s *Service) Unsubscribe(ctx context.Context, userID, sig string) error {
	if userID == "" || !s.keys.Verify(sig, "digest-unsubscribe", userID) {
		return fmt.Errorf("community: bad unsubscribe link: %w", errkind.ErrNotFound)
	}
	return s.SetDigest(ctx, userID, DigestNone)
}

// HandleDigestDaily sends the daily digests of the current day.
func (s *Service) HandleDigestDaily(ctx context.Context, _ *asynq.Task) error {
	_, err := s.SendDigests(ctx, DigestDaily, s.now().Truncate(Day))
	return err
}

// HandleDigestWeekly sends the weekly digests of the current week.
func (s *Service) HandleDigestWeekly(ctx context.Context, _ *asynq.Task) error {
	_, err := s.SendDigests(ctx, DigestWeekly, s.now().Truncate(Week))
	return err
}

// SendDigests emails, to each person who chose this frequency (daily is the
// default) and whose address is verified, the notifications not emailed
// yet, grouped by thread, then marks them emailed. The mail id names the
// period and the person: a second run for the same period sends nothing
// new. It returns how many digests it sent.
func (s *Service) SendDigests(ctx context.Context, freq string, period time.Time) (int, error) {
	members, err := s.store.DigestMembers(ctx, freq)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, m := range members {
		ok, err := s.digestFor(ctx, m.ID, freq, period)
		if err != nil {
			return sent, err
		}
		if ok {
			sent++
		}
	}
	return sent, nil
}

func (s *Service) digestFor(ctx context.Context, userID, freq string, period time.Time) (bool, error) {
	u, err := s.profile.User(ctx, userID)
	if errkind.IsNotFound(err) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	if !u.CanReceiveMail() {
		return false, nil
	}
	notes, err := s.store.ToDigest(ctx, userID)
	if err != nil {
		return false, err
	}
	if notes, err = s.stillVisible(ctx, u, notes); err != nil || len(notes) == 0 {
		return false, err
	}
	lang := u.Locale
	var b strings.Builder
	b.WriteString(s.cat.T(lang, "community.mail.digest_intro", "n", len(notes)) + "\n")
	var order []string
	byThread := map[string][]Notification{}
	for _, n := range notes {
		if _, ok := byThread[n.ThreadID]; !ok {
			order = append(order, n.ThreadID)
		}
		byThread[n.ThreadID] = append(byThread[n.ThreadID], n)
	}
	ids := []string{}
	for _, tid := range order {
		group := byThread[tid]
		fmt.Fprintf(&b, "\n%s\n", group[0].Title)
		for _, n := range group {
			fmt.Fprintf(&b, "  - %s\n", s.cat.T(lang, "community.mail.line."+n.Kind, "by", n.ByName))
			ids = append(ids, n.ID)
		}
		fmt.Fprintf(&b, "  %s/communaute/fils/%s\n", s.baseURL, tid)
	}
	b.WriteString("\n" + s.cat.T(lang, "community.mail.footer", "unsubscribe", s.UnsubscribeURL(userID)))
	// The id names the notifications it carries: a retry after a crash
	// between the send and the marking finds its message already stored and
	// sends nothing twice, while a notification that arrived meanwhile makes
	// a new message instead of being marked emailed without being in one.
	msg := mail.Message{ID: digestID(freq, period, userID, ids), To: u.Email,
		Subject: s.cat.T(lang, "community.mail.digest_subject", "n", len(notes)), Body: b.String()}
	if err := s.mailer.Send(ctx, msg); err != nil && !database.IsDuplicate(err) {
		return false, err
	}
	if err := s.store.MarkDigested(ctx, ids); err != nil {
		return false, err
	}
	s.copyNotes(ctx, ids)
	return true, nil
}

// digestID is the mail id of the digest of notifications ids.
func digestID(freq string, period time.Time, userID string, ids []string) string {
	h := sha256.Sum256([]byte(strings.Join(ids, ",")))
	return "digest:" + freq + ":" + period.UTC().Format("2006-01-02") + ":" + userID + ":" + hex.EncodeToString(h[:8])
}

// stillVisible keeps the notifications of threads the person can still
// see; the others (a members-only space they lost access to since) are
// marked emailed and left out of the digest.
func (s *Service) stillVisible(ctx context.Context, u *profile.User, notes []Notification) ([]Notification, error) {
	if len(notes) == 0 {
		return notes, nil
	}
	ids := []string{}
	for _, n := range notes {
		if !slices.Contains(ids, n.ThreadID) {
			ids = append(ids, n.ThreadID)
		}
	}
	threads, err := s.store.ThreadSpaces(ctx, ids)
	if err != nil {
		return nil, err
	}
	sees := map[string]bool{}
	for _, th := range threads {
		sp, err := s.Space(ctx, th.SpaceID)
		if errkind.IsNotFound(err) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if sees[th.ID], err = s.sees(ctx, sp, u); err != nil {
			return nil, err
		}
	}
	keep, drop := []Notification{}, []string{}
	for _, n := range notes {
		if sees[n.ThreadID] {
			keep = append(keep, n)
		} else {
			drop = append(drop, n.ID)
		}
	}
	if len(drop) > 0 {
		if err := s.store.MarkDigested(ctx, drop); err != nil {
			return nil, err
		}
		s.copyNotes(ctx, drop)
	}
	return keep, nil
}
