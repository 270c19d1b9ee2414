package cli_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"leadminer/backend/cli"
	"leadminer/backend/contact"
)

// result is what one command line gave.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return fmt.Sprintf("exit %d\nstdout: %s\nstderr: %s", r.code, clip(r.stdout), clip(r.stderr))
}

func clip(s string) string {
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// run runs one command line as main would.
func run(t testing.TB, ctx context.Context, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := cli.Run(ctx, args, &stdout, &stderr)
	return result{code, stdout.String(), stderr.String()}
}

// runOK runs a command line that must succeed.
func runOK(t testing.TB, args ...string) result {
	t.Helper()
	r := run(t, context.Background(), args...)
	if r.code != 0 {
		t.Fatalf("leadminer %s: %v", strings.Join(args, " "), r)
	}
	return r
}

// minedDB mines the demo into a fresh database and returns its path.
func minedDB(t testing.TB) string {
	t.Helper()
	db := filepath.Join(t.TempDir(), "leadminer.db")
	runOK(t, "mine", "--source", "demo", "--db", db)
	return db
}

// The demo database most tests only read, mined once for the package.
var (
	sharedOnce sync.Once
	sharedDB   string
	sharedErr  error
	sharedDir  string
)

func demoDB(t testing.TB) string {
	t.Helper()
	sharedOnce.Do(func() {
		if sharedDir, sharedErr = os.MkdirTemp("", "leadminer-cli-test-"); sharedErr != nil {
			return
		}
		sharedDB = filepath.Join(sharedDir, "demo.db")
		var out bytes.Buffer
		if code := cli.Run(context.Background(), []string{"mine", "--source", "demo", "--db", sharedDB}, &out, &out); code != 0 {
			sharedErr = fmt.Errorf("mining the demo: exit %d: %s", code, out.String())
		}
	})
	if sharedErr != nil {
		t.Fatal(sharedErr)
	}
	return sharedDB
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedDir != "" {
		os.RemoveAll(sharedDir)
	}
	os.Exit(code)
}

// listContacts runs `contacts --format json` with extra arguments and
// decodes the result.
func listContacts(t testing.TB, db string, extra ...string) []contact.Contact {
	t.Helper()
	r := runOK(t, append([]string{"contacts", "--db", db, "--format", "json"}, extra...)...)
	var list []contact.Contact
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
		t.Fatalf("contacts output is not a JSON array of contacts: %v\n%s", err, clip(r.stdout))
	}
	return list
}

const (
	ownerWork = "alex.morgan@northwind-labs.com"
	ownerHome = "alex.morgan.home@gmail.com"
	ownerNews = "alex.morgan+news@northwind-labs.com"
)

func TestMineJSONProgressIsOneObjectPerLineThroughEveryPhase(t *testing.T) {
	db := filepath.Join(t.TempDir(), "x.db")
	r := run(t, context.Background(), "mine", "--source", "demo", "--db", db, "--json-progress")
	if r.code != 0 {
		t.Fatalf("mine: %v", r)
	}
	if r.stderr != "" {
		t.Errorf("a successful run wrote to stderr: %s", r.stderr)
	}
	lines := strings.Split(strings.TrimSuffix(r.stdout, "\n"), "\n")
	var phases []string
	var last map[string]any
	for i, line := range lines {
		var ev map[string]any
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("line %d is not a JSON object: %v\n%s", i+1, err, line)
		}
		for _, key := range []string{"phase", "done", "total", "contacts"} {
			if _, ok := ev[key]; !ok {
				t.Fatalf("line %d lacks %q: %s", i+1, key, line)
			}
		}
		phase, _ := ev["phase"].(string)
		done, _ := ev["done"].(float64)
		total, _ := ev["total"].(float64)
		if done > total {
			t.Errorf("line %d: done %v > total %v", i+1, done, total)
		}
		if len(phases) == 0 || phases[len(phases)-1] != phase {
			phases = append(phases, phase)
		}
		last = ev
	}
	if want := []string{"listing", "counting", "mining", "ranking", "done"}; !slices.Equal(phases, want) {
		t.Errorf("phases %v, want %v in that order", phases, want)
	}
	if last["done"] != last["total"] || last["total"].(float64) == 0 {
		t.Errorf("final event done %v, total %v: want equal and non-zero", last["done"], last["total"])
	}
	if last["contacts"].(float64) == 0 {
		t.Errorf("final event reports no contacts: %v", last)
	}
}

