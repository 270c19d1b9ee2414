package demo

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/encoding/htmlindex"

	"leadminer/backend/source"
)

var (
	now1 = time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	now2 = time.Date(2031, 11, 17, 8, 30, 15, 0, time.FixedZone("X", -7*3600))
)

// record is a scanned record with its parsed header.
type record struct {
	source.Record
	h textproto.MIMEHeader
}

// scanAll reads every folder of a mailbox.
func scanAll(t *testing.T, m *Mailbox) map[string][]record {
	t.Helper()
	folders, err := m.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]record{}
	for _, f := range folders {
		err := m.Scan(context.Background(), f.Name, source.EmptyCheckpoint{}, func(r source.Record) error {
			h, err := textproto.NewReader(bufio.NewReader(bytes.NewReader(r.Header))).ReadMIMEHeader()
			if err != nil {
				return fmt.Errorf("%s/%s: %v", r.Folder, r.Location, err)
			}
			out[f.Name] = append(out[f.Name], record{r, h})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

var cached = map[time.Time]map[string][]record{}

func scanned(t *testing.T, now time.Time) map[string][]record {
	if r, ok := cached[now]; ok {
		return r
	}
	cached[now] = scanAll(t, New(now))
	return cached[now]
}

func all(recs map[string][]record) []record {
	var out []record
	for _, f := range folderInfo {
		out = append(out, recs[f.name]...)
	}
	return out
}

func TestFolders(t *testing.T) {
	m := New(now1)
	folders, err := m.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		name, use string
		min, max  int
	}{
		{"INBOX", "", 600, 1200},
		{"Sent", `\Sent`, 600, 1200},
		{"Archive", `\Archive`, 400, 1000},
		{"Lists/dev-discuss", "", 500, 500},
		{"Newsletters", "", 200, 300},
		{"Drafts", `\Drafts`, 3, 3},
		{"Spam", `\Junk`, 20, 20},
	}
	if len(folders) != len(want) {
		t.Fatalf("got %d folders, want %d", len(folders), len(want))
	}
	recs := scanned(t, now1)
	total := 0
	for i, w := range want {
		f := folders[i]
		if f.Name != w.name || f.SpecialUse != w.use || !f.Selectable {
			t.Errorf("folder %d = %+v, want %s %s selectable", i, f, w.name, w.use)
		}
		if f.Count < w.min || f.Count > w.max {
			t.Errorf("%s: %d messages, want %d..%d", f.Name, f.Count, w.min, w.max)
		}
		if got := len(recs[f.Name]); got != f.Count {
			t.Errorf("%s: scanned %d, Folders says %d", f.Name, got, f.Count)
		}
		total += f.Count
	}
	if total != m.Messages() || total < 3000 || total > 4000 {
		t.Errorf("total %d, Messages() %d, want 3000..4000", total, m.Messages())
	}
}

func TestDeterministic(t *testing.T) {
	a, b := scanAll(t, New(now1)), scanned(t, now1)
	for _, f := range folderInfo {
		for i := range a[f.name] {
			if !bytes.Equal(a[f.name][i].Header, b[f.name][i].Header) || a[f.name][i].Location != b[f.name][i].Location {
				t.Fatalf("%s #%d differs between two New(now)", f.name, i)
			}
		}
	}
	// Another now moves the dates and nothing else.
	c := scanned(t, now2)
	for _, f := range folderInfo {
		if len(c[f.name]) != len(b[f.name]) {
			t.Fatalf("%s: %d vs %d messages", f.name, len(c[f.name]), len(b[f.name]))
		}
		for i := range c[f.name] {
			x, y := c[f.name][i], b[f.name][i]
			if x.Location != y.Location || !bytes.Equal(withoutDates(x.Header), withoutDates(y.Header)) {
				t.Fatalf("%s %s differs beyond dates:\n%s\n---\n%s", f.name, x.Location, x.Header, y.Header)
			}
		}
	}
}

// withoutDates drops the fields that carry dates (Date, Received).
func withoutDates(h []byte) []byte {
	var out []byte
	skip := false
	for _, line := range bytes.SplitAfter(h, []byte("\r\n")) {
		if len(line) > 0 && line[0] != ' ' && line[0] != '\t' {
			skip = bytes.HasPrefix(line, []byte("Date:")) || bytes.HasPrefix(line, []byte("Received:"))
		}
		if !skip {
			out = append(out, line...)
		}
	}
	return out
}

func TestHeadersParse(t *testing.T) {
	oldest := now1.AddDate(-3, 0, -2)
	for _, r := range all(scanned(t, now1)) {
		name := r.Folder + "/" + r.Location
		h := r.Header
		if !bytes.HasSuffix(h, []byte("\r\n\r\n")) || bytes.Count(h, []byte("\n")) != bytes.Count(h, []byte("\r\n")) {
			t.Fatalf("%s: not a CRLF header section ending with a blank line:\n%q", name, h)
		}
		for _, line := range bytes.Split(h, []byte("\r\n")) {
			if len(line) > 998 {
				t.Fatalf("%s: line of %d characters (RFC 5322 limit 998)", name, len(line))
			}
		}
		msg, err := mail.ReadMessage(bytes.NewReader(h))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if body, _ := io.ReadAll(msg.Body); len(body) != 0 {
			t.Fatalf("%s: %d bytes after the header", name, len(body))
		}
		for _, k := range []string{"Date", "From", "To", "Subject", "Mime-Version", "Content-Type"} {
			if len(r.h[k]) != 1 {
				t.Errorf("%s: %d %s fields", name, len(r.h[k]), k)
			}
		}
		d, err := mail.ParseDate(r.h.Get("Date"))
		if err != nil || d.Before(oldest) || d.After(now1) {
			t.Errorf("%s: Date %q: %v, outside the three years", name, r.h.Get("Date"), err)
		}
	}
}

func TestMessageIDs(t *testing.T) {
	recs := scanned(t, now1)
	where := map[string][]record{}
	noID := 0
	for _, r := range all(recs) {
		id := r.h.Get("Message-Id")
		if id == "" {
			noID++
			continue
		}
		if !strings.HasPrefix(id, "<") || !strings.HasSuffix(id, ">") || strings.Count(id, "@") != 1 {
			t.Errorf("%s/%s: malformed Message-ID %q", r.Folder, r.Location, id)
		}
		where[id] = append(where[id], r)
	}
	if noID != 10 {
		t.Errorf("%d messages without Message-ID, want 10", noID)
	}
	pairs := map[string]int{}
	for id, rs := range where {
		if len(rs) == 1 {
			continue
		}
		if len(rs) > 2 {
			t.Errorf("%s in %d folders", id, len(rs))
		}
		key := rs[0].Folder + "+" + rs[1].Folder
		pairs[key]++
		if key == "INBOX+Archive" && !bytes.Equal(rs[0].Header, rs[1].Header) {
			t.Errorf("%s: INBOX and Archive copies differ", id)
		}
	}
	if pairs["INBOX+Archive"] != 40 {
		t.Errorf("%d INBOX/Archive duplicates, want 40", pairs["INBOX+Archive"])
	}
	// The owner's list posts sit in Sent and come back from the list.
	if n := pairs["Sent+Lists/dev-discuss"]; n < 5 || len(pairs) != 2 {
		t.Errorf("duplicate pairs %v, want INBOX+Archive and some Sent+list", pairs)
	}
}

func TestCheckpointSkips(t *testing.T) {
	m := New(now1)
	known := knownSet{"000001": true, "000002": true, "000010": true}
	var got []string
	err := m.Scan(context.Background(), "Sent", known, func(r source.Record) error {
		got = append(got, r.Location)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(scanned(t, now1)["Sent"])-3 || got[0] != "000003" || slices.Contains(got, "000010") {
		t.Errorf("Known locations not skipped: %d records, first %s", len(got), got[0])
	}
	for i, loc := range got[:7] {
		if want := fmt.Sprintf("%06d", i+3); loc != want {
			t.Errorf("location %s, want %s", loc, want)
		}
	}
}

type knownSet map[string]bool

func (knownSet) Cursor() string          { return "" }
func (k knownSet) Known(loc string) bool { return k[loc] }

func TestScanStops(t *testing.T) {
	m := New(now1)
	boom := errors.New("boom")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	preCancelled, cancelNow := context.WithCancel(context.Background())
	cancelNow()
	tests := []struct {
		name string
		ctx  context.Context
		emit func(n int) error
		want error
		max  int
	}{
		{"cancel while scanning", ctx, func(n int) error {
			cancel()
			return nil
		}, context.Canceled, 1},
		{"cancelled before", preCancelled, func(int) error { return nil }, context.Canceled, 0},
		{"emit error", context.Background(), func(n int) error {
			if n == 5 {
				return boom
			}
			return nil
		}, boom, 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			n := 0
			err := m.Scan(tt.ctx, "INBOX", nil, func(source.Record) error {
				n++
				return tt.emit(n)
			})
			if !errors.Is(err, tt.want) || n != tt.max {
				t.Errorf("err %v after %d records, want %v after %d", err, n, tt.want, tt.max)
			}
		})
	}
	if err := m.Scan(context.Background(), "Trash", nil, nil); !errors.Is(err, ErrNoFolder) {
		t.Errorf("unknown folder: %v", err)
	}
}

func TestOwner(t *testing.T) {
	m := New(now1)
	own := m.OwnAddresses()
	if m.URI() != "demo:" || len(own) != 2 || m.Close() != nil {
		t.Fatalf("URI %q, own %v", m.URI(), own)
	}
	seen := map[string]int{}
	for _, r := range scanned(t, now1)["Sent"] {
		a, err := mail.ParseAddress(r.h.Get("From"))
		if err != nil || !slices.Contains(own, a.Address) {
			t.Fatalf("Sent %s From %q is not the owner", r.Location, r.h.Get("From"))
		}
		seen[a.Address]++
	}
	for _, a := range own {
		if seen[a] < 50 {
			t.Errorf("owner address %s in %d Sent From fields", a, seen[a])
		}
	}
}

// decoder decodes RFC 2047 words in every charset the demo writes.
var decoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	e, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return e.NewDecoder().Reader(r), nil
}}

func TestNames(t *testing.T) {
	raw := map[string]int{}     // From fields as written
	decoded := map[string]int{} // display names after RFC 2047 decoding
	for _, r := range all(scanned(t, now1)) {
		from := r.h.Get("From")
		raw[from]++
		if d, err := decoder.DecodeHeader(from); err == nil {
			decoded[d]++
		}
	}
	tests := []struct{ name, from string }{
		{"ISO-8859-1 Q", "François Dupré <francois.dupre@atelier-lumen.fr>"},
		{"KOI8-R B", "Дмитрий Соколов <d.sokolov@severo-tech.ru>"},
		{"ISO-2022-JP B", "山田 花子 <hanako.yamada@sakura-robotics.co.jp>"},
		{"GB2312 B", "王伟 <wangwei88@qq.com>"},
		{"windows-1252 Q", "Chloë O’Brien <chloe.obrien@northwind-labs.com>"},
		{"UTF-8 Q", "Léa Martin <lea.martin@northwind-labs.com>"},
		{"UTF-8 B", "Katharina Müller <k.mueller@verdant-systeme.de>"},
		{"UTF-8 split in two words", "Maria Magdalena Świętosławska-Wiśniewska <m.swietoslawska@outlook.com>"},
		{"ASCII word then encoded word", "Diego Fernández <diego.fernandez@northwind-labs.com>"},
		{"raw UTF-8 Arabic", "ليلى حداد <layla.haddad@gmail.com>"},
		{"raw UTF-8 Greek", "Νίκος Παπαδόπουλος <nikos.pap@gmail.com>"},
		{"quoted with comma", `"Dupont, Marie" <marie.dupont@atelier-lumen.fr>`},
		{"name is the address", `"chris.turner@gmail.com" <chris.turner@gmail.com>`},
		{"comment form", "bob.stone@yahoo.com (Bob Stone)"},
		{"obsolete local part", "Jenny Smith <j..smith@yahoo.co.uk>"},
		{"bare address", "tomasz.k@gmx.de"},
		{"via inside a name", "Olivia Vialet <olivia.vialet@northwind-labs.com>"},
		{"via suffix", `"Sam Lee (via Google Drive)" <drive-shares-noreply@google.com>`},
		{"via LinkedIn", "Priya Raman via LinkedIn <inmail-hit-reply@linkedin.com>"},
		{"list rewrite", "<" + listAddr + ">"},
		{"raw Latin-1", "Ren\xe9e Lef\xe8vre <renee.lefevre@atelier-lumen.fr>"},
		{"raw Latin-1 too", "J\xfcrgen Baumann <j.baumann@verdant-systeme.de>"},
		{"plus-address", "Nina Patel <nina.patel+billing@bluepeak-analytics.com>"},
		{"plain too", "Nina Patel <nina.patel@bluepeak-analytics.com>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if decoded[tt.from] > 0 || raw[tt.from] > 0 {
				return
			}
			for k := range raw {
				if strings.HasSuffix(k, tt.from) {
					return
				}
			}
			t.Errorf("no From %q", tt.from)
		})
	}
}

