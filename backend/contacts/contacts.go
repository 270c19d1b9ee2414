// Package contacts derives each contact's preferred name, alternates, tags
// and temperature from the store's occurrences, and serves ranked lists of
// contacts to the CLI and the desktop app.
package contacts

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"leadminer/backend/classify"
	"leadminer/backend/contact"
	"leadminer/backend/rank"
	"leadminer/backend/store"
)

// Service reads and maintains contacts.
type Service struct {
	Store *store.Store
	Now   func() time.Time

	mu sync.Mutex
	// refreshed is the day temperatures were last brought up to date.
	refreshed string
	// views caches the ordered ids of recent table queries.
	views []view
}

type view struct {
	key        string
	generation uint64
	ids        []int64
}

// maxViews bounds the cache: a few recent queries, each 8 bytes a contact.
const maxViews = 4

// New returns a service on a store.
func New(st *store.Store) *Service {
	return &Service{Store: st, Now: time.Now}
}

func day(t time.Time) string { return t.UTC().Format(time.DateOnly) }

// Recompute rebuilds the contacts with new occurrences (every contact when
// all is set) from their occurrences, and returns how many.
func (s *Service) Recompute(ctx context.Context, all bool) (int, error) {
	meKnown, err := s.Store.MeKnown(ctx)
	if err != nil {
		return 0, err
	}
	// Learning the user's addresses changes every contact's temperature.
	known := strconv.FormatBool(meKnown)
	if prev, err := s.Store.Setting(ctx, "me_known"); err != nil {
		return 0, err
	} else if prev != known {
		all = true
		if err := s.Store.SetSetting(ctx, "me_known", known); err != nil {
			return 0, err
		}
	}
	now := s.Now()
	return s.Store.Recompute(ctx, all, day(now), func(a *store.Aggregate) store.Derived {
		return Derive(a, meKnown, now)
	})
}

// Refresh recomputes temperatures computed on an earlier day, so a contact
// not heard from cools down without re-mining.
func (s *Service) Refresh(ctx context.Context) error {
	now := s.Now()
	today := day(now)
	s.mu.Lock()
	done := s.refreshed == today
	s.mu.Unlock()
	if done {
		return nil // once a day is enough: scores move by the day
	}
	meKnown, err := s.Store.MeKnown(ctx)
	if err != nil {
		return err
	}
	_, err = s.Store.RefreshTemperatures(ctx, today, func(st store.ContactStats) int {
		return rank.Temperature(rankStats(st, st.Tags, meKnown), now)
	})
	if err != nil {
		return fmt.Errorf("refresh temperatures: %w", err)
	}
	s.mu.Lock()
	s.refreshed = today
	s.mu.Unlock()
	return nil
}

// List streams contacts in rank order, with today's temperatures.
func (s *Service) List(ctx context.Context, q store.Query, fn func(contact.Contact) error) error {
	if err := s.Refresh(ctx); err != nil {
		return err
	}
	return s.Store.ListContacts(ctx, q, fn)
}

// Page is one page of contacts and the total the query selects.
type Page struct {
	Total    int               `json:"total"`
	Contacts []contact.Contact `json:"contacts"`
}

// Page returns one page of a query. The query's ordered ids are computed
// once and kept while the store does not change, so scrolling through
// 100,000 contacts reads only the rows shown.
func (s *Service) Page(ctx context.Context, q store.Query) (Page, error) {
	if err := s.Refresh(ctx); err != nil {
		return Page{}, err
	}
	ids, err := s.orderedIDs(ctx, q)
	if err != nil {
		return Page{}, err
	}
	p := Page{Total: len(ids), Contacts: []contact.Contact{}}
	start := min(max(q.Offset, 0), len(ids))
	end := len(ids)
	if q.Limit > 0 {
		end = min(start+q.Limit, len(ids))
	}
	if p.Contacts, err = s.Store.ContactsByIDs(ctx, ids[start:end]); err != nil {
		return Page{}, err
	}
	return p, nil
}

