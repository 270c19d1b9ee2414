package oauthtest_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"leadminer/backend/oauth/oauthtest"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
)

var providers = []oauthtest.Provider{oauthtest.Google, oauthtest.Microsoft}

const googleSecret = "desktop-client-secret"

// start serves a fake provider as the app would meet it: a Google desktop
// client with its secret, a Microsoft public client without one.
func start(t *testing.T, p oauthtest.Provider, opts oauthtest.Options) *oauthtest.Server {
	t.Helper()
	opts.Provider = p
	if p == oauthtest.Google && opts.ClientSecret == "" {
		opts.ClientSecret = googleSecret
	}
	return oauthtest.Start(t, opts)
}

// callback is the app's loopback listener for the redirect (RFC 8252 §7.3).
type callback struct {
	srv *httptest.Server
	got chan url.Values
}

func startCallback(t *testing.T) *callback {
	c := &callback{got: make(chan url.Values, 10)}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.got <- r.URL.Query()
		io.WriteString(w, "Signed in: you can close this window.")
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *callback) url() string { return c.srv.URL + "/oauth2/callback" }

// config is the app's oauth2.Config for a provider.
func config(s *oauthtest.Server, p oauthtest.Provider, redirect string) *oauth2.Config {
	cfg := &oauth2.Config{ClientID: "test-client", RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: s.AuthURL, TokenURL: s.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
	if p == oauthtest.Google {
		cfg.ClientSecret = googleSecret
		cfg.Scopes = []string{"openid", "email", oauthtest.GoogleMailScope}
	} else {
		cfg.Scopes = []string{"openid", "email", "profile", "offline_access", oauthtest.MicrosoftIMAPScope}
	}
	return cfg
}

// browser fetches the authorization URL without following the redirect,
// as a test that looks at where the provider sends the user.
var browser = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}

// authorize GETs an authorization URL and returns the query the provider
// redirected to.
func authorize(t *testing.T, client *http.Client, authURL string) url.Values {
	t.Helper()
	resp, err := client.Get(authURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("authorization: status %d, want 302\n%s", resp.StatusCode, body)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil {
		t.Fatal(err)
	}
	return loc.Query()
}

// code runs the authorization step and returns the code and verifier.
func code(t *testing.T, cfg *oauth2.Config, opts ...oauth2.AuthCodeOption) (code, verifier string) {
	t.Helper()
	verifier = oauth2.GenerateVerifier()
	q := authorize(t, browser, cfg.AuthCodeURL("state-1", append([]oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}, opts...)...))
	if q.Get("error") != "" {
		t.Fatalf("authorization refused: %s: %s", q.Get("error"), q.Get("error_description"))
	}
	if q.Get("state") != "state-1" || q.Get("code") == "" {
		t.Fatalf("redirect query %v: want a code and state-1", q)
	}
	return q.Get("code"), verifier
}

// signIn runs the whole flow with x/oauth2.
func signIn(t *testing.T, cfg *oauth2.Config, opts ...oauth2.AuthCodeOption) *oauth2.Token {
	t.Helper()
	c, v := code(t, cfg, opts...)
	tok, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
	if err != nil {
		t.Fatalf("exchange: %v", err)
	}
	return tok
}

// retrieveError asserts a token endpoint refusal.
func retrieveError(t *testing.T, err error, status int, code string) *oauth2.RetrieveError {
	t.Helper()
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want a RetrieveError %s", err, code)
	}
	if re.Response.StatusCode != status || re.ErrorCode != code {
		t.Fatalf("refusal %d %q (%s), want %d %q", re.Response.StatusCode, re.ErrorCode, re.ErrorDescription, status, code)
	}
	if ct := re.Response.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	return re
}

// postToken sends a raw token request and decodes the JSON answer.
func postToken(t *testing.T, s *oauthtest.Server, form url.Values) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.TokenURL, form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("token Content-Type %q, want application/json", ct)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("token Cache-Control %q, want no-store (RFC 6749 §5.1)", cc)
	}
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func introspect(t *testing.T, s *oauthtest.Server, token string) (int, map[string]any) {
	t.Helper()
	resp, err := http.PostForm(s.IntrospectURL, url.Values{"token": {token}})
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, body
}

func active(t *testing.T, s *oauthtest.Server, token string) bool {
	t.Helper()
	status, body := introspect(t, s, token)
	switch {
	case status == http.StatusOK && body["active"] == true:
		return true
	case status == http.StatusUnauthorized && body["active"] == false && len(body) == 1:
		return false
	}
	t.Fatalf("introspection: %d %v", status, body)
	return false
}

// claims decodes an ID token's payload.
func claims(t *testing.T, idToken string) map[string]any {
	t.Helper()
	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		t.Fatalf("id_token has %d parts, want 3", len(parts))
	}
	var header map[string]any
	b, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || json.Unmarshal(b, &header) != nil || header["alg"] == nil {
		t.Fatalf("id_token header %q: %v", b, err)
	}
	b, err = base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	var c map[string]any
	if err := json.Unmarshal(b, &c); err != nil {
		t.Fatal(err)
	}
	if _, err := base64.RawURLEncoding.DecodeString(parts[2]); err != nil || parts[2] == "" {
		t.Fatalf("id_token signature: %v", err)
	}
	return c
}

