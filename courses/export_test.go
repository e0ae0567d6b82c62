package courses

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// Store methods for this package's tests only.

// RenderedWith reports whether the stored rendering id (slug@number) was
// made by the sanitizing policy policyVersion.
func (s *Store) RenderedWith(ctx context.Context, id, policyVersion string) (bool, error) {
	_, err := s.rendering(ctx, id, policyVersion)
	if errkind.IsNotFound(err) {
		return false, nil
	}
	return err == nil, err
}

// RestampRendering stores the rendering id, made by policy from, again as
// if policy to had made it: what an earlier release leaves behind.
func (s *Store) RestampRendering(ctx context.Context, id, from, to string) error {
	r, err := s.rendering(ctx, id, from)
	if err != nil {
		return err
	}
	r.PolicyVersion = to
	return s.saveRendering(ctx, *r)
}

// InsertUnplaced stores a new line as a crash right after its insert
// leaves it: with its line-page marker, in no page.
func (s *Store) InsertUnplaced(ctx context.Context, l *Line) error {
	return s.insertMarked(ctx, l, time.Now().UTC())
}

// InsertLegacy stores a line as a release from before the hours pages
// wrote it: no marker, no place.
func (s *Store) InsertLegacy(ctx context.Context, l *Line) error {
	_, err := s.ledger.InsertOne(ctx, l)
	return err
}

// PageEntries reads every page of the list of scope (the territory an
// inspector's scope names, or nil for the nation's) as stored: how many
// times each line is there, its state there, and the head's last seq.
func (s *Store) PageEntries(ctx context.Context, scope *profile.Territory) (count map[string]int, state map[string]string, next int, err error) {
	ps := pageScopes(profile.Territory{})[0]
	if scope != nil {
		all := pageScopes(*scope)
		ps = all[len(all)-1]
	}
	head := &lineHead{}
	if err := s.pages.FindOne(ctx, bson.M{"_id": lineHeadID(ps.key)}).Decode(head); err != nil {
		return nil, nil, 0, err
	}
	count, state = map[string]int{}, map[string]string{}
	for k := 0; k <= linePageOf(max(head.Next, 1)); k++ {
		doc := &linePageDoc{}
		err := s.pages.FindOne(ctx, bson.M{"_id": linePageID(ps.key, k)}).Decode(doc)
		if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
			return nil, nil, 0, err
		}
		for key, l := range doc.Lines {
			if seq, _ := strconv.Atoi(key); linePageOf(seq) != k || seq > head.Next {
				return nil, nil, 0, fmt.Errorf("page %d holds seq %s (head %d)", k, key, head.Next)
			}
			count[l.ID]++
			state[l.ID] = l.State
		}
	}
	return count, state, head.Next, nil
}

// LinePending reads a line's markers.
func (s *Store) LinePending(ctx context.Context, id string) ([]string, error) {
	l, err := s.line(ctx, id)
	if err != nil {
		return nil, err
	}
	return l.Pending, nil
}
