package accounts

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"leadminer/backend/secrets"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
	"leadminer/backend/store"
)

const (
	login    = "alice@example.test"
	password = "s3cret-Horse-9f3a7c51e2"
)

// newService opens a fresh database with an in-memory keychain, and no
// password from the environment.
func newService(t *testing.T) *Service {
	t.Helper()
	keyring.MockInit()
	t.Setenv("LEADMINER_IMAP_PASSWORD", "")
	os.Unsetenv("LEADMINER_IMAP_PASSWORD")
	st, err := store.Open(filepath.Join(t.TempDir(), "leadminer.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return New(st, slog.New(slog.DiscardHandler))
}

func fieldOf(err error) (string, bool) {
	var e *imap.Error
	if !errors.As(err, &e) {
		return "", false
	}
	return e.Field, true
}

func TestCheckValidatesTheFormBeforeConnecting(t *testing.T) {
	valid := IMAPForm{Email: login, Password: password, Host: "imap.example.test", Port: 993, Security: imap.Implicit}
	tests := []struct {
		name  string
		edit  func(*IMAPForm)
		field string
	}{
		{"no @", func(f *IMAPForm) { f.Email = "alice.example.test" }, "email"},
		{"empty email", func(f *IMAPForm) { f.Email = "" }, "email"},
		{"email checked first", func(f *IMAPForm) { f.Email, f.Password, f.Host, f.Port = "alice", "", "", 0 }, "email"},
		{"empty password", func(f *IMAPForm) { f.Password = "" }, "password"},
		{"password before host", func(f *IMAPForm) { f.Password, f.Host = "", "" }, "password"},
		{"empty host", func(f *IMAPForm) { f.Host = "" }, "host"},
		{"blank host", func(f *IMAPForm) { f.Host = " \t " }, "host"},
		{"port zero", func(f *IMAPForm) { f.Port = 0 }, "port"},
		{"negative port", func(f *IMAPForm) { f.Port = -993 }, "port"},
		{"port too big", func(f *IMAPForm) { f.Port = 65536 }, "port"},
		{"no security", func(f *IMAPForm) { f.Security = "" }, "security"},
		{"unknown security", func(f *IMAPForm) { f.Security = "ssl" }, "security"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			s.Open = func(context.Context, imap.Config) (*imap.Source, error) {
				t.Error("connected with an invalid form")
				return nil, errors.New("connected")
			}
			f := valid
			tt.edit(&f)
			err := s.Check(context.Background(), f)
			if field, ok := fieldOf(err); !ok || field != tt.field {
				t.Errorf("Check: %v (field %q); want an *imap.Error on %q", err, field, tt.field)
			}
			if _, err := s.AddIMAP(context.Background(), f); err == nil {
				t.Error("AddIMAP accepted an invalid form")
			}
			if all, _ := s.Store.Accounts(context.Background()); len(all) != 0 {
				t.Errorf("accounts stored: %+v", all)
			}
		})
	}
}

func TestCheckLogsInWithTheFormsSettings(t *testing.T) {
	tests := []struct {
		name string
		form IMAPForm
		want imap.Config
	}{
		{"the address is the login",
			IMAPForm{Email: " alice@example.test ", Password: " pass with spaces ", Host: " imap.example.test ", Port: 993, Security: imap.Implicit},
			imap.Config{Host: "imap.example.test", Port: 993, Security: imap.Implicit, Username: login, Email: login,
				Password: " pass with spaces ", Connections: 1}},
		{"a separate login",
			IMAPForm{Email: login, Username: " alice ", Password: "p", Host: "mail.example.test", Port: 143, Security: imap.StartTLS,
				TrustedCert: "sha256:ab"},
			imap.Config{Host: "mail.example.test", Port: 143, Security: imap.StartTLS, Username: "alice", Email: login,
				Password: "p", TrustedCert: "sha256:ab", Connections: 1}},
		{"plaintext to this computer",
			IMAPForm{Email: login, Password: "p", Host: "127.0.0.1", Port: 1143, Security: imap.None},
			imap.Config{Host: "127.0.0.1", Port: 1143, Security: imap.None, Username: login, Email: login, Password: "p", Connections: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := newService(t)
			refused := &imap.Error{Kind: imap.KindCredentials, Field: "password", Message: "refused"}
			var got imap.Config
			calls := 0
			s.Open = func(_ context.Context, cfg imap.Config) (*imap.Source, error) {
				calls++
				got = cfg
				return nil, refused
			}
			if err := s.Check(context.Background(), tt.form); err != refused {
				t.Errorf("Check: %v, want the login's error", err)
			}
			if calls != 1 || got.Host != tt.want.Host || got.Port != tt.want.Port || got.Security != tt.want.Security ||
				got.Username != tt.want.Username || got.Email != tt.want.Email || got.Password != tt.want.Password ||
				got.TrustedCert != tt.want.TrustedCert || got.Connections != tt.want.Connections {
				t.Errorf("%d logins with %+v\nwant %+v", calls, got, tt.want)
			}
			// A refused login stores nothing anywhere.
			if _, err := s.AddIMAP(context.Background(), tt.form); err != refused {
				t.Errorf("AddIMAP: %v, want the login's error", err)
			}
			if all, _ := s.Store.Accounts(context.Background()); len(all) != 0 {
				t.Errorf("accounts stored: %+v", all)
			}
			if _, err := s.Keychain.Get(secrets.IMAPPasswordKey(got.URI())); !errors.Is(err, secrets.ErrNotFound) {
				t.Errorf("keychain entry after a refused login: %v", err)
			}
		})
	}
}

// dovecot starts a real IMAP server with one user.
func dovecot(t *testing.T) *dovecottest.Server {
	t.Helper()
	return dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}})
}

