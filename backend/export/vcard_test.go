package export

import (
	"bufio"
	"bytes"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"leadminer/backend/contact"
)

func exportVCard(t testing.TB, opts Options, contacts ...contact.Contact) string {
	t.Helper()
	if opts.Now == nil {
		opts.Now = fixedNow
	}
	var buf bytes.Buffer
	w, err := New(FormatVCard, &buf, opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range contacts {
		if err := w.Write(c); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }

// vprop is one unfolded content line.
type vprop struct {
	name   string // "FN"
	params string // raw parameters: "TYPE=INTERNET"
	value  string // still escaped
}

type vcard []vprop

// values returns the raw values of every property called name.
func (c vcard) values(name string) []string {
	var out []string
	for _, p := range c {
		if p.name == name {
			out = append(out, p.value)
		}
	}
	return out
}

// text returns the single unescaped value of name, or "" when absent.
func (c vcard) text(t testing.TB, name string) string {
	t.Helper()
	vs := c.values(name)
	switch len(vs) {
	case 0:
		return ""
	case 1:
		return unescapeText(vs[0])
	}
	t.Fatalf("%d %s properties; want at most one", len(vs), name)
	return ""
}

// checkPhysicalLines enforces what folding must guarantee: CRLF endings, no
// stray CR or LF, at most 75 octets per line, and no UTF-8 sequence split
// across lines (each line is valid UTF-8 on its own).
func checkPhysicalLines(t testing.TB, s string) {
	t.Helper()
	if !strings.HasSuffix(s, "\r\n") && s != "" {
		t.Fatalf("output does not end in CRLF: %q", s)
	}
	for i, line := range strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n") {
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare CR or LF: %q", i, line)
		}
		if len(line) > maxLineOctets {
			t.Errorf("line %d is %d octets: %q", i, len(line), line)
		}
		if !utf8.ValidString(line) {
			t.Errorf("line %d splits a UTF-8 sequence: %q", i, line)
		}
	}
}

// unfold undoes RFC 6350 §3.2 folding.
func unfold(s string) string {
	return strings.NewReplacer("\r\n ", "", "\r\n\t", "").Replace(s)
}

// parseVCards is a minimal reader for what this package writes.
func parseVCards(t testing.TB, s string) []vcard {
	t.Helper()
	checkPhysicalLines(t, s)
	if s == "" {
		return nil
	}
	var cards []vcard
	var cur vcard
	in := false
	for _, line := range strings.Split(strings.TrimSuffix(unfold(s), "\r\n"), "\r\n") {
		head, value, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("content line without colon: %q", line)
		}
		name, params, _ := strings.Cut(head, ";")
		switch {
		case name == "BEGIN" && value == "VCARD":
			if in {
				t.Fatal("nested BEGIN:VCARD")
			}
			in, cur = true, nil
		case name == "END" && value == "VCARD":
			if !in {
				t.Fatal("END:VCARD without BEGIN")
			}
			in = false
			cards = append(cards, cur)
		case !in:
			t.Fatalf("property outside a card: %q", line)
		default:
			cur = append(cur, vprop{name, params, value})
		}
	}
	if in {
		t.Fatal("card not ended")
	}
	return cards
}

func unescapeText(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			if s[i] == 'n' || s[i] == 'N' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// splitEscaped splits a raw value on unescaped sep and unescapes the parts.
func splitEscaped(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			parts = append(parts, unescapeText(s[start:i]))
			start = i + 1
		}
	}
	return append(parts, unescapeText(s[start:]))
}

