package accounts

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"leadminer/backend/oauth"
	"leadminer/backend/secrets"
	"leadminer/backend/store"
)

// tokenSources keeps one token source per OAuth account, so the access
// token is reused across runs instead of renewed each time.
type tokenSources struct {
	mu sync.Mutex
	m  map[string]*oauth.TokenSource
}

func (s *Service) tokenSource(p oauth.Provider, uri string) *oauth.TokenSource {
	s.tokens.mu.Lock()
	defer s.tokens.mu.Unlock()
	if s.tokens.m == nil {
		s.tokens.m = map[string]*oauth.TokenSource{}
	}
	if ts, ok := s.tokens.m[uri]; ok && ts.Provider.TokenURL == p.TokenURL && ts.Provider.ClientID == p.ClientID {
		return ts
	}
	ts := &oauth.TokenSource{Provider: p, Gate: s.gate(), Keychain: s.Keychain, Key: secrets.OAuthRefreshKey(uri), Now: s.Now,
		Revoked: func(err error) {
			msg := fmt.Sprintf("%s no longer lets LeadMiner read this mailbox: reconnect the account.", p.Name)
			if e := s.Store.SetAccountAuthError(context.Background(), uri, msg); e != nil {
				s.Log.Error("could not mark the account for reconnection", "err", e)
			}
			s.Log.Warn("sign-in revoked", "provider", p.ID, "err", err)
		}}
	s.tokens.m[uri] = ts
	return ts
}

// SignIn signs in with Google or Microsoft in the browser, checks that the
// mailbox opens with the new token, keeps the refresh token in the keychain
// and saves the account. Signing in is the user's own action: it switches
// on the provider's sign-in service in the egress register.
func (s *Service) SignIn(ctx context.Context, providerID, loginHint string) (store.Account, error) {
	p, err := oauth.Lookup(ctx, providerID, s.Store)
	if err != nil {
		return store.Account{}, err
	}
	if err := p.CheckClient(); err != nil {
		return store.Account{}, err // before the switch: nothing was tried
	}
	gate := s.gate()
	if err := gate.SetEnabled(ctx, p.Subprocessor, true); err != nil {
		return store.Account{}, err
	}
	if s.Browser == nil {
		return store.Account{}, errors.New("no way to open a browser for the sign-in")
	}
	res, err := oauth.SignIn{Provider: p, Gate: gate, OpenBrowser: s.Browser, LoginHint: strings.TrimSpace(loginHint),
		Timeout: s.SignInTimeout}.Run(ctx)
	if err != nil {
		return store.Account{}, err
	}
	cfg := p.IMAPConfig(res.Email)
	uri := cfg.URI()
	key := secrets.OAuthRefreshKey(uri)
	if err := s.Keychain.Set(key, res.Token.RefreshToken); err != nil {
		return store.Account{}, err
	}
	ts := s.tokenSource(p, uri)
	ts.Seed(res.Token)
	cfg.Tokens, cfg.Dial, cfg.Connections = ts, s.Dial, 1
	src, err := s.Open(ctx, cfg)
	if err != nil {
		s.Keychain.Delete(key)
		return store.Account{}, fmt.Errorf("signed in to %s, but the mailbox did not open: %w", p.Name, err)
	}
	src.Close()
	provider := p.Name
	if d := Detect(res.Email); d.Provider != "" {
		provider = d.Provider
	}
	id, err := s.Store.SaveAccount(ctx, store.Account{Kind: "imap", Label: res.Email, URI: uri, Email: res.Email,
		Provider: provider, Auth: p.ID})
	if err != nil {
		return store.Account{}, err
	}
	return s.Store.AccountByID(ctx, id)
}

// Reconnect signs an account in again (after a revocation).
func (s *Service) Reconnect(ctx context.Context, id int64) (store.Account, error) {
	a, err := s.Store.AccountByID(ctx, id)
	if err != nil {
		return store.Account{}, err
	}
	if a.Auth == "" {
		return store.Account{}, fmt.Errorf("%s signs in with a password: add it again with the new password", a.Label)
	}
	return s.SignIn(ctx, a.Auth, a.Email)
}

// oauthState says whether an OAuth account can sign in ("" when it can).
func (s *Service) oauthState(a store.Account) string {
	if a.AuthError != "" {
		return a.AuthError
	}
	if _, err := s.Keychain.Get(secrets.OAuthRefreshKey(a.URI)); err != nil {
		if errors.Is(err, secrets.ErrNotFound) {
			return "The sign-in is not in the keychain: reconnect the account."
		}
		return err.Error()
	}
	return ""
}

// switchOffUnused turns a provider's sign-in service off once no account
// uses it any more.
func (s *Service) switchOffUnused(ctx context.Context, providerID string) error {
	all, err := s.Store.Accounts(ctx)
	if err != nil {
		return err
	}
	for _, a := range all {
		if a.Auth == providerID {
			return nil
		}
	}
	p, err := oauth.Lookup(ctx, providerID, nil)
	if err != nil {
		return err
	}
	return s.gate().SetEnabled(ctx, p.Subprocessor, false)
}

// SetOAuthClient saves the OAuth client a provider's sign-in uses (your own
// registered app), over the built-in one. A desktop client's secret is not
// confidential (Google says so of installed apps), so the settings table is
// its place; an empty secret clears a saved one.
func (s *Service) SetOAuthClient(ctx context.Context, provider, clientID, clientSecret string) error {
	if _, err := oauth.Lookup(ctx, provider, nil); err != nil {
		return err
	}
	if strings.TrimSpace(clientID) == "" {
		return errors.New("the client id is empty")
	}
	if err := s.Store.SetSetting(ctx, "oauth:"+provider+":client_id", strings.TrimSpace(clientID)); err != nil {
		return fmt.Errorf("save the client id: %w", err)
	}
	if err := s.Store.SetSetting(ctx, "oauth:"+provider+":client_secret", strings.TrimSpace(clientSecret)); err != nil {
		return fmt.Errorf("save the client secret: %w", err)
	}
	return nil
}

// SignInProvider is a provider the app can sign in with.
type SignInProvider struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Configured says whether a client id is set (built in, environment or
	// settings); without one the sign-in cannot start.
	Configured bool `json:"configured"`
}

// SignInProviders lists the providers in the order the app shows them.
func (s *Service) SignInProviders(ctx context.Context) ([]SignInProvider, error) {
	out := make([]SignInProvider, 0, len(oauth.ProviderIDs))
	for _, id := range oauth.ProviderIDs {
		p, err := oauth.Lookup(ctx, id, s.Store)
		if err != nil {
			return nil, err
		}
		out = append(out, SignInProvider{ID: id, Name: p.Name, Configured: p.CheckClient() == nil})
	}
	return out, nil
}
