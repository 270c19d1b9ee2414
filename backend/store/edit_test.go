package store

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"leadminer/backend/contact"
)

func TestContactByIDFindsTheContactOrSaysNotFound(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	for _, email := range []string{ada, carol, news} {
		want, err := s.ContactByEmail(ctx, email)
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.ContactByID(ctx, want.ID)
		if err != nil || got.Email != email || got.ID != want.ID || got.Name != want.Name || !slices.Equal(got.Tags, want.Tags) {
			t.Errorf("ContactByID(%d) = %+v, %v; want %+v", want.ID, got, err, want)
		}
	}
	for _, id := range []int64{0, -1, 99999} {
		_, err := s.ContactByID(ctx, id)
		if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), fmt.Sprint(id)) {
			t.Errorf("ContactByID(%d): %v, want ErrNotFound naming the id", id, err)
		}
	}
}

func TestSightingsCountMessagesPerFolderBusiestFirst(t *testing.T) {
	s := openTestStore(t)
	ctx := context.Background()
	mailbox, inbox := ensure(t, s, "imap://me@example.test", "INBOX")
	archive, err := s.EnsureFolder(ctx, mailbox, "Archive")
	if err != nil {
		t.Fatal(err)
	}
	sent, err := s.EnsureFolder(ctx, mailbox, "Sent")
	if err != nil {
		t.Fatal(err)
	}
	undated, err := s.EnsureFolder(ctx, mailbox, "Undated")
	if err != nil {
		t.Fatal(err)
	}
	local, old := ensure(t, s, "mbox:/home/me/old.mbox", "Sent")
	put(t, s, mailbox,
		// One message in two folders counts in both.
		placed{mail{key: "m1", date: at(1), who: []seen{from(bob, "Bob")}}, []FolderState{inbox, archive}},
		// Twice in one folder (two copies), and twice in the message: once.
		placed{mail{key: "m2", date: at(5), who: []seen{to(bob, "Bob"), cc(bob, "Bob")}}, []FolderState{inbox, inbox}},
		placed{mail{key: "m3", date: at(3), who: []seen{from(bob, "Bob"), to(ada, "Ada")}}, []FolderState{inbox}},
		placed{mail{key: "m4", date: at(2), who: []seen{to(bob, "")}}, []FolderState{sent}},
		placed{mail{key: "m5", who: []seen{to(bob, "")}}, []FolderState{undated}},
		// Someone else's message in the archive.
		placed{mail{key: "m6", date: at(9), who: []seen{from(ada, "Ada")}}, []FolderState{archive}},
	)
	put(t, s, local, placed{mail{key: "m7", date: at(-100), who: []seen{to(bob, "Bob")}}, []FolderState{old}})
	day := func(n int) *time.Time { d := at(n); return &d }
	want := []Sighting{
		{Source: "imap://me@example.test", Folder: "INBOX", Count: 3, First: day(1), Last: day(5)},
		{Source: "imap://me@example.test", Folder: "Archive", Count: 1, First: day(1), Last: day(1)},
		{Source: "imap://me@example.test", Folder: "Sent", Count: 1, First: day(2), Last: day(2)},
		{Source: "mbox:/home/me/old.mbox", Folder: "Sent", Count: 1, First: day(-100), Last: day(-100)},
		{Source: "imap://me@example.test", Folder: "Undated", Count: 1},
	}
	got, err := s.Sightings(ctx, idOf(t, s, bob))
	if err != nil {
		t.Fatal(err)
	}
	if !slices.EqualFunc(got, want, sameSighting) {
		t.Errorf("sightings\n got %s\nwant %s", showSightings(got), showSightings(want))
	}
	if got, err := s.Sightings(ctx, idOf(t, s, ada)); err != nil || len(got) != 2 || got[0].Folder != "Archive" && got[0].Folder != "INBOX" {
		t.Errorf("ada's sightings %s, %v", showSightings(got), err)
	}
	if got, err := s.Sightings(ctx, 99999); err != nil || got == nil || len(got) != 0 {
		t.Errorf("unknown contact: %v, %v; want an empty list", got, err)
	}
}

