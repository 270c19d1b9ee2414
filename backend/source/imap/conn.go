package imap

import (
	"context"
	"crypto/subtle"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"strings"
	"sync"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
	"github.com/emersion/go-sasl"
)

// tlsConfig verifies the server's certificate always. With a pinned
// fingerprint, the pin replaces the system's verdict: that certificate and
// no other is accepted.
func (c *Config) tlsConfig() *tls.Config {
	conf := &tls.Config{ServerName: c.Host, RootCAs: c.RootCAs, MinVersion: tls.VersionTLS12}
	if pin := strings.ToLower(strings.TrimSpace(c.TrustedCert)); pin != "" {
		conf.InsecureSkipVerify = true // replaced by the exact fingerprint check below
		conf.VerifyConnection = func(cs tls.ConnectionState) error {
			if len(cs.PeerCertificates) == 0 {
				return errors.New("no certificate")
			}
			got := Fingerprint(cs.PeerCertificates[0])
			if subtle.ConstantTimeCompare([]byte(got), []byte(normalizePin(pin))) != 1 {
				return &Error{Kind: KindCertificate, Field: "security", Fingerprint: got,
					Message: fmt.Sprintf("The certificate of %s changed: it is %s, not the trusted %s", c.Host, got, normalizePin(pin))}
			}
			return nil
		}
	}
	return conf
}

// normalizePin accepts "sha256:AB:CD..." or bare hex.
func normalizePin(p string) string {
	p = strings.TrimPrefix(strings.ToLower(p), "sha256:")
	return "sha256:" + strings.ReplaceAll(p, ":", "")
}

// session is one logged-in connection.
type session struct {
	client *imapclient.Client
	// selected is the folder currently examined, with its UIDVALIDITY.
	selected    string
	uidValidity uint32
}

// broken reports whether the connection is gone: the client's reader
// stopped, whatever error the command returned.
func (s *session) broken() bool {
	select {
	case <-s.client.Closed():
		return true
	default:
		return false
	}
}

func (s *session) close() {
	if s == nil || s.client == nil {
		return
	}
	s.client.Close()
}

// dialer opens logged-in sessions. It remembers which user name the server
// accepted (the full address or its local part) for the next ones.
type dialer struct {
	mu  sync.Mutex
	cfg *Config
}

// open connects, secures the connection and logs in. A refused OAuth
// token is refreshed through the token source once, on a new connection
// (the refused SASL exchange leaves the old one unusable).
func (d *dialer) open(ctx context.Context) (*session, error) {
	s, err := d.openOnce(ctx)
	if err == nil || !isKind(err, KindToken) || d.config().Tokens == nil || ctx.Err() != nil {
		return s, err
	}
	if _, rerr := d.config().Tokens.Refresh(ctx); rerr != nil {
		return nil, &Error{Kind: KindToken, Err: rerr, Message: "The sign-in expired and could not be renewed: reconnect the account"}
	}
	return d.openOnce(ctx)
}

