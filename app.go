package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"

	"leadminer/backend/accounts"
	"leadminer/backend/appdir"
	"leadminer/backend/contact"
	"leadminer/backend/contacts"
	"leadminer/backend/export"
	"leadminer/backend/mining"
	"leadminer/backend/privacy"
	"leadminer/backend/source"
	"leadminer/backend/source/imap"
	"leadminer/backend/store"
)

// App is the one facade the frontend calls (frontend/src/lib/api.ts mirrors
// it): thin methods over the backend services, turning their errors into
// messages a user can act on, and mining progress into events.
type App struct {
	ctx      context.Context
	log      *slog.Logger
	store    *store.Store
	engine   *mining.Engine
	contacts *contacts.Service
	accounts *accounts.Service
	dialogs  dialogs
	startErr error
	// quit closes the window (runtime.Quit; tests record it).
	quit func()

	mu           sync.Mutex
	cancel       context.CancelFunc
	signInCancel context.CancelFunc
	state        MiningState
}

// NewApp returns the facade; the database opens at startup.
func NewApp(log *slog.Logger) *App { return &App{log: log} }

func (a *App) startup(ctx context.Context) {
	a.ctx = ctx
	a.dialogs = newDialogs(ctx)
	a.quit = func() { runtime.Quit(ctx) }
	if err := a.open(); err != nil {
		a.startErr = err
		a.log.Error("cannot open the database", "err", err)
		return
	}
	// Mail folders and files dropped on the window: the wizard offers to mine them.
	runtime.OnFileDrop(ctx, func(_, _ int, paths []string) {
		runtime.EventsEmit(ctx, "files:dropped", paths)
	})
	go a.retention(ctx, a.privacy())
}

// open opens the database and the services over it.
func (a *App) open() error {
	path, err := appdir.Database()
	if err == nil {
		a.store, err = store.Open(path)
	}
	if err != nil {
		return err
	}
	a.engine = mining.New(a.store, a.log)
	a.contacts = contacts.New(a.store)
	a.accounts = accounts.New(a.store, a.log)
	return nil
}

// retention applies the retention settings at start-up and then daily.
// It holds its own service: "delete all my data" may drop the app's store.
func (a *App) retention(ctx context.Context, svc *privacy.Service) {
	for {
		if rep, err := svc.Purge(ctx); err != nil {
			a.log.Error("retention purge failed", "err", err)
		} else if rep.MarkedDeleted+rep.Purged > 0 {
			a.log.Info("retention purge", "hidden", rep.MarkedDeleted, "purged", rep.Purged)
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(24 * time.Hour):
		}
	}
}

func (a *App) shutdown(context.Context) {
	a.HaltMining()
	if a.store != nil {
		a.contacts.Wait() // table views still being built read the store
		a.store.Close()
	}
}

func (a *App) ready() error {
	if a.startErr != nil {
		return userError("LeadMiner could not open its database", a.startErr)
	}
	if a.store == nil {
		return errors.New("LeadMiner is still starting")
	}
	return nil
}

