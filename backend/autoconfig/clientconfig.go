package autoconfig

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"leadminer/backend/source/imap"
)

// MaxDocument is the largest autoconfig document read (1 MB): real ones
// are a few kilobytes.
const MaxDocument = 1 << 20

// Limits on what a document may name. It comes from the network: a
// server can send anything.
const (
	maxServers  = 64  // incomingServer elements looked at
	maxUsername = 320 // bytes, placeholders filled in
	maxName     = 64  // runes of the display name kept
)

// Errors of ParseClientConfig.
var (
	ErrTooLarge = errors.New("autoconfig document larger than 1 MB")
	ErrNoIMAP   = errors.New("autoconfig document offers no usable IMAP server")
)

// clientConfig is the Mozilla autoconfig (ISPDB) format, version 1.1:
// https://wiki.mozilla.org/Thunderbird:Autoconfiguration:ConfigFileFormat.
// Only what IMAP needs is read.
type clientConfig struct {
	XMLName   xml.Name        `xml:"clientConfig"`
	Providers []emailProvider `xml:"emailProvider"`
}

type emailProvider struct {
	DisplayName      string           `xml:"displayName"`
	DisplayShortName string           `xml:"displayShortName"`
	Incoming         []incomingServer `xml:"incomingServer"`
}

type incomingServer struct {
	Type           string   `xml:"type,attr"`
	Hostname       string   `xml:"hostname"`
	Port           string   `xml:"port"`
	SocketType     string   `xml:"socketType"`
	Username       string   `xml:"username"`
	Authentication []string `xml:"authentication"`
}

// ParseClientConfig reads an autoconfig document and returns its best IMAP
// server for email: SSL before STARTTLS, plain text only to a loopback
// host, in document order otherwise; POP3 and other servers are ignored.
// Placeholders (%EMAILADDRESS%, %EMAILLOCALPART%, %EMAILDOMAIN%) are filled
// in. The document is untrusted: anything malformed is an error or a
// skipped server, never a panic.
func ParseClientConfig(doc []byte, email string) (Result, error) {
	if len(doc) > MaxDocument {
		return Result{}, ErrTooLarge
	}
	var cc clientConfig
	dec := xml.NewDecoder(bytes.NewReader(doc))
	dec.CharsetReader = charsetReader
	if err := dec.Decode(&cc); err != nil {
		return Result{}, fmt.Errorf("autoconfig document: %w", err)
	}
	email = strings.TrimSpace(email)
	domain := domainOf(email)
	asciiDom, err := asciiDomain(domain)
	if err != nil {
		asciiDom = "%EMAILDOMAIN%" // no usable domain: a host naming it stays invalid
	}
	local := email
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		local = email[:at]
	}
	user := strings.NewReplacer("%EMAILADDRESS%", email, "%EMAILLOCALPART%", local, "%EMAILDOMAIN%", domain)
	hostDomain := strings.NewReplacer("%EMAILDOMAIN%", asciiDom)

	var best Result
	bestRank := 0
	seen := 0
	for _, p := range cc.Providers {
		for _, s := range p.Incoming {
			if seen++; seen > maxServers {
				break
			}
			r, rank, ok := s.result(user, hostDomain)
			if !ok || rank <= bestRank {
				continue
			}
			r.Provider = displayName(p)
			best, bestRank = r, rank
		}
	}
	if bestRank == 0 {
		return Result{}, ErrNoIMAP
	}
	return best, nil
}

// result turns one incomingServer into settings, with its rank (higher is
// better: SSL 3, STARTTLS 2, plain to loopback 1); ok is false for a
// server that is not IMAP or cannot be used.
func (s incomingServer) result(user, hostDomain *strings.Replacer) (Result, int, bool) {
	if !strings.EqualFold(strings.TrimSpace(s.Type), "imap") {
		return Result{}, 0, false
	}
	host := strings.TrimSuffix(strings.ToLower(strings.TrimSpace(hostDomain.Replace(s.Hostname))), ".")
	// A host name with a dot, an IPv4 address (which reads as one) or
	// localhost: not a bare intranet name, not an IPv6 literal.
	if !imap.ValidHostName(host) || !strings.Contains(host, ".") && host != "localhost" {
		return Result{}, 0, false
	}
	var sec imap.Security
	var rank, port int
	switch strings.ToUpper(strings.TrimSpace(s.SocketType)) {
	case "SSL":
		sec, rank, port = imap.Implicit, 3, 993
	case "STARTTLS":
		sec, rank, port = imap.StartTLS, 2, 143
	case "PLAIN":
		if !loopback(host) {
			return Result{}, 0, false
		}
		sec, rank, port = imap.None, 1, 143
	default:
		return Result{}, 0, false
	}
	if p := strings.TrimSpace(s.Port); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return Result{}, 0, false
		}
		port = n
	}
	oauth := oauthFor(host)
	if !authUsable(s.Authentication, oauth != "") {
		return Result{}, 0, false
	}
	r := Result{Host: host, Port: port, Security: sec, OAuth: oauth, Source: SourceAutoconfig}
	if u := strings.TrimSpace(user.Replace(s.Username)); len(u) <= maxUsername && !strings.Contains(u, "%") && utf8.ValidString(u) &&
		strings.IndexFunc(u, unicode.IsControl) < 0 {
		r.Username = u // an unknown placeholder (%REALNAME%) leaves the address as the login
	}
	return r, rank, true
}

// authUsable says whether LeadMiner can log in with one of the methods a
// server lists: a password, or OAuth2 with a sign-in it supports. No list
// at all means the default, a password.
func authUsable(methods []string, oauth bool) bool {
	if len(methods) == 0 {
		return true
	}
	for _, m := range methods {
		switch strings.ToLower(strings.TrimSpace(m)) {
		case "password-cleartext", "plain", "password-encrypted", "secure":
			return true
		case "oauth2":
			if oauth {
				return true
			}
		}
	}
	return false
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// displayName is the provider's name as the document gives it, made safe
// to show: control and formatting characters (bidi overrides) removed,
// spaces collapsed, cut to maxName runes.
func displayName(p emailProvider) string {
	name := p.DisplayName
	if strings.TrimSpace(name) == "" {
		name = p.DisplayShortName
	}
	name = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || unicode.IsControl(r) || unicode.Is(unicode.Cf, r) {
			return ' '
		}
		return r
	}, name)
	name = strings.Join(strings.Fields(name), " ")
	if utf8.RuneCountInString(name) > maxName {
		name = strings.TrimSpace(string([]rune(name)[:maxName]))
	}
	return name
}

// charsetReader accepts the legacy encodings an old document may declare;
// the fields read are ASCII in practice.
func charsetReader(charset string, in io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8", "us-ascii", "ascii":
		return in, nil
	case "iso-8859-1", "iso8859-1", "latin1", "latin-1", "windows-1252", "cp1252":
		return latin1{in}, nil
	}
	return nil, fmt.Errorf("unsupported charset %q", charset)
}

// latin1 decodes ISO-8859-1 to UTF-8 (Windows-1252's extra characters, in
// 0x80–0x9F, come out as C1 controls: harmless for host names).
type latin1 struct{ r io.Reader }

func (l latin1) Read(p []byte) (int, error) {
	// Each byte becomes at most two: read half as many.
	if len(p) < 2 {
		return 0, io.ErrShortBuffer
	}
	buf := make([]byte, len(p)/2)
	n, err := l.r.Read(buf)
	out := p[:0]
	for _, b := range buf[:n] {
		out = utf8.AppendRune(out, rune(b))
	}
	return len(out), err
}
