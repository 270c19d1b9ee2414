package store

import (
	"context"
	"maps"
	"slices"
	"testing"

	"leadminer/backend/contact"
)

func TestRecomputeAggregatesTheOccurrences(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	bob := "bob@acme.test"
	f.write(
		// Bob writes, the user answers in the thread, Bob answers back.
		mail{key: "m1", date: at(0), toMe: true, who: []seen{from(bob, "Bob Stone")}},
		mail{key: "m2", date: at(2), conversation: true, fromMe: true, who: []seen{
			to(bob, "Bob"), {email: bob, name: "Bob", field: fieldCc, plus: "bob+work@acme.test"}}},
		mail{key: "m3", date: at(5), conversation: true, toMe: true, who: []seen{
			from(bob, "Bob Stone"), {email: bob, field: fieldReplyTo}}},
		// A list mail he sent through a mailing tool, not involving the user.
		mail{key: "m4", date: at(9), listID: "news.acme.test", who: []seen{
			{email: bob, name: "Bob Stone", field: fieldFrom, tag: "newsletter"}}},
		// A message without a date.
		mail{key: "m5", who: []seen{to(bob, "")}},
	)
	var got *Aggregate
	n, err := s.Recompute(context.Background(), false, "2025-01-01", func(a *Aggregate) Derived {
		if a.Email == bob {
			got = a
		}
		return testDerive(a)
	})
	if err != nil || n != 1 || got == nil {
		t.Fatalf("recompute: %d, %v; aggregate %v", n, err, got)
	}
	want := ContactStats{
		ID:                   got.ID,
		Occurrence:           7,
		Sender:               3, // m1, m3 (From and Reply-To: one message), m4
		Recipient:            2, // m2 (To and Cc: one message), m5
		Conversations:        2,
		RepliedConversations: 1, // m3
		WrittenTo:            1, // m2
		Personal:             3, // m1, m2, m3
		Recency:              at(9),
		Seniority:            at(0),
	}
	if !statsEqual(got.ContactStats, want) {
		t.Errorf("stats\n got %+v\nwant %+v", got.ContactStats, want)
	}
	if got.SenderOccurrences != 4 {
		t.Errorf("sender occurrences %d, want 4 (From ×3, Reply-To)", got.SenderOccurrences)
	}
	names := map[string]NameSighting{}
	for _, n := range got.Names {
		names[n.Name] = n
	}
	if len(names) != 2 || names["Bob Stone"].Count != 3 || names["Bob"].Count != 2 ||
		!names["Bob Stone"].LastSeen.Equal(at(9)) || !names["Bob"].LastSeen.Equal(at(2)) {
		t.Errorf("names %+v", got.Names)
	}
	if !slices.Equal(got.PlusAddresses, []string{"bob+work@acme.test"}) {
		t.Errorf("plus addresses %v", got.PlusAddresses)
	}
	if !maps.Equal(got.HeaderTagCounts, map[string]int{"newsletter": 1}) {
		t.Errorf("header tags %v", got.HeaderTagCounts)
	}

	// What derive returned is what is stored.
	c, err := s.ContactByEmail(context.Background(), bob)
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Bob Stone" || !slices.Equal(c.AlternateNames, []string{"Bob"}) ||
		!slices.Equal(c.AlternateEmails, []string{"bob+work@acme.test"}) || c.Temperature != 7 || !c.Hidden ||
		!slices.Equal(c.Tags, []string{"professional", "newsletter"}) {
		t.Errorf("stored contact %+v", c)
	}
	if c.Occurrence != 7 || c.Sender != 3 || c.Recipient != 2 || c.Conversations != 2 || c.RepliedConversations != 1 {
		t.Errorf("stored counts %+v", c)
	}
	if c.Recency == nil || !c.Recency.Equal(at(9)) || c.Seniority == nil || !c.Seniority.Equal(at(0)) {
		t.Errorf("stored dates %v, %v", c.Recency, c.Seniority)
	}
	var day string
	s.db.QueryRow(`SELECT temperature_day FROM contacts WHERE id = ?`, c.ID).Scan(&day)
	if day != "2025-01-01" {
		t.Errorf("temperature day %q", day)
	}
}

func statsEqual(a, b ContactStats) bool {
	return a.ID == b.ID && a.Occurrence == b.Occurrence && a.Sender == b.Sender && a.Recipient == b.Recipient &&
		a.Conversations == b.Conversations && a.RepliedConversations == b.RepliedConversations &&
		a.WrittenTo == b.WrittenTo && a.Personal == b.Personal && a.Recency.Equal(b.Recency) && a.Seniority.Equal(b.Seniority)
}

