// Package oauth signs the user in to Google and Microsoft the way a
// desktop mail client does (RFC 8252): the authorization code flow with
// PKCE (S256) in the system browser, a redirect to a listener on
// 127.0.0.1, and the token endpoint reached through the egress gate. The
// refresh token lives only in the OS keychain; access tokens stay in
// memory and are renewed before they expire and whenever the mail server
// refuses one.
package oauth

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"leadminer/backend/egress"
	"leadminer/backend/oauth/loopback"
	"leadminer/backend/secrets"
	"leadminer/backend/source/imap"
)

// Provider is an OAuth identity provider that also serves the mailbox.
type Provider struct {
	ID   string // "google", "microsoft"
	Name string // "Google"
	// Subprocessor is the egress register entry of its sign-in endpoints.
	Subprocessor string
	AuthURL      string
	TokenURL     string
	// Scopes are the least the mailbox needs (no contacts, no sending).
	Scopes     []string
	AuthParams map[string]string
	ClientID   string
	// ClientSecret: Google's "desktop app" clients have one (it is not a
	// secret in an installed app, per Google's documentation); Microsoft's
	// public clients none.
	ClientSecret string
	// IMAP is where the mailbox is, and how to log in.
	IMAPHost  string
	IMAPPort  int
	Security  imap.Security
	Mechanism string
}

// Build-time client ids (-ldflags "-X leadminer/backend/oauth.googleClientID=…").
var (
	googleClientID        string
	googleClientSecret    string
	microsoftClientID     string
	microsoftClientSecret string
)

// Settings reads a setting saved by the user (client ids).
type Settings interface {
	Setting(ctx context.Context, key string) (string, error)
}

// Errors the facade turns into messages.
var (
	ErrUnknownProvider = errors.New("unknown sign-in provider")
	ErrNoClientID      = errors.New("no OAuth client id")
	ErrDenied          = errors.New("access was not granted")
	ErrRevoked         = errors.New("access was revoked or has expired")
	ErrNoRefreshToken  = errors.New("the provider gave no refresh token")
)

// ProviderIDs are the providers, in the order the UI shows them.
var ProviderIDs = []string{"google", "microsoft"}

// Lookup returns a provider with its configuration: built in, then from the
// environment (LEADMINER_OAUTH_GOOGLE_…), then from the user's settings
// (oauth:google:client_id, oauth:google:client_secret).
func Lookup(ctx context.Context, id string, settings Settings) (Provider, error) {
	var p Provider
	switch id {
	case "google":
		p = Provider{ID: id, Name: "Google", Subprocessor: "google-oauth",
			AuthURL: "https://accounts.google.com/o/oauth2/v2/auth", TokenURL: "https://oauth2.googleapis.com/token",
			Scopes:     []string{"https://mail.google.com/", "openid", "email"},
			AuthParams: map[string]string{"access_type": "offline", "prompt": "consent select_account"},
			ClientID:   googleClientID, ClientSecret: googleClientSecret,
			IMAPHost: "imap.gmail.com", IMAPPort: 993, Security: imap.Implicit, Mechanism: imap.XOAuth2}
	case "microsoft":
		p = Provider{ID: id, Name: "Microsoft", Subprocessor: "microsoft-oauth",
			AuthURL:    "https://login.microsoftonline.com/common/oauth2/v2.0/authorize",
			TokenURL:   "https://login.microsoftonline.com/common/oauth2/v2.0/token",
			Scopes:     []string{"https://outlook.office.com/IMAP.AccessAsUser.All", "offline_access", "openid", "email"},
			AuthParams: map[string]string{"prompt": "select_account"},
			ClientID:   microsoftClientID, ClientSecret: microsoftClientSecret,
			IMAPHost: "outlook.office365.com", IMAPPort: 993, Security: imap.Implicit, Mechanism: imap.XOAuth2}
	default:
		return Provider{}, fmt.Errorf("%w %q (google or microsoft)", ErrUnknownProvider, id)
	}
	env := "LEADMINER_OAUTH_" + strings.ToUpper(id) + "_"
	for name, field := range map[string]*string{"AUTH_URL": &p.AuthURL, "TOKEN_URL": &p.TokenURL,
		"CLIENT_ID": &p.ClientID, "CLIENT_SECRET": &p.ClientSecret} {
		if v := os.Getenv(env + name); v != "" {
			*field = v
		}
	}
	if settings != nil {
		for key, field := range map[string]*string{"client_id": &p.ClientID, "client_secret": &p.ClientSecret} {
			if v, err := settings.Setting(ctx, "oauth:"+id+":"+key); err == nil && v != "" {
				*field = v
			}
		}
	}
	if v := os.Getenv(env + "IMAP"); v != "" {
		if err := p.setIMAP(v); err != nil {
			return Provider{}, fmt.Errorf("%sIMAP: %w", env, err)
		}
	}
	return p, nil
}

