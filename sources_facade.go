package main

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"leadminer/backend/accounts"
	"leadminer/backend/source/imap"
	"leadminer/backend/store"
)

// The sources part of the facade: accounts, local mail and the demo.

// Account is an account as the source list shows it.
type Account struct {
	ID    int64  `json:"id"`
	Kind  string `json:"kind"`
	Label string `json:"label"`
	URI   string `json:"uri"`
	// Auth is how an IMAP account signs in: "" (password), "google", "microsoft".
	Auth          string     `json:"auth"`
	Status        string     `json:"status"`
	StatusMessage string     `json:"status_message"`
	LastMined     *time.Time `json:"last_mined"`
	Contacts      int        `json:"contacts"`
}

func (a *App) account(st accounts.Status) Account {
	acc := Account{ID: st.ID, Kind: st.Kind, Label: st.Label, URI: st.URI, Auth: st.Auth, Status: st.State,
		StatusMessage: st.Message, LastMined: st.LastMined, Contacts: st.Contacts}
	a.mu.Lock()
	if a.state.Running && a.state.URI == st.URI {
		acc.Status = "mining"
	}
	a.mu.Unlock()
	return acc
}

// Accounts lists the accounts and local sources with their status.
func (a *App) Accounts() ([]Account, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	list, err := a.accounts.List(a.ctx)
	if err != nil {
		return nil, userError("Could not read your accounts", err)
	}
	out := make([]Account, 0, len(list))
	for _, st := range list {
		out = append(out, a.account(st))
	}
	return out, nil
}

func (a *App) accountStatus(acc store.Account) Account {
	return a.account(accounts.Status{Account: acc, State: "ready"})
}

// DetectIMAP suggests server settings for an address: the built-in table,
// then DNS and the provider's autoconfig when those switches are on
// (Settings.Skipped names the ones that are off).
func (a *App) DetectIMAP(email string) accounts.Settings {
	if a.ready() != nil {
		return accounts.Detect(email)
	}
	ctx, cancel := context.WithTimeout(a.ctx, 20*time.Second)
	defer cancel()
	s, err := a.accounts.LookUp(ctx, email)
	if err != nil {
		a.log.Info("settings lookup", "err", err)
	}
	return s
}

// TestResult says whether a connection works, and which field to fix.
type TestResult struct {
	OK          bool   `json:"ok"`
	Field       string `json:"field"`
	Message     string `json:"message"`
	Fingerprint string `json:"fingerprint"`
}

func testResult(err error) TestResult {
	if err == nil {
		return TestResult{OK: true, Message: "Connected."}
	}
	var e *imap.Error
	if errors.As(err, &e) {
		return TestResult{Field: e.Field, Message: e.Message, Fingerprint: e.Fingerprint}
	}
	return TestResult{Message: err.Error()}
}

// TestIMAP tries to log in with the form's settings.
func (a *App) TestIMAP(form accounts.IMAPForm) (TestResult, error) {
	if err := a.ready(); err != nil {
		return TestResult{}, err
	}
	return testResult(a.accounts.Check(a.ctx, form)), nil
}

// AddIMAPAccount checks the account and keeps it (password in the keychain).
func (a *App) AddIMAPAccount(form accounts.IMAPForm) (Account, error) {
	if err := a.ready(); err != nil {
		return Account{}, err
	}
	acc, err := a.accounts.AddIMAP(a.ctx, form)
	var ie *imap.Error
	if errors.As(err, &ie) {
		// The form shows the message on the field to fix: send it as the
		// same JSON as a test result.
		b, _ := json.Marshal(testResult(err))
		return Account{}, errors.New(string(b))
	}
	if err != nil {
		return Account{}, userError("Could not add the account", err)
	}
	return a.accountStatus(acc), nil
}

// RemoveAccount forgets an account (its contacts stay).
func (a *App) RemoveAccount(id int64) error {
	if err := a.ready(); err != nil {
		return err
	}
	if err := a.accounts.Remove(a.ctx, id); err != nil {
		return userError("Could not remove the account", err)
	}
	return nil
}

// ChooseMailFolder opens a directory picker (Maildir or .eml folder).
func (a *App) ChooseMailFolder() (string, error) {
	return a.dialogs.openDir("Choose a mail folder (Maildir or .eml files)")
}

// ChooseMailFile opens a file picker (mbox).
func (a *App) ChooseMailFile() (string, error) {
	return a.dialogs.openFile("Choose an mbox file")
}

// AddLocalSource adds a Maildir, an mbox or a folder of .eml files.
func (a *App) AddLocalSource(path string) (Account, error) {
	if err := a.ready(); err != nil {
		return Account{}, err
	}
	acc, err := a.accounts.AddLocal(a.ctx, path)
	if err != nil {
		return Account{}, userError("This is not a mailbox LeadMiner can read", err)
	}
	return a.accountStatus(acc), nil
}

// DemoSource adds the built-in demo mailbox.
func (a *App) DemoSource() (Account, error) {
	if err := a.ready(); err != nil {
		return Account{}, err
	}
	acc, err := a.accounts.Demo(a.ctx)
	if err != nil {
		return Account{}, userError("Could not add the demo mailbox", err)
	}
	return a.accountStatus(acc), nil
}