func plainForm(srv *dovecottest.Server) IMAPForm {
	return IMAPForm{Email: login, Password: password, Host: "127.0.0.1", Port: srv.Port, Security: imap.None}
}

func testAddIMAPKeepsThePasswordInTheKeychainOnly(t *testing.T, srv *dovecottest.Server) {
	s := newService(t)
	ctx := context.Background()
	a, err := s.AddIMAP(ctx, plainForm(srv))
	if err != nil {
		t.Fatal(err)
	}
	uri := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: login}.URI()
	if a.ID == 0 || a.Kind != "imap" || a.URI != uri || a.Email != login || a.Label != login || a.TrustedCert != "" {
		t.Errorf("account %+v, want imap %s", a, uri)
	}
	if got, err := s.Keychain.Get(secrets.IMAPPasswordKey(uri)); err != nil || got != password {
		t.Errorf("keychain entry %q, %v; want the password", got, err)
	}
	all, err := s.Store.Accounts(ctx)
	if err != nil || len(all) != 1 || all[0].ID != a.ID || all[0].URI != uri {
		t.Errorf("stored accounts %+v, %v", all, err)
	}
	// Adding it again updates the same account.
	if again, err := s.AddIMAP(ctx, plainForm(srv)); err != nil || again.ID != a.ID {
		t.Errorf("added again: %+v, %v; want id %d", again, err, a.ID)
	}
	list, err := s.List(ctx)
	if err != nil || len(list) != 1 || list[0].State != "ready" || list[0].Message != "" {
		t.Errorf("List = %+v, %v; want one ready account", list, err)
	}
	// The password is nowhere in the database's files.
	path := s.Store.Path()
	found := 0
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found++
		if bytes.Contains(b, []byte(password)) {
			t.Errorf("%s holds the password", p)
		}
		if p == path+"-wal" && !bytes.Contains(b, []byte("127.0.0.1")) && !bytes.Contains(mustRead(t, path), []byte("127.0.0.1")) {
			t.Errorf("the account is in neither the database nor its WAL: the search proves nothing")
		}
	}
	if found < 2 {
		t.Errorf("only %d database files to search", found)
	}
}

func mustRead(t *testing.T, p string) []byte {
	t.Helper()
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The IMAP account tests share one Dovecot (stopping one takes seconds);
// the wrong password has its own, as Dovecot slows an address down after
// a failed login.
func TestIMAPAccountsAgainstDovecot(t *testing.T) {
	srv := dovecot(t)
	for _, tt := range []struct {
		name string
		test func(*testing.T, *dovecottest.Server)
	}{
		{"AddIMAPKeepsThePasswordInTheKeychainOnly", testAddIMAPKeepsThePasswordInTheKeychainOnly},
		{"ListSaysWhichAccountsNeedAPassword", testListSaysWhichAccountsNeedAPassword},
		{"RemoveForgetsTheAccountAndPasswordButKeepsContacts", testRemoveForgetsTheAccountAndPasswordButKeepsContacts},
		{"OpenSourceUsesTheAccountsTrustedCertificate", testOpenSourceUsesTheAccountsTrustedCertificate},
		{"AddIMAPOverTLSWithATrustedCertificate", testAddIMAPOverTLSWithATrustedCertificate},
		{"MiningConnectsOnlyToTheMailServer", testMiningConnectsOnlyToTheMailServer},
	} {
		t.Run(tt.name, func(t *testing.T) { tt.test(t, srv) })
	}
}

func TestAddIMAPWithAWrongPasswordStoresNothing(t *testing.T) {
	srv := dovecot(t)
	s := newService(t)
	ctx := context.Background()
	f := plainForm(srv)
	f.Password = "not-" + password
	_, err := s.AddIMAP(ctx, f)
	var e *imap.Error
	if !errors.As(err, &e) || e.Field != "password" {
		t.Fatalf("AddIMAP with a wrong password: %v; want an *imap.Error on the password", err)
	}
	if all, _ := s.Store.Accounts(ctx); len(all) != 0 {
		t.Errorf("accounts stored: %+v", all)
	}
	uri := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: login}.URI()
	if _, err := s.Keychain.Get(secrets.IMAPPasswordKey(uri)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("keychain after a refused login: %v, want nothing", err)
	}
}

