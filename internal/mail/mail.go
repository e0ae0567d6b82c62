// Package mail sends Ardoise's email: through SMTP when ARDOISE_SMTP_URL is
// set, otherwise into an outbox collection that admins read at /admin/mails.
package mail

import (
	"context"
	"crypto/tls"
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net"
	stdmail "net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"time"
	"unicode"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"ardoise/internal/database"
)

// Collection holds the outbox.
const Collection = "mails"

// Indexes are the outbox's indexes.
var Indexes = []database.Index{
	{Collection: Collection, Keys: []string{"-createdAt"}},
	{Collection: Collection, Keys: []string{"toLower", "-createdAt"}},
}

// Message is one email, plain text.
type Message struct {
	// ID makes sending idempotent: a task retried after a crash finds its
	// message already in the outbox. Task ids make good message ids.
	ID      string `bson:"_id" json:"id"`
	To      string `bson:"to" json:"to"`
	ToLower string `bson:"toLower" json:"-"`
	Subject string `bson:"subject" json:"subject"`
	Body    string `bson:"body" json:"body"`
	// Attachments are sent as parts of a multipart message (an attestation's PDF).
	Attachments []Attachment `bson:"attachments,omitempty" json:"attachments,omitempty"`
	CreatedAt   time.Time    `bson:"createdAt" json:"createdAt"`
}

// Attachment is a file sent with a message.
type Attachment struct {
	Name        string `bson:"name" json:"name"`
	ContentType string `bson:"contentType" json:"contentType"`
	Data        []byte `bson:"data" json:"-"`
}

// Mailer sends messages.
type Mailer struct {
	db     *database.DB
	smtp   *url.URL
	from   string
	logger *slog.Logger
}

// New returns a mailer; smtpURL may be empty (outbox only), or
// smtp://user:password@host:port?from=ardoise@example.org.
func New(db *database.DB, smtpURL string, logger *slog.Logger) (*Mailer, error) {
	m := &Mailer{db: db, logger: logger, from: "ardoise@localhost"}
	if smtpURL == "" {
		return m, nil
	}
	u, err := ParseSMTPURL(smtpURL)
	if err != nil {
		return nil, err
	}
	m.smtp = u
	if f := u.Query().Get("from"); f != "" {
		m.from = f
	}
	return m, nil
}

// ParseSMTPURL checks an smtp:// URL.
func ParseSMTPURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "smtp" || u.Host == "" {
		return nil, fmt.Errorf("want smtp://[user:password@]host:port[?from=address]")
	}
	if _, _, err := net.SplitHostPort(u.Host); err != nil {
		return nil, fmt.Errorf("want smtp://[user:password@]host:port[?from=address]")
	}
	return u, nil
}

// Send delivers msg. Without SMTP it is stored once in the outbox (a second
// Send with the same ID changes nothing) and logged.
func (m *Mailer) Send(ctx context.Context, msg Message) error {
	if err := checkEnvelope(msg); err != nil {
		return err
	}
	msg.ToLower = strings.ToLower(msg.To)
	if msg.CreatedAt.IsZero() {
		msg.CreatedAt = time.Now().UTC()
	}
	if m.smtp != nil {
		return m.sendSMTP(ctx, msg)
	}
	_, err := m.db.Collection(Collection).UpdateOne(ctx,
		bson.M{"_id": msg.ID}, bson.M{"$setOnInsert": msg}, options.UpdateOne().SetUpsert(true))
	if err != nil {
		return fmt.Errorf("mail: outbox: %w", err)
	}
	m.logger.Info("mail to outbox", "id", msg.ID, "to", msg.To, "subject", msg.Subject)
	return nil
}

// sendSMTP does what smtp.SendMail does, but on a connection bound to ctx:
// the dial, and every read and write after it, stop at ctx's deadline or
// when ctx is cancelled (a task's timeout, a shutdown).
func (m *Mailer) sendSMTP(ctx context.Context, msg Message) (err error) {
	host, _, _ := net.SplitHostPort(m.smtp.Host)
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", m.smtp.Host)
	if err != nil {
		return fmt.Errorf("mail: smtp: %w", err)
	}
	// When ctx ends, a deadline in the past wakes any blocked read or write
	// at once (after ctx.Err is set, so the error says why).
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	defer func() {
		if err != nil && ctx.Err() != nil {
			err = fmt.Errorf("%w (%w)", err, ctx.Err())
		}
	}()
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("mail: smtp: %w", err)
	}
	defer c.Close()
	if err := m.converse(c, host, msg); err != nil {
		return fmt.Errorf("mail: smtp: %w", err)
	}
	m.logger.Info("mail sent", "id", msg.ID, "to", msg.To)
	return nil
}

