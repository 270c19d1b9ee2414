package store

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestSaveAccountUpsertsByURI(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	first := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	s.now = func() time.Time { return first }
	imapURI := "imap://bob%40example.test@imap.example.test:993?tls=implicit"
	id, err := s.SaveAccount(ctx, Account{Kind: "imap", Label: "bob@example.test", URI: imapURI, Email: "bob@example.test",
		Provider: "Example", TrustedCert: "sha256:aa"})
	if err != nil {
		t.Fatal(err)
	}
	other, err := s.SaveAccount(ctx, Account{Kind: "demo", Label: "Demo mailbox", URI: "demo:"})
	if err != nil || other == id {
		t.Fatalf("second account: id %d, %v (first %d)", other, err, id)
	}
	// The same URI again: the same row, with the new fields, created when
	// it was first added.
	s.now = func() time.Time { return first.Add(time.Hour) }
	again, err := s.SaveAccount(ctx, Account{Kind: "imap", Label: "Bob at work", URI: imapURI, Email: "bob@example.test",
		Provider: "Other", TrustedCert: "sha256:bb"})
	if err != nil || again != id {
		t.Fatalf("same URI: id %d, %v; want %d", again, err, id)
	}
	all, err := s.Accounts(ctx)
	if err != nil || len(all) != 2 {
		t.Fatalf("accounts %+v, %v", all, err)
	}
	a := all[0]
	if a.ID != id || a.Kind != "imap" || a.Label != "Bob at work" || a.URI != imapURI || a.Email != "bob@example.test" ||
		a.Provider != "Other" || a.TrustedCert != "sha256:bb" || !a.CreatedAt.Equal(first) {
		t.Errorf("updated account %+v", a)
	}
	if all[1].ID != other || all[1].URI != "demo:" {
		t.Errorf("accounts are not oldest first: %+v", all)
	}
	// A trusted certificate can be forgotten.
	if _, err := s.SaveAccount(ctx, Account{Kind: "imap", Label: "Bob", URI: imapURI}); err != nil {
		t.Fatal(err)
	}
	if a, _ := s.AccountByID(ctx, id); a.TrustedCert != "" || a.Email != "" {
		t.Errorf("cleared fields kept: %+v", a)
	}
}