func TestPlusAddresses(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range all(scanned(t, now1)) {
		for _, k := range []string{"From", "To", "Cc"} {
			list, err := mail.ParseAddressList(r.h.Get(k))
			if err != nil {
				continue
			}
			for _, a := range list {
				seen[a.Address] = true
			}
		}
	}
	for _, p := range append(clients, personals...) {
		if p.Plus == "" {
			continue
		}
		at := strings.IndexByte(p.Addr, '@')
		plus := p.Addr[:at] + "+" + p.Plus + p.Addr[at:]
		if !seen[p.Addr] || !seen[plus] {
			t.Errorf("%s: plain seen %v, plus seen %v", p.Name, seen[p.Addr], seen[plus])
		}
	}
	if !seen[ownerNews] {
		t.Errorf("the owner's plus-address %s never appears", ownerNews)
	}
}

func TestCases(t *testing.T) {
	recs := scanned(t, now1)
	count := func(folder string, ok func(r record) bool) int {
		n := 0
		rs := recs[folder]
		if folder == "*" {
			rs = all(recs)
		}
		for _, r := range rs {
			if ok(r) {
				n++
			}
		}
		return n
	}
	has := func(k, v string) func(r record) bool {
		return func(r record) bool { return strings.Contains(strings.Join(r.h[k], "\n"), v) }
	}
	raw := func(s string) func(r record) bool {
		return func(r record) bool { return bytes.Contains(r.Header, []byte(s)) }
	}
	tests := []struct {
		name, folder string
		ok           func(record) bool
		min, max     int
	}{
		{"list posts carry list fields", "Lists/dev-discuss", func(r record) bool {
			return r.h.Get("List-Id") == "<"+listID+">" && r.h.Get("List-Post") == "<mailto:"+listAddr+">" &&
				r.h.Get("Precedence") == "list" && r.h.Get("List-Unsubscribe") != ""
		}, 500, 500},
		{"newsletters are bulk, no List-Post", "Newsletters", func(r record) bool {
			return r.h.Get("Precedence") == "bulk" && r.h.Get("List-Unsubscribe") != "" && r.h.Get("List-Post") == ""
		}, 266, 266},
		{"Mailchimp", "Newsletters", raw("X-Mailer: MailChimp Mailer"), 150, 200},
		{"SendGrid", "Newsletters", func(r record) bool { return len(r.h["X-Sg-Eid"]) == 1 }, 80, 80},
		{"Feedback-ID", "Newsletters", has("Feedback-Id", ":"), 150, 200},
		{"newsletters in the inbox", "INBOX", has("Precedence", "bulk"), 100, 200},
		{"no List-Post outside the list", "INBOX", has("List-Post", "mailto"), 0, 0},
		{"auto-generated", "INBOX", has("Auto-Submitted", "auto-generated"), 30, 150},
		{"auto-replied", "INBOX", has("Auto-Submitted", "auto-replied"), 1, 30},
		{"bounces", "INBOX", raw("MAILER-DAEMON@"), 1, 12},
		{"no-reply senders", "INBOX", func(r record) bool {
			f := strings.ToLower(r.h.Get("From"))
			return strings.Contains(f, "noreply@") || strings.Contains(f, "no-reply@") || strings.Contains(f, "notifications@")
		}, 100, 300},
		{"receipts plus-address", "INBOX", raw("receipts+"), 5, 40},
		{"InMail", "INBOX", func(r record) bool {
			return r.h.Get("X-Linkedin-Class") == "INMAIL" && strings.HasSuffix(r.h.Get("Reply-To"), "@reply.linkedin.com>")
		}, 1, 3},
		{"undisclosed recipients", "INBOX", has("To", "Undisclosed-Recipients:;"), 1, 2},
		{"missing comma", "INBOX", has("To", "<alex.morgan@northwind-labs.com> Jordan Reyes <"), 1, 1},
		{"mailto in Cc", "INBOX", has("Cc", "<mailto:"), 1, 1},
		{"Bcc in Sent", "Sent", has("Bcc", "@"), 3, 3},
		{"Sent to undisclosed with Bcc", "Sent", func(r record) bool {
			return r.h.Get("To") == "undisclosed-recipients:;" && strings.Count(r.h.Get("Bcc"), "@") >= 10
		}, 1, 1},
		{"Reply-To to an assistant", "*", has("Reply-To", "emma.clarke@tidewater-capital.com"), 1, 100},
		{"Latin-1 content type with raw name", "INBOX", func(r record) bool {
			return strings.Contains(r.h.Get("Content-Type"), "iso-8859-1") && bytes.Contains(r.Header, []byte("Ren\xe9e"))
		}, 1, 3},
		{"long To folded", "INBOX", func(r record) bool {
			return strings.Count(r.h.Get("To"), "@") >= 8 && bytes.Contains(r.Header, []byte(",\r\n\t"))
		}, 1, 5},
		{"Cc lists", "Archive", has("Cc", "@"), 50, 1000},
		{"replies thread", "Archive", func(r record) bool {
			return r.h.Get("In-Reply-To") != "" && strings.Contains(r.h.Get("References"), r.h.Get("In-Reply-To"))
		}, 100, 1000},
		{"spam", "Spam", has("X-Spam-Flag", "YES"), 20, 20},
		{"drafts from the owner", "Drafts", has("From", "alex.morgan"), 3, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if n := count(tt.folder, tt.ok); n < tt.min || n > tt.max {
				t.Errorf("%d in %s, want %d..%d", n, tt.folder, tt.min, tt.max)
			}
		})
	}
}

