package store

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Subjects identify people in the privacy tables (consent ledger,
// suppression list, egress log) by a keyed hash of their normalised
// address, so an erased person's address is kept nowhere in clear. The key
// is random per installation, in a private file next to the database: it
// makes the hashes useless outside this installation. It is not a
// credential; "delete all my data" removes it with the database.

// KeyPath is the subject key file of a database.
func KeyPath(dbPath string) string { return dbPath + ".key" }

func loadSubjectKey(dbPath string) ([]byte, error) {
	path := KeyPath(dbPath)
	b, err := os.ReadFile(path)
	if err == nil && len(b) == 64 {
		key := make([]byte, 32)
		if _, err := hex.Decode(key, b); err == nil {
			return key, nil
		}
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("read the privacy key: %w", err)
	}
	if err == nil {
		return nil, fmt.Errorf("the privacy key %s is damaged: restore it from a backup, or delete it to lose the link to existing suppression entries", path)
	}
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		return nil, err
	}
	// Written whole to a temporary file, then linked in place: a process
	// opening the same database at the same moment reads either no key or
	// the complete one, and the first link wins.
	tmp, err := os.CreateTemp(filepath.Dir(path), ".key-*")
	if err != nil {
		return nil, fmt.Errorf("write the privacy key: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.WriteString(hex.EncodeToString(key)); err != nil {
		tmp.Close()
		return nil, fmt.Errorf("write the privacy key: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return nil, err
	}
	if err := os.Link(tmp.Name(), path); errors.Is(err, fs.ErrExist) {
		return loadSubjectKey(dbPath)
	} else if err != nil {
		return nil, fmt.Errorf("write the privacy key: %w", err)
	}
	return key, nil
}

// Subject is the keyed hash of a canonical address (or of "@domain").
func (s *Store) Subject(normalised string) string {
	m := hmac.New(sha256.New, s.subjectKey)
	m.Write([]byte(strings.ToLower(strings.TrimSpace(normalised))))
	return hex.EncodeToString(m.Sum(nil))
}

// fillSubjects sets the subject of contacts that have none (contacts
// written before subjects existed, or by a writer without them).
func (s *Store) fillSubjects(ctx context.Context) error {
	rows, err := s.db.QueryContext(ctx, `SELECT id, email FROM contacts WHERE subject = ''`)
	if err != nil {
		return fmt.Errorf("read contacts: %w", err)
	}
	type pending struct {
		id    int64
		email string
	}
	var todo []pending
	for rows.Next() {
		var p pending
		if err := rows.Scan(&p.id, &p.email); err != nil {
			rows.Close()
			return err
		}
		todo = append(todo, p)
	}
	rows.Close()
	if len(todo) == 0 {
		return nil
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, p := range todo {
		if _, err := tx.ExecContext(ctx, `UPDATE contacts SET subject = ? WHERE id = ?`, s.Subject(p.email), p.id); err != nil {
			return fmt.Errorf("set subjects: %w", err)
		}
	}
	return tx.Commit()
}
