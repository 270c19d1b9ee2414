package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"time"
)

// LedgerEntry is one line of the consent ledger.
type LedgerEntry struct {
	ID            int64          `json:"id"`
	Subject       string         `json:"-"`
	Basis         string         `json:"basis"`
	Purpose       string         `json:"purpose"`
	Action        string         `json:"action"`
	Source        string         `json:"source"`
	Evidence      map[string]any `json:"evidence"`
	Actor         string         `json:"actor"`
	At            time.Time      `json:"at"`
	PolicyVersion string         `json:"policy_version"`
}

// AppendLedger adds an entry; the ledger is never changed or shortened
// (triggers refuse it).
func (s *Store) AppendLedger(ctx context.Context, e LedgerEntry) error {
	ev, err := json.Marshal(e.Evidence)
	if err != nil || e.Evidence == nil {
		ev = []byte("{}")
	}
	if e.At.IsZero() {
		e.At = s.now()
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO consent_ledger(subject, basis, purpose, action, source, evidence, actor, at, policy_version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, e.Subject, e.Basis, e.Purpose, e.Action, e.Source, string(ev), e.Actor, e.At.Unix(), e.PolicyVersion)
	if err != nil {
		return fmt.Errorf("append to the consent ledger: %w", err)
	}
	return nil
}

// Ledger returns a subject's entries, oldest first.
func (s *Store) Ledger(ctx context.Context, subject string) ([]LedgerEntry, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, subject, basis, purpose, action, source, evidence, actor, at, policy_version
		FROM consent_ledger WHERE subject = ? ORDER BY id`, subject)
	if err != nil {
		return nil, fmt.Errorf("read the consent ledger: %w", err)
	}
	defer rows.Close()
	out := []LedgerEntry{}
	for rows.Next() {
		var e LedgerEntry
		var ev string
		var at int64
		if err := rows.Scan(&e.ID, &e.Subject, &e.Basis, &e.Purpose, &e.Action, &e.Source, &ev, &e.Actor, &at, &e.PolicyVersion); err != nil {
			return nil, err
		}
		_ = json.Unmarshal([]byte(ev), &e.Evidence)
		e.At = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// Suppression is a Do Not Mine Me entry.
type Suppression struct {
	Subject string    `json:"subject"`
	Kind    string    `json:"kind"` // address or domain
	Reason  string    `json:"reason"`
	AddedAt time.Time `json:"added_at"`
}

// Suppress adds an entry (an existing one keeps its first reason).
func (s *Store) Suppress(ctx context.Context, e Suppression) error {
	if e.AddedAt.IsZero() {
		e.AddedAt = s.now()
	}
	_, err := s.db.ExecContext(ctx, `INSERT OR IGNORE INTO suppression(subject, kind, reason, added_at) VALUES (?, ?, ?, ?)`,
		e.Subject, e.Kind, e.Reason, e.AddedAt.Unix())
	if err != nil {
		return fmt.Errorf("suppress: %w", err)
	}
	return nil
}

// Unsuppress removes an entry (the person asked to be mined again).
func (s *Store) Unsuppress(ctx context.Context, subject string) error {
	_, err := s.db.ExecContext(ctx, `DELETE FROM suppression WHERE subject = ?`, subject)
	return err
}

// Suppressions lists the entries, newest first.
func (s *Store) Suppressions(ctx context.Context) ([]Suppression, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT subject, kind, reason, added_at FROM suppression ORDER BY added_at DESC, subject`)
	if err != nil {
		return nil, fmt.Errorf("read the suppression list: %w", err)
	}
	defer rows.Close()
	out := []Suppression{}
	for rows.Next() {
		var e Suppression
		var at int64
		if err := rows.Scan(&e.Subject, &e.Kind, &e.Reason, &at); err != nil {
			return nil, err
		}
		e.AddedAt = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// SuppressedSubjects returns every suppressed subject, for mining's check.
func (s *Store) SuppressedSubjects(ctx context.Context) (map[string]bool, error) {
	list, err := s.Suppressions(ctx)
	if err != nil {
		return nil, err
	}
	set := make(map[string]bool, len(list))
	for _, e := range list {
		set[e.Subject] = true
	}
	return set, nil
}

// EgressEvent is one call that left the machine.
type EgressEvent struct {
	ID           int64     `json:"id"`
	At           time.Time `json:"at"`
	Subprocessor string    `json:"subprocessor"`
	Purpose      string    `json:"purpose"`
	Records      int       `json:"records"`
	BytesOut     int64     `json:"bytes_out"`
	Outcome      string    `json:"outcome"`
	// Subjects whose data the call carried (keyed hashes).
	Subjects []string `json:"-"`
}

// LogEgress records a call.
func (s *Store) LogEgress(ctx context.Context, e EgressEvent) error {
	if e.At.IsZero() {
		e.At = s.now()
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO egress_log(at, subprocessor, purpose, records, bytes_out, outcome)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, e.At.Unix(), e.Subprocessor, e.Purpose, e.Records, e.BytesOut, e.Outcome).Scan(&id); err != nil {
		return fmt.Errorf("log egress: %w", err)
	}
	for _, subj := range e.Subjects {
		if _, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO egress_subjects(log_id, subject) VALUES (?, ?)`, id, subj); err != nil {
			return fmt.Errorf("log egress: %w", err)
		}
	}
	return tx.Commit()
}

// EgressLog lists calls, newest first; with a subject, only those that
// carried that person's data.
func (s *Store) EgressLog(ctx context.Context, subject string, limit int) ([]EgressEvent, error) {
	q := `SELECT id, at, subprocessor, purpose, records, bytes_out, outcome FROM egress_log`
	var args []any
	if subject != "" {
		q += ` WHERE id IN (SELECT log_id FROM egress_subjects WHERE subject = ?)`
		args = append(args, subject)
	}
	q += ` ORDER BY id DESC`
	if limit > 0 {
		q += ` LIMIT ?`
		args = append(args, limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read the egress log: %w", err)
	}
	defer rows.Close()
	out := []EgressEvent{}
	for rows.Next() {
		var e EgressEvent
		var at int64
		if err := rows.Scan(&e.ID, &at, &e.Subprocessor, &e.Purpose, &e.Records, &e.BytesOut, &e.Outcome); err != nil {
			return nil, err
		}
		e.At = time.Unix(at, 0).UTC()
		out = append(out, e)
	}
	return out, rows.Err()
}

// LastEgress returns each subprocessor's last call time.
func (s *Store) LastEgress(ctx context.Context) (map[string]time.Time, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT subprocessor, MAX(at) FROM egress_log GROUP BY subprocessor`)
	if err != nil {
		return nil, fmt.Errorf("read the egress log: %w", err)
	}
	defer rows.Close()
	out := map[string]time.Time{}
	for rows.Next() {
		var name string
		var at int64
		if err := rows.Scan(&name, &at); err != nil {
			return nil, err
		}
		out[name] = time.Unix(at, 0).UTC()
	}
	return out, rows.Err()
}

// Occurrence is one sighting of a contact, for an access request.
type Occurrence struct {
	MessageID string     `json:"message_id"`
	Date      *time.Time `json:"date"`
	Field     string     `json:"field"`
	Name      string     `json:"name_seen"`
	Source    string     `json:"source"`
	Folder    string     `json:"folder"`
}

var fieldNames = map[int]string{fieldFrom: "from", fieldTo: "to", fieldCc: "cc", fieldBcc: "bcc", fieldReplyTo: "reply-to", fieldListPost: "list-post"}

// ContactOccurrences lists every message a contact was seen in.
func (s *Store) ContactOccurrences(ctx context.Context, id int64) ([]Occurrence, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT COALESCE(m.message_id, ''), m.date, o.field, COALESCE(o.name, ''),
			COALESCE(s.uri, ''), COALESCE(f.name, '')
		FROM occurrences o JOIN messages m ON m.id = o.message_id
		LEFT JOIN message_locations ml ON ml.message_id = m.id
		LEFT JOIN folders f ON f.id = ml.folder_id LEFT JOIN sources s ON s.id = f.source_id
		WHERE o.contact_id = ? ORDER BY m.date, m.id, o.field`, id)
	if err != nil {
		return nil, fmt.Errorf("read occurrences: %w", err)
	}
	defer rows.Close()
	out := []Occurrence{}
	for rows.Next() {
		var o Occurrence
		var date sql.NullInt64
		var field int
		if err := rows.Scan(&o.MessageID, &date, &field, &o.Name, &o.Source, &o.Folder); err != nil {
			return nil, err
		}
		o.Date, o.Field = timeFromNull(date), fieldNames[field]
		out = append(out, o)
	}
	return out, rows.Err()
}

// PurgeOrphanMessages removes message metadata no contact needs any more.
func (s *Store) PurgeOrphanMessages(ctx context.Context) (int, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM messages WHERE NOT EXISTS (SELECT 1 FROM occurrences o WHERE o.message_id = messages.id)`)
	if err != nil {
		return 0, fmt.Errorf("purge messages: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Checkpoint merges the search index's segments (dropping deleted
// entries), writes the write-ahead log into the database file and empties
// it, so deleted data lingers neither in old index segments nor in the
// -wal file.
func (s *Store) Checkpoint(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `INSERT INTO contacts_fts(contacts_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("compact the search index: %w", err)
	}
	_, err := s.db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
	return err
}

// Vacuum rebuilds the database file without free pages.
func (s *Store) Vacuum(ctx context.Context) error {
	if _, err := s.db.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("vacuum: %w", err)
	}
	return s.Checkpoint(ctx)
}

// MarkStale logically deletes, as of now, contacts not seen since cutoff
// (and contacts without any date created before it); it returns how many.
func (s *Store) MarkStale(ctx context.Context, cutoff, now time.Time) (int, error) {
	res, err := s.db.ExecContext(ctx, `UPDATE contacts SET deleted_at = ?
		WHERE deleted_at IS NULL AND COALESCE(recency, created_at) < ?`, now.Unix(), cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("retention: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		s.changed()
	}
	return int(n), nil
}

// PurgeDeleted physically removes contacts logically deleted before cutoff.
func (s *Store) PurgeDeleted(ctx context.Context, cutoff time.Time) (int, error) {
	ids, err := s.queryIDs(ctx, 0, `SELECT id FROM contacts WHERE deleted_at IS NOT NULL AND deleted_at <= ?`, cutoff.Unix())
	if err != nil {
		return 0, fmt.Errorf("retention: %w", err)
	}
	return s.DeleteContacts(ctx, ids)
}

// ExecForTest runs a statement; tests use it to prove the ledger refuses
// changes. Not for application code: all other SQL has a method.
func (s *Store) ExecForTest(ctx context.Context, stmt string) error {
	_, err := s.db.ExecContext(ctx, stmt)
	return err
}

// SecureDelete reports whether freed pages are overwritten (always on).
func (s *Store) SecureDelete(ctx context.Context) (bool, error) {
	var v int
	err := s.db.QueryRowContext(ctx, `PRAGMA secure_delete`).Scan(&v)
	return v == 1, err
}
