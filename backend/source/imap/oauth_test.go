package imap_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
)

// introspection is the OAuth 2.0 token introspection endpoint (RFC 7662)
// Dovecot's oauth2 passdb asks about every token.
type introspection struct {
	mu     sync.Mutex
	active map[string]bool
}

func (i *introspection) set(token string, active bool) {
	i.mu.Lock()
	defer i.mu.Unlock()
	i.active[token] = active
}

func (i *introspection) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	i.mu.Lock()
	ok := i.active[r.Form.Get("token")]
	i.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	if !ok {
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"active": false})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"active": true, "username": login})
}

// rotatingTokens stands for the accounts package's token source: Refresh
// gets a new token from the provider.
type rotatingTokens struct {
	mu        sync.Mutex
	current   string
	next      string
	refreshes int
}

func (r *rotatingTokens) Token(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.current, nil
}

func (r *rotatingTokens) Refresh(context.Context) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.current = r.next
	r.refreshes++
	return r.current, nil
}

func TestExpiredTokenIsRefreshedAndTheRunContinues(t *testing.T) {
	for _, mech := range []string{imap.XOAuth2, imap.OAuthBearer} {
		t.Run(mech, func(t *testing.T) {
			intro := &introspection{active: map[string]bool{"tok-1": true}}
			endpoint := httptest.NewServer(intro)
			defer endpoint.Close()
			srv := dovecottest.Start(t, dovecottest.Options{
				Users:                  map[string]string{login: password},
				OAuth2IntrospectionURL: endpoint.URL,
			})
			for folder, msgs := range demoMailbox(t) {
				srv.Deliver(t, login, folder, msgs...)
			}
			reference := openStore(t)
			mine(t, reference, openIMAP(t, config(srv)))

			proxy := dovecottest.StartProxy(t, srv.Addr())
			tokens := &rotatingTokens{current: "tok-1", next: "tok-2"}
			cfg := imap.Config{Host: "127.0.0.1", Port: proxy.Port(), Security: imap.None, Username: login,
				Tokens: tokens, Mechanism: mech, ChunkSize: 100}
			src := openIMAP(t, cfg)
			// Mid-run, the connections drop and the old token expires.
			proxy.OnCut = func() {
				intro.set("tok-1", false)
				intro.set("tok-2", true)
			}
			proxy.CutNext(2, 30_000)
			st := openStore(t)
			mine(t, st, src)
			if _, cut := proxy.Stats(); cut == 0 {
				t.Fatal("no connection was cut: the test proved nothing")
			}
			if tokens.refreshes == 0 {
				t.Error("the token was never refreshed")
			}
			diff(t, "after a token refresh", allContacts(t, reference), allContacts(t, st))
		})
	}
}

func TestRevokedTokenSaysReconnect(t *testing.T) {
	intro := &introspection{active: map[string]bool{}}
	endpoint := httptest.NewServer(intro)
	defer endpoint.Close()
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}, OAuth2IntrospectionURL: endpoint.URL})
	cfg := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: login,
		Tokens: &rotatingTokens{current: "revoked", next: "still-revoked"}}
	_, err := imap.Open(context.Background(), cfg)
	if !isKind(err, imap.KindToken) {
		t.Fatalf("err = %v, want a token error telling to reconnect", err)
	}
}
