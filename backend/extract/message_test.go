package extract

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// hdr builds a CRLF header section from lines, with its blank line.
func hdr(lines ...string) []byte {
	return []byte(strings.Join(lines, "\r\n") + "\r\n\r\n")
}

func occ(f Field, email, name, plus string) Occurrence {
	return Occurrence{Field: f, Address: Address{Email: email, Name: name, Plus: plus}}
}

func TestExtractOccurrences(t *testing.T) {
	x := NewExtractor(nil)
	m := x.Extract(hdr(
		"Received: from mx.example.com by mx.example.org",
		"List-Post: <mailto:dev@lists.example.org>",
		"From: Alice Martin <Alice@Example.com>",
		"To: Bob <bob@example.com>, carol@example.com",
		"Subject: hello",
		"Cc: \"Dupont, Marie\" <marie@example.fr>",
		"Bcc: secret@example.com",
		"Reply-To: Alice <alice+replies@example.com>",
		"To: Dan <dan@example.com>",
	))
	want := []Occurrence{
		occ(FieldFrom, "alice@example.com", "Alice Martin", ""),
		occ(FieldTo, "bob@example.com", "Bob", ""),
		occ(FieldTo, "carol@example.com", "", ""),
		// A second To header is mined, unlike the hosted product.
		occ(FieldTo, "dan@example.com", "Dan", ""),
		occ(FieldCc, "marie@example.fr", "Dupont, Marie", ""),
		occ(FieldBcc, "secret@example.com", "", ""),
		occ(FieldReplyTo, "alice@example.com", "Alice", "alice+replies@example.com"),
		occ(FieldListPost, "dev@lists.example.org", "", ""),
	}
	if !reflect.DeepEqual(m.Occurrences, want) {
		t.Errorf("occurrences\n got %+v\nwant %+v", m.Occurrences, want)
	}
	if m.FromMe || m.ToMe {
		t.Errorf("FromMe/ToMe set without own addresses")
	}
	if m.Header.Get("subject") != "hello" {
		t.Errorf("Header not kept")
	}
}

func TestExtractEveryInstance(t *testing.T) {
	m := NewExtractor(nil).Extract(hdr(
		"From: a@example.com", "From: b@example.com",
		"Cc: c1@example.com", "Cc: c2@example.com",
		"Bcc: d1@example.com", "Bcc: d2@example.com",
		"Reply-To: r1@example.com", "Reply-To: r2@example.com",
		"List-Post: <mailto:l1@example.com>", "List-Post: <mailto:l2@example.com>",
	))
	var got []string
	for _, o := range m.Occurrences {
		got = append(got, o.Field.String()+" "+o.Address.Email)
	}
	want := []string{
		"from a@example.com", "from b@example.com", "cc c1@example.com", "cc c2@example.com",
		"bcc d1@example.com", "bcc d2@example.com", "reply-to r1@example.com", "reply-to r2@example.com",
		"list-post l1@example.com", "list-post l2@example.com",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
}

// The hosted product's getContacts test: an invalid-looking entry still
// yields its address, both from the From field.
func TestExtractHostedFromList(t *testing.T) {
	m := NewExtractor(nil).Extract(hdr("From: Leadminer <leadminer@leadminer.io>, test invalid@leadminer.io"))
	want := []Occurrence{
		occ(FieldFrom, "leadminer@leadminer.io", "Leadminer", ""),
		occ(FieldFrom, "invalid@leadminer.io", "test", ""),
	}
	if !reflect.DeepEqual(m.Occurrences, want) {
		t.Errorf("got %+v\nwant %+v", m.Occurrences, want)
	}
}

func TestExtractDeduplicates(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []Occurrence
	}{
		{"name kept when the duplicate has none",
			[]string{"To: Alice <alice@example.com>, alice@example.com"},
			[]Occurrence{occ(FieldTo, "alice@example.com", "Alice", "")}},
		{"name taken from the duplicate",
			[]string{"To: alice@example.com, Alice <ALICE@example.com>"},
			[]Occurrence{occ(FieldTo, "alice@example.com", "Alice", "")}},
		{"first name wins",
			[]string{"To: Alice <alice@example.com>, Ally <alice@example.com>"},
			[]Occurrence{occ(FieldTo, "alice@example.com", "Alice", "")}},
		{"across two headers of the same field",
			[]string{"To: alice@example.com", "To: Alice <alice@example.com>"},
			[]Occurrence{occ(FieldTo, "alice@example.com", "Alice", "")}},
		{"plus-tagged form is the same address",
			[]string{"To: alice@example.com, Alice <alice+news@example.com>"},
			[]Occurrence{occ(FieldTo, "alice@example.com", "Alice", "alice+news@example.com")}},
		{"first plus form wins",
			[]string{"To: alice+a@example.com, alice+b@example.com"},
			[]Occurrence{occ(FieldTo, "alice@example.com", "", "alice+a@example.com")}},
		{"one per field",
			[]string{"From: Alice <alice@example.com>", "To: alice@example.com", "Cc: alice@example.com"},
			[]Occurrence{
				occ(FieldFrom, "alice@example.com", "Alice", ""),
				occ(FieldTo, "alice@example.com", "", ""),
				occ(FieldCc, "alice@example.com", "", ""),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewExtractor(nil).Extract(hdr(tt.lines...))
			if !reflect.DeepEqual(m.Occurrences, tt.want) {
				t.Errorf("got %+v\nwant %+v", m.Occurrences, tt.want)
			}
		})
	}
}

