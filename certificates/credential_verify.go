package certificates

import (
	"bytes"
	"compress/gzip"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v4"
)

// Problems a verification reports (Verification.Problems).
const (
	ProblemMalformed     = "malformed"      // not a compact JWS, or not JSON
	ProblemUnknownKey    = "unknown_kid"    // no published key has its kid
	ProblemSignature     = "signature"      // the signature does not verify
	ProblemFields        = "fields"         // an OB 3.0 required field is missing or wrong
	ProblemNotYetValid   = "not_yet_valid"  // validFrom (nbf) is in the future
	ProblemExpired       = "expired"        // validUntil (exp) is past
	ProblemSuspended     = "suspended"      // its status bit is set (suspension)
	ProblemRevoked       = "revoked"        // its status bit is set (revocation)
	ProblemStatusUnknown = "status_unknown" // the status list cannot be read or verified
)

// Verification is what checking a credential found.
type Verification struct {
	Valid      bool
	Credential *OpenBadgeCredential
	// Problems lists the problems' codes, each once; Findings has every
	// failed check with its code and what it found.
	Problems []string
	Findings []Finding
	// Kid is the key that signed it.
	Kid string
}

// Finding is one failed check of a verification.
type Finding struct {
	Problem, Detail string
}

func (v *Verification) fail(problem, detail string) {
	if !slices.Contains(v.Problems, problem) {
		v.Problems = append(v.Problems, problem)
	}
	v.Findings = append(v.Findings, Finding{Problem: problem, Detail: detail})
}

// ClockLeeway is how far ahead of the verifier's clock a credential's
// validFrom may be: a credential just issued still verifies on a machine
// whose clock is a little behind the issuer's.
const ClockLeeway = 2 * time.Minute

// StatusFetcher returns the status list credential (a JWT) at a URL.
type StatusFetcher func(url string) (string, error)

// VerifyCredential checks an Open Badges 3.0 VC-JWT against the issuer's
// published keys: the signature (ES256 or EdDSA, by kid), the required
// fields, the dates at now, and the status bit read through status (whose
// list must itself verify with keys). It works offline given the keys
// and the lists (`ardoise credential verify`).
func VerifyCredential(token string, keys *jose.JSONWebKeySet, status StatusFetcher, now time.Time) *Verification {
	v := &Verification{}
	payload, kid, problem, detail := verifyJWS(strings.TrimSpace(token), keys)
	v.Kid = kid
	if problem != "" {
		v.fail(problem, detail)
		return v
	}
	var raw map[string]any
	if err := json.Unmarshal(payload, &raw); err != nil {
		v.fail(ProblemMalformed, "payload: "+err.Error())
		return v
	}
	for _, d := range RequiredFieldProblems(raw) {
		v.fail(ProblemFields, d)
	}
	var oc OpenBadgeCredential
	if err := json.Unmarshal(payload, &oc); err != nil {
		v.fail(ProblemFields, err.Error())
		return v
	}
	v.Credential = &oc
	if from, err := time.Parse(time.RFC3339, oc.ValidFrom); err == nil && now.Add(ClockLeeway).Before(from) {
		v.fail(ProblemNotYetValid, "validFrom "+oc.ValidFrom)
	}
	if oc.Nbf != 0 && now.Add(ClockLeeway).Unix() < oc.Nbf {
		v.fail(ProblemNotYetValid, "nbf "+strconv.FormatInt(oc.Nbf, 10))
	}
	if until, err := time.Parse(time.RFC3339, oc.ValidUntil); oc.ValidUntil != "" && (err != nil || !now.Before(until)) {
		v.fail(ProblemExpired, "validUntil "+oc.ValidUntil)
	}
	if oc.Exp != 0 && now.Unix() >= oc.Exp {
		v.fail(ProblemExpired, "exp "+strconv.FormatInt(oc.Exp, 10))
	}
	checkStatus(v, &oc, keys, status)
	v.Valid = len(v.Problems) == 0
	return v
}

// verifyJWS checks a compact JWS's signature with the key of its kid.
func verifyJWS(token string, keys *jose.JSONWebKeySet) (payload []byte, kid, problem, detail string) {
	jws, err := jose.ParseSigned(token, []jose.SignatureAlgorithm{jose.ES256, jose.EdDSA})
	if err != nil {
		return nil, "", ProblemMalformed, err.Error()
	}
	if len(jws.Signatures) != 1 {
		return nil, "", ProblemMalformed, "not exactly one signature"
	}
	kid = jws.Signatures[0].Header.KeyID
	found := keys.Key(kid)
	if kid == "" || len(found) == 0 {
		return nil, kid, ProblemUnknownKey, fmt.Sprintf("kid %q", kid)
	}
	payload, err = jws.Verify(found[0])
	if err != nil {
		return nil, kid, ProblemSignature, err.Error()
	}
	return payload, kid, "", ""
}

