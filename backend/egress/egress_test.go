package egress_test

import (
	"context"
	"errors"
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

	"leadminer/backend/egress"
	"leadminer/backend/egress/egresstest"
	"leadminer/backend/privacy"
	"leadminer/backend/store"
)

func openStore(t *testing.T, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// recorder is a dialer that records every connection the gate opens and
// then dials for real (or fails with refuse, when set).
type recorder struct {
	mu     sync.Mutex
	dials  []string // "network address"
	refuse error
}

func (r *recorder) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	r.mu.Lock()
	r.dials = append(r.dials, network+" "+address)
	refuse := r.refuse
	r.mu.Unlock()
	if refuse != nil {
		return nil, refuse
	}
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

func (r *recorder) list() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.dials)
}

// fixedNow is the clock of the gates under test: the log must use it.
var fixedNow = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

// newGate returns a gate on a fresh store, with a recording dialer and a
// fixed clock.
func newGate(t *testing.T) (*egress.Gate, *store.Store, *recorder) {
	t.Helper()
	st := openStore(t, filepath.Join(t.TempDir(), "leadminer.db"))
	g := privacy.New(st).Gate()
	rec := &recorder{}
	g.Dial = rec.Dial
	g.Now = func() time.Time { return fixedNow }
	return g, st, rec
}

func egressLog(t *testing.T, st *store.Store, subject string) []store.EgressEvent {
	t.Helper()
	log, err := st.EgressLog(context.Background(), subject, 0)
	if err != nil {
		t.Fatal(err)
	}
	return log
}

// countingServer is a test server that counts the requests it receives.
type countingServer struct {
	*httptest.Server
	mu   sync.Mutex
	hits int
	body []byte
}

func newServer(t *testing.T, status int) *countingServer {
	t.Helper()
	s := &countingServer{}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.hits++
		s.body = b
		s.mu.Unlock()
		w.WriteHeader(status)
		w.Write([]byte("answer"))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *countingServer) received() (int, []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits, s.body
}

func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

func TestRegistryEntriesSayWhatTheyAreForAndWhatTheyReceive(t *testing.T) {
	if len(egress.Registry) == 0 {
		t.Fatal("the registry is empty")
	}
	seen := map[string]bool{}
	for _, sp := range egress.Registry {
		t.Run(sp.ID, func(t *testing.T) {
			if sp.ID == "" || strings.TrimSpace(sp.ID) != sp.ID || strings.ContainsAny(sp.ID, " \t") {
				t.Errorf("id %q: want a non-empty id without spaces", sp.ID)
			}
			if seen[sp.ID] {
				t.Errorf("id %q is registered twice", sp.ID)
			}
			seen[sp.ID] = true
			for field, v := range map[string]string{"name": sp.Name, "purpose": sp.Purpose, "region": sp.Region} {
				if strings.TrimSpace(v) == "" {
					t.Errorf("%s has no %s", sp.ID, field)
				}
			}
			if len(sp.Data) == 0 {
				t.Errorf("%s lists no data categories", sp.ID)
			}
			for _, d := range sp.Data {
				if strings.TrimSpace(d) == "" {
					t.Errorf("%s has an empty data category in %q", sp.ID, sp.Data)
				}
			}
			if sp.Website != "" && !strings.HasPrefix(sp.Website, "https://") {
				t.Errorf("%s website %q is not an https address", sp.ID, sp.Website)
			}
			got, ok := egress.Lookup(sp.ID)
			if !ok || got.ID != sp.ID || got.Name != sp.Name || got.Purpose != sp.Purpose {
				t.Errorf("Lookup(%q) = %+v, %v; want the registry entry", sp.ID, got, ok)
			}
		})
	}
	// LookupMX falls back to "dns": it must be registered.
	if _, ok := egress.Lookup("dns"); !ok {
		t.Error(`the "dns" subprocessor LookupMX uses by default is not registered`)
	}
}

func TestLookupOfAnUnknownIDFindsNothing(t *testing.T) {
	for _, id := range []string{"", "nope", "ZeroBounce", " zerobounce", "zerobounce ", "subprocessor:zerobounce"} {
		sp, ok := egress.Lookup(id)
		if ok || sp.ID != "" || sp.Name != "" {
			t.Errorf("Lookup(%q) = %+v, %v; want nothing", id, sp, ok)
		}
	}
}