// clock is an injected server clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func TestCodeFlow(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{Users: []string{"alice@example.test", "bob@example.test"}})
			cb := startCallback(t)
			cfg := config(s, p, cb.url())
			verifier := oauth2.GenerateVerifier()
			authURL := cfg.AuthCodeURL("xyz/+=state", oauth2.S256ChallengeOption(verifier),
				oauth2.SetAuthURLParam("login_hint", "bob@example.test"), oauth2.SetAuthURLParam("prompt", "select_account"),
				oauth2.AccessTypeOffline)

			// The browser follows the redirect to the app's listener.
			resp, err := http.Get(authURL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("browser ended on %d", resp.StatusCode)
			}
			q := <-cb.got
			if q.Get("state") != "xyz/+=state" {
				t.Errorf("state %q came back changed", q.Get("state"))
			}
			if p == oauthtest.Google && !strings.Contains(q.Get("scope"), oauthtest.GoogleMailScope) {
				t.Errorf("Google's redirect lists scope %q", q.Get("scope"))
			}
			tok, err := cfg.Exchange(context.Background(), q.Get("code"), oauth2.VerifierOption(verifier))
			if err != nil {
				t.Fatal(err)
			}
			if tok.AccessToken == "" || tok.RefreshToken == "" || tok.TokenType != "Bearer" {
				t.Fatalf("token %+v", tok)
			}
			if d := time.Until(tok.Expiry); d < 59*time.Minute || d > time.Hour {
				t.Errorf("expiry in %v, want an hour", d)
			}
			scope, _ := tok.Extra("scope").(string)
			mail := oauthtest.GoogleMailScope
			if p == oauthtest.Microsoft {
				mail = oauthtest.MicrosoftIMAPScope
			}
			if !slices.Contains(strings.Fields(scope), mail) || strings.Contains(scope, "offline_access") {
				t.Errorf("scope %q", scope)
			}
			idToken, _ := tok.Extra("id_token").(string)
			c := claims(t, idToken)
			if c["aud"] != "test-client" || c["email"] != "bob@example.test" || c["sub"] == "" || c["iss"] == "" {
				t.Errorf("id_token claims %v", c)
			}
			iat, _ := c["iat"].(float64)
			exp, _ := c["exp"].(float64)
			if now := float64(time.Now().Unix()); iat > now+1 || iat < now-60 || exp <= iat {
				t.Errorf("iat %v exp %v", iat, exp)
			}
			wantIss := map[oauthtest.Provider]string{oauthtest.Google: oauthtest.GoogleIssuer, oauthtest.Microsoft: oauthtest.MicrosoftIssuer}[p]
			if c["iss"] != wantIss {
				t.Errorf("iss %v, want %s", c["iss"], wantIss)
			}
			if p == oauthtest.Google && c["email_verified"] != true {
				t.Errorf("Google's id_token says email_verified %v", c["email_verified"])
			}
			if p == oauthtest.Microsoft && c["preferred_username"] != "bob@example.test" {
				t.Errorf("Microsoft's id_token (profile) says preferred_username %v", c["preferred_username"])
			}

			status, body := introspect(t, s, tok.AccessToken)
			if status != http.StatusOK || body["active"] != true || body["username"] != "bob@example.test" || body["email"] != "bob@example.test" {
				t.Errorf("introspection %d %v", status, body)
			}
			st := s.Stats()
			if st.Authorizations != 1 || st.CodeExchanges != 1 || st.Refreshes != 0 || st.Introspections != 1 || st.LastError != "" {
				t.Errorf("stats %+v", st)
			}
			la := st.LastAuthorization
			if la.CodeChallengeMethod != "S256" || la.LoginHint != "bob@example.test" || la.Prompt != "select_account" ||
				la.AccessType != "offline" || la.RedirectURI != cb.url() || la.ClientID != "test-client" || !slices.Equal(la.Scopes, cfg.Scopes) {
				t.Errorf("last authorization %+v", la)
			}
			if got := s.IssuedTokens(); !slices.Equal(got, []string{tok.AccessToken, tok.RefreshToken}) {
				t.Errorf("issued %d tokens, not the two received", len(got))
			}
			if got := s.IssuedCodes(); !slices.Equal(got, []string{q.Get("code")}) {
				t.Errorf("issued codes %d", len(got))
			}
		})
	}
}

// The raw token answer, as the documentation shows it.
func TestTokenResponse(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{AccessTTL: 10 * time.Minute})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			c, v := code(t, cfg)
			form := url.Values{"grant_type": {"authorization_code"}, "code": {c}, "code_verifier": {v},
				"redirect_uri": {cfg.RedirectURL}, "client_id": {"test-client"}}
			if p == oauthtest.Google {
				form.Set("client_secret", googleSecret)
			}
			status, body := postToken(t, s, form)
			if status != http.StatusOK {
				t.Fatalf("%d %v", status, body)
			}
			for _, k := range []string{"access_token", "refresh_token", "scope", "id_token"} {
				if v, ok := body[k].(string); !ok || v == "" {
					t.Errorf("%s = %v", k, body[k])
				}
			}
			if body["token_type"] != "Bearer" || body["expires_in"] != float64(600) {
				t.Errorf("token_type %v expires_in %v", body["token_type"], body["expires_in"])
			}
		})
	}
}

func TestPKCEMismatchIsInvalidGrant(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			c, _ := code(t, cfg)
			_, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(oauth2.GenerateVerifier()))
			re := retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
			if p == oauthtest.Microsoft && !strings.HasPrefix(re.ErrorDescription, "AADSTS50148:") {
				t.Errorf("description %q", re.ErrorDescription)
			}
			// No verifier at all.
			c, _ = code(t, cfg)
			_, err = cfg.Exchange(context.Background(), c)
			retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
			if len(s.IssuedTokens()) != 0 {
				t.Error("tokens were issued")
			}
		})
	}
}

