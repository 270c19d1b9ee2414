package main

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"leadminer/backend/appdir"
	"leadminer/backend/egress"
	"leadminer/backend/privacy"
	"leadminer/backend/secrets"
	"leadminer/backend/store"
)

// The Privacy area's part of the facade (same App, one file per area).

// SubprocessorState is a register row: the service, its switch, last use.
type SubprocessorState struct {
	egress.Subprocessor
	Enabled  bool       `json:"enabled"`
	LastUsed *time.Time `json:"last_used"`
}

func (a *App) privacy() *privacy.Service {
	svc := privacy.New(a.store)
	svc.Contacts = a.contacts // one contacts service, one page cache
	return svc
}

// Subprocessors lists the register.
func (a *App) Subprocessors() ([]SubprocessorState, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	gate := a.privacy().Gate()
	last, err := a.store.LastEgress(a.ctx)
	if err != nil {
		return nil, userError("Could not read the egress log", err)
	}
	out := make([]SubprocessorState, 0, len(egress.Registry))
	for _, sp := range egress.Registry {
		on, err := gate.Enabled(a.ctx, sp.ID)
		if err != nil {
			return nil, userError("Could not read the switches", err)
		}
		st := SubprocessorState{Subprocessor: sp, Enabled: on}
		if t, ok := last[sp.ID]; ok {
			st.LastUsed = &t
		}
		out = append(out, st)
	}
	return out, nil
}

// SetSubprocessor switches a subprocessor on or off.
func (a *App) SetSubprocessor(id string, on bool) error {
	if err := a.ready(); err != nil {
		return err
	}
	if err := a.privacy().Gate().SetEnabled(a.ctx, id, on); err != nil {
		return userError("Could not change the switch", err)
	}
	return nil
}

// EgressLog lists the calls that left the machine, newest first.
func (a *App) EgressLog(limit int) ([]store.EgressEvent, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	log, err := a.store.EgressLog(a.ctx, "", limit)
	if err != nil {
		return nil, userError("Could not read the egress log", err)
	}
	return log, nil
}

// Suppressions lists Do Not Mine Me.
func (a *App) Suppressions() ([]store.Suppression, error) {
	if err := a.ready(); err != nil {
		return nil, err
	}
	list, err := a.store.Suppressions(a.ctx)
	if err != nil {
		return nil, userError("Could not read the suppression list", err)
	}
	return list, nil
}

// SuppressResult says how many entries were added and which were refused.
type SuppressResult struct {
	Added   int      `json:"added"`
	Ignored []string `json:"ignored"`
}

// Suppress adds addresses and @domains (one per line, or separated by
// commas) to Do Not Mine Me.
func (a *App) Suppress(text string) (SuppressResult, error) {
	if err := a.ready(); err != nil {
		return SuppressResult{}, err
	}
	n, bad, err := a.privacy().Import(a.ctx, strings.NewReader(text), "manual")
	if err != nil {
		return SuppressResult{}, userError("Could not update the suppression list", err)
	}
	if bad == nil {
		bad = []string{}
	}
	return SuppressResult{Added: n, Ignored: bad}, nil
}

// ImportSuppressions reads a list file chosen by the user.
func (a *App) ImportSuppressions() (SuppressResult, error) {
	path, err := a.dialogs.openFile("Choose a list of addresses to never mine")
	if err != nil || path == "" {
		return SuppressResult{Ignored: []string{}}, err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return SuppressResult{}, userError("Could not read the list", err)
	}
	return a.Suppress(string(b))
}

// RemoveSuppression lets a person be mined again (they asked for it).
func (a *App) RemoveSuppression(subject string) error {
	if err := a.ready(); err != nil {
		return err
	}
	return a.store.Unsuppress(a.ctx, subject)
}

// Retention returns the retention settings.
func (a *App) Retention() (privacy.Retention, error) {
	if err := a.ready(); err != nil {
		return privacy.Retention{}, err
	}
	return a.privacy().Retention(a.ctx)
}

// SetRetention changes them.
func (a *App) SetRetention(r privacy.Retention) error {
	if err := a.ready(); err != nil {
		return err
	}
	return a.privacy().SetRetention(a.ctx, r)
}