func testListSaysWhichAccountsNeedAPassword(t *testing.T, srv *dovecottest.Server) {
	s := newService(t)
	ctx := context.Background()
	a, err := s.AddIMAP(ctx, plainForm(srv))
	if err != nil {
		t.Fatal(err)
	}
	demo, err := s.Demo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	state := func() map[int64]Status {
		t.Helper()
		list, err := s.List(ctx)
		if err != nil {
			t.Fatal(err)
		}
		out := map[int64]Status{}
		for _, st := range list {
			out[st.ID] = st
		}
		return out
	}
	if st := state(); st[a.ID].State != "ready" || st[demo.ID].State != "ready" {
		t.Errorf("states %+v", st)
	}
	// The keychain lost the entry.
	if err := s.Keychain.Delete(secrets.IMAPPasswordKey(a.URI)); err != nil {
		t.Fatal(err)
	}
	st := state()
	if st[a.ID].State != "needs-password" || !strings.Contains(st[a.ID].Message, "keychain") {
		t.Errorf("without a keychain entry: %+v", st[a.ID])
	}
	if st[demo.ID].State != "ready" {
		t.Errorf("a local source needs no password: %+v", st[demo.ID])
	}
	// No keychain at all: the reason is shown.
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	st = state()
	if st[a.ID].State != "needs-password" || !strings.Contains(st[a.ID].Message, secrets.ErrUnavailable.Error()) {
		t.Errorf("without a keychain: %+v", st[a.ID])
	}
	keyring.MockInit()
	// A run's error shows, except an interrupted run.
	src, err := s.Store.EnsureSource(ctx, "demo:", "demo")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ err, state string }{{"the demo broke", "error"}, {"interrupted", "ready"}, {"", "ready"}} {
		run, _ := s.Store.StartRun(ctx, src)
		status := store.RunFailed
		if tt.err == "" {
			status = store.RunDone
		}
		if err := s.Store.FinishRun(ctx, run, store.RunResult{Status: status, Error: tt.err}); err != nil {
			t.Fatal(err)
		}
		if got := state()[demo.ID]; got.State != tt.state || tt.state == "error" && got.Message != tt.err {
			t.Errorf("after a run ending with %q: %+v, want %s", tt.err, got, tt.state)
		}
	}
}

