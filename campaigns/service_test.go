package campaigns_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"ardoise/campaigns"
	"ardoise/internal/errkind"
	"ardoise/internal/testenv"
	"ardoise/profile"
)

func fieldCode(err error, field string) string {
	var v *errkind.ValidationError
	if !errors.As(err, &v) {
		return ""
	}
	for _, f := range v.Fields {
		if f.Field == field {
			return f.Code
		}
	}
	return ""
}

// TestCreateCampaign: a trainer and an inspector create campaigns with
// fresh codes from the unambiguous alphabet, dates default to now and 60
// days later, each lists only their own, and nobody else reads one; a
// learner may not create one, and each bad input gets its field error.
func TestCreateCampaign(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	ctx := testenv.Ctx(t)
	svc := env.Sys.Campaigns
	trainer := env.CreateUser(t, profile.RoleTrainer)
	inspector := env.CreateUser(t, profile.RoleInspector)
	learner := env.CreateUser(t, profile.RoleLearner)

	c, err := svc.Create(ctx, trainer, campaigns.NewCampaign{Title: "Avant la formation RGPD", Framework: "enseignants",
		Targets: map[string]int{"E4.2": 3, "E2.1": 2}, OpenToParents: false})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Code) != campaigns.CodeLength || strings.Trim(c.Code, campaigns.CodeAlphabet) != "" {
		t.Errorf("code %q", c.Code)
	}
	if c.OrganiserRole != "trainer" || len(c.Targets) != 2 || c.Targets[0].Competence != "E2.1" {
		t.Errorf("campaign %+v", c)
	}
	if d := c.ClosesAt.Sub(c.OpensAt); d != campaigns.DefaultDuration || time.Since(c.OpensAt) > time.Minute {
		t.Errorf("dates %v → %v", c.OpensAt, c.ClosesAt)
	}
	whole, err := svc.Create(ctx, inspector, campaigns.NewCampaign{Title: "Circonscription : état des lieux", Framework: "crcn"})
	if err != nil {
		t.Fatal(err)
	}
	if whole.OrganiserRole != "inspector" || len(whole.Targets) != 0 || whole.Code == c.Code {
		t.Errorf("inspector's campaign %+v", whole)
	}
	if list, err := svc.List(ctx, trainer); err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("trainer's list: %v %v", list, err)
	}
	if _, err := svc.Get(ctx, inspector, c.ID); !errkind.IsNotFound(err) {
		t.Errorf("another organiser reads the campaign: %v", err)
	}
	if got, err := svc.Get(ctx, trainer, c.ID); err != nil || got.Code != c.Code {
		t.Errorf("its organiser: %v", err)
	}
	if _, err := svc.Create(ctx, learner, campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn"}); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("a learner creates a campaign: %v", err)
	}
	if _, err := svc.List(ctx, learner); !errors.Is(err, errkind.ErrForbidden) {
		t.Errorf("a learner lists campaigns: %v", err)
	}
	now := time.Now()
	for _, bad := range []struct {
		in          campaigns.NewCampaign
		field, code string
	}{
		{campaigns.NewCampaign{Title: "Moi", Framework: "crcn"}, "title", "title_length"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "pix"}, "framework", "unknown_framework"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", Targets: map[string]int{"9.9": 3}}, "targets", "unknown_competence"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", Targets: map[string]int{"1.1": 9}}, "targets", "target_level"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", OpensAt: now, ClosesAt: now.Add(-time.Hour)}, "closesAt", "closes_before_opens"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", OpensAt: now, ClosesAt: now.Add(500 * 24 * time.Hour)}, "closesAt", "campaign_too_long"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", Module: "module-inexistant"}, "module", "unknown_module"},
		{campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", Session: "session-d-un-autre"}, "session", "unknown_session"},
	} {
		if _, err := svc.Create(ctx, trainer, bad.in); fieldCode(err, bad.field) != bad.code {
			t.Errorf("%+v: %v, want %s on %s", bad.in, err, bad.code, bad.field)
		}
	}
	if _, err := svc.Create(ctx, inspector, campaigns.NewCampaign{Title: "Une campagne", Framework: "crcn", OpenToParents: true}); fieldCode(err, "openToParents") != "parents_inspector" {
		t.Errorf("an inspector's campaign open to parents: %v", err)
	}
}

// TestCodesAreUnambiguous: codes use only the alphabet, have the length,
// and differ; typing lower case, spaces or dashes reads the same code.
func TestCodesAreUnambiguous(t *testing.T) {
	if strings.ContainsAny(campaigns.CodeAlphabet, "0O1IL5S2Z8B") {
		t.Fatal("the alphabet holds a character read like another")
	}
	if got := campaigns.NormalizeCode(" acd-efg hj "); got != "ACDEFGHJ" {
		t.Errorf("normalized %q", got)
	}
}

// TestCodeClaimIsUnique: the second claim of a code loses, on the store,
// so two campaigns never share one; 2,000 draws give 2,000 codes.
func TestCodeClaimIsUnique(t *testing.T) {
	env := testenv.New(t, testenv.WithoutWorker(), testenv.WithoutServer())
	ctx := testenv.Ctx(t)
	st := campaigns.NewStore(env.Sys.DB, env.Sys.Claims)
	code := campaigns.NewCode()
	if won, err := st.ClaimCode(ctx, code, "premiere"); err != nil || !won {
		t.Fatalf("first claim: %v %v", won, err)
	}
	if won, err := st.ClaimCode(ctx, code, "seconde"); err != nil || won {
		t.Fatalf("second claim of %s: %v %v", code, won, err)
	}
	seen := map[string]bool{}
	for range 2000 {
		c := campaigns.NewCode()
		if seen[c] || len(c) != campaigns.CodeLength {
			t.Fatalf("code %q drawn twice or of the wrong length", c)
		}
		seen[c] = true
	}
}
