package community

import (
	"context"
	"fmt"
	"time"

	"ardoise/internal/errkind"
	"ardoise/profile"
)

// AcademieRequest is a person who moved to an académie and asks to join its
// members-only spaces; they keep their old académie's until a moderator
// of the new académie's space (or an admin) approves.
type AcademieRequest struct {
	UserID      string    `json:"userId"`
	Name        string    `json:"name"`
	Handle      string    `json:"handle"`
	From        string    `json:"from"`        // the name of the académie they are a member of now
	Departement string    `json:"departement"` // the département they declared in the new académie
	Since       time.Time `json:"since"`
}

// Moderation actions on académie requests, as the log names them.
const (
	ActApproveAcademie = "approve-academie"
	ActRefuseAcademie  = "refuse-academie"
)

// academieSpace returns an académie space u moderates; other spaces have
// no requests, so they are not found.
func (s *Service) academieSpace(ctx context.Context, u *profile.User, spaceID string) (*Space, error) {
	sp, err := s.moderated(ctx, u, spaceID)
	if err != nil {
		return nil, err
	}
	if sp.Kind != KindAcademie {
		return nil, fmt.Errorf("community: %s takes no académie requests: %w", spaceID, errkind.ErrNotFound)
	}
	return sp, nil
}

// AcademieRequests lists the requests to join an académie's spaces, oldest
// first; the space's moderators and admins only.
func (s *Service) AcademieRequests(ctx context.Context, u *profile.User, spaceID string) (*Space, []AcademieRequest, error) {
	sp, err := s.academieSpace(ctx, u, spaceID)
	if err != nil {
		return nil, nil, err
	}
	users, err := s.profile.SpaceRequests(ctx, sp.Ref)
	if err != nil {
		return nil, nil, err
	}
	out := make([]AcademieRequest, 0, len(users))
	for _, r := range users {
		out = append(out, AcademieRequest{UserID: r.ID, Name: r.Shown(), Handle: r.Handle, From: profile.AcademieName(r.SpaceAcademie),
			Departement: r.Territory.Departement, Since: r.SpaceRequestAt})
	}
	return sp, out, nil
}

// Decisions on an académie request.
const (
	DecisionApprove = "approve"
	DecisionRefuse  = "refuse"
)

// ResolveAcademieRequest approves or refuses (decision) a person's request
// to join an académie's spaces (the space's moderators and admins), and
// logs it. An approval moves the person's access from their old académie
// and département to the new ones; a refusal keeps the old access.
func (s *Service) ResolveAcademieRequest(ctx context.Context, u *profile.User, spaceID, userID, decision string) error {
	sp, err := s.academieSpace(ctx, u, spaceID)
	if err != nil {
		return err
	}
	if decision != DecisionApprove && decision != DecisionRefuse {
		return errkind.Invalid("decision", "bad_choice")
	}
	approve := decision == DecisionApprove
	before, err := s.profile.User(ctx, userID)
	if err != nil {
		return err
	}
	if _, err := s.profile.ResolveSpaceRequest(ctx, userID, sp.Ref, approve); err != nil {
		return err
	}
	what := ActRefuseAcademie
	if approve {
		what = ActApproveAcademie
	}
	s.logAction(ctx, Action{SpaceID: sp.ID, By: u.ID, ByName: u.Name, What: what,
		Target: userID + " " + before.SpaceAcademie + "→" + sp.Ref})
	return nil
}
