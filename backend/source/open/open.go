// Package open opens any mail source from the URI the CLI and the app use:
// maildir:/path, mbox:/path, eml:/dir, imap://user@host:port?tls=..., demo.
package open

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"

	"leadminer/backend/source"
	"leadminer/backend/source/demo"
	"leadminer/backend/source/eml"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/maildir"
	"leadminer/backend/source/mbox"
)

// Options carry what opening a remote source needs.
type Options struct {
	// Password returns the password of an IMAP URI (keychain, environment).
	Password func(uri string) (string, error)
	// TrustedCert pins an IMAP server's certificate ("sha256:HEX").
	TrustedCert string
	// Connections is the number of parallel IMAP connections (0: default).
	Connections int
	Log         *slog.Logger
	// Tokens signs in with OAuth instead of a password (Mechanism: XOAUTH2
	// or OAUTHBEARER).
	Tokens    imap.TokenSource
	Mechanism string
	// Dial opens IMAP connections (nil: a plain dialer); tests record them.
	Dial func(ctx context.Context, network, address string) (net.Conn, error)
}

// Source opens a source URI. A bare path is accepted too: a directory with
// cur/ and new/ is a Maildir, a file is an mbox. IMAP sources connect and
// log in here, so a wrong password fails before mining starts.
func Source(ctx context.Context, uri string, opts Options) (source.Source, error) {
	scheme, rest, found := strings.Cut(uri, ":")
	if !found || len(scheme) == 1 { // "C:\..." is a path, not a scheme
		return fromPath(uri)
	}
	switch strings.ToLower(scheme) {
	case "demo":
		return demo.New(time.Now()), nil
	case "maildir":
		return maildir.Open(expand(rest))
	case "mbox":
		return mbox.Open(expand(rest))
	case "eml":
		return eml.Open(expand(rest))
	case "imap", "imaps":
		return openIMAP(ctx, uri, opts)
	}
	return nil, fmt.Errorf("%w %q: use maildir:/path, mbox:/path/file, eml:/dir or demo", source.ErrUnsupported, scheme)
}

// expand turns "//path" (from maildir://path) into "/path" and ~ into home.
func expand(p string) string {
	if strings.HasPrefix(p, "//") {
		p = p[1:]
	}
	if strings.HasPrefix(p, "~/") {
		if home, err := os.UserHomeDir(); err == nil {
			p = filepath.Join(home, p[2:])
		}
	}
	return p
}

func openIMAP(ctx context.Context, uri string, opts Options) (source.Source, error) {
	cfg, err := imap.ParseURI(uri)
	if err != nil {
		return nil, err
	}
	if opts.TrustedCert != "" {
		cfg.TrustedCert = opts.TrustedCert
	}
	cfg.Connections, cfg.Log, cfg.Dial = opts.Connections, opts.Log, opts.Dial
	if opts.Tokens != nil {
		cfg.Tokens, cfg.Mechanism = opts.Tokens, opts.Mechanism
		return imap.Open(ctx, cfg)
	}
	if opts.Password == nil {
		return nil, errors.New("no way to read the password of " + cfg.URI())
	}
	// The canonical URI names the keychain entry, however it was typed.
	if cfg.Password, err = opts.Password(cfg.URI()); err != nil {
		return nil, err
	}
	return imap.Open(ctx, cfg)
}

func fromPath(p string) (source.Source, error) {
	if p == "demo" {
		return demo.New(time.Now()), nil
	}
	p = expand(p)
	st, err := os.Stat(p)
	if err != nil {
		return nil, fmt.Errorf("source %q: %w", p, err)
	}
	if !st.IsDir() {
		return mbox.Open(p)
	}
	if m, err := maildir.Open(p); err == nil {
		return m, nil
	}
	if d, err := eml.Open(p); err == nil {
		return d, nil
	}
	return mbox.Open(p)
}
