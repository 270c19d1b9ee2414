// Package extract turns a raw header section into the facts mining needs: the
// message identity, date and thread flag, and every address with its name,
// parsed leniently so that one malformed entry never loses the others.
package extract

import (
	"bytes"
	"strings"
)

// Field is a header an address can come from.
type Field uint8

// Field values are stored in the database: never renumber them.
const (
	FieldFrom     Field = 1
	FieldTo       Field = 2
	FieldCc       Field = 3
	FieldBcc      Field = 4
	FieldReplyTo  Field = 5
	FieldListPost Field = 6
)

// AddressFields lists the headers addresses are mined from, with their names.
var AddressFields = []struct {
	Field Field
	Name  string
}{
	{FieldFrom, "from"},
	{FieldTo, "to"},
	{FieldCc, "cc"},
	{FieldBcc, "bcc"},
	{FieldReplyTo, "reply-to"},
	{FieldListPost, "list-post"},
}

func (f Field) String() string {
	for _, af := range AddressFields {
		if af.Field == f {
			return af.Name
		}
	}
	return "unknown"
}

// IsSender reports whether the field names who sent the message.
func (f Field) IsSender() bool { return f == FieldFrom || f == FieldReplyTo }

// IsRecipient reports whether the field names who received the message.
func (f Field) IsRecipient() bool { return f == FieldTo || f == FieldCc || f == FieldBcc }

// HeaderFields are the header names mining needs, for sources that can fetch a
// subset (IMAP HEADER.FIELDS). Classification rules that match a name prefix
// (x-linkedin*, x-github*...) are served by the concrete names listed here.
var HeaderFields = []string{
	"From", "To", "Cc", "Bcc", "Reply-To", "List-Post", "Sender",
	"Date", "Message-ID", "Subject", "References", "In-Reply-To",
	"List-Id", "List-Unsubscribe", "List-Unsubscribe-Post", "List", "Mailing-List",
	"Precedence", "Auto-Submitted", "Content-Type", "X-Original-From",
	"X-Mailer", "Feedback-ID", "X-Feedback-ID", "X-Mandrill-User", "X-Marketoid",
	"X-CampaignID", "X-Job", "X-LinkedIn-Class", "X-LinkedIn-Template", "X-LinkedIn-Id",
	"X-Mailgun-Sid", "X-Mailgun-Tag", "X-Mailgun-Variables", "X-GitHub-Reason",
	"X-GitHub-Sender", "X-MSFBL", "X-NetSuite", "X-SG-EID", "X-GND-Status",
	"X-Spam-Flag", "X-Amazon-Mail-Relay-Type", "X-Auto-Response-Suppress",
}

// Header is a parsed header section: lower-cased names with raw, unfolded
// values, in order, every instance kept.
type Header struct {
	fields []headerField
}

type headerField struct {
	name  string // lower case
	value string // unfolded, untrimmed of inner spaces, raw bytes
}

// ParseHeader reads a header section. It is lenient: lines without a colon are
// skipped (an mbox "From " line, garbage), LF or CRLF endings, folded lines
// joined, and it stops at the first empty line.
func ParseHeader(raw []byte) Header {
	var h Header
	h.fields = make([]headerField, 0, 24)
	// A folded value is gathered in buf and turned into a string once, so a
	// field folded over many lines costs linear time, not quadratic.
	var buf []byte
	folding := false // buf holds the value of the last field
	skipping := true // no field yet, or the last field line was skipped
	flush := func() {
		if folding {
			h.fields[len(h.fields)-1].value = string(bytes.TrimSpace(buf))
			folding = false
		}
	}
	for len(raw) > 0 {
		line, rest := cutLine(raw)
		raw = rest
		if len(line) == 0 {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			// A continuation line whose field was skipped is dropped: it
			// must not be glued to the field before the skipped line.
			if !skipping {
				if !folding {
					buf = append(buf[:0], h.fields[len(h.fields)-1].value...)
					folding = true
				}
				buf = append(buf, ' ')
				buf = append(buf, bytes.TrimLeft(line, " \t")...)
			}
			continue
		}
		flush()
		colon := bytes.IndexByte(line, ':')
		if colon <= 0 || bytes.ContainsAny(line[:colon], " \t") && !validNameWithSpace(line[:colon]) {
			skipping = true
			continue
		}
		skipping = false
		name := strings.ToLower(string(bytes.TrimRight(line[:colon], " \t")))
		h.fields = append(h.fields, headerField{name: name, value: string(bytes.TrimSpace(line[colon+1:]))})
	}
	flush()
	return h
}

// validNameWithSpace accepts "Subject :" (space before the colon), an obsolete
// form some old mailers wrote.
func validNameWithSpace(name []byte) bool {
	t := bytes.TrimRight(name, " \t")
	return len(t) > 0 && !bytes.ContainsAny(t, " \t")
}

// cutLine returns the first line without its LF or CRLF ending.
func cutLine(b []byte) (line, rest []byte) {
	i := bytes.IndexByte(b, '\n')
	if i < 0 {
		return bytes.TrimRight(b, "\r"), nil
	}
	line = b[:i]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, b[i+1:]
}

// Get returns the first value of the named header ("" when absent).
func (h Header) Get(name string) string {
	for _, f := range h.fields {
		if f.name == name {
			return f.value
		}
	}
	return ""
}

// Has reports whether the named header is present (even if empty).
func (h Header) Has(name string) bool {
	for _, f := range h.fields {
		if f.name == name {
			return true
		}
	}
	return false
}

// Values returns every value of the named header, in order.
func (h Header) Values(name string) []string {
	var vs []string
	for _, f := range h.fields {
		if f.name == name {
			vs = append(vs, f.value)
		}
	}
	return vs
}

// HasPrefix reports whether a header name starts with prefix.
func (h Header) HasPrefix(prefix string) bool {
	for _, f := range h.fields {
		if strings.HasPrefix(f.name, prefix) {
			return true
		}
	}
	return false
}

// Len is the number of header lines.
func (h Header) Len() int { return len(h.fields) }