// userError is what the window shows: a sentence, then the cause.
func userError(what string, err error) error {
	var e *imap.Error
	if errors.As(err, &e) {
		return errors.New(e.Message)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// ---- sources ---------------------------------------------------------------

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

// ---- mining -------------------------------------------------------------------

// Folder is a folder of a source, with the default selection.
type Folder struct {
	Name       string `json:"name"`
	Count      int    `json:"count"`
	SpecialUse string `json:"special_use"`
	Selectable bool   `json:"selectable"`
	Default    bool   `json:"default"`
	// Delimiter separates the levels of Name ("" means "/").
	Delimiter string `json:"delimiter,omitempty"`
}

// Folders lists a source's folders.
func (a *App) Folders(uri string) ([]Folder, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	src, err := a.accounts.OpenSource(a.ctx, uri)
	if err != nil {
		return nil, userError("Could not open the mailbox", err)
	}
	defer src.Close()
	list, err := src.Folders(a.ctx)
	if err != nil {
		return nil, userError("Could not list the folders", err)
	}
	def := map[string]bool{}
	for _, n := range source.DefaultFolders(list) {
		def[n] = true
	}
	out := make([]Folder, 0, len(list))
	for _, f := range list {
		out = append(out, Folder{Name: f.Name, Count: f.Count, SpecialUse: f.SpecialUse, Selectable: f.Selectable, Default: def[f.Name],
			Delimiter: f.Delimiter})
	}
	return out, nil
}

// MineRequest says what to mine.
type MineRequest struct {
	URI     string   `json:"uri"`
	Folders []string `json:"folders"`
}

// MiningState is what the backend is doing; a reopened window reattaches.
type MiningState struct {
	Running  bool             `json:"running"`
	URI      string           `json:"uri"`
	Request  *MineRequest     `json:"request"`
	Progress *mining.Progress `json:"progress"`
	Summary  *mining.Summary  `json:"summary"`
	Error    string           `json:"error"`
}

// MiningState returns the current or last run.
func (a *App) MiningState() MiningState {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.state
}

// StartMining mines in the background; progress comes as events.
func (a *App) StartMining(req MineRequest) error {
	if err := a.ready(); err != nil {
		return err
	}
	a.mu.Lock()
	if a.cancel != nil {
		a.mu.Unlock()
		return errors.New("a mining run is already in progress")
	}
	ctx, cancel := context.WithCancel(a.ctx)
	a.cancel = cancel
	a.state = MiningState{Running: true, URI: req.URI, Request: &req}
	a.mu.Unlock()

	finish := func(sum *mining.Summary, err error) {
		a.mu.Lock()
		a.cancel = nil
		a.state.Running = false
		a.state.Summary = sum
		if err != nil {
			a.state.Error = err.Error()
		}
		a.mu.Unlock()
		cancel()
		if err != nil {
			runtime.EventsEmit(a.ctx, "mining:error", err.Error())
		} else {
			runtime.EventsEmit(a.ctx, "mining:done", sum)
		}
	}
	go func() {
		src, err := a.accounts.OpenSource(ctx, req.URI)
		if err != nil {
			finish(nil, userError("Could not open the mailbox", err))
			return
		}
		defer src.Close()
		sum, err := a.engine.Run(ctx, mining.Request{Source: src, Folders: req.Folders}, func(p mining.Progress) {
			a.mu.Lock()
			a.state.Progress = &p
			a.mu.Unlock()
			runtime.EventsEmit(a.ctx, "mining:progress", p)
		})
		if err != nil {
			finish(&sum, userError("Mining stopped", err))
			return
		}
		finish(&sum, nil)
	}()
	return nil
}

// HaltMining stops the current run; what was mined is kept.
func (a *App) HaltMining() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.cancel != nil {
		a.cancel()
	}
}

// ---- contacts -----------------------------------------------------------------

// ContactQuery is what the contacts table asks for.
type ContactQuery struct {
	Search  string         `json:"search"`
	Sort    *store.Sort    `json:"sort"`
	Quick   store.Quick    `json:"quick"`
	Filters []store.Filter `json:"filters"`
	Offset  int            `json:"offset"`
	Limit   int            `json:"limit"`
}

func (q ContactQuery) store() store.Query {
	return store.Query{Search: q.Search, Sort: q.Sort, Quick: q.Quick, Filters: q.Filters, Offset: q.Offset, Limit: q.Limit}
}

// ContactRow is a contact with its id, for the table.
type ContactRow struct {
	ID int64 `json:"id"`
	contact.Contact
}

// ContactPage is one page of the table.
type ContactPage struct {
	Total    int          `json:"total"`
	Contacts []ContactRow `json:"contacts"`
}

// QueryContacts returns one page, sorted, filtered and searched in SQLite.
func (a *App) QueryContacts(q ContactQuery) (ContactPage, error) {
	if err := a.ready(); err != nil {
		return ContactPage{}, err
	}
	if q.Limit <= 0 || q.Limit > 1000 {
		q.Limit = 100
	}
	page, err := a.contacts.Page(a.ctx, q.store())
	if err != nil {
		return ContactPage{}, userError("Could not read your contacts", err)
	}
	out := ContactPage{Total: page.Total, Contacts: make([]ContactRow, 0, len(page.Contacts))}
	for _, c := range page.Contacts {
		out.Contacts = append(out.Contacts, ContactRow{ID: c.ID, Contact: c})
	}
	return out, nil
}

// ContactDetail is a contact with where it was seen.
type ContactDetail struct {
	Contact ContactRow       `json:"contact"`
	Seen    []store.Sighting `json:"seen"`
}

// ContactDetail returns one contact for the panel.
func (a *App) ContactDetail(id int64) (ContactDetail, error) {
	if err := a.ready(); err != nil {
		return ContactDetail{}, err
	}
	d, err := a.contacts.Detail(a.ctx, id)
	if err != nil {
		return ContactDetail{}, userError("Could not read this contact", err)
	}
	return ContactDetail{Contact: ContactRow{ID: d.Contact.ID, Contact: d.Contact}, Seen: d.Seen}, nil
}

// UpdateContact saves the panel's edits.
func (a *App) UpdateContact(id int64, patch store.Patch) (ContactRow, error) {
	if err := a.ready(); err != nil {
		return ContactRow{}, err
	}
	// An edit is a rectification: it is recorded in the consent ledger.
	c, err := a.privacy().Rectify(a.ctx, id, patch)
	if err != nil {
		return ContactRow{}, userError("Could not save this contact", err)
	}
	return ContactRow{ID: c.ID, Contact: c}, nil
}

// Selection is explicit ids, else every contact the query selects.
type Selection struct {
	IDs   []int64      `json:"ids"`
	Query ContactQuery `json:"query"`
	// Except are rows unticked after "select all": every filtered row but these.
	Except []int64 `json:"except"`
}

func (s Selection) query() store.Query {
	q := s.Query.store()
	q.Offset, q.Limit = 0, 0
	if len(s.IDs) > 0 {
		return store.Query{IDs: s.IDs, All: true}
	}
	q.ExceptIDs = s.Except
	return q
}

// RemoveContacts deletes the selected contacts.
func (a *App) RemoveContacts(sel Selection) (int, error) {
	if err := a.ready(); err != nil {
		return 0, err
	}
	ids, err := a.contacts.Resolve(a.ctx, sel.IDs, sel.query())
	if err == nil {
		var n int
		n, err = a.contacts.Remove(a.ctx, ids)
		if err == nil {
			return n, nil
		}
	}
	return 0, userError("Could not remove the contacts", err)
}

// ExportOptions are the export dialog's choices.
type ExportOptions struct {
	Format       string `json:"format"`
	Delimiter    string `json:"delimiter"`
	BOM          bool   `json:"bom"`
	VCardVersion string `json:"vcard_version"`
}

// ExportResult is where the file went ("" when cancelled) and how many.
type ExportResult struct {
	Path  string `json:"path"`
	Count int    `json:"count"`
}

func (a *App) writeExport(path string, sel Selection, opts ExportOptions) (int, error) {
	f, err := export.ParseFormat(opts.Format)
	if err != nil {
		return 0, err
	}
	delim := ','
	if opts.Delimiter != "" {
		if delim, err = export.ParseDelimiter(opts.Delimiter); err != nil {
			return 0, err
		}
	}
	eo := export.Options{Delimiter: delim, BOM: opts.BOM, VCardVersion: opts.VCardVersion}
	return export.WriteFile(path, f, eo, func(yield func(contact.Contact) error) error {
		return a.contacts.List(a.ctx, sel.query(), yield)
	})
}

// Export writes the selection to a file the user chooses.
func (a *App) Export(sel Selection, opts ExportOptions) (ExportResult, error) {
	if err := a.ready(); err != nil {
		return ExportResult{}, err
	}
	f, err := export.ParseFormat(opts.Format)
	if err != nil {
		return ExportResult{}, err
	}
	name := "leadminer-contacts-" + time.Now().Format(time.DateOnly) + export.Extension(f)
	path, err := a.dialogs.save("Export contacts", name)
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	n, err := a.writeExport(path, sel, opts)
	if err != nil {
		return ExportResult{}, userError("Could not export", err)
	}
	return ExportResult{Path: path, Count: n}, nil
}

// PrepareDragExport writes the selection to a private temporary file that
// a drag out of the window hands to the desktop or a file manager.
func (a *App) PrepareDragExport(sel Selection, opts ExportOptions) (string, error) {
	if err := a.ready(); err != nil {
		return "", err
	}
	dir := appdir.DragDir()
	if err := prepareDragDir(dir); err != nil {
		return "", err
	}
	f, _ := export.ParseFormat(opts.Format)
	path := filepath.Join(dir, "leadminer-contacts-"+time.Now().Format(time.DateOnly)+export.Extension(f))
	if _, err := a.writeExport(path, sel, opts); err != nil {
		return "", userError("Could not prepare the file", err)
	}
	return path, nil
}

// prepareDragDir makes the private drag-and-drop directory and empties it
// of old files, so contact data does not pile up in the temporary directory.
func prepareDragDir(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if info, err := e.Info(); err == nil && time.Since(info.ModTime()) > time.Hour {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
	return nil
}

// Overview is what the window needs at start: whether there are contacts
// already (a returning user lands on them) and whether mining runs.
type Overview struct {
	Contacts int  `json:"contacts"`
	Visible  int  `json:"visible"`
	Mining   bool `json:"mining"`
}

// Overview counts contacts and says whether a run is going on.
func (a *App) Overview() (Overview, error) {
	if err := a.ready(); err != nil {
		return Overview{}, err
	}
	c, err := a.store.Count(a.ctx)
	if err != nil {
		return Overview{}, userError("Could not read your contacts", err)
	}
	return Overview{Contacts: c.Contacts, Visible: c.Visible, Mining: a.MiningState().Running}, nil
}

// ---- preferences ---------------------------------------------------------------

// LoadPrefs returns the window's saved preferences (JSON, "" when none).
func (a *App) LoadPrefs() (string, error) {
	if err := a.ready(); err != nil {
		return "", err
	}
	return a.store.Setting(a.ctx, "ui_prefs")
}

// SavePrefs keeps the window's preferences between runs.
func (a *App) SavePrefs(json string) error {
	if err := a.ready(); err != nil {
		return err
	}
	if len(json) > 1<<20 || !strings.HasPrefix(strings.TrimSpace(json), "{") {
		return errors.New("preferences must be a JSON object under 1 MB")
	}
	return a.store.SetSetting(a.ctx, "ui_prefs", json)
}
