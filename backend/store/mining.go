package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// EnsureSource returns the id of the source with this URI, creating it.
func (s *Store) EnsureSource(ctx context.Context, uri, kind string) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx,
		`INSERT INTO sources(uri, kind, created_at) VALUES (?, ?, ?)
		 ON CONFLICT(uri) DO UPDATE SET kind = excluded.kind RETURNING id`,
		uri, kind, s.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record source: %w", err)
	}
	return id, nil
}

// FolderState is a folder's id and resume point.
type FolderState struct {
	ID     int64
	Cursor string
}

// EnsureFolder returns a folder's state, creating the folder.
func (s *Store) EnsureFolder(ctx context.Context, sourceID int64, name string) (FolderState, error) {
	var f FolderState
	err := s.db.QueryRowContext(ctx,
		`INSERT INTO folders(source_id, name) VALUES (?, ?)
		 ON CONFLICT(source_id, name) DO UPDATE SET name = excluded.name RETURNING id, cursor`,
		sourceID, name).Scan(&f.ID, &f.Cursor)
	if err != nil {
		return f, fmt.Errorf("record folder %q: %w", name, err)
	}
	return f, nil
}

// ResetFolder forgets a folder's cursor and known locations (the server
// renumbered its messages); messages and occurrences stay, so counts stay
// exact when they come back.
func (s *Store) ResetFolder(ctx context.Context, folderID int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM message_locations WHERE folder_id = ?`, folderID); err != nil {
		return fmt.Errorf("reset folder: %w", err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE folders SET cursor = '' WHERE id = ?`, folderID); err != nil {
		return fmt.Errorf("reset folder: %w", err)
	}
	return tx.Commit()
}

// FolderLocations returns the locations already mined in a folder.
func (s *Store) FolderLocations(ctx context.Context, folderID int64) (map[string]struct{}, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT location FROM message_locations WHERE folder_id = ?`, folderID)
	if err != nil {
		return nil, fmt.Errorf("read folder locations: %w", err)
	}
	defer rows.Close()
	known := make(map[string]struct{})
	for rows.Next() {
		var loc string
		if err := rows.Scan(&loc); err != nil {
			return nil, err
		}
		known[loc] = struct{}{}
	}
	return known, rows.Err()
}

// ContactIndex maps every contact's canonical address to its id.
func (s *Store) ContactIndex(ctx context.Context) (map[string]int64, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT email, id FROM contacts`)
	if err != nil {
		return nil, fmt.Errorf("read contacts: %w", err)
	}
	defer rows.Close()
	idx := make(map[string]int64)
	for rows.Next() {
		var email string
		var id int64
		if err := rows.Scan(&email, &id); err != nil {
			return nil, err
		}
		idx[email] = id
	}
	return idx, rows.Err()
}

// Run statuses.
const (
	RunRunning  = "running"
	RunDone     = "done"
	RunFailed   = "failed"
	RunCanceled = "canceled"
)

// RunResult is how a run ended.
type RunResult struct {
	Status       string
	MessagesSeen int
	MessagesNew  int
	ContactsNew  int
	Skipped      int
	Error        string
}

// StartRun records the start of a mining run. Runs left "running" by a
// process that died are marked failed first.
func (s *Store) StartRun(ctx context.Context, sourceID int64) (int64, error) {
	if _, err := s.db.ExecContext(ctx,
		`UPDATE runs SET status = ?, error = 'interrupted', finished_at = ? WHERE source_id = ? AND status = ?`,
		RunFailed, s.now().Unix(), sourceID, RunRunning); err != nil {
		return 0, fmt.Errorf("close interrupted runs: %w", err)
	}
	var id int64
	err := s.db.QueryRowContext(ctx,
		`INSERT INTO runs(source_id, started_at, status) VALUES (?, ?, ?) RETURNING id`,
		sourceID, s.now().Unix(), RunRunning).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("record run: %w", err)
	}
	return id, nil
}

// FinishRun records how a run ended.
func (s *Store) FinishRun(ctx context.Context, runID int64, r RunResult) error {
	now := s.now().Unix()
	_, err := s.db.ExecContext(ctx,
		`UPDATE runs SET status = ?, finished_at = ?, messages_seen = ?, messages_new = ?,
		 contacts_new = ?, skipped = ?, error = ? WHERE id = ?`,
		r.Status, now, r.MessagesSeen, r.MessagesNew, r.ContactsNew, r.Skipped, r.Error, runID)
	if err != nil {
		return fmt.Errorf("record run end: %w", err)
	}
	if r.Status == RunDone {
		_, err = s.db.ExecContext(ctx,
			`UPDATE sources SET last_mined_at = ? WHERE id = (SELECT source_id FROM runs WHERE id = ?)`, now, runID)
	}
	return err
}

