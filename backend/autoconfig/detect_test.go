package autoconfig

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"leadminer/backend/egress"
	"leadminer/backend/source/imap"
)

// fakeNet answers lookups from maps, records every call, and refuses the
// calls of a switched-off subprocessor the way the gate does.
type fakeNet struct {
	mx    map[string][]*net.MX  // by absolute name: "example.com."
	srv   map[string][]*net.SRV // by "_imaps._tcp.example.com."
	pages map[string]string     // body by URL, answered 200
	off   map[string]bool       // subprocessor ids switched off
	fail  error                 // every lookup fails with it, when set
	// hook runs at the start of each call (tests cancel the context there).
	hook func()

	mu    sync.Mutex
	calls []call
}

type call struct {
	What string // "MX example.com.", "SRV _imaps._tcp.example.com.", "GET https://…"
	egress.Call
}

func (f *fakeNet) record(what string, c egress.Call) error {
	f.mu.Lock()
	f.calls = append(f.calls, call{what, c})
	f.mu.Unlock()
	if f.hook != nil {
		f.hook()
	}
	if f.off[c.Subprocessor] {
		sp, _ := egress.Lookup(c.Subprocessor)
		return &egress.OffError{Subprocessor: sp}
	}
	return f.fail
}

func (f *fakeNet) LookupMX(ctx context.Context, c egress.Call, domain string) ([]*net.MX, error) {
	c.Subprocessor = "dns" // as the gate does
	if err := f.record("MX "+domain, c); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	mx, ok := f.mx[domain]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: domain, IsNotFound: true}
	}
	return mx, nil
}

func (f *fakeNet) LookupSRV(ctx context.Context, c egress.Call, service, proto, name string) ([]*net.SRV, error) {
	c.Subprocessor = "dns"
	q := "_" + service + "._" + proto + "." + name
	if err := f.record("SRV "+q, c); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	srv, ok := f.srv[q]
	if !ok {
		return nil, &net.DNSError{Err: "no such host", Name: q, IsNotFound: true}
	}
	return srv, nil
}

func (f *fakeNet) Do(ctx context.Context, c egress.Call, req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		return nil, errors.New("the request has a body")
	}
	if err := f.record(req.Method+" "+req.URL.String(), c); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	body, ok := f.pages[req.URL.String()]
	if !ok {
		return &http.Response{StatusCode: http.StatusNotFound, Status: "404 Not Found", Body: io.NopCloser(strings.NewReader("not found"))}, nil
	}
	return &http.Response{StatusCode: http.StatusOK, Status: "200 OK", Body: io.NopCloser(strings.NewReader(body))}, nil
}

func (f *fakeNet) whats() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, c := range f.calls {
		out = append(out, c.What)
	}
	return out
}

const (
	mxQ     = "MX example.com."
	imapsQ  = "SRV _imaps._tcp.example.com."
	imapQ   = "SRV _imap._tcp.example.com."
	acURL   = "GET https://autoconfig.example.com/mail/config-v1.1.xml?emailaddress=me%40example.com"
	wkURL   = "GET https://example.com/.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=me%40example.com"
	allDNS  = "dns"
	allHTTP = "autoconfig"
)

// every step that is tried when none answers, in order.
var allSteps = []string{mxQ, imapsQ, imapQ, acURL, wkURL}

func page(u string) string { return strings.TrimPrefix(u, "GET ") }

const exampleDoc = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <displayName>Example Mail</displayName>
    <incomingServer type="imap">
      <hostname>mail.%EMAILDOMAIN%</hostname>
      <port>993</port>
      <socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username>
      <authentication>password-cleartext</authentication>
    </incomingServer>
  </emailProvider>
