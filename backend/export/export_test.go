package export

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"leadminer/backend/contact"
)

func TestParseFormatAcceptsKnownNames(t *testing.T) {
	tests := []struct {
		in   string
		want Format
	}{
		{"csv", FormatCSV},
		{"vcard", FormatVCard},
		{"json", FormatJSON},
		{" JSON ", FormatJSON},
		{"VCard", FormatVCard},
	}
	for _, tt := range tests {
		got, err := ParseFormat(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseFormat(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestParseFormatRejectsUnknownNamesListingValidOnes(t *testing.T) {
	for _, in := range []string{"", "xlsx", "vcf", "csv;"} {
		_, err := ParseFormat(in)
		if !errors.Is(err, ErrUnknownFormat) {
			t.Errorf("ParseFormat(%q) error = %v; want ErrUnknownFormat", in, err)
			continue
		}
		if msg := err.Error(); !strings.Contains(msg, "csv, vcard, json") {
			t.Errorf("ParseFormat(%q) error %q does not name the valid formats", in, msg)
		}
	}
}

func TestParseDelimiter(t *testing.T) {
	tests := []struct {
		in      string
		want    rune
		wantErr bool
	}{
		{",", ',', false},
		{";", ';', false},
		{"tab", '\t', false},
		{"TAB", '\t', false},
		{"\t", '\t', false},
		{`\t`, '\t', false},
		{"", 0, true},
		{"|", 0, true},
		{",,", 0, true},
		{"comma", 0, true},
		{" ", 0, true},
	}
	for _, tt := range tests {
		got, err := ParseDelimiter(tt.in)
		if tt.wantErr {
			if !errors.Is(err, ErrInvalidDelimiter) {
				t.Errorf("ParseDelimiter(%q) error = %v; want ErrInvalidDelimiter", tt.in, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("ParseDelimiter(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
}

func TestNewRejectsInvalidOptions(t *testing.T) {
	tests := []struct {
		name   string
		format Format
		opts   Options
		want   error
	}{
		{"unknown format", "xlsx", Options{}, ErrUnknownFormat},
		{"empty format", "", Options{}, ErrUnknownFormat},
		{"pipe delimiter", FormatCSV, Options{Delimiter: '|'}, ErrInvalidDelimiter},
		{"vcard 2.1", FormatVCard, Options{VCardVersion: "2.1"}, ErrInvalidVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := New(tt.format, &bytes.Buffer{}, tt.opts)
			if !errors.Is(err, tt.want) || w != nil {
				t.Fatalf("New = %v, %v; want nil, %v", w, err, tt.want)
			}
		})
	}
	_, err := New("xlsx", &bytes.Buffer{}, Options{})
	if !strings.Contains(err.Error(), "csv, vcard, json") {
		t.Errorf("unknown format error %q does not name the valid formats", err)
	}
}

// closeRecorder is an io.WriteCloser that remembers being closed.
type closeRecorder struct {
	bytes.Buffer
	closed bool
}

func (c *closeRecorder) Close() error { c.closed = true; return nil }

// failingWriter fails every write.
type failingWriter struct{}

var errDiskFull = errors.New("disk full")

func (failingWriter) Write([]byte) (int, error) { return 0, errDiskFull }

var allFormats = []Format{FormatCSV, FormatVCard, FormatJSON}

func fixedNow() time.Time { return time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC) }

func TestCloseFlushesButNeverClosesTheUnderlyingWriter(t *testing.T) {
	for _, f := range allFormats {
		t.Run(string(f), func(t *testing.T) {
			out := &closeRecorder{}
			w, err := New(f, out, Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Write(contact.Contact{Email: "a@example.com"}); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
			if out.closed {
				t.Error("Close closed the underlying writer")
			}
			if !strings.Contains(out.String(), "a@example.com") {
				t.Errorf("output not flushed: %q", out.String())
			}
			if err := w.Close(); err != nil {
				t.Errorf("second Close = %v; want nil", err)
			}
			if err := w.Write(contact.Contact{}); !errors.Is(err, ErrClosed) {
				t.Errorf("Write after Close = %v; want ErrClosed", err)
			}
		})
	}
}

func TestWriteErrorsAreReportedAndWrapped(t *testing.T) {
	for _, f := range allFormats {
		t.Run(string(f), func(t *testing.T) {
			w, err := New(f, failingWriter{}, Options{Now: fixedNow})
			if err != nil {
				t.Fatal(err)
			}
			// The error may surface on a Write once the buffer fills, or at
			// Close at the latest.
			var got error
			for i := 0; i < 200 && got == nil; i++ {
				got = w.Write(contact.Contact{Email: "someone@example.com", Name: strings.Repeat("x", 100)})
			}
			if got == nil {
				got = w.Close()
			}
			if !errors.Is(got, errDiskFull) {
				t.Fatalf("error = %v; want it to wrap %v", got, errDiskFull)
			}
		})
	}
}
