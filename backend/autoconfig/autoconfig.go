// Package autoconfig finds the IMAP settings, and the sign-in a provider
// prefers, for an e-mail address: a built-in table of the major providers
// first, then the domain's MX records, its SRV records (RFC 6186), its
// Mozilla autoconfig document, and last a guess. Every lookup goes through
// Lookups (the egress gate): a subprocessor switched off skips its steps
// and is reported, it never fails the detection.
package autoconfig

import (
	"cmp"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"leadminer/backend/egress"
	"leadminer/backend/source/imap"
)

// Lookups is what detection needs from the network: the egress gate
// satisfies it.
type Lookups interface {
	LookupMX(ctx context.Context, c egress.Call, domain string) ([]*net.MX, error)
	LookupSRV(ctx context.Context, c egress.Call, service, proto, name string) ([]*net.SRV, error)
	Do(ctx context.Context, c egress.Call, req *http.Request) (*http.Response, error)
}

// Sources of a Result.
const (
	SourceBuiltIn    = "built-in"
	SourceMX         = "mx"
	SourceSRV        = "srv"
	SourceAutoconfig = "autoconfig"
	SourceGuess      = "guess"
)

// Result is the settings found for an address.
type Result struct {
	// Provider is a display name ("Gmail", "Google Workspace", "Microsoft
	// 365", …, an autoconfig document's name, or the domain).
	Provider string        `json:"provider"`
	Host     string        `json:"host"`
	Port     int           `json:"port"`
	Security imap.Security `json:"security"`
	// Username is the login an autoconfig document gives, placeholders
	// filled in; empty means the address itself.
	Username string `json:"username"`
	// OAuth is the sign-in the provider prefers: "google", "microsoft" or "".
	OAuth string `json:"oauth"`
	// Source is how the settings were found: "built-in", "mx", "srv",
	// "autoconfig" or "guess".
	Source string `json:"source"`
	// Note is advice shown under the password field.
	Note string `json:"note"`
	// Skipped lists the subprocessors (egress ids: "dns", "autoconfig")
	// that were switched off, so a step was skipped: turning them on could
	// find better settings.
	Skipped []string `json:"skipped"`
}

// ErrBadAddress is returned for an address without a usable domain.
var ErrBadAddress = errors.New("not an email address with a valid domain")

// GuessNote marks settings that are only a guess (imap.DOMAIN on 993).
const GuessNote = "These settings are a guess: check them with your mail provider."

// httpTimeout bounds each autoconfig request, so a slow server only skips
// its step.
const httpTimeout = 20 * time.Second

// Detect finds the settings of an address. Only a malformed address or a
// cancelled context is an error: a switched-off subprocessor or a failed
// lookup skips its step, and the last step is a guess.
func Detect(ctx context.Context, email string, lookups Lookups) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	domain := domainOf(email)
	ascii, err := asciiDomain(domain)
	if err != nil {
		return Result{Port: 993, Security: imap.Implicit}, ErrBadAddress
	}
	if r, ok := BuiltIn(email); ok {
		return r, nil
	}
	// The address as the provider knows it: the local part as typed, the
	// domain in lower case.
	email = strings.TrimSpace(email)
	email = email[:strings.LastIndexByte(email, '@')+1] + domain
	d := detection{ctx: ctx, lookups: lookups, email: email, domain: domain, ascii: ascii,
		purpose: "Find the IMAP settings of " + domain}
	for _, step := range []func() (Result, bool, error){d.mx, d.srv, d.autoconfig} {
		r, ok, err := step()
		if err != nil {
			return Result{}, err
		}
		if ok {
			r.Skipped = d.skipped
			return r, nil
		}
	}
	return Result{Provider: domain, Host: "imap." + ascii, Port: 993, Security: imap.Implicit, Source: SourceGuess,
		Note: GuessNote, Skipped: d.skipped}, nil
}

// asciiDomain checks a domain and returns its ASCII (IDNA) form, the one
// DNS and TLS use.
func asciiDomain(domain string) (string, error) {
	if domain == "" {
		return "", ErrBadAddress
	}
	a, err := idna.Lookup.ToASCII(domain)
	if err != nil || !imap.ValidHostName(a) || !strings.Contains(a, ".") {
		return "", ErrBadAddress
	}
	return a, nil
}

// detection is one run of Detect.
type detection struct {
	ctx     context.Context
	lookups Lookups
	email   string
	domain  string // as typed, lower case
	ascii   string // its IDNA form
	purpose string
	skipped []string
}

// failed sorts out an error of a lookup: a cancelled context ends the
// detection (the error returned); a switched-off subprocessor is recorded
// in skipped; anything else only skips the step, and nothing of it is kept.
func (d *detection) failed(err error) (fatal error) {
	if ctxErr := d.ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	var oe *egress.OffError
	if errors.As(err, &oe) && !slices.Contains(d.skipped, oe.Subprocessor.ID) {
		d.skipped = append(d.skipped, oe.Subprocessor.ID)
	}
	return nil
}

func (d *detection) off(id string) bool { return slices.Contains(d.skipped, id) }

