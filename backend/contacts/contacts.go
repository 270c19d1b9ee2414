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
	// building are the views being computed in the background, by key.
	building map[string]chan struct{}
}

type view struct {
	key        string
	generation uint64
	ids        []int64
}

// maxViews bounds the cache: a few recent queries, each 8 bytes a contact.
const maxViews = 4

// directPageDepth is how deep a page of a query not cached yet is read with
// LIMIT and OFFSET; deeper, sorting every row to skip them costs more than
// computing the query's ids (measured on 100,000 contacts).
const directPageDepth = 1000

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

// Page returns one page of a query. The first page of a query comes
// straight from SQLite (the page and a count) while the query's ordered ids
// are computed in the background and kept while the store does not change,
// so the pages that follow, down to the 100,000th contact, read only the
// rows shown.
func (s *Service) Page(ctx context.Context, q store.Query) (Page, error) {
	if err := s.Refresh(ctx); err != nil {
		return Page{}, err
	}
	key, err := q.ViewKey()
	if err != nil {
		return Page{}, err
	}
	gen := s.Store.Generation()
	ids, ok := s.cachedView(key, gen)
	if !ok && s.waitForView(ctx, key) {
		ids, ok = s.cachedView(key, gen)
	}
	if !ok {
		s.buildView(key, gen, q)
		if q.Offset < directPageDepth {
			return s.directPage(ctx, q)
		}
		// Deep in a new query SQL would sort down to the page anyway:
		// wait for the ids (the build may also have ended already).
		s.waitForView(ctx, key)
		if err := ctx.Err(); err != nil {
			return Page{}, err
		}
		if ids, ok = s.cachedView(key, gen); !ok {
			if ids, err = s.Store.OrderedIDs(ctx, q); err != nil {
				return Page{}, err
			}
		}
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

// directPage reads one page and the total with SQL alone.
func (s *Service) directPage(ctx context.Context, q store.Query) (Page, error) {
	p := Page{Contacts: []contact.Contact{}}
	var err error
	if p.Total, err = s.Store.CountContacts(ctx, q); err != nil {
		return Page{}, err
	}
	err = s.Store.ListContacts(ctx, q, func(c contact.Contact) error {
		p.Contacts = append(p.Contacts, c)
		return nil
	})
	if err != nil {
		return Page{}, err
	}
	return p, nil
}

// cachedView returns a query's ordered ids if they are known for this
// generation of the store.
func (s *Service) cachedView(key string, gen uint64) ([]int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, v := range s.views {
		if v.key == key && v.generation == gen {
			// Most recently used first.
			copy(s.views[1:i+1], s.views[:i])
			s.views[0] = v
			return v.ids, true
		}
	}
	return nil, false
}

// waitForView waits for a background build of the view, if one runs; it
// says whether there was one.
func (s *Service) waitForView(ctx context.Context, key string) bool {
	s.mu.Lock()
	done, ok := s.building[key]
	s.mu.Unlock()
	if !ok {
		return false
	}
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// Wait waits for the views being built in the background (before closing
// the store, and in benchmarks so one query's build does not slow the next).
func (s *Service) Wait() {
	if s == nil {
		return
	}
	for {
		s.mu.Lock()
		var done chan struct{}
		for _, d := range s.building {
			done = d
			break
		}
		s.mu.Unlock()
		if done == nil {
			return
		}
		<-done
	}
}

// buildView computes a query's ordered ids in the background, once. An
// error only leaves the view uncached: the next page tries again.
func (s *Service) buildView(key string, gen uint64, q store.Query) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.building[key]; ok {
		return
	}
	if s.building == nil {
		s.building = map[string]chan struct{}{}
	}
	done := make(chan struct{})
	s.building[key] = done
	go func() {
		ids, err := s.Store.OrderedIDs(context.Background(), q)
		s.mu.Lock()
		if err == nil {
			s.views = append([]view{{key, gen, ids}}, s.views...)
			if len(s.views) > maxViews {
				s.views = s.views[:maxViews]
			}
		}
		delete(s.building, key)
		s.mu.Unlock()
		close(done)
	}()
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
