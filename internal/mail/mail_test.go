package mail

import (
	"encoding/base64"
	"strings"
	"testing"
)

func TestComposeWithAttachment(t *testing.T) {
	m := &Mailer{from: "ardoise@exemple.fr"}
	plain := string(m.compose(Message{ID: "m1", To: "a@b.fr", Subject: "Bonjour", Body: "ligne 1\nligne 2"}))
	if !strings.Contains(plain, "Content-Type: text/plain; charset=utf-8") || !strings.Contains(plain, "ligne 1\r\nligne 2") || strings.Contains(plain, "multipart") {
		t.Fatalf("plain message:\n%s", plain)
	}
	data := []byte(strings.Repeat("%PDF-1.4 données ", 20))
	raw := string(m.compose(Message{ID: "cert-mail:att-x", To: "a@b.fr", Subject: "Votre attestation", Body: "Voici.",
		Attachments: []Attachment{{Name: "attestation-ABCDEFGHJK.pdf", ContentType: "application/pdf", Data: data}}}))
	if !strings.Contains(raw, `Content-Type: multipart/mixed; boundary="ardoise-cert-mail-att-x"`) ||
		!strings.Contains(raw, `filename="attestation-ABCDEFGHJK.pdf"`) || !strings.HasSuffix(raw, "--ardoise-cert-mail-att-x--\r\n") {
		t.Fatalf("multipart message:\n%s", raw)
	}
	part := raw[strings.Index(raw, "base64\r\nContent-Disposition"):]
	part = part[strings.Index(part, "\r\n\r\n")+4 : strings.LastIndex(part, "--ardoise")]
	got, err := base64.StdEncoding.DecodeString(strings.ReplaceAll(part, "\r\n", ""))
	if err != nil || string(got) != string(data) {
		t.Fatalf("attachment does not decode back: %v", err)
	}
	for _, line := range strings.Split(part, "\r\n") {
		if len(line) > 76 {
			t.Fatalf("base64 line of %d characters", len(line))
		}
	}
}