func TestExtractOwnAddresses(t *testing.T) {
	x := NewExtractor([]string{"Me@Example.com", "me+work@other.org", "not an address", ""})
	if !x.IsMe("me@example.com") || !x.IsMe("me@other.org") {
		t.Fatalf("own addresses not registered in canonical form")
	}
	if x.IsMe("Me@Example.com") || x.IsMe("me+work@other.org") || x.IsMe("not an address") {
		t.Fatalf("IsMe takes canonical addresses only")
	}
	tests := []struct {
		name         string
		lines        []string
		fromMe, toMe bool
		emails       []string
	}{
		{"sent by me", []string{"From: Me <ME@example.com>", "To: bob@example.com"}, true, false, []string{"bob@example.com"}},
		{"sent by my plus form", []string{"From: me+lists@example.com", "To: bob@example.com"}, true, false, []string{"bob@example.com"}},
		{"sent by my other address", []string{"From: <ME+x@OTHER.org>", "To: bob@example.com"}, true, false, []string{"bob@example.com"}},
		{"to me", []string{"From: bob@example.com", "To: Me <me@example.com>, carol@example.com"}, false, true, []string{"bob@example.com", "carol@example.com"}},
		{"cc me plus-tagged", []string{"From: bob@example.com", "Cc: me+cc@example.com"}, false, true, []string{"bob@example.com"}},
		{"bcc me", []string{"From: bob@example.com", "Bcc: me@other.org"}, false, true, []string{"bob@example.com"}},
		{"to me in a second To header", []string{"From: bob@example.com", "To: carol@example.com", "To: me@example.com"}, false, true,
			[]string{"bob@example.com", "carol@example.com"}},
		{"reply-to me is neither", []string{"From: bob@example.com", "Reply-To: me@example.com"}, false, false, []string{"bob@example.com"}},
		{"list-post me is neither", []string{"From: bob@example.com", "List-Post: <mailto:me@example.com>"}, false, false, []string{"bob@example.com"}},
		{"note to self", []string{"From: me@example.com", "To: me@example.com"}, true, true, nil},
		{"someone else", []string{"From: bob@example.com", "To: carol@example.com"}, false, false, []string{"bob@example.com", "carol@example.com"}},
		{"similar address is not me", []string{"From: me@example.co", "To: mee@example.com"}, false, false, []string{"me@example.co", "mee@example.com"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := x.Extract(hdr(tt.lines...))
			if m.FromMe != tt.fromMe || m.ToMe != tt.toMe {
				t.Errorf("FromMe, ToMe = %v, %v; want %v, %v", m.FromMe, m.ToMe, tt.fromMe, tt.toMe)
			}
			var emails []string
			for _, o := range m.Occurrences {
				if x.IsMe(o.Address.Email) {
					t.Errorf("own address reported: %+v", o)
				}
				emails = append(emails, o.Address.Email)
			}
			if !reflect.DeepEqual(emails, tt.emails) {
				t.Errorf("emails = %q, want %q", emails, tt.emails)
			}
		})
	}
}

