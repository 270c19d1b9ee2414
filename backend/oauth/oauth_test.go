package oauth_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"
	"golang.org/x/oauth2"

	"leadminer/backend/egress"
	"leadminer/backend/oauth"
	"leadminer/backend/oauth/oauthtest"
	"leadminer/backend/privacy"
	"leadminer/backend/secrets"
	"leadminer/backend/source/imap"
	"leadminer/backend/store"
)

func newGate(t *testing.T) (*egress.Gate, *store.Store) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "leadminer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return privacy.New(st).Gate(), st
}

// provider points a provider at a fake server.
func provider(t *testing.T, id string, fake *oauthtest.Server) oauth.Provider {
	t.Helper()
	env := "LEADMINER_OAUTH_" + strings.ToUpper(id) + "_"
	t.Setenv(env+"AUTH_URL", fake.AuthURL)
	t.Setenv(env+"TOKEN_URL", fake.TokenURL)
	t.Setenv(env+"CLIENT_ID", "test-client")
	p, err := oauth.Lookup(context.Background(), id, nil)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type tripwire struct{ used []string }

func (w *tripwire) RoundTrip(r *http.Request) (*http.Response, error) {
	w.used = append(w.used, r.URL.String())
	return nil, errors.New("http.DefaultTransport is not allowed")
}

func TestSignInExchangesTheCodeThroughTheGateOnly(t *testing.T) {
	for _, id := range []string{"google", "microsoft"} {
		t.Run(id, func(t *testing.T) {
			fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Provider(id), Users: []string{"ada@example.test"}})
			p := provider(t, id, fake)
			gate, st := newGate(t)
			gate.SetEnabled(context.Background(), p.Subprocessor, true)
			wire := &tripwire{}
			saved := http.DefaultTransport
			http.DefaultTransport = wire
			t.Cleanup(func() { http.DefaultTransport = saved })

			browser := oauthtest.NewBrowser(t)
			res, err := oauth.SignIn{Provider: p, Gate: gate, OpenBrowser: browser.Open}.Run(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if res.Email != "ada@example.test" || res.Token.RefreshToken == "" || res.Token.AccessToken == "" {
				t.Errorf("result %q %+v", res.Email, res.Token)
			}
			if len(wire.used) != 0 {
				t.Errorf("requests went around the gate: %v", wire.used)
			}
			log, _ := st.EgressLog(context.Background(), "", 0)
			if len(log) != 1 || log[0].Subprocessor != p.Subprocessor {
				t.Errorf("egress log %+v; want the token request", log)
			}
			u, _ := url.Parse(browser.URLs()[0])
			q := u.Query()
			if q.Get("code_challenge_method") != "S256" || q.Get("state") == "" || !strings.Contains(q.Get("scope"), p.Scopes[0]) {
				t.Errorf("authorization URL %s", u)
			}
		})
	}
}

func TestSignInWithTheSwitchOffSendsNothing(t *testing.T) {
	fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Google})
	p := provider(t, "google", fake)
	gate, _ := newGate(t)
	browser := oauthtest.NewBrowser(t)
	_, err := oauth.SignIn{Provider: p, Gate: gate, OpenBrowser: browser.Open}.Run(context.Background())
	var off *egress.OffError
	if !errors.As(err, &off) {
		t.Fatalf("Run = %v; want the switch's error", err)
	}
	if n := fake.Stats().CodeExchanges; n != 0 {
		t.Errorf("%d code exchanges reached the provider", n)
	}
}

