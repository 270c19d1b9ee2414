package analyse

import (
	"bufio"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Each fixture under testdata is a tiny module: a go.mod ("module fixture",
// except nogomod) and directories of .go files, one package each.
func TestCheckFixtures(t *testing.T) {
	tests := []struct {
		name    string
		fixture string
		allowed []string
		want    []Finding
	}{
		{
			name:    "planted http.Get in a package",
			fixture: "planted",
			want:    []Finding{{"fetch/fetch.go:7:15", "fixture/fetch", "calls net/http.Get"}},
		},
		{
			name:    "renamed import web \"net/http\"",
			fixture: "renamed",
			want:    []Finding{{"web/web.go:6:9", "fixture/web", "calls net/http.Get"}},
		},
		{
			name:    "dot import, with a field and a method named like net/http's functions",
			fixture: "dotimport",
			want:    []Finding{{"dot/dot.go:13:9", "fixture/dot", "calls net/http.Get"}},
		},
		{
			name:    "value capture f := net.Dial",
			fixture: "capture",
			want:    []Finding{{"dial/dial.go:6:7", "fixture/dial", "refers to net.Dial"}},
		},
		{
			name:    "type uses: var, literal, new, parameter, embedding, DefaultClient",
			fixture: "typeuse",
			want: []Finding{
				{"client/client.go:8:7", "fixture/client", "refers to net/http.Client"},
				{"client/client.go:10:46", "fixture/client", "constructs net/http.Transport"},
				{"client/client.go:12:16", "fixture/client", "refers to net.Dialer"},
				{"client/client.go:12:40", "fixture/client", "constructs net.Dialer"},
				{"client/client.go:14:13", "fixture/client", "refers to net/http.Client"},
				{"client/client.go:19:2", "fixture/client", "refers to net/http.Client"},
				{"client/client.go:22:17", "fixture/client", "refers to net/http.Client"},
				{"client/client.go:22:38", "fixture/client", "refers to net/http.DefaultClient"},
			},
		},
		{
			name:    "NewRequest, RoundTripper, ParseIP, tls.Client and a blank import are not reaching out",
			fixture: "benign",
		},
		{
			name:    "_test.go files are not scanned",
			fixture: "testfiles",
		},
		{
			name:    "an allowed package is not reported; its subpackage, a namesake and a prefix are",
			fixture: "allowed",
			allowed: []string{"fixture/gate"},
			want: []Finding{
				{"gate/sub/sub.go:6:57", "fixture/gate/sub", "calls net/http.Get"},
				{"gatekeeper/gatekeeper.go:6:51", "fixture/gatekeeper", "calls net.Dial"},
				{"other/gate/gate.go:6:57", "fixture/other/gate", "calls net/http.Get"},
			},
		},
		{
			name:    "without an allowed list the gate is reported too",
			fixture: "allowed",
			want: []Finding{
				{"gate/gate.go:6:15", "fixture/gate", "constructs net/http.Client"},
				{"gate/sub/sub.go:6:57", "fixture/gate/sub", "calls net/http.Get"},
				{"gatekeeper/gatekeeper.go:6:51", "fixture/gatekeeper", "calls net.Dial"},
				{"other/gate/gate.go:6:57", "fixture/other/gate", "calls net/http.Get"},
			},
		},
		{
			name:    "a variable named http, without or shadowing the import",
			fixture: "shadow",
		},
		{
			name:    "testdata, vendor, node_modules, root frontend, . and _ are skipped; a deep frontend is not",
			fixture: "skipped",
			want:    []Finding{{"ui/frontend/leak.go:7:57", "fixture/ui/frontend", "calls net/http.Get"}},
		},
		{
			name:    "a nested module is read under its own path",
			fixture: "nested",
			want: []Finding{
				{"tools/cmd/probe/probe.go:6:15", "example.com/tools/cmd/probe", "calls crypto/tls.Dial"},
				{"top.go:5:53", "fixture", "calls net.LookupHost"},
			},
		},
		{
			name:    "without go.mod, import paths are directories",
			fixture: "nogomod",
			want: []Finding{
				{"a/b/b.go:5:15", "a/b", "refers to net/http.DefaultTransport"},
				{"root.go:5:16", ".", "refers to net.DefaultResolver"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Check(filepath.Join("testdata", tt.fixture), tt.allowed)
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Check(%s) =\n%s\nwant\n%s", tt.fixture, list(got), list(tt.want))
			}
		})
	}
}

// A file the analyser cannot parse fails the check instead of passing it.
func TestCheckParseError(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "go.mod"), "module fixture\n")
	write(t, filepath.Join(root, "broken", "broken.go"), "package broken\n\nfunc (\n")
	if got, err := Check(root, nil); err == nil {
		t.Fatalf("Check on a file that does not parse = %v, nil; want an error", got)
	}
}