func TestAccountsReportTheirSourcesMining(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	mined := time.Date(2024, 6, 1, 10, 0, 0, 0, time.UTC)
	s.now = func() time.Time { return mined }
	mailURI, boxURI, idleURI := "maildir:/home/me/Mail", "mbox:/home/me/old.mbox", "demo:"
	for _, a := range []Account{
		{Kind: "maildir", Label: "Mail", URI: mailURI},
		{Kind: "mbox", Label: "old", URI: boxURI},
		{Kind: "demo", Label: "Demo", URI: idleURI},
	} {
		if _, err := s.SaveAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	// The Maildir: two visible contacts and a hidden one, a finished run.
	mailSrc, inbox := ensure(t, s, mailURI, "INBOX")
	put(t, s, mailSrc,
		placed{mail{key: "a", date: at(0), who: []seen{from(ada, "Ada"), to(bob, "Bob")}}, []FolderState{inbox}},
		placed{mail{key: "n", date: at(1), who: []seen{{email: news, name: "News", field: fieldFrom, tag: "newsletter"}}}, []FolderState{inbox}},
	)
	// The mbox: one of the same contacts, and a run that failed after a
	// finished one.
	box, folder := ensure(t, s, boxURI, "old")
	put(t, s, box, placed{mail{key: "b", date: at(2), who: []seen{from(bob, "Bob")}}, []FolderState{folder}})
	recompute(t, s, true)
	run := func(src int64, r RunResult) {
		t.Helper()
		id, err := s.StartRun(ctx, src)
		if err != nil {
			t.Fatal(err)
		}
		if err := s.FinishRun(ctx, id, r); err != nil {
			t.Fatal(err)
		}
	}
	run(mailSrc, RunResult{Status: RunDone})
	run(box, RunResult{Status: RunDone})
	s.now = func() time.Time { return mined.Add(time.Hour) }
	run(box, RunResult{Status: RunFailed, Error: "mbox: permission denied"})

	all, err := s.Accounts(ctx)
	if err != nil || len(all) != 3 {
		t.Fatalf("accounts %+v, %v", all, err)
	}
	byURI := map[string]Account{}
	for _, a := range all {
		byURI[a.URI] = a
	}
	if a := byURI[mailURI]; a.LastMined == nil || !a.LastMined.Equal(mined) || a.Contacts != 2 || a.LastError != "" {
		t.Errorf("maildir account: last mined %v, %d contacts, error %q; want %v, 2 (not the hidden one), none",
			a.LastMined, a.Contacts, a.LastError, mined)
	}
	// A failed run does not move last_mined; its error is the last one.
	if a := byURI[boxURI]; a.LastMined == nil || !a.LastMined.Equal(mined) || a.Contacts != 1 || a.LastError != "mbox: permission denied" {
		t.Errorf("mbox account: last mined %v, %d contacts, error %q", a.LastMined, a.Contacts, a.LastError)
	}
	if a := byURI[idleURI]; a.LastMined != nil || a.Contacts != 0 || a.LastError != "" {
		t.Errorf("never mined account: %+v", a)
	}
	// A later successful run clears the error.
	s.now = func() time.Time { return mined.Add(2 * time.Hour) }
	run(box, RunResult{Status: RunDone})
	if a := accountByURI(t, s, boxURI); a.LastError != "" || !a.LastMined.Equal(mined.Add(2*time.Hour)) {
		t.Errorf("after a new run: %+v", a)
	}
	// A run in progress has no error yet.
	if _, err := s.StartRun(ctx, mailSrc); err != nil {
		t.Fatal(err)
	}
	if a := accountByURI(t, s, mailURI); a.LastError != "" || !a.LastMined.Equal(mined) {
		t.Errorf("while running: %+v", a)
	}
	// Removed contacts are no longer counted.
	if _, err := s.DeleteContacts(ctx, []int64{idOf(t, s, ada)}); err != nil {
		t.Fatal(err)
	}
	if a := accountByURI(t, s, mailURI); a.Contacts != 1 {
		t.Errorf("%d contacts after removing one, want 1", a.Contacts)
	}
}

func accountByURI(t *testing.T, s *Store, uri string) Account {
	t.Helper()
	all, err := s.Accounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range all {
		if a.URI == uri {
			return a
		}
	}
	t.Fatalf("no account %s", uri)
	return Account{}
}

func TestAccountByIDAndDeleteAccount(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	if all, err := s.Accounts(ctx); err != nil || len(all) != 0 {
		t.Errorf("no accounts yet: %+v, %v", all, err)
	}
	id, err := s.SaveAccount(ctx, Account{Kind: "maildir", Label: "Mail", URI: "test:"})
	if err != nil {
		t.Fatal(err)
	}
	keep, err := s.SaveAccount(ctx, Account{Kind: "demo", Label: "Demo", URI: "demo:"})
	if err != nil {
		t.Fatal(err)
	}
	// Its contacts, mined through the source of the same URI.
	f := newFixture(t, s)
	f.write(mail{key: "m1", date: at(0), who: []seen{from(ada, "Ada")}})
	if a, err := s.AccountByID(ctx, id); err != nil || a.ID != id || a.URI != "test:" || a.Contacts != 1 {
		t.Errorf("AccountByID(%d) = %+v, %v", id, a, err)
	}
	for _, missing := range []int64{0, -1, 99999} {
		if _, err := s.AccountByID(ctx, missing); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "account") {
			t.Errorf("AccountByID(%d): %v, want ErrNotFound", missing, err)
		}
		if err := s.DeleteAccount(ctx, missing); !errors.Is(err, ErrNotFound) {
			t.Errorf("DeleteAccount(%d): %v, want ErrNotFound", missing, err)
		}
	}
	if err := s.DeleteAccount(ctx, id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AccountByID(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleted account: %v", err)
	}
	if err := s.DeleteAccount(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("deleting twice: %v, want ErrNotFound", err)
	}
	if a, err := s.AccountByID(ctx, keep); err != nil || a.URI != "demo:" {
		t.Errorf("the other account: %+v, %v", a, err)
	}
	// The contacts stay.
	if _, err := s.ContactByEmail(ctx, ada); err != nil {
		t.Errorf("a deleted account's contact: %v", err)
	}
	// Added again, it finds its source's contacts again.
	id, _ = s.SaveAccount(ctx, Account{Kind: "maildir", Label: "Mail", URI: "test:"})
	if a, _ := s.AccountByID(ctx, id); a.Contacts != 1 {
		t.Errorf("re-added account has %d contacts, want 1", a.Contacts)
	}
}
