package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"leadminer/backend/cli"
	"leadminer/backend/oauth/oauthtest"
	"leadminer/backend/secrets"
	"leadminer/backend/source/imap/dovecottest"
	"leadminer/backend/store"
)

func TestAccountCommandErrors(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "empty.db")
	st, err := store.Open(empty)
	if err != nil {
		t.Fatal(err)
	}
	st.Close()
	missing := filepath.Join(dir, "missing.db")
	tests := []struct {
		name string
		args []string
		code int
		says string
	}{
		{"no command", []string{"account"}, 2, "add, list, remove or client"},
		{"unknown command", []string{"account", "rename"}, 2, `unknown account command "rename"`},
		{"add without provider", []string{"account", "add", "--db", empty}, 2, "needs --provider google, microsoft or imap"},
		{"unknown provider", []string{"account", "add", "--provider", "yahoo", "--db", empty}, 2, `unknown provider "yahoo"`},
		{"imap without email", []string{"account", "add", "--provider", "imap", "--db", empty}, 2, "needs --email"},
		{"remove without id", []string{"account", "remove", "--db", empty}, 2, "needs the account's id"},
		{"remove a word", []string{"account", "remove", "first", "--db", empty}, 2, `"first" is not an account id`},
		{"list without a database", []string{"account", "list", "--db", missing}, 1, "no database at"},
		{"remove an unknown id", []string{"account", "remove", "42", "--db", empty}, 1, "42"},
		{"mine an unknown account", []string{"mine", "--account", "42", "--db", empty}, 1, "account list"},
		{"mine with both", []string{"mine", "--account", "1", "--source", "demo", "--db", empty}, 2, "--source"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := run(t, context.Background(), tc.args...)
			if r.code != tc.code || !strings.Contains(r.stderr, tc.says) {
				t.Errorf("leadminer %s: %v\nwant exit %d saying %q", strings.Join(tc.args, " "), r, tc.code, tc.says)
			}
		})
	}
	if _, err := os.Stat(missing); err == nil {
		t.Error("account list created the database it was asked to read")
	}
}

func TestAccountListWithoutAccounts(t *testing.T) {
	db := minedDB(t) // the demo is a source, not an account
	if r := runOK(t, "account", "list", "--db", db); !strings.Contains(r.stdout, "No account yet") {
		t.Errorf("text list: %v", r)
	}
	r := runOK(t, "account", "list", "--db", db, "--format", "json")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil || rows == nil || len(rows) != 0 {
		t.Errorf("json list %q: %v; want []", r.stdout, err)
	}
}

type accountRow struct {
	ID       int64  `json:"id"`
	Provider string `json:"provider"`
	Email    string `json:"email"`
	Status   string `json:"status"`
	Message  string `json:"message"`
	Contacts int    `json:"contacts"`
}

func listAccounts(t *testing.T, db string) []accountRow {
	t.Helper()
	r := runOK(t, "account", "list", "--db", db, "--format", "json")
	var rows []accountRow
	if err := json.Unmarshal([]byte(r.stdout), &rows); err != nil {
		t.Fatalf("account list --format json: %v\n%s", err, r.stdout)
	}
	return rows
}