// setIMAP reads "host:port?tls=implicit|starttls|none[&sasl=oauthbearer]".
func (p *Provider) setIMAP(v string) error {
	hostPort, query, _ := strings.Cut(v, "?")
	host, port, ok := strings.Cut(hostPort, ":")
	n, err := strconv.Atoi(port)
	if !ok || host == "" || err != nil || n <= 0 || n > 65535 {
		return fmt.Errorf("%q is not host:port?tls=…", v)
	}
	q, err := url.ParseQuery(query)
	if err != nil {
		return err
	}
	p.IMAPHost, p.IMAPPort = host, n
	if t := q.Get("tls"); t != "" {
		p.Security = imap.Security(t)
	}
	switch strings.ToUpper(q.Get("sasl")) {
	case "":
	case imap.XOAuth2:
		p.Mechanism = imap.XOAuth2
	case imap.OAuthBearer:
		p.Mechanism = imap.OAuthBearer
	default:
		return fmt.Errorf("unknown sasl mechanism %q", q.Get("sasl"))
	}
	return nil
}

// CheckClient says how to set a client id when there is none (ErrNoClientID).
func (p Provider) CheckClient() error {
	if p.ClientID != "" {
		return nil
	}
	return fmt.Errorf("%w for %s: register an app with %s and run leadminer account client %s --id YOUR_CLIENT_ID, "+
		"or set LEADMINER_OAUTH_%s_CLIENT_ID (see the README, \"Sign in with Google and Microsoft\")",
		ErrNoClientID, p.Name, p.Name, p.ID, strings.ToUpper(p.ID))
}

// IMAPConfig is the mailbox of an address at this provider (no secret).
func (p Provider) IMAPConfig(email string) imap.Config {
	return imap.Config{Host: p.IMAPHost, Port: p.IMAPPort, Security: p.Security, Username: email, Email: email, Mechanism: p.Mechanism}
}

func (p Provider) config(redirect string) *oauth2.Config {
	return &oauth2.Config{ClientID: p.ClientID, ClientSecret: p.ClientSecret, Scopes: p.Scopes, RedirectURL: redirect,
		Endpoint: oauth2.Endpoint{AuthURL: p.AuthURL, TokenURL: p.TokenURL, AuthStyle: oauth2.AuthStyleInParams}}
}

// call is the egress register's view of a request to the token endpoint.
func (p Provider) call(purpose string) egress.Call {
	return egress.Call{Subprocessor: p.Subprocessor, Purpose: purpose}
}

// withClient hands x/oauth2 the gate's client: without it the library
// would use http.DefaultClient, outside the gate.
func withClient(ctx context.Context, g *egress.Gate, c egress.Call) context.Context {
	return context.WithValue(ctx, oauth2.HTTPClient, g.HTTPClient(c))
}

// SignIn is one sign-in in the browser.
type SignIn struct {
	Provider Provider
	Gate     *egress.Gate
	// OpenBrowser shows the authorization page (the system browser; the
	// command line prints the address).
	OpenBrowser func(authURL string) error
	// LoginHint preselects the account (a reconnect knows it).
	LoginHint string
	// Timeout bounds the wait for the browser (default 5 minutes).
	Timeout time.Duration
}

