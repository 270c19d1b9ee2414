package imap_test

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"leadminer/backend/mining"
	"leadminer/backend/source"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
)

func message(id, from, to string) []byte {
	return []byte(fmt.Sprintf("Date: Mon, 2 Jan 2023 10:00:00 +0000\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\nMessage-ID: <%s@example.test>\r\n\r\nHello\r\n", from, to, id, id))
}

func TestSecondRunFetchesOnlyNewMessages(t *testing.T) {
	srv := startWithDemo(t)
	st := openStore(t)
	first := mine(t, st, openIMAP(t, config(srv)))
	srv.Deliver(t, login, "INBOX",
		message("new-1", "Zed New <zed@newcomer.example>", login),
		message("new-2", "Zed New <zed@newcomer.example>", login),
		message("new-3", "Yan <yan@newcomer.example>", login+", zed@newcomer.example"))
	second := mine(t, st, openIMAP(t, config(srv)))
	if second.Messages != 3 || second.NewMessages != 3 {
		t.Errorf("second run fetched %d messages (%d new), want only the 3 appended (first run: %d)", second.Messages, second.NewMessages, first.Messages)
	}
	got := allContacts(t, st)
	if z := got["zed@newcomer.example"]; z.Occurrence != 3 || z.Sender != 2 {
		t.Errorf("zed: %+v", z)
	}
}

func TestUIDValidityChangeRescansWithExactCounts(t *testing.T) {
	srv := startWithDemo(t)
	st := openStore(t)
	mine(t, st, openIMAP(t, config(srv)))
	before := allContacts(t, st)
	srv.ResetUIDValidity(t, login, "INBOX")
	again := mine(t, st, openIMAP(t, config(srv)))
	inbox := len(demoMailbox(t)["INBOX"])
	if again.Messages != inbox || again.NewMessages != 0 {
		t.Errorf("after a UIDVALIDITY change: read %d (new %d), want the whole INBOX (%d) re-read and nothing new", again.Messages, again.NewMessages, inbox)
	}
	diff(t, "after rescan", before, allContacts(t, st))
}

func TestWrongPasswordNamesThePasswordField(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}})
	cfg := config(srv)
	cfg.Password = "wrong"
	_, err := imap.Open(context.Background(), cfg)
	var e *imap.Error
	if !errors.As(err, &e) || e.Kind != imap.KindCredentials || e.Field != "password" {
		t.Fatalf("err = %v, want a credentials error on the password field", err)
	}
	if strings.Contains(err.Error(), "wrong") {
		t.Errorf("the error shows the password: %v", err)
	}
}

func TestLocalPartIsTriedWhenTheFullAddressIsRefused(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{"bob": "bob-pass"}})
	cfg := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: "bob@example.test", Password: "bob-pass"}
	src := openIMAP(t, cfg)
	if _, err := src.Folders(context.Background()); err != nil {
		t.Fatal(err)
	}
	if own := src.OwnAddresses(); len(own) == 0 || own[0] != "bob@example.test" {
		t.Errorf("own addresses %v: the address stays the user's own", own)
	}
}

func TestNetworkErrorsNameTheFieldToFix(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}})
	tests := []struct {
		name  string
		cfg   imap.Config
		kind  imap.Kind
		field string
	}{
		{"nothing listens", imap.Config{Host: "127.0.0.1", Port: 1, Security: imap.None}, imap.KindRefused, "port"},
		{"plaintext to a remote host", imap.Config{Host: "imap.example.com", Port: 143, Security: imap.None}, imap.KindPlaintextRefused, "security"},
		{"TLS on the plaintext port", imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.Implicit}, imap.KindTLS, "security"},
		{"host not found", imap.Config{Host: "no-such-host.invalid", Port: 993, Security: imap.Implicit, Timeout: 5 * time.Second}, imap.KindHostNotFound, "host"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.cfg.Username, tt.cfg.Password = login, password
			_, err := imap.Open(context.Background(), tt.cfg)
			var e *imap.Error
			if !errors.As(err, &e) || e.Kind != tt.kind || e.Field != tt.field {
				t.Fatalf("err = %v (%#v), want kind %s on field %s", err, e, tt.kind, tt.field)
			}
		})
	}
}

