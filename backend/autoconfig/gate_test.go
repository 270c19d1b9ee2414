package autoconfig_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"leadminer/backend/autoconfig"
	"leadminer/backend/egress"
	"leadminer/backend/egress/egresstest"
	"leadminer/backend/privacy"
	"leadminer/backend/source/imap"
	"leadminer/backend/store"
)

// The gate is what the app passes: it must satisfy Lookups.
var _ autoconfig.Lookups = (*egress.Gate)(nil)

// autoconfigServer is an HTTPS server for every name of example.com (the
// test certificate's), answering by host and path.
type autoconfigServer struct {
	*httptest.Server
	pages map[string]string // "host/path" → body, or "redirect:URL"

	mu       sync.Mutex
	requests []string // "host path?query"
}

const ispDoc = `<?xml version="1.0" encoding="UTF-8"?>
<clientConfig version="1.1">
  <emailProvider id="example.com">
    <domain>example.com</domain>
    <displayName>Example ISP</displayName>
    <incomingServer type="pop3">
      <hostname>pop.%EMAILDOMAIN%</hostname><port>995</port><socketType>SSL</socketType>
      <username>%EMAILADDRESS%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>imap.%EMAILDOMAIN%</hostname><port>143</port><socketType>STARTTLS</socketType>
      <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication>
    </incomingServer>
    <incomingServer type="imap">
      <hostname>secure.%EMAILDOMAIN%</hostname><port>993</port><socketType>SSL</socketType>
      <username>%EMAILLOCALPART%</username><authentication>password-cleartext</authentication>
    </incomingServer>
  </emailProvider>
</clientConfig>`

func newAutoconfigServer(t *testing.T, pages map[string]string) *autoconfigServer {
	s := &autoconfigServer{pages: pages}
	s.Server = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.requests = append(s.requests, r.Host+" "+r.URL.RequestURI())
		s.mu.Unlock()
		body, ok := s.pages[r.Host+r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if to, ok := strings.CutPrefix(body, "redirect:"); ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		w.Header().Set("Content-Type", "text/xml")
		io.WriteString(w, body)
	}))
	s.StartTLS()
	t.Cleanup(s.Close)
	return s
}

func (s *autoconfigServer) received() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.requests)
}

// world is a gate on a real store whose every connection is recorded and
// routed to local servers: DNS (port 53) to the fake resolver, HTTPS to
// the autoconfig server, trusted through Gate.TLSConfig.
type world struct {
	gate  *egress.Gate
	store *store.Store
	dns   *egresstest.DNS
	web   *autoconfigServer

	mu    sync.Mutex
	dials []string
}

func newWorld(t *testing.T, dns *egresstest.DNS, pages map[string]string) *world {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "leadminer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	w := &world{gate: privacy.New(st).Gate(), store: st, dns: dns, web: newAutoconfigServer(t, pages)}
	pool := x509.NewCertPool()
	pool.AddCert(w.web.Certificate())
	w.gate.TLSConfig = &tls.Config{RootCAs: pool}
	w.gate.Now = func() time.Time { return time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC) }
	w.gate.Dial = func(ctx context.Context, network, address string) (net.Conn, error) {
		w.mu.Lock()
		w.dials = append(w.dials, network+" "+address)
		w.mu.Unlock()
		if strings.HasSuffix(address, ":53") {
			return w.dns.Dial(ctx, network, address)
		}
		var d net.Dialer
		return d.DialContext(ctx, "tcp", w.web.Listener.Addr().String())
	}
	return w
}

func (w *world) on(t *testing.T, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if err := w.gate.SetEnabled(context.Background(), id, true); err != nil {
			t.Fatal(err)
		}
	}
}

func (w *world) dialled() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.dials)
}