func TestCodeIsSingleUse(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			c, v := code(t, cfg)
			tok, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
			if err != nil {
				t.Fatal(err)
			}
			_, err = cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
			re := retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
			if p == oauthtest.Microsoft && !strings.HasPrefix(re.ErrorDescription, "AADSTS54005:") {
				t.Errorf("description %q", re.ErrorDescription)
			}
			// RFC 6749 §4.1.2: what the reused code gave is revoked.
			if active(t, s, tok.AccessToken) {
				t.Error("the access token from a reused code is still active")
			}
			_, err = cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
			retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
			if st := s.Stats(); st.CodeExchanges != 2 || st.Refreshes != 1 || !strings.HasPrefix(st.LastError, "invalid_grant: ") {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestUnknownCodeIsInvalidGrant(t *testing.T) {
	for _, p := range providers {
		s := start(t, p, oauthtest.Options{})
		cfg := config(s, p, "http://127.0.0.1:5555/cb")
		_, err := cfg.Exchange(context.Background(), "4/0made-up", oauth2.VerifierOption(oauth2.GenerateVerifier()))
		retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
	}
}

func TestCodeExpiresAfterAMinute(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			clk := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			s := start(t, p, oauthtest.Options{Now: clk.Now})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			c, v := code(t, cfg)
			clk.advance(oauthtest.CodeLifetime - time.Second)
			if _, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v)); err != nil {
				t.Fatalf("a code 59 s old: %v", err)
			}
			c, v = code(t, cfg)
			clk.advance(oauthtest.CodeLifetime)
			_, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
			retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
		})
	}
}

func TestRedirectURIMustMatchAtTheTokenEndpoint(t *testing.T) {
	want := map[oauthtest.Provider]string{oauthtest.Google: "redirect_uri_mismatch", oauthtest.Microsoft: "invalid_grant"}
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			c, v := code(t, cfg)
			other := *cfg
			other.RedirectURL = "http://127.0.0.1:5556/cb"
			_, err := other.Exchange(context.Background(), c, oauth2.VerifierOption(v))
			retrieveError(t, err, http.StatusBadRequest, want[p])
			// The failed attempt used the code up.
			_, err = cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
			retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
		})
	}
}

func TestBadClientOrRedirectShowsAnErrorPage(t *testing.T) {
	cases := []struct {
		name     string
		p        oauthtest.Provider
		clientID string
		redirect string
	}{
		{"unknown client", oauthtest.Google, "someone-else", "http://127.0.0.1:5555/cb"},
		{"unknown client", oauthtest.Microsoft, "someone-else", "http://127.0.0.1:5555/cb"},
		{"no redirect", oauthtest.Google, "test-client", ""},
		{"remote redirect", oauthtest.Google, "test-client", "http://attacker.example/cb"},
		{"https redirect", oauthtest.Microsoft, "test-client", "https://127.0.0.1:5555/cb"},
		{"custom scheme", oauthtest.Google, "test-client", "com.example.app:/cb"},
		{"other loopback address", oauthtest.Google, "test-client", "http://127.0.0.2:5555/cb"},
		{"fragment", oauthtest.Microsoft, "test-client", "http://127.0.0.1:5555/cb#x"},
		{"IPv6 at Microsoft", oauthtest.Microsoft, "test-client", "http://[::1]:5555/cb"},
		{"bad port", oauthtest.Google, "test-client", "http://127.0.0.1:99999/cb"},
	}
	for _, tc := range cases {
		t.Run(string(tc.p)+" "+tc.name, func(t *testing.T) {
			s := start(t, tc.p, oauthtest.Options{})
			cfg := config(s, tc.p, tc.redirect)
			cfg.ClientID = tc.clientID
			resp, err := browser.Get(cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest || resp.Header.Get("Location") != "" {
				t.Fatalf("status %d Location %q, want a 400 page and no redirect", resp.StatusCode, resp.Header.Get("Location"))
			}
			if !strings.Contains(string(body), "Error 400") || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
				t.Errorf("page %s", body)
			}
			if s.Stats().LastError == "" || len(s.IssuedCodes()) != 0 {
				t.Errorf("stats %+v", s.Stats())
			}
		})
	}
}

