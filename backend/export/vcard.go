package export

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"leadminer/backend/contact"
)

// maxLineOctets is the content line limit of RFC 6350 §3.2 and RFC 2426 §2.6,
// excluding the CRLF.
const maxLineOctets = 75

type vcardWriter struct {
	bw     *bufio.Writer
	v3     bool
	app    string
	now    func() time.Time
	closed bool
	line   []byte // reused content line
}

func newVCardWriter(w io.Writer, version, app string, now func() time.Time) *vcardWriter {
	return &vcardWriter{bw: bufio.NewWriter(w), v3: version == "3.0", app: app, now: now}
}

func (w *vcardWriter) Write(c contact.Contact) error {
	if w.closed {
		return ErrClosed
	}
	name := strings.TrimSpace(validUTF8(c.Name))
	given, family := strings.TrimSpace(c.GivenName), strings.TrimSpace(c.FamilyName)

	w.prop("BEGIN", "VCARD")
	if w.v3 {
		w.prop("VERSION", "3.0")
	} else {
		w.prop("VERSION", "4.0")
	}
	fn := name
	if fn == "" {
		fn = c.Email
	}
	w.prop("FN", escapeText(fn))
	switch {
	case given != "" || family != "":
		w.prop("N", escapeText(family)+";"+escapeText(given)+";;;")
	case w.v3:
		// N is mandatory in 3.0 but optional in 4.0, where a guess would
		// only mislead: with no split name, the whole name goes in family.
		w.prop("N", escapeText(name)+";;;;")
	}

	emailProp := "EMAIL"
	if w.v3 {
		emailProp = "EMAIL;TYPE=INTERNET"
	}
	for _, e := range append([]string{c.Email}, c.AlternateEmails...) {
		if e = strings.TrimSpace(e); e != "" {
			w.prop(emailProp, escapeText(e))
		}
	}
	for _, t := range c.Telephone {
		if t = strings.TrimSpace(t); t == "" {
			continue
		}
		if uri, ok := telURI(t); ok && !w.v3 {
			w.prop("TEL;VALUE=uri", uri)
		} else {
			w.prop("TEL", escapeText(t))
		}
	}
	if org := strings.TrimSpace(c.WorksFor); org != "" {
		w.prop("ORG", escapeText(org))
	}
	if title := strings.TrimSpace(c.JobTitle); title != "" {
		w.prop("TITLE", escapeText(title))
	}
	if loc := strings.TrimSpace(c.Location); loc != "" {
		// The location is free text ("Paris, France"), so it cannot be split
		// into locality/region/country reliably; it goes in the street field.
		adr := "ADR"
		if w.v3 {
			adr = "ADR;TYPE=WORK"
		}
		w.prop(adr, ";;"+escapeText(loc)+";;;;")
	}
	if nick := escapeList(c.AlternateNames); nick != "" {
		w.prop("NICKNAME", nick)
	}
	for _, u := range c.SameAs {
		if u = escapeURI(u); u != "" {
			w.prop("URL", u)
		}
	}
	if img := escapeURI(c.Image); img != "" {
		if w.v3 {
			w.prop("PHOTO;VALUE=uri", img)
		} else {
			w.prop("PHOTO", img)
		}
	}
	w.prop("CATEGORIES", escapeList(append([]string{w.app}, c.Tags...)))
	rev := w.now().UTC()
	if w.v3 {
		w.prop("REV", rev.Format("2006-01-02T15:04:05Z")) // RFC 2426 example form
	} else {
		w.prop("REV", rev.Format("20060102T150405Z")) // RFC 6350 timestamp
	}
	if err := w.prop("END", "VCARD"); err != nil {
		return fmt.Errorf("export: write vcard: %w", err)
	}
	return nil
}

func (w *vcardWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("export: write vcard: %w", err)
	}
	return nil
}

// prop writes one content line "name:value", folded. value must already be
// escaped. bufio.Writer errors are sticky, so the error of the last line of a
// card covers the whole card.
func (w *vcardWriter) prop(name, value string) error {
	w.line = append(append(append(w.line[:0], name...), ':'), value...)
	return writeFolded(w.bw, w.line)
}

// writeFolded writes line ending in CRLF, folded so that no physical line
// exceeds maxLineOctets; a continuation starts with one space, which counts
// towards the limit. Folds fall between UTF-8 sequences, never inside one.
func writeFolded(bw *bufio.Writer, line []byte) error {
	n := 0 // octets on the current physical line
	for i := 0; i < len(line); {
		_, size := utf8.DecodeRune(line[i:])
		if n+size > maxLineOctets {
			bw.WriteString("\r\n ")
			n = 1
		}
		bw.Write(line[i : i+size])
		n += size
		i += size
	}
	_, err := bw.WriteString("\r\n")
	return err
}

// escapeText escapes a TEXT value (RFC 6350 §3.4, RFC 2426 §5): backslash,
// comma, semicolon and line breaks. Other control characters are dropped:
// they are not allowed in content lines and only come from broken headers.
func escapeText(s string) string {
	s = validUTF8(s)
	var b strings.Builder
	b.Grow(len(s))
	prevCR := false
	for _, r := range s {
		cr := false
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == ',':
			b.WriteString(`\,`)
		case r == ';':
			b.WriteString(`\;`)
		case r == '\r':
			b.WriteString(`\n`)
			cr = true
		case r == '\n':
			if !prevCR { // CRLF is one line break
				b.WriteString(`\n`)
			}
		case r == '\t' || !isControl(r):
			b.WriteRune(r)
		}
		prevCR = cr
	}
	return b.String()
}

// escapeList escapes each non-empty item and joins them with unescaped commas,
// the multi-value separator.
func escapeList(items []string) string {
	var b strings.Builder
	for _, it := range items {
		if it = strings.TrimSpace(it); it == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(escapeText(it))
	}
	return b.String()
}

// escapeURI prepares a URI value. URIs are not backslash-escaped (RFC 6350
// writes "PHOTO:data:image/jpeg;base64,..." as is, and clients do not
// unescape them), so only control characters, which no URI contains and which
// could otherwise inject properties, are dropped.
func escapeURI(s string) string {
	s = validUTF8(strings.TrimSpace(s))
	return strings.Map(func(r rune) rune {
		if isControl(r) {
			return -1
		}
		return r
	}, s)
}

// isControl covers C0, DEL and C1.
func isControl(r rune) bool { return unicode.Is(unicode.Cc, r) }

// telURI turns an international number ("+33 6 12 34 56 78") into an RFC 3966
// URI ("tel:+33612345678"): spaces are dropped, visual separators kept. It
// fails for anything else (extensions, letters...), which then stays text.
func telURI(s string) (string, bool) {
	rest, ok := strings.CutPrefix(s, "+")
	if !ok {
		return "", false
	}
	var b strings.Builder
	b.WriteString("tel:+")
	digits := 0
	for _, r := range rest {
		switch {
		case r >= '0' && r <= '9':
			digits++
			b.WriteRune(r)
		case r == '-' || r == '.' || r == '(' || r == ')':
			b.WriteRune(r)
		case unicode.IsSpace(r):
		default:
			return "", false
		}
	}
	if digits == 0 {
		return "", false
	}
	return b.String(), true
}
