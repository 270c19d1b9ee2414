package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
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
	// IDs, when set, restrict the query to these contacts.
	IDs []int64
	// ExceptIDs leaves these contacts out ("every filtered row but these").
	ExceptIDs []int64
	// Quick filters, as the contacts table's toggles.
	Quick Quick
	// Filters on single columns, all of which must hold.
	Filters []Filter
	// Sort replaces the rank order when set.
	Sort   *Sort
	Limit  int // 0 means no limit
	Offset int // rows skipped, with or without a limit
	// Now is the reference for "recent" (default: the store's clock).
	Now time.Time
}

// Quick are the table's one-click filters.
type Quick struct {
	HideUnreachable  bool `json:"hide_unreachable"`
	HideUnsubscribed bool `json:"hide_unsubscribed"`
	Recent           bool `json:"recent"`
	Replied          bool `json:"replied"`
	HasName          bool `json:"has_name"`
	HasPhone         bool `json:"has_phone"`
	HasJob           bool `json:"has_job"`
	ShowHidden       bool `json:"show_hidden"`
}

// Filter is a condition on one column.
type Filter struct {
	Column string   `json:"column"`
	Op     string   `json:"op"` // contains, gte, after, in
	Value  string   `json:"value"`
	Values []string `json:"values"`
}

// Sort orders by one column.
type Sort struct {
	Column string `json:"column"`
	Desc   bool   `json:"desc"`
}

// ErrBadQuery is returned for a filter or sort the table does not offer.
var ErrBadQuery = errors.New("unsupported query")

// Columns the table sorts and filters on, as SQL over the contacts row "c".
// Only these names ever reach SQL text; values are always parameters.
var (
	sortColumns = map[string]string{
		"contact": "c.name COLLATE NOCASE", "name": "c.name COLLATE NOCASE",
		"email": "c.email", "occurrence": "c.occurrence", "recency": "c.recency", "seniority": "c.seniority",
		"replied_conversations": "c.replied_conversations", "temperature": "c.temperature", "sender": "c.sender",
		"recipient": "c.recipient", "conversations": "c.conversations", "status": "c.status",
		// Every contact has the same consent until the ledger exists: a
		// constant keeps the rank order.
		"consent_status": consentExpr, "works_for": "c.works_for COLLATE NOCASE",
		"job_title": "c.job_title COLLATE NOCASE", "location": "c.location COLLATE NOCASE",
	}
	textColumns = map[string]string{
		"contact": "c.name || ' ' || c.email", "name": "c.name", "email": "c.email", "works_for": "c.works_for",
		"job_title": "c.job_title", "location": "c.location",
	}
	// listColumns hold JSON lists: each item is matched, not the JSON text
	// (whose brackets, quotes, commas and \u0026-style escapes are not data).
	listColumns   = map[string]string{"alternate_names": "c.alternate_names", "telephone": "c.telephone"}
	numberColumns = map[string]string{
		"occurrence": "c.occurrence", "replied_conversations": "c.replied_conversations",
		"temperature": "c.temperature", "sender": "c.sender", "recipient": "c.recipient",
		"conversations": "c.conversations",
	}
	dateColumns = map[string]string{"recency": "c.recency", "seniority": "c.seniority"}
)

// likePattern escapes LIKE wildcards so user text matches literally.
func likePattern(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(s) + "%"
}

