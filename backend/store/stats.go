package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// ContactStats are a contact's counts and dates, as stored.
type ContactStats struct {
	ID                   int64
	Occurrence           int
	Sender               int
	Recipient            int
	Conversations        int
	RepliedConversations int
	WrittenTo            int
	Personal             int
	Recency              time.Time
	Seniority            time.Time
	Tags                 []string
}

// NameSighting is a display name and how often and when it was seen.
type NameSighting struct {
	Name     string
	Count    int
	LastSeen time.Time
}

// Aggregate is everything the occurrences say about one contact.
type Aggregate struct {
	ContactStats
	Email string
	Names []NameSighting
	// PlusAddresses are the plus-tagged forms seen.
	PlusAddresses []string
	// HeaderTagCounts counts occurrences per header tag.
	HeaderTagCounts map[string]int
	// SenderOccurrences counts occurrences in From, Reply-To and List-Post.
	SenderOccurrences int
	// storedTags are the mining tags stored now, to skip rewriting them.
	storedTags []Tag
}

// Derived is what is computed from an Aggregate and written back.
type Derived struct {
	Name            string
	AlternateNames  []string
	AlternateEmails []string
	// Tags replace the contact's mining tags (sources address and header).
	Tags        []Tag
	Hidden      bool
	Temperature int
}

// Field numbers as stored in occurrences (see extract.Field).
const (
	fieldFrom     = 1
	fieldTo       = 2
	fieldCc       = 3
	fieldBcc      = 4
	fieldReplyTo  = 5
	fieldListPost = 6
)

// Recompute rebuilds the stats, names, tags and temperature of the contacts
// marked dirty (of every contact when all is set) from the occurrence
// table, in one transaction, and clears the mark. derive turns the
// aggregate into the stored values. It returns how many it rebuilt.
func (s *Store) Recompute(ctx context.Context, all bool, day string, derive func(*Aggregate) Derived) (int, error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin recompute: %w", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS touched(id INTEGER PRIMARY KEY)`); err != nil {
		return 0, fmt.Errorf("recompute: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM touched`); err != nil {
		return 0, fmt.Errorf("recompute: %w", err)
	}
	pick := `INSERT INTO touched SELECT id FROM contacts WHERE dirty = 1`
	if all {
		pick = `INSERT INTO touched SELECT id FROM contacts`
	}
	if _, err := tx.ExecContext(ctx, pick); err != nil {
		return 0, fmt.Errorf("recompute: %w", err)
	}
	aggs, err := readAggregates(ctx, tx)
	if err != nil {
		return 0, err
	}
	if err := writeDerived(ctx, tx, aggs, day, derive); err != nil {
		return 0, err
	}
	if err := reindex(ctx, tx); err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE contacts SET dirty = 0 WHERE id IN (SELECT id FROM touched)`); err != nil {
		return 0, fmt.Errorf("recompute: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM touched`); err != nil {
		return 0, fmt.Errorf("recompute: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("commit recompute: %w", err)
	}
	s.changed()
	return len(aggs), nil
}

