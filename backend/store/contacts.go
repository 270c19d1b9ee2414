package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"

	"leadminer/backend/contact"
)

// Query selects contacts.
type Query struct {
	// All includes contacts hidden by default.
	All bool
	// Search is free text matched against names, addresses, company, title
	// and location (every word, as a prefix).
	Search string
	Limit  int // 0 means no limit
	Offset int // rows skipped, with or without a limit
}

const contactColumns = `c.id, c.email, c.name, c.given_name, c.family_name, c.alternate_names, c.alternate_emails,
	c.occurrence, c.sender, c.recipient, c.conversations, c.replied_conversations, c.recency, c.seniority,
	c.temperature, c.status, c.telephone, c.works_for, c.job_title, c.location, c.same_as, c.image, c.hidden,
	(SELECT group_concat(g.name) FROM (SELECT name FROM tags WHERE contact_id = c.id ORDER BY reachable, name) g),
	(SELECT group_concat(s.uri, char(10)) FROM contact_sources cs JOIN sources s ON s.id = cs.source_id WHERE cs.contact_id = c.id)`

// rankOrder is the default order: hottest first, then most seen, then most
// recent; the address breaks ties so pages are stable.
const rankOrder = ` ORDER BY c.temperature DESC, c.occurrence DESC, c.recency DESC, c.email`

func (q Query) where() (string, []any) {
	var conds []string
	var args []any
	if !q.All {
		conds = append(conds, "c.hidden = 0")
	}
	if fts := ftsQuery(q.Search); fts != "" {
		conds = append(conds, "c.id IN (SELECT rowid FROM contacts_fts WHERE contacts_fts MATCH ?)")
		args = append(args, fts)
	} else if strings.TrimSpace(q.Search) != "" {
		// Text without a single word ("*", "-", "@") matches nobody; dropping
		// the filter would list everyone.
		conds = append(conds, "0")
	}
	if len(conds) == 0 {
		return "", nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args
}

// ftsQuery turns user text into an FTS5 query: every word must match as a
// prefix. Words are quoted, so user input is never FTS syntax.
func ftsQuery(text string) string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '_'
	})
	var parts []string
	for _, w := range words {
		parts = append(parts, `"`+strings.ReplaceAll(w, `"`, `""`)+`"*`)
	}
	return strings.Join(parts, " AND ")
}

// ListContacts streams contacts in rank order.
func (s *Store) ListContacts(ctx context.Context, q Query, fn func(contact.Contact) error) error {
	where, args := q.where()
	query := "SELECT " + contactColumns + " FROM contacts c" + where + rankOrder
	if q.Limit > 0 || q.Offset > 0 {
		limit := q.Limit
		if limit <= 0 {
			limit = -1 // no limit, but still the offset
		}
		query += " LIMIT ? OFFSET ?"
		args = append(args, limit, q.Offset)
	}
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return fmt.Errorf("list contacts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanContact(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// CountContacts counts the contacts a query selects (ignoring its page).
func (s *Store) CountContacts(ctx context.Context, q Query) (int, error) {
	where, args := q.where()
	var n int
	if err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM contacts c"+where, args...).Scan(&n); err != nil {
		return 0, fmt.Errorf("count contacts: %w", err)
	}
	return n, nil
}

// ContactByEmail returns one contact by canonical address.
func (s *Store) ContactByEmail(ctx context.Context, email string) (contact.Contact, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+contactColumns+" FROM contacts c WHERE c.email = ?", email)
	c, err := scanContact(row)
	if err == sql.ErrNoRows {
		return c, fmt.Errorf("contact %s: %w", email, ErrNotFound)
	}
	return c, err
}

type scanner interface{ Scan(...any) error }

func scanContact(r scanner) (contact.Contact, error) {
	var c contact.Contact
	var altNames, altEmails, phones, sameAs string
	var recency, seniority sql.NullInt64
	var tags, sources sql.NullString
	err := r.Scan(&c.ID, &c.Email, &c.Name, &c.GivenName, &c.FamilyName, &altNames, &altEmails,
		&c.Occurrence, &c.Sender, &c.Recipient, &c.Conversations, &c.RepliedConversations, &recency, &seniority,
		&c.Temperature, &c.Status, &phones, &c.WorksFor, &c.JobTitle, &c.Location, &sameAs, &c.Image, &c.Hidden,
		&tags, &sources)
	if err != nil {
		return c, err
	}
	c.AlternateNames = parseJSONList(altNames)
	c.AlternateEmails = parseJSONList(altEmails)
	c.Telephone = parseJSONList(phones)
	c.SameAs = parseJSONList(sameAs)
	c.Recency = timeFromNull(recency)
	c.Seniority = timeFromNull(seniority)
	c.Tags = splitNonEmpty(tags.String, ",")
	c.Sources = splitNonEmpty(sources.String, "\n")
	c.ConsentStatus = contact.ConsentLegitimateInterest
	return c, nil
}

func splitNonEmpty(s, sep string) []string {
	if s == "" {
		return []string{}
	}
	return strings.Split(s, sep)
}

// Counts summarises the store.
type Counts struct {
	Contacts int `json:"contacts"`
	Visible  int `json:"visible"`
	Messages int `json:"messages"`
}

// Count returns how many contacts (all and visible) and messages are stored.
func (s *Store) Count(ctx context.Context) (Counts, error) {
	var c Counts
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM contacts), (SELECT COUNT(*) FROM contacts WHERE hidden = 0),
		(SELECT COUNT(*) FROM messages)`).Scan(&c.Contacts, &c.Visible, &c.Messages)
	if err != nil {
		return c, fmt.Errorf("count: %w", err)
	}
	return c, nil
}
