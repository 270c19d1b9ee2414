package privacy_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"leadminer/backend/contact"
	"leadminer/backend/egress"
	"leadminer/backend/mining"
	"leadminer/backend/privacy"
	"leadminer/backend/secrets"
	"leadminer/backend/source/maildir"
	"leadminer/backend/store"
)

const me = "owner@home.example"

// mailbox writes a Maildir where Zoltan Quixotic writes to the owner and
// to Ursula, and a newsletter comes from news@letters.example.
func mailbox(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(root, sub), 0o700)
	}
	msgs := []string{
		"From: Zoltan Quixotic <zoltan.quixotic@zanzibar.example>\r\nTo: " + me + ", Ursula Umbra <ursula@umbra.example>\r\nSubject: a\r\nMessage-ID: <m1@x>\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nb\r\n",
		"From: Zoltan Quixotic <zoltan.quixotic+news@zanzibar.example>\r\nTo: " + me + "\r\nSubject: b\r\nMessage-ID: <m2@x>\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\nReferences: <m1@x>\r\n\r\nb\r\n",
		"From: Ursula Umbra <ursula@umbra.example>\r\nTo: " + me + "\r\nSubject: c\r\nMessage-ID: <m3@x>\r\nDate: Wed, 4 Jan 2023 10:00:00 +0000\r\n\r\nb\r\n",
		"From: Vera Other <vera@other-domain.example>\r\nTo: " + me + "\r\nSubject: d\r\nMessage-ID: <m4@x>\r\nDate: Wed, 4 Jan 2023 11:00:00 +0000\r\n\r\nb\r\n",
		"From: Walt Other <walt@other-domain.example>\r\nTo: " + me + "\r\nSubject: e\r\nMessage-ID: <m5@x>\r\nDate: Wed, 4 Jan 2023 12:00:00 +0000\r\n\r\nb\r\n",
	}
	for i, m := range msgs {
		os.WriteFile(filepath.Join(root, "cur", fmt.Sprintf("%d.x:2,S", i)), []byte(m), 0o600)
	}
	return root
}

type fixture struct {
	st      *store.Store
	svc     *privacy.Service
	mailbox string
	dbPath  string
}

func setup(t *testing.T) *fixture {
	t.Helper()
	dir := t.TempDir()
	path := filepath.Join(dir, "leadminer.db")
	st, err := store.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f := &fixture{st: st, svc: privacy.New(st), mailbox: mailbox(t), dbPath: path}
	f.mine(t)
	return f
}

