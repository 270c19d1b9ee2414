package store

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"
)

// seen is a contact in one field of a fixture message.
type seen struct {
	email string
	name  string
	field int
	plus  string
	tag   string // header tag
}

// mail is a fixture message.
type mail struct {
	key          string
	date         time.Time
	listID       string
	conversation bool
	fromMe, toMe bool
	who          []seen
}

func from(email, name string) seen { return seen{email: email, name: name, field: fieldFrom} }
func to(email, name string) seen   { return seen{email: email, name: name, field: fieldTo} }

// fixture writes messages through the Writer API, as mining does.
type fixture struct {
	t      testing.TB
	s      *Store
	source int64
	folder FolderState
	n      int
}

func newFixture(t testing.TB, s *Store) *fixture {
	t.Helper()
	ctx := context.Background()
	src, err := s.EnsureSource(ctx, "test:", "test")
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.EnsureFolder(ctx, src, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{t: t, s: s, source: src, folder: f}
}

// write stores messages in one batch.
func (f *fixture) write(msgs ...mail) {
	f.t.Helper()
	w, err := f.s.BeginWrite(context.Background(), f.source)
	if err != nil {
		f.t.Fatal(err)
	}
	defer func() {
		if w != nil {
			w.Rollback()
		}
	}()
	for _, m := range msgs {
		f.n++
		id, _, err := w.Message(MessageRow{Key: m.key, Date: m.date, ListID: m.listID, Conversation: m.conversation,
			FromMe: m.fromMe, ToMe: m.toMe, FolderID: f.folder.ID})
		if err != nil {
			f.t.Fatal(err)
		}
		if err := w.Location(f.folder.ID, m.key, id); err != nil {
			f.t.Fatal(err)
		}
		for _, who := range m.who {
			cid, _, err := w.Contact(who.email, []Tag{{Name: "professional", Reachable: 1, Source: TagFromAddress}})
			if err != nil {
				f.t.Fatal(err)
			}
			if err := w.Occurrence(OccurrenceRow{MessageID: id, ContactID: cid, Field: who.field, Name: who.name,
				Plus: who.plus, HeaderTag: who.tag}); err != nil {
				f.t.Fatal(err)
			}
		}
	}
	err = w.Commit()
	w = nil
	if err != nil {
		f.t.Fatal(err)
	}
}

// testDerive is a small stand-in for contacts.Derive: the most frequent
// name, the others as alternates, the plus forms, hidden newsletters, and
// the occurrence count as temperature.
func testDerive(a *Aggregate) Derived {
	names := slices.Clone(a.Names)
	slices.SortFunc(names, func(x, y NameSighting) int {
		if x.Count != y.Count {
			return y.Count - x.Count
		}
		return strings.Compare(x.Name, y.Name)
	})
	var d Derived
	for i, n := range names {
		if i == 0 {
			d.Name = n.Name
		} else {
			d.AlternateNames = append(d.AlternateNames, n.Name)
		}
	}
	d.AlternateEmails = a.PlusAddresses
	d.Tags = []Tag{{Name: "professional", Reachable: 1, Source: TagFromAddress}}
	if a.HeaderTagCounts["newsletter"] > 0 {
		d.Tags = append(d.Tags, Tag{Name: "newsletter", Reachable: 3, Source: TagFromHeaders})
		d.Hidden = true
	}
	d.Temperature = a.Occurrence
	return d
}

func recompute(t testing.TB, s *Store, all bool) int {
	t.Helper()
	n, err := s.Recompute(context.Background(), all, "2025-01-01", testDerive)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func count(t testing.TB, s *Store, query string, args ...any) int {
	t.Helper()
	var n int
	if err := s.db.QueryRow(query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

var day0 = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func at(days int) time.Time { return day0.AddDate(0, 0, days) }

func TestWriterMessageDeduplicatesByKey(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	w, err := s.BeginWrite(context.Background(), f.source)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Rollback()
	first, isNew, err := w.Message(MessageRow{Key: "mid:a@x", MessageID: "a@x", Date: at(0), FolderID: f.folder.ID})
	if err != nil || !isNew {
		t.Fatalf("first message: new %v, %v", isNew, err)
	}
	// The Sent copy of the same message: the user wrote it.
	again, isNew, err := w.Message(MessageRow{Key: "mid:a@x", MessageID: "a@x", Date: at(1), FromMe: true, FolderID: f.folder.ID})
	if err != nil || isNew || again != first {
		t.Fatalf("copy: id %d new %v %v; want id %d, not new", again, isNew, err, first)
	}
	// A copy without the flags does not clear them.
	if _, _, err := w.Message(MessageRow{Key: "mid:a@x", FolderID: f.folder.ID}); err != nil {
		t.Fatal(err)
	}
	other, isNew, err := w.Message(MessageRow{Key: "mid:b@x", FolderID: f.folder.ID})
	if err != nil || !isNew || other == first {
		t.Fatalf("another key: id %d new %v %v", other, isNew, err)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 2 {
		t.Errorf("%d messages stored, want 2", n)
	}
	if n := count(t, s, `SELECT from_me FROM messages WHERE id = ?`, first); n != 1 {
		t.Error("from_me of a copy was not recorded")
	}
	var date int64
	s.db.QueryRow(`SELECT date FROM messages WHERE id = ?`, first).Scan(&date)
	if date != at(0).Unix() {
		t.Errorf("first copy's date %d replaced by a later copy's", date)
	}
	// And across batches.
	w, _ = s.BeginWrite(context.Background(), f.source)
	defer w.Rollback()
	if id, isNew, _ := w.Message(MessageRow{Key: "mid:a@x", ToMe: true}); isNew || id != first {
		t.Errorf("known key in a later batch: id %d new %v", id, isNew)
	}
}

func TestWriterStoresAnOccurrenceOncePerMessageContactAndField(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	bob := "bob@acme.test"
	m := mail{key: "m1", date: at(0), who: []seen{
		from(bob, "Bob"),
		from(bob, "Bob"), // the same field twice: once
		{email: bob, name: "Bob", field: fieldCc},
	}}
	f.write(m)
	f.write(m) // the same message mined again
	if n := count(t, s, `SELECT COUNT(*) FROM occurrences`); n != 2 {
		t.Errorf("%d occurrences, want 2 (from and cc)", n)
	}
	recompute(t, s, false)
	c, err := s.ContactByEmail(context.Background(), bob)
	if err != nil {
		t.Fatal(err)
	}
	if c.Occurrence != 2 || c.Sender != 1 || c.Recipient != 1 {
		t.Errorf("bob: occurrence %d sender %d recipient %d; want 2, 1, 1", c.Occurrence, c.Sender, c.Recipient)
	}
	// Known occurrences do not mark the contact for recomputation.
	f.write(m)
	if n := recompute(t, s, false); n != 0 {
		t.Errorf("re-writing known occurrences recomputed %d contacts", n)
	}
}

func TestWriterContactIsCreatedOnceWithItsTags(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	w, _ := s.BeginWrite(context.Background(), f.source)
	defer w.Rollback()
	id, created, err := w.Contact("news@letters.test", []Tag{{Name: "newsletter", Reachable: 3, Source: TagFromAddress}})
	if err != nil || !created {
		t.Fatalf("first: created %v, %v", created, err)
	}
	again, created, err := w.Contact("news@letters.test", []Tag{{Name: "personal", Reachable: 1, Source: TagFromAddress}})
	if err != nil || created || again != id {
		t.Fatalf("second: id %d created %v %v; want %d, false", again, created, err, id)
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	idx, err := s.ContactIndex(context.Background())
	if err != nil || idx["news@letters.test"] != id || len(idx) != 1 {
		t.Errorf("contact index %v, %v", idx, err)
	}
	c, _ := s.ContactByEmail(context.Background(), "news@letters.test")
	if !slices.Equal(c.Tags, []string{"newsletter"}) {
		t.Errorf("tags %v, want the creation's [newsletter] only", c.Tags)
	}
}

func TestWriterCommitsTheCursorWithItsMessages(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := newFixture(t, s)

	w, _ := s.BeginWrite(ctx, f.source)
	id, _, _ := w.Message(MessageRow{Key: "m1", FolderID: f.folder.ID})
	w.Location(f.folder.ID, "1", id)
	w.Cursor(f.folder.ID, "offset:100")
	w.Rollback()
	if st, _ := s.EnsureFolder(ctx, f.source, "INBOX"); st.Cursor != "" {
		t.Errorf("rolled back cursor %q was kept", st.Cursor)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 0 {
		t.Errorf("rolled back batch kept %d messages", n)
	}

	w, _ = s.BeginWrite(ctx, f.source)
	id, _, _ = w.Message(MessageRow{Key: "m1", FolderID: f.folder.ID})
	w.Location(f.folder.ID, "1", id)
	w.Cursor(f.folder.ID, "offset:100")
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.EnsureFolder(ctx, f.source, "INBOX"); st.Cursor != "offset:100" {
		t.Errorf("committed cursor is %q", st.Cursor)
	}
	known, err := s.FolderLocations(ctx, f.folder.ID)
	if err != nil || len(known) != 1 {
		t.Errorf("locations %v, %v; want [1]", known, err)
	}
	if _, ok := known["1"]; !ok {
		t.Errorf("location 1 missing from %v", known)
	}

	// A reset forgets the cursor and locations, not the messages.
	if err := s.ResetFolder(ctx, f.folder.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := s.EnsureFolder(ctx, f.source, "INBOX"); st.Cursor != "" {
		t.Errorf("cursor %q survived a reset", st.Cursor)
	}
	if known, _ := s.FolderLocations(ctx, f.folder.ID); len(known) != 0 {
		t.Errorf("locations %v survived a reset", known)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != 1 {
		t.Errorf("a reset removed messages: %d left", n)
	}
}

func TestWriterRecordsTheContactsSource(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", who: []seen{from("bob@acme.test", "Bob"), to("ann@acme.test", "")}})
	recompute(t, s, false)
	for _, email := range []string{"bob@acme.test", "ann@acme.test"} {
		c, _ := s.ContactByEmail(context.Background(), email)
		if !slices.Equal(c.Sources, []string{"test:"}) {
			t.Errorf("%s: sources %v, want [test:]", email, c.Sources)
		}
	}
}

func TestMeKnownOnceAMessageInvolvesTheUser(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", who: []seen{from("bob@acme.test", "")}})
	if known, err := s.MeKnown(context.Background()); err != nil || known {
		t.Errorf("MeKnown = %v, %v before any message of the user's", known, err)
	}
	f.write(mail{key: "m2", toMe: true, who: []seen{from("bob@acme.test", "")}})
	if known, err := s.MeKnown(context.Background()); err != nil || !known {
		t.Errorf("MeKnown = %v, %v after a message to the user", known, err)
	}
}

func TestForgetContactsRemovesThemEverywhere(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", who: []seen{from("alex.owner@acme.test", "Alex Owner"), to("bob@acme.test", "Bob")}})
	recompute(t, s, false)
	if err := s.ForgetContacts(ctx, []string{"alex.owner@acme.test", "not-a-contact@x.test"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.ContactByEmail(ctx, "alex.owner@acme.test"); err == nil {
		t.Error("forgotten contact still there")
	}
	if n := count(t, s, `SELECT COUNT(*) FROM occurrences o JOIN contacts c ON c.id = o.contact_id`); n != 1 {
		t.Errorf("%d occurrences left, want bob's only", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM occurrences`); n != 1 {
		t.Errorf("the forgotten contact's occurrences remain: %d rows", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM tags WHERE contact_id NOT IN (SELECT id FROM contacts)`); n != 0 {
		t.Errorf("%d orphan tags", n)
	}
	// Nor do their words linger in the search index.
	if n := count(t, s, `SELECT COUNT(*) FROM contacts_fts WHERE contacts_fts MATCH 'owner'`); n != 0 {
		t.Errorf("the search index still holds the forgotten contact (%d rows)", n)
	}
	if n, _ := s.CountContacts(ctx, Query{All: true}); n != 1 {
		t.Errorf("%d contacts, want 1", n)
	}
}
