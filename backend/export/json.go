package export

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"leadminer/backend/contact"
)

// jsonWriter streams a JSON array, one indented object per contact, so the
// document is valid at Close whatever the number of contacts.
type jsonWriter struct {
	bw     *bufio.Writer
	buf    bytes.Buffer
	enc    *json.Encoder
	n      int
	closed bool
}

func newJSONWriter(w io.Writer) *jsonWriter {
	jw := &jsonWriter{bw: bufio.NewWriter(w)}
	jw.enc = json.NewEncoder(&jw.buf)
	jw.enc.SetEscapeHTML(false) // names like "Tom & Jerry" stay readable
	jw.enc.SetIndent("  ", "  ")
	return jw
}

func (w *jsonWriter) Write(c contact.Contact) error {
	if w.closed {
		return ErrClosed
	}
	w.buf.Reset()
	// encoding/json already replaces invalid UTF-8 with U+FFFD.
	if err := w.enc.Encode(jsonContact(c)); err != nil {
		return fmt.Errorf("export: encode json: %w", err)
	}
	if w.n == 0 {
		w.bw.WriteString("[\n  ")
	} else {
		w.bw.WriteString(",\n  ")
	}
	w.n++
	if _, err := w.bw.Write(bytes.TrimSuffix(w.buf.Bytes(), []byte("\n"))); err != nil {
		return fmt.Errorf("export: write json: %w", err)
	}
	return nil
}

func (w *jsonWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.n == 0 {
		w.bw.WriteString("[]\n")
	} else {
		w.bw.WriteString("\n]\n")
	}
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("export: write json: %w", err)
	}
	return nil
}

// jsonContact fixes what the CLI contract expects but the zero value does not
// give: empty lists as [] rather than null, and dates in UTC so the output does
// not depend on the machine's time zone.
func jsonContact(c contact.Contact) contact.Contact {
	for _, s := range []*[]string{&c.AlternateNames, &c.AlternateEmails, &c.Tags, &c.Sources, &c.Telephone, &c.SameAs} {
		if *s == nil {
			*s = []string{}
		}
	}
	c.Recency = utc(c.Recency)
	c.Seniority = utc(c.Seniority)
	return c
}

func utc(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}