// PurgeNow applies retention now.
func (a *App) PurgeNow() (privacy.PurgeReport, error) {
	if err := a.ready(); err != nil {
		return privacy.PurgeReport{}, err
	}
	rep, err := a.privacy().Purge(a.ctx)
	if err != nil {
		return rep, userError("Could not apply retention", err)
	}
	return rep, nil
}

// ContactRights is the panel's privacy part for one contact.
type ContactRights struct {
	ConsentStatus string              `json:"consent_status"`
	Restricted    bool                `json:"restricted"`
	Suppressed    bool                `json:"suppressed"`
	History       []store.LedgerEntry `json:"history"`
	// Source answers "where did you get my address?" (GDPR Art. 14).
	Source  string `json:"source"`
	Summary string `json:"summary"`
}

func (a *App) target(id int64) (privacy.Target, error) {
	c, err := a.store.ContactByID(a.ctx, id)
	if err != nil {
		return privacy.Target{}, userError("Could not read this contact", err)
	}
	return privacy.Target{Address: c.Email}, nil
}

// ContactRights returns a contact's consent history and status.
func (a *App) ContactRights(id int64) (ContactRights, error) {
	if err := a.ready(); err != nil {
		return ContactRights{}, err
	}
	t, err := a.target(id)
	if err != nil {
		return ContactRights{}, err
	}
	rep, err := a.privacy().Access(a.ctx, t)
	if err != nil {
		return ContactRights{}, userError("Could not read the consent history", err)
	}
	r := ContactRights{Restricted: rep.Restricted, Suppressed: rep.Suppressed, History: rep.ConsentHistory,
		Source: rep.Source, Summary: rep.Summary}
	if rep.Contact != nil {
		r.ConsentStatus = rep.Contact.ConsentStatus
	}
	return r, nil
}

// ExportContactData writes everything held about a contact to a JSON file
// the user chooses (access and portability request).
func (a *App) ExportContactData(id int64) (ExportResult, error) {
	if err := a.ready(); err != nil {
		return ExportResult{}, err
	}
	t, err := a.target(id)
	if err != nil {
		return ExportResult{}, err
	}
	rep, err := a.privacy().Access(a.ctx, t)
	if err != nil {
		return ExportResult{}, userError("Could not gather the data", err)
	}
	path, err := a.dialogs.save("Save the access report", "leadminer-access-"+t.Address+".json")
	if err != nil || path == "" {
		return ExportResult{}, err
	}
	b, _ := json.MarshalIndent(rep, "", "  ")
	if err := os.WriteFile(path, append(b, '\n'), 0o600); err != nil {
		return ExportResult{}, userError("Could not write the report", err)
	}
	return ExportResult{Path: path, Count: 1}, nil
}

// ExerciseRight applies a right to a contact: erase, restrict, object,
// withdraw or grant (consent given).
func (a *App) ExerciseRight(id int64, right, note string) error {
	if err := a.ready(); err != nil {
		return err
	}
	t, err := a.target(id)
	if err != nil {
		return err
	}
	svc := a.privacy()
	switch right {
	case "erase":
		_, err = svc.Erase(a.ctx, t)
	case "restrict":
		err = svc.Restrict(a.ctx, t, note)
	case "object":
		err = svc.Object(a.ctx, t, note)
	case "withdraw":
		err = svc.Withdraw(a.ctx, t, note)
	case "grant":
		err = svc.Grant(a.ctx, t, privacy.PurposeCampaigns, note)
	default:
		return fmt.Errorf("unknown right %q", right)
	}
	if err != nil {
		return userError("Could not record the request", err)
	}
	return nil
}

// DeleteAllData deletes every file and keychain entry of the app, then
// quits: nothing of the user's is left behind.
func (a *App) DeleteAllData(confirm string) error {
	if confirm != "DELETE" {
		return fmt.Errorf(`type DELETE to confirm`)
	}
	a.HaltMining()
	dir, err := appdir.Dir()
	if err != nil {
		return err
	}
	if a.store != nil {
		a.contacts.Wait()
		a.store.Close()
		a.store = nil
	}
	if err := privacy.DeleteAllData(dir, appdir.DragDir(), secrets.Keychain{}); err != nil {
		return userError("Some data could not be deleted", err)
	}
	a.startErr = fmt.Errorf("all data was deleted")
	a.quit()
	return nil
}
