package cli_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"leadminer/backend/contact"
)

// emails of a listing.
func emails(list []contact.Contact) map[string]bool {
	set := map[string]bool{}
	for _, c := range list {
		set[c.Email] = true
	}
	return set
}

// someone picks a contact of the demo seen in more than one message.
func someone(t *testing.T, db string) contact.Contact {
	t.Helper()
	for _, c := range listContacts(t, db) {
		if c.Occurrence > 1 && c.Name != "" {
			return c
		}
	}
	t.Fatal("the demo has no named contact seen twice")
	return contact.Contact{}
}

func TestPrivacyEraseKeepsThemOutOfTheNextMine(t *testing.T) {
	db := minedDB(t)
	c := someone(t, db)
	r := runOK(t, "privacy", "erase", strings.ToUpper(c.Email), "--db", db)
	if !strings.Contains(r.stdout, "Do Not Mine Me") {
		t.Errorf("erase should say the address is suppressed: %s", r.stdout)
	}
	if emails(listContacts(t, db, "--all"))[c.Email] {
		t.Fatalf("%s is still listed after erasure", c.Email)
	}
	runOK(t, "mine", "--source", "demo", "--db", db)
	if emails(listContacts(t, db, "--all"))[c.Email] {
		t.Fatalf("mining again brought %s back", c.Email)
	}
	var list []struct{ Kind, Reason string }
	if err := json.Unmarshal([]byte(runOK(t, "privacy", "suppress", "list", "--format", "json", "--db", db).stdout), &list); err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].Kind != "address" || list[0].Reason != "erasure" {
		t.Fatalf("suppression list after one erasure = %+v", list)
	}
	raw, err := os.ReadFile(db)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), c.Email) {
		t.Errorf("the database file still holds %s in clear", c.Email)
	}
}

func TestPrivacyExportHoldsThePersonAndNobodyElse(t *testing.T) {
	db := minedDB(t)
	all := listContacts(t, db, "--all")
	c := someone(t, db)
	runOK(t, "privacy", "restrict", c.Email, "--note", "asked by phone", "--db", db)
	out := filepath.Join(t.TempDir(), "access.json")
	r := runOK(t, "privacy", "export", c.Email, "--out", out, "--db", db)
	if !strings.Contains(r.stdout, out) {
		t.Errorf("export should say where it wrote: %s", r.stdout)
	}
	info, err := os.Stat(out)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != 0o600 {
		t.Errorf("access report mode = %v, want 0600", info.Mode().Perm())
	}
	b, _ := os.ReadFile(out)
	var rep struct {
		Contact         *contact.Contact
		Restricted      bool
		Seen            []json.RawMessage
		Occurrences     []json.RawMessage
		ConsentHistory  []struct{ Action string } `json:"consent_history"`
		Source, Summary string
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Contact == nil || rep.Contact.Email != c.Email || !rep.Restricted {
		t.Fatalf("report contact = %+v restricted=%v", rep.Contact, rep.Restricted)
	}
	if len(rep.Occurrences) < c.Occurrence || len(rep.Seen) == 0 || rep.Source == "" || rep.Summary == "" {
		t.Errorf("report: %d occurrences (contact has %d), %d sightings, source %q", len(rep.Occurrences), c.Occurrence, len(rep.Seen), rep.Source)
	}
	if len(rep.ConsentHistory) != 1 || rep.ConsentHistory[0].Action != "restricted" {
		t.Errorf("consent history = %+v", rep.ConsentHistory)
	}
	for _, other := range all {
		if other.Email != c.Email && strings.Contains(string(b), other.Email) {
			t.Errorf("the report on %s mentions %s", c.Email, other.Email)
		}
	}
}

func TestPrivacyObjectOptsOutAndSuppresses(t *testing.T) {
	db := minedDB(t)
	c := someone(t, db)
	runOK(t, "privacy", "object", c.Email, "--db", db)
	for _, got := range listContacts(t, db, "--all") {
		if got.Email == c.Email && got.ConsentStatus != contact.ConsentOptOut {
			t.Fatalf("consent after objection = %q, want %q", got.ConsentStatus, contact.ConsentOptOut)
		}
	}
	list := runOK(t, "privacy", "suppress", "list", "--db", db).stdout
	if !strings.Contains(list, "objection") || strings.Contains(list, c.Email) {
		t.Errorf("suppress list should hold an objection and no address in clear:\n%s", list)
	}
}

func TestPrivacySuppressDomainBeforeMining(t *testing.T) {
	db := filepath.Join(t.TempDir(), "leadminer.db")
	runOK(t, "privacy", "suppress", "add", "@NORTHWIND-LABS.com", "--db", db)
	runOK(t, "mine", "--source", "demo", "--db", db)
	for _, c := range listContacts(t, db, "--all") {
		if strings.HasSuffix(c.Email, "@northwind-labs.com") {
			t.Fatalf("%s was mined although its domain is on Do Not Mine Me", c.Email)
		}
	}
}

func TestPrivacySuppressImportReportsWhatItIgnored(t *testing.T) {
	db := filepath.Join(t.TempDir(), "leadminer.db")
	list := filepath.Join(t.TempDir(), "list.txt")
	if err := os.WriteFile(list, []byte("a@example.com\n@example.org, not an address\n\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runOK(t, "privacy", "suppress", "import", list, "--db", db)
	if !strings.Contains(r.stdout, "Added 2 entries") || !strings.Contains(r.stdout, "not an address") {
		t.Errorf("import said: %s", r.stdout)
	}
}

func TestPrivacyCommandErrors(t *testing.T) {
	db := minedDB(t)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no command", []string{"privacy"}, 2, "needs a command"},
		{"unknown command", []string{"privacy", "forget", "a@example.com", "--db", db}, 2, "unknown privacy command"},
		{"not an address", []string{"privacy", "erase", "nobody", "--db", db}, 2, "not an email address"},
		{"export without --out", []string{"privacy", "export", "a@example.com", "--db", db}, 2, "--out"},
		{"suppress nonsense", []string{"privacy", "suppress", "add", "no at sign", "--db", db}, 2, "not"},
		{"missing database", []string{"privacy", "erase", "a@example.com", "--db", filepath.Join(t.TempDir(), "none.db")}, 1, "no database"},
		{"egress unknown id", []string{"egress", "enable", "nsa", "--db", db}, 2, "nsa"},
		{"egress no command", []string{"egress"}, 2, "needs a command"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, t.Context(), tc.args...)
			if r.code != tc.code || !strings.Contains(strings.ToLower(r.stderr), strings.ToLower(tc.want)) {
				t.Errorf("want exit %d and %q in stderr; got %v", tc.code, tc.want, r)
			}
		})
	}
}