func sameSighting(a, b Sighting) bool {
	sameTime := func(x, y *time.Time) bool { return x == nil && y == nil || x != nil && y != nil && x.Equal(*y) }
	return a.Source == b.Source && a.Folder == b.Folder && a.Count == b.Count && sameTime(a.First, b.First) && sameTime(a.Last, b.Last)
}

func showSightings(v []Sighting) string {
	var b strings.Builder
	for _, g := range v {
		fmt.Fprintf(&b, "\n  %s %s ×%d %v..%v", g.Source, g.Folder, g.Count, g.First, g.Last)
	}
	return b.String()
}

func ptr[T any](v T) *T { return &v }

func TestUpdateContactChangesOnlyTheGivenFields(t *testing.T) {
	tests := []struct {
		name  string
		patch Patch
		check func(before, after contact.Contact) contact.Contact // the expected contact
	}{
		{"nothing", Patch{}, func(b, _ contact.Contact) contact.Contact { return b }},
		{"name, trimmed", Patch{Name: ptr("  Robert  Stone ")}, func(b, _ contact.Contact) contact.Contact {
			b.Name = "Robert  Stone"
			return b
		}},
		{"name cleared", Patch{Name: ptr("")}, func(b, _ contact.Contact) contact.Contact {
			b.Name = ""
			return b
		}},
		{"given and family names", Patch{GivenName: ptr(" Robert"), FamilyName: ptr("Stone ")}, func(b, _ contact.Contact) contact.Contact {
			b.GivenName, b.FamilyName = "Robert", "Stone"
			return b
		}},
		{"alternate names trimmed and de-duplicated", Patch{AlternateNames: ptr([]string{" Rob ", "Rob", "", "  ", "Bobby", "rob", "Bobby "})},
			func(b, _ contact.Contact) contact.Contact {
				b.AlternateNames = []string{"Rob", "Bobby", "rob"}
				return b
			}},
		{"alternate names cleared", Patch{AlternateNames: ptr([]string{})}, func(b, _ contact.Contact) contact.Contact {
			b.AlternateNames = []string{}
			return b
		}},
		{"telephones", Patch{Telephone: ptr([]string{"+33 1 23 45 67 89", " +33 1 23 45 67 89 ", "+1 555 0100", ""})},
			func(b, _ contact.Contact) contact.Contact {
				b.Telephone = []string{"+33 1 23 45 67 89", "+1 555 0100"}
				return b
			}},
		{"telephones of blanks only", Patch{Telephone: ptr([]string{" ", ""})}, func(b, _ contact.Contact) contact.Contact {
			b.Telephone = []string{}
			return b
		}},
		{"job", Patch{WorksFor: ptr(" Acme Corp "), JobTitle: ptr("\tCEO\n")}, func(b, _ contact.Contact) contact.Contact {
			b.WorksFor, b.JobTitle = "Acme Corp", "CEO"
			return b
		}},
		{"location", Patch{Location: ptr("Paris, France")}, func(b, _ contact.Contact) contact.Contact {
			b.Location = "Paris, France"
			return b
		}},
		{"same as", Patch{SameAs: ptr([]string{"https://example.test/bob", "https://example.test/bob", " https://social.test/@bob "})},
			func(b, _ contact.Contact) contact.Contact {
				b.SameAs = []string{"https://example.test/bob", "https://social.test/@bob"}
				return b
			}},
		{"hostile text is stored as text", Patch{Name: ptr(`Bob'); DROP TABLE contacts; --`), JobTitle: ptr(`"quoted" \ 100%`)},
			func(b, _ contact.Contact) contact.Contact {
				b.Name, b.JobTitle = `Bob'); DROP TABLE contacts; --`, `"quoted" \ 100%`
				return b
			}},
		{"everything", Patch{Name: ptr("N"), GivenName: ptr("G"), FamilyName: ptr("F"), AlternateNames: ptr([]string{"A"}),
			Telephone: ptr([]string{"T"}), WorksFor: ptr("W"), JobTitle: ptr("J"), Location: ptr("L"), SameAs: ptr([]string{"S"})},
			func(b, _ contact.Contact) contact.Contact {
				b.Name, b.GivenName, b.FamilyName, b.AlternateNames = "N", "G", "F", []string{"A"}
				b.Telephone, b.WorksFor, b.JobTitle, b.Location, b.SameAs = []string{"T"}, "W", "J", "L", []string{"S"}
				return b
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := tableFixture(t)
			ctx := context.Background()
			id := idOf(t, s, bob)
			before, _ := s.ContactByID(ctx, id)
			others := contactsOf(t, s, Query{All: true})
			if err := s.UpdateContact(ctx, id, tt.patch); err != nil {
				t.Fatal(err)
			}
			after, err := s.ContactByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			if want := tt.check(before, after); !sameContact(after, want) {
				t.Errorf("after the patch\n got %+v\nwant %+v", after, want)
			}
			// Nobody else changed.
			for _, o := range contactsOf(t, s, Query{All: true}) {
				if o.ID == id {
					continue
				}
				for _, prev := range others {
					if prev.ID == o.ID && !sameContact(prev, o) {
						t.Errorf("%s changed too", o.Email)
					}
				}
			}
		})
	}
}

