// Package export streams contacts to CSV, vCard and JSON files.
//
// Every format is written one contact at a time through a Writer, so an export
// never holds the whole contact list in memory. Output is always valid UTF-8:
// invalid byte sequences in contact fields are replaced with U+FFFD.
package export

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"leadminer/backend/contact"
)

// Format names an export file format.
type Format string

// Supported formats.
const (
	FormatCSV   Format = "csv"
	FormatVCard Format = "vcard"
	FormatJSON  Format = "json"
)

// validFormats is used in error messages, so users learn what they can type.
const validFormats = "csv, vcard, json"

// Errors callers can test with errors.Is.
var (
	ErrUnknownFormat    = errors.New("unknown export format")
	ErrInvalidDelimiter = errors.New("invalid CSV delimiter")
	ErrInvalidVersion   = errors.New("invalid vCard version")
	ErrClosed           = errors.New("export writer is closed")
)

// Options tune the output. The zero value gives the defaults.
type Options struct {
	// Delimiter separates CSV fields: ',' (default), ';' or '\t'.
	Delimiter rune
	// BOM writes a UTF-8 byte order mark first, which Excel needs to detect
	// UTF-8. CSV only; ignored by the other formats.
	BOM bool
	// VCardVersion is "4.0" (default, RFC 6350) or "3.0" (RFC 2426).
	VCardVersion string
	// AppName is the first CATEGORIES value of every vCard; default "leadminer".
	AppName string
	// Now stamps REV in vCards; default time.Now.
	Now func() time.Time
}

// Writer writes contacts one at a time.
type Writer interface {
	// Write appends one contact to the document.
	Write(c contact.Contact) error
	// Close ends the document (headers for empty CSVs, the closing bracket of
	// JSON) and flushes it. It never closes the underlying io.Writer.
	Close() error
}

// New returns a Writer for format that writes to w.
func New(format Format, w io.Writer, opts Options) (Writer, error) {
	switch format {
	case FormatCSV:
		delim := opts.Delimiter
		if delim == 0 {
			delim = ','
		}
		if !validDelimiter(delim) {
			return nil, fmt.Errorf("export: %w %q: use ',', ';' or tab", ErrInvalidDelimiter, delim)
		}
		return newCSVWriter(w, delim, opts.BOM), nil
	case FormatVCard:
		version := opts.VCardVersion
		if version == "" {
			version = "4.0"
		}
		if version != "4.0" && version != "3.0" {
			return nil, fmt.Errorf("export: %w %q: use 4.0 or 3.0", ErrInvalidVersion, version)
		}
		app := opts.AppName
		if app == "" {
			app = "leadminer"
		}
		now := opts.Now
		if now == nil {
			now = time.Now
		}
		return newVCardWriter(w, version, app, now), nil
	case FormatJSON:
		return newJSONWriter(w), nil
	}
	return nil, fmt.Errorf("export: %w %q: valid formats are %s", ErrUnknownFormat, string(format), validFormats)
}

// ParseFormat reads a format name as a user types it (case and surrounding
// spaces ignored).
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(strings.TrimSpace(s))); f {
	case FormatCSV, FormatVCard, FormatJSON:
		return f, nil
	}
	return "", fmt.Errorf("export: %w %q: valid formats are %s", ErrUnknownFormat, s, validFormats)
}

// ParseDelimiter reads a CSV delimiter as a user types it: ",", ";", "tab",
// a literal tab, or the two characters `\t` (what a shell passes through).
func ParseDelimiter(s string) (rune, error) {
	switch s {
	case ",":
		return ',', nil
	case ";":
		return ';', nil
	case "\t", `\t`:
		return '\t', nil
	}
	if strings.EqualFold(strings.TrimSpace(s), "tab") {
		return '\t', nil
	}
	return 0, fmt.Errorf("export: %w %q: use \",\", \";\" or \"tab\"", ErrInvalidDelimiter, s)
}

func validDelimiter(r rune) bool { return r == ',' || r == ';' || r == '\t' }

// validUTF8 replaces invalid byte sequences so every output file decodes.
func validUTF8(s string) string { return strings.ToValidUTF8(s, "\uFFFD") }
