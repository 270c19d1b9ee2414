// Package secrets keeps passwords and tokens in the operating system's
// keychain (Secret Service on Linux, Keychain on macOS, Credential Manager
// on Windows) and nowhere else: never in the database, logs or exports.
// When no keychain is available it says so and how to fix it; it never
// falls back to storing a secret in clear.
package secrets

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"strings"

	"github.com/zalando/go-keyring"
)

// Service is the keychain service name every entry of the app uses.
const Service = "LeadMiner"

var (
	// ErrNotFound means there is no such secret.
	ErrNotFound = errors.New("no such secret in the keychain")
	// ErrUnavailable means the system keychain cannot be reached.
	ErrUnavailable = errors.New("no keychain available")
)

// Keychain reads and writes the system keychain.
type Keychain struct{}

// Get returns a secret.
func (Keychain) Get(key string) (string, error) {
	v, err := keyring.Get(Service, key)
	return v, wrap("read", key, err)
}

// Set stores a secret, replacing any previous one.
func (Keychain) Set(key, value string) error {
	return wrap("store", key, keyring.Set(Service, key, value))
}

// Delete removes a secret; a missing one is not an error.
func (Keychain) Delete(key string) error {
	err := keyring.Delete(Service, key)
	if errors.Is(err, keyring.ErrNotFound) {
		return nil
	}
	return wrap("delete", key, err)
}

// DeleteAll removes every secret of the app ("delete all my data").
func (Keychain) DeleteAll() error {
	return wrap("delete", "all", keyring.DeleteAll(Service))
}

func wrap(op, key string, err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, keyring.ErrNotFound):
		return fmt.Errorf("%s %s: %w", op, key, ErrNotFound)
	case unavailable(err):
		return fmt.Errorf("%s %s: %w: %s (%v)", op, key, ErrUnavailable, howToFix(), err)
	default:
		return fmt.Errorf("keychain: %s %s: %w", op, key, err)
	}
}

func unavailable(err error) bool {
	if errors.Is(err, keyring.ErrUnsupportedPlatform) {
		return true
	}
	s := err.Error()
	for _, sign := range []string{"org.freedesktop.secrets", "dbus", "DBUS", "secret service", "Secret Service",
		"failed to unlock", "no such interface", "not provided by any .service"} {
		if strings.Contains(s, sign) {
			return true
		}
	}
	return false
}

func howToFix() string {
	switch runtime.GOOS {
	case "linux":
		return "start and unlock a Secret Service keychain (GNOME Keyring, KDE Wallet or KeePassXC) in your desktop session; LeadMiner never stores passwords in clear"
	case "darwin":
		return "unlock your login keychain in Keychain Access"
	default:
		return "make sure Windows Credential Manager is available"
	}
}

// IMAPPasswordKey is the keychain entry of a mailbox's password.
func IMAPPasswordKey(uri string) string { return "imap-password " + uri }

// OAuthRefreshKey is the keychain entry of a mailbox's OAuth refresh token.
func OAuthRefreshKey(uri string) string { return "oauth-refresh " + uri }

// IMAPPassword returns a mailbox's password: from LEADMINER_IMAP_PASSWORD
// when set (for the command line and tests), else from the keychain.
func IMAPPassword(k Keychain, uri string) (string, error) {
	if p, ok := os.LookupEnv("LEADMINER_IMAP_PASSWORD"); ok {
		return p, nil
	}
	p, err := k.Get(IMAPPasswordKey(uri))
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("no password for %s: store it with `leadminer password set --source %s` or set LEADMINER_IMAP_PASSWORD: %w", uri, uri, ErrNotFound)
	}
	return p, err
}
