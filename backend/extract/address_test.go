package extract

import (
	"reflect"
	"testing"
)

func TestParseAddressList(t *testing.T) {
	type A = Address
	tests := []struct {
		name  string
		value string
		hint  string
		want  []A
	}{
		{"plain", "john@example.com", "", []A{{Email: "john@example.com"}}},
		{"angle with name", "John Doe <John@Example.COM>", "", []A{{Email: "john@example.com", Name: "John Doe"}}},
		{"plus tag folded", "this is myyyyyyyyyyyyyyyy name <tester+123@leadminer.io>", "",
			[]A{{Email: "tester@leadminer.io", Name: "this is myyyyyyyyyyyyyyyy name", Plus: "tester+123@leadminer.io"}}},
		{"plus tag with dots", "tester+123.123@leadminer.io", "", []A{{Email: "tester@leadminer.io", Plus: "tester+123.123@leadminer.io"}}},
		{"quoted name then bare address", `"Leadminer 3" leadminer3@teamankaboot.fr`, "", []A{{Email: "leadminer3@teamankaboot.fr", Name: "Leadminer 3"}}},
		{"greedy unquoted name", "Hello There leadminer@x.fr", "", []A{{Email: "leadminer@x.fr", Name: "Hello There"}}},
		{"name with trailing comma", `"userName," user@email.com`, "", []A{{Email: "user@email.com", Name: "userName"}}},
		{"mailto list-post", "<mailto:ga_montreuil_info@lists.riseup.net>", "", []A{{Email: "ga_montreuil_info@lists.riseup.net"}}},
		{"mailto with query", "<mailto:dev@lists.example.org?subject=help>", "", []A{{Email: "dev@lists.example.org"}}},
		{"stray mailto bare", "mailto:Info@Example.org", "", []A{{Email: "info@example.org"}}},
		{"name equal to address", "john@example.com <john@example.com>", "", []A{{Email: "john@example.com"}}},
		{"quoted name equal to address", `"John@Example.com" <john@example.com>`, "", []A{{Email: "john@example.com"}}},
		{"name is another address", "leadminer@Teamankaboot.fr <leadminerTeam@ankaboot.fr>", "",
			[]A{{Email: "leadminerteam@ankaboot.fr", Name: "leadminer@Teamankaboot.fr"}}},
		{"list with one invalid entry", "Leadminer <leadminer@leadminer.io>, test invalid@leadminer.io", "",
			[]A{{Email: "leadminer@leadminer.io", Name: "Leadminer"}, {Email: "invalid@leadminer.io", Name: "test"}}},
		{"one malformed entry keeps the others", "a@example.com, bad@@, <x@-bad.com>, b@example.com", "",
			[]A{{Email: "a@example.com"}, {Email: "b@example.com"}}},
		{"group syntax empty", "Undisclosed-Recipients:;", "", nil},
		{"group syntax with members", "Team: alice@example.com, Bob <bob@example.com>;, carol@example.com", "",
			[]A{{Email: "alice@example.com"}, {Email: "bob@example.com", Name: "Bob"}, {Email: "carol@example.com"}}},
		{"quoted group label", `"My Group": alice@example.com;`, "", []A{{Email: "alice@example.com"}}},
		{"undisclosed inside brackets", "<Undisclosed-Recipient:;@gateway.example.com>", "", nil},
		{"empty quoted and brackets", `"" <>`, "", nil},
		{"comment as name", "bob@example.com (Bob Stone)", "", []A{{Email: "bob@example.com", Name: "Bob Stone"}}},
		{"comment after named address ignored", `"Bob" <bob@example.com> (work)`, "", []A{{Email: "bob@example.com", Name: "Bob"}}},
		{"comment inside address", "bob(home)@example.com", "", nil},
		{"obsolete double dot", "a..lastname@corp.com", "", []A{{Email: "a..lastname@corp.com"}}},
		{"obsolete leading dot", "pr <.name@corp.com>", "", []A{{Email: ".name@corp.com", Name: "pr"}}},
		{"quoted local part", `"john smith"@example.com`, "", []A{{Email: `"john smith"@example.com`}}},
		{"quoted local part in brackets", `John <"john smith"@example.com>`, "", []A{{Email: `"john smith"@example.com`, Name: "John"}}},
		{"quoted name glued to address", `"x"addr@host.com`, "", []A{{Email: "addr@host.com", Name: "x"}}},
		{"missing comma between angles", `"A" <a@example.com> "B" <b@example.com>`, "",
			[]A{{Email: "a@example.com", Name: "A"}, {Email: "b@example.com", Name: "B"}}},
		{"missing comma between bare", "a@example.com b@example.com", "", []A{{Email: "a@example.com"}, {Email: "b@example.com"}}},
		{"missing closing bracket", "John <john@example.com, Jane <jane@example.com>", "",
			[]A{{Email: "john@example.com", Name: "John"}, {Email: "jane@example.com", Name: "Jane"}}},
		{"unbalanced quote recovered", `"John <john@example.com>, jane@example.com`, "",
			[]A{{Email: "john@example.com", Name: "John"}, {Email: "jane@example.com"}}},
		{"semicolon separators", "a@example.com; b@example.com", "", []A{{Email: "a@example.com"}, {Email: "b@example.com"}}},
		{"comma inside quoted name", `"Dupont, Marie" <marie@example.fr>`, "", []A{{Email: "marie@example.fr", Name: "Dupont, Marie"}}},
		{"unquoted last, first", `Dupont, Marie <marie@example.fr>`, "", []A{{Email: "marie@example.fr", Name: "Dupont, Marie"}}},
		{"rfc2047 q latin1", "=?ISO-8859-1?Q?Fran=E7ois_Dupr=E9?= <f@example.fr>", "", []A{{Email: "f@example.fr", Name: "François Dupré"}}},
		{"rfc2047 b utf8", "=?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.ru>", "", []A{{Email: "ivan@example.ru", Name: "Иван Петров"}}},
		{"rfc2047 koi8-r", "=?KOI8-R?B?6dfBzg==?= <ivan@example.ru>", "", []A{{Email: "ivan@example.ru", Name: "Иван"}}},
		{"rfc2047 iso-2022-jp", "=?ISO-2022-JP?B?GyRCOzNFRBsoQg==?= <yamada@example.jp>", "", []A{{Email: "yamada@example.jp", Name: "山田"}}},
		{"rfc2047 gb2312", "=?GB2312?B?1dTA2g==?= <zhao@example.cn>", "", []A{{Email: "zhao@example.cn", Name: "赵磊"}}},
		{"rfc2047 big5", "=?big5?B?pP2kag==?= <wang@example.tw>", "", []A{{Email: "wang@example.tw", Name: "王大"}}},
		{"rfc2047 windows-1252", "=?windows-1252?Q?=80uro_Caf=E9?= <euro@example.com>", "", []A{{Email: "euro@example.com", Name: "€uro Café"}}},
		{"rfc2047 inside quotes", `"=?utf-8?Q?J=C3=BCrgen?=" <j@example.de>`, "", []A{{Email: "j@example.de", Name: "Jürgen"}}},
		{"rfc2047 split character", "=?UTF-8?B?w6k=?= =?UTF-8?B?w6k=?= <e@example.fr>", "", []A{{Email: "e@example.fr", Name: "éé"}}},
		{"rfc2047 unknown charset kept", "=?x-unknown?Q?abc?= <u@example.com>", "", []A{{Email: "u@example.com", Name: "abc"}}},
		{"raw 8-bit latin1 name", "Andr\xe9 Gide <andre@example.fr>", "", []A{{Email: "andre@example.fr", Name: "André Gide"}}},
		{"raw 8-bit with charset hint", "\xd5\xd4\xc0\xda <zhao@example.cn>", "gb2312", []A{{Email: "zhao@example.cn", Name: "赵磊"}}},
		{"raw utf-8 arabic", "محمد علي <m@example.com>", "", []A{{Email: "m@example.com", Name: "محمد علي"}}},
		{"via word cut", `"Leadminer via nextcloud" <n@example.com>`, "", []A{{Email: "n@example.com", Name: "Leadminer"}}},
		{"olivia is kept", `Olivia Smith <olivia@example.com>`, "", []A{{Email: "olivia@example.com", Name: "Olivia Smith"}}},
		{"google drive suffix", `"Sam Lee (Google Drive)" <drive@example.com>`, "", []A{{Email: "drive@example.com", Name: "Sam Lee"}}},
		{"special characters in name", `"A - B (C) : D | E & F @ G" <x@example.com>`, "", []A{{Email: "x@example.com", Name: "A - B (C) : D | E & F @ G"}}},
		{"same address twice", "a@example.com, A <a@example.com>", "", []A{{Email: "a@example.com"}, {Email: "a@example.com", Name: "A"}}},
		{"spaces inside brackets", "<Undisclosed Recipients@example.com>", "", []A{{Email: "recipients@example.com"}}},
		{"encoded-word address", "=?iso-2022-jp?B?am9rb0Bycy4xMjgubmUuanA=?=@FreeBSD.ORG", "", []A{{Email: "joko@rs.128.ne.jp"}}},
		{"needless quotes dropped", `"peter"@example.com, weou345@msn.com`, "", []A{{Email: "peter@example.com"}, {Email: "weou345@msn.com"}}},
		{"atext-only local part", "!!!!!!!@example.com", "", []A{{Email: "!!!!!!!@example.com"}}},
		{"question mark in local part", "what?@example.com", "", []A{{Email: "what?@example.com"}}},
		{"ip literal rejected", "john@[192.168.0.1]", "", nil},
		{"numeric tld rejected", "john@192.168.0.1", "", nil},
		{"no tld rejected", "root@localhost", "", nil},
		{"long tld ok", "x@insurer.travelersinsurance", "", []A{{Email: "x@insurer.travelersinsurance"}}},
		{"too long tld rejected", "x@example.abcdefghijklmnopqrst", "", nil},
		{"punycode tld", "x@example.xn--p1ai", "", []A{{Email: "x@example.xn--p1ai"}}},
		{"falsy empty", "", "", nil},
		{"falsy blank", " ", "", nil},
		{"dots only", "...", "", nil},
		{"only name", "only name", "", nil},
		{"trailing dot domain", "<john@example.com.>", "", []A{{Email: "john@example.com"}}},
		{"leading and trailing separators in names", `",John Doe;" <jd@example.com>`, "", []A{{Email: "jd@example.com", Name: "John Doe"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseAddressList(tt.value, tt.hint)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAddressList(%q)\n got %#v\nwant %#v", tt.value, got, tt.want)
			}
		})
	}
}

