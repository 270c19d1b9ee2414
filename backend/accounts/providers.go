// Package accounts keeps the user's mail accounts: detecting a provider's
// settings from an address, checking and adding an IMAP account (password
// to the keychain), local sources, and each account's status.
package accounts

import (
	"context"
	"strings"

	"leadminer/backend/autoconfig"
	"leadminer/backend/source/imap"
)

// Settings are an IMAP server's connection settings.
type Settings struct {
	// Source says how they were found: built-in, mx, srv, autoconfig or guess.
	Source string `json:"source"`
	// Skipped lists the switched-off lookups that might have found them
	// ("dns", "autoconfig").
	Skipped  []string      `json:"skipped"`
	Provider string        `json:"provider"`
	Host     string        `json:"host"`
	Port     int           `json:"port"`
	Security imap.Security `json:"security"`
	// OAuth names the sign-in a provider prefers ("google", "microsoft").
	OAuth string `json:"oauth"`
	// Note is advice shown under the password field.
	Note string `json:"note"`
}

// Detect returns the settings for an address: a well-known provider's
// (autoconfig's built-in table, the one list of providers), or a guess
// (imap.DOMAIN, SSL/TLS on 993) marked as such. It never goes on the
// network; DNS and autoconfig lookups are autoconfig.Detect's, through the
// egress gate.
func Detect(email string) Settings {
	if r, ok := autoconfig.BuiltIn(email); ok {
		return settingsOf(r)
	}
	at := strings.LastIndexByte(email, '@')
	domain := strings.ToLower(strings.TrimSpace(email[at+1:]))
	if at < 0 || domain == "" {
		return Settings{Port: 993, Security: imap.Implicit}
	}
	return Settings{Host: "imap." + domain, Port: 993, Security: imap.Implicit, Source: autoconfig.SourceGuess,
		Note: autoconfig.GuessNote, Skipped: []string{}}
}

func settingsOf(r autoconfig.Result) Settings {
	skipped := r.Skipped
	if skipped == nil {
		skipped = []string{}
	}
	return Settings{Provider: r.Provider, Host: r.Host, Port: r.Port, Security: r.Security, OAuth: r.OAuth, Note: r.Note,
		Source: r.Source, Skipped: skipped}
}

// LookUp finds the settings of an address: the built-in table, then the
// domain's MX and SRV records and its autoconfig document, through the
// egress gate (each lookup only when its switch is on).
func (s *Service) LookUp(ctx context.Context, email string) (Settings, error) {
	r, err := autoconfig.Detect(ctx, email, s.gate())
	if err != nil {
		return Detect(email), err
	}
	return settingsOf(r), nil
}