// contractFields are the JSON contact fields of docs/PRODUCT.md.
var contractFields = []string{
	"email", "name", "given_name", "family_name", "alternate_names", "alternate_emails",
	"tags", "occurrence", "sender", "recipient", "conversations", "replied_conversations",
	"recency", "seniority", "temperature", "status", "consent_status", "sources",
	"telephone", "works_for", "job_title", "location", "same_as",
}

func TestContactsJSONHasExactlyTheContractFields(t *testing.T) {
	db := demoDB(t)
	for _, args := range [][]string{nil, {"--all"}} {
		r := runOK(t, append([]string{"contacts", "--db", db, "--format", "json"}, args...)...)
		var list []map[string]json.RawMessage
		if err := json.Unmarshal([]byte(r.stdout), &list); err != nil {
			t.Fatalf("contacts %v: not a JSON array of objects: %v", args, err)
		}
		if len(list) == 0 {
			t.Fatalf("contacts %v: empty list", args)
		}
		want := slices.Sorted(slices.Values(contractFields))
		for i, obj := range list {
			var keys []string
			for k := range obj {
				keys = append(keys, k)
			}
			slices.Sort(keys)
			if !slices.Equal(keys, want) {
				t.Fatalf("contact %d has fields %v\nwant %v", i, keys, want)
			}
			for _, k := range []string{"alternate_names", "alternate_emails", "tags", "sources", "telephone", "same_as"} {
				var list []string
				if err := json.Unmarshal(obj[k], &list); err != nil || list == nil {
					t.Errorf("contact %d: %s = %s, want an array of strings", i, k, obj[k])
				}
			}
			for _, k := range []string{"email", "name", "given_name", "family_name", "status", "consent_status", "works_for", "job_title", "location"} {
				var s string
				if err := json.Unmarshal(obj[k], &s); err != nil {
					t.Errorf("contact %d: %s = %s, want a string", i, k, obj[k])
				}
			}
			for _, k := range []string{"occurrence", "sender", "recipient", "conversations", "replied_conversations", "temperature"} {
				var n int
				if err := json.Unmarshal(obj[k], &n); err != nil || n < 0 {
					t.Errorf("contact %d: %s = %s, want a count", i, k, obj[k])
				}
			}
			for _, k := range []string{"recency", "seniority"} {
				if string(obj[k]) == "null" {
					continue
				}
				var s string
				if err := json.Unmarshal(obj[k], &s); err != nil {
					t.Errorf("contact %d: %s = %s, want an RFC 3339 string or null", i, k, obj[k])
				} else if _, err := time.Parse(time.RFC3339, s); err != nil {
					t.Errorf("contact %d: %s = %q is not RFC 3339: %v", i, k, s, err)
				}
			}
		}
	}
}

var hiddenTags = []string{"no-reply", "transactional", "newsletter"}

func TestContactsHidesMachinesAndNewslettersUnlessAll(t *testing.T) {
	db := demoDB(t)
	visible := listContacts(t, db)
	all := listContacts(t, db, "--all")
	for _, c := range visible {
		for _, tag := range hiddenTags {
			if slices.Contains(c.Tags, tag) {
				t.Errorf("%s (tags %v) is listed without --all", c.Email, c.Tags)
			}
		}
	}
	if len(all) <= len(visible) {
		t.Fatalf("--all lists %d contacts, the default %d: hidden contacts missing", len(all), len(visible))
	}
	byEmail := map[string]contact.Contact{}
	for _, c := range all {
		byEmail[c.Email] = c
	}
	for _, c := range visible {
		if _, ok := byEmail[c.Email]; !ok {
			t.Errorf("%s is listed by default but not with --all", c.Email)
		}
	}
	for _, tag := range hiddenTags {
		if !slices.ContainsFunc(all, func(c contact.Contact) bool { return slices.Contains(c.Tags, tag) }) {
			t.Errorf("--all lists no contact tagged %s", tag)
		}
	}
	// A few the demo is known to hold, with their tags.
	for email, tag := range map[string]string{
		"newsletter@pragmaticfounder.co": "newsletter",
		"noreply@cadencecal.com":         "no-reply",
		"receipts@paywell.io":            "transactional",
	} {
		c, ok := byEmail[email]
		switch {
		case !ok:
			t.Errorf("%s missing from --all", email)
		case !slices.Contains(c.Tags, tag):
			t.Errorf("%s: tags %v, want %s among them", email, c.Tags, tag)
		}
	}
}