func TestExtractMessageID(t *testing.T) {
	tests := []struct {
		name, value, want string
	}{
		{"brackets", "<CAF=abc.123@mail.gmail.com>", "CAF=abc.123@mail.gmail.com"},
		{"case kept", "<AbC@Example.COM>", "AbC@Example.COM"},
		{"no brackets", "abc.123@example.com", "abc.123@example.com"},
		{"padded", "   <abc@example.com>   ", "abc@example.com"},
		{"spaces inside brackets trimmed", "< abc@example.com >", "abc@example.com"},
		{"comment after", "<abc@example.com> (added by postmaster)", "abc@example.com"},
		{"two ids: the first", "<a@example.com> <b@example.com>", "a@example.com"},
		{"text before brackets", "Message <a@example.com>", "a@example.com"},
		{"spaces without brackets", "not a message id", ""},
		{"empty brackets", "<>", ""},
		{"blank brackets", "<   >", ""},
		{"lone bracket", "<", ""},
		{"punctuation only", "<.@.>", ""},
		{"empty", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewExtractor(nil).Extract(hdr("From: a@example.com", "Message-ID: "+tt.value))
			if m.MessageID != tt.want {
				t.Errorf("MessageID = %q, want %q", m.MessageID, tt.want)
			}
			if tt.want != "" {
				if m.Key != "mid:"+tt.want {
					t.Errorf("Key = %q, want mid:%s", m.Key, tt.want)
				}
			} else if !strings.HasPrefix(m.Key, "hash:") || len(m.Key) != len("hash:")+32 {
				t.Errorf("Key = %q, want a hash key", m.Key)
			}
		})
	}
	// Messages whose ids carry no identity must not share one key.
	a := NewExtractor(nil).Extract(hdr("Message-ID: <>", "Subject: one"))
	b := NewExtractor(nil).Extract(hdr("Message-ID: <>", "Subject: two"))
	if a.Key == b.Key {
		t.Errorf("two messages with Message-ID <> share the key %q", a.Key)
	}
	// No Message-ID header at all.
	if m := NewExtractor(nil).Extract(hdr("From: a@example.com")); m.MessageID != "" || !strings.HasPrefix(m.Key, "hash:") {
		t.Errorf("no Message-ID: got %q, %q", m.MessageID, m.Key)
	}
}

func TestFallbackKey(t *testing.T) {
	base := []string{
		"Date: Mon, 1 Jan 2024 10:00:00 +0000",
		"From: Alice <alice@example.com>",
		"Subject: Quarterly report",
		"To: bob@example.com, carol@example.com",
		"Cc: dan@example.com",
	}
	key := func(lines ...string) string {
		m := NewExtractor(nil).Extract(hdr(lines...))
		if m.MessageID != "" {
			t.Fatalf("unexpected Message-ID %q", m.MessageID)
		}
		return m.Key
	}
	k := key(base...)
	if !strings.HasPrefix(k, "hash:") || len(k) != len("hash:")+32 {
		t.Fatalf("Key = %q, want hash: and 32 hex digits", k)
	}
	same := map[string][]string{
		"again": base,
		"copied with other Received lines": append([]string{
			"Received: from mx2.example.org by imap.example.org; Tue, 2 Jan 2024 10:00:00 +0000",
			"Received: from mx1.example.com by mx2.example.org",
			"X-Folder: Archive",
		}, base...),
		"other order": {base[4], base[3], base[2], base[1], base[0]},
		"folded To":   {base[0], base[1], base[2], "To: bob@example.com,\r\n\tcarol@example.com", base[4]},
		"extra spaces": {"Date:  Mon,  1 Jan 2024 10:00:00 +0000", base[1], base[2], base[3],
			"Cc:   dan@example.com  "},
		"header name case": {"DATE: Mon, 1 Jan 2024 10:00:00 +0000", base[1], "SUBJECT: Quarterly report", base[3], base[4]},
	}
	for name, lines := range same {
		if got := key(lines...); got != k {
			t.Errorf("%s: key %q, want %q", name, got, k)
		}
	}
	differ := map[string][]string{
		"date":    {"Date: Mon, 1 Jan 2024 10:00:01 +0000", base[1], base[2], base[3], base[4]},
		"from":    {base[0], "From: Alice <alice2@example.com>", base[2], base[3], base[4]},
		"subject": {base[0], base[1], "Subject: Re: Quarterly report", base[3], base[4]},
		"to":      {base[0], base[1], base[2], "To: bob@example.com", base[4]},
		"cc":      {base[0], base[1], base[2], base[3], "Cc: erin@example.com"},
		"no cc":   {base[0], base[1], base[2], base[3]},
		// A value moved to another field must not collide.
		"shifted": {base[0], base[1], "Subject: bob@example.com, carol@example.com", "To: Quarterly report", base[4]},
	}
	seen := map[string]string{k: "base"}
	for name, lines := range differ {
		got := key(lines...)
		if prev, dup := seen[got]; dup {
			t.Errorf("%s: key %q equals the key of %s", name, got, prev)
		}
		seen[got] = name
	}
}