func readAggregates(ctx context.Context, tx *sql.Tx) (map[int64]*Aggregate, error) {
	aggs := map[int64]*Aggregate{}
	rows, err := tx.QueryContext(ctx, `SELECT c.id, c.email FROM contacts c JOIN touched t ON t.id = c.id`)
	if err != nil {
		return nil, fmt.Errorf("recompute contacts: %w", err)
	}
	for rows.Next() {
		a := &Aggregate{HeaderTagCounts: map[string]int{}}
		if err := rows.Scan(&a.ID, &a.Email); err != nil {
			rows.Close()
			return nil, err
		}
		aggs[a.ID] = a
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `
		SELECT o.contact_id,
			COUNT(*),
			COUNT(DISTINCT CASE WHEN o.field IN (?, ?) THEN o.message_id END),
			COUNT(DISTINCT CASE WHEN o.field IN (?, ?, ?) THEN o.message_id END),
			COUNT(DISTINCT CASE WHEN m.conversation THEN m.id END),
			COUNT(DISTINCT CASE WHEN m.conversation AND o.field = ? THEN m.id END),
			COUNT(DISTINCT CASE WHEN m.from_me AND o.field IN (?, ?, ?) THEN m.id END),
			COUNT(DISTINCT CASE WHEN m.from_me OR m.to_me THEN m.id END),
			SUM(o.field IN (?, ?, ?)),
			MAX(m.date), MIN(m.date)
		FROM occurrences o JOIN touched t ON t.id = o.contact_id JOIN messages m ON m.id = o.message_id
		GROUP BY o.contact_id`,
		fieldFrom, fieldReplyTo, fieldTo, fieldCc, fieldBcc, fieldFrom, fieldTo, fieldCc, fieldBcc,
		fieldFrom, fieldReplyTo, fieldListPost)
	if err != nil {
		return nil, fmt.Errorf("recompute stats: %w", err)
	}
	for rows.Next() {
		var id int64
		var st ContactStats
		var senders int
		var recency, seniority sql.NullInt64
		if err := rows.Scan(&id, &st.Occurrence, &st.Sender, &st.Recipient, &st.Conversations,
			&st.RepliedConversations, &st.WrittenTo, &st.Personal, &senders, &recency, &seniority); err != nil {
			rows.Close()
			return nil, err
		}
		if a := aggs[id]; a != nil {
			st.ID = id
			if recency.Valid {
				st.Recency = time.Unix(recency.Int64, 0).UTC()
			}
			if seniority.Valid {
				st.Seniority = time.Unix(seniority.Int64, 0).UTC()
			}
			a.ContactStats = st
			a.SenderOccurrences = senders
		}
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `
		SELECT o.contact_id, o.name, COUNT(*), MAX(m.date)
		FROM occurrences o JOIN touched t ON t.id = o.contact_id JOIN messages m ON m.id = o.message_id
		WHERE o.name IS NOT NULL GROUP BY o.contact_id, o.name`)
	if err != nil {
		return nil, fmt.Errorf("recompute names: %w", err)
	}
	for rows.Next() {
		var id int64
		var n NameSighting
		var last sql.NullInt64
		if err := rows.Scan(&id, &n.Name, &n.Count, &last); err != nil {
			rows.Close()
			return nil, err
		}
		if last.Valid {
			n.LastSeen = time.Unix(last.Int64, 0).UTC()
		}
		if a := aggs[id]; a != nil {
			a.Names = append(a.Names, n)
		}
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `
		SELECT DISTINCT o.contact_id, o.plus_address FROM occurrences o JOIN touched t ON t.id = o.contact_id
		WHERE o.plus_address IS NOT NULL ORDER BY o.contact_id, o.plus_address`)
	if err != nil {
		return nil, fmt.Errorf("recompute addresses: %w", err)
	}
	for rows.Next() {
		var id int64
		var plus string
		if err := rows.Scan(&id, &plus); err != nil {
			rows.Close()
			return nil, err
		}
		if a := aggs[id]; a != nil {
			a.PlusAddresses = append(a.PlusAddresses, plus)
		}
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `
		SELECT o.contact_id, o.header_tag, COUNT(*) FROM occurrences o JOIN touched t ON t.id = o.contact_id
		WHERE o.header_tag IS NOT NULL GROUP BY o.contact_id, o.header_tag`)
	if err != nil {
		return nil, fmt.Errorf("recompute header tags: %w", err)
	}
	for rows.Next() {
		var id int64
		var tag string
		var n int
		if err := rows.Scan(&id, &tag, &n); err != nil {
			rows.Close()
			return nil, err
		}
		if a := aggs[id]; a != nil {
			a.HeaderTagCounts[tag] = n
		}
	}
	rows.Close()

	rows, err = tx.QueryContext(ctx, `
		SELECT g.contact_id, g.name, g.reachable, g.source FROM tags g JOIN touched t ON t.id = g.contact_id
		WHERE g.source IN (?, ?) ORDER BY g.contact_id, g.name`, TagFromAddress, TagFromHeaders)
	if err != nil {
		return nil, fmt.Errorf("recompute tags: %w", err)
	}
	for rows.Next() {
		var id int64
		var t Tag
		if err := rows.Scan(&id, &t.Name, &t.Reachable, &t.Source); err != nil {
			rows.Close()
			return nil, err
		}
		if a := aggs[id]; a != nil {
			a.storedTags = append(a.storedTags, t)
		}
	}
	rows.Close()
	return aggs, rows.Err()
}

// sameTags compares tag sets whatever their order.
func sameTags(a, b []Tag) bool {
	if len(a) != len(b) {
		return false
	}
	for _, t := range a {
		if !slices.Contains(b, t) {
			return false
		}
	}
	return true
}