// Run is a recorded mining run.
type Run struct {
	ID         int64
	SourceURI  string
	StartedAt  time.Time
	FinishedAt *time.Time
	RunResult
}

// Runs lists the most recent runs first.
func (s *Store) Runs(ctx context.Context, limit int) ([]Run, error) {
	rows, err := s.db.QueryContext(ctx,
		`SELECT r.id, s.uri, r.started_at, r.finished_at, r.status, r.messages_seen, r.messages_new,
		 r.contacts_new, r.skipped, r.error FROM runs r JOIN sources s ON s.id = r.source_id
		 ORDER BY r.id DESC LIMIT ?`, limit)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	defer rows.Close()
	var runs []Run
	for rows.Next() {
		var r Run
		var started int64
		var finished sql.NullInt64
		if err := rows.Scan(&r.ID, &r.SourceURI, &started, &finished, &r.Status, &r.MessagesSeen,
			&r.MessagesNew, &r.ContactsNew, &r.Skipped, &r.Error); err != nil {
			return nil, err
		}
		r.StartedAt = time.Unix(started, 0).UTC()
		r.FinishedAt = timeFromNull(finished)
		runs = append(runs, r)
	}
	return runs, rows.Err()
}

// ForgetContacts deletes the contacts with these canonical addresses (the
// user's own, once they are known) with their occurrences and tags.
func (s *Store) ForgetContacts(ctx context.Context, emails []string) error {
	if len(emails) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("forget contact: %w", err)
	}
	defer tx.Rollback()
	for _, e := range emails {
		// The search index has no trigger: drop the row too, or the words
		// stay in the file and find any new contact that reuses the id.
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts_fts WHERE rowid IN (SELECT id FROM contacts WHERE email = ?)`, e); err != nil {
			return fmt.Errorf("forget contact: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM contacts WHERE email = ?`, e); err != nil {
			return fmt.Errorf("forget contact: %w", err)
		}
	}
	return tx.Commit()
}