func TestContactsNeverListTheOwner(t *testing.T) {
	db := demoDB(t)
	owner := []string{ownerWork, ownerHome, ownerNews}
	for _, c := range listContacts(t, db, "--all") {
		if slices.Contains(owner, c.Email) || strings.HasPrefix(c.Email, "alex.morgan") {
			t.Errorf("the owner is listed as a contact: %s", c.Email)
		}
		for _, alt := range c.AlternateEmails {
			if slices.Contains(owner, alt) {
				t.Errorf("%s lists the owner's address %s as an alternate", c.Email, alt)
			}
		}
	}
}

func TestContactsAreRankedWithTheOwnersCorrespondentsFirst(t *testing.T) {
	db := demoDB(t)
	for _, args := range [][]string{nil, {"--all"}} {
		list := listContacts(t, db, args...)
		for i := 1; i < len(list); i++ {
			if list[i].Temperature > list[i-1].Temperature {
				t.Errorf("contacts %v: %s (%d) after %s (%d): not by temperature, hottest first", args,
					list[i].Email, list[i].Temperature, list[i-1].Email, list[i-1].Temperature)
			}
		}
		if len(list) < 10 {
			t.Fatalf("contacts %v: only %d contacts", args, len(list))
		}
		for _, c := range list[:5] {
			if !slices.Contains(c.Tags, "personal") && !slices.Contains(c.Tags, "professional") || c.Recipient == 0 {
				t.Errorf("contacts %v: top 5 holds %s (tags %v, recipient %d): want people the owner writes to",
					args, c.Email, c.Tags, c.Recipient)
			}
		}
		var top []string
		for _, c := range list[:10] {
			top = append(top, c.Email)
		}
		for _, email := range []string{"jordan.reyes@northwind-labs.com", "francois.dupre@atelier-lumen.fr", "nina.patel@bluepeak-analytics.com"} {
			if !slices.Contains(top, email) {
				t.Errorf("contacts %v: %s not in the top 10 %v", args, email, top)
			}
		}
	}
}

func TestContactsDemoNamesAndPlusAddresses(t *testing.T) {
	db := demoDB(t)
	byEmail := map[string]contact.Contact{}
	for _, c := range listContacts(t, db, "--all") {
		byEmail[c.Email] = c
	}
	nina := byEmail["nina.patel@bluepeak-analytics.com"]
	if nina.Name != "Nina Patel" || !slices.Contains(nina.AlternateEmails, "nina.patel+billing@bluepeak-analytics.com") {
		t.Errorf("nina: name %q, alternate emails %v", nina.Name, nina.AlternateEmails)
	}
	if fd := byEmail["francois.dupre@atelier-lumen.fr"]; fd.Name != "François Dupré" {
		t.Errorf("françois: name %q (alternates %v)", fd.Name, fd.AlternateNames)
	}
	for email, c := range byEmail {
		if !slices.Equal(c.Sources, []string{"demo:"}) {
			t.Errorf("%s: sources %v, want [demo:]", email, c.Sources)
		}
		if c.ConsentStatus == "" {
			t.Errorf("%s: empty consent status", email)
		}
	}
}

