// Package privacy turns the privacy policy's promises into mechanisms: the
// consent ledger (append-only, per person), the Do Not Mine Me suppression
// list, the rights of the people in the mailbox (access and portability,
// rectification, erasure, restriction, objection, withdrawal), retention
// and "delete all my data". People are named by their subject — a keyed
// hash of their normalised address — wherever they may have been erased.
package privacy

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"leadminer/backend/contact"
	"leadminer/backend/contacts"
	"leadminer/backend/egress"
	"leadminer/backend/extract"
	"leadminer/backend/store"
)

// PolicyVersion is the privacy notice the ledger entries refer to.
const PolicyVersion = "2026-11"

// Lawful bases.
const (
	BasisLegitimateInterest = "legitimate_interest"
	BasisConsent            = "consent"
	BasisContract           = "contract"
	BasisNone               = "none"
)

// Ledger actions.
const (
	ActionGranted    = "granted"
	ActionWithdrawn  = "withdrawn"
	ActionObjected   = "objected"
	ActionRestricted = "restricted"
	ActionRectified  = "rectified"
	ActionErased     = "erased"
)

// Purposes a contact's data can be used for.
const (
	PurposeMining       = "contact list"
	PurposeCampaigns    = "campaigns"
	PurposeEnrichment   = "enrichment"
	PurposeVerification = "verification"
)

// Service exercises rights and keeps the lists.
type Service struct {
	Store    *store.Store
	Contacts *contacts.Service
	Now      func() time.Time
	// Actor is who acts (the app's user); recorded in the ledger.
	Actor string
}

// New returns the service.
func New(st *store.Store) *Service {
	return &Service{Store: st, Contacts: contacts.New(st), Now: time.Now, Actor: "the mailbox owner"}
}

// ErrNotAnAddress is returned for input that is neither an address nor @domain.
var ErrNotAnAddress = errors.New("not an email address or @domain")

// Target is a normalised address, or a domain ("@example.com").
type Target struct {
	Address string
	Domain  string
}

// ParseTarget reads "someone@example.com" or "@example.com".
func ParseTarget(s string) (Target, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "@") {
		if email, _, ok := extract.NormalizeAddress("x" + s); ok {
			return Target{Domain: email[strings.IndexByte(email, '@')+1:]}, nil
		}
		return Target{}, fmt.Errorf("%q: %w", s, ErrNotAnAddress)
	}
	email, _, ok := extract.NormalizeAddress(s)
	if !ok {
		return Target{}, fmt.Errorf("%q: %w", s, ErrNotAnAddress)
	}
	return Target{Address: email}, nil
}

func (t Target) key() string {
	if t.Domain != "" {
		return "@" + t.Domain
	}
	return t.Address
}

func (t Target) kind() string {
	if t.Domain != "" {
		return "domain"
	}
	return "address"
}

// Subject is the keyed hash that names a target in the privacy tables.
func (s *Service) Subject(t Target) string { return s.Store.Subject(t.key()) }

// ---- suppression ---------------------------------------------------------------

// Suppress adds an address or a domain to Do Not Mine Me.
func (s *Service) Suppress(ctx context.Context, t Target, reason string) error {
	return s.Store.Suppress(ctx, store.Suppression{Subject: s.Subject(t), Kind: t.kind(), Reason: reason, AddedAt: s.Now()})
}

// Import reads addresses and @domains, one per line (commas and
// semicolons separate too, # starts a comment), and suppresses them.
func (s *Service) Import(ctx context.Context, r io.Reader, reason string) (added int, bad []string, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		for _, item := range listItems(line) {
			t, err := ParseTarget(item)
			if err != nil {
				bad = append(bad, item)
				continue
			}
			if err := s.Suppress(ctx, t, reason); err != nil {
				return added, bad, err
			}
			added++
		}
	}
	return added, bad, sc.Err()
}

// listItems splits a line of a list: entries separated by commas,
// semicolons or tabs; "Name <address>" gives the address; an entry of
// several addresses separated by spaces gives each, while a phrase stays one
// entry, so it is reported as a whole.
func listItems(line string) []string {
	var items []string
	for _, entry := range strings.FieldsFunc(line, func(r rune) bool { return r == ',' || r == ';' || r == '\t' }) {
		entry = strings.TrimSpace(entry)
		if entry == "" {
			continue
		}
		if i, j := strings.LastIndexByte(entry, '<'), strings.LastIndexByte(entry, '>'); i >= 0 && j > i {
			items = append(items, entry[i+1:j])
			continue
		}
		words := strings.Fields(entry)
		every := len(words) > 1
		for _, w := range words {
			every = every && strings.Contains(w, "@")
		}
		if every {
			items = append(items, words...)
		} else {
			items = append(items, entry)
		}
	}
	return items
}

// Suppressor answers "is this canonical address suppressed?" from a
// snapshot of the list; mining builds one per run.
type Suppressor struct {
	set   map[string]bool
	store *store.Store
}

// Suppressor loads the list.
func (s *Service) Suppressor(ctx context.Context) (*Suppressor, error) {
	set, err := s.Store.SuppressedSubjects(ctx)
	if err != nil {
		return nil, err
	}
	return &Suppressor{set: set, store: s.Store}, nil
}

// Suppressed reports whether an address (or its domain) is on the list.
func (p *Suppressor) Suppressed(email string) bool {
	if p == nil || len(p.set) == 0 {
		return false
	}
	if p.set[p.store.Subject(email)] {
		return true
	}
	if at := strings.LastIndexByte(email, '@'); at >= 0 {
		return p.set[p.store.Subject(email[at:])]
	}
	return false
}

