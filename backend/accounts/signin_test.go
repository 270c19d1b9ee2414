package accounts

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"leadminer/backend/contact"
	"leadminer/backend/contacts"
	"leadminer/backend/export"
	"leadminer/backend/mining"
	"leadminer/backend/oauth"
	"leadminer/backend/oauth/oauthtest"
	"leadminer/backend/secrets"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
	"leadminer/backend/store"
)

// signInFixture is a fake provider, a Dovecot that asks it about tokens,
// and the environment that points the app at both.
type signInFixture struct {
	fake    *oauthtest.Server
	srv     *dovecottest.Server
	browser *oauthtest.Browser
	user    string
}

func newSignInFixture(t *testing.T, provider, sasl string, ttl time.Duration) *signInFixture {
	t.Helper()
	f := &signInFixture{user: "olivia@" + provider + ".example"}
	f.fake = oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Provider(provider), Users: []string{f.user}, AccessTTL: ttl})
	f.srv = dovecottest.Start(t, dovecottest.Options{Users: map[string]string{f.user: "unused-password-" + provider},
		OAuth2IntrospectionURL: f.fake.IntrospectURL})
	f.srv.Deliver(t, f.user, "INBOX",
		[]byte("From: Tom Token <tom@partner.example>\r\nTo: "+f.user+"\r\nSubject: hi\r\nMessage-ID: <oauth-1@x>\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n"))
	env := "LEADMINER_OAUTH_" + strings.ToUpper(provider) + "_"
	t.Setenv(env+"AUTH_URL", f.fake.AuthURL)
	t.Setenv(env+"TOKEN_URL", f.fake.TokenURL)
	t.Setenv(env+"CLIENT_ID", "test-client")
	t.Setenv(env+"IMAP", fmt.Sprintf("127.0.0.1:%d?tls=none&sasl=%s", f.srv.Port, sasl))
	f.browser = oauthtest.NewBrowser(t)
	return f
}

func (f *signInFixture) service(t *testing.T) *Service {
	s := newService(t)
	s.Browser = f.browser.Open
	s.SignInTimeout = 30 * time.Second
	return s
}

// mineAccount mines an account's mailbox and returns the summary.
func mineAccount(t *testing.T, s *Service, a store.Account, progress func(mining.Progress)) (mining.Summary, error) {
	t.Helper()
	src, err := s.OpenSource(context.Background(), a.URI)
	if err != nil {
		return mining.Summary{}, err
	}
	defer src.Close()
	return mining.New(s.Store, s.Log).Run(context.Background(), mining.Request{Source: src}, progress)
}

func TestSignInAddsAnAccountThatMines(t *testing.T) {
	for _, tc := range []struct{ provider, sasl, subprocessor string }{
		{"google", imap.XOAuth2, "google-oauth"},
		{"microsoft", imap.OAuthBearer, "microsoft-oauth"},
	} {
		t.Run(tc.provider+" "+tc.sasl, func(t *testing.T) {
			f := newSignInFixture(t, tc.provider, tc.sasl, time.Hour)
			s := f.service(t)
			ctx := context.Background()
			a, err := s.SignIn(ctx, tc.provider, "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Email != f.user || a.Auth != tc.provider || a.Kind != "imap" {
				t.Errorf("account %+v; want %s signed in with %s", a, f.user, tc.provider)
			}
			last := f.fake.Stats().LastAuthorization
			if last.CodeChallengeMethod != "S256" || !strings.HasPrefix(last.RedirectURI, "http://127.0.0.1:") {
				t.Errorf("authorization request %+v; want PKCE S256 and a loopback redirect", last)
			}
			if pages := f.browser.Pages(); len(pages) != 1 || !strings.Contains(pages[0], "You are signed in") {
				t.Errorf("the browser ended on %q", pages)
			}
			rt, err := s.Keychain.Get(secrets.OAuthRefreshKey(a.URI))
			if err != nil || rt == "" {
				t.Fatalf("refresh token in the keychain: %q, %v", rt, err)
			}
			if on, _ := s.gate().Enabled(ctx, tc.subprocessor); !on {
				t.Errorf("%s is off after the user signed in with it", tc.subprocessor)
			}
			log, _ := s.Store.EgressLog(ctx, "", 0)
			if len(log) != 1 || log[0].Subprocessor != tc.subprocessor || log[0].Outcome != "200 OK" {
				t.Errorf("egress log %+v; want the one token request", log)
			}
			sum, err := mineAccount(t, s, a, nil)
			if err != nil || sum.NewContacts != 1 {
				t.Fatalf("mining the signed-in account: %+v, %v", sum, err)
			}
			if st, _ := s.List(ctx); len(st) != 1 || st[0].State != "ready" {
				t.Errorf("status %+v; want ready", st)
			}
		})
	}
}

