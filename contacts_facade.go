package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"time"

	"leadminer/backend/appdir"
	"leadminer/backend/contact"
	"leadminer/backend/export"
	"leadminer/backend/store"
)

// The contacts part of the facade: table pages, the panel, removal,
// export and drag-out, and the window's preferences.

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
