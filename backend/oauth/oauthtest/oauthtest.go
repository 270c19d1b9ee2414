// Package oauthtest is a fake Google or Microsoft OAuth 2.0 authorization
// server for tests, since the real ones cannot be reached from them. It
// serves, on loopback, the endpoints a desktop app uses to sign in with the
// authorization code flow, PKCE and a loopback redirect (RFC 6749, RFC 7636,
// RFC 8252; Google's "OAuth 2.0 for iOS & Desktop Apps", Microsoft identity
// platform's "authorization code flow"), and the token introspection
// endpoint (RFC 7662) that Dovecot's oauth2 passdb asks about every token
// (dovecottest.Options.OAuth2IntrospectionURL).
//
// There is no user interface: the fake user has signed in and consents at
// once, so a GET of the authorization URL answers 302 to the redirect URI
// with a code, as a browser would see after the user's click. Tests steer
// the user with Approve and Deny, revoke grants with Revoke and RevokeAll,
// and end access tokens early with ExpireAccessTokens.
//
// The fake follows the providers' documented answers (status codes, error
// codes, Google's descriptions, Microsoft's AADSTS descriptions) and is
// stricter than they are where the app must be: PKCE with S256 is required
// (both providers also accept plain or no PKCE), the mail scope is required,
// and scopes outside a short list are refused. Refusals of this kind have a
// description starting "oauthtest:" so that they are never mistaken for a
// provider's. Every refusal is logged with t.Logf (error and description:
// never a token or code) and kept in Stats.LastError.
//
// What a client meets, as with the real providers: Google codes and tokens
// contain "/" (URL-encode them); Google sends a refresh token only when a
// code is redeemed, Microsoft only with offline_access and a new one at
// every refresh (the old one stays valid); an ID token comes only when
// openid (Google: or email, profile) was asked, with the email claim only
// for the email scope (Microsoft's preferred_username for profile);
// Microsoft's error descriptions end with "\r\nTrace ID: …\r\nCorrelation
// ID: …\r\nTimestamp: …"; JSON comes as "application/json; charset=utf-8".
//
// Only tests import it.
package oauthtest

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html"
	"log"
	"math/big"
	"mime"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// Provider is the provider the server imitates.
type Provider string

const (
	Google    Provider = "google"
	Microsoft Provider = "microsoft"
)

// The scopes that give IMAP access; an authorization request without the
// provider's is refused with invalid_scope.
const (
	GoogleMailScope    = "https://mail.google.com/"
	MicrosoftIMAPScope = "https://outlook.office.com/IMAP.AccessAsUser.All"
)

// CodeLifetime is how long an authorization code can be redeemed.
const CodeLifetime = 60 * time.Second

// The issuers written in ID tokens: Google's, and Microsoft's for personal
// accounts (the consumers tenant).
const (
	GoogleIssuer          = "https://accounts.google.com"
	MicrosoftTenantID     = "9188040d-6c67-4c5b-b112-36a304b66dad"
	MicrosoftIssuer       = "https://login.microsoftonline.com/" + MicrosoftTenantID + "/v2.0"
	idTokenLifetime       = time.Hour
	defaultAccessLifetime = time.Hour
)

// Options shape the server.
type Options struct {
	// Provider is Google or Microsoft (required).
	Provider Provider
	// ClientID is the only client the server knows (default "test-client").
	ClientID string
	// ClientSecret, when set, must come with every token request, in the
	// form (client_secret) or with HTTP Basic authentication: Google
	// desktop clients have one. When empty, Google does not check it, and
	// Microsoft treats the app as a public client, which must not send one
	// (401 invalid_client, AADSTS700025).
	ClientSecret string
	// Users are the addresses that can sign in; the first is the account the
	// fake user picks unless login_hint names another or a test calls
	// Approve (default "alice@example.test").
	Users []string
	// AccessTTL is the lifetime of access tokens (default 1 hour); expires_in
	// says it in whole seconds.
	AccessTTL time.Duration
	// Now is the server's clock (default time.Now): codes, access tokens
	// and ID tokens expire by it.
	Now func() time.Time
	// TLS serves the provider endpoints over HTTPS with a certificate for
	// 127.0.0.1 (see Certificate), as the real ones are. The introspection
	// endpoint stays plain HTTP on loopback, for Dovecot.
	TLS bool
}

