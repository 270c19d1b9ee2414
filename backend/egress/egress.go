// Package egress is the one gate data leaves the machine through, apart
// from the user's own mail servers. Every third-party service (a
// "subprocessor") is registered with what it is for and what it receives,
// is off until the user turns it on, and every call is logged: time,
// service, purpose, number of records, bytes out, outcome, and whose data
// it carried. A source analyser (egress/analyse) keeps every other package
// from opening connections of its own.
package egress

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"
)

// Subprocessor is a third-party service LeadMiner can send data to.
type Subprocessor struct {
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Purpose string   `json:"purpose"`
	Data    []string `json:"data"` // categories of data sent
	Region  string   `json:"region"`
	// EEA says whether the data stays in the European Economic Area.
	EEA     bool   `json:"eea"`
	Website string `json:"website"`
}

// Registry is every subprocessor the app knows; a call to an unknown one
// is refused.
var Registry = []Subprocessor{
	{ID: "dns", Name: "Your DNS resolver", Purpose: "Check that the domains of your contacts accept mail (MX records)",
		Data: []string{"domain names of contacts"}, Region: "set by your network", EEA: false},
	{ID: "autoconfig", Name: "Mail providers' autoconfig servers", Purpose: "Find the IMAP settings of a domain you add",
		Data: []string{"your email address (its domain says where to ask)"}, Region: "the provider's", EEA: false},
	{ID: "google-oauth", Name: "Google account sign-in", Purpose: "Sign in to Gmail and renew access",
		Data: []string{"your Google account identifier", "tokens"}, Region: "United States", EEA: false, Website: "https://accounts.google.com"},
	{ID: "microsoft-oauth", Name: "Microsoft account sign-in", Purpose: "Sign in to Outlook / Microsoft 365 and renew access",
		Data: []string{"your Microsoft account identifier", "tokens"}, Region: "United States / EU", EEA: false, Website: "https://login.microsoftonline.com"},
	{ID: "zerobounce", Name: "ZeroBounce", Purpose: "Verify that contacts' addresses exist",
		Data: []string{"email addresses of contacts"}, Region: "United States", EEA: false, Website: "https://www.zerobounce.net"},
	{ID: "mailercheck", Name: "MailerCheck", Purpose: "Verify that contacts' addresses exist",
		Data: []string{"email addresses of contacts"}, Region: "European Union (Lithuania)", EEA: true, Website: "https://www.mailercheck.com"},
	{ID: "reacher", Name: "Reacher (self-hosted)", Purpose: "Verify addresses with your own Reacher server",
		Data: []string{"email addresses of contacts"}, Region: "your server", EEA: true},
	{ID: "openrouter", Name: "OpenRouter", Purpose: "Read job titles and phone numbers from signatures with an AI model",
		Data: []string{"signature text of contacts' messages", "names and addresses"}, Region: "United States", EEA: false, Website: "https://openrouter.ai"},
}

// Lookup returns a registered subprocessor.
func Lookup(id string) (Subprocessor, bool) {
	for _, s := range Registry {
		if s.ID == id {
			return s, true
		}
	}
	return Subprocessor{}, false
}

// Event is one call, as the log keeps it.
type Event struct {
	At           time.Time
	Subprocessor string
	Purpose      string
	Records      int
	BytesOut     int64
	Outcome      string
	// Subjects are keyed hashes of the people whose data the call carried.
	Subjects []string
}

// Store keeps the switches and the log (the store package implements it).
type Store interface {
	Setting(ctx context.Context, key string) (string, error)
	SetSetting(ctx context.Context, key, value string) error
	LogEgress(ctx context.Context, e Event) error
}

// OffError is returned for a call to a subprocessor that is switched off.
type OffError struct{ Subprocessor Subprocessor }

func (e *OffError) Error() string {
	return fmt.Sprintf("%s is switched off: turn it on in Privacy > Subprocessors to %s", e.Subprocessor.Name, lowerFirst(e.Subprocessor.Purpose))
}

// lowerFirst lets a purpose continue a sentence ("to check…"); an acronym
// ("AI …") keeps its case.
func lowerFirst(s string) string {
	first, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	if next, _ := utf8.DecodeRuneInString(s[size:]); unicode.IsUpper(next) {
		return s
	}
	return string(unicode.ToLower(first)) + s[size:]
}

// ErrUnknown is returned for a call to a service that is not registered.
var ErrUnknown = errors.New("unknown subprocessor")

// Gate checks switches, makes the calls and logs them.
type Gate struct {
	store Store
	// Dial opens every connection the gate makes (tests record them).
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	Now  func() time.Time
	// TLSConfig replaces the default TLS settings (tests trust their own CA).
	TLSConfig *tls.Config

	once      sync.Once
	transport *http.Transport
}

// New returns a gate on a store.
func New(st Store) *Gate {
	d := &net.Dialer{Timeout: 15 * time.Second}
	return &Gate{store: st, Dial: d.DialContext, Now: time.Now}
}

func switchKey(id string) string { return "subprocessor:" + id }

// Enabled says whether a subprocessor is switched on.
func (g *Gate) Enabled(ctx context.Context, id string) (bool, error) {
	v, err := g.store.Setting(ctx, switchKey(id))
	if err != nil {
		return false, err // fail closed
	}
	return v == "on", nil
}

// SetEnabled switches a subprocessor on or off.
func (g *Gate) SetEnabled(ctx context.Context, id string, on bool) error {
	if _, ok := Lookup(id); !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, id)
	}
	v := "off"
	if on {
		v = "on"
	}
	return g.store.SetSetting(ctx, switchKey(id), v)
}