// accountURI is the mailbox address an account is saved with.
func accountURI(t *testing.T, db string, id int64) string {
	t.Helper()
	st, err := store.Open(db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, err := st.AccountByID(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return a.URI
}

// The whole sign-in from the command line, with a real gnome-keyring (make
// test starts one) and a real Dovecot that asks the fake provider about
// tokens: the address printed, the redirect, the refresh token in the
// keychain, a mine with XOAUTH2 or OAUTHBEARER, a renewal, and no token in
// any file, output or export; then a revoked grant and a removal.
func TestRealKeychainOAuthAccountFromTheCommandLine(t *testing.T) {
	if os.Getenv("LEADMINER_REAL_KEYRING") == "" {
		t.Skip("needs a real Secret Service: run through `make test`")
	}
	for _, tc := range []struct{ provider, sasl string }{{"google", "xoauth2"}, {"microsoft", "oauthbearer"}} {
		t.Run(tc.provider, func(t *testing.T) {
			user := "grace@" + tc.provider + ".example"
			fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Provider(tc.provider), Users: []string{user}})
			srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{user: "unused-password"}, OAuth2IntrospectionURL: fake.IntrospectURL})
			srv.Deliver(t, user, "INBOX", []byte("From: Hal Header <hal@partner.example>\r\nTo: "+user+
				"\r\nSubject: hi\r\nMessage-ID: <cli-oauth-1@x>\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n"))
			env := "LEADMINER_OAUTH_" + strings.ToUpper(tc.provider) + "_"
			t.Setenv(env+"AUTH_URL", fake.AuthURL)
			t.Setenv(env+"TOKEN_URL", fake.TokenURL)
			t.Setenv(env+"CLIENT_ID", "test-client")
			t.Setenv(env+"IMAP", fmt.Sprintf("127.0.0.1:%d?tls=none&sasl=%s", srv.Port, tc.sasl))

			home := t.TempDir()
			db := filepath.Join(home, "leadminer.db")
			browser := oauthtest.NewBrowser(t)
			// The person reading the terminal opens the address printed.
			stdout := &lineWriter{onLine: func(line string) {
				if strings.HasPrefix(line, "http") {
					browser.Open(line)
				}
			}}
			var stderr bytes.Buffer
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			if code := cli.RunIO(ctx, []string{"account", "add", "--provider", tc.provider, "--no-browser", "--db", db}, strings.NewReader(""), stdout, &stderr); code != 0 {
				t.Fatalf("account add: exit %d\n%s\n%s", code, stdout, stderr.String())
			}
			if pages := browser.Pages(); len(pages) != 1 || !strings.Contains(pages[0], "You are signed in") {
				t.Errorf("the browser ended on %q", pages)
			}
			if !strings.Contains(stdout.String(), "Signed in as "+user) {
				t.Errorf("account add said %q", stdout)
			}
			rows := listAccounts(t, db)
			if len(rows) != 1 || rows[0].Provider != tc.provider || rows[0].Email != user || rows[0].Status != "ready" {
				t.Fatalf("account list %+v; want one ready %s account for %s", rows, tc.provider, user)
			}
			id := fmt.Sprint(rows[0].ID)
			uri := accountURI(t, db, rows[0].ID)
			if !strings.Contains(uri, fmt.Sprintf("127.0.0.1:%d", srv.Port)) {
				t.Errorf("the account's mailbox is %s; want the provider's IMAP server on port %d", uri, srv.Port)
			}
			if rt, err := (secrets.Keychain{}).Get(secrets.OAuthRefreshKey(uri)); err != nil || rt == "" {
				t.Errorf("no refresh token in the keychain under %s: %v", uri, err)
			}

			fake.ExpireAccessTokens() // the mine must renew, so a rotated token is issued too
			mine := runOK(t, "mine", "--account", id, "--db", db, "--json-progress")
			export := filepath.Join(home, "contacts.csv")
			runOK(t, "export", "--db", db, "--format", "csv", "--out", export)
			if b := mustRead(t, export); !bytes.Contains(b, []byte("hal@partner.example")) {
				t.Errorf("the mined contact is not in the export:\n%s", b)
			}
			if fake.Stats().Refreshes == 0 {
				t.Error("the expired access token was not renewed")
			}
			haystacks := map[string][]byte{"add stdout": []byte(stdout.String()), "add stderr": stderr.Bytes(),
				"mine stdout": []byte(mine.stdout), "mine stderr": []byte(mine.stderr)}
			filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
				if err == nil && !d.IsDir() {
					haystacks[p], _ = os.ReadFile(p)
				}
				return nil
			})
			tokens := fake.IssuedTokens()
			if len(tokens) < 3 {
				t.Fatalf("only %d tokens issued; want an access, a refresh and a renewed one", len(tokens))
			}
			for name, b := range haystacks {
				for _, tok := range tokens {
					if bytes.Contains(b, []byte(tok)) {
						t.Errorf("a token appears in %s", name)
					}
				}
			}

			fake.RevokeAll()
			fake.ExpireAccessTokens()
			r := run(t, context.Background(), "mine", "--account", id, "--db", db)
			if r.code == 0 || !strings.Contains(strings.ToLower(r.stderr), "reconnect") {
				t.Errorf("mining a revoked account: %v; want a failure that says to reconnect", r)
			}
			if rows := listAccounts(t, db); len(rows) != 1 || rows[0].Status != "needs-reconnect" {
				t.Errorf("after the revocation the account list says %+v; want needs-reconnect", rows)
			}

			runOK(t, "account", "remove", id, "--db", db)
			if rows := listAccounts(t, db); len(rows) != 0 {
				t.Errorf("account list after remove: %+v", rows)
			}
			if rt, err := (secrets.Keychain{}).Get(secrets.OAuthRefreshKey(uri)); err == nil && rt != "" {
				t.Error("the refresh token is still in the keychain after the account was removed")
			}
		})
	}
}

