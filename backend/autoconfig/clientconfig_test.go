package autoconfig

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"leadminer/backend/source/imap"
)

func readDoc(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// server is one incomingServer element.
func server(typ, host, port, socket, user string, auth ...string) string {
	s := `<incomingServer type="` + typ + `"><hostname>` + host + `</hostname>`
	if port != "" {
		s += `<port>` + port + `</port>`
	}
	s += `<socketType>` + socket + `</socketType><username>` + user + `</username>`
	for _, a := range auth {
		s += `<authentication>` + a + `</authentication>`
	}
	return s + `</incomingServer>`
}

func doc(servers ...string) []byte {
	return []byte(`<?xml version="1.0"?><clientConfig version="1.1"><emailProvider id="example.com"><displayName>Example</displayName>` +
		strings.Join(servers, "") + `</emailProvider></clientConfig>`)
}

func TestParseClientConfigOfRealWorldShapedDocuments(t *testing.T) {
	tests := []struct {
		name  string
		doc   []byte
		email string
		want  Result
	}{
		{"an ISP's document: POP3 ignored, SSL preferred to the STARTTLS server listed first, placeholders filled in",
			readDoc(t, "isp.xml"), "Jean.Dupont@Exemple-Telecom.test",
			Result{Provider: "Exemple Télécom Mail", Host: "imap-ssl.exemple-telecom.test", Port: 993, Security: imap.Implicit,
				Username: "Jean.Dupont", Source: SourceAutoconfig}},
		{"Google-hosted mail with OAuth2",
			readDoc(t, "google.xml"), "me@example.com",
			Result{Provider: "Google Mail", Host: "imap.gmail.com", Port: 993, Security: imap.Implicit, Username: "me@example.com",
				OAuth: "google", Source: SourceAutoconfig}},
		{"a document in ISO-8859-1",
			readDoc(t, "latin1.xml"), "me@vieux.test",
			Result{Provider: "Vieux FAI à l'ancienne", Host: "imap.vieux.test", Port: 993, Security: imap.Implicit, Username: "me@vieux.test",
				Source: SourceAutoconfig}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientConfig(tt.doc, tt.email)
			if err != nil {
				t.Fatal(err)
			}
			if got.Provider != tt.want.Provider || got.Host != tt.want.Host || got.Port != tt.want.Port || got.Security != tt.want.Security ||
				got.Username != tt.want.Username || got.OAuth != tt.want.OAuth || got.Source != tt.want.Source || got.Note != "" || got.Skipped != nil {
				t.Errorf("got  %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestParseClientConfigChoosesTheServer(t *testing.T) {
	const email = "me@example.com"
	tests := []struct {
		name     string
		servers  []string
		host     string
		port     int
		security imap.Security
		username string
	}{
		{"SSL wins over STARTTLS whatever the order",
			[]string{server("imap", "starttls.example.com", "143", "STARTTLS", "%EMAILADDRESS%"), server("imap", "ssl.example.com", "993", "SSL", "%EMAILADDRESS%")},
			"ssl.example.com", 993, imap.Implicit, email},
		{"between equals, the first listed",
			[]string{server("imap", "first.example.com", "993", "SSL", ""), server("imap", "second.example.com", "993", "SSL", "")},
			"first.example.com", 993, imap.Implicit, ""},
		{"STARTTLS wins over plain text",
			[]string{server("imap", "localhost", "143", "plain", ""), server("imap", "imap.example.com", "143", "STARTTLS", "")},
			"imap.example.com", 143, imap.StartTLS, ""},
		{"plain text to a loopback host is allowed (a local bridge)",
			[]string{server("imap", "127.0.0.1", "1143", "plain", "%EMAILADDRESS%")}, "127.0.0.1", 1143, imap.None, email},
		{"plain text to localhost is allowed",
			[]string{server("imap", "LocalHost", "1143", "plain", "")}, "localhost", 1143, imap.None, ""},
		{"plain text elsewhere is refused, the next server taken",
			[]string{server("imap", "imap.example.com", "143", "plain", ""), server("imap", "imap.example.com", "143", "STARTTLS", "")},
			"imap.example.com", 143, imap.StartTLS, ""},
		{"a missing port is the socket type's default",
			[]string{server("imap", "imap.example.com", "", "SSL", "")}, "imap.example.com", 993, imap.Implicit, ""},
		{"a missing STARTTLS port is 143",
			[]string{server("imap", "imap.example.com", "", "STARTTLS", "")}, "imap.example.com", 143, imap.StartTLS, ""},
		{"%EMAILDOMAIN% in the host name, spaces and case tidied",
			[]string{server("imap", " IMAP.%EMAILDOMAIN%. ", " 993 ", " ssl ", " %EMAILLOCALPART% ")}, "imap.example.com", 993, imap.Implicit, "me"},
		{"%EMAILDOMAIN% in the user name",
			[]string{server("imap", "imap.example.com", "993", "SSL", "%EMAILLOCALPART%+%EMAILDOMAIN%")}, "imap.example.com", 993, imap.Implicit, "me+example.com"},
		{"an unknown placeholder in the user name leaves the address as login",
			[]string{server("imap", "imap.example.com", "993", "SSL", "%REALNAME%")}, "imap.example.com", 993, imap.Implicit, ""},
		{"a server listing only methods LeadMiner cannot use is skipped",
			[]string{server("imap", "gssapi.example.com", "993", "SSL", "", "GSSAPI", "NTLM"), server("imap", "imap.example.com", "143", "STARTTLS", "", "password-cleartext")},
			"imap.example.com", 143, imap.StartTLS, ""},
		{"OAuth2 alone with an unknown provider is skipped",
			[]string{server("imap", "oauth.example.com", "993", "SSL", "", "OAuth2"), server("imap", "imap.example.com", "993", "SSL", "", "password-encrypted")},
			"imap.example.com", 993, imap.Implicit, ""},
		{"servers of other types are ignored",
			[]string{server("pop3", "pop.example.com", "995", "SSL", ""), server("exchange", "ews.example.com", "443", "SSL", ""),
				server("IMAP", "imap.example.com", "993", "SSL", "")}, "imap.example.com", 993, imap.Implicit, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientConfig(doc(tt.servers...), email)
			if err != nil {
				t.Fatal(err)
			}
			if got.Host != tt.host || got.Port != tt.port || got.Security != tt.security || got.Username != tt.username ||
				got.Source != SourceAutoconfig || got.Provider != "Example" {
				t.Errorf("got %+v; want %s:%d %s, username %q", got, tt.host, tt.port, tt.security, tt.username)
			}
		})
	}
}

func TestParseClientConfigRefusesWhatCannotBeUsed(t *testing.T) {
	tests := []struct {
		name string
		doc  []byte
		want error // nil: any error
	}{
		{"empty", nil, nil},
		{"not XML", []byte("{\"imap\":\"imap.example.com\"}"), nil},
		{"an HTML page", []byte("<html><head><title>Welcome</title></head><body>Parked domain</body></html>"), nil},
		{"another root element", []byte(`<config><incomingServer type="imap"><hostname>imap.example.com</hostname><socketType>SSL</socketType></incomingServer></config>`), nil},
		{"truncated", doc(server("imap", "imap.example.com", "993", "SSL", ""))[:80], nil},
		{"POP3 only", doc(server("pop3", "pop.example.com", "995", "SSL", "")), ErrNoIMAP},
		{"no server", doc(), ErrNoIMAP},
		{"plain text to a remote host", doc(server("imap", "imap.example.com", "143", "plain", "")), ErrNoIMAP},
		{"plain text to a host that only starts like loopback", doc(server("imap", "127.0.0.1.example.com", "143", "plain", "")), ErrNoIMAP},
		{"an unknown socket type", doc(server("imap", "imap.example.com", "993", "TLS1.3", "")), ErrNoIMAP},
		{"no socket type", []byte(`<clientConfig><emailProvider><incomingServer type="imap"><hostname>imap.example.com</hostname></incomingServer></emailProvider></clientConfig>`), ErrNoIMAP},
		{"port 0", doc(server("imap", "imap.example.com", "0", "SSL", "")), ErrNoIMAP},
		{"port 70000", doc(server("imap", "imap.example.com", "70000", "SSL", "")), ErrNoIMAP},
		{"a port that is no number", doc(server("imap", "imap.example.com", "993abc", "SSL", "")), ErrNoIMAP},
		{"a negative port", doc(server("imap", "imap.example.com", "-993", "SSL", "")), ErrNoIMAP},
		{"no host", doc(server("imap", "", "993", "SSL", "")), ErrNoIMAP},
		{"a host with a path", doc(server("imap", "imap.example.com/evil", "993", "SSL", "")), ErrNoIMAP},
		{"a host with a port", doc(server("imap", "imap.example.com:993", "993", "SSL", "")), ErrNoIMAP},
		{"a host with spaces inside", doc(server("imap", "imap example.com", "993", "SSL", "")), ErrNoIMAP},
		{"a host with an unknown placeholder", doc(server("imap", "%USERNAME%.example.com", "993", "SSL", "")), ErrNoIMAP},
		{"an IPv6 literal", doc(server("imap", "::1", "143", "plain", "")), ErrNoIMAP},
		{"a bare intranet name", doc(server("imap", "mailserver", "993", "SSL", "")), ErrNoIMAP},
		{"a host too long", doc(server("imap", strings.Repeat("a.", 127)+"com", "993", "SSL", "")), ErrNoIMAP},
		{"larger than 1 MB", append(doc(server("imap", "imap.example.com", "993", "SSL", "")), make([]byte, MaxDocument)...), ErrTooLarge},
		{"an entity it does not know", []byte(`<!DOCTYPE clientConfig [<!ENTITY h "imap.example.com">]><clientConfig><emailProvider>` +
			server("imap", "&h;", "993", "SSL", "") + `</emailProvider></clientConfig>`), nil},
		{"a charset it does not know", []byte(`<?xml version="1.0" encoding="EBCDIC-CP-US"?><clientConfig/>`), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ParseClientConfig(tt.doc, "me@example.com")
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Errorf("ParseClientConfig = %+v, %v; want error %v", got, err, tt.want)
			}
			if !empty(got) {
				t.Errorf("settings %+v came with the error", got)
			}
		})
	}
}

func TestAHostNamingTheDomainNeedsAnAddressWithOne(t *testing.T) {
	if got, err := ParseClientConfig(doc(server("imap", "imap.%EMAILDOMAIN%", "993", "SSL", "")), "no-domain"); !errors.Is(err, ErrNoIMAP) {
		t.Errorf("ParseClientConfig = %+v, %v; want ErrNoIMAP", got, err)
	}
}

func TestTheProviderNameIsMadeSafeToShow(t *testing.T) {
	tests := []struct{ display, short, want string }{
		{"Example\u202eliaM", "", "Example liaM"},     // a right-to-left override
		{"Zero\u200bWidth", "", "Zero Width"},         // a formatting character
		{"Bad\u0085Name", "", "Bad Name"},             // a C1 control character
		{"  Example \n\t Mail  ", "", "Example Mail"}, // spaces and line breaks
		{"", "Ex", "Ex"},                              // the short name when there is no long one
		{"", "", ""},                                  // none: Detect names the domain
		{strings.Repeat("é", 100), "", strings.Repeat("é", 64)},
	}
	for _, tt := range tests {
		d := `<clientConfig><emailProvider><displayName>` + tt.display + `</displayName><displayShortName>` + tt.short +
			`</displayShortName>` + server("imap", "imap.example.com", "993", "SSL", "") + `</emailProvider></clientConfig>`
		got, err := ParseClientConfig([]byte(d), "me@example.com")
		if err != nil || got.Provider != tt.want {
			t.Errorf("display name %q, short %q: provider %q, %v; want %q", tt.display, tt.short, got.Provider, err, tt.want)
		}
	}
}

func TestOnlyTheFirstServersAreLookedAt(t *testing.T) {
	var servers []string
	for range maxServers {
		servers = append(servers, server("pop3", "pop.example.com", "995", "SSL", ""))
	}
	servers = append(servers, server("imap", "imap.example.com", "993", "SSL", ""))
	if got, err := ParseClientConfig(doc(servers...), "me@example.com"); !errors.Is(err, ErrNoIMAP) {
		t.Errorf("ParseClientConfig = %+v, %v; want ErrNoIMAP: the IMAP server comes after the limit", got, err)
	}
}

func TestHostileDocumentsAreParsedQuickly(t *testing.T) {
	docs := map[string][]byte{
		"deep nesting": []byte(`<clientConfig>` + strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000) + `</clientConfig>`),
		"entity expansion": []byte(`<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">` +
			`<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><clientConfig><emailProvider><displayName>&lol3;</displayName></emailProvider></clientConfig>`),
		"many servers":    doc(strings.Repeat(server("imap", "imap.example.com", "993", "SSL", "", "password-cleartext"), MaxDocument/200)),
		"many attributes": []byte(`<clientConfig ` + strings.Repeat(`a="b" `, MaxDocument/8) + `/>`),
	}
	for name, d := range docs {
		if len(d) > MaxDocument {
			t.Fatalf("%s: the document is %d bytes, over the limit: it would not be parsed", name, len(d))
		}
		start := time.Now()
		_, _ = ParseClientConfig(d, "me@example.com")
		if el := time.Since(start); el > 5*time.Second {
			t.Errorf("%s took %v", name, el)
		}
	}
}

// FuzzParseClientConfig: whatever a server sends, parsing never panics,
// and anything it accepts is settings LeadMiner can safely use.
func FuzzParseClientConfig(f *testing.F) {
	for _, name := range []string{"isp.xml", "google.xml", "latin1.xml"} {
		f.Add(readDoc(f, name), "jean.dupont@exemple-telecom.test")
	}
	f.Add(doc(server("imap", "127.0.0.1", "1143", "plain", "%EMAILLOCALPART%")), "me@example.com")
	f.Add(doc(server("imap", "imap.%EMAILDOMAIN%", "", "STARTTLS", "%EMAILADDRESS%", "OAuth2")), "me@bücher.example")
	f.Add([]byte(`<clientConfig><emailProvider><incomingServer type="imap"><hostname>%EMAILDOMAIN%</hostname><socketType>SSL</socketType></incomingServer></emailProvider></clientConfig>`), "@")
	f.Add([]byte(`<?xml version="1.0" encoding="latin1"?><clientConfig/>`), "")
	f.Fuzz(func(t *testing.T, d []byte, email string) {
		r, err := ParseClientConfig(d, email)
		if err != nil {
			if !empty(r) {
				t.Fatalf("settings %+v with error %v", r, err)
			}
			return
		}
		if r.Source != SourceAutoconfig || r.Port < 1 || r.Port > 65535 || r.Host == "" || len(r.Host) > 253 ||
			strings.ContainsAny(r.Host, "/:@?#% \t\r\n") {
			t.Fatalf("accepted unusable settings %+v", r)
		}
		switch r.Security {
		case imap.Implicit, imap.StartTLS:
		case imap.None:
			if !loopback(r.Host) {
				t.Fatalf("plain text to %s accepted", r.Host)
			}
		default:
			t.Fatalf("security %q", r.Security)
		}
		if r.OAuth != "" && r.OAuth != "google" && r.OAuth != "microsoft" {
			t.Fatalf("oauth %q", r.OAuth)
		}
		if !utf8.ValidString(r.Provider) || utf8.RuneCountInString(r.Provider) > maxName || len(r.Username) > maxUsername ||
			strings.Contains(r.Username, "%") {
			t.Fatalf("provider %q, username %q", r.Provider, r.Username)
		}
	})
}
