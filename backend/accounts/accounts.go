package accounts

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
	"strings"
	"time"

	"leadminer/backend/egress"
	"leadminer/backend/mining"
	"leadminer/backend/oauth"
	"leadminer/backend/privacy"
	"leadminer/backend/secrets"
	"leadminer/backend/source"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/open"
	"leadminer/backend/store"
)

// Service manages accounts.
type Service struct {
	Store    *store.Store
	Keychain secrets.Keychain
	Log      *slog.Logger
	// Open opens an IMAP source (tests substitute it); default imap.Open.
	Open func(ctx context.Context, cfg imap.Config) (*imap.Source, error)
	// Dial opens the mail-server connections of mining (nil: a plain
	// dialer); tests record them.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
	// Gate carries every call that is not to a mail server (sign-in).
	Gate *egress.Gate
	// Browser opens the sign-in page in the system browser.
	Browser func(url string) error
	// SignInTimeout bounds the wait for the browser (0: 5 minutes).
	SignInTimeout time.Duration
	// Now is the clock of token expiry (tests move it).
	Now func() time.Time

	tokens tokenSources
}

// New returns the service.
func New(st *store.Store, log *slog.Logger) *Service {
	return &Service{Store: st, Log: log, Open: imap.Open, Gate: privacy.New(st).Gate()}
}

func (s *Service) gate() *egress.Gate {
	if s.Gate == nil {
		s.Gate = privacy.New(s.Store).Gate()
	}
	return s.Gate
}

// IMAPForm is what the user typed.
type IMAPForm struct {
	Email       string        `json:"email"`
	Username    string        `json:"username"`
	Password    string        `json:"password"`
	Host        string        `json:"host"`
	Port        int           `json:"port"`
	Security    imap.Security `json:"security"`
	TrustedCert string        `json:"trusted_cert"`
}

func (f IMAPForm) config() imap.Config {
	user := strings.TrimSpace(f.Username)
	if user == "" {
		user = strings.TrimSpace(f.Email)
	}
	return imap.Config{Host: strings.TrimSpace(f.Host), Port: f.Port, Security: f.Security, Username: user,
		Email: strings.TrimSpace(f.Email), Password: f.Password, TrustedCert: f.TrustedCert, Connections: 1}
}

// Check validates the form and logs in once.
func (s *Service) Check(ctx context.Context, f IMAPForm) error {
	switch {
	case !strings.Contains(f.Email, "@"):
		return &imap.Error{Kind: imap.KindCredentials, Field: "email", Message: "Enter your full email address"}
	case f.Password == "":
		return &imap.Error{Kind: imap.KindCredentials, Field: "password", Message: "Enter your password"}
	case strings.TrimSpace(f.Host) == "":
		return &imap.Error{Kind: imap.KindHostNotFound, Field: "host", Message: "Enter the IMAP server"}
	case f.Port <= 0 || f.Port > 65535:
		return &imap.Error{Kind: imap.KindRefused, Field: "port", Message: "Enter a port between 1 and 65535"}
	case f.Security != imap.Implicit && f.Security != imap.StartTLS && f.Security != imap.None:
		// Any other value would log in unencrypted (the dialer's default),
		// to any host, and name a keychain entry mining never reads.
		return &imap.Error{Kind: imap.KindTLS, Field: "security", Message: "Choose SSL/TLS, STARTTLS or no encryption"}
	}
	cfg := f.config()
	cfg.Dial = s.Dial
	src, err := s.Open(ctx, cfg)
	if err != nil {
		return err
	}
	return src.Close()
}

// AddIMAP checks the account, stores its password in the keychain and the
// account in the database.
func (s *Service) AddIMAP(ctx context.Context, f IMAPForm) (store.Account, error) {
	if err := s.Check(ctx, f); err != nil {
		return store.Account{}, err
	}
	cfg := f.config()
	uri := cfg.URI()
	if err := s.Keychain.Set(secrets.IMAPPasswordKey(uri), f.Password); err != nil {
		return store.Account{}, err
	}
	settings := Detect(f.Email)
	id, err := s.Store.SaveAccount(ctx, store.Account{Kind: "imap", Label: strings.TrimSpace(f.Email), URI: uri,
		Email: strings.TrimSpace(f.Email), Provider: settings.Provider, TrustedCert: f.TrustedCert})
	if err != nil {
		return store.Account{}, err
	}
	return s.Store.AccountByID(ctx, id)
}

