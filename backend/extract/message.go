package extract

import (
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"regexp"
	"strings"
	"time"
)

// Message is what mining keeps of one message: identity, date, thread and
// list facts, and the addresses with the field they were seen in.
type Message struct {
	// Key identifies the message across folders and sources: its Message-ID,
	// or a hash of date, sender, subject and recipients when it has none.
	Key       string
	MessageID string
	Date      time.Time // zero when missing or unusable
	ListID    string
	// Conversation is true for a message that answers another (References or
	// In-Reply-To).
	Conversation bool
	// FromMe and ToMe say whether one of the user's addresses sent or received it.
	FromMe bool
	ToMe   bool
	Header Header
	// Occurrences holds one entry per (address, field).
	Occurrences []Occurrence
}

// Occurrence is an address seen in a field of a message.
type Occurrence struct {
	Field   Field
	Address Address
}

// Extractor parses raw header sections. It is safe for concurrent use.
type Extractor struct {
	me  map[string]bool
	now func() time.Time
}

// NewExtractor returns an extractor that treats the given addresses as the
// user's own: they are never reported as occurrences.
func NewExtractor(me []string) *Extractor {
	x := &Extractor{me: map[string]bool{}, now: time.Now}
	for _, a := range me {
		if email, _, ok := NormalizeAddress(a); ok {
			x.me[email] = true
		}
	}
	return x
}

// IsMe reports whether a canonical address is one of the user's.
func (x *Extractor) IsMe(email string) bool { return x.me[email] }

// Extract reads one header section.
func (x *Extractor) Extract(raw []byte) Message {
	h := ParseHeader(raw)
	m := Message{Header: h}
	hint := contentCharset(h.Get("content-type"))
	seen := make(map[occKey]int, 8)
	for _, af := range AddressFields {
		for _, v := range h.Values(af.Name) {
			for _, a := range ParseAddressList(v, hint) {
				if x.me[a.Email] {
					switch {
					case af.Field == FieldFrom:
						m.FromMe = true
					case af.Field.IsRecipient():
						m.ToMe = true
					}
					continue
				}
				k := occKey{a.Email, af.Field}
				if i, dup := seen[k]; dup {
					// Same person twice in one field: keep one, with a name if any.
					if m.Occurrences[i].Address.Name == "" {
						m.Occurrences[i].Address.Name = a.Name
					}
					if m.Occurrences[i].Address.Plus == "" {
						m.Occurrences[i].Address.Plus = a.Plus
					}
					continue
				}
				seen[k] = len(m.Occurrences)
				m.Occurrences = append(m.Occurrences, Occurrence{Field: af.Field, Address: a})
			}
		}
	}
	m.MessageID = messageID(h.Get("message-id"))
	if d, ok := ParseDate(h.Get("date")); ok && !d.After(x.now().Add(48*time.Hour)) {
		m.Date = d
	}
	m.ListID = listID(h.Get("list-id"))
	m.Conversation = strings.TrimSpace(h.Get("references")) != "" || strings.TrimSpace(h.Get("in-reply-to")) != ""
	if m.MessageID != "" {
		m.Key = "mid:" + m.MessageID
	} else {
		m.Key = "hash:" + fallbackKey(h)
	}
	return m
}

type occKey struct {
	email string
	field Field
}

// messageID returns the <...> part of a Message-ID header without brackets,
// or the trimmed value when a broken client left them out. A value with no
// letter or digit ("<>", "<") is no identity: every message carrying it would
// share one key, so it is dropped.
func messageID(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexByte(v, '<'); i >= 0 {
		if j := strings.IndexByte(v[i:], '>'); j > 1 {
			v = strings.TrimSpace(v[i+1 : i+j])
		}
	}
	if strings.ContainsAny(v, " \t") || !hasAlnum(v) {
		return ""
	}
	return v
}

// fallbackKey is a stable hash for a message without Message-ID: the same
// message copied into two folders hashes the same.
func fallbackKey(h Header) string {
	s := sha256.New()
	for _, name := range []string{"date", "from", "subject", "to", "cc"} {
		s.Write([]byte(strings.Join(strings.Fields(h.Get(name)), " ")))
		s.Write([]byte{0})
	}
	return hex.EncodeToString(s.Sum(nil)[:16])
}

var listIDPattern = regexp.MustCompile(`<([^<>]{1,255})>\s*$`)

// listID returns the list identifier between angle brackets, lower-cased.
func listID(v string) string {
	if v == "" {
		return ""
	}
	if m := listIDPattern.FindStringSubmatch(v); m != nil {
		return strings.ToLower(strings.TrimSpace(m[1]))
	}
	v = strings.TrimSpace(v)
	if !strings.ContainsAny(v, " \t<>") && strings.Contains(v, ".") {
		return strings.ToLower(v)
	}
	return ""
}

var dateLayouts = []string{
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04 -0700",
	"2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 -0700",
	"Mon, 2 Jan 06 15:04:05 MST",
	"Mon, 2 Jan 2006 15:04:05",
	"Mon Jan 2 15:04:05 2006",
	"Mon Jan 2 15:04:05 MST 2006",
	"Mon Jan 2 15:04:05 -0700 2006",
	"Mon, Jan 2 2006 15:04:05 -0700",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02T15:04:05Z07:00",
	"Mon, 2 Jan 2006 15:04:05 -0700 -0700",
}

var dateComment = regexp.MustCompile(`\s*\([^()]*\)\s*$`)

// obsZone finds, right after the time, a zone name RFC 5322 §4.3 defines.
// time.Parse would read it with the offset the machine's local zone gives
// that name, or zero: "EDT" was read as UTC outside America.
var obsZone = regexp.MustCompile(`\d:\d\d\s+((?i)UT|GMT|[ECMP][SD]T)\b`)

var obsZoneOffsets = map[string]string{
	"UT": "+0000", "GMT": "+0000", "EST": "-0500", "EDT": "-0400", "CST": "-0600",
	"CDT": "-0500", "MST": "-0700", "MDT": "-0600", "PST": "-0800", "PDT": "-0700",
}

// ParseDate reads a Date header leniently (RFC 5322 first, then the forms
// broken mailers write). Dates before 1980 are treated as unusable.
func ParseDate(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if m := obsZone.FindStringSubmatchIndex(v); m != nil {
		v = v[:m[2]] + obsZoneOffsets[strings.ToUpper(v[m[2]:m[3]])] + v[m[3]:]
	}
	if t, err := mail.ParseDate(v); err == nil {
		return plausibleDate(t)
	}
	v = strings.Join(strings.Fields(dateComment.ReplaceAllString(v, "")), " ")
	v = strings.TrimSuffix(v, ",")
	for _, layout := range dateLayouts {
		if t, err := time.Parse(layout, v); err == nil {
			return plausibleDate(t)
		}
	}
	// Drop a trailing zone name or garbage and try again.
	if i := strings.LastIndexByte(v, ' '); i > 0 {
		for _, layout := range dateLayouts {
			if t, err := time.Parse(layout, v[:i]); err == nil {
				return plausibleDate(t)
			}
		}
	}
	return time.Time{}, false
}

func plausibleDate(t time.Time) (time.Time, bool) {
	if t.Year() < 1980 {
		return time.Time{}, false
	}
	return t.UTC(), true
}