// log is the egress log, oldest first, as "subprocessor outcome".
func (w *world) log(t *testing.T) []string {
	t.Helper()
	events, err := w.store.EgressLog(context.Background(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.Purpose != "Find the IMAP settings of example.com" || e.Records != 0 || e.BytesOut <= 0 {
			t.Errorf("event %+v; want the purpose naming the domain, no person's data, bytes counted", e)
		}
		out = append(out, e.Subprocessor+" "+e.Outcome)
	}
	return out
}

func TestDetectThroughTheRealGate(t *testing.T) {
	const (
		wellKnown = "example.com/.well-known/autoconfig/mail/config-v1.1.xml"
		subdomain = "autoconfig.example.com/mail/config-v1.1.xml"
	)
	tests := []struct {
		name    string
		on      []string
		mx      []net.MX
		srv     map[string][]net.SRV
		pages   map[string]string
		want    autoconfig.Result
		log     []string
		asked   []string // DNS questions
		fetched []string // HTTPS requests
	}{
		{
			name: "a Google Workspace domain is known by its MX alone",
			on:   []string{"dns", "autoconfig"},
			mx:   []net.MX{{Host: "aspmx.l.google.com.", Pref: 1}, {Host: "alt1.aspmx.l.google.com.", Pref: 5}},
			want: autoconfig.Result{Provider: "Google Workspace", Host: "imap.gmail.com", Port: 993, Security: imap.Implicit, OAuth: "google", Source: "mx"},
			log:  []string{"dns 2 records"}, asked: []string{"MX example.com."},
		},
		{
			name: "a Microsoft 365 domain",
			on:   []string{"dns", "autoconfig"},
			mx:   []net.MX{{Host: "example-com.mail.protection.outlook.com.", Pref: 0}},
			want: autoconfig.Result{Provider: "Microsoft 365", Host: "outlook.office365.com", Port: 993, Security: imap.Implicit, OAuth: "microsoft", Source: "mx"},
			log:  []string{"dns 1 record"}, asked: []string{"MX example.com."},
		},
		{
			name: "SRV: IMAPS not offered (target .), IMAP with STARTTLS is",
			on:   []string{"dns", "autoconfig"},
			mx:   []net.MX{{Host: "mx.example.com.", Pref: 10}},
			srv: map[string][]net.SRV{
				"_imaps._tcp.example.com.": {{Target: ".", Port: 0}},
				"_imap._tcp.example.com.":  {{Target: "backup.example.com.", Port: 143, Priority: 20}, {Target: "imap.example.com.", Port: 143, Priority: 10, Weight: 1}},
			},
			pages: map[string]string{subdomain: ispDoc},
			want:  autoconfig.Result{Provider: "example.com", Host: "imap.example.com", Port: 143, Security: imap.StartTLS, Source: "srv"},
			log:   []string{"dns 1 record", "dns 1 record", "dns 2 records"},
			asked: []string{"MX example.com.", "SRV _imaps._tcp.example.com.", "SRV _imap._tcp.example.com."},
		},
		{
			name:  "autoconfig.DOMAIN's document after MX and SRV found nothing",
			on:    []string{"dns", "autoconfig"},
			mx:    []net.MX{{Host: "mx.example.com.", Pref: 10}},
			pages: map[string]string{subdomain: ispDoc},
			want: autoconfig.Result{Provider: "Example ISP", Host: "secure.example.com", Port: 993, Security: imap.Implicit, Username: "me.myself",
				Source: "autoconfig"},
			log:     []string{"dns 1 record", "dns error", "dns error", "autoconfig 200 OK"},
			asked:   []string{"MX example.com.", "SRV _imaps._tcp.example.com.", "SRV _imap._tcp.example.com."},
			fetched: []string{"autoconfig.example.com /mail/config-v1.1.xml?emailaddress=me.myself%40example.com"},
		},
		{
			name:  "DNS off: skipped and reported; the well-known document after a 404",
			on:    []string{"autoconfig"},
			pages: map[string]string{wellKnown: ispDoc},
			want: autoconfig.Result{Provider: "Example ISP", Host: "secure.example.com", Port: 993, Security: imap.Implicit, Username: "me.myself",
				Source: "autoconfig", Skipped: []string{"dns"}},
			log: []string{"autoconfig 404 Not Found", "autoconfig 200 OK"},
			fetched: []string{"autoconfig.example.com /mail/config-v1.1.xml?emailaddress=me.myself%40example.com",
				"example.com /.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=me.myself%40example.com"},
		},
		{
			name:  "every switch off: no connection, nothing logged, the guess and what to turn on",
			mx:    []net.MX{{Host: "aspmx.l.google.com.", Pref: 1}},
			pages: map[string]string{subdomain: ispDoc},
			want: autoconfig.Result{Provider: "example.com", Host: "imap.example.com", Port: 993, Security: imap.Implicit, Source: "guess",
				Note: "These settings are a guess: check them with your mail provider.", Skipped: []string{"dns", "autoconfig"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dns := &egresstest.DNS{MX: map[string][]net.MX{}, SRV: tt.srv}
			if tt.mx != nil {
				dns.MX["example.com."] = tt.mx
			}
			w := newWorld(t, dns, tt.pages)
			w.on(t, tt.on...)
			got, err := autoconfig.Detect(context.Background(), "me.myself@example.com", w.gate)
			if err != nil {
				t.Fatal(err)
			}
			if got.Provider != tt.want.Provider || got.Host != tt.want.Host || got.Port != tt.want.Port || got.Security != tt.want.Security ||
				got.Username != tt.want.Username || got.OAuth != tt.want.OAuth || got.Source != tt.want.Source ||
				(tt.want.Note != "" && got.Note != tt.want.Note) || !slices.Equal(got.Skipped, tt.want.Skipped) {
				t.Errorf("Detect =\n  %+v\nwant\n  %+v", got, tt.want)
			}
			log := w.log(t)
			for i := range log {
				if strings.HasPrefix(log[i], "dns error: ") {
					log[i] = "dns error"
				}
			}
			if !slices.Equal(log, tt.log) {
				t.Errorf("egress log %q; want %q", log, tt.log)
			}
			if a := w.dns.Questions(); !slices.Equal(a, tt.asked) {
				t.Errorf("DNS questions %q; want %q", a, tt.asked)
			}
			if f := w.web.received(); !slices.Equal(f, tt.fetched) {
				t.Errorf("HTTPS requests %q; want %q", f, tt.fetched)
			}
			for _, d := range w.dialled() {
				if !strings.HasSuffix(d, ":53") && !strings.HasSuffix(d, ".example.com:443") && !strings.HasSuffix(d, " example.com:443") {
					t.Errorf("dialled %q: neither DNS nor the domain's autoconfig server", d)
				}
			}
			if len(tt.on) == 0 && len(w.dialled()) != 0 {
				t.Errorf("dialled %v with every switch off", w.dialled())
			}
		})
	}
}

// The gate refuses to follow autoconfig.DOMAIN elsewhere; detection then
// carries on with the well-known path.
func TestARedirectToAnotherHostIsNotFollowed(t *testing.T) {
	w := newWorld(t, &egresstest.DNS{}, map[string]string{
		"autoconfig.example.com/mail/config-v1.1.xml": "redirect:https://evil.example.com/mail/config-v1.1.xml",
		"evil.example.com/mail/config-v1.1.xml":       ispDoc,
	})
	w.on(t, "autoconfig")
	got, err := autoconfig.Detect(context.Background(), "me@example.com", w.gate)
	if err != nil {
		t.Fatal(err)
	}
	if got.Source != "guess" || !slices.Equal(got.Skipped, []string{"dns"}) {
		t.Errorf("Detect = %+v; want the guess (the redirect refused, the well-known path absent)", got)
	}
	want := []string{"autoconfig.example.com /mail/config-v1.1.xml?emailaddress=me%40example.com",
		"example.com /.well-known/autoconfig/mail/config-v1.1.xml?emailaddress=me%40example.com"}
	if r := w.web.received(); !slices.Equal(r, want) {
		t.Errorf("requests %q; want %q, never evil.example.com", r, want)
	}
}