func TestLoopbackRedirects(t *testing.T) {
	for _, tc := range []struct {
		p        oauthtest.Provider
		redirect string
	}{
		{oauthtest.Google, "http://127.0.0.1:49152/"},
		{oauthtest.Google, "http://[::1]:49152/oauth2redirect"},
		{oauthtest.Google, "http://localhost:49152"},
		{oauthtest.Microsoft, "http://127.0.0.1:49152/x?app=leadminer"},
		{oauthtest.Microsoft, "http://localhost/"},
	} {
		s := start(t, tc.p, oauthtest.Options{})
		cfg := config(s, tc.p, tc.redirect)
		c, v := code(t, cfg)
		if _, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v)); err != nil {
			t.Errorf("%s %s: %v", tc.p, tc.redirect, err)
		}
	}
	// The redirect keeps the URI's own query.
	s := start(t, oauthtest.Microsoft, oauthtest.Options{})
	q := authorize(t, browser, config(s, oauthtest.Microsoft, "http://127.0.0.1:49152/x?app=leadminer").
		AuthCodeURL("st", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
	if q.Get("app") != "leadminer" || q.Get("code") == "" {
		t.Errorf("redirect query %v", q)
	}
}

func TestBadRequestsRedirectWithAnError(t *testing.T) {
	verifier := oauth2.GenerateVerifier()
	s256 := oauth2.S256ChallengeOption(verifier)
	plain := []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", verifier), oauth2.SetAuthURLParam("code_challenge_method", "plain")}
	cases := []struct {
		name   string
		p      oauthtest.Provider
		scopes []string
		opts   []oauth2.AuthCodeOption
		want   string
	}{
		{"plain PKCE", oauthtest.Google, nil, plain, "invalid_request"},
		{"plain PKCE", oauthtest.Microsoft, nil, plain, "invalid_request"},
		{"no PKCE", oauthtest.Google, nil, nil, "invalid_request"},
		{"method missing", oauthtest.Microsoft, nil, []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", oauth2.S256ChallengeFromVerifier(verifier))}, "invalid_request"},
		{"short challenge", oauthtest.Google, nil, []oauth2.AuthCodeOption{oauth2.SetAuthURLParam("code_challenge", "abc"), oauth2.SetAuthURLParam("code_challenge_method", "S256")}, "invalid_request"},
		{"implicit flow", oauthtest.Google, nil, []oauth2.AuthCodeOption{s256, oauth2.SetAuthURLParam("response_type", "token")}, "unsupported_response_type"},
		{"fragment response mode", oauthtest.Microsoft, nil, []oauth2.AuthCodeOption{s256, oauth2.SetAuthURLParam("response_mode", "fragment")}, "invalid_request"},
		{"no mail scope", oauthtest.Google, []string{"openid", "email"}, []oauth2.AuthCodeOption{s256}, "invalid_scope"},
		{"no IMAP scope", oauthtest.Microsoft, []string{"openid", "offline_access"}, []oauth2.AuthCodeOption{s256}, "invalid_scope"},
		{"mail scope misspelt", oauthtest.Google, []string{"https://mail.google.com"}, []oauth2.AuthCodeOption{s256}, "invalid_scope"},
		{"offline_access at Google", oauthtest.Google, []string{oauthtest.GoogleMailScope, "offline_access"}, []oauth2.AuthCodeOption{s256}, "invalid_scope"},
		{"Graph scope", oauthtest.Microsoft, []string{oauthtest.MicrosoftIMAPScope, "User.Read"}, []oauth2.AuthCodeOption{s256}, "invalid_scope"},
		{"no scope", oauthtest.Microsoft, []string{}, []oauth2.AuthCodeOption{s256}, "invalid_request"},
	}
	for _, tc := range cases {
		t.Run(string(tc.p)+" "+tc.name, func(t *testing.T) {
			s := start(t, tc.p, oauthtest.Options{})
			cfg := config(s, tc.p, "http://127.0.0.1:5555/cb")
			if tc.scopes != nil {
				cfg.Scopes = tc.scopes
			}
			q := authorize(t, browser, cfg.AuthCodeURL("st-9", tc.opts...))
			if q.Get("error") != tc.want || q.Get("error_description") == "" || q.Get("state") != "st-9" || q.Has("code") {
				t.Errorf("redirect query %v, want error=%s with a description and state", q, tc.want)
			}
			if tc.p == oauthtest.Microsoft && !strings.HasPrefix(q.Get("error_description"), "AADSTS") &&
				!strings.HasPrefix(q.Get("error_description"), "oauthtest:") {
				t.Errorf("description %q", q.Get("error_description"))
			}
			if st := s.Stats(); !strings.HasPrefix(st.LastError, tc.want+": ") || st.Authorizations != 1 {
				t.Errorf("stats %+v", st)
			}
		})
	}
	// The request as it was asked is recorded even when refused.
	s := start(t, oauthtest.Google, oauthtest.Options{})
	authorize(t, browser, config(s, oauthtest.Google, "http://127.0.0.1:5555/cb").AuthCodeURL("st", plain...))
	if m := s.Stats().LastAuthorization.CodeChallengeMethod; m != "plain" {
		t.Errorf("recorded method %q", m)
	}
}

func TestDeny(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			s.Deny()
			q := authorize(t, browser, cfg.AuthCodeURL("st-d", oauth2.S256ChallengeOption(oauth2.GenerateVerifier())))
			if q.Get("error") != "access_denied" || q.Get("state") != "st-d" || q.Has("code") {
				t.Errorf("redirect query %v", q)
			}
			if p == oauthtest.Microsoft && !strings.HasPrefix(q.Get("error_description"), "AADSTS65004") {
				t.Errorf("description %q", q.Get("error_description"))
			}
			// Only the next one.
			signIn(t, cfg)
		})
	}
}

func TestAccountChoice(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{Users: []string{"alice@example.test", "bob@example.test"}})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			email := func(tok *oauth2.Token) any {
				_, body := introspect(t, s, tok.AccessToken)
				if c := claims(t, tok.Extra("id_token").(string)); c["email"] != body["username"] {
					t.Errorf("id_token says %v, introspection %v", c["email"], body["username"])
				}
				return body["username"]
			}
			hint := func(h string) oauth2.AuthCodeOption { return oauth2.SetAuthURLParam("login_hint", h) }
			if got := email(signIn(t, cfg)); got != "alice@example.test" {
				t.Errorf("default account %v", got)
			}
			if got := email(signIn(t, cfg, hint("BOB@example.test"))); got != "bob@example.test" {
				t.Errorf("login_hint bob: %v", got)
			}
			if got := email(signIn(t, cfg, hint("carol@example.test"))); got != "alice@example.test" {
				t.Errorf("login_hint of an unknown account: %v", got)
			}
			// The user picks another account than the hint.
			s.Approve("carol@example.test")
			if got := email(signIn(t, cfg, hint("bob@example.test"))); got != "carol@example.test" {
				t.Errorf("after Approve: %v", got)
			}
			s.Deny()
			s.Approve("alice@example.test") // cancels the Deny
			signIn(t, cfg)
		})
	}
}