func (s *Service) orderedIDs(ctx context.Context, q store.Query) ([]int64, error) {
	key, err := q.ViewKey()
	if err != nil {
		return nil, err
	}
	gen := s.Store.Generation()
	s.mu.Lock()
	for i, v := range s.views {
		if v.key == key && v.generation == gen {
			// Most recently used first.
			copy(s.views[1:i+1], s.views[:i])
			s.views[0] = v
			s.mu.Unlock()
			return v.ids, nil
		}
	}
	s.mu.Unlock()
	ids, err := s.Store.OrderedIDs(ctx, q)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.views = append([]view{{key, gen, ids}}, s.views...)
	if len(s.views) > maxViews {
		s.views = s.views[:maxViews]
	}
	s.mu.Unlock()
	return ids, nil
}

func rankStats(st store.ContactStats, tags []string, meKnown bool) rank.Stats {
	return rank.Stats{
		Sender: st.Sender, Recipient: st.Recipient, Conversations: st.Conversations,
		RepliedConversations: st.RepliedConversations, WrittenTo: st.WrittenTo, Personal: st.Personal,
		MeKnown: meKnown, Recency: st.Recency, Seniority: st.Seniority, Bulk: classify.Bulk(tags),
	}
}

// Derive computes what is stored for a contact from its aggregate.
func Derive(a *store.Aggregate, meKnown bool, now time.Time) store.Derived {
	var d store.Derived
	d.Name, d.AlternateNames = preferredName(a.Names)
	d.AlternateEmails = slices.Clone(a.PlusAddresses)
	addressTags := classify.AddressTags(a.Email, d.Name)
	final := classify.Combine(addressTags, a.HeaderTagCounts, a.SenderOccurrences)
	names := make([]string, 0, len(final))
	for _, t := range final {
		source := store.TagFromHeaders
		if slices.Contains(addressTags, t) {
			source = store.TagFromAddress
		}
		d.Tags = append(d.Tags, store.Tag{Name: t, Reachable: int(classify.Reachable(t)), Source: source})
		names = append(names, t)
	}
	d.Hidden = classify.HiddenByDefault(names)
	d.Temperature = rank.Temperature(rankStats(a.ContactStats, names, meKnown), now)
	return d
}

// preferredName picks the most frequent name, then the most recent, and
// lists the others once each (case-insensitively), most frequent first.
func preferredName(names []store.NameSighting) (string, []string) {
	if len(names) == 0 {
		return "", nil
	}
	sorted := slices.Clone(names)
	slices.SortStableFunc(sorted, func(a, b store.NameSighting) int {
		if a.Count != b.Count {
			return b.Count - a.Count
		}
		if c := b.LastSeen.Compare(a.LastSeen); c != 0 {
			return c
		}
		return strings.Compare(a.Name, b.Name)
	})
	preferred := sorted[0].Name
	seen := map[string]bool{strings.ToLower(preferred): true}
	var alternates []string
	for _, n := range sorted[1:] {
		k := strings.ToLower(n.Name)
		if seen[k] {
			continue
		}
		seen[k] = true
		alternates = append(alternates, n.Name)
	}
	return preferred, alternates
}

// Detail is one contact with where it was seen.
type Detail struct {
	Contact contact.Contact
	Seen    []store.Sighting
}

// Detail returns a contact and its sightings.
func (s *Service) Detail(ctx context.Context, id int64) (Detail, error) {
	c, err := s.Store.ContactByID(ctx, id)
	if err != nil {
		return Detail{}, err
	}
	seen, err := s.Store.Sightings(ctx, id)
	return Detail{Contact: c, Seen: seen}, err
}

// Update edits a contact and returns it as stored.
func (s *Service) Update(ctx context.Context, id int64, p store.Patch) (contact.Contact, error) {
	if err := s.Store.UpdateContact(ctx, id, p); err != nil {
		return contact.Contact{}, err
	}
	return s.Store.ContactByID(ctx, id)
}

// Resolve turns a selection into ids: the given ones, else every contact
// the query selects.
func (s *Service) Resolve(ctx context.Context, ids []int64, q store.Query) ([]int64, error) {
	if len(ids) > 0 {
		return ids, nil
	}
	return s.Store.ContactIDs(ctx, q)
}

// Remove deletes contacts and everything about them.
func (s *Service) Remove(ctx context.Context, ids []int64) (int, error) {
	return s.Store.DeleteContacts(ctx, ids)
}