func TestContactsSearch(t *testing.T) {
	db := demoDB(t)
	tests := []struct {
		search string
		want   string // an address that must be found
	}{
		{"jordan", "jordan.reyes@northwind-labs.com"},
		{"francois", "francois.dupre@atelier-lumen.fr"},
		{"Dupré", "francois.dupre@atelier-lumen.fr"},
		{"bluepeak nina", "nina.patel@bluepeak-analytics.com"},
	}
	for _, tt := range tests {
		t.Run(tt.search, func(t *testing.T) {
			list := listContacts(t, db, "--search", tt.search)
			if !slices.ContainsFunc(list, func(c contact.Contact) bool { return c.Email == tt.want }) {
				t.Errorf("--search %q does not find %s", tt.search, tt.want)
			}
			if len(list) > 5 {
				t.Errorf("--search %q finds %d contacts", tt.search, len(list))
			}
		})
	}
}

func TestContactsCSVParsesWithTheSameRowsAsJSON(t *testing.T) {
	db := demoDB(t)
	r := runOK(t, "contacts", "--db", db, "--format", "csv")
	rows, err := csv.NewReader(strings.NewReader(r.stdout)).ReadAll()
	if err != nil {
		t.Fatalf("contacts --format csv does not parse: %v", err)
	}
	header := rows[0]
	for _, col := range []string{"Name", "Email", "Tags", "Temperature", "Consent"} {
		if !slices.Contains(header, col) {
			t.Errorf("CSV header %v lacks %q", header, col)
		}
	}
	list := listContacts(t, db)
	if len(rows)-1 != len(list) {
		t.Fatalf("CSV has %d rows, JSON %d contacts", len(rows)-1, len(list))
	}
	email := slices.Index(header, "Email")
	for i, c := range list {
		if rows[i+1][email] != c.Email {
			t.Fatalf("CSV row %d is %s, JSON contact %d is %s: not the same order", i+1, rows[i+1][email], i, c.Email)
		}
	}
}

func TestExportWritesPrivateFilesInEachFormat(t *testing.T) {
	db := demoDB(t)
	n := len(listContacts(t, db))
	tests := []struct {
		name  string
		args  []string
		check func(t *testing.T, data []byte)
	}{
		{"csv", []string{"--format", "csv"}, csvCheck(',', false, n)},
		{"csv semicolon", []string{"--format", "csv", "--delimiter", ";"}, csvCheck(';', false, n)},
		{"csv tab", []string{"--format", "csv", "--delimiter", "tab"}, csvCheck('\t', false, n)},
		{"csv bom", []string{"--format", "csv", "--bom"}, csvCheck(',', true, n)},
		{"vcard", []string{"--format", "vcard"}, vcardCheck("4.0", n)},
		{"vcard 3.0", []string{"--format", "vcard", "--vcard-version", "3.0"}, vcardCheck("3.0", n)},
		{"json", []string{"--format", "json"}, func(t *testing.T, data []byte) {
			var list []map[string]any
			if err := json.Unmarshal(data, &list); err != nil {
				t.Fatalf("not a JSON array: %v", err)
			}
			if len(list) != n {
				t.Errorf("%d contacts, want %d", len(list), n)
			}
			if len(list) > 0 && len(list[0]) != len(contractFields) {
				t.Errorf("first contact has %d fields, want the %d of the contract", len(list[0]), len(contractFields))
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			out := filepath.Join(dir, "contacts.out")
			// An existing file is replaced, and ends up private.
			if err := os.WriteFile(out, []byte("old export"), 0o644); err != nil {
				t.Fatal(err)
			}
			r := runOK(t, append([]string{"export", "--db", db, "--out", out}, tt.args...)...)
			if want := fmt.Sprintf("Exported %d contacts to %s", n, out); !strings.Contains(r.stdout, want) {
				t.Errorf("stdout %q, want %q", r.stdout, want)
			}
			st, err := os.Stat(out)
			if err != nil {
				t.Fatal(err)
			}
			if st.Mode().Perm() != 0o600 {
				t.Errorf("export file mode %v, want 0600", st.Mode().Perm())
			}
			data, err := os.ReadFile(out)
			if err != nil {
				t.Fatal(err)
			}
			if bytes.Contains(data, []byte("old export")) {
				t.Error("the old file was not replaced")
			}
			tt.check(t, data)
			assertNoTempFiles(t, dir)
		})
	}
}

func csvCheck(delim rune, bom bool, n int) func(*testing.T, []byte) {
	return func(t *testing.T, data []byte) {
		hasBOM := bytes.HasPrefix(data, []byte("\uFEFF"))
		if hasBOM != bom {
			t.Errorf("file starts with a BOM: %v, want %v", hasBOM, bom)
		}
		r := csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF"))))
		r.Comma = delim
		rows, err := r.ReadAll()
		if err != nil {
			t.Fatalf("does not parse as CSV with delimiter %q: %v", delim, err)
		}
		if rows[0][0] != "Name" || !slices.Contains(rows[0], "Temperature") {
			t.Errorf("header %v", rows[0])
		}
		if len(rows)-1 != n {
			t.Errorf("%d rows, want %d", len(rows)-1, n)
		}
	}
}

func vcardCheck(version string, n int) func(*testing.T, []byte) {
	return func(t *testing.T, data []byte) {
		s := string(data)
		if !strings.HasPrefix(s, "BEGIN:VCARD\r\n") {
			t.Errorf("does not start with BEGIN:VCARD: %q", clip(s))
		}
		if got := strings.Count(s, "BEGIN:VCARD\r\n"); got != n {
			t.Errorf("%d cards, want %d", got, n)
		}
		if got := strings.Count(s, "VERSION:"+version+"\r\n"); got != n {
			t.Errorf("%d cards of version %s, want %d", got, version, n)
		}
	}
}

// assertNoTempFiles fails if an export left its temporary file behind.
func assertNoTempFiles(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".leadminer-export-") {
			t.Errorf("temporary file %s left behind", e.Name())
		}
	}
}