// Call describes one use of a subprocessor.
type Call struct {
	Subprocessor string
	// Purpose is what this call is for (shown in the log).
	Purpose string
	// Subjects are the keyed hashes of the people whose data is sent.
	Subjects []string
}

// check refuses a call to an unknown or switched-off subprocessor.
func (g *Gate) check(ctx context.Context, c Call) (Subprocessor, error) {
	sp, ok := Lookup(c.Subprocessor)
	if !ok {
		return sp, fmt.Errorf("%w: %s", ErrUnknown, c.Subprocessor)
	}
	on, err := g.Enabled(ctx, sp.ID)
	if err != nil {
		return sp, err
	}
	if !on {
		return sp, &OffError{Subprocessor: sp}
	}
	return sp, nil
}

func (g *Gate) log(ctx context.Context, c Call, bytesOut int64, outcome string) {
	_ = g.store.LogEgress(context.WithoutCancel(ctx), Event{At: g.Now(), Subprocessor: c.Subprocessor, Purpose: c.Purpose,
		Records: len(c.Subjects), BytesOut: bytesOut, Outcome: outcome, Subjects: c.Subjects})
}

// ErrRedirectElsewhere refuses a redirect to another host: the data would
// reach a server the user never saw named in the register or the log.
var ErrRedirectElsewhere = errors.New("redirect to another host refused")

func sameHost(req *http.Request, via []*http.Request) error {
	if len(via) >= 5 {
		return errors.New("too many redirects")
	}
	if req.URL.Host != via[0].URL.Host || req.URL.Scheme != via[0].URL.Scheme {
		return fmt.Errorf("%w: %s", ErrRedirectElsewhere, req.URL.Host)
	}
	return nil
}

// Do sends an HTTP request to a subprocessor, if the user switched it on,
// and logs it.
func (g *Gate) Do(ctx context.Context, c Call, req *http.Request) (*http.Response, error) {
	return g.HTTPClient(c).Do(req.WithContext(ctx))
}

// HTTPClient is a client whose every request is one call of c: checked
// against the switch, sent through the gate's dialer and logged. Libraries
// that take an *http.Client (x/oauth2) get this one.
func (g *Gate) HTTPClient(c Call) *http.Client {
	g.once.Do(func() {
		g.transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			return g.Dial(ctx, network, addr)
		}, TLSClientConfig: g.TLSConfig, ForceAttemptHTTP2: true, TLSHandshakeTimeout: 15 * time.Second, IdleConnTimeout: 30 * time.Second}
	})
	return &http.Client{Transport: callTransport{g, c}, Timeout: 60 * time.Second, CheckRedirect: sameHost}
}

// callTransport sends one request of a call.
type callTransport struct {
	g *Gate
	c Call
}

func (t callTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	ctx := req.Context()
	if _, err := t.g.check(ctx, t.c); err != nil {
		if req.Body != nil {
			req.Body.Close()
		}
		return nil, err
	}
	out := int64(len(req.URL.String()))
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		out += int64(len(b))
		req = req.Clone(ctx)
		req.Body = io.NopCloser(bytes.NewReader(b))
		req.ContentLength = int64(len(b))
	}
	for k, vs := range req.Header {
		for _, v := range vs {
			out += int64(len(k) + len(v) + 4)
		}
	}
	resp, err := t.g.transport.RoundTrip(req)
	if err != nil {
		t.g.log(ctx, t.c, out, "error: "+err.Error())
		return nil, err
	}
	t.g.log(ctx, t.c, out, resp.Status)
	return resp, nil
}

// LookupMX asks the DNS for a domain's mail servers; the query goes to the
// resolver, so it is the "dns" subprocessor's switch and log whatever the
// caller names.
func (g *Gate) LookupMX(ctx context.Context, c Call, domain string) ([]*net.MX, error) {
	c.Subprocessor = "dns"
	if _, err := g.check(ctx, c); err != nil {
		return nil, err
	}
	mx, err := g.resolver().LookupMX(ctx, domain)
	outcome := fmt.Sprintf("%d records", len(mx))
	if len(mx) == 1 {
		outcome = "1 record"
	}
	if err != nil {
		outcome = "error: " + err.Error()
	}
	g.log(ctx, c, int64(len(domain)+32), outcome)
	return mx, err
}

// LookupSRV asks the DNS for a service record (_imaps._tcp.example.com),
// under the "dns" subprocessor like every lookup.
func (g *Gate) LookupSRV(ctx context.Context, c Call, service, proto, name string) ([]*net.SRV, error) {
	c.Subprocessor = "dns"
	if _, err := g.check(ctx, c); err != nil {
		return nil, err
	}
	_, srv, err := g.resolver().LookupSRV(ctx, service, proto, name)
	outcome := fmt.Sprintf("%d records", len(srv))
	if len(srv) == 1 {
		outcome = "1 record"
	}
	if err != nil {
		outcome = "error: " + err.Error()
	}
	g.log(ctx, c, int64(len(service)+len(proto)+len(name)+36), outcome)
	return srv, err
}

// resolver sends DNS queries through the gate's dialer.
func (g *Gate) resolver() *net.Resolver {
	return &net.Resolver{PreferGo: true, Dial: func(ctx context.Context, network, address string) (net.Conn, error) {
		return g.Dial(ctx, network, address)
	}}
}