func (f Filter) sql() (string, []any, error) {
	switch f.Op {
	case "contains":
		if f.Column == "sources" {
			return `EXISTS (SELECT 1 FROM contact_sources cs JOIN sources s ON s.id = cs.source_id
				WHERE cs.contact_id = c.id AND s.uri LIKE ? ESCAPE '\')`, []any{likePattern(f.Value)}, nil
		}
		if col, ok := textColumns[f.Column]; ok {
			return col + ` LIKE ? ESCAPE '\'`, []any{likePattern(f.Value)}, nil
		}
		if col, ok := listColumns[f.Column]; ok {
			return `EXISTS (SELECT 1 FROM json_each(` + col + `) j WHERE j.value LIKE ? ESCAPE '\')`,
				[]any{likePattern(f.Value)}, nil
		}
	case "gte":
		if col, ok := numberColumns[f.Column]; ok {
			n, err := strconv.ParseFloat(strings.TrimSpace(f.Value), 64)
			if err != nil {
				return "", nil, fmt.Errorf("%w: %q is not a number", ErrBadQuery, f.Value)
			}
			return col + " >= ?", []any{n}, nil
		}
	case "after":
		if col, ok := dateColumns[f.Column]; ok {
			t, err := time.Parse(time.DateOnly, strings.TrimSpace(f.Value))
			if err != nil {
				return "", nil, fmt.Errorf("%w: %q is not a date (YYYY-MM-DD)", ErrBadQuery, f.Value)
			}
			return col + " >= ?", []any{t.Unix()}, nil
		}
	case "in":
		if f.Column != "tags" && f.Column != "status" && f.Column != "consent_status" {
			break // refused below, even without values
		}
		if len(f.Values) == 0 {
			return "", nil, nil
		}
		marks := "?" + strings.Repeat(",?", len(f.Values)-1)
		args := make([]any, len(f.Values))
		for i, v := range f.Values {
			args[i] = v
		}
		switch f.Column {
		case "tags":
			return "EXISTS (SELECT 1 FROM tags g WHERE g.contact_id = c.id AND g.name IN (" + marks + "))", args, nil
		case "status":
			for i, v := range f.Values {
				if strings.EqualFold(v, "UNVERIFIED") {
					args[i] = ""
				}
			}
			return "c.status IN (" + marks + ")", args, nil
		case "consent_status":
			return consentExpr + " IN (" + marks + ")", args, nil
		}
	}
	return "", nil, fmt.Errorf("%w: %s %s", ErrBadQuery, f.Op, f.Column)
}

const contactColumns = `c.id, c.email, c.name, c.given_name, c.family_name, c.alternate_names, c.alternate_emails,
	c.occurrence, c.sender, c.recipient, c.conversations, c.replied_conversations, c.recency, c.seniority,
	c.temperature, c.status, c.telephone, c.works_for, c.job_title, c.location, c.same_as, c.image, c.hidden,
	(SELECT group_concat(g.name) FROM (SELECT name FROM tags WHERE contact_id = c.id ORDER BY reachable, name) g),
	(SELECT group_concat(s.uri, char(10)) FROM contact_sources cs JOIN sources s ON s.id = cs.source_id WHERE cs.contact_id = c.id),
	` + consentExpr + `, ` + restrictedExpr

// consentExpr derives a contact's consent status from the consent ledger,
// where it is never stored apart: the last of granted / withdrawn /
// objected decides; without any, mining's legitimate interest.
const consentExpr = `COALESCE((SELECT CASE l.action WHEN 'granted' THEN 'opt_in' ELSE 'opt_out' END
	FROM consent_ledger l WHERE l.subject = c.subject AND l.action IN ('granted', 'withdrawn', 'objected')
	ORDER BY l.id DESC LIMIT 1), 'legitimate_interest')`

// notOptedOut is consentExpr <> 'opt_out' as one uncorrelated set of
// contact ids, built once: the default view then reads only the rank index
// instead of every contact's row and ledger (26 against 160 ms for 100,000).
const notOptedOut = `c.id NOT IN (SELECT o.id FROM contacts o WHERE o.subject IN (SELECT l.subject FROM consent_ledger l
	WHERE l.action IN ('withdrawn', 'objected') AND NOT EXISTS (SELECT 1 FROM consent_ledger n
		WHERE n.subject = l.subject AND n.id > l.id AND n.action = 'granted')))`

// restrictedExpr is true when processing is restricted: a restriction
// recorded after the last consent granted.
const restrictedExpr = `EXISTS (SELECT 1 FROM consent_ledger l WHERE l.subject = c.subject AND l.action = 'restricted'
	AND l.id > COALESCE((SELECT MAX(g.id) FROM consent_ledger g WHERE g.subject = c.subject AND g.action = 'granted'), 0))`

// rankOrder is the default order: hottest first, then most seen, then most
// recent; the address breaks ties so pages are stable.
const rankOrder = ` ORDER BY ` + rankTies

// rankTies is the rank order, also used to break ties of other sorts.
const rankTies = `c.temperature DESC, c.occurrence DESC, c.recency DESC, c.email`

