package main

import (
	"context"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"leadminer/backend/mining"
	"leadminer/backend/privacy"
	"leadminer/backend/store"
)

// facade is an App over a fresh data directory with the demo mailbox
// mined, its dialogs answering into dir, and quit recorded.
type facade struct {
	*App
	dir   string
	quits int
}

func newFacade(t *testing.T) *facade {
	t.Helper()
	keyring.MockInit()
	home, dialogDir := t.TempDir(), t.TempDir()
	t.Setenv("LEADMINER_HOME", home)
	t.Setenv("TMPDIR", t.TempDir())
	f := &facade{App: NewApp(slog.New(slog.DiscardHandler)), dir: dialogDir}
	f.ctx = context.Background()
	f.dialogs = dialogs{
		save:     func(_, name string) (string, error) { return filepath.Join(dialogDir, name), nil },
		openDir:  func(string) (string, error) { return "", nil },
		openFile: func(string) (string, error) { return filepath.Join(dialogDir, "list.txt"), nil },
	}
	f.quit = func() { f.quits++ }
	if err := f.open(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if f.store != nil {
			f.store.Close()
		}
	})
	acc, err := f.DemoSource()
	if err != nil {
		t.Fatal(err)
	}
	src, err := f.accounts.OpenSource(f.ctx, acc.URI)
	if err != nil {
		t.Fatal(err)
	}
	defer src.Close()
	if _, err := f.engine.Run(f.ctx, mining.Request{Source: src}, nil); err != nil {
		t.Fatal(err)
	}
	return f
}

// first returns a contact of the table.
func (f *facade) first(t *testing.T) ContactRow {
	t.Helper()
	page, err := f.QueryContacts(ContactQuery{Limit: 1})
	if err != nil || len(page.Contacts) == 0 {
		t.Fatalf("no contact: %v", err)
	}
	return page.Contacts[0]
}

func (f *facade) find(t *testing.T, email string) int {
	t.Helper()
	page, err := f.QueryContacts(ContactQuery{Search: email, Quick: store.Quick{ShowHidden: true}, Limit: 10})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range page.Contacts {
		if c.Email == email {
			n++
		}
	}
	return n
}

func TestFacadeRightsOfOneContact(t *testing.T) {
	f := newFacade(t)
	c := f.first(t)

	r, err := f.ContactRights(c.ID)
	if err != nil || r.ConsentStatus != "legitimate_interest" || len(r.History) != 0 || !strings.Contains(r.Source, "demo") {
		t.Fatalf("rights before any request: %+v, %v", r, err)
	}
	title := "Head of Tests"
	if _, err := f.UpdateContact(c.ID, store.Patch{JobTitle: &title}); err != nil {
		t.Fatal(err)
	}
	if err := f.ExerciseRight(c.ID, "object", "by phone"); err != nil {
		t.Fatal(err)
	}
	r, _ = f.ContactRights(c.ID)
	if len(r.History) != 2 || r.History[0].Action != privacy.ActionRectified || r.History[1].Action != privacy.ActionObjected ||
		r.ConsentStatus != "opt_out" || !r.Suppressed {
		t.Errorf("after an edit and an objection: %+v", r)
	}
	if err := f.ExerciseRight(c.ID, "grant", ""); err != nil {
		t.Fatal(err)
	}
	if r, _ = f.ContactRights(c.ID); r.ConsentStatus != "opt_in" {
		t.Errorf("after consent given: %q", r.ConsentStatus)
	}
	if err := f.ExerciseRight(c.ID, "forget-me-maybe", ""); err == nil {
		t.Error("an unknown right was accepted")
	}

	res, err := f.ExportContactData(c.ID)
	if err != nil || res.Path == "" || filepath.Dir(res.Path) != f.dir {
		t.Fatalf("export: %+v, %v", res, err)
	}
	b, err := os.ReadFile(res.Path)
	if err != nil || !strings.Contains(string(b), c.Email) || !json.Valid(b) {
		t.Errorf("access report %s: %v\n%.300s", res.Path, err, b)
	}
	if info, _ := os.Stat(res.Path); info.Mode().Perm() != 0o600 {
		t.Errorf("access report mode %v", info.Mode().Perm())
	}

	if err := f.ExerciseRight(c.ID, "erase", ""); err != nil {
		t.Fatal(err)
	}
	if f.find(t, c.Email) != 0 {
		t.Errorf("%s is still in the table after erasure", c.Email)
	}
	if _, err := f.ContactRights(c.ID); err == nil {
		t.Error("the erased contact still has rights to show")
	}
}

