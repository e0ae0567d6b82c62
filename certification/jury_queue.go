package certification

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// juryDesk is the desk (certification_desks) that lists the sessions
// awaiting the jury. The first pass adds a session before it puts it in
// review, publication removes it after: a crash in between leaves an entry
// that the queue skips by its status, never a session the jury cannot find.
const juryDesk = "~jury"

// JuryQueueItem is a session in review as the jury's list shows it.
type JuryQueueItem struct {
	Session    Session
	CentreName string
	// ToReview and Errors count the lines that wait for a decision.
	ToReview, Errors int
}

// JuryQueue lists the sessions in review, oldest first, for an admin:
// three reads by _id (the queue, its sessions, their centres).
func (s *Service) JuryQueue(ctx context.Context, actor *profile.User) ([]JuryQueueItem, error) {
	if actor == nil {
		return nil, errkind.ErrUnauthenticated
	}
	if !actor.Has(profile.RoleAdmin) {
		return nil, fmt.Errorf("certification: jury queue: %w", errkind.ErrForbidden)
	}
	d, err := s.store.desk(ctx, juryDesk)
	if err != nil {
		return nil, err
	}
	sessions, err := s.store.sessionsByID(ctx, d.Sessions)
	if err != nil {
		return nil, err
	}
	sessions = slices.DeleteFunc(sessions, func(x Session) bool { return x.Status != StatusInReview })
	ids := make([]string, 0, len(sessions))
	for _, x := range sessions {
		ids = append(ids, x.CentreID)
	}
	centres, err := s.store.centresByID(ctx, ids)
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(centres))
	for _, c := range centres {
		names[c.ID] = c.Name
	}
	out := make([]JuryQueueItem, 0, len(sessions))
	for _, x := range sessions {
		it := JuryQueueItem{Session: x, CentreName: names[x.CentreID]}
		for _, l := range x.Jury {
			switch {
			case l.settled():
			case l.Mark == MarkError:
				it.Errors++
			default:
				it.ToReview++
			}
		}
		out = append(out, it)
	}
	slices.SortStableFunc(out, func(a, b JuryQueueItem) int {
		return strings.Compare(a.Session.Date+a.Session.Time, b.Session.Date+b.Session.Time)
	})
	return out, nil
}

// removeFromDesk removes a session or a centre from a desk, under its lock.
func (s *Store) removeFromDesk(ctx context.Context, userID, field, id string) error {
	release, err := s.locks.Lock(ctx, "certification-desk:"+userID, lockTTL)
	if err != nil {
		return err
	}
	defer release()
	if _, err := s.desks.UpdateOne(ctx, bson.M{"_id": userID}, bson.M{"$pull": bson.M{field: id}}); err != nil {
		return wrap(err, "desk")
	}
	return nil
}