// Server is a running fake provider. It is closed at the test's cleanup.
type Server struct {
	// AuthURL and TokenURL are the authorization and token endpoints, at the
	// provider's paths (Google: /o/oauth2/v2/auth and /token, also
	// /o/oauth2/token; Microsoft: /common/oauth2/v2.0/authorize and
	// /common/oauth2/v2.0/token, also under /consumers and /organizations).
	AuthURL  string
	TokenURL string
	// IntrospectURL is the RFC 7662 introspection endpoint, for Dovecot's
	// oauth2 passdb with introspection_mode = post.
	IntrospectURL string

	t       testing.TB
	opts    Options
	srv     *httptest.Server
	intro   *httptest.Server
	key     []byte // signs ID tokens
	mu      sync.Mutex
	user    string // set by Approve
	deny    bool
	codes   map[string]*authCode
	access  map[string]*accessToken
	fresh   map[string]*grant // refresh tokens
	issued  []string          // access and refresh tokens, in order
	codeLog []string          // authorization codes, in order
	stats   Stats
}

// Stats count the requests each endpoint received, refused ones included.
type Stats struct {
	Authorizations int
	CodeExchanges  int // token requests with grant_type=authorization_code
	Refreshes      int // token requests with grant_type=refresh_token
	Introspections int
	// LastAuthorization is the latest authorization request.
	LastAuthorization AuthRequest
	// LastError is the latest refusal by any endpoint, as "error:
	// description" ("" when there was none). An introspection of an
	// inactive token counts as one.
	LastError string
}

// AuthRequest is what an authorization request asked for.
type AuthRequest struct {
	ClientID            string
	RedirectURI         string
	State               string
	Scopes              []string
	CodeChallengeMethod string
	LoginHint           string
	Prompt              string
	AccessType          string // Google's access_type (recorded only)
	Nonce               string
}

// grant is one authorization by the user: the tokens issued from one code.
type grant struct {
	email    string
	clientID string
	scopes   []string
	nonce    string
	revoked  bool
}

type authCode struct {
	grant       *grant
	redirectURI string
	challenge   string
	expires     time.Time
	used        bool
}

type accessToken struct {
	grant   *grant
	issued  time.Time
	expires time.Time
	ended   bool // by ExpireAccessTokens or the reuse of its code
}

// Start serves a fake provider on 127.0.0.1 until the test ends.
func Start(t testing.TB, opts Options) *Server {
	t.Helper()
	if opts.Provider != Google && opts.Provider != Microsoft {
		t.Fatalf("oauthtest: Provider must be %q or %q, not %q", Google, Microsoft, opts.Provider)
	}
	if opts.ClientID == "" {
		opts.ClientID = "test-client"
	}
	if len(opts.Users) == 0 {
		opts.Users = []string{"alice@example.test"}
	}
	if opts.AccessTTL <= 0 {
		opts.AccessTTL = defaultAccessLifetime
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{t: t, opts: opts, key: make([]byte, 32),
		codes: map[string]*authCode{}, access: map[string]*accessToken{}, fresh: map[string]*grant{}}
	rand.Read(s.key)

	mux := http.NewServeMux()
	var authPath, tokenPath string
	if opts.Provider == Google {
		authPath, tokenPath = "/o/oauth2/v2/auth", "/token"
		mux.HandleFunc("GET "+authPath, s.authorize)
		mux.HandleFunc("POST "+tokenPath, s.token)
		mux.HandleFunc("POST /o/oauth2/token", s.token)
	} else {
		authPath, tokenPath = "/common/oauth2/v2.0/authorize", "/common/oauth2/v2.0/token"
		for _, tenant := range []string{"common", "consumers", "organizations"} {
			mux.HandleFunc("GET /"+tenant+"/oauth2/v2.0/authorize", s.authorize)
			mux.HandleFunc("POST /"+tenant+"/oauth2/v2.0/token", s.token)
		}
	}
	s.srv = s.serve(mux, opts.TLS)
	introMux := http.NewServeMux()
	introMux.HandleFunc("POST /introspect", s.introspect)
	s.intro = s.serve(introMux, false)
	t.Cleanup(func() {
		s.srv.Close()
		s.intro.Close()
	})
	s.AuthURL = s.srv.URL + authPath
	s.TokenURL = s.srv.URL + tokenPath
	s.IntrospectURL = s.intro.URL + "/introspect"
	return s
}

// serve starts an httptest server whose own errors (a TLS handshake with a
// client that does not trust the certificate) go to the test's log.
func (s *Server) serve(h http.Handler, withTLS bool) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.Config.ErrorLog = log.New(testLog{s.t}, "oauthtest: server: ", 0)
	if withTLS {
		srv.StartTLS()
	} else {
		srv.Start()
	}
	return srv
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Logf("%s", strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// Certificate is the provider endpoints' certificate with Options.TLS (for
// a client's RootCAs), nil without.
func (s *Server) Certificate() *x509.Certificate {
	if !s.opts.TLS {
		return nil
	}
	return s.srv.Certificate()
}

// Approve makes the fake user sign in as email in every later
// authorization, whatever login_hint says (as a user who picks another
// account in the browser); email need not be in Options.Users. It cancels a
// pending Deny.
func (s *Server) Approve(email string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.user, s.deny = email, false
}

// Deny makes the fake user refuse the next authorization: it redirects with
// error=access_denied. The one after is approved again.
func (s *Server) Deny() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deny = true
}

// Revoke withdraws the authorization a refresh token belongs to, as a user
// who removes the app's access: every refresh token of that grant (with
// Microsoft's rotation there can be several) then gets invalid_grant.
// Access tokens already issued stay active until they expire, as
// Microsoft's do; call ExpireAccessTokens too to imitate Google's revocation.
// An unknown token fails the test.
func (s *Server) Revoke(refreshToken string) {
	s.t.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	g := s.fresh[refreshToken]
	if g == nil {
		s.t.Errorf("oauthtest: Revoke: not a refresh token this server issued")
		return
	}
	g.revoked = true
}

// RevokeAll revokes every grant made so far (see Revoke); later sign-ins
// work.
func (s *Server) RevokeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, g := range s.fresh {
		g.revoked = true
	}
}

