package imap_test

import (
	"context"
	"path/filepath"
	"reflect"
	"slices"
	"testing"
	"time"

	"leadminer/backend/contact"
	"leadminer/backend/contacts"
	"leadminer/backend/mining"
	"leadminer/backend/source"
	"leadminer/backend/source/demo"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
	"leadminer/backend/source/maildir"
	"leadminer/backend/store"
)

const (
	login    = "alice@example.test"
	password = "alice-pass"
)

// demoMailbox returns the demo mailbox's messages by folder, each with a
// short body, as a delivery agent would store them.
func demoMailbox(t testing.TB) map[string][][]byte {
	t.Helper()
	box := demo.New(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	folders, _ := box.Folders(context.Background())
	out := map[string][][]byte{}
	for _, f := range folders {
		box.Scan(context.Background(), f.Name, source.EmptyCheckpoint{}, func(r source.Record) error {
			out[f.Name] = append(out[f.Name], append(append([]byte{}, r.Header...), "Hello.\r\n"...))
			return nil
		})
	}
	return out
}

func startWithDemo(t testing.TB) *dovecottest.Server {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}})
	for folder, msgs := range demoMailbox(t) {
		srv.Deliver(t, login, folder, msgs...)
	}
	return srv
}

func config(srv *dovecottest.Server) imap.Config {
	return imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: login, Password: password}
}

func openIMAP(t testing.TB, cfg imap.Config) *imap.Source {
	t.Helper()
	src, err := imap.Open(context.Background(), cfg)
	if err != nil {
		t.Fatalf("open imap: %v", err)
	}
	t.Cleanup(func() { src.Close() })
	return src
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	return openStoreAt(t, filepath.Join(t.TempDir(), "test.db"))
}

func openStoreAt(t testing.TB, path string) *store.Store {
	t.Helper()
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mine(t testing.TB, st *store.Store, src source.Source, me ...string) mining.Summary {
	t.Helper()
	sum, err := mining.New(st, nil).Run(context.Background(), mining.Request{Source: src, Me: me}, nil)
	if err != nil {
		t.Fatalf("mining %s: %v", src.URI(), err)
	}
	return sum
}

// allContacts lists every contact without what differs between sources.
func allContacts(t testing.TB, st *store.Store) map[string]contact.Contact {
	t.Helper()
	out := map[string]contact.Contact{}
	err := contacts.New(st).List(context.Background(), store.Query{All: true}, func(c contact.Contact) error {
		c.ID, c.Sources = 0, nil
		out[c.Email] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func diff(t *testing.T, what string, a, b map[string]contact.Contact) {
	t.Helper()
	if reflect.DeepEqual(a, b) {
		return
	}
	n := 0
	for k, v := range a {
		if w, ok := b[k]; !ok || !reflect.DeepEqual(v, w) {
			if n++; n <= 3 {
				t.Errorf("%s: %s differs:\n%+v\n%+v", what, k, v, w)
			}
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			if n++; n <= 6 {
				t.Errorf("%s: %s only on one side", what, k)
			}
		}
	}
	t.Errorf("%s: %d of %d/%d contacts differ", what, n, len(a), len(b))
}

func TestFoldersWithCountsAndDefaultSelection(t *testing.T) {
	srv := startWithDemo(t)
	src := openIMAP(t, config(srv))
	folders, err := src.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]source.Folder{}
	for _, f := range folders {
		byName[f.Name] = f
	}
	for name, msgs := range demoMailbox(t) {
		if got := byName[name].Count; got != len(msgs) {
			t.Errorf("%s: count %d, want %d", name, got, len(msgs))
		}
	}
	if byName["Sent"].SpecialUse != source.SpecialSent || byName["Junk"].SpecialUse != source.SpecialJunk {
		t.Errorf("special use not reported: %+v %+v", byName["Sent"], byName["Junk"])
	}
	got := source.DefaultFolders(folders)
	want := []string{"INBOX", "Archive", "Lists/dev-discuss", "Newsletters", "Sent"}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("default folders %v, want %v (no Drafts, Junk, Spam, Trash)", got, want)
	}
}

// Many servers (Courier, Dovecot with Maildir++ names, Cyrus) separate
// folder levels with "."; the folder says so, and mining by those names works.
func TestFoldersCarryTheServersSeparator(t *testing.T) {
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}, Separator: "."})
	srv.Deliver(t, login, "INBOX", []byte("From: a@x.example\r\nTo: "+login+"\r\nMessage-ID: <s1@x>\r\n\r\n"))
	srv.Deliver(t, login, "Lists/dev-discuss", []byte("From: Dev List <dev@lists.example>\r\nTo: "+login+"\r\nMessage-ID: <s2@x>\r\n\r\n"))
	src := openIMAP(t, config(srv))
	folders, err := src.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, f := range folders {
		if f.Name == "Lists.dev-discuss" {
			found = true
			if f.Delimiter != "." || f.Count != 1 {
				t.Errorf("%+v: want delimiter \".\" and 1 message", f)
			}
		}
	}
	if !found {
		t.Fatalf("no Lists.dev-discuss in %+v", folders)
	}
	st := openStore(t)
	sum, err := mining.New(st, nil).Run(context.Background(), mining.Request{Source: src, Folders: []string{"Lists.dev-discuss"}}, nil)
	if err != nil || sum.Messages != 1 {
		t.Fatalf("mining the dotted folder: %+v, %v", sum, err)
	}
}

func TestIMAPMiningMatchesMiningTheSameMaildir(t *testing.T) {
	srv := startWithDemo(t)
	viaIMAP, fromDisk := openStore(t), openStore(t)
	sum := mine(t, viaIMAP, openIMAP(t, config(srv)))
	md, err := maildir.Open(srv.Maildir(login))
	if err != nil {
		t.Fatal(err)
	}
	mine(t, fromDisk, md, login)
	if sum.Messages == 0 {
		t.Fatal("nothing mined over IMAP")
	}
	a, b := allContacts(t, viaIMAP), allContacts(t, fromDisk)
	if len(a) < 100 {
		t.Fatalf("only %d contacts", len(a))
	}
	diff(t, "imap vs maildir", a, b)
	if _, ok := a[login]; ok {
		t.Error("the account's own address became a contact")
	}
}