// AddLocal adds a Maildir, mbox or folder of .eml files.
func (s *Service) AddLocal(ctx context.Context, path string) (store.Account, error) {
	src, err := open.Source(ctx, path, open.Options{})
	if err != nil {
		return store.Account{}, err
	}
	defer src.Close()
	kind := mining.Kind(src)
	id, err := s.Store.SaveAccount(ctx, store.Account{Kind: kind, Label: filepath.Base(strings.TrimPrefix(src.URI(), kind+":")) + " (" + kind + ")", URI: src.URI()})
	if err != nil {
		return store.Account{}, err
	}
	return s.Store.AccountByID(ctx, id)
}

// Demo adds the demo mailbox.
func (s *Service) Demo(ctx context.Context) (store.Account, error) {
	id, err := s.Store.SaveAccount(ctx, store.Account{Kind: "demo", Label: "Demo mailbox", URI: "demo:"})
	if err != nil {
		return store.Account{}, err
	}
	return s.Store.AccountByID(ctx, id)
}

// Remove forgets an account and its keychain entry; its contacts stay.
func (s *Service) Remove(ctx context.Context, id int64) error {
	a, err := s.Store.AccountByID(ctx, id)
	if err != nil {
		return err
	}
	if a.Kind == "imap" {
		for _, key := range []string{secrets.IMAPPasswordKey(a.URI), secrets.OAuthRefreshKey(a.URI)} {
			if err := s.Keychain.Delete(key); err != nil && !errors.Is(err, secrets.ErrUnavailable) {
				return err
			}
		}
	}
	s.tokens.mu.Lock()
	delete(s.tokens.m, a.URI)
	s.tokens.mu.Unlock()
	if err := s.Store.DeleteAccount(ctx, id); err != nil {
		return err
	}
	if a.Auth != "" {
		return s.switchOffUnused(ctx, a.Auth)
	}
	return nil
}

// Status of an account, for the list.
type Status struct {
	store.Account
	State   string // ready, needs-password, needs-reconnect, error
	Message string
}

// List returns the accounts with their status.
func (s *Service) List(ctx context.Context) ([]Status, error) {
	all, err := s.Store.Accounts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]Status, 0, len(all))
	for _, a := range all {
		st := Status{Account: a, State: "ready"}
		if a.Kind == "imap" && a.Auth != "" {
			if msg := s.oauthState(a); msg != "" {
				st.State, st.Message = "needs-reconnect", msg
			}
		} else if a.Kind == "imap" {
			if _, err := secrets.IMAPPassword(s.Keychain, a.URI); err != nil {
				st.State, st.Message = "needs-password", "The password is not in the keychain: add the account again."
				if errors.Is(err, secrets.ErrUnavailable) {
					st.Message = err.Error()
				}
			}
		}
		if st.State == "ready" && a.LastError != "" && a.LastError != "interrupted" {
			st.State, st.Message = "error", a.LastError
		}
		out = append(out, st)
	}
	return out, nil
}

// OpenSource opens an account's source for mining, with its password and
// trusted certificate.
func (s *Service) OpenSource(ctx context.Context, uri string) (source.Source, error) {
	opts := open.Options{Log: s.Log, Dial: s.Dial,
		Password: func(uri string) (string, error) { return secrets.IMAPPassword(s.Keychain, uri) }}
	if all, err := s.Store.Accounts(ctx); err == nil {
		for _, a := range all {
			if a.URI != uri {
				continue
			}
			opts.TrustedCert = a.TrustedCert
			if a.Auth != "" {
				p, err := oauth.Lookup(ctx, a.Auth, s.Store)
				if err != nil {
					return nil, err
				}
				if a.AuthError != "" {
					return nil, fmt.Errorf("%w: %s", oauth.ErrRevoked, a.AuthError)
				}
				opts.Tokens, opts.Mechanism = s.tokenSource(p, uri), p.Mechanism
			}
		}
	}
	return open.Source(ctx, uri, opts)
}