// ExpireAccessTokens ends every access token issued so far: introspection
// then says it is inactive. Tokens issued later are active.
func (s *Server) ExpireAccessTokens() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.access {
		a.ended = true
	}
}

// Stats are the counts so far.
func (s *Server) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.stats
	st.LastAuthorization.Scopes = slices.Clone(st.LastAuthorization.Scopes)
	return st
}

// IssuedTokens are every access and refresh token issued, in order (tests
// look for them where they must not be: files, logs).
func (s *Server) IssuedTokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.issued)
}

// IssuedCodes are every authorization code issued, in order.
func (s *Server) IssuedCodes() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.codeLog)
}

// refuse records and logs a refusal. The caller holds s.mu.
func (s *Server) refuse(endpoint, code, description string) {
	s.stats.LastError = code + ": " + description
	s.t.Logf("oauthtest: %s %s refused: %s: %s", s.opts.Provider, endpoint, code, description)
}

// ---- authorization endpoint ----

// scopes the fake knows; anything else is invalid_scope.
var knownScopes = map[Provider][]string{
	Google: {"openid", "email", "profile", GoogleMailScope,
		"https://www.googleapis.com/auth/userinfo.email", "https://www.googleapis.com/auth/userinfo.profile"},
	Microsoft: {"openid", "email", "profile", "offline_access", MicrosoftIMAPScope,
		"https://outlook.office.com/SMTP.Send", "https://outlook.office.com/POP.AccessAsUser.All"},
}