func TestEverySubprocessorIsOffByDefault(t *testing.T) {
	g, _, _ := newGate(t)
	ctx := context.Background()
	for _, sp := range egress.Registry {
		on, err := g.Enabled(ctx, sp.ID)
		if err != nil || on {
			t.Errorf("%s on a fresh store: Enabled = %v, %v; want off", sp.ID, on, err)
		}
	}
}

func TestSetEnabledRoundTripsAndPersistsAcrossAReopenedStore(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "leadminer.db")
	st := openStore(t, path)
	g := privacy.New(st).Gate()
	steps := []struct {
		id string
		on bool
	}{
		{"zerobounce", true},
		{"mailercheck", true},
		{"mailercheck", false}, // on then off again
		{"dns", true},
		{"dns", true}, // setting twice is harmless
	}
	want := map[string]bool{}
	for _, s := range steps {
		if err := g.SetEnabled(ctx, s.id, s.on); err != nil {
			t.Fatalf("SetEnabled(%s, %v): %v", s.id, s.on, err)
		}
		want[s.id] = s.on
		if on, err := g.Enabled(ctx, s.id); err != nil || on != s.on {
			t.Errorf("after SetEnabled(%s, %v): Enabled = %v, %v", s.id, s.on, on, err)
		}
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	g = privacy.New(openStore(t, path)).Gate()
	for _, sp := range egress.Registry {
		on, err := g.Enabled(ctx, sp.ID)
		if err != nil || on != want[sp.ID] {
			t.Errorf("%s after reopening the store: Enabled = %v, %v; want %v", sp.ID, on, err, want[sp.ID])
		}
	}
}

func TestSetEnabledOfAnUnknownIDIsRefusedAndStoresNothing(t *testing.T) {
	g, st, _ := newGate(t)
	ctx := context.Background()
	for _, id := range []string{"nope", "", "ZeroBounce"} {
		for _, on := range []bool{true, false} {
			err := g.SetEnabled(ctx, id, on)
			if !errors.Is(err, egress.ErrUnknown) {
				t.Errorf("SetEnabled(%q, %v) = %v; want ErrUnknown", id, on, err)
			}
			if err != nil && id != "" && !strings.Contains(err.Error(), id) {
				t.Errorf("SetEnabled(%q): error %q does not name the id", id, err)
			}
			if v, _ := st.Setting(ctx, "subprocessor:"+id); v != "" {
				t.Errorf("SetEnabled(%q, %v) stored %q", id, on, v)
			}
		}
	}
}

// Only the exact value the gate writes opens a switch: anything else in
// the settings (a hand edit, a future format) leaves it closed.
func TestASwitchIsOnlyOnWhenItsSettingIsExactlyOn(t *testing.T) {
	g, st, rec := newGate(t)
	ctx := context.Background()
	srv := newServer(t, http.StatusOK)
	for _, v := range []string{"", "off", "ON", "On", "true", "1", "yes", " on", "on "} {
		if err := st.SetSetting(ctx, "subprocessor:zerobounce", v); err != nil {
			t.Fatal(err)
		}
		if on, err := g.Enabled(ctx, "zerobounce"); err != nil || on {
			t.Errorf("setting %q: Enabled = %v, %v; want off", v, on, err)
		}
		req, _ := http.NewRequest("GET", srv.URL, nil)
		var off *egress.OffError
		if _, err := g.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify"}, req); !errors.As(err, &off) {
			t.Errorf("setting %q: Do = %v; want an OffError", v, err)
		}
	}
	if d := rec.list(); len(d) != 0 {
		t.Errorf("connections opened: %v", d)
	}
}