func (d *dialer) openOnce(ctx context.Context) (*session, error) {
	cfg := d.config()
	if cfg.Security == None && !isLoopback(cfg.Host) {
		return nil, &Error{Kind: KindPlaintextRefused, Field: "security",
			Message: fmt.Sprintf("Refusing to send your password unencrypted to %s: use SSL/TLS or STARTTLS (plaintext is only allowed to this computer)", cfg.Host)}
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	raw, err := cfg.Dial(ctx, "tcp", cfg.Address())
	if err != nil {
		return nil, classify(cfg, err)
	}
	// A deadline for the whole handshake; cancel also unblocks it.
	stop := context.AfterFunc(ctx, func() { raw.Close() })
	defer stop()
	opts := &imapclient.Options{TLSConfig: cfg.tlsConfig()}
	var client *imapclient.Client
	switch cfg.Security {
	case Implicit:
		tc := tls.Client(raw, opts.TLSConfig)
		if err := tc.HandshakeContext(ctx); err != nil {
			raw.Close()
			return nil, classify(cfg, err)
		}
		client = imapclient.New(tc, opts)
	case StartTLS:
		client, err = imapclient.NewStartTLS(raw, opts)
		if err != nil {
			raw.Close()
			return nil, classify(cfg, err)
		}
	default:
		client = imapclient.New(raw, opts)
	}
	if err := client.WaitGreeting(); err != nil {
		client.Close()
		return nil, classify(cfg, err)
	}
	if err := d.login(ctx, client); err != nil {
		client.Close()
		if ctx.Err() != nil && !errors.As(err, new(*Error)) {
			return nil, classify(cfg, ctx.Err())
		}
		return nil, err
	}
	return &session{client: client}, nil
}

func (d *dialer) config() Config {
	d.mu.Lock()
	defer d.mu.Unlock()
	return *d.cfg
}

// login authenticates with a token (XOAUTH2 / OAUTHBEARER, refreshed once if
// refused) or a password (AUTHENTICATE PLAIN when offered, else LOGIN). When
// the server refuses the full address as user name, the local part is tried
// once, as the hosted product does.
func (d *dialer) login(ctx context.Context, c *imapclient.Client) error {
	cfg := d.config()
	if cfg.Tokens != nil {
		token, err := cfg.Tokens.Token(ctx)
		if err != nil {
			return &Error{Kind: KindToken, Err: err, Message: "Could not get a sign-in token: reconnect the account"}
		}
		err = authenticateToken(c, cfg, token)
		if err == nil {
			return nil
		}
		if isConnectionError(err) {
			return classify(cfg, err)
		}
		// Any refusal of a token exchange means the token was refused.
		return &Error{Kind: KindToken, Err: err, Message: "The server refused the sign-in token: reconnect the account"}
	}
	if c.Caps().Has(goimap.CapLoginDisabled) {
		return &Error{Kind: KindPlaintextRefused, Field: "security",
			Message: "The server does not allow logging in on an unencrypted connection: use SSL/TLS or STARTTLS"}
	}
	err := loginPassword(c, cfg.Username, cfg.Password)
	if err == nil {
		return nil
	}
	first := classify(cfg, err)
	at := strings.LastIndexByte(cfg.Username, '@')
	if !isKind(first, KindCredentials) || at <= 0 {
		return first
	}
	local := cfg.Username[:at]
	if err := loginPassword(c, local, cfg.Password); err != nil {
		return first
	}
	d.mu.Lock()
	d.cfg.Username = local
	d.mu.Unlock()
	return nil
}

func isKind(err error, k Kind) bool {
	var e *Error
	return errors.As(err, &e) && e.Kind == k
}

func loginPassword(c *imapclient.Client, user, password string) error {
	if c.Caps().Has(goimap.AuthCap(sasl.Plain)) {
		return c.Authenticate(sasl.NewPlainClient("", user, password))
	}
	return c.Login(user, password).Wait()
}

func authenticateToken(c *imapclient.Client, cfg Config, token string) error {
	user := cfg.Username
	if cfg.Mechanism == OAuthBearer {
		return c.Authenticate(sasl.NewOAuthBearerClient(&sasl.OAuthBearerOptions{Username: user, Token: token}))
	}
	return c.Authenticate(&xoauth2Client{user: user, token: token})
}

// xoauth2Client is Google's and Microsoft's XOAUTH2 SASL mechanism. After a
// refusal the server sends a JSON error challenge: the exchange ends there
// with an error, and the connection is dropped.
type xoauth2Client struct {
	user, token string
}

func (x *xoauth2Client) Start() (string, []byte, error) {
	return XOAuth2, []byte("user=" + x.user + "\x01auth=Bearer " + x.token + "\x01\x01"), nil
}

func (x *xoauth2Client) Next(challenge []byte) ([]byte, error) {
	return nil, fmt.Errorf("xoauth2: token refused: %s", challenge)
}

var _ net.Conn = (*tls.Conn)(nil)