func (s *Server) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Authorizations++
	req := AuthRequest{ClientID: q.Get("client_id"), RedirectURI: q.Get("redirect_uri"), State: q.Get("state"),
		Scopes: strings.Fields(q.Get("scope")), CodeChallengeMethod: q.Get("code_challenge_method"),
		LoginHint: q.Get("login_hint"), Prompt: q.Get("prompt"), AccessType: q.Get("access_type"), Nonce: q.Get("nonce")}
	s.stats.LastAuthorization = req
	ms := s.opts.Provider == Microsoft

	// A bad client or redirect URI is shown to the user: the server must
	// not redirect to a URI it cannot trust (RFC 6749 §4.1.2.1).
	if req.ClientID != s.opts.ClientID {
		desc := "The OAuth client was not found."
		if ms {
			desc = fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory.", req.ClientID)
		}
		s.errorPage(w, "invalid_client", desc)
		return
	}
	if req.RedirectURI == "" {
		desc := "Missing required parameter: redirect_uri"
		if ms {
			desc = "AADSTS900144: The request body must contain the following parameter: 'redirect_uri'."
		}
		s.errorPage(w, "invalid_request", desc)
		return
	}
	if why := s.checkRedirect(req.RedirectURI); why != "" {
		desc := why
		if ms {
			desc = fmt.Sprintf("AADSTS50011: The redirect URI '%s' specified in the request does not match the redirect URIs configured for the application '%s' (%s).",
				req.RedirectURI, s.opts.ClientID, why)
		}
		s.errorPage(w, "redirect_uri_mismatch", desc)
		return
	}

	fail := func(code, desc, msDesc string) {
		if ms && msDesc != "" {
			desc = msDesc
		}
		s.refuse("authorization", code, desc)
		p := url.Values{"error": {code}}
		if desc != "" {
			p.Set("error_description", desc)
		}
		if _, ok := q["state"]; ok {
			p.Set("state", req.State)
		}
		redirect(w, req.RedirectURI, p)
	}
	for k, v := range q {
		if len(v) > 1 {
			fail("invalid_request", "oauthtest: parameter "+k+" repeated (RFC 6749 §3.1)", "")
			return
		}
	}
	switch rt := q.Get("response_type"); {
	case rt == "":
		fail("invalid_request", "Required parameter is missing: response_type",
			"AADSTS900144: The request body must contain the following parameter: 'response_type'.")
		return
	case rt != "code":
		fail("unsupported_response_type", "oauthtest: response_type must be code, not "+rt,
			"AADSTS70005: response_type '"+rt+"' is not enabled for the application.")
		return
	}
	if mode := q.Get("response_mode"); ms && mode != "" && mode != "query" {
		fail("invalid_request", "oauthtest: only response_mode=query is served (the loopback listener reads the query)", "")
		return
	}
	if len(req.Scopes) == 0 {
		fail("invalid_request", "Missing required parameter: scope",
			"AADSTS900144: The request body must contain the following parameter: 'scope'.")
		return
	}
	for _, sc := range req.Scopes {
		if !slices.Contains(knownScopes[s.opts.Provider], sc) {
			fail("invalid_scope", "Some requested scopes were invalid. {invalid=["+sc+"]}",
				"AADSTS70011: The provided value for the input parameter 'scope' is not valid. The scope '"+sc+"' is not valid.")
			return
		}
	}
	mail := GoogleMailScope
	if ms {
		mail = MicrosoftIMAPScope
	}
	if !slices.Contains(req.Scopes, mail) {
		fail("invalid_scope", "oauthtest: the scope must include "+mail+" (IMAP access)", "")
		return
	}
	challenge := q.Get("code_challenge")
	switch {
	case challenge == "":
		fail("invalid_request", "oauthtest: code_challenge is required (PKCE, RFC 7636)", "")
		return
	case req.CodeChallengeMethod != "S256":
		fail("invalid_request", fmt.Sprintf("oauthtest: code_challenge_method must be S256, not %q (plain, the default, is refused)",
			req.CodeChallengeMethod), "")
		return
	case len(challenge) != 43 || strings.Trim(challenge, base64URLAlphabet) != "":
		fail("invalid_request", "oauthtest: an S256 code_challenge is 43 characters of unpadded base64url", "")
		return
	}
	if s.deny {
		s.deny = false
		// Google sends no description.
		fail("access_denied", "", "AADSTS65004: User declined to consent to access the app.")
		return
	}

	email := s.opts.Users[0]
	if i := slices.IndexFunc(s.opts.Users, func(u string) bool { return strings.EqualFold(u, req.LoginHint) }); i >= 0 {
		email = s.opts.Users[i]
	}
	if s.user != "" {
		email = s.user
	}
	prefix := "4/0"
	if ms {
		prefix = "M.C5_"
	}
	code := newSecret(prefix)
	s.codes[code] = &authCode{
		grant:       &grant{email: email, clientID: req.ClientID, scopes: req.Scopes, nonce: req.Nonce},
		redirectURI: req.RedirectURI, challenge: challenge, expires: s.opts.Now().Add(CodeLifetime),
	}
	s.codeLog = append(s.codeLog, code)
	p := url.Values{"code": {code}}
	if _, ok := q["state"]; ok {
		p.Set("state", req.State)
	}
	if !ms {
		// Google also says which scopes were granted.
		p.Set("scope", s.grantedScope(req.Scopes))
	}
	redirect(w, req.RedirectURI, p)
}

const base64URLAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