func TestDoWithTheSwitchOffIsRefusedWithoutConnectingOrLogging(t *testing.T) {
	for _, turnedOff := range []bool{false, true} {
		name := "off by default"
		if turnedOff {
			name = "switched on then off"
		}
		t.Run(name, func(t *testing.T) {
			g, st, rec := newGate(t)
			ctx := context.Background()
			srv := newServer(t, http.StatusOK)
			for _, sp := range egress.Registry {
				if turnedOff {
					if err := g.SetEnabled(ctx, sp.ID, true); err != nil {
						t.Fatal(err)
					}
					if err := g.SetEnabled(ctx, sp.ID, false); err != nil {
						t.Fatal(err)
					}
				}
				req, _ := http.NewRequest("POST", srv.URL, strings.NewReader("email=someone@example.com"))
				resp, err := g.Do(ctx, egress.Call{Subprocessor: sp.ID, Purpose: "verify", Subjects: []string{"s1"}}, req)
				if resp != nil {
					t.Errorf("%s: a response came back from a switched-off subprocessor", sp.ID)
				}
				var off *egress.OffError
				if !errors.As(err, &off) {
					t.Errorf("%s: Do = %v; want an *OffError", sp.ID, err)
					continue
				}
				if off.Subprocessor.ID != sp.ID {
					t.Errorf("%s: the OffError is about %q", sp.ID, off.Subprocessor.ID)
				}
				msg := err.Error()
				for _, want := range []string{sp.Name, "switched off", "turn it on in Privacy > Subprocessors", lowerFirst(sp.Purpose)} {
					if !strings.Contains(msg, want) {
						t.Errorf("%s: message %q lacks %q", sp.ID, msg, want)
					}
				}
			}
			if d := rec.list(); len(d) != 0 {
				t.Errorf("connections opened with the switches off: %v", d)
			}
			if n, _ := srv.received(); n != 0 {
				t.Errorf("the server received %d requests", n)
			}
			if log := egressLog(t, st, ""); len(log) != 0 {
				t.Errorf("refused calls were logged: %+v", log)
			}
		})
	}
}

func TestDoForAnUnregisteredSubprocessorIsRefused(t *testing.T) {
	g, st, rec := newGate(t)
	ctx := context.Background()
	srv := newServer(t, http.StatusOK)
	// Even a switch set to "on" behind the gate's back does not register it.
	if err := st.SetSetting(ctx, "subprocessor:evil", "on"); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"evil", "nope", "", "ZeroBounce"} {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		resp, err := g.Do(ctx, egress.Call{Subprocessor: id, Purpose: "test"}, req)
		if resp != nil || !errors.Is(err, egress.ErrUnknown) {
			t.Errorf("Do(%q) = %v, %v; want ErrUnknown", id, resp, err)
		}
		var off *egress.OffError
		if errors.As(err, &off) {
			t.Errorf("Do(%q): an unknown service is reported as a switched-off one: %v", id, err)
		}
		if err != nil && id != "" && !strings.Contains(err.Error(), id) {
			t.Errorf("Do(%q): error %q does not name the service", id, err)
		}
	}
	if d := rec.list(); len(d) != 0 {
		t.Errorf("connections opened for unknown services: %v", d)
	}
	if n, _ := srv.received(); n != 0 {
		t.Errorf("the server received %d requests", n)
	}
	if log := egressLog(t, st, ""); len(log) != 0 {
		t.Errorf("refused calls were logged: %+v", log)
	}
}