// A password account from the command line: checked against a real
// Dovecot, the password kept in the real keychain, mined by id, and
// forgotten with the account.
func TestRealKeychainIMAPAccountFromTheCommandLine(t *testing.T) {
	if os.Getenv("LEADMINER_REAL_KEYRING") == "" {
		t.Skip("needs a real Secret Service: run through `make test`")
	}
	const user, secret = "ivan@mail.example", "c0rrect-h0rse-ivan"
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{user: secret}})
	srv.Deliver(t, user, "INBOX", []byte("From: Judy <judy@partner.example>\r\nTo: "+user+
		"\r\nSubject: hi\r\nMessage-ID: <cli-imap-1@x>\r\n\r\nhi\r\n"))
	os.Unsetenv("LEADMINER_IMAP_PASSWORD")
	db := filepath.Join(t.TempDir(), "leadminer.db")
	add := []string{"account", "add", "--provider", "imap", "--email", user, "--host", "127.0.0.1",
		"--port", fmt.Sprint(srv.Port), "--tls", "none", "--db", db}

	var out, errb bytes.Buffer
	if code := cli.RunIO(context.Background(), add, strings.NewReader("wrong\n"), &out, &errb); code != 1 || !strings.Contains(errb.String(), "not added") {
		t.Fatalf("a wrong password: exit %d, %s; want exit 1 and not added", code, errb.String())
	}
	if rows := listAccounts(t, db); len(rows) != 0 {
		t.Fatalf("an account was saved with a wrong password: %+v", rows)
	}
	errb.Reset()
	if code := cli.RunIO(context.Background(), add, strings.NewReader(secret+"\n"), &out, &errb); code != 0 {
		t.Fatalf("account add: exit %d: %s", code, errb.String())
	}
	rows := listAccounts(t, db)
	if len(rows) != 1 || rows[0].Provider != "imap" || rows[0].Email != user || rows[0].Status != "ready" {
		t.Fatalf("account list %+v; want one ready imap account", rows)
	}
	id := fmt.Sprint(rows[0].ID)
	uri := accountURI(t, db, rows[0].ID)
	runOK(t, "mine", "--account", id, "--db", db)
	if rows := listAccounts(t, db); rows[0].Contacts != 1 {
		t.Errorf("after mining, the account shows %d contacts; want 1", rows[0].Contacts)
	}
	if b, _ := os.ReadFile(db); bytes.Contains(b, []byte(secret)) {
		t.Error("the password is in the database file")
	}
	runOK(t, "account", "remove", id, "--db", db)
	if p, err := (secrets.Keychain{}).Get(secrets.IMAPPasswordKey(uri)); err == nil && p != "" {
		t.Error("the password is still in the keychain after the account was removed")
	}
}

// signInURL runs `account add --no-browser` until the sign-in address is
// printed, then stops it as a person pressing Ctrl-C would.
func signInURL(t *testing.T, args ...string) (string, result) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var (
		mu  sync.Mutex
		got string
	)
	out := &lineWriter{onLine: func(line string) {
		if strings.HasPrefix(line, "https://") || strings.HasPrefix(line, "http://") {
			mu.Lock()
			got = line
			mu.Unlock()
			cancel()
		}
	}}
	var errb bytes.Buffer
	code := cli.RunIO(ctx, args, strings.NewReader(""), out, &errb)
	mu.Lock()
	defer mu.Unlock()
	return got, result{code, out.String(), errb.String()}
}

// lineWriter calls onLine for each complete line written.
type lineWriter struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	done   int
	onLine func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	w.buf.Write(p)
	var lines []string
	for {
		rest := w.buf.Bytes()[w.done:]
		i := bytes.IndexByte(rest, '\n')
		if i < 0 {
			break
		}
		lines = append(lines, string(rest[:i]))
		w.done += i + 1
	}
	w.mu.Unlock()
	for _, l := range lines {
		w.onLine(l)
	}
	return len(p), nil
}

func (w *lineWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestAccountClientIsTheOneTheSignInUses(t *testing.T) {
	for _, provider := range []string{"google", "microsoft"} {
		t.Run(provider, func(t *testing.T) {
			env := "LEADMINER_OAUTH_" + strings.ToUpper(provider) + "_CLIENT_ID"
			t.Setenv(env, "")
			os.Unsetenv(env)
			db := filepath.Join(t.TempDir(), "leadminer.db")
			add := []string{"account", "add", "--provider", provider, "--no-browser", "--db", db}

			url, r := signInURL(t, add...)
			if url != "" || r.code != 1 || !strings.Contains(r.stderr, "leadminer account client "+provider+" --id") {
				t.Errorf("a sign-in with no client id: %v; want exit 1 saying how to set one", r)
			}

			runOK(t, "account", "client", provider, "--id", "my-own-"+provider+"-app", "--db", db)
			url, r = signInURL(t, add...)
			if !strings.Contains(url, "client_id=my-own-"+provider+"-app") {
				t.Fatalf("the sign-in address %q does not use the saved client; %v", url, r)
			}
			if r.code != 130 || !strings.Contains(r.stderr, "no account was added") {
				t.Errorf("a sign-in interrupted while waiting: %v; want exit 130", r)
			}
			if rows := listAccounts(t, db); len(rows) != 0 {
				t.Errorf("an interrupted sign-in added %+v", rows)
			}
		})
	}
	for _, tc := range []struct {
		args []string
		says string
	}{
		{[]string{"account", "client", "google"}, "needs a provider and --id"},
		{[]string{"account", "client", "--id", "x"}, "needs a provider and --id"},
		{[]string{"account", "client", "yahoo", "--id", "x"}, `unknown sign-in provider "yahoo"`},
	} {
		if r := run(t, context.Background(), append(tc.args, "--db", filepath.Join(t.TempDir(), "x.db"))...); r.code != 2 || !strings.Contains(r.stderr, tc.says) {
			t.Errorf("leadminer %s: %v; want exit 2 saying %q", strings.Join(tc.args, " "), r, tc.says)
		}
	}
}
