package cli_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadminer/backend/cli"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
)

// With a real gnome-keyring (make test starts one) and a real Dovecot: the
// password typed once is checked, kept in the keychain, used by the next
// mine without any environment variable, and found nowhere on disk.
func TestRealKeychainPasswordIsUsedAndNeverWritten(t *testing.T) {
	if os.Getenv("LEADMINER_REAL_KEYRING") == "" {
		t.Skip("needs a real Secret Service: run through `make test`")
	}
	const login, secret = "carol@example.test", "Tr0ub4dor&3-carol"
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: secret}})
	srv.Deliver(t, login, "INBOX", []byte("From: Dan <dan@acme.example>\r\nTo: "+login+"\r\nSubject: hi\r\nMessage-ID: <1@x>\r\n\r\nhello\r\n"))
	uri := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: login}.URI()
	os.Unsetenv("LEADMINER_IMAP_PASSWORD")

	var out, errb bytes.Buffer
	if code := cli.RunIO(context.Background(), []string{"password", "set", "--source", uri}, strings.NewReader("wrong\n"), &out, &errb); code != 1 {
		t.Fatalf("a wrong password must not be stored: exit %d, %s", code, errb.String())
	}
	errb.Reset()
	if code := cli.RunIO(context.Background(), []string{"password", "set", "--source", uri}, strings.NewReader(secret+"\n"), &out, &errb); code != 0 {
		t.Fatalf("password set: exit %d: %s", code, errb.String())
	}
	t.Cleanup(func() { cli.Run(context.Background(), []string{"password", "delete", "--source", uri}, &out, &errb) })

	home := t.TempDir()
	db := filepath.Join(home, "leadminer.db")
	errb.Reset()
	if code := cli.Run(context.Background(), []string{"mine", "--source", uri, "--db", db}, &out, &errb); code != 0 {
		t.Fatalf("mine with the keychain password: exit %d: %s", code, errb.String())
	}
	export := filepath.Join(home, "out.csv")
	cli.Run(context.Background(), []string{"export", "--db", db, "--format", "csv", "--out", export}, &out, &errb)
	for _, check := range []struct {
		name string
		data []byte
	}{{"stdout", out.Bytes()}, {"stderr", errb.Bytes()}} {
		if bytes.Contains(check.data, []byte(secret)) {
			t.Errorf("the password appears in %s", check.name)
		}
	}
	filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if b, _ := os.ReadFile(p); bytes.Contains(b, []byte(secret)) {
				t.Errorf("the password appears in %s", p)
			}
		}
		return nil
	})
	if !strings.Contains(out.String(), "dan@acme.example") && !bytes.Contains(mustRead(t, export), []byte("dan@acme.example")) {
		t.Error("the mined contact is missing from the export")
	}
}

func mustRead(t *testing.T, p string) []byte {
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