func TestSignInWaitsPastARedirectThatIsNotItsOwn(t *testing.T) {
	fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Google})
	p := provider(t, "google", fake)
	gate, _ := newGate(t)
	gate.SetEnabled(context.Background(), p.Subprocessor, true)
	browser := oauthtest.NewBrowser(t)
	open := func(authURL string) error {
		u, _ := url.Parse(authURL)
		redirect := u.Query().Get("redirect_uri")
		// An old tab comes back first, with another state.
		browser.Open(redirect + "?code=stolen&state=not-yours")
		browser.Wait()
		return browser.Open(authURL)
	}
	res, err := oauth.SignIn{Provider: p, Gate: gate, OpenBrowser: open}.Run(context.Background())
	if err != nil || res.Email == "" {
		t.Fatalf("Run = %+v, %v", res, err)
	}
	pages := browser.Pages()
	if len(pages) != 2 || !strings.Contains(pages[0], "not the one LeadMiner is waiting for") || !strings.Contains(pages[1], "You are signed in") {
		t.Errorf("pages %q", pages)
	}
	if n := fake.Stats().CodeExchanges; n != 1 {
		t.Errorf("%d exchanges; the stray code must not be exchanged", n)
	}
}

func TestSignInErrors(t *testing.T) {
	fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Google})
	p := provider(t, "google", fake)
	gate, _ := newGate(t)
	gate.SetEnabled(context.Background(), p.Subprocessor, true)
	noID := p
	noID.ClientID = ""
	for _, tc := range []struct {
		name    string
		p       oauth.Provider
		open    func(string) error
		timeout time.Duration
		deny    bool
		want    string
		is      error
	}{
		{"no client id", noID, func(string) error { return nil }, 0, false, "LEADMINER_OAUTH_GOOGLE_CLIENT_ID", oauth.ErrNoClientID},
		{"denied", p, nil, 0, true, "not granted", oauth.ErrDenied},
		{"no browser", p, func(string) error { return errors.New("no display") }, 0, false, "open this address yourself", nil},
		{"never comes back", p, func(string) error { return nil }, 200 * time.Millisecond, false, "not finished in the browser", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			browser := oauthtest.NewBrowser(t)
			open := tc.open
			if open == nil {
				open = browser.Open
			}
			if tc.deny {
				fake.Deny()
			}
			_, err := oauth.SignIn{Provider: tc.p, Gate: gate, OpenBrowser: open, Timeout: tc.timeout}.Run(context.Background())
			if err == nil || !strings.Contains(err.Error(), tc.want) || (tc.is != nil && !errors.Is(err, tc.is)) {
				t.Errorf("Run = %v; want %q", err, tc.want)
			}
		})
	}
}

func TestLookupReadsTheEnvironment(t *testing.T) {
	for _, tc := range []struct {
		imap    string
		want    imap.Config
		wantErr bool
	}{
		{"127.0.0.1:10143?tls=none", imap.Config{Host: "127.0.0.1", Port: 10143, Security: imap.None, Mechanism: imap.XOAuth2}, false},
		{"localhost:993?tls=implicit&sasl=oauthbearer", imap.Config{Host: "localhost", Port: 993, Security: imap.Implicit, Mechanism: imap.OAuthBearer}, false},
		{"imap.example:143", imap.Config{Host: "imap.example", Port: 143, Security: imap.Implicit, Mechanism: imap.XOAuth2}, false},
		{"no-port", imap.Config{}, true},
		{"h:99999", imap.Config{}, true},
		{"h:993?sasl=plain", imap.Config{}, true},
	} {
		t.Setenv("LEADMINER_OAUTH_MICROSOFT_IMAP", tc.imap)
		p, err := oauth.Lookup(context.Background(), "microsoft", nil)
		if (err != nil) != tc.wantErr {
			t.Errorf("%q: err %v", tc.imap, err)
			continue
		}
		if err != nil {
			continue
		}
		got := p.IMAPConfig("")
		if got.Host != tc.want.Host || got.Port != tc.want.Port || got.Security != tc.want.Security || got.Mechanism != tc.want.Mechanism {
			t.Errorf("%q: %+v; want %+v", tc.imap, got, tc.want)
		}
	}
	if _, err := oauth.Lookup(context.Background(), "yahoo", nil); !errors.Is(err, oauth.ErrUnknownProvider) {
		t.Errorf("Lookup(yahoo) = %v", err)
	}
}

