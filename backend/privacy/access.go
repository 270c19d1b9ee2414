package privacy

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"leadminer/backend/contact"
	"leadminer/backend/store"
)

// Report answers an access (and portability) request: everything the store
// holds about one person, and a readable summary.
type Report struct {
	GeneratedAt    time.Time           `json:"generated_at"`
	Request        string              `json:"request"`
	Summary        string              `json:"summary"`
	Contact        *contact.Contact    `json:"contact"`
	Restricted     bool                `json:"restricted"`
	Suppressed     bool                `json:"do_not_mine"`
	Tags           []string            `json:"tags"`
	Seen           []store.Sighting    `json:"seen"`
	Occurrences    []store.Occurrence  `json:"occurrences"`
	ConsentHistory []store.LedgerEntry `json:"consent_history"`
	Egress         []store.EgressEvent `json:"egress"`
	// Source answers "where did you get my address?" (GDPR Art. 14).
	Source string `json:"source"`
}

// Access gathers the report for an address.
func (s *Service) Access(ctx context.Context, t Target) (Report, error) {
	r := Report{GeneratedAt: s.Now().UTC(), Request: t.key(), Tags: []string{}, Seen: []store.Sighting{}, Occurrences: []store.Occurrence{}}
	subject := s.Subject(t)
	var err error
	if r.ConsentHistory, err = s.Store.Ledger(ctx, subject); err != nil {
		return r, err
	}
	if r.Egress, err = s.Store.EgressLog(ctx, subject, 0); err != nil {
		return r, err
	}
	set, err := s.Store.SuppressedSubjects(ctx)
	if err != nil {
		return r, err
	}
	r.Suppressed = set[subject]
	if t.Address != "" {
		c, err := s.Store.ContactByEmail(ctx, t.Address)
		switch {
		case err == nil:
			r.Contact, r.Restricted, r.Tags = &c, c.Restricted, c.Tags
			if r.Seen, err = s.Store.Sightings(ctx, c.ID); err != nil {
				return r, err
			}
			if r.Occurrences, err = s.Store.ContactOccurrences(ctx, c.ID); err != nil {
				return r, err
			}
		case !errors.Is(err, store.ErrNotFound):
			return r, err
		}
	}
	r.Source = article14(r)
	r.Summary = summary(r)
	return r, nil
}

// article14 says where the data came from, as the answer to "where did you
// get my address?".
func article14(r Report) string {
	if r.Contact == nil {
		return "We hold no contact record for this address."
	}
	if len(r.Seen) == 0 {
		return "This contact was added without a message (an import or an edit)."
	}
	var places []string
	for _, g := range r.Seen {
		places = append(places, fmt.Sprintf("%d message(s) in %q of %s", g.Count, g.Folder, g.Source))
	}
	first := ""
	if r.Contact.Seniority != nil {
		first = " The first one is dated " + r.Contact.Seniority.Format(time.DateOnly) + "."
	}
	return "Your address appears in the headers (From, To, Cc…) of messages of our own mailbox: " +
		strings.Join(places, "; ") + "." + first + " We did not obtain it from you directly, nor from a third party."
}

func summary(r Report) string {
	var b strings.Builder
	if r.Contact == nil {
		b.WriteString("We hold no contact record for " + r.Request + ".")
	} else {
		c := r.Contact
		fmt.Fprintf(&b, "We hold one contact record for %s", c.Email)
		if c.Name != "" {
			fmt.Fprintf(&b, " (name %q)", c.Name)
		}
		fmt.Fprintf(&b, ", built from %d appearance(s) in %d message header(s)", c.Occurrence, len(uniqueMessages(r.Occurrences)))
		if c.Seniority != nil && c.Recency != nil {
			fmt.Fprintf(&b, " between %s and %s", c.Seniority.Format(time.DateOnly), c.Recency.Format(time.DateOnly))
		}
		b.WriteString(". We keep no message bodies.")
		if len(c.Tags) > 0 {
			fmt.Fprintf(&b, " Automatic tags: %s.", strings.Join(c.Tags, ", "))
		}
		fmt.Fprintf(&b, " Consent status: %s.", strings.ReplaceAll(c.ConsentStatus, "_", " "))
		if r.Restricted {
			b.WriteString(" Processing is restricted.")
		}
	}
	if r.Suppressed {
		b.WriteString(" This address is on our Do Not Mine Me list.")
	}
	if len(r.Egress) == 0 {
		b.WriteString(" None of this data was ever sent to a third party.")
	} else {
		fmt.Fprintf(&b, " It was sent to third parties %d time(s), listed below.", len(r.Egress))
	}
	return b.String()
}

func uniqueMessages(occs []store.Occurrence) map[string]bool {
	m := map[string]bool{}
	for _, o := range occs {
		m[o.MessageID] = true
	}
	return m
}