// checkRedirect accepts the loopback redirect URIs of RFC 8252 §7.3 that
// the provider allows for desktop apps, on any port and path: Google
// http://127.0.0.1, http://[::1] and http://localhost; Microsoft
// http://127.0.0.1 and http://localhost ("the IPv6 loopback address ([::1])
// is not currently supported"). It returns why another is refused.
func (s *Server) checkRedirect(raw string) string {
	u, err := url.Parse(raw)
	switch {
	case err != nil:
		return "redirect_uri is not a URI"
	case u.Scheme != "http" || u.Opaque != "" || u.Host == "":
		return "redirect_uri must be a loopback http:// URI (RFC 8252 §7.3)"
	case u.User != nil:
		return "redirect_uri must not contain user information"
	case strings.Contains(raw, "#"):
		return "redirect_uri must not contain a fragment (RFC 6749 §3.1.2)"
	}
	if p := u.Port(); p != "" {
		if n, err := strconv.Atoi(p); err != nil || n < 1 || n > 65535 {
			return "redirect_uri has a bad port"
		}
	}
	switch u.Hostname() {
	case "127.0.0.1", "localhost":
		return ""
	case "::1":
		if s.opts.Provider == Google {
			return ""
		}
		return "the IPv6 loopback address [::1] is not supported by Microsoft"
	}
	return "redirect_uri must be on the loopback interface (127.0.0.1, [::1] or localhost)"
}

func (s *Server) errorPage(w http.ResponseWriter, code, desc string) {
	s.refuse("authorization", code, desc)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusBadRequest)
	fmt.Fprintf(w, "<!doctype html><title>Error 400: %s</title><h1>Access blocked: authorization error</h1><p>Error 400: %s</p><p>%s</p>\n",
		html.EscapeString(code), html.EscapeString(code), html.EscapeString(desc))
}

// redirect sends the browser to uri with params added to its query.
func redirect(w http.ResponseWriter, uri string, params url.Values) {
	u, _ := url.Parse(uri)
	q := u.Query()
	for k, v := range params {
		q[k] = v
	}
	u.RawQuery = q.Encode()
	w.Header().Set("Location", u.String())
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusFound)
}

// grantedScope is the scope a token response (and Google's redirect) lists:
// Google names email and profile by their long forms; Microsoft never lists
// offline_access.
func (s *Server) grantedScope(scopes []string) string {
	var out []string
	for _, sc := range scopes {
		if s.opts.Provider == Google {
			switch sc {
			case "email":
				sc = "https://www.googleapis.com/auth/userinfo.email"
			case "profile":
				sc = "https://www.googleapis.com/auth/userinfo.profile"
			}
		} else if sc == "offline_access" {
			continue
		}
		if !slices.Contains(out, sc) {
			out = append(out, sc)
		}
	}
	return strings.Join(out, " ")
}

// ---- token endpoint ----

// tokenError is an RFC 6749 §5.2 error answer.
type tokenError struct {
	status int
	code   string
	desc   string // Google's description
	msDesc string // Microsoft's, when it differs
	msCode int    // the AADSTS number, for error_codes
}

func (s *Server) token(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	resp, terr := s.tokenRequest(r)
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Pragma", "no-cache")
	if terr != nil {
		body := map[string]any{"error": terr.code, "error_description": terr.desc}
		if s.opts.Provider == Microsoft {
			if terr.msDesc != "" {
				body["error_description"] = terr.msDesc
			}
			now := s.opts.Now().UTC()
			body["error_description"] = body["error_description"].(string) +
				fmt.Sprintf("\r\nTrace ID: %s\r\nCorrelation ID: %s\r\nTimestamp: %s", newUUID(), newUUID(), now.Format("2006-01-02 15:04:05Z"))
			if terr.msCode != 0 {
				body["error_codes"] = []int{terr.msCode}
			}
			body["timestamp"] = now.Format("2006-01-02 15:04:05Z")
		}
		s.refuse("token", terr.code, strings.SplitN(body["error_description"].(string), "\r\n", 2)[0])
		if terr.status == http.StatusUnauthorized {
			h.Set("WWW-Authenticate", `Basic realm="oauthtest"`)
		}
		w.WriteHeader(terr.status)
		json.NewEncoder(w).Encode(body)
		return
	}
	json.NewEncoder(w).Encode(resp)
}