func TestExportAllIncludesHiddenContacts(t *testing.T) {
	db := demoDB(t)
	out := filepath.Join(t.TempDir(), "all.json")
	runOK(t, "export", "--db", db, "--format", "json", "--all", "--out", out)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var list []contact.Contact
	if err := json.Unmarshal(data, &list); err != nil {
		t.Fatal(err)
	}
	if want := len(listContacts(t, db, "--all")); len(list) != want {
		t.Errorf("export --all wrote %d contacts, contacts --all lists %d", len(list), want)
	}
}

func TestExportFailureLeavesTheOldFileIntact(t *testing.T) {
	db := demoDB(t)
	const old = "the previous export\n"

	t.Run("unwritable directory", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "locked")
		if err := os.Mkdir(dir, 0o700); err != nil {
			t.Fatal(err)
		}
		out := filepath.Join(dir, "contacts.csv")
		if err := os.WriteFile(out, []byte(old), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(dir, 0o500); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(dir, 0o700) })
		if f, err := os.CreateTemp(dir, "probe"); err == nil {
			f.Close()
			os.Remove(f.Name())
			t.Skip("the directory is still writable (running as root)")
		}
		r := run(t, context.Background(), "export", "--db", db, "--format", "csv", "--out", out)
		if r.code != 1 || !strings.Contains(r.stderr, out) || !strings.Contains(r.stderr, "permission denied") {
			t.Errorf("want exit 1 naming %s and the cause: %v", out, r)
		}
		if data, _ := os.ReadFile(out); string(data) != old {
			t.Errorf("old file now holds %q", data)
		}
	})

	t.Run("missing directory", func(t *testing.T) {
		out := filepath.Join(t.TempDir(), "no", "such", "dir", "contacts.csv")
		r := run(t, context.Background(), "export", "--db", db, "--format", "csv", "--out", out)
		if r.code != 1 || !strings.Contains(r.stderr, out) {
			t.Errorf("want exit 1 naming %s: %v", out, r)
		}
	})

	// Fails after the temporary file is created, whoever runs the test.
	t.Run("interrupted while writing", func(t *testing.T) {
		dir := t.TempDir()
		out := filepath.Join(dir, "contacts.csv")
		if err := os.WriteFile(out, []byte(old), 0o600); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		r := run(t, ctx, "export", "--db", db, "--format", "csv", "--out", out)
		if r.code != 130 {
			t.Errorf("want exit 130: %v", r)
		}
		if data, _ := os.ReadFile(out); string(data) != old {
			t.Errorf("old file now holds %q", data)
		}
		assertNoTempFiles(t, dir)
	})
}

