// Package imap mines an IMAP mailbox: header-only UID FETCH over a few
// parallel connections, resumable per folder (UIDVALIDITY + highest UID),
// with reconnection, refused-chunk splitting and token refresh. It is the
// one network client besides the egress gate: it only ever talks to the
// user's own mail server.
package imap

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Security is how the connection is protected.
type Security string

const (
	// Implicit TLS from the first byte (port 993).
	Implicit Security = "implicit"
	// StartTLS upgrades a plaintext connection before login (port 143).
	StartTLS Security = "starttls"
	// None is plaintext: only to a loopback host, and only when asked.
	None Security = "none"
)

// TokenSource gives OAuth access tokens (the accounts package implements it
// for Google and Microsoft). Refresh is called when the server rejects a
// token in the middle of a run.
type TokenSource interface {
	Token(ctx context.Context) (string, error)
	Refresh(ctx context.Context) (string, error)
}

// SASL mechanisms for OAuth.
const (
	XOAuth2     = "XOAUTH2"
	OAuthBearer = "OAUTHBEARER"
)

// Config says how to reach and log in to a mailbox.
type Config struct {
	Host     string
	Port     int
	Security Security
	// Username is the login; Email the account's address (the user's own
	// address, never a contact). Either can stand for the other.
	Username string
	Email    string
	// Password, or Tokens with Mechanism, authenticates.
	Password  string
	Tokens    TokenSource
	Mechanism string
	// TrustedCert pins the server's certificate ("sha256:HEX"): a
	// certificate the system does not trust (self-signed, other name) is
	// accepted only when its fingerprint is exactly this.
	TrustedCert string
	// RootCAs replaces the system roots (tests).
	RootCAs *x509.CertPool
	// Connections is the number of parallel connections (default 4); the
	// pool shrinks when the server says there are too many.
	Connections int
	// ChunkSize is the number of UIDs per FETCH (default 500).
	ChunkSize int
	// Timeout bounds connecting, the greeting and each command (default 30 s).
	Timeout time.Duration
	// Dial opens the TCP connection (default net.Dialer); tests inject faults.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	Log  *slog.Logger
}

func (c *Config) defaults() {
	if c.Security == "" {
		c.Security = Implicit // never plaintext by omission
	}
	if c.Connections <= 0 {
		c.Connections = 4
	}
	if c.ChunkSize <= 0 {
		c.ChunkSize = 500
	}
	if c.Timeout <= 0 {
		c.Timeout = 30 * time.Second
	}
	if c.Dial == nil {
		d := &net.Dialer{Timeout: c.Timeout, KeepAlive: 30 * time.Second}
		c.Dial = d.DialContext
	}
	if c.Log == nil {
		c.Log = slog.New(slog.DiscardHandler)
	}
	if c.Mechanism == "" {
		c.Mechanism = XOAuth2
	}
	if c.Email == "" && strings.Contains(c.Username, "@") {
		c.Email = c.Username
	}
	if c.Username == "" {
		c.Username = c.Email
	}
}

// Address is host:port.
func (c Config) Address() string { return net.JoinHostPort(c.Host, strconv.Itoa(c.Port)) }

// URI identifies the mailbox (never with a secret).
func (c Config) URI() string {
	u := url.URL{Scheme: "imap", User: url.User(c.Username), Host: c.Address()}
	u.RawQuery = "tls=" + string(c.Security)
	return u.String()
}

// ParseURI reads imap://USER@HOST:PORT?tls=implicit|starttls|none. The port
// defaults to 993 with implicit TLS and 143 otherwise; the security to
// implicit on 993 and STARTTLS elsewhere. A password in the URI is refused:
// secrets live in the keychain.
func ParseURI(uri string) (Config, error) {
	u, err := url.Parse(uri)
	if err != nil {
		// url.Error quotes the whole URI, password included: never show it.
		return Config{}, errors.New("the IMAP address is not a valid URI: use imap://you@example.com@imap.example.com:993?tls=implicit")
	}
	uri = u.Redacted()
	if u.Scheme != "imap" && u.Scheme != "imaps" {
		return Config{}, fmt.Errorf("imap URI %q: the scheme must be imap://", uri)
	}
	if _, has := u.User.Password(); has {
		return Config{}, fmt.Errorf("imap URI: do not put the password in the URI; it is read from the keychain or LEADMINER_IMAP_PASSWORD")
	}
	c := Config{Host: u.Hostname(), Username: u.User.Username()}
	if c.Host == "" {
		return c, fmt.Errorf("imap URI %q has no host", uri)
	}
	if net.ParseIP(c.Host) == nil && !ValidHostName(c.Host) {
		return c, fmt.Errorf("imap URI %q: %q is not a host name or an IP address", uri, c.Host)
	}
	if c.Username == "" {
		return c, fmt.Errorf("imap URI %q has no user: imap://you@example.com@imap.example.com:993", uri)
	}
	q := u.Query()
	switch sec := strings.ToLower(q.Get("tls")); sec {
	case "":
		c.Security = Implicit
		if p := u.Port(); p != "" && p != "993" {
			c.Security = StartTLS
		}
	case "implicit", "ssl", "tls":
		c.Security = Implicit
	case "starttls":
		c.Security = StartTLS
	case "none", "plain", "insecure":
		c.Security = None
	default:
		return c, fmt.Errorf("imap URI: tls=%q: use implicit, starttls or none", sec)
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port <= 0 || c.Port > 65535 {
			return c, fmt.Errorf("imap URI: bad port %q", p)
		}
	} else if c.Security == Implicit {
		c.Port = 993
	} else {
		c.Port = 143
	}
	if v := q.Get("pin"); v != "" {
		c.TrustedCert = v
	}
	return c, nil
}

// ValidHostName says whether s is a DNS host name: labels of letters,
// digits, hyphens (and underscores, which some zones use), 1 to 63 bytes,
// not starting or ending with a hyphen, 253 bytes in all. IP literals are
// not host names here.
func ValidHostName(s string) bool {
	if s == "" || len(s) > 253 {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		for i := 0; i < len(label); i++ {
			c, lower := label[i], label[i]|0x20 // lower maps A-Z to a-z
			if !('a' <= lower && lower <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_') {
				return false
			}
		}
	}
	return true
}

// isLoopback reports whether host is this machine.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