// The hosted product's randomEmails lists, with the deliberate difference
// that obsolete double-dot local parts are accepted (real mail uses them).
func TestNormalizeAddress(t *testing.T) {
	valid := []string{
		"email@example.com", "email@subdomain.example.com", "email@example-one.com",
		"firstname.lastname@example.com", "firstname+lastame@example.com",
		"firstname--lastname@example.com", "test.5.tester@example.com", "1234567890@example.com",
		"email@example.name", "email@" + "a" + string(make([]byte, 0)) + "verylongdomainlabelthatisstillfinebecauseitisunder63chars.com",
		"email@example.TRAVELERSINSURANCE", "a..b@example.com", ".name@corp.com",
	}
	for _, a := range valid {
		if _, _, ok := NormalizeAddress(a); !ok {
			t.Errorf("NormalizeAddress(%q) rejected a valid address", a)
		}
	}
	invalid := []string{
		"emailexample.com", "email@-example.com", "email@example..com", "email.@gmail.c",
		"email@example.abcdefghijklmnopqrstu", "email@123.123.123.123", "email@[123.123.123.123]",
		"++++@example.com", "こんにちは@example.com", "@example.com", "email@", "email@.example.com",
		"email@example", "a b@example.com",
	}
	for _, a := range invalid {
		if e, _, ok := NormalizeAddress(a); ok {
			t.Errorf("NormalizeAddress(%q) accepted an invalid address as %q", a, e)
		}
	}
}