func (s *Server) tokenRequest(r *http.Request) (map[string]any, *tokenError) {
	badRequest := func(desc, msDesc string, msCode int) *tokenError {
		return &tokenError{http.StatusBadRequest, "invalid_request", desc, msDesc, msCode}
	}
	if ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); ct != "application/x-www-form-urlencoded" {
		return nil, badRequest("oauthtest: the body must be application/x-www-form-urlencoded (RFC 6749 §4.1.3)", "", 0)
	}
	if err := r.ParseForm(); err != nil {
		return nil, badRequest("oauthtest: unreadable form: "+err.Error(), "", 0)
	}
	form := r.PostForm
	grantType := form.Get("grant_type")
	switch grantType {
	case "authorization_code":
		s.stats.CodeExchanges++
	case "refresh_token":
		s.stats.Refreshes++
	}
	for k, v := range form {
		if len(v) > 1 {
			return nil, badRequest("oauthtest: parameter "+k+" repeated (RFC 6749 §3.2)", "", 0)
		}
	}
	if terr := s.authenticateClient(r, form); terr != nil {
		return nil, terr
	}
	switch grantType {
	case "":
		return nil, badRequest("Required parameter is missing: grant_type",
			"AADSTS900144: The request body must contain the following parameter: 'grant_type'.", 900144)
	case "authorization_code":
		return s.exchange(form)
	case "refresh_token":
		return s.refreshGrant(form)
	}
	return nil, &tokenError{http.StatusBadRequest, "unsupported_grant_type", "Invalid grant_type: " + grantType,
		"AADSTS70003: The app requested an unsupported grant type '" + grantType + "'.", 70003}
}

// authenticateClient checks the client (RFC 6749 §2.3.1: client_id and
// client_secret in the form or, URL-encoded, in HTTP Basic
// authentication).
func (s *Server) authenticateClient(r *http.Request, form url.Values) *tokenError {
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if user, pass, ok := r.BasicAuth(); ok {
		u, err1 := url.QueryUnescape(user)
		p, err2 := url.QueryUnescape(pass)
		if err1 != nil || err2 != nil || (id != "" && id != u) {
			return &tokenError{http.StatusUnauthorized, "invalid_client", "Unauthorized",
				"AADSTS7000216: The client credentials in the Authorization header are malformed.", 7000216}
		}
		id = u
		if p != "" {
			secret = p
		}
	}
	if id == "" {
		return &tokenError{http.StatusBadRequest, "invalid_request", "Could not determine client ID from request.",
			"AADSTS900144: The request body must contain the following parameter: 'client_id'.", 900144}
	}
	if id != s.opts.ClientID {
		return &tokenError{http.StatusUnauthorized, "invalid_client", "The OAuth client was not found.",
			fmt.Sprintf("AADSTS700016: Application with identifier '%s' was not found in the directory.", id), 700016}
	}
	want := s.opts.ClientSecret
	switch {
	case s.opts.Provider == Google && want == "":
	case s.opts.Provider == Google && secret == "":
		return &tokenError{http.StatusBadRequest, "invalid_request", "client_secret is missing.", "", 0}
	case s.opts.Provider == Microsoft && want == "" && secret != "":
		return &tokenError{http.StatusUnauthorized, "invalid_client", "",
			"AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.", 700025}
	case s.opts.Provider == Microsoft && want == "":
	case s.opts.Provider == Microsoft && secret == "":
		return &tokenError{http.StatusUnauthorized, "invalid_client", "",
			"AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or 'client_secret'.", 7000218}
	case subtle.ConstantTimeCompare([]byte(secret), []byte(want)) != 1:
		return &tokenError{http.StatusUnauthorized, "invalid_client", "Unauthorized",
			"AADSTS7000215: Invalid client secret provided.", 7000215}
	}
	return nil
}