// TestFrequentCorrespondents checks that the people the owner writes to most
// stand out: the heaviest weights lead the ranking of Sent recipients.
func TestFrequentCorrespondents(t *testing.T) {
	sentTo := map[string]int{}
	for _, r := range scanned(t, now1)["Sent"] {
		for _, k := range []string{"To", "Cc"} {
			list, _ := mail.ParseAddressList(r.h.Get(k))
			for _, a := range list {
				sentTo[a.Address]++
			}
		}
	}
	var ranked []string
	for a := range sentTo {
		ranked = append(ranked, a)
	}
	slices.SortFunc(ranked, func(a, b string) int { return sentTo[b] - sentTo[a] })
	for _, a := range []string{"jordan.reyes@northwind-labs.com", "francois.dupre@atelier-lumen.fr", "nina.patel@bluepeak-analytics.com"} {
		if i := slices.Index(ranked, a); i < 0 || i > 5 {
			t.Errorf("%s ranks %d among Sent recipients", a, i)
		}
	}
	if top, median := sentTo[ranked[0]], sentTo[ranked[len(ranked)/2]]; top < 10*median {
		t.Errorf("top recipient %d messages, median %d: not clearly ahead", top, median)
	}
	// Some contacts only ever write: cold senders never appear as recipients.
	for _, p := range colds {
		if sentTo[p.Addr] > 0 {
			t.Errorf("cold sender %s got an answer", p.Addr)
		}
	}
}

func TestFast(t *testing.T) {
	start := time.Now()
	d := buildDirectory()
	msgs := buildPlan(d)
	if el := time.Since(start); el > 100*time.Millisecond {
		t.Errorf("planning %d messages took %v", len(msgs), el)
	}
}

func BenchmarkScanAll(b *testing.B) {
	m := New(now1)
	for b.Loop() {
		for _, f := range folderInfo {
			_ = m.Scan(context.Background(), f.name, nil, func(source.Record) error { return nil })
		}
	}
}