func TestEgressSwitchesAndEmptyLog(t *testing.T) {
	db := minedDB(t)
	if got := strings.TrimSpace(runOK(t, "egress", "log", "--format", "json", "--db", db).stdout); got != "[]" {
		t.Errorf("egress log of a mining-only database = %s, want []", got)
	}
	type row struct {
		ID      string `json:"id"`
		EEA     bool   `json:"eea"`
		Enabled bool   `json:"enabled"`
	}
	list := func() map[string]row {
		var rows []row
		if err := json.Unmarshal([]byte(runOK(t, "egress", "list", "--format", "json", "--db", db).stdout), &rows); err != nil {
			t.Fatal(err)
		}
		m := map[string]row{}
		for _, r := range rows {
			m[r.ID] = r
		}
		return m
	}
	before := list()
	if len(before) == 0 {
		t.Fatal("the register is empty")
	}
	for id, r := range before {
		if r.Enabled {
			t.Errorf("%s is on before the user turned it on", id)
		}
	}
	runOK(t, "egress", "enable", "zerobounce", "--db", db)
	after := list()
	if !after["zerobounce"].Enabled || after["openrouter"].Enabled {
		t.Errorf("after enabling zerobounce: %+v", after)
	}
	runOK(t, "egress", "disable", "zerobounce", "--db", db)
	if list()["zerobounce"].Enabled {
		t.Error("zerobounce still on after disable")
	}
}

func TestDeleteAllNeedsYesAndLeavesNeighboursAlone(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir()) // its drag-and-drop directory, not other tests'
	dir := t.TempDir()
	db := filepath.Join(dir, "leadminer.db")
	runOK(t, "mine", "--source", "demo", "--db", db)
	neighbour := filepath.Join(dir, "notes.txt")
	if err := os.WriteFile(neighbour, []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := run(t, t.Context(), "privacy", "delete-all", "--db", db)
	if r.code != 2 || !strings.Contains(r.stderr, "--yes") {
		t.Fatalf("delete-all without --yes: %v", r)
	}
	if _, err := os.Stat(db); err != nil {
		t.Fatalf("the database went without --yes: %v", err)
	}
	runOK(t, "privacy", "delete-all", "--yes", "--db", db)
	left, _ := filepath.Glob(filepath.Join(dir, "leadminer.db*"))
	if len(left) != 0 {
		t.Errorf("left behind: %v", left)
	}
	if _, err := os.Stat(neighbour); err != nil {
		t.Errorf("a file that is not LeadMiner's was deleted: %v", err)
	}
}

func TestDeleteAllWipesTheAppDirectory(t *testing.T) {
	home := t.TempDir()
	t.Setenv("LEADMINER_HOME", home)
	t.Setenv("TMPDIR", t.TempDir())
	runOK(t, "mine", "--source", "demo")
	if entries, _ := os.ReadDir(home); len(entries) == 0 {
		t.Fatal("mining wrote nothing under LEADMINER_HOME")
	}
	runOK(t, "privacy", "delete-all", "--yes")
	if entries, _ := os.ReadDir(home); len(entries) != 0 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("the data directory still holds %v", names)
	}
}