// ---- rights --------------------------------------------------------------------

func (s *Service) record(ctx context.Context, t Target, basis, purpose, action string, evidence map[string]any) error {
	return s.Store.AppendLedger(ctx, store.LedgerEntry{Subject: s.Subject(t), Basis: basis, Purpose: purpose,
		Action: action, Source: "request", Evidence: evidence, Actor: s.Actor, At: s.Now(), PolicyVersion: PolicyVersion})
}

// Restrict keeps the contact but excludes it from verification,
// enrichment and campaigns.
func (s *Service) Restrict(ctx context.Context, t Target, note string) error {
	return s.record(ctx, t, BasisLegitimateInterest, PurposeCampaigns+", "+PurposeEnrichment+", "+PurposeVerification,
		ActionRestricted, map[string]any{"note": note})
}

// Object records an objection (opt-out from campaigns and enrichment) and
// puts the person on Do Not Mine Me: they are not mined again.
func (s *Service) Object(ctx context.Context, t Target, note string) error {
	if err := s.record(ctx, t, BasisNone, PurposeCampaigns+", "+PurposeEnrichment, ActionObjected, map[string]any{"note": note}); err != nil {
		return err
	}
	return s.Suppress(ctx, t, "objection")
}

// Withdraw records the withdrawal of consent (opt-out).
func (s *Service) Withdraw(ctx context.Context, t Target, note string) error {
	return s.record(ctx, t, BasisConsent, PurposeCampaigns, ActionWithdrawn, map[string]any{"note": note})
}

// Grant records consent given (opt-in), lifting an earlier restriction.
func (s *Service) Grant(ctx context.Context, t Target, purpose, evidence string) error {
	return s.record(ctx, t, BasisConsent, purpose, ActionGranted, map[string]any{"evidence": evidence})
}

// Rectify edits a contact and records which fields changed.
func (s *Service) Rectify(ctx context.Context, id int64, p store.Patch) (contact.Contact, error) {
	c, err := s.Contacts.Update(ctx, id, p)
	if err != nil {
		return c, err
	}
	var fields []string
	for name, set := range map[string]bool{"name": p.Name != nil, "given_name": p.GivenName != nil, "family_name": p.FamilyName != nil,
		"alternate_names": p.AlternateNames != nil, "telephone": p.Telephone != nil, "works_for": p.WorksFor != nil,
		"job_title": p.JobTitle != nil, "location": p.Location != nil, "same_as": p.SameAs != nil} {
		if set {
			fields = append(fields, name)
		}
	}
	sort.Strings(fields) // the map's order is random; the ledger reads better sorted
	return c, s.record(ctx, Target{Address: c.Email}, BasisLegitimateInterest, PurposeMining, ActionRectified, map[string]any{"fields": fields})
}

// Erase removes every row about a person — contact, occurrences, tags,
// search index entries, message metadata no one else needs — with SQLite's
// secure delete and a checkpoint so nothing stays in free pages or the
// write-ahead log; puts them on Do Not Mine Me; and records the erasure
// under their subject only.
func (s *Service) Erase(ctx context.Context, t Target) (removed int, err error) {
	if t.Address != "" {
		if c, err := s.Store.ContactByEmail(ctx, t.Address); err == nil {
			if removed, err = s.Contacts.Remove(ctx, []int64{c.ID}); err != nil {
				return 0, err
			}
		} else if !errors.Is(err, store.ErrNotFound) {
			return 0, err
		}
		if _, err := s.Store.PurgeOrphanMessages(ctx); err != nil {
			return removed, err
		}
	}
	if err := s.Suppress(ctx, t, "erasure"); err != nil {
		return removed, err
	}
	if err := s.record(ctx, t, BasisNone, PurposeMining, ActionErased, map[string]any{"contacts_removed": removed}); err != nil {
		return removed, err
	}
	return removed, s.Store.Checkpoint(ctx)
}

// Allowed says whether a contact's data may be used for a purpose:
// restricted, objecting, withdrawn or suppressed people are out of
// campaigns, enrichment and verification.
func (s *Service) Allowed(ctx context.Context, c contact.Contact, purpose string, sup *Suppressor) bool {
	if purpose == PurposeMining {
		return !sup.Suppressed(c.Email)
	}
	return !c.Restricted && c.ConsentStatus != contact.ConsentOptOut && !sup.Suppressed(c.Email)
}

// Audience lists the contacts a purpose may use among those a query
// selects (a campaign's recipients, an enrichment batch).
func (s *Service) Audience(ctx context.Context, q store.Query, purpose string) ([]contact.Contact, error) {
	sup, err := s.Suppressor(ctx)
	if err != nil {
		return nil, err
	}
	var out []contact.Contact
	err = s.Contacts.List(ctx, q, func(c contact.Contact) error {
		if s.Allowed(ctx, c, purpose, sup) {
			out = append(out, c)
		}
		return nil
	})
	return out, err
}

// Gate adapts the store to the egress gate.
type gateStore struct{ *store.Store }

func (g gateStore) LogEgress(ctx context.Context, e egress.Event) error {
	return g.Store.LogEgress(ctx, store.EgressEvent{At: e.At, Subprocessor: e.Subprocessor, Purpose: e.Purpose,
		Records: e.Records, BytesOut: e.BytesOut, Outcome: e.Outcome, Subjects: e.Subjects})
}

// Gate returns the egress gate on this store.
func (s *Service) Gate() *egress.Gate { return egress.New(gateStore{s.Store}) }