func TestDoWithTheSwitchOnGoesThroughTheGateDialerAndIsLogged(t *testing.T) {
	tests := []struct {
		name     string
		sp       string
		method   string
		body     string
		header   map[string]string
		subjects []string
		status   int
		outcome  string
	}{
		{name: "GET without data about anyone", sp: "autoconfig", method: "GET", status: http.StatusOK, outcome: "200 OK"},
		{name: "POST carrying one person", sp: "zerobounce", method: "POST", body: "email=zoltan@example.com",
			subjects: []string{"subject-zoltan"}, status: http.StatusOK, outcome: "200 OK"},
		{name: "POST carrying three people, with a header", sp: "openrouter", method: "POST",
			body:     `{"messages":["` + strings.Repeat("signature ", 50) + `"]}`,
			header:   map[string]string{"Authorization": "Bearer " + strings.Repeat("k", 200), "Content-Type": "application/json"},
			subjects: []string{"subject-a", "subject-b", "subject-c"}, status: http.StatusCreated, outcome: "201 Created"},
		{name: "a server error is still a call that left", sp: "mailercheck", method: "POST", body: "emails=a@b.example",
			subjects: []string{"subject-a"}, status: http.StatusInternalServerError, outcome: "500 Internal Server Error"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, st, rec := newGate(t)
			ctx := context.Background()
			srv := newServer(t, tc.status)
			if err := g.SetEnabled(ctx, tc.sp, true); err != nil {
				t.Fatal(err)
			}
			var body io.Reader
			if tc.body != "" {
				body = strings.NewReader(tc.body)
			}
			req, err := http.NewRequest(tc.method, srv.URL+"/v1/check", body)
			if err != nil {
				t.Fatal(err)
			}
			headerBytes := 0
			for k, v := range tc.header {
				req.Header.Set(k, v)
				headerBytes += len(k) + len(v)
			}
			call := egress.Call{Subprocessor: tc.sp, Purpose: "purpose of " + tc.name, Subjects: tc.subjects}
			resp, err := g.Do(ctx, call, req)
			if err != nil {
				t.Fatalf("Do: %v", err)
			}
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || string(got) != "answer" {
				t.Errorf("response %d %q; want %d \"answer\"", resp.StatusCode, got, tc.status)
			}

			// The request reached the server whole, through the gate's dialer.
			if n, b := srv.received(); n != 1 || string(b) != tc.body {
				t.Errorf("server received %d requests, last body %q; want 1 with %q", n, b, tc.body)
			}
			if d := rec.list(); len(d) != 1 || d[0] != "tcp "+srv.Listener.Addr().String() {
				t.Errorf("dialled %v; want the one connection to %s through Gate.Dial", d, srv.Listener.Addr())
			}

			log := egressLog(t, st, "")
			if len(log) != 1 {
				t.Fatalf("log %+v; want one event", log)
			}
			e := log[0]
			if e.Subprocessor != tc.sp || e.Purpose != call.Purpose || e.Records != len(tc.subjects) || e.Outcome != tc.outcome {
				t.Errorf("event %+v; want subprocessor %s, purpose %q, %d records, outcome %q",
					e, tc.sp, call.Purpose, len(tc.subjects), tc.outcome)
			}
			if min := int64(len(tc.body) + len(req.URL.String()) + headerBytes); e.BytesOut < min {
				t.Errorf("bytes out %d; want at least body + URL + headers = %d", e.BytesOut, min)
			}
			if !e.At.Equal(fixedNow) {
				t.Errorf("logged at %v; want the gate's clock %v", e.At, fixedNow)
			}
			for _, s := range tc.subjects {
				if l := egressLog(t, st, s); len(l) != 1 || l[0].ID != e.ID {
					t.Errorf("EgressLog(%s) = %+v; want the call that carried their data", s, l)
				}
			}
			if l := egressLog(t, st, "subject-not-sent"); len(l) != 0 {
				t.Errorf("a person whose data was not sent is linked to %+v", l)
			}
		})
	}
}

func TestAFailedCallIsLoggedWithItsErrorAndTheErrorReturned(t *testing.T) {
	errRefused := errors.New("connection refused by the test")
	tests := []struct {
		name  string
		setup func(t *testing.T, rec *recorder) string // returns the URL to call
		is    error
	}{
		{name: "server closed", setup: func(t *testing.T, rec *recorder) string {
			srv := httptest.NewServer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {}))
			url := srv.URL
			srv.Close()
			return url
		}},
		{name: "dial refused", setup: func(t *testing.T, rec *recorder) string {
			rec.refuse = errRefused
			return "http://api.zerobounce.invalid/v2/validate"
		}, is: errRefused},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			g, st, rec := newGate(t)
			ctx := context.Background()
			if err := g.SetEnabled(ctx, "zerobounce", true); err != nil {
				t.Fatal(err)
			}
			url := tc.setup(t, rec)
			req, _ := http.NewRequest("POST", url, strings.NewReader("email=a@b.example"))
			resp, err := g.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify", Subjects: []string{"s1", "s2"}}, req)
			if err == nil || resp != nil {
				t.Fatalf("Do = %v, %v; want the failure", resp, err)
			}
			if tc.is != nil && !errors.Is(err, tc.is) {
				t.Errorf("Do = %v; want it to wrap the dialer's %v", err, tc.is)
			}
			if len(rec.list()) == 0 {
				t.Error("the call did not go through Gate.Dial")
			}
			log := egressLog(t, st, "")
			if len(log) != 1 {
				t.Fatalf("log %+v; want the attempt logged once", log)
			}
			// The log holds the transport's error; the caller's adds the URL.
			if e := log[0]; !strings.HasPrefix(e.Outcome, "error: ") || !strings.Contains(err.Error(), strings.TrimPrefix(e.Outcome, "error: ")) ||
				e.Subprocessor != "zerobounce" || e.Records != 2 || e.BytesOut < int64(len("email=a@b.example")) {
				t.Errorf("event %+v; want zerobounce, 2 records, an error outcome that is part of %q", e, err.Error())
			}
			if l := egressLog(t, st, "s2"); len(l) != 1 {
				t.Errorf("the failed attempt is not linked to its subjects: %+v", l)
			}
		})
	}
}