func TestListID(t *testing.T) {
	tests := []struct{ in, want string }{
		// RFC 2919 examples.
		{"List Header Mailing List <list-header.nisto.com>", "list-header.nisto.com"},
		{"<commonspace-users.list-id.within.com>", "commonspace-users.list-id.within.com"},
		{`"Lena's Personal Joke List" <lenas-jokes.da39efc25c530ad145d41b86f7420c3b.021999.localhost>`,
			"lenas-jokes.da39efc25c530ad145d41b86f7420c3b.021999.localhost"},
		{`"An internal CMU List" <0Jks9449.list-id.cmu.edu>`, "0jks9449.list-id.cmu.edu"},
		{"<da39efc25c530ad145d41b86f7420c3b.052000.localhost>", "da39efc25c530ad145d41b86f7420c3b.052000.localhost"},
		// The hosted product's negative examples.
		{"Text without list-id", ""},
		{`""`, ""},
		{"", ""},
		// Lenient forms.
		{"<list.example.org>  ", "list.example.org"},
		{"Dev.Example.ORG", "dev.example.org"},
		{"<>", ""},
		{"no-dot", ""},
		{"<" + strings.Repeat("a", 256) + ">", ""},
	}
	for _, tt := range tests {
		if got := listID(tt.in); got != tt.want {
			t.Errorf("listID(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	m := NewExtractor(nil).Extract(hdr("List-Id: List Header Mailing List\r\n <list-header.nisto.com>"))
	if m.ListID != "list-header.nisto.com" {
		t.Errorf("Extract: ListID = %q", m.ListID)
	}
}

func TestExtractConversation(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  bool
	}{
		{"references", []string{"References: <r1@x> <r2@x>"}, true},
		{"one reference", []string{"References: <r1@x>"}, true},
		{"in-reply-to only", []string{"In-Reply-To: <r1@x>"}, true},
		{"both", []string{"In-Reply-To: <r2@x>", "References: <r1@x> <r2@x>"}, true},
		{"neither", []string{"Subject: Re: hello"}, false},
		{"empty references", []string{"References:", "In-Reply-To:   "}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			lines := append([]string{"From: a@example.com"}, tt.lines...)
			if got := NewExtractor(nil).Extract(hdr(lines...)).Conversation; got != tt.want {
				t.Errorf("Conversation = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s int) time.Time {
		return time.Date(y, mo, d, h, mi, s, 0, time.UTC)
	}
	tests := []struct {
		in   string
		want time.Time // zero: not ok
	}{
		{"Mon, 2 Jan 2006 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)},
		{"Mon, 02 Jan 2006 15:04:05 +0000", utc(2006, 1, 2, 15, 4, 5)},
		{"Tue, 1 Jul 2003 10:52:37 +0200", utc(2003, 7, 1, 8, 52, 37)},
		{"  Tue, 1 Jul 2003 10:52:37 +0200  ", utc(2003, 7, 1, 8, 52, 37)},
		{"Tue,  1 Jul 2003  10:52:37  +0200", utc(2003, 7, 1, 8, 52, 37)},
		{"Mon, 2 Jan 2006 15:04 -0700", utc(2006, 1, 2, 22, 4, 0)},
		// Missing day of week.
		{"2 Jan 2006 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)},
		{"02 Jan 2006 15:04 +0100", utc(2006, 1, 2, 14, 4, 0)},
		// Comments.
		{"Tue, 1 Jul 2003 10:52:37 -0400 (EDT)", utc(2003, 7, 1, 14, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", utc(2003, 7, 1, 8, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 +0000 (Coordinated Universal Time)", utc(2003, 7, 1, 10, 52, 37)},
		// RFC 5322 §4.3 zone names.
		{"Tue, 1 Jul 2003 10:52:37 EDT", utc(2003, 7, 1, 14, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 edt", utc(2003, 7, 1, 14, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 EDT (EDT)", utc(2003, 7, 1, 14, 52, 37)},
		{"Mon, 3 Feb 2003 10:52:37 EST", utc(2003, 2, 3, 15, 52, 37)},
		{"Mon, 3 Feb 2003 10:52:37 CST", utc(2003, 2, 3, 16, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 CDT", utc(2003, 7, 1, 15, 52, 37)},
		{"Mon, 3 Feb 2003 10:52:37 MST", utc(2003, 2, 3, 17, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 MDT", utc(2003, 7, 1, 16, 52, 37)},
		{"Mon, 3 Feb 2003 10:52:37 PST", utc(2003, 2, 3, 18, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 PDT", utc(2003, 7, 1, 17, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 GMT", utc(2003, 7, 1, 10, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 UT", utc(2003, 7, 1, 10, 52, 37)},
		{"Tue, 1 Jul 2003 10:52:37 UTC", utc(2003, 7, 1, 10, 52, 37)},
		{"1 Jul 03 10:52 EDT", utc(2003, 7, 1, 14, 52, 0)},
		// Two-digit years.
		{"Tue, 1 Jul 03 10:52:37 -0400", utc(2003, 7, 1, 14, 52, 37)},
		{"Thu, 1 Jul 99 10:52:37 +0000", utc(1999, 7, 1, 10, 52, 37)},
		{"1 Jul 79 10:52:37 +0000", time.Time{}}, // 1979
		// asctime and other broken forms.
		{"Tue Jul  1 10:52:37 2003", utc(2003, 7, 1, 10, 52, 37)},
		{"Tue Jul 1 10:52:37 EDT 2003", utc(2003, 7, 1, 14, 52, 37)},
		{"Mon, Jan 2 2006 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)},
		{"2006-01-02 15:04:05 -0700", utc(2006, 1, 2, 22, 4, 5)},
		{"2006-01-02T15:04:05Z", utc(2006, 1, 2, 15, 4, 5)},
		{"Mon, 2 Jan 2006 15:04:05", utc(2006, 1, 2, 15, 4, 5)},
		{"Mon, 2 Jan 2006 15:04:05 -0700,", utc(2006, 1, 2, 22, 4, 5)},
		{"Mon, 2 Jan 2006 15:04:05 -0700 -0700", utc(2006, 1, 2, 22, 4, 5)},
		{"Mon, 2 Jan 2006 15:04:05 -0700 garbage", utc(2006, 1, 2, 22, 4, 5)},
		// Garbage and implausible dates.
		{"", time.Time{}},
		{"   ", time.Time{}},
		{"not a date", time.Time{}},
		{"yesterday at noon", time.Time{}},
		{"Mon, 32 Jan 2006 15:04:05 -0700", time.Time{}},
		{"Mon, 2 Foo 2006 15:04:05 -0700", time.Time{}},
		{"Thu, 1 Jan 1970 00:00:00 +0000", time.Time{}},
		{"Mon, 31 Dec 1979 23:59:59 +0000", time.Time{}},
		{"Tue, 1 Jan 1980 00:00:00 +0000", utc(1980, 1, 1, 0, 0, 0)},
		{"Sat, 1 Jan 0001 00:00:00 +0000", time.Time{}},
	}
	for _, tt := range tests {
		got, ok := ParseDate(tt.in)
		if ok != !tt.want.IsZero() || !got.Equal(tt.want) {
			t.Errorf("ParseDate(%q) = %v, %v; want %v", tt.in, got, ok, tt.want)
			continue
		}
		if ok && got.Location() != time.UTC {
			t.Errorf("ParseDate(%q) location %v, want UTC", tt.in, got.Location())
		}
	}
}

// The RFC 5322 zone names must not depend on the machine's zone: Go reads
// a zone name with the local zone's offset for it when it has one.
func TestParseDateIgnoresLocalZone(t *testing.T) {
	saved := time.Local
	defer func() { time.Local = saved }()
	want := time.Date(2003, 7, 1, 14, 52, 37, 0, time.UTC)
	for _, loc := range []*time.Location{time.UTC, time.FixedZone("EDT", -4*3600), time.FixedZone("EDT", 3*3600)} {
		time.Local = loc
		if got, ok := ParseDate("Tue, 1 Jul 2003 10:52:37 EDT"); !ok || !got.Equal(want) {
			t.Errorf("local zone %v: got %v, %v; want %v", loc, got, ok, want)
		}
	}
}

func TestExtractDate(t *testing.T) {
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	x := NewExtractor(nil)
	x.now = func() time.Time { return now }
	tests := []struct {
		date string
		want time.Time
	}{
		{"Sat, 1 Jun 2024 12:00:00 +0000", now},
		{"Fri, 31 May 2024 14:00:00 +0200", now.Add(-24 * time.Hour)},
		{"Mon, 3 Jun 2024 11:00:00 +0000", now.Add(47 * time.Hour)},
		{"Mon, 3 Jun 2024 12:00:00 +0000", now.Add(48 * time.Hour)},
		{"Mon, 3 Jun 2024 13:00:00 +0000", time.Time{}}, // 49 h ahead: a wrong clock
		{"Mon, 3 Jun 2024 06:00:00 -0800", time.Time{}}, // 14:00 UTC, 50 h ahead
		{"Thu, 1 Jan 2099 00:00:00 +0000", time.Time{}},
		{"Thu, 1 Jan 1970 00:00:00 +0000", time.Time{}},
		{"garbage", time.Time{}},
		{"", time.Time{}},
	}
	for _, tt := range tests {
		m := x.Extract(hdr("From: a@example.com", "Date: "+tt.date))
		if !m.Date.Equal(tt.want) {
			t.Errorf("Date %q: got %v, want %v", tt.date, m.Date, tt.want)
		}
	}
	if m := x.Extract(hdr("From: a@example.com")); !m.Date.IsZero() {
		t.Errorf("no Date header: got %v", m.Date)
	}
}

func TestExtractCharsetHint(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  Address
	}{
		{"iso-8859-1",
			[]string{"Content-Type: text/plain; charset=iso-8859-1", "From: Andr\xe9 Gide <andre@example.fr>"},
			Address{Email: "andre@example.fr", Name: "André Gide"}},
		{"gb2312",
			[]string{"Content-Type: text/plain; charset=gb2312", "From: \xd5\xd4\xc0\xda <zhao@example.cn>"},
			Address{Email: "zhao@example.cn", Name: "赵磊"}},
		{"quoted upper-case charset, then another parameter",
			[]string{"From: \xd5\xd4\xc0\xda <zhao@example.cn>", "Content-Type: text/plain;\r\n\tCHARSET=\"GB2312\"; format=flowed"},
			Address{Email: "zhao@example.cn", Name: "赵磊"}},
		{"koi8-r",
			[]string{"Content-Type: text/plain; charset=koi8-r", "From: \xe9\xd7\xc1\xce <ivan@example.ru>"},
			Address{Email: "ivan@example.ru", Name: "Иван"}},
		{"no hint: windows-1252",
			[]string{"From: Andr\xe9 Gide <andre@example.fr>"},
			Address{Email: "andre@example.fr", Name: "André Gide"}},
		{"unknown hint: windows-1252",
			[]string{"Content-Type: text/plain; charset=x-nonsense", "From: Andr\xe9 Gide <andre@example.fr>"},
			Address{Email: "andre@example.fr", Name: "André Gide"}},
		{"valid UTF-8 ignores the hint",
			[]string{"Content-Type: text/plain; charset=iso-8859-1", "From: André Gide <andre@example.fr>"},
			Address{Email: "andre@example.fr", Name: "André Gide"}},
		// A body charset that is not ASCII-compatible cannot be the header's:
		// used, it turned the whole value into CJK garbage and lost the address.
		{"utf-16 hint ignored",
			[]string{"Content-Type: text/plain; charset=utf-16", "From: Andr\xe9 <andre@example.fr>"},
			Address{Email: "andre@example.fr", Name: "André"}},
		{"rfc2047 word wins over the hint",
			[]string{"Content-Type: text/plain; charset=gb2312", "From: =?UTF-8?Q?Andr=C3=A9?= <andre@example.fr>"},
			Address{Email: "andre@example.fr", Name: "André"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := NewExtractor(nil).Extract(hdr(tt.lines...))
			want := []Occurrence{{Field: FieldFrom, Address: tt.want}}
			if !reflect.DeepEqual(m.Occurrences, want) {
				t.Errorf("got %+v\nwant %+v", m.Occurrences, want)
			}
		})
	}
}

func TestContentCharset(t *testing.T) {
	tests := []struct{ in, want string }{
		{"text/plain; charset=utf-8", "utf-8"},
		{`text/plain; charset="ISO-8859-1"`, "ISO-8859-1"},
		{"text/plain; CharSet='gb2312'; format=flowed", "gb2312"},
		{"text/plain; charset=koi8-r (comment)", "koi8-r"},
		{"multipart/mixed; boundary=\"x\"", ""},
		{"", ""},
		// 8-bit bytes before the parameter used to shift the offsets of a
		// Unicode lower-casing: a panic, or a wrong slice.
		{strings.Repeat("\xff", 10) + "; charset=gb2312", "gb2312"},
		{"text/plain; n=\u212a; charset=gb2312", "gb2312"},
		{"text/plain; n=\u0130\u0130\u0130; charset=big5", "big5"},
	}
	for _, tt := range tests {
		if got := contentCharset(tt.in); got != tt.want {
			t.Errorf("contentCharset(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRawToUTF8(t *testing.T) {
	tests := []struct{ value, hint, want string }{
		{"plain", "", "plain"},
		{"caf\xe9", "", "café"},
		{"caf\xe9", "iso-8859-1", "café"},
		{"\x80", "", "€"},
		{"\xd5\xd4\xc0\xda", "gb2312", "赵磊"},
		{"\xd5\xd4\xc0\xda", "GB2312", "赵磊"},
		{"\x1b$B;3ED\x1b(B", "", "山田"},
		// Undecodable with the hint: windows-1252.
		{"caf\xe9", "shift_jis", "café"},
		// ASCII-incompatible hints are not used: EBCDIC made "A@B.com" out of
		// bytes that hold no '@'.
		{"\xc1\x7c\xc2\x4b\x83\x96\x94\xff", "ibm037", "Á|ÂKƒ–”ÿ"},
		{"Andr\xe9", "utf-16", "André"},
	}
	for _, tt := range tests {
		got := rawToUTF8(tt.value, tt.hint)
		if got != tt.want {
			t.Errorf("rawToUTF8(%q, %q) = %q, want %q", tt.value, tt.hint, got, tt.want)
		}
		if strings.Contains(got, "@") && !strings.Contains(tt.value, "@") {
			t.Errorf("rawToUTF8(%q, %q) invented an '@': %q", tt.value, tt.hint, got)
		}
	}
}

// A Content-Type with raw 8-bit bytes used to panic the whole extraction.
func TestExtractEightBitContentType(t *testing.T) {
	raw := hdr("Content-Type: text/plain; name=\"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\"; charset=x", "From: a@example.com")
	m := NewExtractor(nil).Extract(raw)
	if len(m.Occurrences) != 1 {
		t.Errorf("occurrences = %+v", m.Occurrences)
	}
}

// A Message-ID-less, empty or garbage header still gets a key.
func TestExtractDegenerate(t *testing.T) {
	for _, raw := range []string{"", "\r\n", "garbage", "From MAILER-DAEMON Mon Jan 1 00:00:00 2024\n", ":::\n\n"} {
		m := NewExtractor(nil).Extract([]byte(raw))
		if !strings.HasPrefix(m.Key, "hash:") || m.Occurrences != nil || !m.Date.IsZero() || m.Conversation {
			t.Errorf("Extract(%q) = %+v", raw, m)
		}
	}
}

// Extract is documented as safe for concurrent use.
func TestExtractConcurrent(t *testing.T) {
	x := NewExtractor([]string{"me@example.com"})
	raw := benchHeader()
	want := x.Extract(raw)
	done := make(chan Message)
	for range 4 {
		go func() {
			var m Message
			for range 50 {
				m = x.Extract(raw)
			}
			done <- m
		}()
	}
	for range 4 {
		if m := <-done; m.Key != want.Key || !reflect.DeepEqual(m.Occurrences, want.Occurrences) {
			t.Errorf("concurrent Extract differs")
		}
	}
}
