package autoconfig

import (
	"strings"

	"leadminer/backend/source/imap"
)

// Provider is a mail provider known without asking the network: the
// domains of its own addresses, and the MX hosts by which a domain it hosts
// for someone else (a company's, a family's) is recognised.
type Provider struct {
	Name string
	// Domains are the address domains it owns ("gmail.com"), lower case.
	Domains []string
	// MX are suffixes of its MX hosts, matched on a label boundary:
	// "google.com" matches aspmx.l.google.com and google.com, not
	// notgoogle.com.
	MX       []string
	Host     string
	Port     int
	Security imap.Security
	// OAuth names the sign-in the provider prefers ("google", "microsoft").
	OAuth string
	// Note is advice shown under the password field.
	Note string
}

const appPassword = "If your normal password is refused, create an app password in your account's security settings."

// providers is the one table of well-known providers. An entry without
// Domains is only reached through MX (Google Workspace, Microsoft 365, OVH).
var providers = []Provider{
	{Name: "Gmail", Domains: []string{"gmail.com", "googlemail.com"},
		Host: "imap.gmail.com", Port: 993, Security: imap.Implicit, OAuth: "google",
		Note: "Sign in with Google is the easiest way; an app password (Google account > Security > App passwords) works too."},
	{Name: "Google Workspace", MX: []string{"google.com", "googlemail.com"},
		Host: "imap.gmail.com", Port: 993, Security: imap.Implicit, OAuth: "google",
		Note: "Your domain's mail is at Google Workspace: use an app password, if your administrator allows IMAP and app passwords."},
	{Name: "Outlook.com", Domains: []string{"outlook.com", "hotmail.com", "hotmail.fr", "hotmail.co.uk", "live.com", "live.fr", "msn.com", "outlook.fr"},
		Host: "outlook.office365.com", Port: 993, Security: imap.Implicit, OAuth: "microsoft",
		Note: "Microsoft often refuses passwords for IMAP: use Sign in with Microsoft."},
	{Name: "Microsoft 365", MX: []string{"mail.protection.outlook.com", "outlook.com"},
		Host: "outlook.office365.com", Port: 993, Security: imap.Implicit, OAuth: "microsoft",
		Note: "Your domain's mail is at Microsoft 365, which usually refuses passwords for IMAP: Sign in with Microsoft."},
	{Name: "Yahoo Mail", Domains: []string{"yahoo.com", "yahoo.fr", "yahoo.co.uk", "ymail.com", "rocketmail.com"}, MX: []string{"yahoodns.net"},
		Host: "imap.mail.yahoo.com", Port: 993, Security: imap.Implicit, Note: "Yahoo needs an app password: " + appPassword},
	{Name: "iCloud Mail", Domains: []string{"icloud.com", "me.com", "mac.com"}, MX: []string{"icloud.com"},
		Host: "imap.mail.me.com", Port: 993, Security: imap.Implicit, Note: "iCloud needs an app-specific password (appleid.apple.com > Sign-In and Security)."},
	{Name: "Fastmail", Domains: []string{"fastmail.com", "fastmail.fm", "fastmail.net"}, MX: []string{"messagingengine.com"},
		Host: "imap.fastmail.com", Port: 993, Security: imap.Implicit, Note: "Fastmail needs an app password (Settings > Privacy & Security)."},
	{Name: "GMX", Domains: []string{"gmx.com", "gmx.net", "gmx.de", "gmx.fr", "gmx.at", "gmx.ch"}, MX: []string{"gmx.net"},
		Host: "imap.gmx.net", Port: 993, Security: imap.Implicit, Note: "Turn on IMAP access in GMX's settings first."},
	{Name: "WEB.DE", Domains: []string{"web.de"}, MX: []string{"web.de"},
		Host: "imap.web.de", Port: 993, Security: imap.Implicit, Note: "Turn on IMAP access in WEB.DE's settings first."},
	{Name: "Zoho Mail", Domains: []string{"zoho.com", "zohomail.com", "zohomail.eu"},
		Host: "imap.zoho.com", Port: 993, Security: imap.Implicit, Note: "Enable IMAP access in Zoho Mail's settings."},
	// A domain hosted by Zoho is an organisation account: imappro, in the
	// data centre its MX names.
	{Name: "Zoho Mail", MX: []string{"zoho.com"},
		Host: "imappro.zoho.com", Port: 993, Security: imap.Implicit, Note: "Enable IMAP access in Zoho Mail's settings (your administrator may have to allow it)."},
	{Name: "Zoho Mail", MX: []string{"zoho.eu"},
		Host: "imappro.zoho.eu", Port: 993, Security: imap.Implicit, Note: "Enable IMAP access in Zoho Mail's settings (your administrator may have to allow it)."},
	{Name: "Zoho Mail", MX: []string{"zoho.in"},
		Host: "imappro.zoho.in", Port: 993, Security: imap.Implicit, Note: "Enable IMAP access in Zoho Mail's settings (your administrator may have to allow it)."},
	{Name: "Zoho Mail", MX: []string{"zoho.com.au"},
		Host: "imappro.zoho.com.au", Port: 993, Security: imap.Implicit, Note: "Enable IMAP access in Zoho Mail's settings (your administrator may have to allow it)."},
	// OVH hosts many domains (MX Plan, Email Pro): mx*.mail.ovh.net and the
	// older mx*.ovh.net all read at ssl0.ovh.net.
	{Name: "OVHcloud", MX: []string{"mail.ovh.net", "ovh.net"},
		Host: "ssl0.ovh.net", Port: 993, Security: imap.Implicit, Note: "Your domain's mail is at OVHcloud: log in with your full address and the mailbox's password."},
	{Name: "Orange", Domains: []string{"orange.fr", "wanadoo.fr"}, MX: []string{"orange.fr"},
		Host: "imap.orange.fr", Port: 993, Security: imap.Implicit},
	{Name: "Free", Domains: []string{"free.fr"}, MX: []string{"free.fr"},
		Host: "imap.free.fr", Port: 993, Security: imap.Implicit},
	{Name: "La Poste", Domains: []string{"laposte.net"}, MX: []string{"laposte.net"},
		Host: "imap.laposte.net", Port: 993, Security: imap.Implicit},
	{Name: "SFR", Domains: []string{"sfr.fr", "neuf.fr"},
		Host: "imap.sfr.fr", Port: 993, Security: imap.Implicit},
	{Name: "AOL Mail", Domains: []string{"aol.com", "aim.com"},
		Host: "imap.aol.com", Port: 993, Security: imap.Implicit, Note: "AOL needs an app password: " + appPassword},
	{Name: "Proton Mail (Bridge)", Domains: []string{"proton.me", "protonmail.com", "protonmail.ch", "pm.me"}, MX: []string{"protonmail.ch"},
		Host: "127.0.0.1", Port: 1143, Security: imap.StartTLS,
		Note: "Proton Mail works through Proton Mail Bridge: start it and use the password it shows, not your account password."},
	{Name: "Posteo", Domains: []string{"posteo.de", "posteo.net"}, MX: []string{"posteo.de"},
		Host: "posteo.de", Port: 993, Security: imap.Implicit},
	{Name: "mailbox.org", Domains: []string{"mailbox.org"}, MX: []string{"mailbox.org"},
		Host: "imap.mailbox.org", Port: 993, Security: imap.Implicit},
	{Name: "Telekom Mail", Domains: []string{"t-online.de"},
		Host: "secureimap.t-online.de", Port: 993, Security: imap.Implicit},
	{Name: "Yandex Mail", Domains: []string{"yandex.com", "yandex.ru"}, MX: []string{"yandex.net", "yandex.ru"},
		Host: "imap.yandex.com", Port: 993, Security: imap.Implicit, Note: "Yandex needs an app password: " + appPassword},
	{Name: "Mail.ru", Domains: []string{"mail.ru"},
		Host: "imap.mail.ru", Port: 993, Security: imap.Implicit, Note: "Mail.ru needs an app password: " + appPassword},
	{Name: "QQ Mail", Domains: []string{"qq.com"},
		Host: "imap.qq.com", Port: 993, Security: imap.Implicit, Note: "QQ Mail needs an authorization code instead of the password."},
	{Name: "NetEase 163", Domains: []string{"163.com"},
		Host: "imap.163.com", Port: 993, Security: imap.Implicit},
}