func writeDerived(ctx context.Context, tx *sql.Tx, aggs map[int64]*Aggregate, day string, derive func(*Aggregate) Derived) error {
	upd, err := tx.PrepareContext(ctx, `
		UPDATE contacts SET
			name = CASE WHEN edited LIKE '%"name"%' THEN name ELSE ? END,
			alternate_names = CASE WHEN edited LIKE '%"alternate_names"%' THEN alternate_names ELSE ? END,
			alternate_emails = ?, occurrence = ?, sender = ?,
			recipient = ?, conversations = ?, replied_conversations = ?, written_to = ?, personal = ?,
			recency = ?, seniority = ?, temperature = ?, temperature_day = ?, hidden = ?, updated_at = ?,
			deleted_at = NULL
		WHERE id = ?`)
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	defer upd.Close()
	delTags, err := tx.PrepareContext(ctx, `DELETE FROM tags WHERE contact_id = ? AND source IN (?, ?)`)
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	defer delTags.Close()
	addTag, err := tx.PrepareContext(ctx, `INSERT OR IGNORE INTO tags(contact_id, name, reachable, source) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("recompute: %w", err)
	}
	defer addTag.Close()
	now := time.Now().Unix()
	for id, a := range aggs {
		d := derive(a)
		if _, err := upd.ExecContext(ctx, d.Name, jsonList(d.AlternateNames), jsonList(d.AlternateEmails),
			a.Occurrence, a.Sender, a.Recipient, a.Conversations, a.RepliedConversations, a.WrittenTo, a.Personal,
			unixOrNil(a.Recency), unixOrNil(a.Seniority), d.Temperature, day, d.Hidden, now, id); err != nil {
			return fmt.Errorf("update contact: %w", err)
		}
		if sameTags(d.Tags, a.storedTags) {
			continue
		}
		if _, err := delTags.ExecContext(ctx, id, TagFromAddress, TagFromHeaders); err != nil {
			return fmt.Errorf("update tags: %w", err)
		}
		for _, t := range d.Tags {
			if _, err := addTag.ExecContext(ctx, id, t.Name, t.Reachable, t.Source); err != nil {
				return fmt.Errorf("update tags: %w", err)
			}
		}
	}
	return nil
}

// reindex brings the full-text index of the contacts listed in the temp
// table touched up to date.
func reindex(ctx context.Context, tx *sql.Tx) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM touched)`); err != nil {
		return fmt.Errorf("update search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO contacts_fts(rowid, name, email, works_for, job_title, location, alternate_names)
		SELECT c.id, c.name, c.email, c.works_for, c.job_title, c.location, c.alternate_names
		FROM contacts c JOIN touched t ON t.id = c.id`); err != nil {
		return fmt.Errorf("update search index: %w", err)
	}
	return nil
}

// RefreshTemperatures recomputes the temperature of every contact whose
// temperature was computed on another day, so scores decay with time.
func (s *Store) RefreshTemperatures(ctx context.Context, day string, compute func(ContactStats) int) (int, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT id, occurrence, sender, recipient, conversations, replied_conversations, written_to, personal,
			recency, seniority, (SELECT group_concat(name) FROM tags WHERE contact_id = contacts.id)
		FROM contacts WHERE temperature_day <> ?`, day)
	if err != nil {
		return 0, fmt.Errorf("read stats: %w", err)
	}
	type update struct {
		id   int64
		temp int
	}
	var updates []update
	for rows.Next() {
		var st ContactStats
		var recency, seniority sql.NullInt64
		var tags sql.NullString
		if err := rows.Scan(&st.ID, &st.Occurrence, &st.Sender, &st.Recipient, &st.Conversations,
			&st.RepliedConversations, &st.WrittenTo, &st.Personal, &recency, &seniority, &tags); err != nil {
			rows.Close()
			return 0, err
		}
		if recency.Valid {
			st.Recency = time.Unix(recency.Int64, 0).UTC()
		}
		if seniority.Valid {
			st.Seniority = time.Unix(seniority.Int64, 0).UTC()
		}
		if tags.Valid && tags.String != "" {
			st.Tags = strings.Split(tags.String, ",")
		}
		updates = append(updates, update{st.ID, compute(st)})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	if len(updates) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// A recompute may have landed since the stats were read: it wrote a
	// temperature for today from newer stats, which must stay.
	st, err := tx.PrepareContext(ctx, `UPDATE contacts SET temperature = ?, temperature_day = ? WHERE id = ? AND temperature_day <> ?`)
	if err != nil {
		return 0, err
	}
	defer st.Close()
	n := 0
	for _, u := range updates {
		res, err := st.ExecContext(ctx, u.temp, day, u.id, day)
		if err != nil {
			return 0, fmt.Errorf("update temperature: %w", err)
		}
		if k, _ := res.RowsAffected(); k > 0 {
			n++
		}
	}
	defer s.changed()
	return n, tx.Commit()
}

func jsonList(v []string) string {
	if len(v) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(v)
	return string(b)
}

func parseJSONList(s string) []string {
	out := []string{}
	if s == "" || s == "[]" {
		return out
	}
	_ = json.Unmarshal([]byte(s), &out)
	if out == nil {
		out = []string{}
	}
	return out
}