// converse runs smtp.SendMail's exchange on c: STARTTLS when offered,
// AUTH when the URL has a user, then the envelope, the data and QUIT.
func (m *Mailer) converse(c *smtp.Client, host string, msg Message) error {
	if err := c.Hello("localhost"); err != nil {
		return err
	}
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(&tls.Config{ServerName: host}); err != nil {
			return err
		}
	}
	if m.smtp.User != nil {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("server doesn't support AUTH")
		}
		pw, _ := m.smtp.User.Password()
		if err := c.Auth(smtp.PlainAuth("", m.smtp.User.Username(), pw, host)); err != nil {
			return err
		}
	}
	if err := c.Mail(m.from); err != nil {
		return err
	}
	if err := c.Rcpt(msg.To); err != nil {
		return err
	}
	w, err := c.Data()
	if err != nil {
		return err
	}
	if _, err := w.Write(m.compose(msg)); err != nil {
		return err
	}
	if err := w.Close(); err != nil {
		return err
	}
	return c.Quit()
}

// compose writes msg as a MIME message: plain text, or multipart/mixed
// with the attachments base64-encoded.
func (m *Mailer) compose(msg Message) []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "From: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@ardoise>\r\nMIME-Version: 1.0\r\n",
		m.from, msg.To, headerText(msg.Subject), msg.ID)
	text := "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" + strings.ReplaceAll(msg.Body, "\n", "\r\n")
	if len(msg.Attachments) == 0 {
		b.WriteString(text)
		return []byte(b.String())
	}
	boundary := "ardoise-" + strings.NewReplacer(":", "-", "/", "-").Replace(msg.ID)
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=%q\r\n\r\n--%s\r\n%s\r\n", boundary, boundary, text)
	for _, a := range msg.Attachments {
		fmt.Fprintf(&b, "--%s\r\nContent-Type: %s\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: %s\r\n\r\n",
			boundary, a.ContentType, mime.FormatMediaType("attachment", map[string]string{"filename": singleLine(a.Name)}))
		enc := base64.StdEncoding.EncodeToString(a.Data)
		for len(enc) > 76 {
			b.WriteString(enc[:76] + "\r\n")
			enc = enc[76:]
		}
		b.WriteString(enc + "\r\n")
	}
	fmt.Fprintf(&b, "--%s--\r\n", boundary)
	return []byte(b.String())
}

// headerText is s as the text of a header: on one line (every control
// character becomes a space, so a CR or LF in a title cannot start a header
// of its own) and encoded as RFC 2047 words when it is not plain ASCII.
func headerText(s string) string {
	return mime.QEncoding.Encode("utf-8", singleLine(s))
}

// singleLine replaces the control characters of s by spaces.
func singleLine(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
}

// checkEnvelope refuses a message whose address or id could carry a header
// or a second recipient: addresses are one plain address, ids printable ASCII.
func checkEnvelope(msg Message) error {
	a, err := stdmail.ParseAddress(msg.To)
	if err != nil || a.Address != msg.To {
		return fmt.Errorf("mail: recipient %q is not one plain address", msg.To)
	}
	for _, r := range msg.ID {
		if r <= ' ' || r >= 0x7f || r == '<' || r == '>' {
			return fmt.Errorf("mail: message id %q has a character not allowed in a header", msg.ID)
		}
	}
	return nil
}

// Recent lists the newest outbox messages, newest first, before the given
// time when it is not zero (range pagination on createdAt).
func (m *Mailer) Recent(ctx context.Context, before time.Time, limit int) ([]Message, error) {
	filter := bson.M{}
	if !before.IsZero() {
		filter["createdAt"] = bson.M{"$lt": before}
	}
	cur, err := m.db.Collection(Collection).Find(ctx, filter,
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, fmt.Errorf("mail: recent: %w", err)
	}
	var out []Message
	if err := cur.All(ctx, &out); err != nil {
		return nil, fmt.Errorf("mail: recent: %w", err)
	}
	return out, nil
}

// To lists the outbox messages sent to an address (for RGPD export and tests).
func (m *Mailer) To(ctx context.Context, address string) ([]Message, error) {
	cur, err := m.db.Collection(Collection).Find(ctx, bson.M{"toLower": strings.ToLower(address)},
		options.Find().SetSort(bson.D{{Key: "createdAt", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("mail: to: %w", err)
	}
	var out []Message
	err = cur.All(ctx, &out)
	return out, err
}

// ForgetAddress deletes the outbox messages sent to an address (account erasure).
func (m *Mailer) ForgetAddress(ctx context.Context, address string) error {
	_, err := m.db.Collection(Collection).DeleteMany(ctx, bson.M{"toLower": strings.ToLower(address)})
	return err
}
