package mail

import (
	"bytes"
	"encoding/base64"
	"mime"
	stdmail "net/mail"
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
		!strings.Contains(raw, `Content-Disposition: attachment; filename=attestation-ABCDEFGHJK.pdf`) || !strings.HasSuffix(raw, "--ardoise-cert-mail-att-x--\r\n") {
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

// TestHeadersCarryNoInjection: a title with CR/LF (an attestation's module
// title once put a Reply-To and text of its own into the mail) stays one
// encoded Subject; addresses and ids that could carry a header are refused.
func TestHeadersCarryNoInjection(t *testing.T) {
	m := &Mailer{from: "ardoise@exemple.fr"}
	subject := "Attestation : Module\r\nReply-To: pirate@exemple.com\r\n\r\nCliquez ici"
	raw := m.compose(Message{ID: "cert-mail:att-x", To: "a@b.fr", Subject: subject, Body: "Voici.",
		Attachments: []Attachment{{Name: "a\r\nX-Evil: 1.pdf", ContentType: "application/pdf", Data: []byte("%PDF")}}})
	msg, err := stdmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if got := msg.Header.Get("Reply-To"); got != "" {
		t.Fatalf("injected Reply-To: %q", got)
	}
	dec := new(mime.WordDecoder)
	got, err := dec.DecodeHeader(msg.Header.Get("Subject"))
	if err != nil || got != "Attestation : Module  Reply-To: pirate@exemple.com    Cliquez ici" {
		t.Fatalf("subject %q (%v)", got, err)
	}
	if strings.Contains(string(raw), "\r\nX-Evil") {
		t.Fatalf("attachment name made a header:\n%s", raw)
	}
	if h := msg.Header.Get("Content-Type"); !strings.HasPrefix(h, "multipart/mixed") {
		t.Fatalf("content type %q", h)
	}
	for _, bad := range []Message{
		{ID: "m1", To: "a@b.fr\r\nBcc: c@d.fr", Subject: "x"},
		{ID: "m1", To: "Pirate <a@b.fr>, c@d.fr", Subject: "x"},
		{ID: "m1\r\nX: y", To: "a@b.fr", Subject: "x"},
	} {
		if err := checkEnvelope(bad); err == nil {
			t.Errorf("envelope %q / %q accepted", bad.To, bad.ID)
		}
	}
	if err := checkEnvelope(Message{ID: "cert-mail:att-x", To: "élodie.durand@académie.fr"}); err != nil {
		t.Errorf("a plain address refused: %v", err)
	}
}
