package store

import (
	"context"
	"slices"
	"strings"
	"testing"

	"leadminer/backend/contact"
)

// searchFixture stores a few people with names, alternates and enrichment
// fields, plus a hidden newsletter.
func searchFixture(t testing.TB) *Store {
	t.Helper()
	s := openTestStore(t)
	f := newFixture(t, s)
	f.write(
		mail{key: "m1", date: at(0), who: []seen{from("jordan.reyes@northwind.test", "Jordan Reyes"), to("fdupre@atelier.test", "François Dupré")}},
		mail{key: "m2", date: at(1), who: []seen{from("nina@bluepeak.test", "Nina Patel"), to("jb@werk.test", "Jürgen Baumann")}},
		mail{key: "m3", date: at(2), who: []seen{from("bob@acme.test", "Robert Stone"), to("j_smith@corp.test", "")}},
		mail{key: "m4", date: at(3), who: []seen{from("bob@acme.test", "Robert Stone"), to("orla@corp.test", "Orla Quinn")}},
		mail{key: "m5", date: at(4), who: []seen{from("bob@acme.test", "Bobby Tables"), to("zm@studio.test", "Zoe\u0301 Marti\u0301n")}},
		mail{key: "m6", date: at(5), who: []seen{{email: "news@letters.test", name: "Weekly News", field: fieldFrom, tag: "newsletter"}}},
	)
	recompute(t, s, false)
	enrich := []struct{ email, worksFor, title, location string }{
		{"jordan.reyes@northwind.test", "Northwind Labs", "Engineering Manager", "London"},
		{"nina@bluepeak.test", "Bluepeak Analytics", "Data Scientist", "New York"},
		{"jb@werk.test", "Werkstatt GmbH", "Geschäftsführer", "München"},
	}
	for _, e := range enrich {
		if _, err := s.db.Exec(`UPDATE contacts SET works_for = ?, job_title = ?, location = ? WHERE email = ?`,
			e.worksFor, e.title, e.location, e.email); err != nil {
			t.Fatal(err)
		}
	}
	recompute(t, s, true) // brings the search index up to date
	return s
}

func emails(t testing.TB, s *Store, q Query) []string {
	t.Helper()
	var out []string
	if err := s.ListContacts(context.Background(), q, func(c contact.Contact) error {
		out = append(out, c.Email)
		return nil
	}); err != nil {
		t.Fatalf("ListContacts(%+v): %v", q, err)
	}
	n, err := s.CountContacts(context.Background(), q)
	if err != nil {
		t.Fatalf("CountContacts(%+v): %v", q, err)
	}
	if q.Limit == 0 && q.Offset == 0 && n != len(out) {
		t.Errorf("CountContacts(%+v) = %d, ListContacts gives %d", q, n, len(out))
	}
	return out
}