func TestRefresh(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			tok := signIn(t, cfg)
			form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {"test-client"}}
			if p == oauthtest.Google {
				form.Set("client_secret", googleSecret)
			}
			status, body := postToken(t, s, form)
			if status != http.StatusOK || body["access_token"] == tok.AccessToken || body["access_token"] == "" {
				t.Fatalf("%d %v", status, body)
			}
			rotated, _ := body["refresh_token"].(string)
			switch p {
			case oauthtest.Google:
				if body["refresh_token"] != nil {
					t.Error("Google returned a new refresh token")
				}
			case oauthtest.Microsoft:
				if rotated == "" || rotated == tok.RefreshToken {
					t.Fatalf("Microsoft did not rotate the refresh token: %v", body["refresh_token"])
				}
				// The old one stays valid, and so does the new one.
				for _, rt := range []string{tok.RefreshToken, rotated} {
					form.Set("refresh_token", rt)
					if status, body := postToken(t, s, form); status != http.StatusOK {
						t.Errorf("refresh: %d %v", status, body)
					}
				}
			}
			if body["id_token"] == nil || body["token_type"] != "Bearer" {
				t.Errorf("refresh answer %v", body)
			}
			if !active(t, s, body["access_token"].(string)) || !active(t, s, tok.AccessToken) {
				t.Error("access tokens inactive after a refresh")
			}

			// Through x/oauth2's token source, as the app will.
			expired := &oauth2.Token{AccessToken: tok.AccessToken, RefreshToken: tok.RefreshToken, Expiry: time.Now().Add(-time.Minute)}
			next, err := cfg.TokenSource(context.Background(), expired).Token()
			if err != nil {
				t.Fatal(err)
			}
			if next.AccessToken == tok.AccessToken || !active(t, s, next.AccessToken) {
				t.Error("no new active access token")
			}
			if (p == oauthtest.Google) != (next.RefreshToken == tok.RefreshToken) {
				t.Errorf("%s: refresh token kept = %v", p, next.RefreshToken == tok.RefreshToken)
			}
			if n := s.Stats().Refreshes; (p == oauthtest.Google && n != 2) || (p == oauthtest.Microsoft && n != 4) {
				t.Errorf("refreshes %d", n)
			}
		})
	}
}

func TestRefreshAsksAtMostTheGrantedScopes(t *testing.T) {
	s := start(t, oauthtest.Microsoft, oauthtest.Options{})
	cfg := config(s, oauthtest.Microsoft, "http://127.0.0.1:5555/cb")
	tok := signIn(t, cfg)
	form := url.Values{"grant_type": {"refresh_token"}, "refresh_token": {tok.RefreshToken}, "client_id": {"test-client"},
		"scope": {oauthtest.MicrosoftIMAPScope + " offline_access"}}
	if status, body := postToken(t, s, form); status != http.StatusOK {
		t.Errorf("narrower scope: %d %v", status, body)
	}
	form.Set("scope", oauthtest.MicrosoftIMAPScope+" https://outlook.office.com/SMTP.Send")
	if status, body := postToken(t, s, form); status != http.StatusBadRequest || body["error"] != "invalid_scope" {
		t.Errorf("wider scope: %d %v", status, body)
	}
}

func TestRevoke(t *testing.T) {
	wantDesc := map[oauthtest.Provider]string{oauthtest.Google: "Token has been expired or revoked.", oauthtest.Microsoft: "AADSTS50173:"}
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			refresh := func(rt string) error {
				_, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: rt}).Token()
				return err
			}
			one, two := signIn(t, cfg), signIn(t, cfg)
			s.Revoke(one.RefreshToken)
			re := retrieveError(t, refresh(one.RefreshToken), http.StatusBadRequest, "invalid_grant")
			if !strings.HasPrefix(re.ErrorDescription, wantDesc[p]) {
				t.Errorf("description %q", re.ErrorDescription)
			}
			if err := refresh(two.RefreshToken); err != nil {
				t.Errorf("another grant: %v", err)
			}
			if !active(t, s, one.AccessToken) {
				t.Error("Revoke ended an access token")
			}

			s.RevokeAll()
			retrieveError(t, refresh(two.RefreshToken), http.StatusBadRequest, "invalid_grant")
			if err := refresh(signIn(t, cfg).RefreshToken); err != nil {
				t.Errorf("a grant made after RevokeAll: %v", err)
			}
			retrieveError(t, refresh("1//0not-issued"), http.StatusBadRequest, "invalid_grant")
		})
	}
}

func TestMicrosoftRevokeEndsTheRotatedTokensToo(t *testing.T) {
	s := start(t, oauthtest.Microsoft, oauthtest.Options{})
	cfg := config(s, oauthtest.Microsoft, "http://127.0.0.1:5555/cb")
	tok := signIn(t, cfg)
	next, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token()
	if err != nil {
		t.Fatal(err)
	}
	s.Revoke(tok.RefreshToken)
	_, err = cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: next.RefreshToken}).Token()
	retrieveError(t, err, http.StatusBadRequest, "invalid_grant")
}

func TestMicrosoftWithoutOfflineAccessGivesNoRefreshToken(t *testing.T) {
	s := start(t, oauthtest.Microsoft, oauthtest.Options{})
	cfg := config(s, oauthtest.Microsoft, "http://127.0.0.1:5555/cb")
	cfg.Scopes = []string{"openid", "email", oauthtest.MicrosoftIMAPScope}
	tok := signIn(t, cfg)
	if tok.AccessToken == "" || tok.RefreshToken != "" {
		t.Errorf("access %v refresh %q", tok.AccessToken != "", tok.RefreshToken)
	}
	if len(s.IssuedTokens()) != 1 {
		t.Errorf("issued %d tokens", len(s.IssuedTokens()))
	}
}

