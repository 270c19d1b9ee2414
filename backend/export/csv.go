package export

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"leadminer/backend/contact"
)

// csvHeader is the column order of the reference export; keep it in sync with
// csvRecord.
var csvHeader = []string{
	"Name", "Email", "Recency", "Seniority", "Occurrence", "Sender", "Recipient",
	"Conversations", "Replies", "Tags", "Reachable", "Temperature", "Consent",
	"Given name", "Family name", "Alternate names", "Alternate emails",
	"Location", "Works for", "Job title", "Same as", "Telephone", "Avatar URL",
}

// listSep joins multi-valued fields in one cell, as the reference export does.
const listSep = ","

type csvWriter struct {
	bw      *bufio.Writer
	delim   rune
	bom     bool
	started bool
	closed  bool
	record  []string // reused between rows
}

func newCSVWriter(w io.Writer, delim rune, bom bool) *csvWriter {
	return &csvWriter{bw: bufio.NewWriter(w), delim: delim, bom: bom, record: make([]string, 0, len(csvHeader))}
}

// start writes the BOM and the header lazily, so that New cannot fail on I/O
// and an export of zero contacts still gets its header at Close.
func (w *csvWriter) start() {
	if w.started {
		return
	}
	w.started = true
	if w.bom {
		w.bw.WriteString("\uFEFF")
	}
	w.writeRecord(csvHeader) // errors resurface on the next write or flush
}

func (w *csvWriter) Write(c contact.Contact) error {
	if w.closed {
		return ErrClosed
	}
	w.start()
	w.record = csvRecord(w.record[:0], c)
	if err := w.writeRecord(w.record); err != nil {
		return fmt.Errorf("export: write csv: %w", err)
	}
	return nil
}

func (w *csvWriter) Close() error {
	if w.closed {
		return nil
	}
	w.start()
	w.closed = true
	if err := w.bw.Flush(); err != nil {
		return fmt.Errorf("export: write csv: %w", err)
	}
	return nil
}

// csvRecord appends the cells of c in csvHeader order.
func csvRecord(dst []string, c contact.Contact) []string {
	return append(dst,
		textCell(strings.TrimSpace(validUTF8(c.Name))),
		textCell(c.Email),
		dateCell(c.Recency),
		dateCell(c.Seniority),
		strconv.Itoa(c.Occurrence),
		strconv.Itoa(c.Sender),
		strconv.Itoa(c.Recipient),
		strconv.Itoa(c.Conversations),
		strconv.Itoa(c.RepliedConversations),
		textCell(strings.Join(c.Tags, listSep)),
		textCell(c.Status),
		strconv.Itoa(c.Temperature),
		textCell(c.ConsentStatus),
		textCell(c.GivenName),
		textCell(c.FamilyName),
		textCell(strings.Join(c.AlternateNames, listSep)),
		textCell(strings.Join(c.AlternateEmails, listSep)),
		textCell(c.Location),
		textCell(c.WorksFor),
		textCell(c.JobTitle),
		textCell(strings.Join(c.SameAs, listSep)),
		textCell(strings.Join(c.Telephone, listSep)),
		textCell(c.Image),
	)
}

// dateCell is a UTC calendar day, or empty when unknown.
func dateCell(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format(time.DateOnly)
}

// textCell makes a cell from free text that came from mail headers or
// enrichment, i.e. from strangers: valid UTF-8, and defused against formula
// injection. Numbers and dates we format ourselves bypass it, so "-3" stays a
// number.
func textCell(s string) string {
	return neutraliseFormula(validUTF8(s))
}

// neutraliseFormula prefixes an apostrophe to a cell a spreadsheet could read
// as a formula, per the OWASP "CSV Injection" recommendation. Spreadsheets show
// such a cell as text, so a telephone "+33 6 12 34 56 78" becomes
// "'+33 6 12 34 56 78" in the file and displays as the number's text. Only the
// first character is checked; full-width variants count because some
// spreadsheets normalise them to their ASCII forms.
func neutraliseFormula(s string) string {
	r, _ := utf8.DecodeRuneInString(s)
	switch r {
	case '=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠':
		return "'" + s
	}
	return s
}

// writeRecord writes one RFC 4180 row ending in CRLF. bufio.Writer errors are
// sticky, so the last write reports any failure of the row (or of an earlier
// one).
func (w *csvWriter) writeRecord(fields []string) error {
	for i, f := range fields {
		if i > 0 {
			w.bw.WriteRune(w.delim)
		}
		w.writeField(f)
	}
	_, err := w.bw.WriteString("\r\n")
	return err
}

func (w *csvWriter) writeField(f string) {
	if !strings.ContainsRune(f, w.delim) && !strings.ContainsAny(f, "\"\r\n") {
		w.bw.WriteString(f)
		return
	}
	w.bw.WriteByte('"')
	w.bw.WriteString(strings.ReplaceAll(f, `"`, `""`))
	w.bw.WriteByte('"')
}
