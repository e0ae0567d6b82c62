// Package certificates issues the credentials Ardoise delivers — for now
// training attestations — and answers their public verification: a short
// unguessable code, an A4 PDF with a QR code, revocation and reinstatement
// with a history, and the least data on the public page.
//
// A certificate exists once per source (its _id derives from the source's
// id, claimed by insert), so issuing is idempotent: the task that issues it
// may run twice, or concurrently, and still yield one record, one code, one
// PDF and one email.
package certificates

import (
	"time"

	"ardoise/internal/database"
)

// Collections and kinds.
const (
	// Collection holds the certificate records: what verification reads.
	Collection = "certificates"
	// PDFCollection holds the PDFs, apart, so verification never reads them.
	PDFCollection = "certificate_pdfs"
	// CodesCollection maps each code to its certificate (_id the code), so
	// that verification reads by _id on every backend.
	CodesCollection = "certificate_codes"
	// KindTraining is a training attestation for a completed module.
	KindTraining = "training-attestation"
	// KindCertification is a CRCN certification the jury published: a
	// score out of 1024 and a level per competence.
	KindCertification = "certification-crcn"
)

// Level is one competence's level on a certification.
type Level struct {
	Competence string `bson:"competence" json:"competence"`
	Title      string `bson:"title" json:"title"`
	Level      int    `bson:"level" json:"level"`
}

// MaxScore is a certification's highest score.
const MaxScore = 1024

// Indexes are the indexes the certificates' queries rely on.
var Indexes = []database.Index{
	{Collection: Collection, Keys: []string{"code"}, Unique: true},
	{Collection: Collection, Keys: []string{"holderId", "-issuedAt"}},
	{Collection: PDFCollection, Keys: []string{"holderId"}}, // erasure deletes by holder
	{Collection: CodesCollection},                           // read by _id only
}

// Natures of a training.
const (
	NatureDistance = "distance"
	NatureHybrid   = "hybrid"
	NatureSession  = "session"
)

// History actions.
const (
	ActionIssued     = "issued"
	ActionRevoked    = "revoked"
	ActionReinstated = "reinstated"
)

// SystemActor is the author of the changes the source domain causes.
const SystemActor = "system"

// DeletedName replaces the holder's name once their account is erased
// (the same text as the profile's tombstone).
const DeletedName = "Compte supprimé"

// Request is what the source domain supplies to issue one attestation.
type Request struct {
	// SourceID identifies what the attestation attests (e.g. an hours-ledger
	// line id); one certificate is issued per source.
	SourceID     string
	HolderID     string
	HolderName   string
	HolderEmail  string // the email goes only into the notification; empty: no email
	HolderLocale string // "fr" (default) or "en"
	Title        string // module title
	Slug         string
	Version      int
	Objectives   []string
	Nature       string // NatureDistance, NatureHybrid or NatureSession
	// DeclaredMinutes is the module's declared duration.
	DeclaredMinutes int
	// Result is the assessment's result as shown (e.g. "Quiz réussi : 80 %"); may be empty.
	Result      string
	CompletedAt time.Time
	Issuer      string // e.g. "Réseau Canopé — Ardoise"
	// Revoked means the source no longer supports the attestation (e.g. its
	// ledger line was rejected); RevokeReason says why.
	Revoked      bool
	RevokeReason string
	// Revision is the source's revision this request describes; the source
	// gets it back in AttestationDone, to clear its marker only if nothing
	// changed since.
	Revision int
	// Kind is KindTraining (when empty) or KindCertification; a
	// certification has a Score (out of MaxScore) and Levels, and no
	// nature or duration.
	Kind   string
	Score  int
	Levels []Level
	// Competences are the CRCN competences a training develops (its
	// credential's alignments).
	Competences []string
}

// Event is one entry of a certificate's history.
type Event struct {
	At     time.Time `bson:"at" json:"at"`
	By     string    `bson:"by" json:"by"` // a user id, or SystemActor
	Action string    `bson:"action" json:"action"`
	Reason string    `bson:"reason,omitempty" json:"reason,omitempty"`
}