func TestMiningTwiceAddsNothing(t *testing.T) {
	db := minedDB(t)
	before := runOK(t, "contacts", "--db", db, "--all", "--format", "json").stdout
	r := runOK(t, "mine", "--source", "demo", "--db", db)
	if !strings.Contains(r.stdout, "Mined 0 messages (0 new,") || !strings.Contains(r.stdout, ": 0 new contacts") {
		t.Errorf("second run: %q, want 0 messages and 0 new contacts", r.stdout)
	}
	r = runOK(t, "mine", "--source", "demo", "--db", db, "--json-progress")
	lines := strings.Split(strings.TrimSpace(r.stdout), "\n")
	var last struct {
		Phase       string `json:"phase"`
		NewContacts int    `json:"new_contacts"`
		Done        int    `json:"done"`
	}
	if err := json.Unmarshal([]byte(lines[len(lines)-1]), &last); err != nil {
		t.Fatal(err)
	}
	if last.Phase != "done" || last.NewContacts != 0 || last.Done != 0 {
		t.Errorf("third run ended with %+v, want phase done, 0 messages, 0 new contacts", last)
	}
	after := runOK(t, "contacts", "--db", db, "--all", "--format", "json").stdout
	if before != after {
		t.Error("contacts changed after mining the same mailbox again")
	}
}

func TestDefaultDatabaseIsUnderLeadminerHome(t *testing.T) {
	home := filepath.Join(t.TempDir(), "home")
	t.Setenv("LEADMINER_HOME", home)
	runOK(t, "mine", "--source", "demo")
	if _, err := os.Stat(filepath.Join(home, "leadminer.db")); err != nil {
		t.Fatalf("no database in LEADMINER_HOME: %v", err)
	}
	if list := listContacts(t, filepath.Join(home, "leadminer.db")); len(list) == 0 {
		t.Fatal("nothing mined into the default database")
	}
	r := runOK(t, "contacts", "--format", "json")
	var list []contact.Contact
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || len(list) == 0 {
		t.Errorf("contacts without --db: %d contacts, %v", len(list), err)
	}
}