func TestIDTokenNeedsOpenID(t *testing.T) {
	s := start(t, oauthtest.Microsoft, oauthtest.Options{})
	cfg := config(s, oauthtest.Microsoft, "http://127.0.0.1:5555/cb")
	cfg.Scopes = []string{"offline_access", oauthtest.MicrosoftIMAPScope}
	if tok := signIn(t, cfg); tok.Extra("id_token") != nil {
		t.Error("Microsoft gave an ID token without openid")
	}
	g := start(t, oauthtest.Google, oauthtest.Options{})
	cfg = config(g, oauthtest.Google, "http://127.0.0.1:5555/cb")
	cfg.Scopes = []string{oauthtest.GoogleMailScope}
	if tok := signIn(t, cfg); tok.Extra("id_token") != nil || tok.RefreshToken == "" {
		t.Error("Google gave an ID token without openid, email or profile, or no refresh token")
	}
	cfg.Scopes = []string{"openid", oauthtest.GoogleMailScope}
	if c := claims(t, signIn(t, cfg, oauth2.SetAuthURLParam("nonce", "n-0S6")).Extra("id_token").(string)); c["email"] != nil || c["nonce"] != "n-0S6" {
		t.Errorf("openid without email: claims %v", c)
	}
}

func TestIntrospection(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			clk := &clock{now: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
			s := start(t, p, oauthtest.Options{AccessTTL: 30 * time.Minute, Now: clk.Now})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			tok := signIn(t, cfg)
			status, body := introspect(t, s, tok.AccessToken)
			if status != http.StatusOK || body["active"] != true || body["username"] != "alice@example.test" ||
				body["client_id"] != "test-client" || body["exp"] != float64(clk.Now().Add(30*time.Minute).Unix()) {
				t.Errorf("%d %v", status, body)
			}
			if tok.Extra("expires_in") != float64(1800) {
				t.Errorf("expires_in %v", tok.Extra("expires_in"))
			}
			for name, token := range map[string]string{"a refresh token": tok.RefreshToken, "an unknown token": "ya29.nope", "no token": ""} {
				if active(t, s, token) {
					t.Errorf("%s is active", name)
				}
			}

			// After its lifetime, by the server's clock.
			clk.advance(30*time.Minute - time.Second)
			if !active(t, s, tok.AccessToken) {
				t.Error("inactive before its lifetime")
			}
			clk.advance(time.Second)
			if active(t, s, tok.AccessToken) {
				t.Error("active after its lifetime")
			}

			// Ended early.
			two := signIn(t, cfg)
			s.ExpireAccessTokens()
			if active(t, s, two.AccessToken) {
				t.Error("active after ExpireAccessTokens")
			}
			three, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: two.RefreshToken}).Token()
			if err != nil {
				t.Fatal(err)
			}
			if !active(t, s, three.AccessToken) {
				t.Error("a token issued after ExpireAccessTokens is inactive")
			}
			if st := s.Stats(); st.Introspections != 8 || !strings.HasPrefix(st.LastError, "inactive: ") {
				t.Errorf("stats %+v", st)
			}
		})
	}
}

func TestClientAuthentication(t *testing.T) {
	exchange := func(t *testing.T, s *oauthtest.Server, cfg *oauth2.Config) error {
		c, v := code(t, cfg)
		_, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
		return err
	}
	t.Run("google secret in the form or basic", func(t *testing.T) {
		s := start(t, oauthtest.Google, oauthtest.Options{})
		for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleInParams, oauth2.AuthStyleInHeader, oauth2.AuthStyleAutoDetect} {
			cfg := config(s, oauthtest.Google, "http://127.0.0.1:5555/cb")
			cfg.Endpoint.AuthStyle = style
			if err := exchange(t, s, cfg); err != nil {
				t.Errorf("style %d: %v", style, err)
			}
		}
	})
	t.Run("google secret missing or wrong", func(t *testing.T) {
		s := start(t, oauthtest.Google, oauthtest.Options{})
		cfg := config(s, oauthtest.Google, "http://127.0.0.1:5555/cb")
		cfg.ClientSecret = ""
		retrieveError(t, exchange(t, s, cfg), http.StatusBadRequest, "invalid_request")
		cfg.ClientSecret = "wrong"
		retrieveError(t, exchange(t, s, cfg), http.StatusUnauthorized, "invalid_client")
		cfg.Endpoint.AuthStyle = oauth2.AuthStyleInHeader
		re := retrieveError(t, exchange(t, s, cfg), http.StatusUnauthorized, "invalid_client")
		if re.Response.Header.Get("WWW-Authenticate") == "" {
			t.Error("401 without WWW-Authenticate")
		}
	})
	t.Run("google without a secret configured does not check", func(t *testing.T) {
		s := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Google})
		cfg := config(s, oauthtest.Google, "http://127.0.0.1:5555/cb")
		cfg.ClientSecret = ""
		if err := exchange(t, s, cfg); err != nil {
			t.Error(err)
		}
	})
	t.Run("microsoft public client must not send a secret", func(t *testing.T) {
		s := start(t, oauthtest.Microsoft, oauthtest.Options{})
		cfg := config(s, oauthtest.Microsoft, "http://127.0.0.1:5555/cb")
		cfg.ClientSecret = "a-secret"
		re := retrieveError(t, exchange(t, s, cfg), http.StatusUnauthorized, "invalid_client")
		if !strings.HasPrefix(re.ErrorDescription, "AADSTS700025:") {
			t.Errorf("description %q", re.ErrorDescription)
		}
		cfg.ClientSecret = ""
		cfg.Endpoint.AuthStyle = oauth2.AuthStyleAutoDetect // Basic with an empty password is no secret
		if err := exchange(t, s, cfg); err != nil {
			t.Error(err)
		}
	})
	t.Run("microsoft confidential client", func(t *testing.T) {
		s := start(t, oauthtest.Microsoft, oauthtest.Options{ClientSecret: "ms-secret"})
		cfg := config(s, oauthtest.Microsoft, "http://127.0.0.1:5555/cb")
		retrieveError(t, exchange(t, s, cfg), http.StatusUnauthorized, "invalid_client")
		cfg.ClientSecret = "ms-secret"
		if err := exchange(t, s, cfg); err != nil {
			t.Error(err)
		}
	})
	for _, p := range providers {
		t.Run(string(p)+" unknown client", func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			cfg := config(s, p, "http://127.0.0.1:5555/cb")
			c, v := code(t, cfg)
			cfg.ClientID = "someone-else"
			_, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
			retrieveError(t, err, http.StatusUnauthorized, "invalid_client")
		})
	}
}