func TestARefusedTokenIsRenewedAndMiningGoesOn(t *testing.T) {
	for _, provider := range []string{"google", "microsoft"} {
		t.Run(provider, func(t *testing.T) {
			f := newSignInFixture(t, provider, imap.XOAuth2, time.Hour)
			s := f.service(t)
			a, err := s.SignIn(context.Background(), provider, "")
			if err != nil {
				t.Fatal(err)
			}
			before, _ := s.Keychain.Get(secrets.OAuthRefreshKey(a.URI))
			// The server stops accepting the token the app still thinks valid.
			f.fake.ExpireAccessTokens()
			if sum, err := mineAccount(t, s, a, nil); err != nil || sum.Messages != 1 {
				t.Fatalf("mining after the token was refused: %+v, %v", sum, err)
			}
			if n := f.fake.Stats().Refreshes; n != 1 {
				t.Errorf("%d refreshes; want exactly one", n)
			}
			after, _ := s.Keychain.Get(secrets.OAuthRefreshKey(a.URI))
			if rotated := after != before; rotated != (provider == "microsoft") {
				t.Errorf("refresh token rotated = %v; Microsoft rotates, Google does not", rotated)
			}
		})
	}
}

// The real token source mid-run: the connections drop half-way through the
// fetch and the access token expires with them; the reconnection renews it
// at the provider and the run ends with every message.
func TestATokenExpiringMidRunIsRenewedAndTheRunCompletes(t *testing.T) {
	for _, tc := range []struct{ provider, sasl string }{{"google", imap.XOAuth2}, {"microsoft", imap.OAuthBearer}} {
		t.Run(tc.provider, func(t *testing.T) {
			f := newSignInFixture(t, tc.provider, tc.sasl, time.Hour)
			msgs := make([][]byte, 1500)
			for i := range msgs {
				msgs[i] = []byte(fmt.Sprintf("From: Person %d <p%d@bulk.example>\r\nTo: %s\r\nSubject: n%d\r\nMessage-ID: <mid-%d@x>\r\n"+
					"Date: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n", i, i, f.user, i, i))
			}
			f.srv.Deliver(t, f.user, "INBOX", msgs...)
			proxy := dovecottest.StartProxy(t, f.srv.Addr())
			t.Setenv("LEADMINER_OAUTH_"+strings.ToUpper(tc.provider)+"_IMAP", fmt.Sprintf("127.0.0.1:%d?tls=none&sasl=%s", proxy.Port(), tc.sasl))
			s := f.service(t)
			a, err := s.SignIn(context.Background(), tc.provider, "")
			if err != nil {
				t.Fatal(err)
			}
			proxy.OnCut = f.fake.ExpireAccessTokens
			proxy.CutNext(2, 40_000)
			sum, err := mineAccount(t, s, a, nil)
			if err != nil || sum.Messages != len(msgs)+1 {
				t.Fatalf("mining through the cuts: %+v, %v; want %d messages", sum, err, len(msgs)+1)
			}
			if _, cut := proxy.Stats(); cut == 0 {
				t.Fatal("no connection was cut: the test proved nothing")
			}
			if st := f.fake.Stats(); st.Refreshes == 0 {
				t.Errorf("the expired token was never renewed (%+v)", st)
			}
			if list, _ := s.List(context.Background()); list[0].State != "ready" {
				t.Errorf("after a renewal the account is %q", list[0].State)
			}
		})
	}
}

