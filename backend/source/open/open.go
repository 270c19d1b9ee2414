// Package open opens any mail source from the URI the CLI and the app use:
// maildir:/path, mbox:/path, eml:/dir, demo.
package open

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"leadminer/backend/source"
	"leadminer/backend/source/demo"
	"leadminer/backend/source/eml"
	"leadminer/backend/source/maildir"
	"leadminer/backend/source/mbox"
)

// Source opens a source URI. A bare path is accepted too: a directory with
// cur/ and new/ is a Maildir, a file is an mbox.
func Source(uri string) (source.Source, error) {
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
		return nil, fmt.Errorf("%w: IMAP mining is not in this build yet; mine a local copy (maildir:, mbox:) meanwhile", source.ErrUnsupported)
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