func TestNormalizeAddressCanonicalForm(t *testing.T) {
	tests := []struct{ in, email, plus string }{
		{" John.Doe@Example.COM ", "john.doe@example.com", ""},
		{"a+news@x.com", "a@x.com", "a+news@x.com"},
		{"A+News+More@X.com", "a@x.com", "a+news+more@x.com"},
		{"'quoted@example.com'", "quoted@example.com", ""},
		{"MAILTO:List@Example.org", "list@example.org", ""},
	}
	for _, tt := range tests {
		email, plus, ok := NormalizeAddress(tt.in)
		if !ok || email != tt.email || plus != tt.plus {
			t.Errorf("NormalizeAddress(%q) = %q, %q, %v; want %q, %q", tt.in, email, plus, ok, tt.email, tt.plus)
		}
	}
}

func TestCleanName(t *testing.T) {
	tests := []struct{ in, want string }{
		{`"'John Doe'"`, "John Doe"},
		{"  John Doe  ", "John Doe"},
		{"John' Doe", "John' Doe"},
		{`John" Doe"`, `John" Doe"`},
		{"John&#32Doe", "John Doe"},
		{`\"John Doe\"`, "John Doe"},
		{"L&#39ENCLUME", "L'ENCLUME"},
		{"Leadminer via nextcloud", "Leadminer"},
		{"Leadminer (via Google)", "Leadminer"},
		{"Leadminer (Google Drive)", "Leadminer"},
		{"Leadminer (Google)", "Leadminer"},
		{"Olivia Smith", "Olivia Smith"},
		{"Vianney Viala", "Vianney Viala"},
		{"Via Roma", "Via Roma"},
		{",;John;,", "John"},
		{"John\tDoe\r\n", "John Doe"},
		{"'...'", ""},
		{"---", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := CleanName(tt.in); got != tt.want {
			t.Errorf("CleanName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDecodeWords(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text", "plain text"},
		{"=?utf-8?q?caf=C3=A9?=", "café"},
		{"Re: =?utf-8?b?Y2Fmw6k?= ok", "Re: café ok"},
		{"=?utf-8?q?a?= =?utf-8?q?b?=", "ab"},
		{"=?utf-8?q?a?= x =?utf-8?q?b?=", "a x b"},
		{"=?iso-8859-1?q?a?= =?utf-8?q?b?=", "ab"},
		{"=?utf-8*fr?q?caf=C3=A9?=", "café"},
		{"=?broken", "=?broken"},
		{"glued=?utf-8?q?caf=C3=A9?=", "gluedcafé"},
	}
	for _, tt := range tests {
		if got := DecodeWords(tt.in); got != tt.want {
			t.Errorf("DecodeWords(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