func TestATokenAboutToExpireIsRenewedBeforeUse(t *testing.T) {
	f := newSignInFixture(t, "google", imap.XOAuth2, time.Hour)
	s := f.service(t)
	now := time.Now()
	s.Now = func() time.Time { return now }
	a, err := s.SignIn(context.Background(), "google", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mineAccount(t, s, a, nil); err != nil {
		t.Fatal(err)
	}
	if n := f.fake.Stats().Refreshes; n != 0 {
		t.Fatalf("%d refreshes of a fresh token", n)
	}
	// 56 minutes later four are left: inside the five-minute margin.
	now = now.Add(56 * time.Minute)
	if _, err := mineAccount(t, s, a, nil); err != nil {
		t.Fatal(err)
	}
	st := f.fake.Stats()
	if st.Refreshes != 1 {
		t.Errorf("%d refreshes; want the token renewed once before the login", st.Refreshes)
	}
	if st.LastError != "" {
		t.Errorf("the provider refused something: %s", st.LastError)
	}
}

func TestARevokedSignInNeedsAReconnect(t *testing.T) {
	f := newSignInFixture(t, "microsoft", imap.XOAuth2, time.Hour)
	s := f.service(t)
	ctx := context.Background()
	a, err := s.SignIn(ctx, "microsoft", "")
	if err != nil {
		t.Fatal(err)
	}
	f.fake.RevokeAll()
	f.fake.ExpireAccessTokens()
	_, err = mineAccount(t, s, a, nil)
	var ie *imap.Error
	if !errors.As(err, &ie) || ie.Kind != imap.KindToken || !strings.Contains(ie.Message, "reconnect") {
		t.Fatalf("mining with a revoked sign-in: %v; want a token error that says reconnect", err)
	}
	list, _ := s.List(ctx)
	if len(list) != 1 || list[0].State != "needs-reconnect" || !strings.Contains(list[0].Message, "Microsoft") ||
		strings.Contains(list[0].Message, "\n") {
		t.Fatalf("status %+v; want needs-reconnect naming Microsoft on one line", list)
	}
	if _, err := s.OpenSource(ctx, a.URI); !errors.Is(err, oauth.ErrRevoked) {
		t.Errorf("opening it again: %v; want ErrRevoked without asking the server", err)
	}
	if _, err := s.Reconnect(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if list, _ = s.List(ctx); list[0].State != "ready" {
		t.Errorf("after reconnecting: %+v", list[0])
	}
	if sum, err := mineAccount(t, s, a, nil); err != nil || sum.Messages != 1 {
		t.Errorf("mining after reconnecting: %+v, %v", sum, err)
	}
	if hint := f.fake.Stats().LastAuthorization.LoginHint; hint != f.user {
		t.Errorf("the reconnect's login hint is %q; want %s", hint, f.user)
	}
}

func TestADeniedSignInAddsNothing(t *testing.T) {
	f := newSignInFixture(t, "google", imap.XOAuth2, time.Hour)
	s := f.service(t)
	f.fake.Deny()
	_, err := s.SignIn(context.Background(), "google", "")
	if !errors.Is(err, oauth.ErrDenied) {
		t.Fatalf("SignIn = %v; want ErrDenied", err)
	}
	if list, _ := s.List(context.Background()); len(list) != 0 {
		t.Errorf("accounts after a denial: %+v", list)
	}
	if pages := f.browser.Pages(); len(pages) != 1 || !strings.Contains(pages[0], "not allowed") {
		t.Errorf("the browser ended on %q", pages)
	}
}

func TestRemovingTheLastSignedInAccountForgetsItsTokenAndSwitchesTheServiceOff(t *testing.T) {
	f := newSignInFixture(t, "google", imap.XOAuth2, time.Hour)
	s := f.service(t)
	ctx := context.Background()
	a, err := s.SignIn(ctx, "google", "")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Remove(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Keychain.Get(secrets.OAuthRefreshKey(a.URI)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("the refresh token is still in the keychain: %v", err)
	}
	if on, _ := s.gate().Enabled(ctx, "google-oauth"); on {
		t.Error("Google sign-in is still switched on with no Google account left")
	}
}

func TestTokensAppearNowhereButTheKeychain(t *testing.T) {
	f := newSignInFixture(t, "microsoft", imap.OAuthBearer, time.Hour)
	s := f.service(t)
	var logs bytes.Buffer
	s.Log = slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	ctx := context.Background()
	a, err := s.SignIn(ctx, "microsoft", "")
	if err != nil {
		t.Fatal(err)
	}
	f.fake.ExpireAccessTokens() // a refresh too, so a rotated token is issued
	var events bytes.Buffer
	enc := json.NewEncoder(&events)
	if _, err := mineAccount(t, s, a, func(p mining.Progress) { enc.Encode(p) }); err != nil {
		t.Fatal(err)
	}
	dir := filepath.Dir(s.Store.Path())
	csv := filepath.Join(dir, "contacts.csv")
	if _, err := export.WriteFile(csv, export.FormatCSV, export.Options{}, func(yield func(contact.Contact) error) error {
		return contacts.New(s.Store).List(ctx, store.Query{All: true}, yield)
	}); err != nil {
		t.Fatal(err)
	}
	if events.Len() == 0 || logs.Len() == 0 {
		t.Fatalf("nothing to search: %d bytes of progress, %d of logs", events.Len(), logs.Len())
	}
	tokens := f.fake.IssuedTokens()
	if len(tokens) < 3 {
		t.Fatalf("only %d tokens issued; want an access, a refresh and a renewed one", len(tokens))
	}
	haystacks := map[string][]byte{"logs": logs.Bytes(), "progress events": events.Bytes()}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil {
			haystacks[e.Name()] = b
		}
	}
	if _, ok := haystacks["leadminer.db"]; !ok {
		t.Fatalf("the database is not where the search looks: %v", entries)
	}
	for name, b := range haystacks {
		for _, tok := range tokens {
			if bytes.Contains(b, []byte(tok)) {
				t.Errorf("a token appears in %s", name)
			}
		}
	}
}
