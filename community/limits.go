package community

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strings"
	"time"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Trust levels: a new account (under a day old, or fewer than 3 posts)
// posts less, links less and shows no images; everyone is rate-limited.
type trustLevel struct {
	PostsPerHour int64
	LinksPerPost int
	Images       bool
}

var (
	newcomer = trustLevel{PostsPerHour: 5, LinksPerPost: 2, Images: false}
	member   = trustLevel{PostsPerHour: 30, LinksPerPost: 10, Images: true}
)

// Refusal codes of a post (HTTP 422), besides the 429 of the rate limit.
const (
	RefusedDuplicate = "duplicate_post" // the same text was just posted
	RefusedLinks     = "trust_links"    // too many links for the account's trust level
	RefusedImages    = "trust_images"   // images are not allowed yet
	RefusedSilenced  = "silenced"       // silenced in this space
	RefusedLocked    = "thread_locked"  // the thread is locked: no edit (moderators excepted)
)

// minGap is the least time between two posts of one person.
const minGap = 10 * time.Second

var (
	linkRe  = regexp.MustCompile(`(?i)https?://|\]\(`)
	imageRe = regexp.MustCompile(`!\[[^\]]*\]\(`)
)

// trust is a person's level: their account's age and their posts so far.
func (s *Service) trust(ctx context.Context, u *profile.User) trustLevel {
	if s.now().Sub(u.CreatedAt) < 24*time.Hour {
		return newcomer
	}
	if m, err := s.store.Member(ctx, u.ID); err != nil || m.Posts < 3 {
		return newcomer
	}
	return member
}

func checkLinks(u *profile.User, body string, lvl trustLevel) error {
	if len(linkRe.FindAllString(body, -1)) > lvl.LinksPerPost {
		return &errkind.RefusedError{Code: RefusedLinks}
	}
	if !lvl.Images && imageRe.MatchString(body) {
		return &errkind.RefusedError{Code: RefusedImages}
	}
	return nil
}

// mayPost applies the posting rules: silence in the space, the trust
// level's limits, the rate limits (one post per 10 s, a number per hour)
// and the refusal of a text its author just posted.
func (s *Service) mayPost(ctx context.Context, u *profile.User, sp *Space, body string) error {
	if !u.EmailVerified {
		return errkind.EmailUnverified()
	}
	if until := sp.SilencedUntil(u.ID, s.now()); !until.IsZero() {
		return &errkind.RefusedError{Code: RefusedSilenced}
	}
	if _, err := s.Preview(body); err != nil {
		return err
	}
	lvl := s.trust(ctx, u)
	if err := checkLinks(u, body, lvl); err != nil {
		return err
	}
	sum := sha256.Sum256([]byte(u.ID + "\x00" + strings.ToLower(strings.Join(strings.Fields(body), " "))))
	textKey := "post-text:" + hex.EncodeToString(sum[:12])
	if n, _, err := s.limiter.Count(ctx, textKey); err != nil {
		return err
	} else if n > 0 {
		return &errkind.RefusedError{Code: RefusedDuplicate}
	}
	if err := s.rateLimit(ctx, "post", u, lvl); err != nil {
		return err
	}
	_, _, err := s.limiter.Hit(ctx, textKey, 10*time.Minute)
	return err
}

// rateLimit counts a post (what "post") or an edit (what "edit") against
// the person's limits, the same for both but counted apart, so that fixing
// a typo right after posting is not refused: one every 10 s, and the trust
// level's number an hour. A double submit is two requests at once: the gap
// limit (an atomic count) refuses the second.
func (s *Service) rateLimit(ctx context.Context, what string, u *profile.User, lvl trustLevel) error {
	ok, wait, err := s.limiter.Allow(ctx, what+"-gap:"+u.ID, 1, minGap)
	if err != nil {
		return err
	}
	if ok {
		ok, wait, err = s.limiter.Allow(ctx, what+"-hour:"+u.ID, lvl.PostsPerHour, time.Hour)
		if err != nil {
			return err
		}
	}
	if !ok {
		return &errkind.RateLimitedError{RetryAfter: wait}
	}
	return nil
}

// afterPost counts a post in the author's standing.
func (s *Service) afterPost(ctx context.Context, u *profile.User, sp *Space) {
	if err := s.store.IncMemberPosts(ctx, u.ID); err != nil {
		s.logger.Warn("community: count post", "user", u.ID, "space", sp.ID, "err", fmt.Sprint(err))
	}
}
