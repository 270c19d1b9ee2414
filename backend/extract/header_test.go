package extract

import (
	"reflect"
	"strings"
	"testing"
)

// fields lists a parsed header as "name: value" lines, in order.
func fields(h Header) []string {
	out := make([]string, 0, h.Len())
	for _, f := range h.fields {
		out = append(out, f.name+": "+f.value)
	}
	return out
}

func TestParseHeader(t *testing.T) {
	tests := []struct {
		name string
		raw  string
		want []string
	}{
		{"LF", "From: a@x.com\nTo: b@x.com\n", []string{"from: a@x.com", "to: b@x.com"}},
		{"CRLF", "From: a@x.com\r\nTo: b@x.com\r\n", []string{"from: a@x.com", "to: b@x.com"}},
		{"no final newline", "From: a@x.com\r\nSubject: hi", []string{"from: a@x.com", "subject: hi"}},
		{"mixed endings", "From: a@x.com\nTo: b@x.com\r\nCc: c@x.com\r", []string{"from: a@x.com", "to: b@x.com", "cc: c@x.com"}},
		{"folded with tab", "To: a@x.com,\r\n\tb@x.com\r\nSubject: s\r\n", []string{"to: a@x.com, b@x.com", "subject: s"}},
		{"folded with spaces", "Subject: a long\r\n    subject\r\n  line\r\n", []string{"subject: a long subject line"}},
		{"folded LF", "To: a@x.com,\n b@x.com\n", []string{"to: a@x.com, b@x.com"}},
		{"value starts on the next line", "To:\r\n a@x.com\r\n", []string{"to: a@x.com"}},
		{"blank continuation", "Subject: s\r\n \r\nTo: b@x.com\r\n", []string{"subject: s", "to: b@x.com"}},
		{"repeated header kept in order", "To: a@x.com\r\nSubject: s\r\nTo: b@x.com\r\n",
			[]string{"to: a@x.com", "subject: s", "to: b@x.com"}},
		{"names lower-cased", "MESSAGE-ID: <a@b>\r\nReply-To: r@x.com\r\n", []string{"message-id: <a@b>", "reply-to: r@x.com"}},
		{"value case kept", "Subject: Hello World\r\n", []string{"subject: Hello World"}},
		{"space before colon", "Subject : hello\r\n", []string{"subject: hello"}},
		{"tab before colon", "Subject\t: hello\r\n", []string{"subject: hello"}},
		{"no space after colon", "Subject:hello\r\n", []string{"subject: hello"}},
		{"colon in value", "Subject: re: re: x\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n",
			[]string{"subject: re: re: x", "date: Mon, 1 Jan 2024 10:00:00 +0000"}},
		{"empty value", "Cc:\r\nTo: b@x.com\r\n", []string{"cc: ", "to: b@x.com"}},
		{"surrounding spaces trimmed", "Subject:   padded   \r\n", []string{"subject: padded"}},
		{"mbox From line skipped", "From MAILER-DAEMON Fri Jul  8 12:08:34 2011\nFrom: a@x.com\n", []string{"from: a@x.com"}},
		{"mbox From line without time skipped", "From a@x.com\r\nTo: b@x.com\r\n", []string{"to: b@x.com"}},
		{"line without colon skipped", "garbage\r\nTo: b@x.com\r\n", []string{"to: b@x.com"}},
		{"name with inner space skipped", "Bad Name: v\r\nTo: b@x.com\r\n", []string{"to: b@x.com"}},
		{"leading colon skipped", ": v\r\nTo: b@x.com\r\n", []string{"to: b@x.com"}},
		{"continuation before any field ignored", " stray\r\n\tmore\r\nTo: b@x.com\r\n", []string{"to: b@x.com"}},
		{"continuation of a skipped line ignored", "To: a@x.com\r\nBad Name: v\r\n evil@x.com\r\nCc: c@x.com\r\n",
			[]string{"to: a@x.com", "cc: c@x.com"}},
		{"continuation after mbox line ignored", "From sender Mon Jan 1 00:00:00 2024\r\n\tx@y.com\r\nTo: b@x.com\r\n", []string{"to: b@x.com"}},
		{"stops at first blank line", "To: a@x.com\r\n\r\nCc: body@x.com\r\n", []string{"to: a@x.com"}},
		{"stops at first blank LF line", "To: a@x.com\n\nCc: body@x.com\n", []string{"to: a@x.com"}},
		{"blank line first", "\r\nTo: a@x.com\r\n", []string{}},
		{"empty", "", []string{}},
		{"raw 8-bit kept", "Subject: caf\xe9\r\n", []string{"subject: caf\xe9"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := ParseHeader([]byte(tt.raw))
			if got := fields(h); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseHeader(%q)\n got %q\nwant %q", tt.raw, got, tt.want)
			}
			if h.Len() != len(tt.want) {
				t.Errorf("Len() = %d, want %d", h.Len(), len(tt.want))
			}
		})
	}
}