func TestTokenEndpointRequests(t *testing.T) {
	for _, p := range providers {
		t.Run(string(p), func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			base := url.Values{"client_id": {"test-client"}, "client_secret": {googleSecret}}
			if p == oauthtest.Microsoft {
				base.Del("client_secret")
			}
			with := func(kv ...string) url.Values {
				f := url.Values{}
				for k, v := range base {
					f[k] = v
				}
				for i := 0; i < len(kv); i += 2 {
					f.Set(kv[i], kv[i+1])
				}
				return f
			}
			for _, tc := range []struct {
				form   url.Values
				status int
				err    string
			}{
				{with(), 400, "invalid_request"},
				{with("grant_type", "password", "username", "a", "password", "b"), 400, "unsupported_grant_type"},
				{with("grant_type", "client_credentials"), 400, "unsupported_grant_type"},
				{with("grant_type", "authorization_code"), 400, "invalid_request"},
				{with("grant_type", "refresh_token"), 400, "invalid_request"},
			} {
				status, body := postToken(t, s, tc.form)
				if status != tc.status || body["error"] != tc.err {
					t.Errorf("%v: %d %v, want %d %s", tc.form, status, body, tc.status, tc.err)
				}
				if p == oauthtest.Microsoft {
					if d, _ := body["error_description"].(string); !strings.HasPrefix(d, "AADSTS") && !strings.HasPrefix(d, "oauthtest:") {
						t.Errorf("description %q", d)
					}
				}
			}
			// JSON is not the token endpoint's format.
			resp, err := http.Post(s.TokenURL, "application/json", strings.NewReader(`{"grant_type":"refresh_token"}`))
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusBadRequest {
				t.Errorf("JSON body: %d", resp.StatusCode)
			}
			// Nor is GET.
			resp, err = http.Get(s.TokenURL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusMethodNotAllowed {
				t.Errorf("GET: %d", resp.StatusCode)
			}
		})
	}
}

func TestTokensAreRandomAndDistinct(t *testing.T) {
	for _, p := range providers {
		s := start(t, p, oauthtest.Options{})
		cfg := config(s, p, "http://127.0.0.1:5555/cb")
		for range 5 {
			tok := signIn(t, cfg)
			if _, err := cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token(); err != nil {
				t.Fatal(err)
			}
		}
		all := append(s.IssuedTokens(), s.IssuedCodes()...)
		want := map[oauthtest.Provider]int{oauthtest.Google: 5*2 + 5 + 5, oauthtest.Microsoft: 5*2 + 5*2 + 5}[p]
		if len(all) != want {
			t.Errorf("%s: %d tokens and codes, want %d", p, len(all), want)
		}
		seen := map[string]bool{}
		for _, tok := range all {
			if seen[tok] || len(tok) < 43 {
				t.Errorf("%s: token repeated or short (%d characters)", p, len(tok))
			}
			seen[tok] = true
		}
	}
}

// logRecorder is a testing.TB that keeps what the server logs.
type logRecorder struct {
	testing.TB
	mu   sync.Mutex
	logs []string
}

func (r *logRecorder) Logf(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.logs = append(r.logs, fmt.Sprintf(format, args...))
}

func TestTokensAreNeverLogged(t *testing.T) {
	for _, p := range providers {
		rec := &logRecorder{TB: t}
		s := oauthtest.Start(rec, oauthtest.Options{Provider: p})
		cfg := config(s, p, "http://127.0.0.1:5555/cb")
		cfg.ClientSecret = ""
		c, v := code(t, cfg)
		tok, err := cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Exchange(context.Background(), c, oauth2.VerifierOption(v)) // refused: reused
		s.Revoke(tok.RefreshToken)
		cfg.TokenSource(context.Background(), &oauth2.Token{RefreshToken: tok.RefreshToken}).Token() // refused
		introspect(t, s, tok.AccessToken)                                                            // inactive
		if len(rec.logs) < 3 {
			t.Errorf("%s: %d refusals logged, want 3", p, len(rec.logs))
		}
		log := strings.Join(rec.logs, "\n")
		for _, secret := range append(s.IssuedTokens(), s.IssuedCodes()...) {
			if strings.Contains(log, secret) {
				t.Errorf("%s: a token or code is in the log:\n%s", p, log)
			}
		}
	}
}

