package certificates_test

import (
	"context"
	"encoding/base64"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"ardoise/certificates"
	"ardoise/internal/database"
	"ardoise/internal/teststore"
)

// payloadOf decodes a JWT's payload as JSON.
func payloadOf(t *testing.T, token string) any {
	t.Helper()
	parts := strings.Split(token, ".")
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestCredentialSchema: an attestation's and a certification's
// credentials pass a JSON Schema of Open Badges 3.0's required fields
// (certificates/testdata), which a credential without its criteria fails.
func TestCredentialSchema(t *testing.T) {
	raw, err := os.ReadFile("testdata/ob30-achievementcredential.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := jsonschema.UnmarshalJSON(strings.NewReader(string(raw)))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	const url = "https://ardoise.example/testdata/ob30-achievementcredential.schema.json"
	if err := c.AddResource(url, doc); err != nil {
		t.Fatal(err)
	}
	schema, err := c.Compile(url)
	if err != nil {
		t.Fatal(err)
	}
	teststore.ForEach(t, func(t *testing.T, db *database.DB) {
		ctx := context.Background()
		s := credentialService(t, db)
		training := request("schema-1")
		training.Competences = []string{"1.1", "3.2"}
		crcn := request("schema-2")
		crcn.Kind, crcn.Score = certificates.KindCertification, 612
		crcn.Levels = []certificates.Level{{Competence: "1.1", Title: "Mener une recherche et une veille d'information", Level: 4}}
		for _, req := range []certificates.Request{training, crcn} {
			cert, err := s.Issue(ctx, req)
			if err != nil {
				t.Fatal(err)
			}
			v := payloadOf(t, cert.CredentialJWT())
			if err := schema.Validate(v); err != nil {
				t.Errorf("%s: %v", req.SourceID, err)
			}
			// The schema can fail: the same credential without its criteria.
			delete(v.(map[string]any)["credentialSubject"].(map[string]any)["achievement"].(map[string]any), "criteria")
			if err := schema.Validate(v); err == nil {
				t.Errorf("%s: a credential without criteria passes the schema", req.SourceID)
			}
		}
	}, certificates.Indexes...)
}
