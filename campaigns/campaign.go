package campaigns

import "time"

// Campaign is a positioning campaign: a code that people enter, a target
// profile, dates, and the organiser who follows the shared results.
type Campaign struct {
	ID    string `bson:"_id" json:"id"`
	Code  string `bson:"code" json:"code"`
	Title string `bson:"title" json:"title"`
	// Framework is the referential the campaign's test measures.
	Framework string `bson:"framework" json:"framework"`
	// Targets are the competences measured with their target level; empty
	// for the whole framework (every competence, no target level).
	Targets []Target  `bson:"targets" json:"targets"`
	OpensAt time.Time `bson:"opensAt" json:"opensAt"`
	// ClosesAt is the end of joining: participations after it are refused.
	ClosesAt time.Time `bson:"closesAt" json:"closesAt"`
	// Module and Session link the campaign to a training (optional).
	Module  string `bson:"module,omitempty" json:"module,omitempty"`
	Session string `bson:"session,omitempty" json:"session,omitempty"`
	// Before is the "avant" campaign of which this one is the "après": the
	// same organiser, framework and target profile. Its dashboard shows
	// the gains of the people who shared both.
	Before string `bson:"before,omitempty" json:"before,omitempty"`
	// OpenToParents lets parents join a trainer's campaign; an inspector's
	// never is.
	OpenToParents bool `bson:"openToParents" json:"openToParents"`
	// OrganiserID is the inspector or trainer who created it, with the role
	// they created it as.
	OrganiserID   string    `bson:"organiserId" json:"-"`
	OrganiserRole string    `bson:"organiserRole" json:"organiserRole"`
	CreatedAt     time.Time `bson:"createdAt" json:"createdAt"`
}

// Target is a competence of the target profile and the level aimed at.
type Target struct {
	Competence string `bson:"competence" json:"competence"`
	Level      int    `bson:"level" json:"level"`
}

// Open says whether people may join at t.
func (c *Campaign) Open(t time.Time) bool {
	return !t.Before(c.OpensAt) && t.Before(c.ClosesAt)
}