func TestTLS(t *testing.T) {
	for _, p := range providers {
		s := start(t, p, oauthtest.Options{TLS: true})
		if !strings.HasPrefix(s.TokenURL, "https://127.0.0.1:") || !strings.HasPrefix(s.IntrospectURL, "http://127.0.0.1:") {
			t.Fatalf("URLs %s %s", s.TokenURL, s.IntrospectURL)
		}
		pool := x509.NewCertPool()
		pool.AddCert(s.Certificate())
		transport := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}
		client := &http.Client{Transport: transport, CheckRedirect: browser.CheckRedirect}
		cfg := config(s, p, "http://127.0.0.1:5555/cb")
		v := oauth2.GenerateVerifier()
		q := authorize(t, client, cfg.AuthCodeURL("st", oauth2.S256ChallengeOption(v)))
		ctx := context.WithValue(context.Background(), oauth2.HTTPClient, &http.Client{Transport: transport})
		tok, err := cfg.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(v))
		if err != nil {
			t.Fatal(err)
		}
		if !active(t, s, tok.AccessToken) {
			t.Error("inactive")
		}
		// The system roots do not trust it.
		if _, err := http.Get(s.AuthURL); err == nil {
			t.Error("the fake's certificate is trusted without its root")
		}
	}
	if oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Google}).Certificate() != nil {
		t.Error("a certificate without TLS")
	}
}

// tokens is the app's token source for the IMAP client: the access token,
// renewed through x/oauth2 when the server refuses it.
type tokens struct {
	cfg       *oauth2.Config
	mu        sync.Mutex
	tok       *oauth2.Token
	refreshes int
}

func (ts *tokens) Token(context.Context) (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return ts.tok.AccessToken, nil
}

func (ts *tokens) Refresh(ctx context.Context) (string, error) {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	ts.refreshes++
	tok, err := ts.cfg.TokenSource(ctx, &oauth2.Token{RefreshToken: ts.tok.RefreshToken}).Token()
	if err != nil {
		return "", err
	}
	ts.tok = tok
	return tok.AccessToken, nil
}

// A real Dovecot, asking the fake's introspection endpoint, accepts the
// fake's access tokens over XOAUTH2 and OAUTHBEARER and refuses them once
// they end.
func TestDovecotAcceptsTheTokens(t *testing.T) {
	// Dovecot sees only the introspection answer, the same for both
	// providers; each refusal costs seconds of Dovecot's auth penalty, so
	// each mechanism runs with one provider.
	for _, tc := range []struct {
		p    oauthtest.Provider
		mech string
	}{{oauthtest.Google, imap.XOAuth2}, {oauthtest.Microsoft, imap.OAuthBearer}} {
		p, mech := tc.p, tc.mech
		t.Run(string(p)+" "+mech, func(t *testing.T) {
			s := start(t, p, oauthtest.Options{})
			srv := dovecottest.Start(t, dovecottest.Options{
				Users:                  map[string]string{"alice@example.test": "alice-pass"},
				OAuth2IntrospectionURL: s.IntrospectURL,
			})
			ts := &tokens{cfg: config(s, p, "http://127.0.0.1:5555/cb")}
			ts.tok = signIn(t, ts.cfg)
			cfg := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: "alice@example.test",
				Tokens: ts, Mechanism: mech, Timeout: 10 * time.Second}
			open := func() error {
				src, err := imap.Open(context.Background(), cfg)
				if err != nil {
					return err
				}
				defer src.Close()
				_, err = src.Folders(context.Background())
				return err
			}
			if err := open(); err != nil {
				t.Fatalf("with a fresh token: %v", err)
			}
			if s.Stats().Introspections == 0 || ts.refreshes != 0 {
				t.Fatalf("Dovecot did not ask the fake (stats %+v), or a refresh happened", s.Stats())
			}

			s.ExpireAccessTokens()
			if err := open(); err != nil {
				t.Fatalf("after the token ended: %v", err)
			}
			if ts.refreshes != 1 || s.Stats().Refreshes != 1 {
				t.Errorf("refreshes: client %d, server %d; want 1", ts.refreshes, s.Stats().Refreshes)
			}

			s.ExpireAccessTokens()
			s.RevokeAll()
			var ie *imap.Error
			if err := open(); !errors.As(err, &ie) || ie.Kind != imap.KindToken {
				t.Errorf("revoked: err = %v, want a token error", err)
			}
		})
	}
}

// Another account's token is refused by Dovecot: the introspection's
// username is the user who signed in.
func TestDovecotRefusesAnotherAccountsToken(t *testing.T) {
	s := start(t, oauthtest.Google, oauthtest.Options{Users: []string{"bob@example.test"}})
	srv := dovecottest.Start(t, dovecottest.Options{
		Users:                  map[string]string{"alice@example.test": "alice-pass", "bob@example.test": "bob-pass"},
		OAuth2IntrospectionURL: s.IntrospectURL,
	})
	cfg := config(s, oauthtest.Google, "http://127.0.0.1:5555/cb")
	ts := &tokens{cfg: cfg, tok: signIn(t, cfg)}
	c := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: "alice@example.test",
		Tokens: ts, Mechanism: imap.XOAuth2, Timeout: 10 * time.Second}
	if src, err := imap.Open(context.Background(), c); err == nil {
		src.Close()
		t.Fatal("bob's token opened alice's mailbox")
	}
	c.Username = "bob@example.test"
	src, err := imap.Open(context.Background(), c)
	if err != nil {
		t.Fatal(err)
	}
	src.Close()
}