// exchange redeems an authorization code (RFC 6749 §4.1.3, RFC 7636 §4.6).
func (s *Server) exchange(form url.Values) (map[string]any, *tokenError) {
	invalidGrant := func(desc, msDesc string, msCode int) *tokenError {
		return &tokenError{http.StatusBadRequest, "invalid_grant", desc, msDesc, msCode}
	}
	raw := form.Get("code")
	if raw == "" {
		return nil, &tokenError{http.StatusBadRequest, "invalid_request", "Missing required parameter: code",
			"AADSTS900144: The request body must contain the following parameter: 'code'.", 900144}
	}
	c := s.codes[raw]
	if c == nil {
		return nil, invalidGrant("Malformed auth code.", "AADSTS9002313: Invalid request. Request is malformed or invalid.", 9002313)
	}
	if c.used {
		// RFC 6749 §4.1.2: a code used twice revokes what it gave.
		c.grant.revoked = true
		for _, a := range s.access {
			if a.grant == c.grant {
				a.ended = true
			}
		}
		return nil, invalidGrant("Bad Request",
			"AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.", 54005)
	}
	// Any attempt uses the code up, a failed one too.
	c.used = true
	if !s.opts.Now().Before(c.expires) {
		return nil, invalidGrant("Bad Request",
			"AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. Send a new interactive authorization request for this user and resource.", 70008)
	}
	switch redirectURI := form.Get("redirect_uri"); {
	case redirectURI == "":
		return nil, &tokenError{http.StatusBadRequest, "invalid_request", "Missing required parameter: redirect_uri",
			"AADSTS900144: The request body must contain the following parameter: 'redirect_uri'.", 900144}
	case redirectURI != c.redirectURI:
		if s.opts.Provider == Google {
			return nil, &tokenError{http.StatusBadRequest, "redirect_uri_mismatch", "Bad Request", "", 0}
		}
		return nil, invalidGrant("", fmt.Sprintf("AADSTS500112: The reply address '%s' does not match the reply address '%s' provided when requesting Authorization code.",
			redirectURI, c.redirectURI), 500112)
	}
	verifier := form.Get("code_verifier")
	msMismatch := "AADSTS50148: The code_verifier does not match the code_challenge supplied in the authorization request for PKCE."
	switch {
	case verifier == "":
		return nil, invalidGrant("Missing code verifier.", msMismatch, 50148)
	case len(verifier) < 43 || len(verifier) > 128 || strings.Trim(verifier, base64URLAlphabet+".~") != "":
		return nil, invalidGrant("Invalid code verifier.", msMismatch, 50148)
	case subtle.ConstantTimeCompare([]byte(S256(verifier)), []byte(c.challenge)) != 1:
		return nil, invalidGrant("Invalid code verifier.", msMismatch, 50148)
	}
	return s.issue(c.grant, true), nil
}

// refreshGrant answers grant_type=refresh_token (RFC 6749 §6).
func (s *Server) refreshGrant(form url.Values) (map[string]any, *tokenError) {
	rt := form.Get("refresh_token")
	if rt == "" {
		return nil, &tokenError{http.StatusBadRequest, "invalid_request", "Missing required parameter: refresh_token",
			"AADSTS900144: The request body must contain the following parameter: 'refresh_token'.", 900144}
	}
	g := s.fresh[rt]
	switch {
	case g == nil:
		return nil, &tokenError{http.StatusBadRequest, "invalid_grant", "Bad Request",
			"AADSTS9002313: Invalid request. Request is malformed or invalid.", 9002313}
	case g.revoked:
		return nil, &tokenError{http.StatusBadRequest, "invalid_grant", "Token has been expired or revoked.",
			"AADSTS50173: The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password.", 50173}
	}
	// A narrower scope may be asked for, not a wider one.
	for _, sc := range strings.Fields(form.Get("scope")) {
		if !slices.Contains(g.scopes, sc) {
			return nil, &tokenError{http.StatusBadRequest, "invalid_scope", "oauthtest: scope " + sc + " was not granted",
				"AADSTS70000: The request was denied because one or more scopes requested are unauthorized or expired. The user must first sign in and grant the client application access to the requested scope.", 70000}
		}
	}
	return s.issue(g, false), nil
}

// issue answers a successful token request (RFC 6749 §5.1). Google sends a
// refresh token only when the code is redeemed, Microsoft a new one at
// every refresh (the old one stays valid) when offline_access was granted.
// The ID token comes when openid (Google: or email, profile) was granted.
func (s *Server) issue(g *grant, fromCode bool) map[string]any {
	now := s.opts.Now()
	ms := s.opts.Provider == Microsoft
	accessPrefix, refreshPrefix := "ya29.", "1//0"
	if ms {
		accessPrefix, refreshPrefix = "EwB", "M.C5_R"
	}
	at := newSecret(accessPrefix)
	s.access[at] = &accessToken{grant: g, issued: now, expires: now.Add(s.opts.AccessTTL)}
	s.issued = append(s.issued, at)
	ttl := int(s.opts.AccessTTL / time.Second)
	resp := map[string]any{"access_token": at, "token_type": "Bearer", "expires_in": ttl, "scope": s.grantedScope(g.scopes)}
	if ms {
		resp["ext_expires_in"] = ttl
	}
	if (ms && slices.Contains(g.scopes, "offline_access")) || (!ms && fromCode) {
		rt := newSecret(refreshPrefix)
		s.fresh[rt] = g
		s.issued = append(s.issued, rt)
		resp["refresh_token"] = rt
	}
	if slices.Contains(g.scopes, "openid") || (!ms && (slices.Contains(g.scopes, "email") || slices.Contains(g.scopes, "profile") ||
		slices.Contains(g.scopes, "https://www.googleapis.com/auth/userinfo.email"))) {
		resp["id_token"] = s.idToken(g, now)
	}
	return resp
}

