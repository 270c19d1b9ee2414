package accounts

import (
	"reflect"
	"strings"
	"testing"

	"leadminer/backend/autoconfig"
	"leadminer/backend/source/imap"
)

func TestDetectKnowsEachProviderFamily(t *testing.T) {
	tests := []struct {
		email    string
		provider string
		host     string
		port     int
		security imap.Security
		oauth    string
	}{
		{"me@gmail.com", "Gmail", "imap.gmail.com", 993, imap.Implicit, "google"},
		{"me@googlemail.com", "Gmail", "imap.gmail.com", 993, imap.Implicit, "google"},
		{"me@outlook.com", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@hotmail.co.uk", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@live.fr", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@yahoo.com", "Yahoo Mail", "imap.mail.yahoo.com", 993, imap.Implicit, ""},
		{"me@ymail.com", "Yahoo Mail", "imap.mail.yahoo.com", 993, imap.Implicit, ""},
		{"me@icloud.com", "iCloud Mail", "imap.mail.me.com", 993, imap.Implicit, ""},
		{"me@me.com", "iCloud Mail", "imap.mail.me.com", 993, imap.Implicit, ""},
		{"me@fastmail.com", "Fastmail", "imap.fastmail.com", 993, imap.Implicit, ""},
		{"me@gmx.de", "GMX", "imap.gmx.net", 993, imap.Implicit, ""},
		{"me@web.de", "WEB.DE", "imap.web.de", 993, imap.Implicit, ""},
		{"me@zohomail.eu", "Zoho Mail", "imap.zoho.com", 993, imap.Implicit, ""},
		{"me@wanadoo.fr", "Orange", "imap.orange.fr", 993, imap.Implicit, ""},
		{"me@free.fr", "Free", "imap.free.fr", 993, imap.Implicit, ""},
		{"me@laposte.net", "La Poste", "imap.laposte.net", 993, imap.Implicit, ""},
		{"me@neuf.fr", "SFR", "imap.sfr.fr", 993, imap.Implicit, ""},
		{"me@aol.com", "AOL Mail", "imap.aol.com", 993, imap.Implicit, ""},
		{"me@pm.me", "Proton Mail (Bridge)", "127.0.0.1", 1143, imap.StartTLS, ""},
		{"me@protonmail.com", "Proton Mail (Bridge)", "127.0.0.1", 1143, imap.StartTLS, ""},
		{"me@posteo.net", "Posteo", "posteo.de", 993, imap.Implicit, ""},
		{"me@mailbox.org", "mailbox.org", "imap.mailbox.org", 993, imap.Implicit, ""},
		{"me@t-online.de", "Telekom Mail", "secureimap.t-online.de", 993, imap.Implicit, ""},
		{"me@yandex.ru", "Yandex Mail", "imap.yandex.com", 993, imap.Implicit, ""},
		{"me@mail.ru", "Mail.ru", "imap.mail.ru", 993, imap.Implicit, ""},
		{"me@qq.com", "QQ Mail", "imap.qq.com", 993, imap.Implicit, ""},
		{"me@163.com", "NetEase 163", "imap.163.com", 993, imap.Implicit, ""},
		// The domain's case and surrounding space do not matter.
		{"Me@GMail.COM", "Gmail", "imap.gmail.com", 993, imap.Implicit, "google"},
		{"  me@Outlook.Com  ", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		// The last @ starts the domain.
		{`"a@b"@yahoo.fr`, "Yahoo Mail", "imap.mail.yahoo.com", 993, imap.Implicit, ""},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			got := Detect(tt.email)
			if got.Provider != tt.provider || got.Host != tt.host || got.Port != tt.port || got.Security != tt.security || got.OAuth != tt.oauth {
				t.Errorf("Detect(%q) = %+v; want %s %s:%d %s oauth %q", tt.email, got, tt.provider, tt.host, tt.port, tt.security, tt.oauth)
			}
			if strings.Contains(got.Note, "guess") {
				t.Errorf("a known provider's settings are called a guess: %q", got.Note)
			}
		})
	}
}

// Every domain of the built-in table (autoconfig's, the one list), in any
// case, gives its provider's settings.
func TestDetectCoversEveryListedDomain(t *testing.T) {
	seen := map[string]string{}
	for _, p := range autoconfig.Providers() {
		want := Settings{Provider: p.Name, Host: p.Host, Port: p.Port, Security: p.Security, OAuth: p.OAuth, Note: p.Note,
			Source: autoconfig.SourceBuiltIn, Skipped: []string{}}
		if p.Name == "" || p.Host == "" || p.Port == 0 || p.Security == "" {
			t.Errorf("incomplete settings %+v", p)
		}
		for _, d := range p.Domains {
			if d != strings.ToLower(d) || strings.TrimSpace(d) != d {
				t.Errorf("domain %q is not lower case and trimmed: it would never match", d)
			}
			if other, dup := seen[d]; dup {
				t.Errorf("domain %s listed for %s and %s", d, other, p.Name)
			}
			seen[d] = p.Name
			for _, email := range []string{"x@" + d, "X@" + strings.ToUpper(d)} {
				if got := Detect(email); !reflect.DeepEqual(got, want) {
					t.Errorf("Detect(%q) = %+v, want %+v", email, got, want)
				}
			}
		}
	}
	if len(seen) == 0 {
		t.Fatal("the built-in table lists no domain")
	}
}

func TestDetectGuessesForAnUnknownDomain(t *testing.T) {
	tests := []struct{ email, host string }{
		{"me@example.org", "imap.example.org"},
		{"me@Example.ORG", "imap.example.org"},
		{"me@mail.example.co.uk ", "imap.mail.example.co.uk"},
		// Sub-domains of a provider are not the provider.
		{"me@eu.gmail.com", "imap.eu.gmail.com"},
		{"me@gmail.com.evil.test", "imap.gmail.com.evil.test"},
	}
	for _, tt := range tests {
		got := Detect(tt.email)
		if got.Provider != "" || got.Host != tt.host || got.Port != 993 || got.Security != imap.Implicit || got.OAuth != "" ||
			!strings.Contains(got.Note, "guess") {
			t.Errorf("Detect(%q) = %+v; want a guess of %s:993 SSL/TLS", tt.email, got, tt.host)
		}
	}
}

func TestDetectWithoutADomainGivesOnlyTheDefaults(t *testing.T) {
	for _, email := range []string{"", "me", "me.example.org", "me@", "me@   ", "@"} {
		got := Detect(email)
		if !reflect.DeepEqual(got, Settings{Port: 993, Security: imap.Implicit}) {
			t.Errorf("Detect(%q) = %+v; want no host, 993 SSL/TLS, no note", email, got)
		}
	}
}