func TestSelfSignedCertificateNeedsThePin(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}, CertHosts: []string{"mail.example.test"}})
	for _, sec := range []imap.Security{imap.StartTLS, imap.Implicit} {
		t.Run(string(sec), func(t *testing.T) {
			cfg := config(srv)
			cfg.Security = sec
			if sec == imap.Implicit {
				cfg.Port = srv.TLSPort
			}
			_, err := imap.Open(context.Background(), cfg)
			var e *imap.Error
			if !errors.As(err, &e) || e.Kind != imap.KindCertificate {
				t.Fatalf("without a pin: %v, want a certificate error", err)
			}
			want := imap.Fingerprint(srv.Cert)
			if e.Fingerprint != want || !strings.Contains(e.Message, want) || !strings.Contains(e.Message, "self-signed") {
				t.Errorf("message %q should say self-signed and give the fingerprint %s", e.Message, want)
			}
			cfg.TrustedCert = want
			src := openIMAP(t, cfg)
			if _, err := src.Folders(context.Background()); err != nil {
				t.Fatalf("with the pin: %v", err)
			}
			cfg.TrustedCert = "sha256:" + strings.Repeat("0", 64)
			if _, err := imap.Open(context.Background(), cfg); !errors.As(err, &e) || e.Kind != imap.KindCertificate {
				t.Errorf("a wrong pin must fail: %v", err)
			}
		})
	}
}

func TestCertificateForAnotherHostSaysWhichNames(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}, CertHosts: []string{"mail.example.test", "imap.example.test"}})
	cfg := config(srv)
	cfg.Security = imap.StartTLS
	cfg.RootCAs = x509.NewCertPool()
	cfg.RootCAs.AddCert(srv.Cert) // trusted authority, wrong name: 127.0.0.1
	_, err := imap.Open(context.Background(), cfg)
	var e *imap.Error
	if !errors.As(err, &e) || e.Kind != imap.KindCertificate {
		t.Fatalf("err = %v, want a certificate error", err)
	}
	for _, want := range []string{"not for 127.0.0.1", "mail.example.test", "imap.example.test"} {
		if !strings.Contains(e.Message, want) {
			t.Errorf("message %q lacks %q", e.Message, want)
		}
	}
}

func TestDroppedConnectionsReconnectAndFinish(t *testing.T) {
	srv := startWithDemo(t)
	reference := openStore(t)
	mine(t, reference, openIMAP(t, config(srv)))

	proxy := dovecottest.StartProxy(t, srv.Addr())
	cfg := config(srv)
	cfg.Port = proxy.Port()
	cfg.ChunkSize = 100
	src := openIMAP(t, cfg) // the login connection is not cut
	proxy.CutNext(3, 30_000)
	st := openStore(t)
	mine(t, st, src)
	if acc, cut := proxy.Stats(); cut < 3 {
		t.Logf("accepted %d", acc)
		t.Fatalf("the proxy cut %d connections, the test needs 3", cut)
	}
	diff(t, "after dropped connections", allContacts(t, reference), allContacts(t, st))
}

func TestTooManyConnectionsShrinksThePool(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}, MaxConnections: 2})
	for folder, msgs := range demoMailbox(t) {
		srv.Deliver(t, login, folder, msgs...)
	}
	cfg := config(srv)
	cfg.Connections = 6
	cfg.ChunkSize = 50
	st := openStore(t)
	sum := mine(t, st, openIMAP(t, cfg))
	if sum.Messages == 0 {
		t.Fatal("nothing mined")
	}
}

func TestCancelStopsPromptlyAndKeepsWhatWasMined(t *testing.T) {
	srv := startWithDemo(t)
	proxy := dovecottest.StartProxy(t, srv.Addr())
	proxy.Delay.Store(int64(2 * time.Millisecond))
	cfg := config(srv)
	cfg.Port = proxy.Port()
	cfg.ChunkSize = 100
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	var canceledAt time.Time
	engine := mining.New(st, nil)
	engine.BatchSize = 50
	done := make(chan mining.Summary)
	go func() {
		sum, err := engine.Run(ctx, mining.Request{Source: openIMAP(t, cfg)}, func(p mining.Progress) {
			if p.Phase == mining.PhaseMining && p.Done >= 300 && canceledAt.IsZero() {
				canceledAt = time.Now()
				cancel()
			}
		})
		if err != nil {
			t.Error(err)
		}
		done <- sum
	}()
	select {
	case sum := <-done:
		if !sum.Canceled {
			t.Fatal("the run did not report the cancel")
		}
		t.Logf("cancel took %s", time.Since(canceledAt))
		counts, _ := st.Count(context.Background())
		if counts.Messages < 300 {
			t.Errorf("%d messages kept, want at least the 300 mined before the cancel", counts.Messages)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the run ignored the cancel")
	}
	// Resuming finishes the job with exactly the uninterrupted result.
	mine(t, st, openIMAP(t, config(srv)))
	reference := openStore(t)
	mine(t, reference, openIMAP(t, config(srv)))
	diff(t, "cancel then resume", allContacts(t, reference), allContacts(t, st))
}

var _ source.Source = (*imap.Source)(nil)

func isKind(err error, k imap.Kind) bool {
	var e *imap.Error
	return errors.As(err, &e) && e.Kind == k
}