func TestCommandLineErrors(t *testing.T) {
	t.Setenv("LEADMINER_IMAP_PASSWORD", "not-a-real-password")
	dir := t.TempDir()
	db := filepath.Join(dir, "untouched.db")
	out := filepath.Join(dir, "out.csv")
	missing := filepath.Join(dir, "no-such-mail")
	tests := []struct {
		name string
		args []string
		code int
		// want are substrings of stderr.
		want []string
	}{
		{"mine without source", []string{"mine", "--db", db}, 2, []string{"--source"}},
		{"unknown flag", []string{"mine", "--source", "demo", "--db", db, "--bogus"}, 2, []string{"-bogus"}},
		{"unknown command", []string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`}},
		{"stray argument", []string{"contacts", "--db", db, "stray"}, 2, []string{`"stray"`}},
		{"contacts bad format", []string{"contacts", "--db", db, "--format", "xml"}, 2, []string{"xml", "json or csv"}},
		{"contacts vcard", []string{"contacts", "--db", db, "--format", "vcard"}, 2, []string{"vcard"}},
		{"export bad format", []string{"export", "--db", db, "--format", "pdf", "--out", out}, 2, []string{"pdf"}},
		{"export without out", []string{"export", "--db", db, "--format", "csv"}, 2, []string{"--out"}},
		{"export bad delimiter", []string{"export", "--db", db, "--format", "csv", "--out", out, "--delimiter", "|"}, 2, []string{"delimiter", `"|"`}},
		{"export bad vcard version", []string{"export", "--db", db, "--format", "vcard", "--out", out, "--vcard-version", "2.1"}, 2, []string{"2.1"}},
		{"missing maildir", []string{"mine", "--source", "maildir:" + missing, "--db", db}, 1, []string{missing}},
		{"contacts from a missing database", []string{"contacts", "--db", db, "--format", "json"}, 1, []string{"no database at", db}},
		{"export from a missing database", []string{"export", "--db", db, "--format", "csv", "--out", out}, 1, []string{"no database at"}},
		{"export over the database", []string{"export", "--db", db, "--format", "csv", "--out", db}, 2, []string{"the database itself"}},
		{"missing mbox", []string{"mine", "--source", "mbox:" + missing, "--db", db}, 1, []string{missing}},
		{"missing bare path", []string{"mine", "--source", missing, "--db", db}, 1, []string{missing}},
		{"imap refused", []string{"mine", "--source", "imap://alex@127.0.0.1:1?tls=none", "--db", db}, 1, []string{"refused the connection on port 1", "check the port"}},
		{"imap plaintext to a remote host", []string{"mine", "--source", "imap://alex@mail.example.com:143?tls=none", "--db", db}, 1, []string{"unencrypted", "mail.example.com"}},
		{"imap password in the URI", []string{"mine", "--source", "imap://alex:secret@mail.example.com", "--db", db}, 1, []string{"do not put the password in the URI"}},
		{"unknown scheme", []string{"mine", "--source", "pop3://mail.example.com", "--db", db}, 1, []string{"pop3"}},
		{"unknown folder", []string{"mine", "--source", "demo", "--db", filepath.Join(dir, "other.db"), "--folders", "Nope"}, 1, []string{"Nope", "INBOX"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, context.Background(), tt.args...)
			if r.code != tt.code {
				t.Errorf("exit %d, want %d: %v", r.code, tt.code, r)
			}
			for _, w := range tt.want {
				if !strings.Contains(r.stderr, w) {
					t.Errorf("stderr lacks %q: %s", w, r.stderr)
				}
			}
			if tt.code == 2 && !strings.Contains(r.stderr, "leadminer help") {
				t.Errorf("a usage error should point at the help: %s", r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("an error wrote to stdout: %q", r.stdout)
			}
			if _, err := os.Stat(db); err == nil {
				t.Errorf("a failed command created the database")
			}
			if _, err := os.Stat(out); err == nil {
				t.Errorf("a failed export created %s", out)
			}
		})
	}
}

func TestHelpAndVersion(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"help"}, "leadminer mine --source URI"},
		{[]string{"-h"}, "leadminer contacts"},
		{[]string{"--help"}, "leadminer export"},
		{nil, "Usage:"},
		{[]string{"version"}, "leadminer " + cli.Version},
	}
	for _, tt := range tests {
		r := run(t, context.Background(), tt.args...)
		if r.code != 0 || !strings.Contains(r.stdout, tt.want) {
			t.Errorf("leadminer %v: want exit 0 and %q on stdout: %v", tt.args, tt.want, r)
		}
	}
	// A sub-command's -h lists its flags and is not an error.
	r := run(t, context.Background(), "mine", "-h")
	if r.code != 0 || !strings.Contains(r.stderr, "-source") {
		t.Errorf("mine -h: %v", r)
	}
	if !cli.IsCommand([]string{"mine"}) || !cli.IsCommand([]string{"--help"}) || cli.IsCommand(nil) || cli.IsCommand([]string{"--db"}) {
		t.Error("IsCommand misjudges a command line")
	}
}

func TestFoldersListsTheDemoFolders(t *testing.T) {
	r := runOK(t, "folders", "--source", "demo")
	var rows []struct {
		Name    string `json:"name"`
		Count   int    `json:"count"`
		Default bool   `json:"default"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatal(err)
	}
	defaults := map[string]bool{}
	for _, f := range rows {
		defaults[f.Name] = f.Default
	}
	if !defaults["INBOX"] || !defaults["Sent"] || defaults["Drafts"] || defaults["Spam"] {
		t.Errorf("default folders %v: want INBOX and Sent, not Drafts or Spam", defaults)
	}
}

// cancelWriter receives --json-progress lines and cancels the run when
// one satisfies stop.
type cancelWriter struct {
	cancel func()
	stop   func(phase, folder string) bool
	buf    bytes.Buffer
}

func (w *cancelWriter) Write(p []byte) (int, error) {
	w.buf.Write(p)
	var ev struct{ Phase, Folder string }
	if json.Unmarshal(p, &ev) == nil && w.stop(ev.Phase, ev.Folder) {
		w.cancel()
	}
	return len(p), nil
}

// comparable strips what differs between two minings of the demo made at
// different times: the demo's dates follow the clock.
func comparable(list []contact.Contact) map[string]contact.Contact {
	m := map[string]contact.Contact{}
	for _, c := range list {
		c.ID, c.Recency, c.Seniority, c.Temperature = 0, nil, nil, 0
		m[c.Email] = c
	}
	return m
}

var minedCount = regexp.MustCompile(`Mined (\d+) messages \((\d+) new,`)

func TestCancelledMiningResumesToTheSameContacts(t *testing.T) {
	refDB := filepath.Join(t.TempDir(), "reference.db")
	full := minedCount.FindStringSubmatch(runOK(t, "mine", "--source", "demo", "--db", refDB).stdout)
	if full == nil {
		t.Fatal("no summary from the uninterrupted run")
	}
	fullCount, _ := strconv.Atoi(full[1])
	reference := listContacts(t, refDB, "--all")
	tests := []struct {
		name string
		stop func(phase, folder string) bool
	}{
		{"in the first folder", func(phase, _ string) bool { return phase == "mining" }},
		{"in a later folder", func(phase, folder string) bool { return phase == "mining" && folder != "INBOX" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "x.db")
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			w := &cancelWriter{cancel: cancel, stop: tt.stop}
			var stderr bytes.Buffer
			code := cli.Run(ctx, []string{"mine", "--source", "demo", "--db", db, "--json-progress"}, w, &stderr)
			if code != 130 {
				t.Fatalf("cancelled run: exit %d, want 130; stderr %s", code, stderr.String())
			}
			if msg := stderr.String(); !strings.Contains(msg, "interrupted") || !strings.Contains(msg, "resume") {
				t.Errorf("cancel message %q should say it can be resumed", msg)
			}
			r := runOK(t, "mine", "--source", "demo", "--db", db)
			m := minedCount.FindStringSubmatch(r.stdout)
			if m == nil || m[2] == "0" {
				t.Errorf("resumed run found nothing left to mine: %q", r.stdout)
			} else if resumed, _ := strconv.Atoi(m[1]); resumed >= fullCount {
				t.Errorf("resumed run read %d messages, a full run %d: the cancelled run kept nothing", resumed, fullCount)
			}
			// The progress of a cancelled run never claims it is done.
			for _, line := range strings.Split(strings.TrimSpace(w.buf.String()), "\n") {
				var ev struct{ Phase string }
				if json.Unmarshal([]byte(line), &ev) != nil || ev.Phase == "done" {
					t.Errorf("cancelled run reported %s", line)
				}
			}
			got := listContacts(t, db, "--all")
			if a, b := comparable(got), comparable(reference); !reflect.DeepEqual(a, b) {
				for email, c := range b {
					if !reflect.DeepEqual(a[email], c) {
						t.Errorf("%s differs:\n got %+v\nwant %+v", email, a[email], c)
					}
				}
				t.Fatalf("resumed run: %d contacts, uninterrupted %d", len(a), len(b))
			}
			// Temperatures move with the demo's clock by at most a point.
			want := map[string]int{}
			for _, c := range reference {
				want[c.Email] = c.Temperature
			}
			for _, c := range got {
				if d := c.Temperature - want[c.Email]; d < -1 || d > 1 {
					t.Errorf("%s: temperature %d, uninterrupted %d", c.Email, c.Temperature, want[c.Email])
				}
			}
		})
	}
}

func TestMineCancelledBeforeItStartsExits130(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := run(t, ctx, "mine", "--source", "demo", "--db", filepath.Join(t.TempDir(), "x.db"))
	if r.code != 130 || !strings.Contains(r.stderr, "resume") {
		t.Errorf("want exit 130 and a resume hint: %v", r)
	}
}

var _ io.Writer = (*cancelWriter)(nil)
