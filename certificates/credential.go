package certificates

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"ardoise/internal/keyring"
)

// Contexts of an Open Badges 3.0 credential, in this order.
const (
	ContextVC   = "https://www.w3.org/ns/credentials/v2"
	ContextOB30 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
)

// StatusPurpose is the purpose of Ardoise's status lists: suspension, not
// revocation, because every Ardoise revocation can be lifted (a source's
// revocation when the source changes, an admin's by an admin), and a
// revocation bit can never be cleared under the specification.
const StatusPurpose = "suspension"

// Profile is the issuer's Open Badges Profile (served at /credentials/issuer).
type Profile struct {
	ID   string   `json:"id"`
	Type []string `json:"type"`
	Name string   `json:"name"`
	URL  string   `json:"url"`
}

// IdentityObject identifies the holder without naming them: the salted
// SHA-256 of their address, as Open Badges 3.0 defines identityHash.
type IdentityObject struct {
	Type         string `json:"type"`
	IdentityHash string `json:"identityHash"`
	IdentityType string `json:"identityType"`
	Hashed       bool   `json:"hashed"`
	Salt         string `json:"salt"`
}

// Criteria says what earning the achievement took.
type Criteria struct {
	Narrative string `json:"narrative"`
}

// Alignment ties an achievement to a competence of a framework.
type Alignment struct {
	Type       []string `json:"type"`
	TargetName string   `json:"targetName"`
	TargetURL  string   `json:"targetUrl"`
	TargetCode string   `json:"targetCode,omitempty"`
	TargetType string   `json:"targetType,omitempty"`
}

// ResultDescription describes one of the results a certification gives.
type ResultDescription struct {
	ID         string   `json:"id"`
	Type       []string `json:"type"`
	Name       string   `json:"name"`
	ResultType string   `json:"resultType"`
	ValueMin   string   `json:"valueMin,omitempty"`
	ValueMax   string   `json:"valueMax,omitempty"`
}

// Result is one result of the holder (a certification's score or a level).
type Result struct {
	Type              []string `json:"type"`
	ResultDescription string   `json:"resultDescription"`
	Value             string   `json:"value"`
}

// Achievement is what the credential attests.
type Achievement struct {
	ID                string              `json:"id"`
	Type              []string            `json:"type"`
	AchievementType   string              `json:"achievementType"`
	Name              string              `json:"name"`
	Description       string              `json:"description"`
	Criteria          Criteria            `json:"criteria"`
	Version           string              `json:"version,omitempty"`
	CreditsAvailable  float64             `json:"creditsAvailable,omitempty"`
	Alignment         []Alignment         `json:"alignment,omitempty"`
	ResultDescription []ResultDescription `json:"resultDescription,omitempty"`
}

// Subject is the credential's AchievementSubject.
type Subject struct {
	Type        []string         `json:"type"`
	Identifier  []IdentityObject `json:"identifier"`
	Achievement Achievement      `json:"achievement"`
	Result      []Result         `json:"result,omitempty"`
}

// StatusEntry points at the credential's bit in a status list.
type StatusEntry struct {
	ID                   string `json:"id"`
	Type                 string `json:"type"`
	StatusPurpose        string `json:"statusPurpose"`
	StatusListIndex      string `json:"statusListIndex"`
	StatusListCredential string `json:"statusListCredential"`
}

// OpenBadgeCredential is an Open Badges 3.0 credential, with the JWT
// registered claims of its VC-JWT proof (OB 3.0 § 8.2: the payload is the
// credential itself; iss, jti, nbf, sub and exp are mapped from it).
type OpenBadgeCredential struct {
	Context           []string    `json:"@context"`
	ID                string      `json:"id"`
	Type              []string    `json:"type"`
	Issuer            Profile     `json:"issuer"`
	Name              string      `json:"name"`
	ValidFrom         string      `json:"validFrom"`
	ValidUntil        string      `json:"validUntil,omitempty"`
	CredentialSubject Subject     `json:"credentialSubject"`
	CredentialStatus  StatusEntry `json:"credentialStatus"`
	Claims
}

// Claims are the JWT registered claims a VC-JWT maps from its credential:
// iss the issuer's id, jti the credential's id, nbf its validFrom, sub its
// subject's id and exp its validUntil (the last two when it has them).
type Claims struct {
	Iss string `json:"iss"`
	Jti string `json:"jti"`
	Nbf int64  `json:"nbf"`
	Sub string `json:"sub,omitempty"`
	Exp int64  `json:"exp,omitempty"`
}

// IssuerID is the issuer Profile's id: the URL that serves it.
func (s *Service) IssuerID() string { return s.baseURL + "/credentials/issuer" }

// Issuer returns the issuer Profile.
func (s *Service) Issuer() Profile {
	return Profile{ID: s.IssuerID(), Type: []string{"Profile"}, Name: s.cat.T("fr", "cert.issuer"), URL: s.baseURL + "/"}
}

// StatusListURL is the address of status list `list`.
func (s *Service) StatusListURL(list string) string { return s.baseURL + "/credentials/status/" + list }

// identityHash is Open Badges 3.0's identityHash of an address: "sha256$"
// and the hex SHA-256 of the lower-cased address followed by the salt.
func identityHash(email, salt string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email)) + salt))
	return "sha256$" + hex.EncodeToString(sum[:])
}