// checkStatus reads the credential's bit in its status list.
func checkStatus(v *Verification, oc *OpenBadgeCredential, keys *jose.JSONWebKeySet, status StatusFetcher) {
	st := oc.CredentialStatus
	if st.Type != "BitstringStatusListEntry" || status == nil {
		v.fail(ProblemStatusUnknown, "no BitstringStatusListEntry")
		return
	}
	index, err := strconv.Atoi(st.StatusListIndex)
	if err != nil || index < 0 {
		v.fail(ProblemStatusUnknown, "statusListIndex "+st.StatusListIndex)
		return
	}
	list, err := status(st.StatusListCredential)
	if err != nil {
		v.fail(ProblemStatusUnknown, err.Error())
		return
	}
	payload, _, problem, detail := verifyJWS(strings.TrimSpace(list), keys)
	if problem != "" {
		v.fail(ProblemStatusUnknown, "status list: "+problem+" "+detail)
		return
	}
	var sl StatusListCredential
	if err := json.Unmarshal(payload, &sl); err != nil || sl.ID != st.StatusListCredential {
		v.fail(ProblemStatusUnknown, "status list: not the list the credential names")
		return
	}
	bits, err := DecodeList(sl.CredentialSubject.EncodedList)
	if err != nil || index >= len(bits)*8 {
		v.fail(ProblemStatusUnknown, "status list: encodedList")
		return
	}
	if bit(bits, index) {
		if sl.CredentialSubject.StatusPurpose == "revocation" {
			v.fail(ProblemRevoked, st.ID)
		} else {
			v.fail(ProblemSuspended, st.ID)
		}
	}
}

// DecodeList decodes an encodedList (multibase "u", base64url, GZIP).
func DecodeList(encoded string) ([]byte, error) {
	rest, ok := strings.CutPrefix(encoded, "u")
	if !ok {
		return nil, fmt.Errorf("certificates: encodedList without multibase prefix u")
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil {
		return nil, err
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		return nil, err
	}
	return io.ReadAll(io.LimitReader(zr, 1<<24))
}

// RequiredFieldProblems lists what an OpenBadgeCredential's JSON lacks of
// the fields Open Badges 3.0 requires (and the JWT claims of its proof).
func RequiredFieldProblems(raw map[string]any) []string {
	var out []string
	need := func(ok bool, what string) {
		if !ok {
			out = append(out, what)
		}
	}
	str := func(m map[string]any, k string) string { s, _ := m[k].(string); return s }
	obj := func(m map[string]any, k string) map[string]any { o, _ := m[k].(map[string]any); return o }
	list := func(m map[string]any, k string) []any {
		switch x := m[k].(type) {
		case []any:
			return x
		case string:
			return []any{x}
		}
		return nil
	}
	has := func(l []any, s string) bool { return slices.Contains(l, any(s)) }
	ctx := list(raw, "@context")
	need(len(ctx) >= 2 && ctx[0] == ContextVC && strings.HasPrefix(fmt.Sprint(ctx[1]), "https://purl.imsglobal.org/spec/ob/v3p0/context"),
		"@context: the VC 2.0 then the OB 3.0 context")
	need(strings.HasPrefix(str(raw, "id"), "urn:uuid:") || strings.HasPrefix(str(raw, "id"), "http"), "id")
	types := list(raw, "type")
	need(has(types, "VerifiableCredential") && (has(types, "OpenBadgeCredential") || has(types, "AchievementCredential")), "type")
	issuer := obj(raw, "issuer")
	need(issuer != nil && str(issuer, "id") != "" && has(list(issuer, "type"), "Profile"), "issuer: id and type Profile")
	need(issuer != nil && str(issuer, "name") != "", "issuer.name")
	need(str(raw, "name") != "", "name")
	_, err := time.Parse(time.RFC3339, str(raw, "validFrom"))
	need(err == nil, "validFrom")
	subject := obj(raw, "credentialSubject")
	need(subject != nil && has(list(subject, "type"), "AchievementSubject"), "credentialSubject.type")
	need(subject != nil && (str(subject, "id") != "" || len(list(subject, "identifier")) > 0), "credentialSubject: id or identifier")
	for _, it := range list(subject, "identifier") {
		id, _ := it.(map[string]any)
		need(id != nil && str(id, "type") == "IdentityObject" && str(id, "identityHash") != "" && str(id, "identityType") != "" &&
			id["hashed"] != nil, "credentialSubject.identifier: IdentityObject")
	}
	a := obj(subject, "achievement")
	need(a != nil && str(a, "id") != "" && has(list(a, "type"), "Achievement") && str(a, "name") != "" &&
		str(a, "description") != "" && obj(a, "criteria") != nil, "credentialSubject.achievement: id, type, name, description, criteria")
	need(str(raw, "iss") != "" && issuer != nil && str(raw, "iss") == str(issuer, "id"), "iss = issuer.id")
	need(str(raw, "jti") == str(raw, "id"), "jti = id")
	_, nbf := raw["nbf"].(float64)
	need(nbf, "nbf")
	return out
}
