package secrets

import (
	"errors"
	"os"
	"testing"

	"github.com/zalando/go-keyring"
)

// These run against whatever keychain the process sees: the in-memory mock
// here; the real gnome-keyring in keychain_test.go when make test starts one.
func TestRoundTripWithTheMockKeychain(t *testing.T) {
	keyring.MockInit()
	k := Keychain{}
	if _, err := k.Get("x"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get of a missing secret: %v, want ErrNotFound", err)
	}
	if err := k.Set("x", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if v, err := k.Get("x"); err != nil || v != "s3cret" {
		t.Fatalf("Get = %q, %v", v, err)
	}
	if err := k.Delete("x"); err != nil {
		t.Fatal(err)
	}
	if err := k.Delete("x"); err != nil {
		t.Fatalf("deleting a missing secret should not fail: %v", err)
	}
}

func TestIMAPPasswordPrefersTheEnvironment(t *testing.T) {
	keyring.MockInit()
	k := Keychain{}
	uri := "imap://a@example.com@imap.example.com:993?tls=implicit"
	t.Setenv("LEADMINER_IMAP_PASSWORD", "from-env")
	if p, err := IMAPPassword(k, uri); err != nil || p != "from-env" {
		t.Fatalf("IMAPPassword = %q, %v", p, err)
	}
	os.Unsetenv("LEADMINER_IMAP_PASSWORD")
	if _, err := IMAPPassword(k, uri); !errors.Is(err, ErrNotFound) {
		t.Fatalf("without a password: %v, want ErrNotFound with advice", err)
	}
	k.Set(IMAPPasswordKey(uri), "from-keychain")
	if p, err := IMAPPassword(k, uri); err != nil || p != "from-keychain" {
		t.Fatalf("IMAPPassword = %q, %v", p, err)
	}
}

func TestUnavailableKeychainSaysHowToFix(t *testing.T) {
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	_, err := Keychain{}.Get("x")
	if !errors.Is(err, ErrUnavailable) {
		t.Fatalf("err = %v, want ErrUnavailable", err)
	}
	if err := (Keychain{}).Set("x", "y"); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("Set err = %v, want ErrUnavailable (and never a fallback to a file)", err)
	}
}
