package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"leadminer/backend/contact"
)

// ContactByID returns one contact.
func (s *Store) ContactByID(ctx context.Context, id int64) (contact.Contact, error) {
	row := s.db.QueryRowContext(ctx, "SELECT "+contactColumns+" FROM contacts c WHERE c.id = ?", id)
	c, err := scanContact(row)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("contact %d: %w", id, ErrNotFound)
	}
	return c, err
}

// Sighting says where a contact was seen: a folder of a source, how many
// messages, first and last date.
type Sighting struct {
	Source string     `json:"source"`
	Folder string     `json:"folder"`
	Count  int        `json:"count"`
	First  *time.Time `json:"first"`
	Last   *time.Time `json:"last"`
}

// Sightings lists the folders a contact was seen in, busiest first.
func (s *Store) Sightings(ctx context.Context, contactID int64) ([]Sighting, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT s.uri, f.name, COUNT(DISTINCT o.message_id), MIN(m.date), MAX(m.date)
		FROM occurrences o
		JOIN messages m ON m.id = o.message_id
		JOIN message_locations ml ON ml.message_id = o.message_id
		JOIN folders f ON f.id = ml.folder_id
		JOIN sources s ON s.id = f.source_id
		WHERE o.contact_id = ?
		GROUP BY s.uri, f.name ORDER BY 3 DESC, 2, 1`, contactID)
	if err != nil {
		return nil, fmt.Errorf("read sightings: %w", err)
	}
	defer rows.Close()
	out := []Sighting{}
	for rows.Next() {
		var g Sighting
		var first, last sql.NullInt64
		if err := rows.Scan(&g.Source, &g.Folder, &g.Count, &first, &last); err != nil {
			return nil, err
		}
		g.First, g.Last = timeFromNull(first), timeFromNull(last)
		out = append(out, g)
	}
	return out, rows.Err()
}

// Patch changes a contact's editable fields; nil fields are left alone.
type Patch struct {
	Name           *string   `json:"name,omitempty"`
	GivenName      *string   `json:"given_name,omitempty"`
	FamilyName     *string   `json:"family_name,omitempty"`
	AlternateNames *[]string `json:"alternate_names,omitempty"`
	Telephone      *[]string `json:"telephone,omitempty"`
	WorksFor       *string   `json:"works_for,omitempty"`
	JobTitle       *string   `json:"job_title,omitempty"`
	Location       *string   `json:"location,omitempty"`
	SameAs         *[]string `json:"same_as,omitempty"`
}

// UpdateContact applies a patch. Edited fields are remembered so mining
// never overwrites what the user wrote; the search index follows.
func (s *Store) UpdateContact(ctx context.Context, id int64, p Patch) error {
	type set struct {
		col string
		val any
	}
	var sets []set
	str := func(col string, v *string) {
		if v != nil {
			sets = append(sets, set{col, strings.TrimSpace(*v)})
		}
	}
	list := func(col string, v *[]string) {
		if v != nil {
			var clean []string
			for _, x := range *v {
				if x = strings.TrimSpace(x); x != "" && !slices.Contains(clean, x) {
					clean = append(clean, x)
				}
			}
			sets = append(sets, set{col, jsonList(clean)})
		}
	}
	str("name", p.Name)
	str("given_name", p.GivenName)
	str("family_name", p.FamilyName)
	list("alternate_names", p.AlternateNames)
	list("telephone", p.Telephone)
	str("works_for", p.WorksFor)
	str("job_title", p.JobTitle)
	str("location", p.Location)
	list("same_as", p.SameAs)
	if len(sets) == 0 {
		// Nothing to change, but an unknown contact is still an error.
		var one int
		if err := s.db.QueryRowContext(ctx, `SELECT 1 FROM contacts WHERE id = ?`, id).Scan(&one); errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("contact %d: %w", id, ErrNotFound)
		} else if err != nil {
			return fmt.Errorf("update contact: %w", err)
		}
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var editedJSON string
	if err := tx.QueryRowContext(ctx, `SELECT edited FROM contacts WHERE id = ?`, id).Scan(&editedJSON); errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("contact %d: %w", id, ErrNotFound)
	} else if err != nil {
		return fmt.Errorf("update contact: %w", err)
	}
	edited := parseJSONList(editedJSON)
	var cols []string
	var args []any
	for _, x := range sets {
		// x.col comes from the fixed list above, never from the caller.
		cols = append(cols, x.col+" = ?")
		args = append(args, x.val)
		if !slices.Contains(edited, x.col) {
			edited = append(edited, x.col)
		}
	}
	cols = append(cols, "edited = ?", "updated_at = ?")
	b, _ := json.Marshal(edited)
	args = append(args, string(b), s.now().Unix(), id)
	if _, err := tx.ExecContext(ctx, "UPDATE contacts SET "+strings.Join(cols, ", ")+" WHERE id = ?", args...); err != nil {
		return fmt.Errorf("update contact: %w", err)
	}
	if err := reindexIDs(ctx, tx, []int64{id}); err != nil {
		return err
	}
	defer s.changed()
	return tx.Commit()
}

// reindexIDs refreshes the search index of some contacts.
func reindexIDs(ctx context.Context, tx *sql.Tx, ids []int64) error {
	b, _ := json.Marshal(ids)
	if _, err := tx.ExecContext(ctx, `DELETE FROM contacts_fts WHERE rowid IN (SELECT value FROM json_each(?))`, string(b)); err != nil {
		return fmt.Errorf("update search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `
		INSERT INTO contacts_fts(rowid, name, email, works_for, job_title, location, alternate_names)
		SELECT id, name, email, works_for, job_title, location, alternate_names FROM contacts
		WHERE id IN (SELECT value FROM json_each(?))`, string(b)); err != nil {
		return fmt.Errorf("update search index: %w", err)
	}
	return nil
}

// ContactIDs returns the ids a query selects (its filters, not its page).
func (s *Store) ContactIDs(ctx context.Context, q Query) ([]int64, error) {
	q.Limit, q.Offset, q.Sort = 0, 0, nil
	where, args, err := q.where()
	if err != nil {
		return nil, err
	}
	ids, err := s.queryIDs(ctx, 0, "SELECT c.id FROM contacts c"+where, args...)
	if err != nil {
		return nil, fmt.Errorf("select contacts: %w", err)
	}
	return ids, nil
}

// DeleteContacts removes contacts with everything about them: occurrences,
// tags and search index entries (the database's secure delete overwrites
// the freed pages). It returns how many were removed.
func (s *Store) DeleteContacts(ctx context.Context, ids []int64) (int, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	b, _ := json.Marshal(ids)
	if _, err := tx.ExecContext(ctx, `DELETE FROM contacts_fts WHERE rowid IN (SELECT value FROM json_each(?))`, string(b)); err != nil {
		return 0, fmt.Errorf("remove contacts: %w", err)
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE id IN (SELECT value FROM json_each(?))`, string(b))
	if err != nil {
		return 0, fmt.Errorf("remove contacts: %w", err)
	}
	n, _ := res.RowsAffected()
	defer s.changed()
	return int(n), tx.Commit()
}