func TestSearchMatchesEveryTextField(t *testing.T) {
	s := searchFixture(t)
	tests := []struct {
		name   string
		search string
		all    bool
		want   []string
	}{
		{"name", "jordan", false, []string{"jordan.reyes@northwind.test"}},
		{"family name", "Reyes", false, []string{"jordan.reyes@northwind.test"}},
		{"case", "JORDAN", false, []string{"jordan.reyes@northwind.test"}},
		{"prefix", "jor", false, []string{"jordan.reyes@northwind.test"}},
		{"email local part", "fdupre", false, []string{"fdupre@atelier.test"}},
		{"email domain", "bluepeak", false, []string{"nina@bluepeak.test"}},
		{"whole address", "nina@bluepeak.test", false, []string{"nina@bluepeak.test"}},
		{"underscore address", "j_smith", false, []string{"j_smith@corp.test"}},
		{"works for", "analytics", false, []string{"nina@bluepeak.test"}},
		{"job title", "scientist", false, []string{"nina@bluepeak.test"}},
		{"location", "london", false, []string{"jordan.reyes@northwind.test"}},
		{"location two words", "new york", false, []string{"nina@bluepeak.test"}},
		{"alternate name", "bobby", false, []string{"bob@acme.test"}},
		{"preferred over alternate", "robert", false, []string{"bob@acme.test"}},
		{"without diacritics", "francois", false, []string{"fdupre@atelier.test"}},
		{"with diacritics", "François", false, []string{"fdupre@atelier.test"}},
		{"diacritics elsewhere", "dupre", false, []string{"fdupre@atelier.test"}},
		{"umlaut", "jurgen", false, []string{"jb@werk.test"}},
		{"decomposed name, plain search", "zoe martin", false, []string{"zm@studio.test"}},
		{"decomposed name, composed search", "Zoé Martín", false, []string{"zm@studio.test"}},
		{"decomposed name, decomposed search", "Zoe\u0301", false, []string{"zm@studio.test"}},
		{"umlaut in title", "geschaftsfuhrer", false, []string{"jb@werk.test"}},
		{"umlaut in location", "Munchen", false, []string{"jb@werk.test"}},
		{"every word must match", "jordan london", false, []string{"jordan.reyes@northwind.test"}},
		{"words in different fields", "nina data", false, []string{"nina@bluepeak.test"}},
		{"one word does not match", "jordan york", false, nil},
		{"two people", "jordan nina", false, nil},
		{"hidden without all", "weekly", false, nil},
		{"hidden with all", "weekly", true, []string{"news@letters.test"}},
		{"no match", "zzzz", false, nil},
		{"punctuation around words", "  (jordan),  ", false, []string{"jordan.reyes@northwind.test"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := emails(t, s, Query{Search: tt.search, All: tt.all})
			if !slices.Equal(got, tt.want) {
				t.Errorf("search %q: %v, want %v", tt.search, got, tt.want)
			}
		})
	}
}

func TestEmptySearchListsEveryone(t *testing.T) {
	s := searchFixture(t)
	all := emails(t, s, Query{})
	for _, search := range []string{"", " ", "\t\n"} {
		if got := emails(t, s, Query{Search: search}); !slices.Equal(got, all) {
			t.Errorf("search %q: %v, want everyone %v", search, got, all)
		}
	}
}

func TestHostileSearchesNeverFailNorMatchEveryone(t *testing.T) {
	s := searchFixture(t)
	ctx := context.Background()
	total, _ := s.CountContacts(ctx, Query{All: true})
	for _, search := range []string{
		`"`, `""`, `"jordan`, `jordan"`, `'`, `''`, `*`, `**`, `jor*`, `*jor`,
		`NEAR(`, `NEAR(jordan nina)`, `NEAR(jordan nina, 2)`, `OR`, `jordan OR nina`, `AND`, `NOT`, `NOT jordan`,
		`jordan NOT nina`, `-`, `-jordan`, `--`, `:`, `name:jordan`, `email:`, `{name email}:jordan`, `^`, `^jordan`,
		`(`, `)`, `()`, `(jordan`, `+`, `+jordan`, `.`, `@`, `%`, `_`, `__`, `\`, `\"`, "\x00", "jordan\x00",
		`'; DROP TABLE contacts; --`, `" OR 1=1 --`, `') OR ('1'='1`, `%' OR '%'='`, `rowid:1`, `contacts_fts`,
		strings.Repeat("a ", 300), strings.Repeat("(", 100), "🙂", "…", "\u0301", "\uFFFD", string([]byte{0xff, 0xfe}),
	} {
		var n int
		err := s.ListContacts(ctx, Query{All: true, Search: search}, func(contact.Contact) error {
			n++
			return nil
		})
		if err != nil {
			t.Errorf("search %q: %v", search, err)
			continue
		}
		if n == total {
			t.Errorf("search %q matches every contact", search)
		}
		if c, err := s.CountContacts(ctx, Query{All: true, Search: search}); err != nil || c != n {
			t.Errorf("search %q: count %d, %v; list %d", search, c, err, n)
		}
	}
	if n, _ := s.CountContacts(ctx, Query{All: true}); n != total {
		t.Errorf("%d contacts after the hostile searches, %d before", n, total)
	}
}