func TestVCard40WritesEveryKnownField(t *testing.T) {
	got := exportVCard(t, Options{}, fullContact())
	want := crlf(
		"BEGIN:VCARD",
		"VERSION:4.0",
		"FN:Ada Lovelace",
		"N:Lovelace;Ada;;;",
		"EMAIL:ada@example.com",
		"EMAIL:ada@analytical.example",
		"EMAIL:countess@example.org",
		"TEL;VALUE=uri:tel:+442079460000",
		"TEL:020 7946 0001",
		"ORG:Analytical Engines Ltd",
		"TITLE:Mathematician",
		`ADR:;;London\, UK;;;;`,
		"NICKNAME:Ada King,Countess of Lovelace",
		"URL:https://example.org/ada",
		"URL:https://example.net/@ada",
		"PHOTO:https://example.org/ada.png",
		"CATEGORIES:leadminer,professional,engaged",
		"REV:20261129T120000Z",
		"END:VCARD",
	)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestVCard30WritesEveryKnownField(t *testing.T) {
	got := exportVCard(t, Options{VCardVersion: "3.0"}, fullContact())
	want := crlf(
		"BEGIN:VCARD",
		"VERSION:3.0",
		"FN:Ada Lovelace",
		"N:Lovelace;Ada;;;",
		"EMAIL;TYPE=INTERNET:ada@example.com",
		"EMAIL;TYPE=INTERNET:ada@analytical.example",
		"EMAIL;TYPE=INTERNET:countess@example.org",
		"TEL:+44 20 7946 0000",
		"TEL:020 7946 0001",
		"ORG:Analytical Engines Ltd",
		"TITLE:Mathematician",
		`ADR;TYPE=WORK:;;London\, UK;;;;`,
		"NICKNAME:Ada King,Countess of Lovelace",
		"URL:https://example.org/ada",
		"URL:https://example.net/@ada",
		"PHOTO;VALUE=uri:https://example.org/ada.png",
		"CATEGORIES:leadminer,professional,engaged",
		"REV:2026-11-29T12:00:00Z",
		"END:VCARD",
	)
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}

func TestVCardMinimalContactPerVersion(t *testing.T) {
	c := contact.Contact{Email: "bob@example.com", Name: "Bob"}
	tests := []struct {
		version, want string
	}{
		// 4.0: N is optional and left out when the name is not split.
		{"4.0", crlf("BEGIN:VCARD", "VERSION:4.0", "FN:Bob", "EMAIL:bob@example.com",
			"CATEGORIES:leadminer", "REV:20261129T120000Z", "END:VCARD")},
		// 3.0: N is mandatory; the whole name goes in the family field.
		{"3.0", crlf("BEGIN:VCARD", "VERSION:3.0", "FN:Bob", "N:Bob;;;;", "EMAIL;TYPE=INTERNET:bob@example.com",
			"CATEGORIES:leadminer", "REV:2026-11-29T12:00:00Z", "END:VCARD")},
	}
	for _, tt := range tests {
		t.Run(tt.version, func(t *testing.T) {
			if got := exportVCard(t, Options{VCardVersion: tt.version}, c); got != tt.want {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestVCardFNFallsBackToEmail(t *testing.T) {
	cards := parseVCards(t, exportVCard(t, Options{}, contact.Contact{Email: "x@example.com", Name: "   "}))
	if got := cards[0].text(t, "FN"); got != "x@example.com" {
		t.Errorf("FN = %q; want the email", got)
	}
	if n := cards[0].values("N"); n != nil {
		t.Errorf("4.0 N = %q; want none", n)
	}
}

func TestVCardCategoriesStartWithAppName(t *testing.T) {
	tests := []struct {
		app  string
		tags []string
		want []string
	}{
		{"", nil, []string{"leadminer"}},
		{"LeadMiner Desktop", []string{"vip", "a,b"}, []string{"LeadMiner Desktop", "vip", "a,b"}},
	}
	for _, tt := range tests {
		cards := parseVCards(t, exportVCard(t, Options{AppName: tt.app}, contact.Contact{Email: "a@example.com", Tags: tt.tags}))
		got := splitEscaped(cards[0].values("CATEGORIES")[0], ',')
		if strings.Join(got, "|") != strings.Join(tt.want, "|") {
			t.Errorf("CATEGORIES = %q; want %q", got, tt.want)
		}
	}
}

func TestVCardRoundTripsAwkwardText(t *testing.T) {
	tests := []struct {
		name, given, family, org string
		nicks                    []string
	}{
		{name: "Doe, Jane", given: "Jane", family: "Doe"},
		{name: "A;B;C", given: "A;B", family: "C;D", org: "Foo; Inc."},
		{name: "Back\\slash", org: `C:\Users\`},
		{name: "Line\none", org: "Two\nlines"},
		{name: "山田 太郎", given: "太郎", family: "山田", nicks: []string{"やまだ", "タロウ"}},
		{name: "محمد عبد الله", given: "محمد", family: "عبد الله"},
		{name: "Emoji 👩‍💻 Dev", nicks: []string{"a,b", "c;d", "e\\f"}},
		{name: strings.Repeat("長い名前", 20), org: strings.Repeat("Ünïcödé, ", 15) + "GmbH"},
	}
	for _, version := range []string{"4.0", "3.0"} {
		for _, tt := range tests {
			t.Run(version+"/"+tt.name, func(t *testing.T) {
				c := contact.Contact{Email: "x@example.com", Name: tt.name, GivenName: tt.given,
					FamilyName: tt.family, WorksFor: tt.org, AlternateNames: tt.nicks}
				cards := parseVCards(t, exportVCard(t, Options{VCardVersion: version}, c))
				if len(cards) != 1 {
					t.Fatalf("got %d cards; want 1", len(cards))
				}
				card := cards[0]
				if got := card.text(t, "FN"); got != tt.name {
					t.Errorf("FN = %q; want %q", got, tt.name)
				}
				if got := card.text(t, "ORG"); got != tt.org {
					t.Errorf("ORG = %q; want %q", got, tt.org)
				}
				if tt.given != "" || tt.family != "" {
					n := splitEscaped(card.values("N")[0], ';')
					if len(n) != 5 || n[0] != tt.family || n[1] != tt.given {
						t.Errorf("N = %q; want family %q, given %q", n, tt.family, tt.given)
					}
				}
				if tt.nicks != nil {
					got := splitEscaped(card.values("NICKNAME")[0], ',')
					if strings.Join(got, "|") != strings.Join(tt.nicks, "|") {
						t.Errorf("NICKNAME = %q; want %q", got, tt.nicks)
					}
				}
			})
		}
	}
}

func TestVCardFoldsAt75OctetsWithoutSplittingUTF8(t *testing.T) {
	tests := []struct {
		name      string
		line      string
		wantLines int
	}{
		{"exactly 75 ASCII octets", strings.Repeat("a", 75), 1},
		{"76 ASCII octets", strings.Repeat("a", 76), 2},
		// 75 + 74 = 149 octets fit in two lines, the next one needs a third.
		{"149 ASCII octets", strings.Repeat("a", 149), 2},
		{"150 ASCII octets", strings.Repeat("a", 150), 3},
		// 74 + a 3-octet rune would be 77: the rune moves whole to the next line.
		{"3-octet rune across the limit", strings.Repeat("a", 74) + "日本", 2},
		{"4-octet rune across the limit", strings.Repeat("a", 73) + "😀", 2},
		{"2-octet runes", strings.Repeat("é", 100), 3},
		{"Arabic", "FN:" + strings.Repeat("مرحبا ", 30), 5},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			bw := bufio.NewWriter(&buf)
			if err := writeFolded(bw, []byte(tt.line)); err != nil {
				t.Fatal(err)
			}
			bw.Flush()
			out := buf.String()
			checkPhysicalLines(t, out)
			if n := strings.Count(out, "\r\n"); n != tt.wantLines {
				t.Errorf("%d physical lines; want %d: %q", n, tt.wantLines, out)
			}
			for i, l := range strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n") {
				if i > 0 && !strings.HasPrefix(l, " ") {
					t.Errorf("continuation line %d does not start with a space: %q", i, l)
				}
			}
			if got := strings.TrimSuffix(unfold(out), "\r\n"); got != tt.line {
				t.Errorf("unfolded = %q; want %q", got, tt.line)
			}
		})
	}
}

func TestVCardTelephone(t *testing.T) {
	tests := []struct {
		in, want40, want30 string
	}{
		{"+33 6 12 34 56 78", "TEL;VALUE=uri:tel:+33612345678", "TEL:+33 6 12 34 56 78"},
		{"+1 (555) 010-9999", "TEL;VALUE=uri:tel:+1(555)010-9999", "TEL:+1 (555) 010-9999"},
		{"06 12 34 56 78", "TEL:06 12 34 56 78", "TEL:06 12 34 56 78"},
		{"+44 20 7946 0000 ext. 12", "TEL:+44 20 7946 0000 ext. 12", "TEL:+44 20 7946 0000 ext. 12"},
		{"+", "TEL:+", "TEL:+"},
		{"+1,555", `TEL:+1\,555`, `TEL:+1\,555`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			c := contact.Contact{Email: "a@example.com", Telephone: []string{tt.in, "  "}}
			for version, want := range map[string]string{"4.0": tt.want40, "3.0": tt.want30} {
				got := exportVCard(t, Options{VCardVersion: version}, c)
				if !strings.Contains(got, "\r\n"+want+"\r\n") {
					t.Errorf("%s: no line %q in\n%s", version, want, got)
				}
				if n := strings.Count(got, "TEL"); n != 1 {
					t.Errorf("%s: %d TEL lines; want 1 (blank numbers skipped)", version, n)
				}
			}
		})
	}
}

func TestVCardCannotBeInjectedIntoAndStaysValidUTF8(t *testing.T) {
	evil := "x\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Mallory"
	c := contact.Contact{
		Email:    "a@example.com",
		Name:     "Ren\xe9\x00 " + evil,
		JobTitle: "bad\x1b[31m\u0085",
		SameAs:   []string{"https://example.org/\r\nEND:VCARD", "\x00"},
		Image:    "https://example.org/\xff.png",
	}
	for _, version := range []string{"4.0", "3.0"} {
		out := exportVCard(t, Options{VCardVersion: version}, c)
		if !utf8.ValidString(out) {
			t.Fatalf("%s: invalid UTF-8: %q", version, out)
		}
		cards := parseVCards(t, out)
		if len(cards) != 1 {
			t.Fatalf("%s: got %d cards; want 1", version, len(cards))
		}
		card := cards[0]
		if got, want := card.text(t, "FN"), "Ren\uFFFD x\nEND:VCARD\nBEGIN:VCARD\nFN:Mallory"; got != want {
			t.Errorf("%s: FN = %q; want %q", version, got, want)
		}
		if got := card.text(t, "TITLE"); got != "bad[31m" {
			t.Errorf("%s: TITLE = %q; want control characters dropped", version, got)
		}
		if got := card.values("URL"); len(got) != 1 || got[0] != "https://example.org/END:VCARD" {
			t.Errorf("%s: URL = %q", version, got)
		}
		if got := card.values("PHOTO"); len(got) != 1 || got[0] != "https://example.org/\uFFFD.png" {
			t.Errorf("%s: PHOTO = %q", version, got)
		}
	}
}

func TestVCardURIsAreNotBackslashEscaped(t *testing.T) {
	// RFC 6350 writes data URIs with their comma and semicolon as is.
	img := "data:image/png;base64,iVBORw0KGgo="
	cards := parseVCards(t, exportVCard(t, Options{}, contact.Contact{Email: "a@example.com", Image: img,
		SameAs: []string{"https://example.org/a,b;c"}}))
	if got := cards[0].values("PHOTO")[0]; got != img {
		t.Errorf("PHOTO = %q; want %q", got, img)
	}
	if got := cards[0].values("URL")[0]; got != "https://example.org/a,b;c" {
		t.Errorf("URL = %q", got)
	}
}

func TestVCardStreamsOneCardPerContact(t *testing.T) {
	if got := exportVCard(t, Options{}); got != "" {
		t.Errorf("zero contacts = %q; want empty output", got)
	}
	out := exportVCard(t, Options{}, contact.Contact{Email: "a@example.com"}, contact.Contact{Email: "b@example.com"})
	cards := parseVCards(t, out)
	if len(cards) != 2 || cards[0].text(t, "EMAIL") != "a@example.com" || cards[1].text(t, "EMAIL") != "b@example.com" {
		t.Errorf("cards = %v", cards)
	}
	if strings.Contains(out, "\r\n\r\n") {
		t.Error("blank line between cards")
	}
}

// expectedText is what a text value should read back as: valid UTF-8, line
// breaks as LF, other control characters gone.
func expectedText(s string) string {
	s = strings.NewReplacer("\r\n", "\n", "\r", "\n").Replace(validUTF8(s))
	return strings.Map(func(r rune) rune {
		if r != '\n' && r != '\t' && unicode.Is(unicode.Cc, r) {
			return -1
		}
		return r
	}, s)
}

// FuzzVCardText checks that any name and organisation yield one well-folded,
// valid UTF-8 card that reads back to the same text.
func FuzzVCardText(f *testing.F) {
	f.Add("Doe, Jane; \\ \r\nX", "山田商事株式会社 "+strings.Repeat("é", 40), false)
	f.Add("\xff\x00END:VCARD", "\r\r\n\n", true)
	f.Fuzz(func(t *testing.T, name, org string, v3 bool) {
		version := "4.0"
		if v3 {
			version = "3.0"
		}
		c := contact.Contact{Email: "x@example.com", Name: name, WorksFor: org}
		out := exportVCard(t, Options{VCardVersion: version}, c)
		if !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8: %q", out)
		}
		cards := parseVCards(t, out)
		if len(cards) != 1 {
			t.Fatalf("got %d cards; want 1", len(cards))
		}
		wantFN := strings.TrimSpace(validUTF8(name))
		if wantFN == "" {
			wantFN = c.Email
		}
		if got, want := cards[0].text(t, "FN"), expectedText(wantFN); got != want {
			t.Errorf("FN = %q; want %q", got, want)
		}
		if got, want := cards[0].text(t, "ORG"), expectedText(strings.TrimSpace(org)); got != want {
			t.Errorf("ORG = %q; want %q", got, want)
		}
	})
}