// Result of a sign-in: the account's address and its tokens.
type Result struct {
	Email string
	Token *oauth2.Token
}

// Run opens the browser, waits for the redirect, checks it and exchanges
// the code for tokens.
func (s SignIn) Run(ctx context.Context) (Result, error) {
	p := s.Provider
	if err := p.CheckClient(); err != nil {
		return Result{}, err
	}
	timeout := s.Timeout
	if timeout <= 0 {
		timeout = 5 * time.Minute
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()

	verifier := oauth2.GenerateVerifier()
	state := randomState()
	var conf *oauth2.Config // set once the listener knows its address
	var res Result
	var runErr error
	recv, err := loopback.Listen("/oauth/callback", func(q url.Values) (loopback.Page, bool) {
		if q.Get("state") != state {
			// Another tab or an old sign-in: not ours; keep waiting.
			return loopback.Page{Title: "This sign-in is not the one LeadMiner is waiting for",
				Message: "Go back to LeadMiner and start the sign-in again."}, false
		}
		if e := q.Get("error"); e != "" {
			runErr = fmt.Errorf("%w by %s: %s %s", ErrDenied, p.Name, e, q.Get("error_description"))
			if e != "access_denied" {
				runErr = fmt.Errorf("%s refused the sign-in: %s %s", p.Name, e, q.Get("error_description"))
			}
			return loopback.Page{Title: "LeadMiner was not allowed to read your mail",
				Message: "Nothing was shared. You can close this tab and try again from LeadMiner."}, true
		}
		tok, err := conf.Exchange(withClient(ctx, s.Gate, p.call("Sign in to "+p.Name)), q.Get("code"), oauth2.VerifierOption(verifier))
		if err == nil && tok.RefreshToken == "" {
			err = fmt.Errorf("%w: remove LeadMiner from your %s account's connected apps and sign in again", ErrNoRefreshToken, p.Name)
		}
		if err != nil {
			runErr = err
			return loopback.Page{Title: "The sign-in did not complete",
				Message: "LeadMiner could not finish signing in. Close this tab and read the message in LeadMiner."}, true
		}
		res = Result{Email: emailOf(tok, s.LoginHint), Token: tok}
		if res.Email == "" {
			runErr = fmt.Errorf("%s did not say which address signed in: sign in again with the address given", p.Name)
			return loopback.Page{Title: "The sign-in did not complete", Message: "Close this tab and read the message in LeadMiner."}, true
		}
		return loopback.Page{OK: true, Title: "You are signed in",
			Message: "LeadMiner can now read the headers of " + res.Email + ". You can close this tab and go back to LeadMiner."}, true
	})
	if err != nil {
		return Result{}, err
	}
	defer recv.Close()
	conf = p.config(recv.RedirectURI())
	opts := []oauth2.AuthCodeOption{oauth2.S256ChallengeOption(verifier)}
	for k, v := range p.AuthParams {
		opts = append(opts, oauth2.SetAuthURLParam(k, v))
	}
	if s.LoginHint != "" {
		opts = append(opts, oauth2.SetAuthURLParam("login_hint", s.LoginHint))
	}
	authURL := conf.AuthCodeURL(state, opts...)
	if err := s.OpenBrowser(authURL); err != nil {
		return Result{}, fmt.Errorf("could not open the browser (open this address yourself: %s): %w", authURL, err)
	}
	waitErr := recv.Wait(ctx)
	switch {
	case errors.Is(waitErr, context.DeadlineExceeded):
		return Result{}, fmt.Errorf("the sign-in was not finished in the browser within %v: start it again", timeout.Round(time.Second))
	case waitErr != nil:
		return Result{}, waitErr
	case runErr != nil:
		return Result{}, runErr
	}
	return res, nil
}

func randomState() string {
	b := make([]byte, 24)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// emailOf reads the address from the ID token the token endpoint returned.
// It came straight from the provider over TLS, which OpenID Connect Core
// §3.1.3.7 accepts in place of checking its signature.
func emailOf(tok *oauth2.Token, hint string) string {
	raw, _ := tok.Extra("id_token").(string)
	parts := strings.Split(raw, ".")
	if len(parts) == 3 {
		if b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(parts[1], "=")); err == nil {
			var claims struct {
				Email             string `json:"email"`
				PreferredUsername string `json:"preferred_username"`
			}
			if json.Unmarshal(b, &claims) == nil {
				for _, e := range []string{claims.Email, claims.PreferredUsername} {
					if strings.Contains(e, "@") {
						return strings.ToLower(strings.TrimSpace(e))
					}
				}
			}
		}
	}
	return strings.ToLower(strings.TrimSpace(hint))
}

// TokenSource gives the IMAP client access tokens for one account; it
// implements imap.TokenSource.
type TokenSource struct {
	Provider Provider
	Gate     *egress.Gate
	Keychain secrets.Keychain
	// Key is the keychain entry of the refresh token.
	Key string
	// Revoked is told once when the provider refuses the refresh token,
	// so the account says "Needs reconnect".
	Revoked func(error)
	Now     func() time.Time

	mu  sync.Mutex
	tok *oauth2.Token
	got time.Time // when tok was issued
}

// RefreshMargin: an access token this close to its expiry is renewed first
// (the hosted product's 300 s), or at half its life if it is short.
const RefreshMargin = 5 * time.Minute

// Seed starts with the access token of a sign-in.
func (t *TokenSource) Seed(tok *oauth2.Token) {
	t.mu.Lock()
	t.tok, t.got = tok, t.now()
	t.mu.Unlock()
}

// fresh says whether the token can be used without renewing it first.
func (t *TokenSource) fresh(tok *oauth2.Token, got time.Time) bool {
	if tok == nil || tok.AccessToken == "" {
		return false
	}
	if tok.Expiry.IsZero() {
		return true
	}
	margin := min(RefreshMargin, tok.Expiry.Sub(got)/2)
	return tok.Expiry.Sub(t.now()) > margin
}

func (t *TokenSource) now() time.Time {
	if t.Now != nil {
		return t.Now()
	}
	return time.Now()
}

// Token returns a valid access token, renewing it when it is about to expire.
func (t *TokenSource) Token(ctx context.Context) (string, error) {
	t.mu.Lock()
	tok, got := t.tok, t.got
	t.mu.Unlock()
	if t.fresh(tok, got) {
		return tok.AccessToken, nil
	}
	return t.Refresh(ctx)
}

// Refresh asks the provider for a new access token with the refresh token
// from the keychain (and keeps a rotated refresh token).
func (t *TokenSource) Refresh(ctx context.Context) (string, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rt, err := t.Keychain.Get(t.Key)
	if err != nil {
		if errors.Is(err, secrets.ErrNotFound) {
			err = fmt.Errorf("%w: the %s sign-in is not in the keychain", ErrRevoked, t.Provider.Name)
			t.revoked(err)
		}
		return "", err
	}
	cctx := withClient(ctx, t.Gate, t.Provider.call("Renew access to your "+t.Provider.Name+" mailbox"))
	tok, err := t.Provider.config("").TokenSource(cctx, &oauth2.Token{RefreshToken: rt}).Token()
	if err != nil {
		var re *oauth2.RetrieveError
		if errors.As(err, &re) && re.ErrorCode == "invalid_grant" {
			// Microsoft appends trace and correlation ids on further lines.
			desc, _, _ := strings.Cut(re.ErrorDescription, "\n")
			err = fmt.Errorf("%w: %s no longer accepts LeadMiner's access (%s)", ErrRevoked, t.Provider.Name, strings.TrimSpace(desc))
			t.revoked(err)
		}
		return "", err
	}
	if tok.RefreshToken != "" && tok.RefreshToken != rt {
		if err := t.Keychain.Set(t.Key, tok.RefreshToken); err != nil {
			return "", err
		}
	}
	t.tok, t.got = tok, t.now()
	return tok.AccessToken, nil
}

func (t *TokenSource) revoked(err error) {
	if t.Revoked != nil {
		t.Revoked(err)
	}
}
