package contacts

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"leadminer/backend/contact"
	"leadminer/backend/rank"
	"leadminer/backend/store"
)

var t0 = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

func ago(days int) time.Time { return t0.AddDate(0, 0, -days) }

// ns is a name seen count times, last seen days ago.
func ns(name string, count, days int) store.NameSighting {
	return store.NameSighting{Name: name, Count: count, LastSeen: ago(days)}
}

func TestPreferredName(t *testing.T) {
	tests := []struct {
		name string
		in   []store.NameSighting
		want string
		alts []string
	}{
		{name: "none", in: nil, want: "", alts: nil},
		{name: "one", in: []store.NameSighting{ns("Bob Stone", 1, 1)}, want: "Bob Stone", alts: nil},
		{
			name: "most frequent wins over most recent",
			in:   []store.NameSighting{ns("Bob", 1, 1), ns("Bob Stone", 3, 100)},
			want: "Bob Stone", alts: []string{"Bob"},
		},
		{
			name: "equal counts: most recent wins",
			in:   []store.NameSighting{ns("Robert Stone", 2, 50), ns("Bob Stone", 2, 5)},
			want: "Bob Stone", alts: []string{"Robert Stone"},
		},
		{
			name: "equal counts and dates: alphabetical, so stable",
			in:   []store.NameSighting{ns("Zed", 2, 5), ns("Abe", 2, 5)},
			want: "Abe", alts: []string{"Zed"},
		},
		{
			name: "alternates once each, case-insensitively",
			in: []store.NameSighting{
				ns("Bob Stone", 5, 10), ns("bob stone", 2, 1), ns("BOB STONE", 1, 1),
				ns("Robert", 2, 3), ns("ROBERT", 1, 2),
			},
			want: "Bob Stone", alts: []string{"Robert"},
		},
		{
			name: "alternates by frequency, then recency",
			in: []store.NameSighting{
				ns("C", 1, 1), ns("A", 9, 9), ns("B", 4, 20), ns("D", 4, 2), ns("E", 1, 30),
			},
			want: "A", alts: []string{"D", "B", "C", "E"},
		},
		{
			name: "a case variant of the preferred name is not an alternate",
			in:   []store.NameSighting{ns("françois dupré", 2, 1), ns("François Dupré", 2, 3), ns("Francois Dupre", 1, 1)},
			want: "françois dupré", alts: []string{"Francois Dupre"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := slices.Clone(tt.in)
			got, alts := preferredName(in)
			if got != tt.want || !slices.Equal(alts, tt.alts) {
				t.Errorf("preferredName = %q, %q; want %q, %q", got, alts, tt.want, tt.alts)
			}
			if !slices.Equal(in, tt.in) {
				t.Error("preferredName reordered its input")
			}
		})
	}
}

// aggregate is a contact seen often, in conversations the user takes part in.
func aggregate(email string) *store.Aggregate {
	return &store.Aggregate{
		ContactStats: store.ContactStats{
			Occurrence: 12, Sender: 6, Recipient: 6, Conversations: 8, RepliedConversations: 4,
			WrittenTo: 5, Personal: 12, Recency: ago(3), Seniority: ago(400),
		},
		Email:             email,
		Names:             []store.NameSighting{ns("Jane Doe", 10, 3), ns("Jane", 2, 30)},
		HeaderTagCounts:   map[string]int{},
		SenderOccurrences: 6,
	}
}

func tagNames(tags []store.Tag) []string {
	var out []string
	for _, t := range tags {
		out = append(out, t.Name)
	}
	return out
}

