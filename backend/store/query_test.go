package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"leadminer/backend/contact"
)

// placed is a fixture message stored in one or more folders.
type placed struct {
	mail
	folders []FolderState
}

// put writes messages for a source in one batch, each at every folder it
// names (a message copied into several folders, as IMAP servers have them).
func put(t testing.TB, s *Store, sourceID int64, msgs ...placed) {
	t.Helper()
	w, err := s.BeginWrite(context.Background(), sourceID)
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range msgs {
		id, _, err := w.Message(MessageRow{Key: m.key, Date: m.date, ListID: m.listID, Conversation: m.conversation,
			FromMe: m.fromMe, ToMe: m.toMe, FolderID: m.folders[0].ID})
		if err != nil {
			t.Fatal(err)
		}
		for i, f := range m.folders {
			if err := w.Location(f.ID, fmt.Sprintf("%s#%d", m.key, i), id); err != nil {
				t.Fatal(err)
			}
		}
		for _, who := range m.who {
			cid, _, err := w.Contact(who.email, []Tag{{Name: "professional", Reachable: 1, Source: TagFromAddress}})
			if err != nil {
				t.Fatal(err)
			}
			if err := w.Occurrence(OccurrenceRow{MessageID: id, ContactID: cid, Field: who.field, Name: who.name,
				Plus: who.plus, HeaderTag: who.tag}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := w.Commit(); err != nil {
		t.Fatal(err)
	}
}

// ensure creates a source and a folder in it.
func ensure(t testing.TB, s *Store, uri, folder string) (int64, FolderState) {
	t.Helper()
	ctx := context.Background()
	src, err := s.EnsureSource(ctx, uri, strings.SplitN(uri, ":", 2)[0])
	if err != nil {
		t.Fatal(err)
	}
	f, err := s.EnsureFolder(ctx, src, folder)
	if err != nil {
		t.Fatal(err)
	}
	return src, f
}

func cc(email, name string) seen { return seen{email: email, name: name, field: fieldCc} }

// The table fixture's people. Temperature is the occurrence count (see
// testDerive), so several share one and the tie-break shows.
const (
	ada     = "ada@analytical.test" // Ada Lovelace: 3 sent, 2 replied conversations, VALID, job, phone
	bob     = "bob@acme.test"       // Bob Stone (alt Bobby): 3 received, RISKY, works for Acme, tag personal
	carol   = "carol@corp.test"     // no name, seen 5 years ago in the archive only, INVALID, phone, tag role
	danPct  = "dan@percent.test"    // "Dan 100% Sure", UNKNOWN, job "50% off specialist"
	danNum  = "dan@hundred.test"    // "Dan 1000 Sure", job "500 off specialist"
	eveUnd  = "eve_u@under.test"    // "Eve_Under", works for "under_score Ltd"
	eveX    = "evexu@under.test"    // "EveXUnder", works for "underXscore Inc"
	backsl  = "back@slash.test"     // `Back\Slash`, location `C:\Users`
	backs   = "backs@slash.test"    // "BackSlash", location "C:Users"
	aaron   = "aaron@zulu.test"     // "aaron zed" (lower case), alternate name "Zed & Co"
	news    = "news@letters.test"   // hidden newsletter
	undated = "nodate@nowhere.test" // no name, only in a message without a date
)

const archiveURI = "mbox:/archive/old.mbox"

// tableNow is the fixture's "now" for the recent toggle.
var tableNow = at(30)

// tableFixture stores the people above with every kind of column filled.
func tableFixture(t testing.TB) *Store {
	t.Helper()
	s := openTestStore(t)
	ctx := context.Background()
	s.now = func() time.Time { return tableNow }
	src, inbox := ensure(t, s, "test:", "INBOX")
	archive, old := ensure(t, s, archiveURI, "old")
	in := func(m mail) placed { return placed{m, []FolderState{inbox}} }
	put(t, s, src,
		in(mail{key: "m1", date: at(0), conversation: true, who: []seen{from(ada, "Ada Lovelace"), to(bob, "Bob Stone")}}),
		in(mail{key: "m2", date: at(2), conversation: true, who: []seen{from(ada, "Ada Lovelace"), to(bob, "Bob Stone")}}),
		in(mail{key: "m3", date: at(10), who: []seen{from(ada, "Ada Lovelace"), cc(bob, "Bobby")}}),
		// dan@percent.test gets the lower id, dan@hundred.test sorts first.
		in(mail{key: "m5", date: at(1), who: []seen{from(danPct, "Dan 100% Sure"), to(danNum, "Dan 1000 Sure")}}),
		in(mail{key: "m6", date: at(3), who: []seen{from(eveUnd, "Eve_Under"), to(eveX, "EveXUnder")}}),
		in(mail{key: "m7", date: at(4), who: []seen{from(backsl, `Back\Slash`), to(aaron, "aaron zed"), cc(backs, "BackSlash")}}),
		in(mail{key: "m8", date: at(5), who: []seen{{email: news, name: "Weekly News", field: fieldFrom, tag: "newsletter"}}}),
		in(mail{key: "m9", who: []seen{to(undated, "")}}),
	)
	put(t, s, archive, placed{mail{key: "m4", date: day0.AddDate(-5, 0, 0), who: []seen{to(carol, "")}}, []FolderState{old}})
	extraTags := map[string][]Tag{
		bob:   {{Name: "personal", Reachable: 1, Source: TagFromAddress}},
		carol: {{Name: "role", Reachable: 2, Source: TagFromAddress}},
	}
	if _, err := s.Recompute(ctx, true, "2025-01-01", func(a *Aggregate) Derived {
		d := testDerive(a)
		d.Tags = append(d.Tags, extraTags[a.Email]...)
		return d
	}); err != nil {
		t.Fatal(err)
	}
	str := func(v string) *string { return &v }
	list := func(v ...string) *[]string { return &v }
	edits := map[string]Patch{
		ada:    {JobTitle: str("Countess"), WorksFor: str("Analytical Engines"), Location: str("London"), Telephone: list("+44 20 7946 0000")},
		bob:    {WorksFor: str("Acme")},
		carol:  {Telephone: list("+1 555 0100")},
		danPct: {JobTitle: str("50% off specialist")},
		danNum: {JobTitle: str("500 off specialist")},
		eveUnd: {WorksFor: str("under_score Ltd")},
		eveX:   {WorksFor: str("underXscore Inc")},
		backsl: {Location: str(`C:\Users`)},
		backs:  {Location: str("C:Users")},
		aaron:  {AlternateNames: list("Zed & Co")},
	}
	for email, p := range edits {
		if err := s.UpdateContact(ctx, idOf(t, s, email), p); err != nil {
			t.Fatal(err)
		}
	}
	// Verification is not built yet: nothing but SQL sets a status.
	for email, status := range map[string]string{ada: "VALID", bob: "RISKY", carol: "INVALID", danPct: "UNKNOWN"} {
		if _, err := s.db.Exec(`UPDATE contacts SET status = ? WHERE email = ?`, status, email); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func idOf(t testing.TB, s *Store, email string) int64 {
	t.Helper()
	c, err := s.ContactByEmail(context.Background(), email)
	if err != nil {
		t.Fatal(err)
	}
	return c.ID
}

var visible = []string{ada, bob, carol, danPct, danNum, eveUnd, eveX, backsl, backs, aaron, undated}

func without(all []string, drop ...string) []string {
	return slices.DeleteFunc(slices.Clone(all), func(e string) bool { return slices.Contains(drop, e) })
}

func sorted(v []string) []string {
	v = slices.Clone(v)
	slices.Sort(v)
	return v
}

// selects lists the query's contacts as a set, and checks the count.
func selects(t *testing.T, s *Store, q Query) []string {
	t.Helper()
	return sorted(emails(t, s, q))
}

func TestQuickFiltersSelectTheirContacts(t *testing.T) {
	s := tableFixture(t)
	tests := []struct {
		name  string
		quick Quick
		now   time.Time
		want  []string
	}{
		{"none", Quick{}, tableNow, visible},
		{"hide unreachable drops INVALID and RISKY", Quick{HideUnreachable: true}, tableNow, without(visible, bob, carol)},
		{"hide unsubscribed drops nobody yet", Quick{HideUnsubscribed: true}, tableNow, visible},
		{"recent drops the old and the undated", Quick{Recent: true}, tableNow, without(visible, carol, undated)},
		// The cut-off is midnight (UTC) three years back, so a day's queries
		// are the same query.
		{"recent is three years back from today", Quick{Recent: true}, at(10).AddDate(3, 0, 0), []string{ada, bob}},
		{"recent the next day", Quick{Recent: true}, at(10).AddDate(3, 0, 1).Truncate(24 * time.Hour).Add(time.Second), nil},
		{"recent from far back", Quick{Recent: true}, day0.AddDate(-2, 0, 0), without(visible, undated)},
		{"replied", Quick{Replied: true}, tableNow, []string{ada}},
		{"has name", Quick{HasName: true}, tableNow, without(visible, carol, undated)},
		{"has phone", Quick{HasPhone: true}, tableNow, []string{ada, carol}},
		{"has job: title or employer", Quick{HasJob: true}, tableNow, []string{ada, bob, danPct, danNum, eveUnd, eveX}},
		{"show hidden", Quick{ShowHidden: true}, tableNow, append(slices.Clone(visible), news)},
		{"toggles combine", Quick{HideUnreachable: true, HasPhone: true}, tableNow, []string{ada}},
		{"name and job", Quick{HasName: true, HasJob: true}, tableNow, []string{ada, bob, danPct, danNum, eveUnd, eveX}},
		{"everything on", Quick{HideUnreachable: true, HideUnsubscribed: true, Recent: true, Replied: true,
			HasName: true, HasPhone: true, HasJob: true, ShowHidden: true}, tableNow, []string{ada}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := selects(t, s, Query{Quick: tt.quick, Now: tt.now})
			if want := sorted(tt.want); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
		})
	}
}

func TestRecentDefaultsToNow(t *testing.T) {
	s := tableFixture(t)
	want := selects(t, s, Query{Quick: Quick{Recent: true}, Now: time.Now()})
	if got := selects(t, s, Query{Quick: Quick{Recent: true}}); !slices.Equal(got, want) {
		t.Errorf("recent without Now: %v, want %v (as of now)", got, want)
	}
}

func TestColumnFiltersSelectTheirContacts(t *testing.T) {
	s := tableFixture(t)
	contains := func(col, v string) Filter { return Filter{Column: col, Op: "contains", Value: v} }
	gte := func(col, v string) Filter { return Filter{Column: col, Op: "gte", Value: v} }
	after := func(col, v string) Filter { return Filter{Column: col, Op: "after", Value: v} }
	in := func(col string, v ...string) Filter { return Filter{Column: col, Op: "in", Values: v} }
	tests := []struct {
		name    string
		filters []Filter
		hidden  bool
		want    []string
	}{
		// contains, on every text column
		{"contact: name", []Filter{contains("contact", "lovelace")}, false, []string{ada}},
		{"contact: address", []Filter{contains("contact", "ACME.test")}, false, []string{bob}},
		{"contact: name then address", []Filter{contains("contact", "Stone bob@")}, false, []string{bob}},
		{"contact: nameless by address", []Filter{contains("contact", "carol")}, false, []string{carol}},
		{"name", []Filter{contains("name", "dan 100")}, false, []string{danPct, danNum}},
		{"name is not the address", []Filter{contains("name", "analytical")}, false, nil},
		{"email", []Filter{contains("email", "@under.")}, false, []string{eveUnd, eveX}},
		{"works_for", []Filter{contains("works_for", "engines")}, false, []string{ada}},
		{"job_title", []Filter{contains("job_title", "COUNT")}, false, []string{ada}},
		{"location", []Filter{contains("location", "lond")}, false, []string{ada}},
		{"alternate_names", []Filter{contains("alternate_names", "bobb")}, false, []string{bob}},
		{"alternate_names with &", []Filter{contains("alternate_names", "Zed & Co")}, false, []string{aaron}},
		{"alternate_names: JSON brackets are not text", []Filter{contains("alternate_names", "[")}, false, nil},
		{"alternate_names: JSON quotes are not text", []Filter{contains("alternate_names", `"`)}, false, nil},
		{"telephone", []Filter{contains("telephone", "555 01")}, false, []string{carol}},
		{"telephone: JSON brackets are not text", []Filter{contains("telephone", "]")}, false, nil},
		{"sources", []Filter{contains("sources", "archive")}, false, []string{carol}},
		{"sources: the other one", []Filter{contains("sources", "test:")}, false, without(visible, carol)},
		{"sources with hidden", []Filter{contains("sources", "test:")}, true, append(without(visible, carol), news)},
		{"empty text matches all", []Filter{contains("name", "")}, false, visible},
		// gte, on every number column
		{"occurrence", []Filter{gte("occurrence", "2")}, false, []string{ada, bob}},
		{"occurrence as a decimal", []Filter{gte("occurrence", " 2.5 ")}, false, []string{ada, bob}},
		{"occurrence of zero", []Filter{gte("occurrence", "0")}, false, visible},
		{"replied_conversations", []Filter{gte("replied_conversations", "1")}, false, []string{ada}},
		{"temperature", []Filter{gte("temperature", "3")}, false, []string{ada, bob}},
		{"temperature above everyone", []Filter{gte("temperature", "4")}, false, nil},
		{"sender", []Filter{gte("sender", "1")}, false, []string{ada, danPct, eveUnd, backsl}},
		{"sender with hidden", []Filter{gte("sender", "1")}, true, []string{ada, danPct, eveUnd, backsl, news}},
		{"recipient", []Filter{gte("recipient", "1")}, false, []string{bob, carol, danNum, eveX, backs, aaron, undated}},
		{"recipient many", []Filter{gte("recipient", "3")}, false, []string{bob}},
		{"conversations", []Filter{gte("conversations", "1")}, false, []string{ada, bob}},
		// after, on every date column (the day itself included)
		{"recency", []Filter{after("recency", "2024-03-05")}, false, []string{ada, bob, backsl, backs, aaron}},
		{"recency the very day", []Filter{after("recency", "2024-03-11")}, false, []string{ada, bob}},
		{"recency the day after", []Filter{after("recency", "2024-03-12")}, false, nil},
		{"recency long ago: not the undated", []Filter{after("recency", "2000-01-01")}, false, without(visible, undated)},
		{"seniority", []Filter{after("seniority", "2024-03-02")}, false, []string{danPct, danNum, eveUnd, eveX, backsl, backs, aaron}},
		{"seniority includes the archive", []Filter{after("seniority", "2019-01-01")}, false, without(visible, undated)},
		// in, on tags, status and consent
		{"tags", []Filter{in("tags", "personal")}, false, []string{bob}},
		{"tags any of", []Filter{in("tags", "personal", "role")}, false, []string{bob, carol}},
		{"tags everyone has", []Filter{in("tags", "professional")}, false, visible},
		{"tags of the hidden", []Filter{in("tags", "newsletter")}, false, nil},
		{"tags of the hidden shown", []Filter{in("tags", "newsletter")}, true, []string{news}},
		{"tags unknown", []Filter{in("tags", "nope")}, false, nil},
		{"tags none chosen", []Filter{in("tags")}, false, visible},
		{"status", []Filter{in("status", "VALID")}, false, []string{ada}},
		{"status any of", []Filter{in("status", "RISKY", "INVALID")}, false, []string{bob, carol}},
		{"status UNVERIFIED is empty", []Filter{in("status", "UNVERIFIED")}, false, []string{danNum, eveUnd, eveX, backsl, backs, aaron, undated}},
		{"status unverified any case", []Filter{in("status", "unverified")}, false, []string{danNum, eveUnd, eveX, backsl, backs, aaron, undated}},
		{"status empty as the table sends it", []Filter{in("status", "")}, false, []string{danNum, eveUnd, eveX, backsl, backs, aaron, undated}},
		{"status and unverified", []Filter{in("status", "UNKNOWN", "UNVERIFIED")}, false, []string{danPct, danNum, eveUnd, eveX, backsl, backs, aaron, undated}},
		{"status none chosen", []Filter{in("status")}, false, visible},
		{"consent legitimate interest", []Filter{in("consent_status", contact.ConsentLegitimateInterest)}, false, visible},
		{"consent opt out", []Filter{in("consent_status", contact.ConsentOptOut)}, false, nil},
		{"consent opt in or out", []Filter{in("consent_status", contact.ConsentOptIn, contact.ConsentOptOut)}, false, nil},
		{"consent any", []Filter{in("consent_status", contact.ConsentOptOut, contact.ConsentLegitimateInterest)}, false, visible},
		// filters all hold
		{"two filters", []Filter{gte("occurrence", "2"), in("status", "VALID")}, false, []string{ada}},
		{"contradicting filters", []Filter{contains("name", "ada"), contains("name", "bob")}, false, nil},
		{"filter and a text filter", []Filter{in("tags", "professional"), contains("location", "c:")}, false, []string{backsl, backs}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := selects(t, s, Query{Filters: tt.filters, Quick: Quick{ShowHidden: tt.hidden}})
			if want := sorted(tt.want); !slices.Equal(got, want) {
				t.Errorf("got %v\nwant %v", got, want)
			}
		})
	}
}

func TestLikeWildcardsInFilterValuesMatchLiterally(t *testing.T) {
	s := tableFixture(t)
	tests := []struct {
		column, value string
		want          []string
	}{
		{"name", "%", []string{danPct}},
		{"name", "100%", []string{danPct}},
		{"name", "%%", nil},
		{"name", "_", []string{eveUnd}},
		{"name", "e_U", []string{eveUnd}},
		{"name", "__", nil},
		{"name", `\`, []string{backsl}},
		{"name", `k\S`, []string{backsl}},
		{"name", `\\`, nil},
		{"name", `\%`, nil},
		{"name", `\_`, nil},
		{"contact", "100% S", []string{danPct}},
		{"contact", "eve_u@", []string{eveUnd}},
		{"email", "eve_u", []string{eveUnd}},
		{"email", "_", []string{eveUnd}},
		{"works_for", "under_score", []string{eveUnd}},
		{"job_title", "50%", []string{danPct}},
		{"job_title", "%", []string{danPct}},
		{"location", `C:\`, []string{backsl}},
		{"location", `\U`, []string{backsl}},
		{"alternate_names", "&", []string{aaron}},
		{"alternate_names", "%", nil},
		{"telephone", "_", nil},
		{"sources", "%", nil},
		{"sources", "_", nil},
	}
	for _, tt := range tests {
		t.Run(tt.column+" "+tt.value, func(t *testing.T) {
			got := selects(t, s, Query{Filters: []Filter{{Column: tt.column, Op: "contains", Value: tt.value}}})
			if want := sorted(tt.want); !slices.Equal(got, want) {
				t.Errorf("contains %q on %s: %v, want %v", tt.value, tt.column, got, want)
			}
		})
	}
}

func TestUnsupportedFiltersAndSortsAreRefused(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	total := count(t, s, `SELECT COUNT(*) FROM contacts`)
	injection := "c.id; DROP TABLE contacts"
	filters := []Filter{
		{Column: "nope", Op: "contains", Value: "x"},
		{Column: injection, Op: "contains", Value: "x"},
		{Column: injection, Op: "gte", Value: "1"},
		{Column: injection, Op: "after", Value: "2024-01-01"},
		{Column: injection, Op: "in", Values: []string{"x"}},
		{Column: injection, Op: "in"},
		{Column: "nope", Op: "in"},
		{Column: "name) OR (1=1", Op: "contains", Value: "x"},
		{Column: "c.name", Op: "contains", Value: "x"},
		{Column: "NAME", Op: "contains", Value: "x"},
		{Column: "name", Op: "equals", Value: "x"},
		{Column: "name", Op: "CONTAINS", Value: "x"},
		{Column: "name", Op: "", Value: "x"},
		{Column: "name", Op: "contains; DROP TABLE contacts", Value: "x"},
		{Column: "", Op: "contains", Value: "x"},
		// an op on a column of another kind
		{Column: "name", Op: "gte", Value: "1"},
		{Column: "name", Op: "after", Value: "2024-01-01"},
		{Column: "name", Op: "in", Values: []string{"x"}},
		{Column: "occurrence", Op: "contains", Value: "1"},
		{Column: "occurrence", Op: "after", Value: "2024-01-01"},
		{Column: "recency", Op: "gte", Value: "1"},
		{Column: "recency", Op: "contains", Value: "2024"},
		{Column: "tags", Op: "contains", Value: "personal"},
		{Column: "status", Op: "contains", Value: "VALID"},
		{Column: "sources", Op: "in", Values: []string{"test:"}},
		{Column: "same_as", Op: "contains", Value: "x"},
		// values that are not what the op needs
		{Column: "occurrence", Op: "gte", Value: ""},
		{Column: "occurrence", Op: "gte", Value: "three"},
		{Column: "occurrence", Op: "gte", Value: "1; DROP TABLE contacts"},
		{Column: "recency", Op: "after", Value: ""},
		{Column: "recency", Op: "after", Value: "2024/03/01"},
		{Column: "recency", Op: "after", Value: "2024-02-30"},
		{Column: "recency", Op: "after", Value: "yesterday"},
		{Column: "seniority", Op: "after", Value: "2024-03-01T00:00:00Z"},
	}
	for _, f := range filters {
		q := Query{Filters: []Filter{{Column: "name", Op: "contains", Value: "a"}, f}}
		if err := s.ListContacts(ctx, q, func(contact.Contact) error { return nil }); !errors.Is(err, ErrBadQuery) {
			t.Errorf("ListContacts with %+v: %v, want ErrBadQuery", f, err)
		}
		if _, err := s.CountContacts(ctx, q); !errors.Is(err, ErrBadQuery) {
			t.Errorf("CountContacts with %+v: %v, want ErrBadQuery", f, err)
		}
		if _, err := s.ContactIDs(ctx, q); !errors.Is(err, ErrBadQuery) {
			t.Errorf("ContactIDs with %+v: %v, want ErrBadQuery", f, err)
		}
	}
	for _, col := range []string{"nope", injection, "c.id", "tags", "sources", "telephone", "same_as", "NAME", "name DESC",
		"contact, c.id", "(SELECT 1)"} {
		for _, desc := range []bool{false, true} {
			q := Query{Sort: &Sort{Column: col, Desc: desc}}
			if err := s.ListContacts(ctx, q, func(contact.Contact) error { return nil }); !errors.Is(err, ErrBadQuery) {
				t.Errorf("sort by %q: %v, want ErrBadQuery", col, err)
			}
		}
	}
	if n := count(t, s, `SELECT COUNT(*) FROM contacts`); n != total {
		t.Errorf("%d contacts after the refused queries, %d before", n, total)
	}
}

// sortValue is a contact's value in a sort column, compared as SQLite
// does (NULL dates first, NOCASE on ASCII).
func sortValue(c contact.Contact, column string) func(other contact.Contact) int {
	date := func(t *time.Time) int64 {
		if t == nil {
			return -1 << 62
		}
		return t.Unix()
	}
	var key func(contact.Contact) any
	switch column {
	case "contact":
		// Handled by the caller: nameless contacts go last either way.
		key = func(c contact.Contact) any { return strings.ToLower(c.Name) }
	case "name":
		key = func(c contact.Contact) any { return strings.ToLower(c.Name) }
	case "email":
		key = func(c contact.Contact) any { return c.Email }
	case "occurrence":
		key = func(c contact.Contact) any { return int64(c.Occurrence) }
	case "recency":
		key = func(c contact.Contact) any { return date(c.Recency) }
	case "seniority":
		key = func(c contact.Contact) any { return date(c.Seniority) }
	case "replied_conversations":
		key = func(c contact.Contact) any { return int64(c.RepliedConversations) }
	case "temperature":
		key = func(c contact.Contact) any { return int64(c.Temperature) }
	case "sender":
		key = func(c contact.Contact) any { return int64(c.Sender) }
	case "recipient":
		key = func(c contact.Contact) any { return int64(c.Recipient) }
	case "conversations":
		key = func(c contact.Contact) any { return int64(c.Conversations) }
	case "status":
		key = func(c contact.Contact) any { return c.Status }
	case "consent_status":
		key = func(c contact.Contact) any { return c.ConsentStatus }
	case "works_for":
		key = func(c contact.Contact) any { return strings.ToLower(c.WorksFor) }
	case "job_title":
		key = func(c contact.Contact) any { return strings.ToLower(c.JobTitle) }
	case "location":
		key = func(c contact.Contact) any { return strings.ToLower(c.Location) }
	default:
		panic("no sort value for " + column)
	}
	return func(o contact.Contact) int {
		switch a := key(c).(type) {
		case string:
			return cmp.Compare(a, key(o).(string))
		case int64:
			return cmp.Compare(a, key(o).(int64))
		}
		panic("unreachable")
	}
}

// missingDate says whether a contact lacks a date column's value.
func missingDate(column string) func(contact.Contact) bool {
	switch column {
	case "recency":
		return func(c contact.Contact) bool { return c.Recency == nil }
	case "seniority":
		return func(c contact.Contact) bool { return c.Seniority == nil }
	}
	return nil
}

// rankCompare is the default order: hottest, most seen, most recent, then
// by address.
func rankCompare(a, b contact.Contact) int {
	date := func(t *time.Time) int64 {
		if t == nil {
			return -1 << 62
		}
		return t.Unix()
	}
	return cmp.Or(cmp.Compare(b.Temperature, a.Temperature), cmp.Compare(b.Occurrence, a.Occurrence),
		cmp.Compare(date(b.Recency), date(a.Recency)), strings.Compare(a.Email, b.Email))
}

func contactsOf(t *testing.T, s *Store, q Query) []contact.Contact {
	t.Helper()
	var out []contact.Contact
	if err := s.ListContacts(context.Background(), q, func(c contact.Contact) error {
		out = append(out, c)
		return nil
	}); err != nil {
		t.Fatalf("ListContacts(%+v): %v", q, err)
	}
	return out
}

func TestEverySortOrdersByItsColumnWithRankOrderTies(t *testing.T) {
	s := tableFixture(t)
	everyone := sorted(append(slices.Clone(visible), news))
	for _, col := range sortedKeys(sortColumns) {
		for _, desc := range []bool{false, true} {
			t.Run(fmt.Sprintf("%s desc=%v", col, desc), func(t *testing.T) {
				q := Query{All: true, Sort: &Sort{Column: col, Desc: desc}}
				got := contactsOf(t, s, q)
				var addrs []string
				for _, c := range got {
					addrs = append(addrs, c.Email)
				}
				if !slices.Equal(sorted(addrs), everyone) {
					t.Fatalf("sorted list %v is not everyone once", addrs)
				}
				if col == "temperature" {
					// Hottest first is the rank order, coldest first its reverse.
					rank := contactsOf(t, s, Query{All: true})
					if !desc {
						slices.Reverse(rank)
					}
					if !slices.EqualFunc(got, rank, func(a, b contact.Contact) bool { return a.ID == b.ID }) {
						t.Errorf("temperature desc=%v is not the rank order (reversed when ascending)", desc)
					}
					return
				}
				for i := 1; i < len(got); i++ {
					prev, c := got[i-1], got[i]
					// Contacts without a name (contact column) or a date come
					// last, ascending or descending.
					if col == "contact" && (prev.Name == "") != (c.Name == "") {
						if prev.Name == "" {
							t.Errorf("nameless %s before named %s", prev.Email, c.Email)
						}
						continue
					}
					if missing := missingDate(col); missing != nil && missing(prev) != missing(c) {
						if missing(prev) {
							t.Errorf("%s without %s before %s", prev.Email, col, c.Email)
						}
						continue
					}
					d := sortValue(prev, col)(c)
					if desc {
						d = -d
					}
					if d > 0 {
						t.Errorf("%s before %s out of %s order", prev.Email, c.Email, col)
					}
					if d == 0 && rankCompare(prev, c) > 0 {
						t.Errorf("tie on %s: %s before %s is not rank order", col, prev.Email, c.Email)
					}
				}
				// The same query gives the same order every time.
				if again := contactsOf(t, s, q); !slices.EqualFunc(got, again, func(a, b contact.Contact) bool { return a.ID == b.ID }) {
					t.Error("the order changed between two runs")
				}
			})
		}
	}
}

func TestPagesUnderEverySortAreDisjointAndCoverEveryone(t *testing.T) {
	s := tableFixture(t)
	sorts := []*Sort{nil}
	for _, col := range sortedKeys(sortColumns) {
		sorts = append(sorts, &Sort{Column: col}, &Sort{Column: col, Desc: true})
	}
	for _, sort := range sorts {
		for _, q := range []Query{{All: true}, {}, {Quick: Quick{HasName: true}}, {Filters: []Filter{{Column: "occurrence", Op: "gte", Value: "1"}}}} {
			q.Sort = sort
			all := emails(t, s, q)
			for _, size := range []int{1, 2, 3, 5} {
				var paged []string
				for offset := 0; offset < len(all)+size; offset += size {
					q.Limit, q.Offset = size, offset
					page := emails(t, s, q)
					if len(page) > size {
						t.Fatalf("sort %+v: page of %d at %d has %d", sort, size, offset, len(page))
					}
					paged = append(paged, page...)
				}
				if !slices.Equal(paged, all) {
					t.Errorf("sort %+v, pages of %d: %v\nwant %v", sort, size, paged, all)
				}
				q.Limit = size
				if n, err := s.CountContacts(context.Background(), q); err != nil || n != len(all) {
					t.Errorf("sort %+v: count of a page %d, %v; want %d", sort, n, err, len(all))
				}
				q.Limit, q.Offset = 0, 0
			}
		}
	}
}

func TestSortingByTemperatureDescendingIsTheRankOrder(t *testing.T) {
	s := tableFixture(t)
	for _, q := range []Query{{}, {All: true}, {Quick: Quick{HasName: true}}} {
		rank := emails(t, s, q)
		q.Sort = &Sort{Column: "temperature", Desc: true}
		if got := emails(t, s, q); !slices.Equal(got, rank) {
			t.Errorf("temperature descending %v\nrank order %v", got, rank)
		}
	}
	// The fixture has ties the address breaks against the id order.
	rank := emails(t, s, Query{})
	if slices.Index(rank, danNum) > slices.Index(rank, danPct) {
		t.Errorf("rank order %v: %s should come before %s", rank, danNum, danPct)
	}
}

func TestContactSortPutsNamelessContactsLast(t *testing.T) {
	s := tableFixture(t)
	named := []string{aaron, ada, backsl, backs, bob, danPct, danNum, eveUnd, eveX}
	nameless := []string{carol, undated} // in rank order
	asc := emails(t, s, Query{Sort: &Sort{Column: "contact"}})
	if want := append(slices.Clone(named), nameless...); !slices.Equal(asc, want) {
		t.Errorf("contact ascending:\n got %v\nwant %v", asc, want)
	}
	desc := emails(t, s, Query{Sort: &Sort{Column: "contact", Desc: true}})
	reversed := slices.Clone(named)
	slices.Reverse(reversed)
	if want := append(reversed, nameless...); !slices.Equal(desc, want) {
		t.Errorf("contact descending:\n got %v\nwant %v", desc, want)
	}
	// The plain name column sorts the empty name first, as SQL does.
	if got := emails(t, s, Query{Sort: &Sort{Column: "name"}}); !slices.Equal(got[:2], nameless) {
		t.Errorf("name ascending starts %v, want the nameless", got[:2])
	}
}

func TestIDsRestrictTheQuery(t *testing.T) {
	s := tableFixture(t)
	id := func(e string) int64 { return idOf(t, s, e) }
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"nil means no restriction", Query{IDs: nil}, visible},
		{"empty means nobody", Query{IDs: []int64{}}, nil},
		{"some", Query{IDs: []int64{id(ada), id(carol)}}, []string{ada, carol}},
		{"duplicates", Query{IDs: []int64{id(ada), id(ada)}}, []string{ada}},
		{"unknown ids are ignored", Query{IDs: []int64{id(bob), 99999, -1}}, []string{bob}},
		{"hidden stays hidden", Query{IDs: []int64{id(news), id(bob)}}, []string{bob}},
		{"hidden with all", Query{IDs: []int64{id(news), id(bob)}, All: true}, []string{bob, news}},
		{"hidden with show hidden", Query{IDs: []int64{id(news)}, Quick: Quick{ShowHidden: true}}, []string{news}},
		{"and filters", Query{IDs: []int64{id(ada), id(bob), id(carol)}, Quick: Quick{HasPhone: true}}, []string{ada, carol}},
		{"and search", Query{IDs: []int64{id(ada), id(bob)}, Search: "stone"}, []string{bob}},
		{"and column filter", Query{IDs: []int64{id(ada), id(bob)}, Filters: []Filter{{Column: "status", Op: "in", Values: []string{"RISKY"}}}}, []string{bob}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := selects(t, s, tt.q), sorted(tt.want); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	// With a page and a sort.
	q := Query{IDs: []int64{id(ada), id(bob), id(carol)}, Sort: &Sort{Column: "email"}, Limit: 2, Offset: 1}
	if got := emails(t, s, q); !slices.Equal(got, []string{bob, carol}) {
		t.Errorf("page of ids: %v", got)
	}
}

func TestExceptIDsLeaveContactsOut(t *testing.T) {
	s := tableFixture(t)
	id := func(e string) int64 { return idOf(t, s, e) }
	without := func(list []string, drop ...string) []string {
		return slices.DeleteFunc(slices.Clone(list), func(e string) bool { return slices.Contains(drop, e) })
	}
	tests := []struct {
		name string
		q    Query
		want []string
	}{
		{"empty leaves everyone", Query{ExceptIDs: []int64{}}, visible},
		{"some", Query{ExceptIDs: []int64{id(ada), id(carol)}}, without(visible, ada, carol)},
		{"unknown ids change nothing", Query{ExceptIDs: []int64{99999, -1}}, visible},
		{"and a filter", Query{ExceptIDs: []int64{id(ada)}, Quick: Quick{HasPhone: true}}, []string{carol}},
		{"and ids", Query{IDs: []int64{id(ada), id(bob)}, ExceptIDs: []int64{id(ada)}}, []string{bob}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got, want := selects(t, s, tt.q), sorted(tt.want); !slices.Equal(got, want) {
				t.Errorf("got %v, want %v", got, want)
			}
		})
	}
	a, _ := Query{ExceptIDs: []int64{id(ada)}}.ViewKey()
	b, _ := Query{}.ViewKey()
	if a == b {
		t.Error("a query leaving someone out shares its cached view with one that does not")
	}
}

// Every combination of toggles, with and without column filters, a search
// and ids: the count is the number of rows listed, and ContactIDs selects
// those rows whatever the page and sort.
func TestCountAndIDsAgreeWithTheListForEveryCombination(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	some := []int64{idOf(t, s, ada), idOf(t, s, carol), idOf(t, s, news), idOf(t, s, undated)}
	filterSets := [][]Filter{
		nil,
		{{Column: "occurrence", Op: "gte", Value: "1"}},
		{{Column: "status", Op: "in", Values: []string{"UNVERIFIED", "VALID"}}, {Column: "contact", Op: "contains", Value: "a"}},
		{{Column: "recency", Op: "after", Value: "2024-03-03"}, {Column: "tags", Op: "in", Values: []string{"professional"}}},
	}
	checked := 0
	for mask := range 1 << 8 {
		quick := Quick{HideUnreachable: mask&1 != 0, HideUnsubscribed: mask&2 != 0, Recent: mask&4 != 0, Replied: mask&8 != 0,
			HasName: mask&16 != 0, HasPhone: mask&32 != 0, HasJob: mask&64 != 0, ShowHidden: mask&128 != 0}
		for fi, filters := range filterSets {
			for _, search := range []string{"", "a"} {
				for _, ids := range [][]int64{nil, some} {
					if (search != "" || ids != nil) && fi > 1 {
						continue
					}
					q := Query{Quick: quick, Filters: filters, Search: search, IDs: ids, Now: tableNow}
					var listed []int64
					if err := s.ListContacts(ctx, q, func(c contact.Contact) error {
						listed = append(listed, c.ID)
						return nil
					}); err != nil {
						t.Fatal(err)
					}
					n, err := s.CountContacts(ctx, q)
					if err != nil || n != len(listed) {
						t.Errorf("%+v: count %d, %v; list %d", q, n, err, len(listed))
					}
					q.Limit, q.Offset, q.Sort = 1, 1, &Sort{Column: "email", Desc: true}
					got, err := s.ContactIDs(ctx, q)
					if err != nil {
						t.Fatal(err)
					}
					slices.Sort(got)
					slices.Sort(listed)
					if !slices.Equal(got, listed) {
						t.Errorf("%+v: ContactIDs %v, list %v", q, got, listed)
					}
					checked++
				}
			}
		}
	}
	if checked < 1000 {
		t.Errorf("only %d combinations checked", checked)
	}
}

// "Hide unsubscribed" is computed as one set for speed; it must agree with
// the consent status each contact shows, whatever the ledger's history.
func TestHideUnsubscribedAgreesWithTheConsentStatus(t *testing.T) {
	s := tableFixture(t)
	ctx := context.Background()
	histories := map[string][]string{
		ada:    {"withdrawn"},
		bob:    {"withdrawn", "granted"},
		carol:  {"granted", "objected"},
		danPct: {"objected", "granted", "restricted", "withdrawn"},
		danNum: {"restricted"},
		eveUnd: {"granted"},
		eveX:   {"objected", "objected", "granted", "rectified"},
	}
	want := map[string]string{ada: "opt_out", bob: "opt_in", carol: "opt_out", danPct: "opt_out", danNum: "legitimate_interest",
		eveUnd: "opt_in", eveX: "opt_in"}
	for email, actions := range histories {
		for _, a := range actions {
			if err := s.AppendLedger(ctx, LedgerEntry{Subject: s.Subject(email), Basis: "consent", Purpose: "test", Action: a,
				Actor: "test", At: tableNow, PolicyVersion: "1"}); err != nil {
				t.Fatal(err)
			}
		}
	}
	status := map[string]string{}
	s.ListContacts(ctx, Query{}, func(c contact.Contact) error { status[c.Email] = c.ConsentStatus; return nil })
	var kept []string
	for email, st := range status {
		if w, ok := want[email]; ok && st != w {
			t.Errorf("%s: consent %s, want %s", email, st, w)
		}
		if st != contact.ConsentOptOut {
			kept = append(kept, email)
		}
	}
	if got := selects(t, s, Query{Quick: Quick{HideUnsubscribed: true}}); !slices.Equal(got, sorted(kept)) {
		t.Errorf("hide unsubscribed keeps %v, want %v", got, sorted(kept))
	}
}

// The default view and the contact column are read from their covering
// indexes, never the table: a change to order() or where() that loses
// that makes the 100,000-contact table slow again (make bench).
func TestTheMainViewsReadOnlyTheirIndexes(t *testing.T) {
	s := tableFixture(t)
	defaults := Quick{HideUnreachable: true, HideUnsubscribed: true}
	for _, tc := range []struct {
		q     Query
		index string
	}{
		{Query{Quick: defaults}, "contacts_rank"},
		{Query{Quick: Quick{HideUnreachable: true, Replied: true}}, "contacts_rank"},
		{Query{Quick: defaults, Sort: &Sort{Column: "temperature", Desc: true}}, "contacts_rank"},
		{Query{Quick: defaults, Sort: &Sort{Column: "contact"}}, "contacts_by_contact"},
		{Query{Quick: defaults, Sort: &Sort{Column: "contact", Desc: true}}, "contacts_by_contact"},
	} {
		where, args, err := tc.q.where()
		if err != nil {
			t.Fatal(err)
		}
		order, _ := tc.q.order()
		rows, err := s.db.Query("EXPLAIN QUERY PLAN SELECT c.id FROM contacts c"+where+order, args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			rows.Scan(&id, &parent, &unused, &detail)
			plan = append(plan, detail)
		}
		rows.Close()
		if !strings.Contains(plan[0], "COVERING INDEX "+tc.index) {
			t.Errorf("%+v %+v: plan %q; want the covering index %s first", tc.q.Quick, tc.q.Sort, plan, tc.index)
		}
	}
}