func (f *fixture) mine(t *testing.T) mining.Summary {
	t.Helper()
	src, err := maildir.Open(f.mailbox)
	if err != nil {
		t.Fatal(err)
	}
	// A new source URI each time would dodge the known-locations check;
	// the same one is what a user re-mining does.
	sum, err := mining.New(f.st, nil).Run(context.Background(), mining.Request{Source: src, Me: []string{me}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// remine forgets which files were mined, as a user mining a copy of the
// same mailbox from elsewhere would.
func (f *fixture) remine(t *testing.T) mining.Summary {
	t.Helper()
	copyDir := t.TempDir()
	entries, _ := os.ReadDir(filepath.Join(f.mailbox, "cur"))
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(copyDir, sub), 0o700)
	}
	for _, e := range entries {
		b, _ := os.ReadFile(filepath.Join(f.mailbox, "cur", e.Name()))
		os.WriteFile(filepath.Join(copyDir, "cur", e.Name()), b, 0o600)
	}
	saved := f.mailbox
	f.mailbox = copyDir
	defer func() { f.mailbox = saved }()
	return f.mine(t)
}

func target(t *testing.T, s string) privacy.Target {
	t.Helper()
	tg, err := privacy.ParseTarget(s)
	if err != nil {
		t.Fatal(err)
	}
	return tg
}

func (f *fixture) contact(t *testing.T, email string) (contact.Contact, bool) {
	c, err := f.st.ContactByEmail(context.Background(), email)
	if errors.Is(err, store.ErrNotFound) {
		return c, false
	}
	if err != nil {
		t.Fatal(err)
	}
	return c, true
}

func fileHas(t *testing.T, path string, needles ...string) []string {
	t.Helper()
	var found []string
	for _, p := range []string{path, path + "-wal", path + "-shm"} {
		b, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		for _, n := range needles {
			if bytes.Contains(bytes.ToLower(b), []byte(strings.ToLower(n))) {
				found = append(found, n+" in "+filepath.Base(p))
			}
		}
	}
	return found
}

func TestErasedPersonLeavesNoTraceAndIsNeverMinedAgain(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if _, ok := f.contact(t, "zoltan.quixotic@zanzibar.example"); !ok {
		t.Fatal("fixture: Zoltan was not mined")
	}
	if n, err := f.svc.Erase(ctx, target(t, "Zoltan.Quixotic@Zanzibar.example")); err != nil || n != 1 {
		t.Fatalf("Erase = %d, %v", n, err)
	}
	if found := fileHas(t, f.dbPath, "zoltan.quixotic@zanzibar.example", "zoltan.quixotic+news", "Quixotic"); len(found) > 0 {
		t.Errorf("erased data left in the database files: %v", found)
	}
	if _, ok := f.contact(t, "zoltan.quixotic@zanzibar.example"); ok {
		t.Fatal("the contact is still there")
	}
	res, _ := f.st.ListContacts(ctx, store.Query{All: true, Search: "quixotic"}, func(contact.Contact) error { return nil }), 0
	_ = res
	if n, _ := f.st.CountContacts(ctx, store.Query{All: true, Search: "quixotic"}); n != 0 {
		t.Errorf("search still finds the erased person (%d)", n)
	}
	// Re-mining the same mailbox does not bring them back.
	sum := f.remine(t)
	if _, ok := f.contact(t, "zoltan.quixotic@zanzibar.example"); ok {
		t.Fatal("re-mining resurrected an erased person")
	}
	if sum.Suppressed == 0 {
		t.Error("the run did not report suppressed addresses")
	}
	// The ledger keeps the erasure, under the subject only.
	hist, _ := f.st.Ledger(ctx, f.svc.Subject(target(t, "zoltan.quixotic@zanzibar.example")))
	if len(hist) != 1 || hist[0].Action != privacy.ActionErased {
		t.Errorf("ledger %+v, want one erasure", hist)
	}
	// Others are untouched.
	if _, ok := f.contact(t, "ursula@umbra.example"); !ok {
		t.Error("erasing one person removed another")
	}
}

func TestObjectionExcludesFromCampaignsAndStopsMining(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	if err := f.svc.Object(ctx, target(t, "ursula@umbra.example"), "asked by email"); err != nil {
		t.Fatal(err)
	}
	audience, err := f.svc.Audience(ctx, store.Query{All: true}, privacy.PurposeCampaigns)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range audience {
		if c.Email == "ursula@umbra.example" {
			t.Fatal("an objecting person is in a campaign audience")
		}
	}
	if len(audience) == 0 {
		t.Fatal("the audience lost everyone")
	}
	u, _ := f.contact(t, "ursula@umbra.example")
	if u.ConsentStatus != contact.ConsentOptOut {
		t.Errorf("consent %q, want opt_out derived from the ledger", u.ConsentStatus)
	}
	before := u.Occurrence
	f.remine(t)
	if u, _ := f.contact(t, "ursula@umbra.example"); u.Occurrence != before {
		t.Errorf("an objecting person was mined again: %d -> %d occurrences", before, u.Occurrence)
	}
	if n, _ := f.st.CountContacts(ctx, store.Query{All: true, Quick: store.Quick{HideUnsubscribed: true}, Search: "ursula"}); n != 0 {
		t.Error("hide unsubscribed still shows the objecting person")
	}
}

func TestRestrictionKeepsTheContactButExcludesItsUse(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.svc.Restrict(ctx, target(t, "ursula@umbra.example"), "")
	u, ok := f.contact(t, "ursula@umbra.example")
	if !ok || !u.Restricted {
		t.Fatalf("restricted contact: %v %+v", ok, u)
	}
	for _, purpose := range []string{privacy.PurposeCampaigns, privacy.PurposeEnrichment, privacy.PurposeVerification} {
		list, _ := f.svc.Audience(ctx, store.Query{All: true}, purpose)
		if slices.ContainsFunc(list, func(c contact.Contact) bool { return c.Email == u.Email }) {
			t.Errorf("a restricted contact is used for %s", purpose)
		}
	}
	f.svc.Grant(ctx, target(t, "ursula@umbra.example"), privacy.PurposeCampaigns, "signed the form")
	if u, _ := f.contact(t, "ursula@umbra.example"); u.Restricted || u.ConsentStatus != contact.ConsentOptIn {
		t.Errorf("after consent: restricted=%v status=%s", u.Restricted, u.ConsentStatus)
	}
}

func TestWithdrawalOptsOut(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tg := target(t, "ursula@umbra.example")
	f.svc.Grant(ctx, tg, privacy.PurposeCampaigns, "form")
	f.svc.Withdraw(ctx, tg, "")
	if u, _ := f.contact(t, "ursula@umbra.example"); u.ConsentStatus != contact.ConsentOptOut {
		t.Errorf("status %q after withdrawal", u.ConsentStatus)
	}
}

func TestRectificationIsRecorded(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	u, _ := f.contact(t, "ursula@umbra.example")
	title := "Architect"
	if _, err := f.svc.Rectify(ctx, u.ID, store.Patch{JobTitle: &title}); err != nil {
		t.Fatal(err)
	}
	hist, _ := f.st.Ledger(ctx, f.svc.Subject(target(t, u.Email)))
	if len(hist) != 1 || hist[0].Action != privacy.ActionRectified || !strings.Contains(fmt.Sprint(hist[0].Evidence), "job_title") {
		t.Errorf("ledger %+v", hist)
	}
}

func TestAccessReportHoldsEverythingAboutThePersonAndNothingAboutOthers(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tg := target(t, "zoltan.quixotic@zanzibar.example")
	f.svc.Restrict(ctx, tg, "asked")
	// An egress call that carried their data, and one that did not.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("ok")) }))
	defer srv.Close()
	gate := f.svc.Gate()
	gate.SetEnabled(ctx, "zerobounce", true)
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader("email=zoltan"))
	if _, err := gate.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify", Subjects: []string{f.svc.Subject(tg)}}, req); err != nil {
		t.Fatal(err)
	}
	req2, _ := http.NewRequest("POST", srv.URL, strings.NewReader("email=ursula"))
	gate.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify", Subjects: []string{f.svc.Subject(target(t, "ursula@umbra.example"))}}, req2)

	r, err := f.svc.Access(ctx, tg)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	doc := string(b)
	for _, want := range []string{"zoltan.quixotic@zanzibar.example", "zoltan.quixotic+news@zanzibar.example", "Zoltan Quixotic", "m1@x", "m2@x", "restricted", "zerobounce"} {
		if !strings.Contains(doc, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, other := range []string{"ursula", "vera@", "walt@", "m3@x"} {
		if strings.Contains(doc, other) {
			t.Errorf("the report mentions someone else: %q", other)
		}
	}
	if len(r.Occurrences) != 2 || len(r.Egress) != 1 || len(r.ConsentHistory) != 1 || r.Contact == nil {
		t.Errorf("occurrences %d, egress %d, ledger %d", len(r.Occurrences), len(r.Egress), len(r.ConsentHistory))
	}
	if !strings.Contains(r.Source, "INBOX") || r.Summary == "" {
		t.Errorf("source %q summary %q", r.Source, r.Summary)
	}
}

func TestSuppressingADomainStopsMiningIt(t *testing.T) {
	dir := t.TempDir()
	st, _ := store.Open(filepath.Join(dir, "x.db"))
	defer st.Close()
	svc := privacy.New(st)
	if err := svc.Suppress(context.Background(), target(t, "@other-domain.example"), "manual"); err != nil {
		t.Fatal(err)
	}
	f := &fixture{st: st, svc: svc, mailbox: mailbox(t)}
	f.mine(t)
	for _, e := range []string{"vera@other-domain.example", "walt@other-domain.example"} {
		if _, ok := f.contact(t, e); ok {
			t.Errorf("%s was mined despite the domain being suppressed", e)
		}
	}
	if _, ok := f.contact(t, "ursula@umbra.example"); !ok {
		t.Error("other domains must still be mined")
	}
	list, _ := st.Suppressions(context.Background())
	if len(list) != 1 || strings.Contains(fmt.Sprint(list), "other-domain") {
		t.Errorf("the list must hold one entry and never the domain in clear: %+v", list)
	}
}

func TestImportReadsAddressesAndDomains(t *testing.T) {
	f := setup(t)
	n, bad, err := f.svc.Import(context.Background(), strings.NewReader("a@x.example, b@y.example\n# comment\n@spam.example;not-an-address\n"), "import")
	if err != nil || n != 3 || len(bad) != 1 {
		t.Errorf("Import = %d, %v, %v", n, bad, err)
	}
}

func TestTheLedgerIsAppendOnly(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	f.svc.Withdraw(ctx, target(t, "ursula@umbra.example"), "")
	for _, stmt := range []string{"UPDATE consent_ledger SET action = 'granted'", "DELETE FROM consent_ledger"} {
		if err := f.st.ExecForTest(ctx, stmt); err == nil {
			t.Errorf("%q succeeded on the append-only ledger", stmt)
		}
	}
}

func TestRetentionPurgesContactsNotSeenForTheConfiguredTime(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	// The messages are from January 2023: 36 months later they are stale.
	clock := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	f.svc.Now = func() time.Time { return clock }
	rep, err := f.svc.Purge(ctx)
	if err != nil || rep.MarkedDeleted == 0 || rep.Purged != 0 {
		t.Fatalf("first purge %+v, %v: want contacts marked, none purged yet", rep, err)
	}
	if n, _ := f.st.CountContacts(ctx, store.Query{All: true}); n != 0 {
		t.Errorf("%d stale contacts still listed", n)
	}
	clock = clock.Add(privacy.Grace + time.Hour)
	rep, err = f.svc.Purge(ctx)
	if err != nil || rep.Purged == 0 || rep.Messages == 0 {
		t.Fatalf("second purge %+v, %v: want contacts and messages purged", rep, err)
	}
	if found := fileHas(t, f.dbPath, "ursula@umbra.example"); len(found) > 0 {
		t.Errorf("purged data left in the files: %v", found)
	}
	// With a longer retention nothing would have gone.
	g := setup(t)
	g.svc.Now = func() time.Time { return clock }
	g.svc.SetRetention(ctx, privacy.Retention{ContactMonths: 120})
	if rep, _ := g.svc.Purge(ctx); rep.MarkedDeleted != 0 {
		t.Errorf("retention of 120 months purged %d", rep.MarkedDeleted)
	}
}

func TestDeleteAllMyDataLeavesNothing(t *testing.T) {
	keyring.MockInit()
	dir := t.TempDir()
	data := filepath.Join(dir, "data")
	drag := filepath.Join(dir, "drag")
	os.MkdirAll(drag, 0o700)
	os.WriteFile(filepath.Join(drag, "contacts.csv"), []byte("x"), 0o600)
	st, err := store.Open(filepath.Join(data, "leadminer.db"))
	if err != nil {
		t.Fatal(err)
	}
	k := secrets.Keychain{}
	k.Set(secrets.IMAPPasswordKey("imap://a@b.example:993?tls=implicit"), "pw")
	st.Close()
	if err := privacy.DeleteAllData(data, drag, k); err != nil {
		t.Fatal(err)
	}
	left, _ := os.ReadDir(data)
	if len(left) != 0 {
		t.Errorf("the data directory still holds %v", left)
	}
	if _, err := os.Stat(drag); !os.IsNotExist(err) {
		t.Error("drag files remain")
	}
	if _, err := k.Get(secrets.IMAPPasswordKey("imap://a@b.example:993?tls=implicit")); !errors.Is(err, secrets.ErrNotFound) {
		t.Errorf("the keychain entry remains: %v", err)
	}
}

// recorder is a dialer that records every connection attempt.
type recorder struct{ addrs []string }

func (r *recorder) Dial(ctx context.Context, network, address string) (net.Conn, error) {
	r.addrs = append(r.addrs, address)
	var d net.Dialer
	return d.DialContext(ctx, network, address)
}

func TestSwitchedOffSubprocessorsOpenNoConnection(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	gate := f.svc.Gate()
	rec := &recorder{}
	gate.Dial = rec.Dial
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	for _, sp := range egress.Registry {
		req, _ := http.NewRequest("GET", srv.URL, nil)
		_, err := gate.Do(ctx, egress.Call{Subprocessor: sp.ID, Purpose: "test"}, req)
		var off *egress.OffError
		if !errors.As(err, &off) || !strings.Contains(err.Error(), "Privacy > Subprocessors") {
			t.Errorf("%s off: err = %v, want a message naming the switch", sp.ID, err)
		}
	}
	if _, err := gate.LookupMX(ctx, egress.Call{Purpose: "verify"}, "example.com"); err == nil {
		t.Error("DNS lookups must be off by default")
	}
	if len(rec.addrs) != 0 {
		t.Errorf("connections opened with every subprocessor off: %v", rec.addrs)
	}
	log, _ := f.st.EgressLog(ctx, "", 0)
	if len(log) != 0 {
		t.Errorf("refused calls were logged as sent: %+v", log)
	}
	// Switched on, the call goes through the recording dialer and is logged.
	gate.SetEnabled(ctx, "zerobounce", true)
	req, _ := http.NewRequest("POST", srv.URL, strings.NewReader("payload"))
	if _, err := gate.Do(ctx, egress.Call{Subprocessor: "zerobounce", Purpose: "verify 1 address", Subjects: []string{"s1"}}, req); err != nil {
		t.Fatal(err)
	}
	if len(rec.addrs) != 1 {
		t.Errorf("dialed %v, want the one allowed call", rec.addrs)
	}
	log, _ = f.st.EgressLog(ctx, "", 0)
	if len(log) != 1 || log[0].Subprocessor != "zerobounce" || log[0].Records != 1 || log[0].BytesOut < 7 || log[0].Outcome != "200 OK" {
		t.Errorf("log %+v", log)
	}
}

func TestListItemsSplitsAListLikeAPersonWritesIt(t *testing.T) {
	for _, tc := range []struct {
		line string
		want []string
	}{
		{"a@example.com", []string{"a@example.com"}},
		{"a@example.com, b@example.com;c@example.com\t@example.org", []string{"a@example.com", "b@example.com", "c@example.com", "@example.org"}},
		{"a@example.com b@example.com", []string{"a@example.com", "b@example.com"}},
		{"Jane Doe <jane@example.com>, Bob <bob@example.com>", []string{"jane@example.com", "bob@example.com"}},
		{"not an address", []string{"not an address"}},
		{"  ,, ;", nil},
	} {
		if got := privacy.ListItems(tc.line); !slices.Equal(got, tc.want) {
			t.Errorf("ListItems(%q) = %q, want %q", tc.line, got, tc.want)
		}
	}
}
