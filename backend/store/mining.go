package store

import (
	"context"
	"database/sql"
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
	defer s.changed()
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
	defer s.changed()
	return tx.Commit()
}

// MeKnown reports whether any stored message was sent or received by one of
// the user's addresses, i.e. whether "written to" stats mean anything.
func (s *Store) MeKnown(ctx context.Context) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT EXISTS(SELECT 1 FROM messages WHERE from_me = 1 OR to_me = 1)`).Scan(&n)
	return n == 1, err
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}