func (d *detection) dnsCall() egress.Call {
	return egress.Call{Subprocessor: "dns", Purpose: d.purpose}
}

// fqdn is the domain as an absolute name, so the resolver asks for it
// alone and never appends the local search domains.
func (d *detection) fqdn() string { return d.ascii + "." }

// mx recognises a provider by the domain's mail servers, in order of
// preference.
func (d *detection) mx() (Result, bool, error) {
	if d.off("dns") {
		return Result{}, false, nil
	}
	mxs, err := d.lookups.LookupMX(d.ctx, d.dnsCall(), d.fqdn())
	if err != nil {
		return Result{}, false, d.failed(err)
	}
	mxs = slices.Clone(mxs)
	slices.SortStableFunc(mxs, func(a, b *net.MX) int { return cmp.Compare(pref(a), pref(b)) })
	for _, mx := range mxs {
		if mx == nil {
			continue
		}
		if p, ok := byMX(strings.TrimSuffix(strings.ToLower(mx.Host), ".")); ok {
			return p.result(SourceMX), true, nil
		}
	}
	return Result{}, false, nil
}

func pref(mx *net.MX) int {
	if mx == nil {
		return 1 << 16
	}
	return int(mx.Pref)
}

// srv reads the RFC 6186 records: _imaps._tcp (implicit TLS) first, then
// _imap._tcp (STARTTLS).
func (d *detection) srv() (Result, bool, error) {
	for _, s := range []struct {
		service  string
		security imap.Security
	}{{"imaps", imap.Implicit}, {"imap", imap.StartTLS}} {
		if d.off("dns") {
			return Result{}, false, nil
		}
		records, err := d.lookups.LookupSRV(d.ctx, d.dnsCall(), s.service, "tcp", d.fqdn())
		if err != nil {
			if fatal := d.failed(err); fatal != nil {
				return Result{}, false, fatal
			}
			continue
		}
		rec, ok := bestSRV(records)
		if !ok {
			continue
		}
		host := strings.TrimSuffix(strings.ToLower(rec.Target), ".")
		r := Result{Provider: d.domain, Host: host, Port: int(rec.Port), Security: s.security, OAuth: oauthFor(host), Source: SourceSRV}
		if !hasSuffix(host, d.ascii) {
			// RFC 6186 §6: DNS is not authenticated, so a server outside the
			// domain is for the user to confirm.
			r.Note = "The DNS of " + d.domain + " points to " + host + ": make sure it is your mail provider's before entering your password."
		}
		return r, true, nil
	}
	return Result{}, false, nil
}

// bestSRV picks the record to use: lowest priority, then highest weight;
// a target of "." means the service is not offered, and a record without
// a valid target or port is ignored.
func bestSRV(records []*net.SRV) (*net.SRV, bool) {
	var usable []*net.SRV
	for _, r := range records {
		if r == nil || r.Port == 0 {
			continue
		}
		host := strings.TrimSuffix(strings.ToLower(r.Target), ".")
		if host == "" || !imap.ValidHostName(host) {
			continue // "." (not offered) or garbage
		}
		usable = append(usable, r)
	}
	if len(usable) == 0 {
		return nil, false
	}
	slices.SortStableFunc(usable, func(a, b *net.SRV) int {
		if c := cmp.Compare(a.Priority, b.Priority); c != 0 {
			return c
		}
		return cmp.Compare(b.Weight, a.Weight)
	})
	return usable[0], true
}

// autoconfig fetches the domain's Mozilla autoconfig document, from
// autoconfig.DOMAIN and then from the domain's well-known path, over HTTPS
// only (an answer over plain HTTP could send the password anywhere).
func (d *detection) autoconfig() (Result, bool, error) {
	q := url.Values{"emailaddress": {d.email}}.Encode()
	for _, u := range []string{
		"https://autoconfig." + d.ascii + "/mail/config-v1.1.xml?" + q,
		"https://" + d.ascii + "/.well-known/autoconfig/mail/config-v1.1.xml?" + q,
	} {
		if d.off("autoconfig") {
			return Result{}, false, nil
		}
		r, ok, err := d.fetch(u)
		if err != nil {
			return Result{}, false, err
		}
		if ok {
			if r.Provider == "" {
				r.Provider = d.domain
			}
			return r, true, nil
		}
	}
	return Result{}, false, nil
}

func (d *detection) fetch(u string) (Result, bool, error) {
	ctx, cancel := context.WithTimeout(d.ctx, httpTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return Result{}, false, nil
	}
	req.Header.Set("Accept", "application/xml, text/xml")
	resp, err := d.lookups.Do(ctx, egress.Call{Subprocessor: "autoconfig", Purpose: d.purpose}, req)
	if err != nil {
		return Result{}, false, d.failed(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return Result{}, false, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxDocument+1))
	if err != nil {
		return Result{}, false, d.failed(err)
	}
	r, err := ParseClientConfig(body, d.email)
	if err != nil {
		return Result{}, false, nil
	}
	return r, true, nil
}