</clientConfig>`

func mx(pref uint16, host string) *net.MX { return &net.MX{Host: host, Pref: pref} }

func srv(prio, weight, port uint16, target string) *net.SRV {
	return &net.SRV{Target: target, Port: port, Priority: prio, Weight: weight}
}

func TestDetectRecognisesAHostedDomainByItsMX(t *testing.T) {
	tests := []struct {
		name     string
		mx       []*net.MX
		provider string
		host     string
		oauth    string
	}{
		{"Google Workspace by aspmx", []*net.MX{mx(1, "ASPMX.L.GOOGLE.COM."), mx(5, "alt1.aspmx.l.google.com."), mx(10, "aspmx2.googlemail.com.")},
			"Google Workspace", "imap.gmail.com", "google"},
		{"Google Workspace by smtp.google.com", []*net.MX{mx(1, "smtp.google.com.")}, "Google Workspace", "imap.gmail.com", "google"},
		{"Microsoft 365", []*net.MX{mx(0, "example-com.mail.protection.outlook.com.")}, "Microsoft 365", "outlook.office365.com", "microsoft"},
		{"OVH MX Plan", []*net.MX{mx(1, "mx1.mail.ovh.net."), mx(5, "mx2.mail.ovh.net."), mx(100, "mx3.mail.ovh.net.")}, "OVHcloud", "ssl0.ovh.net", ""},
		{"OVH older MX", []*net.MX{mx(1, "mx0.ovh.net."), mx(100, "mxb.ovh.net.")}, "OVHcloud", "ssl0.ovh.net", ""},
		{"Fastmail", []*net.MX{mx(10, "in1-smtp.messagingengine.com."), mx(20, "in2-smtp.messagingengine.com.")}, "Fastmail", "imap.fastmail.com", ""},
		{"Zoho EU", []*net.MX{mx(10, "mx.zoho.eu."), mx(20, "mx2.zoho.eu.")}, "Zoho Mail", "imappro.zoho.eu", ""},
		{"Yahoo", []*net.MX{mx(1, "mx-biz.mail.am0.yahoodns.net.")}, "Yahoo Mail", "imap.mail.yahoo.com", ""},
		{"iCloud custom domain", []*net.MX{mx(10, "mx01.mail.icloud.com."), mx(10, "mx02.mail.icloud.com.")}, "iCloud Mail", "imap.mail.me.com", ""},
		{"Proton custom domain reads through the Bridge", []*net.MX{mx(10, "mail.protonmail.ch."), mx(20, "mailsec.protonmail.ch.")},
			"Proton Mail (Bridge)", "127.0.0.1", ""},
		{"the most preferred known MX wins, whatever the answer's order", []*net.MX{mx(20, "aspmx.l.google.com."), mx(10, "mx1.mail.ovh.net.")},
			"OVHcloud", "ssl0.ovh.net", ""},
		{"an unknown filter in front of a known host", []*net.MX{mx(5, "filter.spam.example.net."), mx(10, "in1-smtp.messagingengine.com.")},
			"Fastmail", "imap.fastmail.com", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeNet{mx: map[string][]*net.MX{"example.com.": tt.mx},
				srv:   map[string][]*net.SRV{"_imaps._tcp.example.com.": {srv(0, 0, 993, "imap.example.com.")}},
				pages: map[string]string{page(acURL): exampleDoc}}
			got, err := Detect(context.Background(), "me@example.com", f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Provider != tt.provider || got.Host != tt.host || got.OAuth != tt.oauth || got.Source != SourceMX || got.Skipped != nil {
				t.Errorf("Detect = %+v; want %s at %s, oauth %q, from the MX", got, tt.provider, tt.host, tt.oauth)
			}
			if w := f.whats(); !slices.Equal(w, []string{mxQ}) {
				t.Errorf("calls %v; want the MX lookup alone (the MX answer wins)", w)
			}
		})
	}
}

func TestDetectIgnoresMXThatOnlyLookLikeAProvider(t *testing.T) {
	for _, hosts := range [][]*net.MX{
		{mx(10, "notgoogle.com.")},
		{mx(10, "google.com.evil.test.")},
		{mx(10, "outlook.com.example.net.")},
		{mx(0, ".")}, // null MX: the domain takes no mail
		{nil},
		{},
	} {
		f := &fakeNet{mx: map[string][]*net.MX{"example.com.": hosts}}
		got, err := Detect(context.Background(), "me@example.com", f)
		if err != nil || got.Source != SourceGuess || got.OAuth != "" {
			t.Errorf("MX %v: Detect = %+v, %v; want the guess", hosts, got, err)
		}
	}
}

func TestDetectReadsSRVRecordsInRFC6186Order(t *testing.T) {
	tests := []struct {
		name     string
		imaps    []*net.SRV
		imap     []*net.SRV
		host     string
		port     int
		security imap.Security
		calls    []string
	}{
		{name: "implicit TLS is preferred to STARTTLS",
			imaps: []*net.SRV{srv(0, 1, 993, "imap.example.com.")}, imap: []*net.SRV{srv(0, 1, 143, "imap.example.com.")},
			host: "imap.example.com", port: 993, security: imap.Implicit, calls: []string{mxQ, imapsQ}},
		{name: "lowest priority first",
			imaps: []*net.SRV{srv(20, 100, 993, "backup.example.com."), srv(10, 0, 9993, "main.example.com.")},
			host:  "main.example.com", port: 9993, security: imap.Implicit, calls: []string{mxQ, imapsQ}},
		{name: "then the highest weight",
			imaps: []*net.SRV{srv(10, 5, 993, "light.example.com."), srv(10, 60, 993, "heavy.example.com."), srv(20, 90, 993, "later.example.com.")},
			host:  "heavy.example.com", port: 993, security: imap.Implicit, calls: []string{mxQ, imapsQ}},
		{name: "a target of . means IMAPS is not offered: STARTTLS is used",
			imaps: []*net.SRV{srv(0, 0, 0, ".")}, imap: []*net.SRV{srv(0, 0, 143, "imap.example.com.")},
			host: "imap.example.com", port: 143, security: imap.StartTLS, calls: []string{mxQ, imapsQ, imapQ}},
		{name: "without _imaps records, _imap",
			imap: []*net.SRV{srv(5, 0, 1143, "Mail.Example.COM.")},
			host: "mail.example.com", port: 1143, security: imap.StartTLS, calls: []string{mxQ, imapsQ, imapQ}},
		{name: "a record without a port or a valid target is skipped",
			imaps: []*net.SRV{srv(0, 0, 0, "noport.example.com."), srv(1, 0, 993, "bad host.example.com."), srv(2, 0, 993, "ok.example.com.")},
			host:  "ok.example.com", port: 993, security: imap.Implicit, calls: []string{mxQ, imapsQ}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeNet{mx: map[string][]*net.MX{"example.com.": {mx(10, "mx.example.com.")}}, srv: map[string][]*net.SRV{},
				pages: map[string]string{page(acURL): exampleDoc}}
			if tt.imaps != nil {
				f.srv["_imaps._tcp.example.com."] = tt.imaps
			}
			if tt.imap != nil {
				f.srv["_imap._tcp.example.com."] = tt.imap
			}
			got, err := Detect(context.Background(), "me@example.com", f)
			if err != nil {
				t.Fatal(err)
			}
			if got.Host != tt.host || got.Port != tt.port || got.Security != tt.security || got.Source != SourceSRV ||
				got.Provider != "example.com" || got.Note != "" {
				t.Errorf("Detect = %+v; want %s:%d %s from SRV, no warning", got, tt.host, tt.port, tt.security)
			}
			if w := f.whats(); !slices.Equal(w, tt.calls) {
				t.Errorf("calls %v; want %v (an SRV answer wins over autoconfig)", w, tt.calls)
			}
		})
	}
}

func TestDetectWithEverySRVTargetDotGoesOnToAutoconfig(t *testing.T) {
	f := &fakeNet{srv: map[string][]*net.SRV{
		"_imaps._tcp.example.com.": {srv(0, 0, 0, ".")},
		"_imap._tcp.example.com.":  {srv(0, 0, 0, ".")},
	}, pages: map[string]string{page(acURL): exampleDoc}}
	got, err := Detect(context.Background(), "me@example.com", f)
	if err != nil || got.Source != SourceAutoconfig || got.Host != "mail.example.com" {
		t.Errorf("Detect = %+v, %v; want the autoconfig document's server", got, err)
	}
}

func TestAnSRVTargetOutsideTheDomainIsFlaggedAndAKnownOneGetsItsSignIn(t *testing.T) {
	f := &fakeNet{srv: map[string][]*net.SRV{"_imaps._tcp.example.com.": {srv(0, 0, 993, "imap.gmail.com.")}}}
	got, err := Detect(context.Background(), "me@example.com", f)
	if err != nil || got.Host != "imap.gmail.com" || got.OAuth != "google" || got.Source != SourceSRV {
		t.Fatalf("Detect = %+v, %v; want imap.gmail.com with Google sign-in", got, err)
	}
	if !strings.Contains(got.Note, "imap.gmail.com") || !strings.Contains(got.Note, "make sure") {
		t.Errorf("note %q; want a warning naming the host outside the domain", got.Note)
	}
	// A sub-domain of the address's domain is the domain's own.
	f = &fakeNet{srv: map[string][]*net.SRV{"_imaps._tcp.example.com.": {srv(0, 0, 993, "imap.eu.example.com.")}}}
	if got, _ := Detect(context.Background(), "me@example.com", f); got.Note != "" {
		t.Errorf("a server inside the domain is flagged: %q", got.Note)
	}
}

func TestDetectFetchesTheAutoconfigDocumentThenTheWellKnownOne(t *testing.T) {
	tests := []struct {
		name  string
		pages map[string]string
		want  string // host, or "" for the guess
		calls []string
	}{
		{"autoconfig.DOMAIN answers", map[string]string{page(acURL): exampleDoc, page(wkURL): strings.ReplaceAll(exampleDoc, "mail.%EMAILDOMAIN%", "other.example.com")},
			"mail.example.com", []string{mxQ, imapsQ, imapQ, acURL}},
		{"only the well-known path answers", map[string]string{page(wkURL): exampleDoc}, "mail.example.com", allSteps},
		{"a document without IMAP is passed over", map[string]string{page(acURL): strings.ReplaceAll(exampleDoc, `type="imap"`, `type="pop3"`), page(wkURL): exampleDoc},
			"mail.example.com", allSteps},
		{"an HTML page is passed over", map[string]string{page(acURL): "<html><body>Welcome</body></html>"}, "", allSteps},
		{"a document over 1 MB is refused", map[string]string{page(acURL): strings.Replace(exampleDoc, "<clientConfig", "<!--"+strings.Repeat("x", MaxDocument)+"--><clientConfig", 1)},
			"", allSteps},
		{"nothing anywhere", nil, "", allSteps},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeNet{pages: tt.pages}
			got, err := Detect(context.Background(), "me@example.com", f)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if got.Source != SourceGuess || got.Host != "imap.example.com" {
					t.Errorf("Detect = %+v; want the guess", got)
				}
			} else if got.Source != SourceAutoconfig || got.Host != tt.want || got.Port != 993 || got.Security != imap.Implicit ||
				got.Provider != "Example Mail" || got.Username != "me@example.com" {
				t.Errorf("Detect = %+v; want %s:993 SSL from Example Mail's document", got, tt.want)
			}
			if w := f.whats(); !slices.Equal(w, tt.calls) {
				t.Errorf("calls %v; want %v", w, tt.calls)
			}
		})
	}
}

func TestEveryCallNamesItsPurposeAndNoPerson(t *testing.T) {
	f := &fakeNet{}
	if _, err := Detect(context.Background(), "me+tag@Example.com", f); err != nil {
		t.Fatal(err)
	}
	f.mu.Lock()
	calls := slices.Clone(f.calls)
	f.mu.Unlock()
	if len(calls) != len(allSteps) {
		t.Fatalf("calls %+v; want %d", calls, len(allSteps))
	}
	for _, c := range calls {
		wantSP := "dns"
		if strings.HasPrefix(c.What, "GET ") {
			wantSP = "autoconfig"
			if !strings.HasSuffix(c.What, "?emailaddress=me%2Btag%40example.com") || !strings.HasPrefix(c.What, "GET https://") {
				t.Errorf("%s: want an HTTPS GET with the address as emailaddress, escaped", c.What)
			}
		}
		if c.Subprocessor != wantSP || c.Purpose != "Find the IMAP settings of example.com" || c.Subjects != nil {
			t.Errorf("%s: call %+v; want %s, the purpose naming the domain, and no subjects (the user's own domain)", c.What, c.Call, wantSP)
		}
	}
}

func TestSwitchedOffSubprocessorsAreSkippedAndReported(t *testing.T) {
	tests := []struct {
		name    string
		off     []string
		pages   map[string]string
		source  string
		skipped []string
		calls   []string
	}{
		{"both off: the guess, and both named", []string{allDNS, allHTTP}, nil, SourceGuess, []string{"dns", "autoconfig"}, []string{mxQ, acURL}},
		{"DNS off: SRV is not even tried, autoconfig finds it", []string{allDNS}, map[string]string{page(acURL): exampleDoc},
			SourceAutoconfig, []string{"dns"}, []string{mxQ, acURL}},
		{"autoconfig off: the well-known path is not tried either", []string{allHTTP}, map[string]string{page(acURL): exampleDoc},
			SourceGuess, []string{"autoconfig"}, []string{mxQ, imapsQ, imapQ, acURL}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeNet{off: map[string]bool{}, pages: tt.pages}
			for _, id := range tt.off {
				f.off[id] = true
			}
			got, err := Detect(context.Background(), "me@example.com", f)
			if err != nil {
				t.Fatalf("Detect = %v; a switched-off service must not fail the detection", err)
			}
			if got.Source != tt.source || !slices.Equal(got.Skipped, tt.skipped) {
				t.Errorf("Detect = %+v; want source %s, skipped %v", got, tt.source, tt.skipped)
			}
			if tt.source == SourceGuess && (got.Host != "imap.example.com" || got.Port != 993 || got.Security != imap.Implicit ||
				!strings.Contains(got.Note, "guess") || got.Provider != "example.com") {
				t.Errorf("guess %+v; want imap.example.com:993 SSL marked as a guess", got)
			}
			if w := f.whats(); !slices.Equal(w, tt.calls) {
				t.Errorf("calls %v; want %v (one refused call per switch)", w, tt.calls)
			}
		})
	}
}

func TestNetworkErrorsOnlySkipTheirStep(t *testing.T) {
	f := &fakeNet{fail: &net.DNSError{Err: "server misbehaving", Name: "example.com", IsTemporary: true}}
	got, err := Detect(context.Background(), "me@example.com", f)
	if err != nil || got.Source != SourceGuess || got.Skipped != nil {
		t.Errorf("Detect = %+v, %v; want the guess, nothing reported as switched off", got, err)
	}
	if w := f.whats(); !slices.Equal(w, allSteps) {
		t.Errorf("calls %v; want every step tried", w)
	}
}

func TestACancelledContextAbortsTheDetection(t *testing.T) {
	t.Run("before it starts", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		f := &fakeNet{}
		if _, err := Detect(ctx, "me@example.com", f); !errors.Is(err, context.Canceled) {
			t.Errorf("Detect = %v; want context.Canceled", err)
		}
		if w := f.whats(); len(w) != 0 {
			t.Errorf("calls %v after cancellation", w)
		}
	})
	for i, step := range allSteps {
		t.Run("during "+step, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			f := &fakeNet{}
			n := 0
			f.hook = func() {
				if n == i {
					cancel()
				}
				n++
			}
			got, err := Detect(ctx, "me@example.com", f)
			if !errors.Is(err, context.Canceled) || got.Host != "" {
				t.Errorf("Detect = %+v, %v; want context.Canceled and no settings", got, err)
			}
			if w := f.whats(); len(w) != i+1 {
				t.Errorf("calls %v; want none after the cancelled one", w)
			}
		})
	}
}

func TestDetectAnswersAKnownProviderWithoutTheNetwork(t *testing.T) {
	f := &fakeNet{fail: errors.New("no network in this test")}
	got, err := Detect(context.Background(), "me@hotmail.fr", f)
	if err != nil || got.Provider != "Outlook.com" || got.Source != SourceBuiltIn || got.OAuth != "microsoft" {
		t.Errorf("Detect = %+v, %v; want Outlook.com from the built-in table", got, err)
	}
	if w := f.whats(); len(w) != 0 {
		t.Errorf("calls %v for a built-in provider", w)
	}
}

func TestDetectRefusesAnAddressWithoutAUsableDomain(t *testing.T) {
	for _, email := range []string{"", "me", "me@", "@", "me@   ", "me@localhost", "me@exa mple.com", "me@example.com/x?y=1",
		"me@-example.com", "me@example..com", "me@" + strings.Repeat("a", 64) + ".com", "me@ex%41mple.com"} {
		f := &fakeNet{}
		got, err := Detect(context.Background(), email, f)
		if !errors.Is(err, ErrBadAddress) || got.Host != "" {
			t.Errorf("Detect(%q) = %+v, %v; want ErrBadAddress", email, got, err)
		}
		if w := f.whats(); len(w) != 0 {
			t.Errorf("Detect(%q) made calls %v", email, w)
		}
	}
}

func TestAnInternationalDomainIsLookedUpInItsASCIIForm(t *testing.T) {
	f := &fakeNet{}
	got, err := Detect(context.Background(), "me@Bücher.example", f)
	if err != nil {
		t.Fatal(err)
	}
	if got.Host != "imap.xn--bcher-kva.example" || got.Provider != "bücher.example" {
		t.Errorf("Detect = %+v; want the guess imap.xn--bcher-kva.example for bücher.example", got)
	}
	if w := f.whats(); len(w) == 0 || w[0] != "MX xn--bcher-kva.example." {
		t.Errorf("calls %v; want the MX of xn--bcher-kva.example.", w)
	}
}
