// Package accounts keeps the user's mail accounts: detecting a provider's
// settings from an address, checking and adding an IMAP account (password
// to the keychain), local sources, and each account's status.
package accounts

import (
	"strings"

	"leadminer/backend/source/imap"
)

// Settings are an IMAP server's connection settings.
type Settings struct {
	Provider string        `json:"provider"`
	Host     string        `json:"host"`
	Port     int           `json:"port"`
	Security imap.Security `json:"security"`
	// OAuth names the sign-in a provider prefers ("google", "microsoft").
	OAuth string `json:"oauth"`
	// Note is advice shown under the password field.
	Note string `json:"note"`
}

const appPassword = "If your normal password is refused, create an app password in your account's security settings."

// providers are the well-known ones, by the domains of their addresses.
var providers = []struct {
	domains  []string
	settings Settings
}{
	{[]string{"gmail.com", "googlemail.com"}, Settings{Provider: "Gmail", Host: "imap.gmail.com", Port: 993, Security: imap.Implicit, OAuth: "google",
		Note: "Gmail accepts an app password (Google account > Security > App passwords); Sign in with Google comes later."}},
	{[]string{"outlook.com", "hotmail.com", "hotmail.fr", "hotmail.co.uk", "live.com", "live.fr", "msn.com", "outlook.fr"},
		Settings{Provider: "Outlook.com", Host: "outlook.office365.com", Port: 993, Security: imap.Implicit, OAuth: "microsoft",
			Note: "Microsoft often refuses passwords for IMAP; Sign in with Microsoft comes later."}},
	{[]string{"yahoo.com", "yahoo.fr", "yahoo.co.uk", "ymail.com", "rocketmail.com"}, Settings{Provider: "Yahoo Mail", Host: "imap.mail.yahoo.com", Port: 993, Security: imap.Implicit, Note: "Yahoo needs an app password: " + appPassword}},
	{[]string{"icloud.com", "me.com", "mac.com"}, Settings{Provider: "iCloud Mail", Host: "imap.mail.me.com", Port: 993, Security: imap.Implicit, Note: "iCloud needs an app-specific password (appleid.apple.com > Sign-In and Security)."}},
	{[]string{"fastmail.com", "fastmail.fm", "fastmail.net"}, Settings{Provider: "Fastmail", Host: "imap.fastmail.com", Port: 993, Security: imap.Implicit, Note: "Fastmail needs an app password (Settings > Privacy & Security)."}},
	{[]string{"gmx.com", "gmx.net", "gmx.de", "gmx.fr", "gmx.at", "gmx.ch"}, Settings{Provider: "GMX", Host: "imap.gmx.net", Port: 993, Security: imap.Implicit, Note: "Turn on IMAP access in GMX's settings first."}},
	{[]string{"web.de"}, Settings{Provider: "WEB.DE", Host: "imap.web.de", Port: 993, Security: imap.Implicit, Note: "Turn on IMAP access in WEB.DE's settings first."}},
	{[]string{"zoho.com", "zohomail.com", "zohomail.eu"}, Settings{Provider: "Zoho Mail", Host: "imap.zoho.com", Port: 993, Security: imap.Implicit, Note: "Enable IMAP access in Zoho Mail's settings."}},
	{[]string{"orange.fr", "wanadoo.fr"}, Settings{Provider: "Orange", Host: "imap.orange.fr", Port: 993, Security: imap.Implicit}},
	{[]string{"free.fr"}, Settings{Provider: "Free", Host: "imap.free.fr", Port: 993, Security: imap.Implicit}},
	{[]string{"laposte.net"}, Settings{Provider: "La Poste", Host: "imap.laposte.net", Port: 993, Security: imap.Implicit}},
	{[]string{"sfr.fr", "neuf.fr"}, Settings{Provider: "SFR", Host: "imap.sfr.fr", Port: 993, Security: imap.Implicit}},
	{[]string{"aol.com", "aim.com"}, Settings{Provider: "AOL Mail", Host: "imap.aol.com", Port: 993, Security: imap.Implicit, Note: "AOL needs an app password: " + appPassword}},
	{[]string{"proton.me", "protonmail.com", "protonmail.ch", "pm.me"}, Settings{Provider: "Proton Mail (Bridge)", Host: "127.0.0.1", Port: 1143, Security: imap.StartTLS,
		Note: "Proton Mail works through Proton Mail Bridge: start it and use the password it shows, not your account password."}},
	{[]string{"posteo.de", "posteo.net"}, Settings{Provider: "Posteo", Host: "posteo.de", Port: 993, Security: imap.Implicit}},
	{[]string{"mailbox.org"}, Settings{Provider: "mailbox.org", Host: "imap.mailbox.org", Port: 993, Security: imap.Implicit}},
	{[]string{"t-online.de"}, Settings{Provider: "Telekom Mail", Host: "secureimap.t-online.de", Port: 993, Security: imap.Implicit}},
	{[]string{"yandex.com", "yandex.ru"}, Settings{Provider: "Yandex Mail", Host: "imap.yandex.com", Port: 993, Security: imap.Implicit, Note: "Yandex needs an app password: " + appPassword}},
	{[]string{"mail.ru"}, Settings{Provider: "Mail.ru", Host: "imap.mail.ru", Port: 993, Security: imap.Implicit, Note: "Mail.ru needs an app password: " + appPassword}},
	{[]string{"qq.com"}, Settings{Provider: "QQ Mail", Host: "imap.qq.com", Port: 993, Security: imap.Implicit, Note: "QQ Mail needs an authorization code instead of the password."}},
	{[]string{"163.com"}, Settings{Provider: "NetEase 163", Host: "imap.163.com", Port: 993, Security: imap.Implicit}},
}

// Detect returns the settings for an address: a well-known provider's, or
// a guess (imap.DOMAIN, SSL/TLS on 993) marked as such. It never goes on the
// network; DNS and autoconfig lookups belong to the egress gate.
func Detect(email string) Settings {
	at := strings.LastIndexByte(email, '@')
	domain := strings.ToLower(strings.TrimSpace(email[at+1:]))
	if at < 0 || domain == "" {
		return Settings{Port: 993, Security: imap.Implicit}
	}
	for _, p := range providers {
		for _, d := range p.domains {
			if d == domain {
				return p.settings
			}
		}
	}
	// OVH hosts many domains; the rest get the usual name.
	return Settings{Host: "imap." + domain, Port: 993, Security: imap.Implicit,
		Note: "These settings are a guess: check them with your mail provider."}
}
