package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"ardoise/assessments"
)

// TestCertificationReplayCommand: `ardoise certification replay ID` says
// "identique" and exits 0 for a stored certification, exits 1 with the
// problems once its stored result is altered, and 1 for an unknown test.
func TestCertificationReplayCommand(t *testing.T) {
	t.Setenv("ARDOISE_DATA_DIR", t.TempDir())
	t.Setenv("ARDOISE_DEMO", "false")
	ctx := context.Background()
	sys, err := openForCommand(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	svc := sys.Assessments
	o := assessments.Owner{UserID: "candidate", Device: "device"}
	tt, err := svc.StartCertification(ctx, assessments.CertificationStart{UserID: o.UserID, Framework: "crcn",
		Deadline: time.Now().Add(2 * time.Hour), Device: o.Device, Session: "session", Candidate: "c1"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 5 {
		ch, err := svc.Challenge(ctx, tt, tt.Current.ChallengeID)
		if err != nil {
			t.Fatal(err)
		}
		if tt, err = svc.AnswerWith(ctx, tt.ID, o, ch.ID, func(*assessments.Challenge) (assessments.Answer, error) {
			return ch.SampleAnswer(i%2 == 0), nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	if tt, err = svc.EndCertification(ctx, tt.ID, assessments.EndInvigilator); err != nil || tt.Result == nil {
		t.Fatalf("end: %v", err)
	}
	_ = sys.Close(ctx)

	code, out, errs := cli(t, "", "certification", "replay", tt.ID)
	if code != 0 || !strings.Contains(out, "identique") || !strings.Contains(out, "/1024") {
		t.Fatalf("replay: %d %q %q", code, out, errs)
	}
	if code, _, _ := cli(t, "", "certification", "replay", "unknown"); code != 1 {
		t.Errorf("unknown test: exit %d", code)
	}
	if code, _, _ := cli(t, "", "certification", "replay"); code != 2 {
		t.Errorf("no id: exit %d", code)
	}

	sys, err = openForCommand(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sys.DB.Collection(assessments.TestsCollection).UpdateOne(ctx, bson.M{"_id": tt.ID},
		bson.M{"$set": bson.M{"result.score": tt.Result.Score + 1}}); err != nil {
		t.Fatal(err)
	}
	_ = sys.Close(ctx)
	code, out, _ = cli(t, "", "certification", "replay", tt.ID)
	if code != 1 || strings.Contains(out, "identique") || !strings.Contains(out, "problem:") {
		t.Errorf("altered: %d %q", code, out)
	}
}