func TestFacadeSuppressionListAndRegister(t *testing.T) {
	f := newFacade(t)
	res, err := f.Suppress("a@example.com, @Example.org\nnot an address")
	if err != nil || res.Added != 2 || len(res.Ignored) != 1 || res.Ignored[0] != "not an address" {
		t.Fatalf("Suppress: %+v, %v", res, err)
	}
	os.WriteFile(filepath.Join(f.dir, "list.txt"), []byte("b@example.com\n"), 0o600)
	if res, err = f.ImportSuppressions(); err != nil || res.Added != 1 || res.Ignored == nil {
		t.Fatalf("ImportSuppressions: %+v, %v", res, err)
	}
	list, err := f.Suppressions()
	if err != nil || len(list) != 3 {
		t.Fatalf("Suppressions: %+v, %v", list, err)
	}
	for _, s := range list {
		if strings.Contains(s.Subject, "example") {
			t.Errorf("an entry is kept in clear: %+v", s)
		}
	}
	if err := f.RemoveSuppression(list[0].Subject); err != nil {
		t.Fatal(err)
	}
	if list, _ = f.Suppressions(); len(list) != 2 {
		t.Errorf("after removing one: %d entries", len(list))
	}

	reg, err := f.Subprocessors()
	if err != nil || len(reg) == 0 {
		t.Fatalf("Subprocessors: %v", err)
	}
	for _, sp := range reg {
		if sp.Enabled || sp.LastUsed != nil {
			t.Errorf("%s starts on or used: %+v", sp.ID, sp)
		}
	}
	if err := f.SetSubprocessor("openrouter", true); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSubprocessor("no-such-service", true); err == nil {
		t.Error("an unknown service was switched on")
	}
	reg, _ = f.Subprocessors()
	for _, sp := range reg {
		if sp.Enabled != (sp.ID == "openrouter") {
			t.Errorf("%s enabled=%v", sp.ID, sp.Enabled)
		}
	}
	log, err := f.EgressLog(50)
	if err != nil || log == nil || len(log) != 0 {
		t.Errorf("EgressLog = %#v, %v; want an empty list", log, err)
	}
}

func TestFacadeRetention(t *testing.T) {
	f := newFacade(t)
	r, err := f.Retention()
	if err != nil || r.ContactMonths != 36 || r.VerificationDays != 100 || r.EnrichmentMonths != 6 {
		t.Fatalf("defaults: %+v, %v", r, err)
	}
	if err := f.SetRetention(privacy.Retention{ContactMonths: 12, VerificationDays: 30, EnrichmentMonths: 3}); err != nil {
		t.Fatal(err)
	}
	if r, _ = f.Retention(); r != (privacy.Retention{ContactMonths: 12, VerificationDays: 30, EnrichmentMonths: 3}) {
		t.Errorf("after saving: %+v", r)
	}
	if err := f.SetRetention(privacy.Retention{ContactMonths: -1}); err == nil {
		t.Error("a negative period was accepted")
	}
	// What it purges is tested in backend/privacy; here, that it runs and reports.
	rep, err := f.PurgeNow()
	if err != nil || rep.At.IsZero() {
		t.Errorf("PurgeNow: %+v, %v", rep, err)
	}
}

func TestFacadeDeleteAllDataNeedsTheWordThenLeavesNothing(t *testing.T) {
	f := newFacade(t)
	home := os.Getenv("LEADMINER_HOME")
	if err := f.DeleteAllData("delete"); err == nil || f.store == nil {
		t.Fatal("deleted without the exact confirmation")
	}
	if err := f.DeleteAllData("DELETE"); err != nil {
		t.Fatal(err)
	}
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		t.Errorf("the data directory still holds %d entries", len(entries))
	}
	if f.quits != 1 {
		t.Errorf("quit %d times, want once", f.quits)
	}
	if _, err := f.QueryContacts(ContactQuery{}); err == nil {
		t.Error("the facade still answers after deleting everything")
	}
}

func TestSelectionLeavesOutRowsUntickedAfterSelectAll(t *testing.T) {
	all := Selection{Except: []int64{3, 5}}.query()
	if !slices.Equal(all.ExceptIDs, []int64{3, 5}) || all.IDs != nil {
		t.Errorf("select all but two: %+v", all)
	}
	ticked := Selection{IDs: []int64{1}, Except: []int64{3}}.query()
	if !slices.Equal(ticked.IDs, []int64{1}) || ticked.ExceptIDs != nil {
		t.Errorf("ticked rows ignore the exceptions of another mode: %+v", ticked)
	}
}