// Findings come sorted by file, then line and column as numbers.
func TestCheckOrder(t *testing.T) {
	root := t.TempDir()
	write(t, filepath.Join(root, "go.mod"), "// comment\nmodule \"example.com/m\" // quoted\n")
	var b strings.Builder
	b.WriteString("package z\n\nimport \"net\"\n\n")
	for range 12 {
		b.WriteString("var _ = net.Dial\n")
	}
	write(t, filepath.Join(root, "z", "z.go"), b.String())
	write(t, filepath.Join(root, "a", "a.go"), "package a\n\nimport \"net\"\n\nvar _, _ = net.Dial, net.LookupIP\n")
	got, err := Check(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := []Finding{
		{"a/a.go:5:12", "example.com/m/a", "refers to net.Dial"},
		{"a/a.go:5:22", "example.com/m/a", "refers to net.LookupIP"},
	}
	for line := 5; line < 17; line++ {
		want = append(want, Finding{"z/z.go:" + strconv.Itoa(line) + ":9", "example.com/m/z", "refers to net.Dial"})
	}
	if !slices.Equal(got, want) {
		t.Errorf("Check =\n%s\nwant\n%s", list(got), list(want))
	}
}

// The rule table is data others read: one row per package, each with a
// reason, and only exported identifiers (or "*").
func TestRuleTable(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range rules {
		if seen[r.path] {
			t.Errorf("%s: listed twice", r.path)
		}
		seen[r.path] = true
		if r.name == "" || r.why == "" || len(r.idents) == 0 {
			t.Errorf("%s: name, why and identifiers are all needed", r.path)
		}
		for _, id := range r.idents {
			if id != "*" && !r.matches(id) {
				t.Errorf("%s.%s: not an exported identifier", r.path, id)
			}
		}
	}
}

// The privacy promise: only the egress gate and the mail-protocol client
// open network connections or build HTTP clients.
func TestOnlyTheGateAndMailClientsReachTheNetwork(t *testing.T) {
	root := repoRoot(t)
	allowed := []string{
		"leadminer/backend/egress",
		"leadminer/backend/source/imap",
		// The Dovecot test harness: a non-test package only tests import,
		// which picks a free loopback port (net.Listen) and waits for its
		// Dovecot to listen (net.DialTimeout to 127.0.0.1).
		"leadminer/backend/source/imap/dovecottest",
		// The OAuth redirect listener: it listens on 127.0.0.1 only, for the
		// browser to come back after a sign-in (RFC 8252 §7.3); it opens no
		// connection. The sign-in's own requests go through the gate.
		"leadminer/backend/oauth/loopback",
		// The fake Google/Microsoft OAuth server: a non-test package only
		// tests import, which serves the fake provider on loopback (httptest).
		"leadminer/backend/oauth/oauthtest",
	}
	got, err := Check(root, allowed)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) > 0 {
		t.Errorf("only %s may reach the network; found %d references outside them:\n%s\n"+
			"Route the request through the egress gate (or, if this package must be allowed, say why in this test).",
			strings.Join(allowed, ", "), len(got), list(got))
	}

	// Guard against a vacuous pass (a walk that reads nothing): with no
	// package allowed, the mail client itself must be reported.
	all, err := Check(root, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(all, func(f Finding) bool { return f.Package == "leadminer/backend/source/imap" }) {
		t.Errorf("with nothing allowed, the IMAP client's dialing was not found: the analyser is not reading the module\n%s", list(all))
	}
}

// repoRoot walks up from the test's directory to the go.mod of module
// leadminer.
func repoRoot(t *testing.T) string {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if f, err := os.Open(filepath.Join(dir, "go.mod")); err == nil {
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if strings.TrimSpace(sc.Text()) == "module leadminer" {
					f.Close()
					return dir
				}
			}
			f.Close()
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod of module leadminer above the test's directory")
		}
		dir = parent
	}
}

func list(fs []Finding) string {
	if len(fs) == 0 {
		return "\t(none)"
	}
	lines := make([]string, len(fs))
	for i, f := range fs {
		lines[i] = "\t" + f.String()
	}
	return strings.Join(lines, "\n")
}

func write(t *testing.T, p, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}