func sameContact(a, b contact.Contact) bool { return reflect.DeepEqual(a, b) }

func TestUpdateContactOfAnUnknownIDIsNotFound(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	total := count(t, s, `SELECT COUNT(*) FROM contacts`)
	for _, p := range []Patch{{Name: ptr("Ghost")}, {Telephone: ptr([]string{"1"})}, {}} {
		if err := s.UpdateContact(ctx, 99999, p); !errors.Is(err, ErrNotFound) {
			t.Errorf("UpdateContact(99999, %+v): %v, want ErrNotFound", p, err)
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM contacts`); n != total {
		t.Errorf("%d contacts, %d before", n, total)
	}
	if got := emails(t, s, Query{Search: "ghost", All: true}); got != nil {
		t.Errorf("search finds %v", got)
	}
}

// renameDerive stands in for mining finding other names: every contact is
// given a new name, alternate names and temperature.
func renameDerive(a *Aggregate) Derived {
	d := testDerive(a)
	d.Name = "Mined " + strings.Split(a.Email, "@")[0]
	d.AlternateNames = []string{"Mined alternate"}
	d.Temperature = 40 + a.Occurrence
	return d
}

func TestEditedNamesSurviveRecompute(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	// bob: name and alternates edited; ada: only the job; danPct: only the
	// alternates; eveUnd: given and family names (not "name"); carol: nothing.
	edits := map[string]Patch{
		bob:    {Name: ptr("Robert Zimmerman"), AlternateNames: ptr([]string{"Bob Dylan"})},
		ada:    {JobTitle: ptr("Mathematician")},
		danPct: {AlternateNames: ptr([]string{"Daniel"})},
		eveUnd: {GivenName: ptr("Eve"), FamilyName: ptr("Under")},
	}
	for email, p := range edits {
		if err := s.UpdateContact(ctx, idOf(t, s, email), p); err != nil {
			t.Fatal(err)
		}
	}
	// Twice: the second recompute must not lose what the first kept.
	for range 2 {
		if _, err := s.Recompute(ctx, true, "2025-01-02", renameDerive); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		email, name string
		alternates  []string
	}{
		{bob, "Robert Zimmerman", []string{"Bob Dylan"}},
		{ada, "Mined ada", []string{"Mined alternate"}},
		{danPct, "Mined dan", []string{"Daniel"}},
		{eveUnd, "Mined eve_u", []string{"Mined alternate"}},
		{carol, "Mined carol", []string{"Mined alternate"}},
	}
	for _, tt := range tests {
		c, err := s.ContactByEmail(ctx, tt.email)
		if err != nil {
			t.Fatal(err)
		}
		if c.Name != tt.name || !slices.Equal(c.AlternateNames, tt.alternates) {
			t.Errorf("%s: name %q, alternates %q; want %q, %q", tt.email, c.Name, c.AlternateNames, tt.name, tt.alternates)
		}
		// The stats are recomputed for edited contacts too.
		if c.Temperature != 40+c.Occurrence {
			t.Errorf("%s: temperature %d not recomputed", tt.email, c.Temperature)
		}
	}
	c, _ := s.ContactByEmail(ctx, ada)
	if c.JobTitle != "Mathematician" || c.WorksFor != "Analytical Engines" || c.Location != "London" {
		t.Errorf("recompute changed ada's job or place: %+v", c)
	}
	if c, _ := s.ContactByEmail(ctx, eveUnd); c.GivenName != "Eve" || c.FamilyName != "Under" {
		t.Errorf("recompute changed given or family name: %+v", c)
	}
	// The search index follows both the kept and the mined names.
	for search, want := range map[string][]string{
		"zimmerman": {bob}, "dylan": {bob}, "bobby": nil, "stone": nil,
		"mined carol": {carol}, "lovelace": nil, "mathematician": {ada},
	} {
		if got := selects(t, s, Query{Search: search}); !slices.Equal(got, sorted(want)) {
			t.Errorf("search %q after recompute: %v, want %v", search, got, want)
		}
	}
}

func TestUpdateContactKeepsTheSearchIndexInStep(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	id := idOf(t, s, bob)
	steps := []struct {
		patch Patch
		finds map[string]bool // search -> finds bob
	}{
		{Patch{}, map[string]bool{"stone": true, "bobby": true, "acme": true}},
		{Patch{Name: ptr("Robert Zimmerman")}, map[string]bool{"zimmerman": true, "robert": true, "stone": false, "bob": true /* address */}},
		{Patch{JobTitle: ptr("Harmonica Player")}, map[string]bool{"harmonica": true, "player": true, "zimmerman": true}},
		{Patch{Location: ptr("Duluth, Minnesota")}, map[string]bool{"duluth": true, "minnesota": true, "harmonica": true}},
		{Patch{WorksFor: ptr("Columbia Records")}, map[string]bool{"columbia": true, "acme": true /* address */}},
		{Patch{AlternateNames: ptr([]string{"Bob Dylan"})}, map[string]bool{"dylan": true, "bobby": false}},
		{Patch{JobTitle: ptr("")}, map[string]bool{"harmonica": false, "zimmerman": true}},
		{Patch{Name: ptr("Bob Stone")}, map[string]bool{"stone": true, "zimmerman": false}},
	}
	for i, st := range steps {
		if err := s.UpdateContact(ctx, id, st.patch); err != nil {
			t.Fatal(err)
		}
		for search, finds := range st.finds {
			got := emails(t, s, Query{Search: search})
			if slices.Contains(got, bob) != finds {
				t.Errorf("step %d: search %q gives %v; finds bob: %v, want %v", i, search, got, !finds, finds)
			}
		}
	}
	// One index row per contact, whatever the edits.
	if n, c := count(t, s, `SELECT COUNT(*) FROM contacts_fts WHERE contacts_fts MATCH 'stone'`), 1; n != c {
		t.Errorf("%d index rows match stone, want %d", n, c)
	}
}

func TestContactIDsSelectWhatTheQueryListsIgnoringPageAndSort(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	tests := []Query{
		{},
		{All: true},
		{Search: "dan"},
		{Quick: Quick{HasJob: true}},
		{Filters: []Filter{{Column: "status", Op: "in", Values: []string{"UNVERIFIED"}}}},
		{Quick: Quick{Recent: true}, Now: tableNow},
		{IDs: []int64{idOf(t, s, ada), idOf(t, s, news)}},
		{Search: "nobody-at-all"},
	}
	for _, q := range tests {
		var want []int64
		for _, c := range contactsOf(t, s, q) {
			want = append(want, c.ID)
		}
		for _, page := range []Query{q, {Limit: 1, Offset: 2, Sort: &Sort{Column: "email", Desc: true}}} {
			paged := q
			paged.Limit, paged.Offset, paged.Sort = page.Limit, page.Offset, page.Sort
			got, err := s.ContactIDs(ctx, paged)
			if err != nil {
				t.Fatal(err)
			}
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("ContactIDs(%+v) = %v, want %v", paged, got, want)
			}
		}
	}
}

func TestDeleteContactsRemovesEverythingAboutThem(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	bobID, carolID, adaID := idOf(t, s, bob), idOf(t, s, carol), idOf(t, s, ada)
	messages := count(t, s, `SELECT COUNT(*) FROM messages`)
	before := emails(t, s, Query{All: true})
	n, err := s.DeleteContacts(ctx, []int64{bobID, carolID, bobID, 99999})
	if err != nil || n != 2 {
		t.Fatalf("DeleteContacts = %d, %v; want 2", n, err)
	}
	for _, id := range []int64{bobID, carolID} {
		if _, err := s.ContactByID(ctx, id); !errors.Is(err, ErrNotFound) {
			t.Errorf("contact %d still there: %v", id, err)
		}
		for _, table := range []string{"occurrences", "tags", "contact_sources"} {
			if n := count(t, s, `SELECT COUNT(*) FROM `+table+` WHERE contact_id = ?`, id); n != 0 {
				t.Errorf("%d rows of %s left for contact %d", n, table, id)
			}
		}
		if n := count(t, s, `SELECT COUNT(*) FROM contacts_fts WHERE rowid = ?`, id); n != 0 {
			t.Errorf("search index row left for contact %d", id)
		}
	}
	for _, search := range []string{"stone", "bobby", "acme", "carol", "corp"} {
		if got := emails(t, s, Query{All: true, Search: search}); got != nil {
			t.Errorf("search %q still finds %v", search, got)
		}
		if n := count(t, s, `SELECT COUNT(*) FROM contacts_fts WHERE contacts_fts MATCH ?`, search); n != 0 {
			t.Errorf("the index still matches %q", search)
		}
	}
	if got, want := emails(t, s, Query{All: true}), without(before, bob, carol); !slices.Equal(got, want) {
		t.Errorf("left %v, want %v", got, want)
	}
	// Others keep their occurrences; messages stay (they hold other people).
	if n := count(t, s, `SELECT COUNT(*) FROM occurrences WHERE contact_id = ?`, adaID); n != 3 {
		t.Errorf("ada has %d occurrences, want 3", n)
	}
	if n := count(t, s, `SELECT COUNT(*) FROM messages`); n != messages {
		t.Errorf("%d messages, %d before", n, messages)
	}
	if got := emails(t, s, Query{Search: "lovelace"}); !slices.Equal(got, []string{ada}) {
		t.Errorf("search for a kept contact: %v", got)
	}
	for _, ids := range [][]int64{nil, {}, {bobID}, {99999}} {
		if n, err := s.DeleteContacts(ctx, ids); err != nil || n != 0 {
			t.Errorf("DeleteContacts(%v) = %d, %v; want 0", ids, n, err)
		}
	}
}

func TestDeleteContactsSelectedByAQuery(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	q := Query{Quick: Quick{HasPhone: true}}
	ids, err := s.ContactIDs(ctx, q)
	if err != nil || len(ids) != 2 {
		t.Fatalf("ids %v, %v", ids, err)
	}
	n, err := s.DeleteContacts(ctx, ids)
	if err != nil || n != 2 {
		t.Fatalf("deleted %d, %v", n, err)
	}
	if got := emails(t, s, q); got != nil {
		t.Errorf("the query still selects %v", got)
	}
	if got := emails(t, s, Query{}); len(got) != len(visible)-2 {
		t.Errorf("%d contacts left, want %d", len(got), len(visible)-2)
	}
}