// The log is written even when the caller's context is cancelled while the
// request is in flight: data may already have left.
func TestACallCancelledInFlightIsStillLogged(t *testing.T) {
	g, st, _ := newGate(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if err := g.SetEnabled(ctx, "openrouter", true); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.ReadAll(r.Body)
		cancel() // the body has arrived; the caller gives up
		select {
		case <-r.Context().Done():
		case <-time.After(10 * time.Second):
		}
	}))
	defer srv.Close()
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader("signature text"))
	_, err := g.Do(ctx, egress.Call{Subprocessor: "openrouter", Purpose: "read signatures", Subjects: []string{"s1"}}, req)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("Do = %v; want context.Canceled", err)
	}
	log := egressLog(t, st, "s1")
	if len(log) != 1 || !strings.HasPrefix(log[0].Outcome, "error: ") || log[0].Records != 1 {
		t.Errorf("log %+v; want the cancelled call logged with an error outcome", log)
	}
}

// failingStore cannot read its settings; it records what it is asked to
// log. Its Setting returns "on" along with the error, the worst a store
// could do: the gate must go by the error, not the value.
type failingStore struct {
	err    error
	logged []egress.Event
}

func (f *failingStore) Setting(context.Context, string) (string, error)  { return "on", f.err }
func (f *failingStore) SetSetting(context.Context, string, string) error { return f.err }
func (f *failingStore) LogEgress(_ context.Context, e egress.Event) error {
	f.logged = append(f.logged, e)
	return nil
}

func TestASwitchThatCannotBeReadRefusesTheCall(t *testing.T) {
	broken := errors.New("database is locked")
	fs := &failingStore{err: broken}
	g := egress.New(fs)
	rec := &recorder{}
	g.Dial = rec.Dial
	ctx := context.Background()
	if on, err := g.Enabled(ctx, "zerobounce"); on || !errors.Is(err, broken) {
		t.Errorf("Enabled = %v, %v; want off (fail closed) and the store's error", on, err)
	}
	srv := newServer(t, http.StatusOK)
	req, _ := http.NewRequest("GET", srv.URL, nil)
	if _, err := g.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify"}, req); !errors.Is(err, broken) {
		t.Errorf("Do = %v; want the store's error", err)
	}
	if _, err := g.LookupMX(ctx, egress.Call{Purpose: "verify"}, "example.test"); !errors.Is(err, broken) {
		t.Errorf("LookupMX = %v; want the store's error", err)
	}
	if d := rec.list(); len(d) != 0 {
		t.Errorf("connections opened without a readable switch: %v", d)
	}
	if len(fs.logged) != 0 {
		t.Errorf("refused calls were logged: %+v", fs.logged)
	}
}

