package accounts

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"strconv"
	"sync"
	"testing"

	"leadminer/backend/egress"
	"leadminer/backend/mining"
	"leadminer/backend/privacy"
	"leadminer/backend/source/imap/dovecottest"
)

// connections records every connection attempt made through it.
type connections struct {
	mu    sync.Mutex
	addrs []string
}

func (c *connections) dial(ctx context.Context, network, address string) (net.Conn, error) {
	c.mu.Lock()
	c.addrs = append(c.addrs, network+" "+address)
	c.mu.Unlock()
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

func (c *connections) list() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.addrs...)
}

type roundTripper func(*http.Request) (*http.Response, error)

func (f roundTripper) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// With every subprocessor off, adding an account, mining it and applying
// retention connect to the mail server and to nothing else: the mail
// client's connections go through a recording dialer, and the process's
// default HTTP transport and DNS resolver are replaced by recorders (the
// source analyser already proves no other package dials on its own).
func testMiningConnectsOnlyToTheMailServer(t *testing.T, srv *dovecottest.Server) {
	srv.Deliver(t, login, "INBOX",
		[]byte("From: Vera Verify <vera@verify.example>\r\nTo: "+login+"\r\nSubject: hi\r\nMessage-ID: <egress-1@x>\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n"))

	mail := &connections{}
	other := &connections{}
	savedTransport, savedResolver := http.DefaultTransport, net.DefaultResolver
	t.Cleanup(func() { http.DefaultTransport, net.DefaultResolver = savedTransport, savedResolver })
	http.DefaultTransport = roundTripper(func(r *http.Request) (*http.Response, error) {
		other.dial(r.Context(), "http", r.URL.Host)
		return nil, fmt.Errorf("no HTTP is allowed in this test")
	})
	net.DefaultResolver = &net.Resolver{PreferGo: true, Dial: other.dial}

	s := newService(t)
	s.Dial = mail.dial
	ctx := context.Background()
	a, err := s.AddIMAP(ctx, plainForm(srv))
	if err != nil {
		t.Fatal(err)
	}
	src, err := s.OpenSource(ctx, a.URI)
	if err != nil {
		t.Fatal(err)
	}
	sum, err := mining.New(s.Store, nil).Run(ctx, mining.Request{Source: src}, nil)
	src.Close()
	if err != nil || sum.Contacts == 0 {
		t.Fatalf("mining: %+v, %v", sum, err)
	}
	svc := privacy.New(s.Store)
	if _, err := svc.Purge(ctx); err != nil {
		t.Fatal(err)
	}
	// What verification would do first: refused while its switch is off.
	if _, err := svc.Gate().LookupMX(ctx, egress.Call{Purpose: "verify"}, "verify.example"); err == nil {
		t.Error("an MX lookup went through with the DNS switch off")
	}

	server := "tcp " + net.JoinHostPort("127.0.0.1", strconv.Itoa(srv.Port))
	got := mail.list()
	if len(got) == 0 {
		t.Fatal("the recording dialer saw no connection: it is not the one in use")
	}
	for _, addr := range got {
		if addr != server {
			t.Errorf("connected to %s; only the mail server %s is allowed", addr, server)
		}
	}
	if o := other.list(); len(o) != 0 {
		t.Errorf("connections outside the mail client: %v", o)
	}
	if log, err := s.Store.EgressLog(ctx, "", 0); err != nil || len(log) != 0 {
		t.Errorf("egress log %+v, %v; want nothing sent", log, err)
	}
}