func TestDeriveTags(t *testing.T) {
	tests := []struct {
		name       string
		email      string
		names      []store.NameSighting
		header     map[string]int
		senders    int
		want       []store.Tag
		wantHidden bool
	}{
		{
			name: "professional", email: "jane.doe@acme-corp.com", senders: 4,
			want: []store.Tag{{Name: "professional", Reachable: 1, Source: store.TagFromAddress}},
		},
		{
			name: "professional mostly sending newsletters", email: "jane.doe@acme-corp.com",
			header: map[string]int{"newsletter": 3}, senders: 4,
			want: []store.Tag{
				{Name: "professional", Reachable: 1, Source: store.TagFromAddress},
				{Name: "newsletter", Reachable: 3, Source: store.TagFromHeaders},
			},
			wantHidden: true,
		},
		{
			name: "exactly half is enough", email: "jane.doe@acme-corp.com",
			header: map[string]int{"newsletter": 2}, senders: 4,
			want: []store.Tag{
				{Name: "professional", Reachable: 1, Source: store.TagFromAddress},
				{Name: "newsletter", Reachable: 3, Source: store.TagFromHeaders},
			},
			wantHidden: true,
		},
		{
			name: "one newsletter among many mails", email: "jane.doe@acme-corp.com",
			header: map[string]int{"newsletter": 1}, senders: 4,
			want: []store.Tag{{Name: "professional", Reachable: 1, Source: store.TagFromAddress}},
		},
		{
			name: "header tags do not apply to personal addresses", email: "jane.doe@gmail.com",
			header: map[string]int{"newsletter": 4}, senders: 4,
			want: []store.Tag{{Name: "personal", Reachable: 1, Source: store.TagFromAddress}},
		},
		{
			name: "no-reply", email: "noreply@acme-corp.com", senders: 4,
			want:       []store.Tag{{Name: "no-reply", Reachable: 0, Source: store.TagFromAddress}},
			wantHidden: true,
		},
		{
			name: "the preferred name can make a newsletter", email: "jane.doe@acme-corp.com",
			names:      []store.NameSighting{ns("Acme Newsletter", 3, 1), ns("Jane Doe", 1, 100)},
			want:       []store.Tag{{Name: "newsletter", Reachable: 3, Source: store.TagFromAddress}},
			wantHidden: true,
		},
		{
			name: "a role address sending transactional mail", email: "support@acme-corp.com",
			header: map[string]int{"transactional": 5}, senders: 5,
			want: []store.Tag{
				{Name: "professional", Reachable: 1, Source: store.TagFromAddress},
				{Name: "transactional", Reachable: 0, Source: store.TagFromHeaders},
			},
			wantHidden: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := aggregate(tt.email)
			if tt.names != nil {
				a.Names = tt.names
			}
			if tt.header != nil {
				a.HeaderTagCounts = tt.header
			}
			a.SenderOccurrences = tt.senders
			d := Derive(a, true, t0)
			if !slices.Equal(d.Tags, tt.want) {
				t.Errorf("tags %+v, want %+v", d.Tags, tt.want)
			}
			if d.Hidden != tt.wantHidden {
				t.Errorf("hidden %v, want %v", d.Hidden, tt.wantHidden)
			}
		})
	}
}

func TestDeriveNamesAndAddresses(t *testing.T) {
	a := aggregate("jane.doe@acme-corp.com")
	a.PlusAddresses = []string{"jane.doe+billing@acme-corp.com", "jane.doe+lists@acme-corp.com"}
	d := Derive(a, true, t0)
	if d.Name != "Jane Doe" || !slices.Equal(d.AlternateNames, []string{"Jane"}) {
		t.Errorf("name %q, alternates %v", d.Name, d.AlternateNames)
	}
	if !slices.Equal(d.AlternateEmails, a.PlusAddresses) {
		t.Errorf("alternate emails %v, want the plus forms %v", d.AlternateEmails, a.PlusAddresses)
	}
	d.AlternateEmails[0] = "changed"
	if a.PlusAddresses[0] == "changed" {
		t.Error("Derive shares the aggregate's slice")
	}
	if d := Derive(&store.Aggregate{Email: "x@acme-corp.com", HeaderTagCounts: map[string]int{}}, true, t0); d.Name != "" || d.AlternateNames != nil || d.AlternateEmails != nil {
		t.Errorf("a contact never named: %+v", d)
	}
}

func TestDeriveTemperature(t *testing.T) {
	a := aggregate("jane.doe@acme-corp.com")
	stats := rank.Stats{
		Sender: 6, Recipient: 6, Conversations: 8, RepliedConversations: 4, WrittenTo: 5, Personal: 12,
		Recency: ago(3), Seniority: ago(400),
	}
	for _, meKnown := range []bool{true, false} {
		s := stats
		s.MeKnown = meKnown
		if got, want := Derive(a, meKnown, t0).Temperature, rank.Temperature(s, t0); got != want {
			t.Errorf("meKnown %v: temperature %d, want rank's %d", meKnown, got, want)
		}
	}

	// Someone the user neither writes to nor hears from directly: known
	// addresses make that count against them.
	cold := aggregate("jane.doe@acme-corp.com")
	cold.WrittenTo, cold.Personal, cold.RepliedConversations = 0, 0, 0
	if known, unknown := Derive(cold, true, t0).Temperature, Derive(cold, false, t0).Temperature; known >= unknown {
		t.Errorf("cold contact: %d with the user's addresses known, %d without; want lower when known", known, unknown)
	}

	// Newsletters never rise above 20.
	news := aggregate("jane.doe@acme-corp.com")
	news.HeaderTagCounts = map[string]int{"newsletter": 6}
	if got := Derive(news, true, t0).Temperature; got > 20 {
		t.Errorf("newsletter temperature %d, want at most 20", got)
	}
	if got := Derive(aggregate("jane.doe@acme-corp.com"), true, t0).Temperature; got <= 20 {
		t.Errorf("close correspondent temperature %d", got)
	}

	// Older stats, lower temperature.
	if now, later := Derive(a, true, t0).Temperature, Derive(a, true, t0.AddDate(1, 0, 0)).Temperature; later >= now {
		t.Errorf("temperature %d a year later, %d now: want it to cool down", later, now)
	}
}