// addContact mines one contact into a source, as a run would.
func addContact(t *testing.T, st *store.Store, uri, email string) {
	t.Helper()
	ctx := context.Background()
	src, err := st.EnsureSource(ctx, uri, strings.SplitN(uri, ":", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	folder, err := st.EnsureFolder(ctx, src, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	w, err := st.BeginWrite(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	id, _, _ := w.Message(store.MessageRow{Key: email, Date: time.Now(), FolderID: folder.ID})
	w.Location(folder.ID, email, id)
	cid, _, _ := w.Contact(email, nil)
	w.Occurrence(store.OccurrenceRow{MessageID: id, ContactID: cid, Field: 1, Name: "Someone"})
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func testRemoveForgetsTheAccountAndPasswordButKeepsContacts(t *testing.T, srv *dovecottest.Server) {
	s := newService(t)
	ctx := context.Background()
	a, err := s.AddIMAP(ctx, plainForm(srv))
	if err != nil {
		t.Fatal(err)
	}
	demo, _ := s.Demo(ctx)
	addContact(t, s.Store, a.URI, "bob@acme.test")
	if got, _ := s.Store.AccountByID(ctx, a.ID); got.Contacts != 1 {
		t.Fatalf("the account has %d contacts, want 1", got.Contacts)
	}
	if err := s.Remove(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Store.AccountByID(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("account still there: %v", err)
	}
	if _, err := s.Keychain.Get(secrets.IMAPPasswordKey(a.URI)); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("keychain entry still there: %v", err)
	}
	if _, err := s.Store.ContactByEmail(ctx, "bob@acme.test"); err != nil {
		t.Errorf("the account's contact is gone: %v", err)
	}
	if _, err := s.Store.AccountByID(ctx, demo.ID); err != nil {
		t.Errorf("the other account is gone: %v", err)
	}
	if err := s.Remove(ctx, a.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing twice: %v, want ErrNotFound", err)
	}
	if err := s.Remove(ctx, 99999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removing an unknown account: %v, want ErrNotFound", err)
	}
	// Without a keychain the account can still be removed.
	b, err := s.AddIMAP(ctx, plainForm(srv))
	if err != nil {
		t.Fatal(err)
	}
	keyring.MockInitWithError(errors.New("The name org.freedesktop.secrets was not provided by any .service files"))
	if err := s.Remove(ctx, b.ID); err != nil {
		t.Errorf("Remove without a keychain: %v", err)
	}
	if _, err := s.Store.AccountByID(ctx, b.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("account still there: %v", err)
	}
}

func TestAddLocalSources(t *testing.T) {
	dir := t.TempDir()
	maildir := filepath.Join(dir, "Mail")
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(maildir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	msg := "From: Bob <bob@acme.test>\r\nTo: alice@example.test\r\nSubject: hi\r\nMessage-ID: <1@acme.test>\r\nDate: Mon, 1 Jan 2024 10:00:00 +0000\r\n\r\nHello\r\n"
	if err := os.WriteFile(filepath.Join(maildir, "cur", "1704103200.M1P1.host:2,S"), []byte(msg), 0o600); err != nil {
		t.Fatal(err)
	}
	mbox := filepath.Join(dir, "archive.mbox")
	if err := os.WriteFile(mbox, []byte("From bob@acme.test Mon Jan  1 10:00:00 2024\n"+strings.ReplaceAll(msg, "\r\n", "\n")), 0o600); err != nil {
		t.Fatal(err)
	}
	emlDir := filepath.Join(dir, "saved")
	os.MkdirAll(emlDir, 0o700)
	os.WriteFile(filepath.Join(emlDir, "one.eml"), []byte(msg), 0o600)

	tests := []struct {
		path, kind, uri, label string
	}{
		{maildir, "maildir", "maildir:" + maildir, "Mail (maildir)"},
		{maildir + "/", "maildir", "maildir:" + maildir, "Mail (maildir)"},
		{mbox, "mbox", "mbox:" + mbox, "archive.mbox (mbox)"},
		{emlDir, "eml", "eml:" + emlDir, "saved (eml)"},
		{"maildir:" + maildir, "maildir", "maildir:" + maildir, "Mail (maildir)"},
	}
	s := newService(t)
	ctx := context.Background()
	ids := map[string]int64{}
	for _, tt := range tests {
		a, err := s.AddLocal(ctx, tt.path)
		if err != nil {
			t.Errorf("AddLocal(%q): %v", tt.path, err)
			continue
		}
		if a.Kind != tt.kind || a.URI != tt.uri || a.Label != tt.label || a.ID == 0 {
			t.Errorf("AddLocal(%q) = %+v; want %s %s %q", tt.path, a, tt.kind, tt.uri, tt.label)
		}
		if id, seen := ids[a.URI]; seen && id != a.ID {
			t.Errorf("the same source added twice: ids %d and %d", id, a.ID)
		}
		ids[a.URI] = a.ID
	}
	all, _ := s.Store.Accounts(ctx)
	if len(all) != 3 {
		t.Errorf("%d accounts, want 3 (one per source)", len(all))
	}
	// Not a mailbox: nothing added.
	empty := filepath.Join(dir, "empty")
	os.MkdirAll(empty, 0o700)
	for _, bad := range []string{filepath.Join(dir, "missing"), empty, "unknown:/x"} {
		if a, err := s.AddLocal(ctx, bad); err == nil {
			t.Errorf("AddLocal(%q) = %+v; want an error", bad, a)
		}
	}
	if after, _ := s.Store.Accounts(ctx); len(after) != len(all) {
		t.Errorf("a failed AddLocal stored an account: %+v", after)
	}
	for _, st := range mustList(t, s) {
		if st.State != "ready" {
			t.Errorf("local source %s: %+v", st.URI, st)
		}
	}
}

func mustList(t *testing.T, s *Service) []Status {
	t.Helper()
	list, err := s.List(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestDemoIsAddedOnce(t *testing.T) {
	s := newService(t)
	ctx := context.Background()
	a, err := s.Demo(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if a.Kind != "demo" || a.URI != "demo:" || a.Label != "Demo mailbox" {
		t.Errorf("demo account %+v", a)
	}
	b, err := s.Demo(ctx)
	if err != nil || b.ID != a.ID {
		t.Errorf("demo again: %+v, %v; want id %d", b, err, a.ID)
	}
	if all, _ := s.Store.Accounts(ctx); len(all) != 1 {
		t.Errorf("%d accounts, want 1", len(all))
	}
	src, err := s.OpenSource(ctx, a.URI)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if src.URI() != "demo:" {
		t.Errorf("demo source %s", src.URI())
	}
}

func testOpenSourceUsesTheAccountsTrustedCertificate(t *testing.T, srv *dovecottest.Server) {
	s := newService(t)
	ctx := context.Background()
	right := imap.Fingerprint(srv.Cert)
	wrong := "sha256:" + strings.Repeat("00", 32)
	cfg := imap.Config{Host: "127.0.0.1", Port: srv.TLSPort, Security: imap.Implicit, Username: login}
	uri := cfg.URI()
	if err := s.Keychain.Set(secrets.IMAPPasswordKey(uri), password); err != nil {
		t.Fatal(err)
	}
	certError := func(err error) *imap.Error {
		var e *imap.Error
		if !errors.As(err, &e) || e.Kind != imap.KindCertificate {
			t.Errorf("error %v, want a certificate error", err)
			return &imap.Error{}
		}
		return e
	}
	// No account, so no trusted certificate: the self-signed one is refused.
	if src, err := s.OpenSource(ctx, uri); err == nil {
		src.Close()
		t.Error("opened a server with a self-signed certificate and no trust")
	} else if e := certError(err); e.Fingerprint != right {
		t.Errorf("fingerprint %q, want %q", e.Fingerprint, right)
	}
	// An account trusting another certificate.
	if _, err := s.Store.SaveAccount(ctx, store.Account{Kind: "imap", Label: login, URI: uri, Email: login, TrustedCert: wrong}); err != nil {
		t.Fatal(err)
	}
	if src, err := s.OpenSource(ctx, uri); err == nil {
		src.Close()
		t.Error("opened a server whose certificate is not the trusted one")
	} else if e := certError(err); e.Fingerprint != right {
		t.Errorf("fingerprint %q, want %q", e.Fingerprint, right)
	}
	// Trusting this one.
	if _, err := s.Store.SaveAccount(ctx, store.Account{Kind: "imap", Label: login, URI: uri, Email: login, TrustedCert: right}); err != nil {
		t.Fatal(err)
	}
	src, err := s.OpenSource(ctx, uri)
	if err != nil {
		t.Fatalf("with the trusted certificate: %v", err)
	}
	if src.URI() != uri {
		t.Errorf("source %s, want %s", src.URI(), uri)
	}
	src.Close()
	// The password comes from the keychain: without it, no login.
	if err := s.Keychain.Delete(secrets.IMAPPasswordKey(uri)); err != nil {
		t.Fatal(err)
	}
	if src, err := s.OpenSource(ctx, uri); err == nil {
		src.Close()
		t.Error("opened without a password")
	} else if !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("without a password: %v, want ErrNotFound", err)
	}
}

func testAddIMAPOverTLSWithATrustedCertificate(t *testing.T, srv *dovecottest.Server) {
	s := newService(t)
	ctx := context.Background()
	f := IMAPForm{Email: login, Password: password, Host: "127.0.0.1", Port: srv.TLSPort, Security: imap.Implicit}
	err := s.Check(ctx, f)
	var e *imap.Error
	if !errors.As(err, &e) || e.Kind != imap.KindCertificate || e.Field != "security" || e.Fingerprint != imap.Fingerprint(srv.Cert) {
		t.Fatalf("untrusted certificate: %v; want a certificate error with its fingerprint", err)
	}
	f.TrustedCert = e.Fingerprint
	a, err := s.AddIMAP(ctx, f)
	if err != nil {
		t.Fatal(err)
	}
	if a.TrustedCert != e.Fingerprint {
		t.Errorf("trusted certificate %q not kept", a.TrustedCert)
	}
	src, err := s.OpenSource(ctx, a.URI)
	if err != nil {
		t.Fatalf("OpenSource of the added account: %v", err)
	}
	src.Close()
}