// Providers returns a copy of the built-in table.
func Providers() []Provider {
	out := make([]Provider, len(providers))
	for i, p := range providers {
		p.Domains = append([]string(nil), p.Domains...)
		p.MX = append([]string(nil), p.MX...)
		out[i] = p
	}
	return out
}

func (p Provider) result(source string) Result {
	return Result{Provider: p.Name, Host: p.Host, Port: p.Port, Security: p.Security, OAuth: p.OAuth, Source: source, Note: p.Note}
}

// domainOf is the lower-case domain of an address: what follows its last
// @, without surrounding space or a final dot; "" when there is none.
func domainOf(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return ""
	}
	d := strings.ToLower(strings.TrimSpace(email[at+1:]))
	return strings.TrimSuffix(d, ".")
}

// BuiltIn returns a well-known provider's settings for an address, by its
// domain exactly (a sub-domain of a provider is not the provider), marked
// Source "built-in". It never goes on the network.
func BuiltIn(email string) (Result, bool) {
	domain := domainOf(email)
	if domain == "" {
		return Result{}, false
	}
	for _, p := range providers {
		for _, d := range p.Domains {
			if d == domain {
				return p.result(SourceBuiltIn), true
			}
		}
	}
	return Result{}, false
}

// hasSuffix says whether host is suffix or one of its sub-domains.
func hasSuffix(host, suffix string) bool {
	return host == suffix || strings.HasSuffix(host, "."+suffix)
}

// byMX returns the provider whose MX suffix matches host (lower case,
// without a final dot). The longest suffix wins, so a specific entry
// (zoho.com.au) beats a general one (zoho.com) whatever the table's order.
func byMX(host string) (Provider, bool) {
	var best Provider
	n := 0
	for _, p := range providers {
		for _, s := range p.MX {
			if len(s) > n && hasSuffix(host, s) {
				best, n = p, len(s)
			}
		}
	}
	return best, n > 0
}

// oauthFor is the sign-in of a known provider's IMAP host, whoever named
// the host (SRV, an autoconfig document).
func oauthFor(host string) string {
	for _, p := range providers {
		if p.OAuth != "" && p.Host == host {
			return p.OAuth
		}
	}
	return ""
}