func (q Query) where() (string, []any, error) {
	// Contacts past retention are hidden until purged.
	conds := []string{"c.deleted_at IS NULL"}
	var args []any
	if !q.All && !q.Quick.ShowHidden {
		conds = append(conds, "c.hidden = 0")
	}
	if q.IDs != nil {
		ids, _ := json.Marshal(q.IDs)
		conds = append(conds, "c.id IN (SELECT value FROM json_each(?))")
		args = append(args, string(ids))
	}
	if len(q.ExceptIDs) > 0 {
		ids, _ := json.Marshal(q.ExceptIDs)
		conds = append(conds, "c.id NOT IN (SELECT value FROM json_each(?))")
		args = append(args, string(ids))
	}
	if q.Quick.HideUnreachable {
		conds = append(conds, "c.status NOT IN ('INVALID', 'RISKY')")
	}
	if q.Quick.HideUnsubscribed {
		conds = append(conds, notOptedOut)
	}
	if q.Quick.Recent {
		now := q.Now
		if now.IsZero() {
			now = time.Now()
		}
		// A cut-off at midnight keeps the query (and its cached view) the
		// same all day.
		y, m, d := now.UTC().AddDate(-3, 0, 0).Date()
		conds = append(conds, "c.recency >= ?")
		args = append(args, time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix())
	}
	if q.Quick.Replied {
		conds = append(conds, "c.replied_conversations >= 1")
	}
	if q.Quick.HasName {
		conds = append(conds, "c.name <> ''")
	}
	if q.Quick.HasPhone {
		conds = append(conds, "c.telephone <> '[]'")
	}
	if q.Quick.HasJob {
		conds = append(conds, "(c.job_title <> '' OR c.works_for <> '')")
	}
	for _, f := range q.Filters {
		cond, a, err := f.sql()
		if err != nil {
			return "", nil, err
		}
		if cond != "" {
			conds = append(conds, cond)
			args = append(args, a...)
		}
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
		return "", nil, nil
	}
	return " WHERE " + strings.Join(conds, " AND "), args, nil
}

// order is the query's ORDER BY: a chosen column (ties in rank order), or
// the rank order.
func (q Query) order() (string, error) {
	if q.Sort == nil || q.Sort.Column == "" {
		return rankOrder, nil
	}
	col, ok := sortColumns[q.Sort.Column]
	if !ok {
		return "", fmt.Errorf("%w: sort by %s", ErrBadQuery, q.Sort.Column)
	}
	dir := " ASC"
	if q.Sort.Desc {
		dir = " DESC"
	}
	if q.Sort.Column == "contact" {
		// The contact column shows the name, else the address: named
		// contacts by name, then the others by address, either way.
		return " ORDER BY c.name = '', c.name COLLATE NOCASE" + dir + ", " + rankTies, nil
	}
	if strings.HasPrefix(col, "'") {
		return rankOrder, nil // a constant column: nothing to sort on
	}
	if q.Sort.Column == "temperature" {
		// Hottest first is the rank order; its reverse for coldest first.
		if q.Sort.Desc {
			return rankOrder, nil
		}
		return " ORDER BY c.temperature, c.occurrence, c.recency, c.email DESC", nil
	}
	// Contacts without a date come last either way.
	return " ORDER BY " + col + " IS NULL, " + col + dir + ", " + rankTies, nil
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

// ListContacts streams contacts in rank order (or the query's sort).
func (s *Store) ListContacts(ctx context.Context, q Query, fn func(contact.Contact) error) error {
	where, args, err := q.where()
	if err != nil {
		return err
	}
	order, err := q.order()
	if err != nil {
		return err
	}
	query := "SELECT " + contactColumns + " FROM contacts c" + where + order
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
	where, args, err := q.where()
	if err != nil {
		return 0, err
	}
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
		&tags, &sources, &c.ConsentStatus, &c.Restricted)
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
	err := s.db.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM contacts WHERE deleted_at IS NULL), (SELECT COUNT(*) FROM contacts WHERE hidden = 0 AND deleted_at IS NULL),
		(SELECT COUNT(*) FROM messages)`).Scan(&c.Contacts, &c.Visible, &c.Messages)
	if err != nil {
		return c, fmt.Errorf("count: %w", err)
	}
	return c, nil
}