// testStore writes a small mailbox through the store's Writer, as mining
// does: the user and Jane write to each other for a year; Max only writes.
func testStore(t *testing.T) *store.Store {
	t.Helper()
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	write(t, st, func(w *store.Writer, folder int64) {
		for i := range 24 {
			date := ago(400 - 16*i)
			fromJane := i%2 == 0
			id, _, err := w.Message(store.MessageRow{Key: "jane" + string(rune('a'+i)), Date: date, Conversation: i > 0,
				FromMe: !fromJane, ToMe: fromJane, FolderID: folder})
			if err != nil {
				t.Fatal(err)
			}
			field := 2 // to
			if fromJane {
				field = 1 // from
			}
			occur(t, w, id, "jane.doe@acme-corp.com", "Jane Doe", field)
		}
		for i := range 5 {
			id, _, _ := w.Message(store.MessageRow{Key: "max" + string(rune('a'+i)), Date: ago(200 - i), ToMe: true, FolderID: folder})
			occur(t, w, id, "max@other-corp.com", "Max", 1)
		}
	})
	if _, err := st.Count(ctx); err != nil {
		t.Fatal(err)
	}
	return st
}

func write(t *testing.T, st *store.Store, fn func(w *store.Writer, folder int64)) {
	t.Helper()
	ctx := context.Background()
	src, err := st.EnsureSource(ctx, "test:", "test")
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
	fn(w, folder.ID)
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

func occur(t *testing.T, w *store.Writer, msg int64, email, name string, field int) {
	t.Helper()
	id, _, err := w.Contact(email, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Occurrence(store.OccurrenceRow{MessageID: msg, ContactID: id, Field: field, Name: name}); err != nil {
		t.Fatal(err)
	}
}

func temperatures(t *testing.T, svc *Service) map[string]int {
	t.Helper()
	out := map[string]int{}
	if err := svc.List(context.Background(), store.Query{All: true}, func(c contact.Contact) error {
		out[c.Email] = c.Temperature
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestRefreshCoolsContactsDownAsTimePasses(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	svc := New(st)
	svc.Now = func() time.Time { return t0 }
	if n, err := svc.Recompute(ctx, false); err != nil || n != 2 {
		t.Fatalf("recompute: %d, %v", n, err)
	}
	before := temperatures(t, svc)
	if before["jane.doe@acme-corp.com"] <= before["max@other-corp.com"] {
		t.Errorf("jane %d, max %d: the correspondent should be warmer", before["jane.doe@acme-corp.com"], before["max@other-corp.com"])
	}
	if again := temperatures(t, svc); !equalMaps(again, before) {
		t.Errorf("listing again the same day changed temperatures: %v then %v", before, again)
	}

	svc.Now = func() time.Time { return t0.AddDate(1, 0, 0) }
	after := temperatures(t, svc)
	// Jane, whom the user wrote to, cools down. (Max, who only wrote to
	// the user, does not: the reference formula's seniority grows with the
	// days since the first message and outweighs his fading recency.)
	jane := "jane.doe@acme-corp.com"
	if after[jane] >= before[jane] {
		t.Errorf("%s: temperature %d a year later, %d before; want it lower", jane, after[jane], before[jane])
	}
	if after["max@other-corp.com"] == before["max@other-corp.com"] {
		t.Errorf("max's temperature was not refreshed")
	}
	// The refresh gives what a full recompute would on that day.
	if _, err := svc.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	if full := temperatures(t, svc); !equalMaps(full, after) {
		t.Errorf("refreshed %v, recomputed %v", after, full)
	}
}

func equalMaps(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if w, ok := b[k]; !ok || w != v {
			return false
		}
	}
	return true
}

func TestRecomputeEverythingOnceTheUserIsKnown(t *testing.T) {
	ctx := context.Background()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc := New(st)
	svc.Now = func() time.Time { return t0 }
	// A mailbox whose owner is unknown: nothing says whom they write to.
	write(t, st, func(w *store.Writer, folder int64) {
		for i := range 6 {
			id, _, _ := w.Message(store.MessageRow{Key: "m" + string(rune('a'+i)), Date: ago(10 * i), FolderID: folder})
			occur(t, w, id, "max@other-corp.com", "Max", 1)
			occur(t, w, id, "lea@third-corp.com", "Lea", 2)
		}
	})
	if _, err := svc.Recompute(ctx, false); err != nil {
		t.Fatal(err)
	}
	before := temperatures(t, svc)

	// One message from the user to Lea: now the user is known, and Max,
	// who never wrote to the user, must cool down although he has no new
	// occurrence.
	write(t, st, func(w *store.Writer, folder int64) {
		id, _, _ := w.Message(store.MessageRow{Key: "mine", Date: ago(1), FromMe: true, FolderID: folder})
		occur(t, w, id, "lea@third-corp.com", "Lea", 2)
	})
	n, err := svc.Recompute(ctx, false)
	if err != nil || n != 2 {
		t.Errorf("recompute after learning the user: %d contacts, %v; want both", n, err)
	}
	after := temperatures(t, svc)
	if after["max@other-corp.com"] >= before["max@other-corp.com"] {
		t.Errorf("max: %d before, %d after: want lower once the user is known", before["max@other-corp.com"], after["max@other-corp.com"])
	}
	if after["lea@third-corp.com"] <= before["lea@third-corp.com"] {
		t.Errorf("lea: %d before, %d after the user wrote to her: want higher", before["lea@third-corp.com"], after["lea@third-corp.com"])
	}
	if v, _ := st.Setting(ctx, "me_known"); v != "true" {
		t.Errorf("me_known setting %q", v)
	}
	// Nothing new: nothing recomputed.
	if n, _ := svc.Recompute(ctx, false); n != 0 {
		t.Errorf("recompute with nothing new touched %d contacts", n)
	}
}

func TestPageHasTheQuerysTotal(t *testing.T) {
	st := testStore(t)
	svc := New(st)
	svc.Now = func() time.Time { return t0 }
	if _, err := svc.Recompute(context.Background(), false); err != nil {
		t.Fatal(err)
	}
	p, err := svc.Page(context.Background(), store.Query{All: true, Limit: 1})
	if err != nil || p.Total != 2 || len(p.Contacts) != 1 || p.Contacts[0].Email != "jane.doe@acme-corp.com" {
		t.Errorf("page %+v, %v; want jane first of 2", p, err)
	}
	p, err = svc.Page(context.Background(), store.Query{Search: "nobody-matches-this"})
	if err != nil || p.Total != 0 || p.Contacts == nil || len(p.Contacts) != 0 {
		t.Errorf("empty page %+v, %v; want total 0 and an empty, non-nil list", p, err)
	}
}

// The first page of a new query comes straight from SQL, deeper or later
// pages from the ids built in the background: both give the same rows and
// total as listing the query whole, at every depth.
func TestPagesAreTheSameWhicheverWayTheyAreRead(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	n := directPageDepth + 500
	write(t, st, func(w *store.Writer, folder int64) {
		for i := range n {
			id, _, _ := w.Message(store.MessageRow{Key: fmt.Sprintf("m%d", i), Date: ago(i % 700), ToMe: true,
				Conversation: i%3 == 0, FolderID: folder})
			occur(t, w, id, fmt.Sprintf("person%04d@example.com", i), fmt.Sprintf("Person %d", i%97), 1+i%2)
		}
	})
	svc := New(st)
	ctx := context.Background()
	if _, err := svc.Recompute(ctx, true); err != nil {
		t.Fatal(err)
	}
	queries := map[string]store.Query{
		"rank":         {All: true},
		"email desc":   {All: true, Sort: &store.Sort{Column: "email", Desc: true}},
		"name":         {All: true, Sort: &store.Sort{Column: "name"}},
		"filtered":     {All: true, Filters: []store.Filter{{Column: "occurrence", Op: "gte", Value: "1"}}, Search: "person"},
		"all but some": {All: true, ExceptIDs: []int64{1, 2, 3}},
	}
	for name, q := range queries {
		var whole []string
		st.ListContacts(ctx, q, func(c contact.Contact) error { whole = append(whole, c.Email); return nil })
		for _, offset := range []int{0, 100, directPageDepth - 50, directPageDepth + 100, n - 10, n + 10} {
			page := q
			page.Offset, page.Limit = offset, 100
			want := whole[min(offset, len(whole)):min(offset+100, len(whole))]
			fresh := New(st)
			direct, err := fresh.Page(ctx, page)
			fresh.Wait()
			if err != nil {
				t.Fatal(err)
			}
			cached, err := fresh.Page(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			for how, p := range map[string]Page{"first read": direct, "from the built ids": cached} {
				var got []string
				for _, c := range p.Contacts {
					got = append(got, c.Email)
				}
				if p.Total != len(whole) || !slices.Equal(got, want) {
					t.Errorf("%s at %d, %s: total %d and %d rows from %v; want %d and %d rows from %v",
						name, offset, how, p.Total, len(got), first(got), len(whole), len(want), first(want))
				}
			}
		}
	}
}

func first(list []string) string {
	if len(list) == 0 {
		return "(none)"
	}
	return list[0]
}
