package secrets

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestRealKeychainKeepsSecretsOutOfFiles runs against a real gnome-keyring:
// `make test` starts one in a private D-Bus session and sets
// LEADMINER_REAL_KEYRING. The secret must round-trip and must not appear in
// clear in any file the keyring writes.
func TestRealKeychainKeepsSecretsOutOfFiles(t *testing.T) {
	if os.Getenv("LEADMINER_REAL_KEYRING") == "" {
		t.Skip("needs a real Secret Service: run through `make test`")
	}
	k := Keychain{}
	secret := "correct horse battery staple 7c1f"
	key := IMAPPasswordKey("imap://alice@example.test@127.0.0.1:143?tls=none")
	if err := k.Set(key, secret); err != nil {
		t.Fatalf("store in the real keychain: %v", err)
	}
	t.Cleanup(func() { k.Delete(key) })
	got, err := k.Get(key)
	if err != nil || got != secret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	if dir := os.Getenv("XDG_DATA_HOME"); dir != "" {
		filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
					t.Errorf("%s holds the secret in clear", p)
				}
			}
			return nil
		})
	}
	if err := k.Delete(key); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(key); !errors.Is(err, ErrNotFound) {
		t.Fatalf("after Delete: %v, want ErrNotFound", err)
	}
}
