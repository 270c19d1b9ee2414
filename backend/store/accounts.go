package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"
)

// Account is a mailbox or local source the user added.
type Account struct {
	ID          int64
	Kind        string
	Label       string
	URI         string
	Email       string
	Provider    string
	TrustedCert string
	// Auth is how it signs in: "" (a password), "google" or "microsoft".
	Auth string
	// AuthError says why the sign-in must be renewed ("" when it works).
	AuthError string
	CreatedAt time.Time
	// LastMined, Contacts and LastError come from the source's runs.
	LastMined *time.Time
	Contacts  int
	LastError string
}

// SaveAccount adds an account, or updates the one with the same URI.
func (s *Store) SaveAccount(ctx context.Context, a Account) (int64, error) {
	var id int64
	err := s.db.QueryRowContext(ctx, `
		INSERT INTO accounts(kind, label, uri, email, provider, trusted_cert, auth, auth_error, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, '', ?)
		ON CONFLICT(uri) DO UPDATE SET kind = excluded.kind, label = excluded.label, email = excluded.email,
			provider = excluded.provider, trusted_cert = excluded.trusted_cert, auth = excluded.auth, auth_error = ''
		RETURNING id`, a.Kind, a.Label, a.URI, a.Email, a.Provider, a.TrustedCert, a.Auth, s.now().Unix()).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("save account: %w", err)
	}
	return id, nil
}

// Accounts lists the accounts, oldest first, with their mining status.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	rows, err := s.db.QueryContext(ctx, `
		SELECT a.id, a.kind, a.label, a.uri, a.email, a.provider, a.trusted_cert, a.auth, a.auth_error, a.created_at, s.last_mined_at,
			(SELECT COUNT(*) FROM contact_sources cs JOIN contacts c ON c.id = cs.contact_id WHERE cs.source_id = s.id AND c.hidden = 0),
			COALESCE((SELECT r.error FROM runs r WHERE r.source_id = s.id ORDER BY r.id DESC LIMIT 1), '')
		FROM accounts a LEFT JOIN sources s ON s.uri = a.uri ORDER BY a.id`)
	if err != nil {
		return nil, fmt.Errorf("read accounts: %w", err)
	}
	defer rows.Close()
	var out []Account
	for rows.Next() {
		var a Account
		var created int64
		var last sql.NullInt64
		if err := rows.Scan(&a.ID, &a.Kind, &a.Label, &a.URI, &a.Email, &a.Provider, &a.TrustedCert, &a.Auth, &a.AuthError, &created, &last,
			&a.Contacts, &a.LastError); err != nil {
			return nil, err
		}
		a.CreatedAt = time.Unix(created, 0).UTC()
		a.LastMined = timeFromNull(last)
		out = append(out, a)
	}
	return out, rows.Err()
}

// AccountByID returns one account.
func (s *Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	all, err := s.Accounts(ctx)
	if err != nil {
		return Account{}, err
	}
	for _, a := range all {
		if a.ID == id {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("account %d: %w", id, ErrNotFound)
}

// SetAccountAuthError records why an account must sign in again ("" once
// it works again).
func (s *Store) SetAccountAuthError(ctx context.Context, uri, msg string) error {
	if _, err := s.db.ExecContext(ctx, `UPDATE accounts SET auth_error = ? WHERE uri = ?`, msg, uri); err != nil {
		return fmt.Errorf("record the account's sign-in state: %w", err)
	}
	return nil
}

// DeleteAccount forgets an account (its mined contacts stay).
func (s *Store) DeleteAccount(ctx context.Context, id int64) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM accounts WHERE id = ?`, id)
	if err != nil {
		return fmt.Errorf("remove account: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("account %d: %w", id, ErrNotFound)
	}
	return nil
}