func TestHeaderAccessors(t *testing.T) {
	h := ParseHeader([]byte("Received: from a\r\n\tby b\r\nTo: first@x.com\r\nX-GitHub-Reason: mention\r\n" +
		"To: second@x.com\r\nList-Unsubscribe:\r\nSubject : s\r\n\r\nTo: body@x.com\r\n"))
	if got, want := h.Values("to"), []string{"first@x.com", "second@x.com"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Values(to) = %q, want %q", got, want)
	}
	if got := h.Values("cc"); got != nil {
		t.Errorf("Values(cc) = %q, want nil", got)
	}
	if got := h.Get("to"); got != "first@x.com" {
		t.Errorf("Get(to) = %q, want the first value", got)
	}
	if got := h.Get("received"); got != "from a by b" {
		t.Errorf("Get(received) = %q", got)
	}
	if got := h.Get("subject"); got != "s" {
		t.Errorf("Get(subject) = %q", got)
	}
	if got := h.Get("cc"); got != "" {
		t.Errorf("Get(cc) = %q, want empty", got)
	}
	// Names are stored lower-cased; lookups take lower-case names.
	if h.Get("To") != "" || h.Has("To") {
		t.Errorf("lookups are by lower-case name only")
	}
	if !h.Has("list-unsubscribe") {
		t.Errorf("Has(list-unsubscribe) = false for a present, empty header")
	}
	if h.Has("cc") {
		t.Errorf("Has(cc) = true for an absent header")
	}
	if !h.HasPrefix("x-github") || !h.HasPrefix("x-") || !h.HasPrefix("") {
		t.Errorf("HasPrefix missed a present prefix")
	}
	if h.HasPrefix("x-linkedin") || h.HasPrefix("tox") {
		t.Errorf("HasPrefix matched an absent prefix")
	}
	if h.Len() != 6 {
		t.Errorf("Len() = %d, want 6", h.Len())
	}
	var zero Header
	if zero.Get("to") != "" || zero.Has("to") || zero.Values("to") != nil || zero.HasPrefix("") || zero.Len() != 0 {
		t.Errorf("zero Header is not empty")
	}
}

// A field folded over many lines must parse in linear time: it used to
// concatenate strings line by line (quadratic: ~2 s for 10k lines).
func TestParseHeaderManyFoldedLines(t *testing.T) {
	const n = 20000
	raw := "To: a@x.com" + strings.Repeat(",\r\n\tb@x.com", n) + "\r\nSubject: s\r\n\r\n"
	h := ParseHeader([]byte(raw))
	if got := strings.Count(h.Get("to"), "@"); got != n+1 {
		t.Fatalf("to holds %d addresses, want %d", got, n+1)
	}
	if h.Get("subject") != "s" {
		t.Fatalf("subject lost")
	}
}

func TestFieldNames(t *testing.T) {
	for _, af := range AddressFields {
		if af.Field.String() != af.Name {
			t.Errorf("%d.String() = %q, want %q", af.Field, af.Field.String(), af.Name)
		}
	}
	if Field(0).String() != "unknown" || Field(99).String() != "unknown" {
		t.Errorf("unknown fields not reported as such")
	}
	for _, f := range []Field{FieldFrom, FieldReplyTo} {
		if !f.IsSender() || f.IsRecipient() {
			t.Errorf("%v: want sender", f)
		}
	}
	for _, f := range []Field{FieldTo, FieldCc, FieldBcc} {
		if f.IsSender() || !f.IsRecipient() {
			t.Errorf("%v: want recipient", f)
		}
	}
	if FieldListPost.IsSender() || FieldListPost.IsRecipient() {
		t.Errorf("list-post is neither sender nor recipient")
	}
	// Stored in the database: the numbers must not change.
	want := map[Field]uint8{FieldFrom: 1, FieldTo: 2, FieldCc: 3, FieldBcc: 4, FieldReplyTo: 5, FieldListPost: 6}
	for f, n := range want {
		if uint8(f) != n {
			t.Errorf("%v = %d, want %d", f, uint8(f), n)
		}
	}
}