func TestLookupMXWithTheSwitchOffIsRefusedWithoutDialling(t *testing.T) {
	for _, tc := range []struct {
		name  string
		setup func(g *egress.Gate) error
	}{
		{"off by default", func(*egress.Gate) error { return nil }},
		{"switched on then off", func(g *egress.Gate) error {
			if err := g.SetEnabled(context.Background(), "dns", true); err != nil {
				return err
			}
			return g.SetEnabled(context.Background(), "dns", false)
		}},
		{"another subprocessor on does not open DNS", func(g *egress.Gate) error {
			return g.SetEnabled(context.Background(), "zerobounce", true)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, st, _ := newGate(t)
			dns := &egresstest.DNS{MX: map[string][]net.MX{"example.test.": {{Host: "mx.example.test.", Pref: 10}}}}
			g.Dial = dns.Dial
			if err := tc.setup(g); err != nil {
				t.Fatal(err)
			}
			mx, err := g.LookupMX(context.Background(), egress.Call{Purpose: "verify", Subjects: []string{"s1"}}, "example.test")
			var off *egress.OffError
			if !errors.As(err, &off) || off.Subprocessor.ID != "dns" || mx != nil {
				t.Fatalf("LookupMX = %v, %v; want an OffError for dns", mx, err)
			}
			dnsSP, _ := egress.Lookup("dns")
			if !strings.Contains(err.Error(), dnsSP.Name) || !strings.Contains(err.Error(), "Privacy > Subprocessors") {
				t.Errorf("message %q does not name the DNS switch", err)
			}
			if dials := dns.Dials(); len(dials) != 0 {
				t.Errorf("dialled %v with DNS off", dials)
			}
			if log := egressLog(t, st, ""); len(log) != 0 {
				t.Errorf("a refused lookup was logged: %+v", log)
			}
		})
	}
}

func TestLookupMXWithTheSwitchOnResolvesThroughTheGateDialerAndIsLogged(t *testing.T) {
	g, st, _ := newGate(t)
	ctx := context.Background()
	dns := &egresstest.DNS{MX: map[string][]net.MX{"example.test.": {
		{Host: "mx2.example.test.", Pref: 20},
		{Host: "mx1.example.test.", Pref: 10},
	}}}
	g.Dial = dns.Dial
	if err := g.SetEnabled(ctx, "dns", true); err != nil {
		t.Fatal(err)
	}
	call := egress.Call{Purpose: "check the domain accepts mail", Subjects: []string{"subject-a", "subject-b"}}
	mx, err := g.LookupMX(ctx, call, "example.test")
	if err != nil {
		t.Fatalf("LookupMX: %v", err)
	}
	if len(mx) != 2 || mx[0].Host != "mx1.example.test." || mx[0].Pref != 10 || mx[1].Host != "mx2.example.test." {
		t.Errorf("MX %+v; want mx1 (10) then mx2 (20) from the fake server", mx)
	}
	dials, questions := dns.Dials(), dns.Questions()
	if len(dials) == 0 {
		t.Fatal("the lookup did not go through Gate.Dial")
	}
	for _, d := range dials {
		if !strings.HasSuffix(d, ":53") || !(strings.HasPrefix(d, "udp ") || strings.HasPrefix(d, "tcp ")) {
			t.Errorf("dialled %q; want a DNS server on port 53", d)
		}
	}
	if !slices.Contains(questions, "MX example.test.") {
		t.Errorf("questions %v; want MX example.test.", questions)
	}

	log := egressLog(t, st, "")
	if len(log) != 1 {
		t.Fatalf("log %+v; want one event", log)
	}
	e := log[0]
	if e.Subprocessor != "dns" || e.Purpose != call.Purpose || e.Records != 2 || e.Outcome != "2 records" ||
		e.BytesOut < int64(len("example.test")) || !e.At.Equal(fixedNow) {
		t.Errorf("event %+v; want dns, %q, 2 records, outcome \"2 records\", bytes ≥ the domain, at %v", e, call.Purpose, fixedNow)
	}
	for _, s := range call.Subjects {
		if l := egressLog(t, st, s); len(l) != 1 || l[0].ID != e.ID {
			t.Errorf("EgressLog(%s) = %+v; want the lookup", s, l)
		}
	}
}