type settings map[string]string

func (s settings) Setting(_ context.Context, key string) (string, error) { return s[key], nil }

func TestClientIDsComeFromSettingsOverTheEnvironment(t *testing.T) {
	t.Setenv("LEADMINER_OAUTH_GOOGLE_CLIENT_ID", "from-env")
	p, _ := oauth.Lookup(context.Background(), "google", settings{"oauth:google:client_id": "from-settings"})
	if p.ClientID != "from-settings" {
		t.Errorf("client id %q; want the user's setting", p.ClientID)
	}
	p, _ = oauth.Lookup(context.Background(), "google", settings{})
	if p.ClientID != "from-env" {
		t.Errorf("client id %q; want the environment's", p.ClientID)
	}
}

func TestTokenSourceRenewsAtTheRightTime(t *testing.T) {
	keyring.MockInit()
	fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Google})
	p := provider(t, "google", fake)
	gate, _ := newGate(t)
	gate.SetEnabled(context.Background(), p.Subprocessor, true)
	res, err := oauth.SignIn{Provider: p, Gate: gate, OpenBrowser: oauthtest.NewBrowser(t).Open}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	k := secrets.Keychain{}
	k.Set("rt", res.Token.RefreshToken)
	start := time.Now()
	for _, tc := range []struct {
		name     string
		lifetime time.Duration
		after    time.Duration
		renews   bool
	}{
		{"an hour-long token, just issued", time.Hour, 0, false},
		{"an hour-long token with six minutes left", time.Hour, 54 * time.Minute, false},
		{"an hour-long token with four minutes left", time.Hour, 56 * time.Minute, true},
		{"a two-minute token, just issued", 2 * time.Minute, 0, false},
		{"a two-minute token past half its life", 2 * time.Minute, 61 * time.Second, true},
		{"an expired token", time.Hour, 2 * time.Hour, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			now := start
			ts := &oauth.TokenSource{Provider: p, Gate: gate, Keychain: k, Key: "rt", Now: func() time.Time { return now }}
			ts.Seed(&oauth2.Token{AccessToken: "seeded", Expiry: start.Add(tc.lifetime)})
			now = start.Add(tc.after)
			before := fake.Stats().Refreshes
			tok, err := ts.Token(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if renewed := fake.Stats().Refreshes > before; renewed != tc.renews || (tok == "seeded") == tc.renews {
				t.Errorf("renewed = %v (token %q); want %v", renewed, tok, tc.renews)
			}
		})
	}
}

func TestARevokedRefreshTokenIsReportedOnce(t *testing.T) {
	keyring.MockInit()
	fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Microsoft})
	p := provider(t, "microsoft", fake)
	gate, _ := newGate(t)
	gate.SetEnabled(context.Background(), p.Subprocessor, true)
	res, err := oauth.SignIn{Provider: p, Gate: gate, OpenBrowser: oauthtest.NewBrowser(t).Open}.Run(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	k := secrets.Keychain{}
	k.Set("rt-ms", res.Token.RefreshToken)
	var told []error
	ts := &oauth.TokenSource{Provider: p, Gate: gate, Keychain: k, Key: "rt-ms", Revoked: func(err error) { told = append(told, err) }}
	fake.RevokeAll()
	_, err = ts.Refresh(context.Background())
	if !errors.Is(err, oauth.ErrRevoked) || strings.Contains(err.Error(), "\n") || !strings.Contains(err.Error(), "AADSTS") {
		t.Errorf("Refresh = %q; want ErrRevoked with the provider's reason on one line", err)
	}
	if len(told) != 1 {
		t.Errorf("told %d times", len(told))
	}
	k.Delete("rt-ms")
	if _, err := ts.Refresh(context.Background()); !errors.Is(err, oauth.ErrRevoked) {
		t.Errorf("without the keychain entry: %v", err)
	}
}