// Certificate is an issued credential's record.
type Certificate struct {
	// ID is "att-" + SourceID: deterministic, so a source yields one certificate.
	ID         string   `bson:"_id" json:"id"`
	Code       string   `bson:"code" json:"code"` // CodeLength characters of CodeAlphabet
	Kind       string   `bson:"kind" json:"kind"`
	SourceID   string   `bson:"sourceId" json:"sourceId"`
	HolderID   string   `bson:"holderId" json:"holderId"`
	HolderName string   `bson:"holderName" json:"holderName"`
	Locale     string   `bson:"locale" json:"locale"`
	Title      string   `bson:"title" json:"title"`
	Slug       string   `bson:"slug" json:"slug"`
	Version    int      `bson:"version" json:"version"`
	Objectives []string `bson:"objectives" json:"objectives"`
	Nature     string   `bson:"nature" json:"nature"`
	Minutes    int      `bson:"minutes" json:"minutes"` // declared duration
	Result     string   `bson:"result,omitempty" json:"result,omitempty"`
	// Score and Levels are a certification's (KindCertification).
	Score       int       `bson:"score,omitempty" json:"score,omitempty"`
	Levels      []Level   `bson:"levels,omitempty" json:"levels,omitempty"`
	CompletedAt time.Time `bson:"completedAt" json:"completedAt"`
	IssuedAt    time.Time `bson:"issuedAt" json:"issuedAt"`
	Issuer      string    `bson:"issuer" json:"issuer"`
	// MailedAt is set once the holder was notified (or there was no address),
	// so a retried issue does not send the email again.
	MailedAt      time.Time `bson:"mailedAt,omitempty" json:"-"`
	Revoked       bool      `bson:"revoked" json:"revoked"`
	RevokedAt     time.Time `bson:"revokedAt,omitempty" json:"revokedAt,omitzero"`
	RevokedReason string    `bson:"revokedReason,omitempty" json:"revokedReason,omitempty"`
	// RevokedBy is who revoked it: a source's revocation (SystemActor) is
	// lifted by the source; an admin's only by an admin.
	RevokedBy string  `bson:"revokedBy,omitempty" json:"revokedBy,omitempty"`
	History   []Event `bson:"history" json:"history"`
	// Competences are a training's CRCN competences.
	Competences []string `bson:"competences,omitempty" json:"competences,omitempty"`
	// Credential is its Open Badges 3.0 credential, once issued.
	Credential *credentialFields `bson:"credential,omitempty" json:"-"`
	// StateVersion counts the changes of the revoked state: the status
	// list's task clears its marker only if none came meanwhile.
	StateVersion int `bson:"stateVersion,omitempty" json:"-"`
	// Pending and PendingAt are the outbox markers (internal/queue): the
	// credential to issue, the status bit to write.
	Pending   []string  `bson:"pending,omitempty" json:"-"`
	PendingAt time.Time `bson:"pendingAt,omitempty" json:"-"`
}

// Hours is the declared duration in hours.
func (c *Certificate) Hours() float64 { return float64(c.Minutes) / 60 }

// Public is only what the public verification page shows. A revocation
// shows that it happened and when, never why: the reason (an inspector's
// rejection, sometimes personal) stays with the holder and the admins.
type Public struct {
	Code       string    `json:"code"`
	Kind       string    `json:"kind"`
	Valid      bool      `json:"valid"`
	Revoked    bool      `json:"revoked"`
	RevokedAt  time.Time `json:"revokedAt,omitzero"`
	HolderName string    `json:"holderName"`
	Title      string    `json:"title"`
	Hours      float64   `json:"hours"`
	// Score and Levels are a certification's public result.
	Score       int       `json:"score,omitempty"`
	Levels      []Level   `json:"levels,omitempty"`
	CompletedAt time.Time `json:"completedAt"`
	IssuedAt    time.Time `json:"issuedAt"`
	// Credential is the check of its Open Badges credential, as a third
	// party would make it (nil before the credential is issued).
	Credential *CredentialCheck `json:"credential,omitempty"`
}

// CredentialCheck is what verifying a certificate's credential found:
// valid, or the problems (Problem* codes), and the key that signed it.
type CredentialCheck struct {
	Valid    bool     `json:"valid"`
	Kid      string   `json:"kid"`
	Problems []string `json:"problems"`
}

// Public returns what the public verification page shows of c.
func (c *Certificate) Public() *Public {
	return &Public{
		Code: c.Code, Kind: c.Kind, Valid: !c.Revoked, Revoked: c.Revoked, RevokedAt: c.RevokedAt,
		HolderName: c.HolderName, Title: c.Title, Hours: c.Hours(), CompletedAt: c.CompletedAt, IssuedAt: c.IssuedAt,
		Score: c.Score, Levels: c.Levels,
	}
}