func TestAFailedLookupMXIsLoggedWithItsError(t *testing.T) {
	errRefused := errors.New("no route to the resolver (test)")
	for _, tc := range []struct {
		name   string
		domain string
		refuse error
	}{
		{name: "dial refused", domain: "example.test", refuse: errRefused},
		{name: "no such domain", domain: "missing.test"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, st, _ := newGate(t)
			ctx := context.Background()
			dns := &egresstest.DNS{MX: map[string][]net.MX{"example.test.": {{Host: "mx.example.test.", Pref: 10}}}, Refuse: tc.refuse}
			g.Dial = dns.Dial
			if err := g.SetEnabled(ctx, "dns", true); err != nil {
				t.Fatal(err)
			}
			mx, err := g.LookupMX(ctx, egress.Call{Purpose: "verify", Subjects: []string{"s1"}}, tc.domain)
			if err == nil || len(mx) != 0 {
				t.Fatalf("LookupMX = %v, %v; want an error", mx, err)
			}
			if dials := dns.Dials(); len(dials) == 0 {
				t.Error("the lookup did not go through Gate.Dial")
			}
			log := egressLog(t, st, "s1")
			if len(log) != 1 || log[0].Subprocessor != "dns" || log[0].Outcome != "error: "+err.Error() || log[0].Records != 1 {
				t.Errorf("log %+v; want one dns event with outcome %q", log, "error: "+err.Error())
			}
		})
	}
}

func TestARedirectToAnotherHostIsRefused(t *testing.T) {
	g, st, rec := newGate(t)
	ctx := context.Background()
	if err := g.SetEnabled(ctx, "zerobounce", true); err != nil {
		t.Fatal(err)
	}
	elsewhere := newServer(t, http.StatusOK)
	redirector := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, elsewhere.URL+"/collect", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(redirector.Close)
	// 127.0.0.1 and localhost are different hosts to the gate.
	elsewhere.URL = strings.Replace(elsewhere.URL, "127.0.0.1", "localhost", 1)
	req, _ := http.NewRequest("POST", redirector.URL, strings.NewReader("addresses"))
	_, err := g.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify", Subjects: []string{"s1"}}, req)
	if !errors.Is(err, egress.ErrRedirectElsewhere) {
		t.Fatalf("Do = %v; want ErrRedirectElsewhere", err)
	}
	if hits, _ := elsewhere.received(); hits != 0 {
		t.Errorf("the other host received %d requests", hits)
	}
	if d := rec.list(); len(d) != 1 {
		t.Errorf("dials %v; want only the redirecting server", d)
	}
	// One request left: the one answered by the redirect; the refused one
	// was never sent.
	if log := egressLog(t, st, "s1"); len(log) != 1 || log[0].Outcome != "307 Temporary Redirect" {
		t.Errorf("log %+v; want the one request that was sent", log)
	}
}

func TestARedirectOnTheSameHostIsFollowed(t *testing.T) {
	g, _, _ := newGate(t)
	ctx := context.Background()
	if err := g.SetEnabled(ctx, "zerobounce", true); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/old", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/new", http.StatusFound) })
	mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("moved")) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	req, _ := http.NewRequest("GET", srv.URL+"/old", nil)
	resp, err := g.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify"}, req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if b, _ := io.ReadAll(resp.Body); string(b) != "moved" {
		t.Errorf("body %q; want the redirect followed", b)
	}
}

func TestLookupMXIsAlwaysTheDNSSwitch(t *testing.T) {
	g, st, rec := newGate(t)
	ctx := context.Background()
	if err := g.SetEnabled(ctx, "zerobounce", true); err != nil {
		t.Fatal(err)
	}
	_, err := g.LookupMX(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify"}, "example.test")
	var off *egress.OffError
	if !errors.As(err, &off) || off.Subprocessor.ID != "dns" {
		t.Fatalf("LookupMX naming another service = %v; want the dns switch to decide", err)
	}
	if d := rec.list(); len(d) != 0 {
		t.Errorf("dialled %v", d)
	}
	if log := egressLog(t, st, ""); len(log) != 0 {
		t.Errorf("logged %+v", log)
	}
}

func TestTheOffMessageContinuesTheSentenceWithThePurpose(t *testing.T) {
	for _, tc := range []struct{ purpose, want string }{
		{"Verify addresses", "to verify addresses"},
		{"AI reads signatures", "to AI reads signatures"},
		{"Éditer les fiches", "to éditer les fiches"},
		{"", "Subprocessors to "},
	} {
		msg := (&egress.OffError{Subprocessor: egress.Subprocessor{Name: "X", Purpose: tc.purpose}}).Error()
		if !strings.HasSuffix(msg, tc.want) {
			t.Errorf("purpose %q: %q; want it to end with %q", tc.purpose, msg, tc.want)
		}
	}
}