// idToken is an OpenID Connect ID token for the grant's user. It is signed
// with HS256 and a random key, not RS256 with the provider's published
// keys: a client must not verify its signature here (OpenID Connect Core
// §3.1.3.7 lets a client that got the token straight from the token
// endpoint over TLS rely on TLS instead).
func (s *Server) idToken(g *grant, now time.Time) string {
	has := func(sc ...string) bool {
		return slices.ContainsFunc(sc, func(x string) bool { return slices.Contains(g.scopes, x) })
	}
	sum := sha256.Sum256([]byte(strings.ToLower(g.email)))
	claims := map[string]any{"aud": g.clientID, "iat": now.Unix(), "exp": now.Add(idTokenLifetime).Unix()}
	if s.opts.Provider == Google {
		claims["iss"] = GoogleIssuer
		claims["azp"] = g.clientID
		claims["sub"] = new(big.Int).SetBytes(sum[:9]).String() // Google's subjects are long decimal numbers
		if has("email", "https://www.googleapis.com/auth/userinfo.email") {
			claims["email"] = g.email
			claims["email_verified"] = true
		}
		if has("profile", "https://www.googleapis.com/auth/userinfo.profile") {
			claims["name"] = displayName(g.email)
		}
	} else {
		claims["ver"] = "2.0"
		claims["iss"] = MicrosoftIssuer
		claims["tid"] = MicrosoftTenantID
		claims["nbf"] = now.Unix()
		claims["sub"] = base64.RawURLEncoding.EncodeToString(sum[:16])
		claims["oid"] = fmt.Sprintf("00000000-0000-0000-%x-%x", sum[16:18], sum[18:24])
		if has("email") {
			claims["email"] = g.email
		}
		if has("profile") {
			claims["preferred_username"] = g.email
			claims["name"] = displayName(g.email)
		}
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	signed := enc(map[string]string{"alg": "HS256", "typ": "JWT", "kid": "oauthtest"}) + "." + enc(claims)
	mac := hmac.New(sha256.New, s.key)
	mac.Write([]byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

func displayName(email string) string {
	local, _, _ := strings.Cut(email, "@")
	if local == "" {
		return email
	}
	return strings.ToUpper(local[:1]) + local[1:]
}

// ---- introspection endpoint ----

// introspect answers Dovecot (RFC 7662, introspection_mode = post): an
// active access token gives 200 and its user, anything else (expired,
// ended, unknown, a refresh token) 401 {"active":false}, as the endpoint
// the imap tests use.
func (s *Server) introspect(w http.ResponseWriter, r *http.Request) {
	r.ParseForm()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.Introspections++
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	now := s.opts.Now()
	a := s.access[r.PostForm.Get("token")]
	if a == nil || a.ended || !now.Before(a.expires) {
		why := "unknown token"
		switch {
		case a != nil && a.ended:
			why = "access token ended (ExpireAccessTokens or its code reused)"
		case a != nil:
			why = "access token expired"
		}
		s.refuse("introspection", "inactive", why)
		w.WriteHeader(http.StatusUnauthorized)
		json.NewEncoder(w).Encode(map[string]any{"active": false})
		return
	}
	json.NewEncoder(w).Encode(map[string]any{"active": true, "username": a.grant.email, "email": a.grant.email,
		"scope": s.grantedScope(a.grant.scopes), "client_id": a.grant.clientID, "token_type": "Bearer",
		"iat": a.issued.Unix(), "exp": a.expires.Unix()})
}

// ---- helpers ----

// S256 is the PKCE code challenge of a verifier: the unpadded base64url of
// its SHA-256 (RFC 7636 §4.2).
func S256(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// newSecret is a fresh random token: a provider-like prefix and 256 random
// bits.
func newSecret(prefix string) string {
	b := make([]byte, 32)
	rand.Read(b)
	return prefix + base64.RawURLEncoding.EncodeToString(b)
}

func newUUID() string {
	b := make([]byte, 16)
	rand.Read(b)
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}