func TestHiddenContactsOnlyWithAll(t *testing.T) {
	s := searchFixture(t)
	visible := emails(t, s, Query{})
	all := emails(t, s, Query{All: true})
	if slices.Contains(visible, "news@letters.test") {
		t.Error("a hidden contact is listed by default")
	}
	if !slices.Contains(all, "news@letters.test") || len(all) != len(visible)+1 {
		t.Errorf("all %v, visible %v", all, visible)
	}
	counts, err := s.Count(context.Background())
	if err != nil || counts.Contacts != len(all) || counts.Visible != len(visible) || counts.Messages != 6 {
		t.Errorf("Count() = %+v, %v; want %d contacts, %d visible, 6 messages", counts, err, len(all), len(visible))
	}
}

func TestContactsAreRankedHottestFirstWithStableTies(t *testing.T) {
	s := searchFixture(t)
	var prev *contact.Contact
	err := s.ListContacts(context.Background(), Query{All: true}, func(c contact.Contact) error {
		if prev != nil {
			if c.Temperature > prev.Temperature ||
				c.Temperature == prev.Temperature && c.Occurrence > prev.Occurrence {
				t.Errorf("%s (%d, %d) after %s (%d, %d)", c.Email, c.Temperature, c.Occurrence,
					prev.Email, prev.Temperature, prev.Occurrence)
			}
		}
		prev = &c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPagesAreStableAndDisjoint(t *testing.T) {
	s := searchFixture(t)
	all := emails(t, s, Query{All: true})
	for _, size := range []int{1, 2, 3, 4, len(all), len(all) + 5} {
		var paged []string
		for offset := 0; offset < len(all)+size; offset += size {
			page := emails(t, s, Query{All: true, Limit: size, Offset: offset})
			if len(page) > size {
				t.Fatalf("page of %d at %d has %d contacts", size, offset, len(page))
			}
			if again := emails(t, s, Query{All: true, Limit: size, Offset: offset}); !slices.Equal(page, again) {
				t.Errorf("page of %d at %d: %v then %v", size, offset, page, again)
			}
			paged = append(paged, page...)
		}
		if !slices.Equal(paged, all) {
			t.Errorf("pages of %d give %v, want %v (each once, in order)", size, paged, all)
		}
	}
	// A page's count is the query's, not the page's.
	if n, _ := s.CountContacts(context.Background(), Query{All: true, Limit: 2, Offset: 1}); n != len(all) {
		t.Errorf("count of a page %d, want %d", n, len(all))
	}
	// An offset without a limit skips as much.
	if got := emails(t, s, Query{All: true, Offset: 2}); !slices.Equal(got, all[2:]) {
		t.Errorf("offset 2 without limit: %v, want %v", got, all[2:])
	}
}

func TestListContactsStopsOnTheCallbacksError(t *testing.T) {
	s := searchFixture(t)
	stop := errStop("stop")
	n := 0
	err := s.ListContacts(context.Background(), Query{All: true}, func(contact.Contact) error {
		n++
		return stop
	})
	if err != stop || n != 1 {
		t.Errorf("callback error: got %v after %d calls, want it after 1", err, n)
	}
}

type errStop string

func (e errStop) Error() string { return string(e) }

func TestStoredContactHasEmptyListsNotNil(t *testing.T) {
	s := searchFixture(t)
	c, err := s.ContactByEmail(context.Background(), "j_smith@corp.test")
	if err != nil {
		t.Fatal(err)
	}
	for name, l := range map[string][]string{"alternate_names": c.AlternateNames, "alternate_emails": c.AlternateEmails,
		"telephone": c.Telephone, "same_as": c.SameAs, "tags": c.Tags, "sources": c.Sources} {
		if l == nil {
			t.Errorf("%s is nil", name)
		}
	}
	if c.ConsentStatus != contact.ConsentLegitimateInterest {
		t.Errorf("consent %q", c.ConsentStatus)
	}
}