// MeKnown reports whether any stored message was sent or received by one of
// the user's addresses, i.e. whether "written to" stats mean anything.
func (s *Store) MeKnown(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM messages WHERE from_me = 1 OR to_me = 1)`).Scan(&n)
	return n == 1, err
}

// Writer adds one batch of mined messages in a single transaction, so a
// folder's cursor is only ever committed with the messages it covers.
type Writer struct {
	tx       *sql.Tx
	sourceID int64
	now      int64
	stmts    map[string]*sql.Stmt
	dirty    map[int64]bool
}

var writerStatements = map[string]string{
	"message": `INSERT INTO messages(key, message_id, date, list_id, conversation, from_me, to_me, folder_id)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING RETURNING id`,
	"messageID":  `SELECT id FROM messages WHERE key = ?`,
	"location":   `INSERT OR IGNORE INTO message_locations(folder_id, location, message_id) VALUES (?, ?, ?)`,
	"contact":    `INSERT INTO contacts(email, created_at, updated_at) VALUES (?, ?, ?) ON CONFLICT(email) DO NOTHING RETURNING id`,
	"contactID":  `SELECT id FROM contacts WHERE email = ?`,
	"tag":        `INSERT OR IGNORE INTO tags(contact_id, name, reachable, source) VALUES (?, ?, ?, ?)`,
	"occurrence": `INSERT OR IGNORE INTO occurrences(message_id, contact_id, field, name, plus_address, header_tag) VALUES (?, ?, ?, ?, ?, ?)`,
	"source":     `INSERT OR IGNORE INTO contact_sources(contact_id, source_id) VALUES (?, ?)`,
	"cursor":     `UPDATE folders SET cursor = ? WHERE id = ?`,
	"dirty":      `UPDATE contacts SET dirty = 1 WHERE id = ? AND dirty = 0`,
	"flags":      `UPDATE messages SET from_me = from_me OR ?, to_me = to_me OR ? WHERE id = ?`,
}

// BeginWrite starts a batch for a source.
func (s *Store) BeginWrite(ctx context.Context, sourceID int64) (*Writer, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("begin batch: %w", err)
	}
	w := &Writer{tx: tx, sourceID: sourceID, now: s.now().Unix(), stmts: map[string]*sql.Stmt{}, dirty: map[int64]bool{}}
	for name, q := range writerStatements {
		st, err := tx.PrepareContext(ctx, q)
		if err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("prepare %s: %w", name, err)
		}
		w.stmts[name] = st
	}
	return w, nil
}

// MessageRow is a message's metadata.
type MessageRow struct {
	Key          string
	MessageID    string
	Date         time.Time
	ListID       string
	Conversation bool
	FromMe       bool
	ToMe         bool
	FolderID     int64
}

// Message stores a message unless one with the same key exists, and returns
// its id and whether it is new.
func (w *Writer) Message(m MessageRow) (int64, bool, error) {
	var id int64
	err := w.stmts["message"].QueryRow(m.Key, nullString(m.MessageID), unixOrNil(m.Date), nullString(m.ListID),
		m.Conversation, m.FromMe, m.ToMe, m.FolderID).Scan(&id)
	if err == nil {
		return id, true, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, fmt.Errorf("store message: %w", err)
	}
	if err := w.stmts["messageID"].QueryRow(m.Key).Scan(&id); err != nil {
		return 0, false, fmt.Errorf("find message: %w", err)
	}
	if m.FromMe || m.ToMe {
		if _, err := w.stmts["flags"].Exec(m.FromMe, m.ToMe, id); err != nil {
			return 0, false, fmt.Errorf("update message: %w", err)
		}
	}
	return id, false, nil
}

// Location records where a message was found.
func (w *Writer) Location(folderID int64, location string, messageID int64) error {
	if _, err := w.stmts["location"].Exec(folderID, location, messageID); err != nil {
		return fmt.Errorf("store location: %w", err)
	}
	return nil
}

// Tag is a contact tag with its reachability and what produced it.
type Tag struct {
	Name      string
	Reachable int
	Source    string
}

// Tag sources.
const (
	TagFromAddress = "address"
	TagFromHeaders = "header"
)

// Contact returns the id of the contact with this canonical address,
// creating it with its address tags; created says which happened.
func (w *Writer) Contact(email string, tags []Tag) (id int64, created bool, err error) {
	err = w.stmts["contact"].QueryRow(email, w.now, w.now).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		if err := w.stmts["contactID"].QueryRow(email).Scan(&id); err != nil {
			return 0, false, fmt.Errorf("find contact: %w", err)
		}
		return id, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("store contact: %w", err)
	}
	for _, t := range tags {
		if _, err := w.stmts["tag"].Exec(id, t.Name, t.Reachable, t.Source); err != nil {
			return 0, false, fmt.Errorf("store tag: %w", err)
		}
	}
	return id, true, nil
}

// OccurrenceRow is a contact seen in a field of a message.
type OccurrenceRow struct {
	MessageID int64
	ContactID int64
	Field     int
	Name      string
	Plus      string
	HeaderTag string
}

// Occurrence stores an occurrence once; the same (message, contact, field)
// is never counted twice. The contact is marked for recomputation.
func (w *Writer) Occurrence(o OccurrenceRow) error {
	res, err := w.stmts["occurrence"].Exec(o.MessageID, o.ContactID, o.Field, nullString(o.Name),
		nullString(o.Plus), nullString(o.HeaderTag))
	if err != nil {
		return fmt.Errorf("store occurrence: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 || w.dirty[o.ContactID] {
		return nil
	}
	w.dirty[o.ContactID] = true
	if _, err := w.stmts["dirty"].Exec(o.ContactID); err != nil {
		return fmt.Errorf("mark contact: %w", err)
	}
	if _, err := w.stmts["source"].Exec(o.ContactID, w.sourceID); err != nil {
		return fmt.Errorf("store contact source: %w", err)
	}
	return nil
}

// Cursor moves a folder's resume point.
func (w *Writer) Cursor(folderID int64, cursor string) error {
	if _, err := w.stmts["cursor"].Exec(cursor, folderID); err != nil {
		return fmt.Errorf("store cursor: %w", err)
	}
	return nil
}

// Commit ends the batch.
func (w *Writer) Commit() error {
	for _, st := range w.stmts {
		st.Close()
	}
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("commit batch: %w", err)
	}
	return nil
}

// Rollback abandons the batch.
func (w *Writer) Rollback() {
	for _, st := range w.stmts {
		st.Close()
	}
	w.tx.Rollback()
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
