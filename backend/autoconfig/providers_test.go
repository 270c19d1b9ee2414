package autoconfig

import (
	"reflect"
	"strings"
	"testing"

	"leadminer/backend/source/imap"
)

func TestBuiltInKnowsTheMajorProvidersByTheirAddressDomain(t *testing.T) {
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
		{"me@hotmail.com", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@live.com", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@msn.com", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@yahoo.fr", "Yahoo Mail", "imap.mail.yahoo.com", 993, imap.Implicit, ""},
		{"me@icloud.com", "iCloud Mail", "imap.mail.me.com", 993, imap.Implicit, ""},
		{"me@fastmail.fm", "Fastmail", "imap.fastmail.com", 993, imap.Implicit, ""},
		{"me@gmx.net", "GMX", "imap.gmx.net", 993, imap.Implicit, ""},
		{"me@zoho.com", "Zoho Mail", "imap.zoho.com", 993, imap.Implicit, ""},
		{"me@orange.fr", "Orange", "imap.orange.fr", 993, imap.Implicit, ""},
		{"me@free.fr", "Free", "imap.free.fr", 993, imap.Implicit, ""},
		{"me@laposte.net", "La Poste", "imap.laposte.net", 993, imap.Implicit, ""},
		{"me@proton.me", "Proton Mail (Bridge)", "127.0.0.1", 1143, imap.StartTLS, ""},
		{"me@protonmail.ch", "Proton Mail (Bridge)", "127.0.0.1", 1143, imap.StartTLS, ""},
		{"Me@GMail.COM", "Gmail", "imap.gmail.com", 993, imap.Implicit, "google"},
		{"  me@Outlook.Com  ", "Outlook.com", "outlook.office365.com", 993, imap.Implicit, "microsoft"},
		{"me@gmail.com.", "Gmail", "imap.gmail.com", 993, imap.Implicit, "google"}, // an absolute domain
		{`"a@b"@yahoo.fr`, "Yahoo Mail", "imap.mail.yahoo.com", 993, imap.Implicit, ""},
	}
	for _, tt := range tests {
		t.Run(tt.email, func(t *testing.T) {
			got, ok := BuiltIn(tt.email)
			if !ok || got.Provider != tt.provider || got.Host != tt.host || got.Port != tt.port || got.Security != tt.security ||
				got.OAuth != tt.oauth || got.Source != SourceBuiltIn || got.Skipped != nil {
				t.Errorf("BuiltIn(%q) = %+v, %v; want %s %s:%d %s oauth %q from the built-in table", tt.email, got, ok,
					tt.provider, tt.host, tt.port, tt.security, tt.oauth)
			}
		})
	}
}

func TestBuiltInDoesNotKnowOtherDomainsNorProvidersReachedOnlyByMX(t *testing.T) {
	for _, email := range []string{
		"", "me", "me@", "me@  ", "@",
		"me@example.org",
		"me@eu.gmail.com",        // a sub-domain is not the provider
		"me@gmail.com.evil.test", // nor a domain that starts like it
		"me@notgmail.com",        // nor one that ends like it
		"me@google.com",          // an MX suffix (Workspace), not an address domain
		"me@mail.ovh.net",        // OVH is found by MX only
		"me@messagingengine.com", // Fastmail's MX, not its addresses
		"me@mail.protection.outlook.com",
	} {
		if got, ok := BuiltIn(email); ok || !empty(got) {
			t.Errorf("BuiltIn(%q) = %+v, %v; want nothing", email, got, ok)
		}
	}
}

func TestTheTableIsConsistent(t *testing.T) {
	domains := map[string]string{}
	mx := map[string]string{}
	for _, p := range Providers() {
		if p.Name == "" || p.Host == "" || p.Port <= 0 || p.Port > 65535 || p.Security == "" {
			t.Errorf("incomplete entry %+v", p)
		}
		if len(p.Domains) == 0 && len(p.MX) == 0 {
			t.Errorf("%s can never be found: no address domain and no MX", p.Name)
		}
		if p.OAuth != "" && p.OAuth != "google" && p.OAuth != "microsoft" {
			t.Errorf("%s: OAuth %q is neither google nor microsoft", p.Name, p.OAuth)
		}
		if p.Security == imap.None {
			t.Errorf("%s: plain text is never a provider's setting", p.Name)
		}
		for kind, list := range map[string][]string{"domain": p.Domains, "MX suffix": p.MX} {
			seen := domains
			if kind == "MX suffix" {
				seen = mx
			}
			for _, d := range list {
				if d != strings.ToLower(strings.TrimSpace(d)) || !imap.ValidHostName(d) || !strings.Contains(d, ".") {
					t.Errorf("%s: %s %q is not a lower-case host name: it would never match", p.Name, kind, d)
				}
				if other, dup := seen[d]; dup {
					t.Errorf("%s %s listed for %s and %s", kind, d, other, p.Name)
				}
				seen[d] = p.Name
			}
		}
	}
	for _, want := range []string{"Gmail", "Google Workspace", "Outlook.com", "Microsoft 365", "Yahoo Mail", "iCloud Mail", "Fastmail",
		"GMX", "Zoho Mail", "OVHcloud", "Orange", "Free", "La Poste", "Proton Mail (Bridge)"} {
		found := false
		for _, p := range Providers() {
			found = found || p.Name == want
		}
		if !found {
			t.Errorf("the table lacks %s", want)
		}
	}
}

func TestProvidersIsACopy(t *testing.T) {
	ps := Providers()
	ps[0].Name = "changed"
	ps[0].Domains[0] = "changed.example"
	if r, ok := BuiltIn("me@gmail.com"); !ok || r.Provider != "Gmail" {
		t.Errorf("changing the copy changed the table: BuiltIn = %+v, %v", r, ok)
	}
	if Providers()[0].Domains[0] == "changed.example" {
		t.Error("the copy shares its Domains with the table")
	}
}

func TestMXSuffixesMatchOnALabelBoundary(t *testing.T) {
	tests := []struct {
		host, provider string
	}{
		{"aspmx.l.google.com", "Google Workspace"},
		{"google.com", "Google Workspace"},
		{"notgoogle.com", ""},
		{"google.com.evil.test", ""},
		{"mx.zoho.com", "Zoho Mail"},
		{"mx.zoho.com.au", "Zoho Mail"},
		{"mx1.mail.ovh.net", "OVHcloud"},
		{"mx0.ovh.net", "OVHcloud"},
		{"notovh.net", ""},
	}
	for _, tt := range tests {
		p, ok := byMX(tt.host)
		if p.Name != tt.provider || ok != (tt.provider != "") {
			t.Errorf("byMX(%q) = %s, %v; want %q", tt.host, p.Name, ok, tt.provider)
		}
	}
	if p, _ := byMX("mx.zoho.com.au"); p.Host != "imappro.zoho.com.au" {
		t.Errorf("mx.zoho.com.au reads at %s; want the Australian data centre", p.Host)
	}
}

// empty says whether a Result is the zero one.
func empty(r Result) bool { return reflect.DeepEqual(r, Result{}) }