func TestRecomputeOnlyTouchesDirtyContactsUnlessAll(t *testing.T) {
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", date: at(0), who: []seen{from("a@x.test", "A"), to("b@x.test", "B"), to("c@x.test", "C")}})
	derived := func(all bool) []string {
		t.Helper()
		var emails []string
		n, err := s.Recompute(context.Background(), all, "2025-01-01", func(a *Aggregate) Derived {
			emails = append(emails, a.Email)
			return testDerive(a)
		})
		if err != nil || n != len(emails) {
			t.Fatalf("recompute: %d, %v; derive called for %v", n, err, emails)
		}
		slices.Sort(emails)
		return emails
	}
	if got := derived(false); !slices.Equal(got, []string{"a@x.test", "b@x.test", "c@x.test"}) {
		t.Errorf("first recompute touched %v, want every new contact", got)
	}
	if got := derived(false); len(got) != 0 {
		t.Errorf("recompute with nothing new touched %v", got)
	}
	f.write(mail{key: "m2", date: at(1), who: []seen{from("b@x.test", "B")}})
	if got := derived(false); !slices.Equal(got, []string{"b@x.test"}) {
		t.Errorf("recompute after a message from b touched %v, want [b@x.test]", got)
	}
	if got := derived(true); len(got) != 3 {
		t.Errorf("recompute all touched %v, want all three", got)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM contacts WHERE dirty = 1`); n != 0 {
		t.Errorf("%d contacts still dirty", n)
	}
}

func TestRecomputeReplacesMiningTagsOnly(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", who: []seen{from("bob@acme.test", "Bob")}})
	recompute(t, s, false)
	c, _ := s.ContactByEmail(ctx, "bob@acme.test")
	// A tag from somewhere else (the user, enrichment) and a stale mining tag.
	if _, err := s.db.Exec(`INSERT INTO tags(contact_id, name, reachable, source) VALUES (?, 'vip', 1, 'user'), (?, 'no-reply', 0, ?)`,
		c.ID, c.ID, TagFromHeaders); err != nil {
		t.Fatal(err)
	}
	recompute(t, s, true)
	c, _ = s.ContactByEmail(ctx, "bob@acme.test")
	if !slices.Equal(c.Tags, []string{"professional", "vip"}) {
		t.Errorf("tags %v, want [professional vip]", c.Tags)
	}
}

func TestRefreshTemperaturesOnlyRewritesAnotherDaysRows(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", date: at(0), who: []seen{from("a@x.test", "A"), to("b@x.test", "B")}})
	recompute(t, s, false) // computed on 2025-01-01

	calls := 0
	compute := func(st ContactStats) int {
		calls++
		if st.Occurrence != 1 || !st.Recency.Equal(at(0)) || !slices.Equal(st.Tags, []string{"professional"}) {
			t.Errorf("refresh got stats %+v", st)
		}
		return 42
	}
	if n, err := s.RefreshTemperatures(ctx, "2025-01-01", compute); err != nil || n != 0 || calls != 0 {
		t.Errorf("same day: %d rewritten, %d computed, %v; want none", n, calls, err)
	}
	if n, err := s.RefreshTemperatures(ctx, "2025-01-02", compute); err != nil || n != 2 || calls != 2 {
		t.Errorf("next day: %d rewritten, %d computed, %v; want 2", n, calls, err)
	}
	err := s.ListContacts(ctx, Query{All: true}, func(c contact.Contact) error {
		if c.Temperature != 42 {
			t.Errorf("%s: temperature %d, want 42", c.Email, c.Temperature)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	calls = 0
	if n, err := s.RefreshTemperatures(ctx, "2025-01-02", compute); err != nil || n != 0 || calls != 0 {
		t.Errorf("again the same day: %d rewritten, %d computed, %v; want none", n, calls, err)
	}
}

// A recompute that lands while a refresh is computing must win: its
// temperature comes from the new stats, the refresh's from the old ones.
func TestRefreshTemperaturesNeverOverwritesAFresherRecompute(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(mail{key: "m1", date: at(0), who: []seen{from("a@x.test", "A")}})
	recompute(t, s, false) // yesterday, temperature 1

	today := "2025-01-02"
	_, err := s.RefreshTemperatures(ctx, today, func(st ContactStats) int {
		// Meanwhile mining adds a message and recomputes, today.
		f.write(mail{key: "m2", date: at(1), who: []seen{from("a@x.test", "A")}})
		if _, err := s.Recompute(ctx, false, today, testDerive); err != nil {
			t.Fatal(err)
		}
		return 100 + st.Occurrence // from the stale stats
	})
	if err != nil {
		t.Fatal(err)
	}
	c, _ := s.ContactByEmail(ctx, "a@x.test")
	if c.Occurrence != 2 || c.Temperature != 2 {
		t.Errorf("occurrence %d, temperature %d: want 2 and 2 (the recompute's), not the refresh's stale 101",
			c.Occurrence, c.Temperature)
	}
}
