// Package contact defines a contact as the rest of the application sees it:
// identity, stats, tags and the fields enrichment will fill later.
package contact

import "time"

// Contact is one person (one canonical address) with everything known about them.
// JSON names follow the CLI contract in docs/PRODUCT.md.
type Contact struct {
	ID                   int64      `json:"-"`
	Email                string     `json:"email"`
	Name                 string     `json:"name"`
	GivenName            string     `json:"given_name"`
	FamilyName           string     `json:"family_name"`
	AlternateNames       []string   `json:"alternate_names"`
	AlternateEmails      []string   `json:"alternate_emails"`
	Tags                 []string   `json:"tags"`
	Occurrence           int        `json:"occurrence"`
	Sender               int        `json:"sender"`
	Recipient            int        `json:"recipient"`
	Conversations        int        `json:"conversations"`
	RepliedConversations int        `json:"replied_conversations"`
	Recency              *time.Time `json:"recency"`
	Seniority            *time.Time `json:"seniority"`
	Temperature          int        `json:"temperature"`
	Status               string     `json:"status"`
	ConsentStatus        string     `json:"consent_status"`
	Sources              []string   `json:"sources"`
	Telephone            []string   `json:"telephone"`
	WorksFor             string     `json:"works_for"`
	JobTitle             string     `json:"job_title"`
	Location             string     `json:"location"`
	SameAs               []string   `json:"same_as"`
	Image                string     `json:"-"`
	// Hidden is true for contacts that are kept but not shown by default
	// (no-reply, transactional, newsletter-only...).
	Hidden bool `json:"-"`
	// Restricted is true when the person asked to restrict processing:
	// kept, but excluded from verification, enrichment and campaigns.
	Restricted bool `json:"-"`
}

// Consent statuses, as the hosted product names them.
const (
	ConsentLegitimateInterest = "legitimate_interest"
	ConsentOptOut             = "opt_out"
	ConsentOptIn              = "opt_in"
)