// credentialFields are what a certificate's credential adds to its record
// when it is issued: kept so that the credential can be shown as JSON and
// its status bit found, never the address it hashes.
type credentialFields struct {
	ID          string    `bson:"id"` // urn:uuid:…
	List        string    `bson:"list"`
	Index       int       `bson:"index"`
	Hash        string    `bson:"hash"` // identityHash
	Salt        string    `bson:"salt"`
	IdentityFor string    `bson:"identityType"` // emailAddress, or identifier for an account without one
	JWT         string    `bson:"jwt"`
	IssuedAt    time.Time `bson:"issuedAt"`
}

// newCredentialFields draws a credential's id and salt and hashes the
// holder's address (or, for a holder without one, their account's URN).
func newCredentialFields(holderID, email string, list string, index int, now time.Time) credentialFields {
	f := credentialFields{ID: "urn:uuid:" + uuid.NewString(), List: list, Index: index, Salt: keyring.RandomToken(12),
		IdentityFor: "emailAddress", IssuedAt: now}
	if email == "" {
		f.IdentityFor, email = "identifier", "urn:ardoise:account:"+holderID
	}
	f.Hash = identityHash(email, f.Salt)
	return f
}

// credentialOf builds the Open Badges credential of certificate c.
func (s *Service) credentialOf(c *Certificate, f credentialFields) *OpenBadgeCredential {
	issuer := s.Issuer()
	from := f.IssuedAt.UTC().Truncate(time.Second)
	oc := &OpenBadgeCredential{
		Context: []string{ContextVC, ContextOB30}, ID: f.ID, Type: []string{"VerifiableCredential", "OpenBadgeCredential"},
		Issuer: issuer, Name: c.Title, ValidFrom: from.Format(time.RFC3339),
		CredentialSubject: Subject{Type: []string{"AchievementSubject"}, Identifier: []IdentityObject{{Type: "IdentityObject",
			IdentityHash: f.Hash, IdentityType: f.IdentityFor, Hashed: true, Salt: f.Salt}}},
		CredentialStatus: StatusEntry{ID: s.StatusListURL(f.List) + "#" + strconv.Itoa(f.Index), Type: "BitstringStatusListEntry",
			StatusPurpose: StatusPurpose, StatusListIndex: strconv.Itoa(f.Index), StatusListCredential: s.StatusListURL(f.List)},
		Claims: Claims{Iss: issuer.ID, Jti: f.ID, Nbf: from.Unix()},
	}
	lang := c.Locale
	if c.Kind == KindCertification {
		a := Achievement{ID: "urn:ardoise:achievement:certification-crcn", Type: []string{"Achievement"},
			AchievementType: "Certification", Name: c.Title, Description: s.cat.T(lang, "credential.crcn.description"),
			Criteria: Criteria{Narrative: s.cat.T(lang, "credential.crcn.criteria")},
			ResultDescription: []ResultDescription{{ID: "urn:ardoise:result:score", Type: []string{"ResultDescription"},
				Name: s.cat.T(lang, "credential.crcn.score"), ResultType: "ScaledScore", ValueMin: "0", ValueMax: strconv.Itoa(MaxScore)}}}
		results := []Result{{Type: []string{"Result"}, ResultDescription: "urn:ardoise:result:score", Value: strconv.Itoa(c.Score)}}
		for _, l := range c.Levels {
			id := "urn:ardoise:result:level:" + l.Competence
			a.ResultDescription = append(a.ResultDescription, ResultDescription{ID: id, Type: []string{"ResultDescription"},
				Name: l.Competence + " " + l.Title, ResultType: "RawScore", ValueMin: "0", ValueMax: "8"})
			a.Alignment = append(a.Alignment, crcnAlignment(l.Competence, l.Title))
			results = append(results, Result{Type: []string{"Result"}, ResultDescription: id, Value: strconv.Itoa(l.Level)})
		}
		oc.CredentialSubject.Achievement, oc.CredentialSubject.Result = a, results
		return oc
	}
	narrative := s.cat.T(lang, "credential.training.criteria", "hours", formatDuration(s.cat, lang, c.Minutes))
	if c.Result != "" {
		narrative += " " + c.Result + "."
	}
	a := Achievement{ID: fmt.Sprintf("urn:ardoise:achievement:training:%s:v%d", c.Slug, c.Version), Type: []string{"Achievement"},
		AchievementType: "Course", Name: c.Title, Description: strings.Join(c.Objectives, " "),
		Criteria: Criteria{Narrative: narrative}, Version: strconv.Itoa(c.Version), CreditsAvailable: c.Hours()}
	if a.Description == "" {
		a.Description = c.Title
	}
	for _, comp := range c.Competences {
		a.Alignment = append(a.Alignment, crcnAlignment(comp, ""))
	}
	oc.CredentialSubject.Achievement = a
	return oc
}

// crcnAlignment is an alignment on a competence of the CRCN.
func crcnAlignment(id, title string) Alignment {
	name := "CRCN " + id
	if title != "" {
		name += " " + title
	}
	return Alignment{Type: []string{"Alignment"}, TargetName: name, TargetCode: id, TargetType: "ceasn:Competency",
		TargetURL: "https://eduscol.education.fr/721/cadre-de-reference-des-competences-numeriques"}
}

// CredentialJWT is the certificate's signed credential ("" before it is issued).
func (c *Certificate) CredentialJWT() string {
	if c.Credential == nil {
		return ""
	}
	return c.Credential.JWT
}
