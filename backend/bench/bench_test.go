package bench

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// measurement is one timed command.
type measurement struct {
	name    string
	elapsed time.Duration
	maxRSS  int64 // bytes
	output  []byte
}

// run times a command and reads its peak resident memory from rusage.
func run(t *testing.T, name string, env []string, args ...string) measurement {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Env = append(os.Environ(), env...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	start := time.Now()
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, errb.String())
	}
	m := measurement{name: name, elapsed: time.Since(start), output: out.Bytes()}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss * 1024
	}
	return m
}

func combine(name string, ms ...measurement) measurement {
	c := measurement{name: name}
	for _, m := range ms {
		c.elapsed += m.elapsed
		c.maxRSS = max(c.maxRSS, m.maxRSS)
		c.output = m.output
	}
	return c
}

// benchDir keeps generated mailboxes between runs (they take a while).
func benchDir(t *testing.T, name string) string {
	root := os.Getenv("LEADMINER_BENCH_CACHE")
	if root == "" {
		root = filepath.Join(os.TempDir(), "leadminer-bench")
	}
	return filepath.Join(root, name)
}

func countLines(b []byte) int { return bytes.Count(b, []byte("\n")) }

// warm reads every file once so that no tool pays for a cold page cache
// the others do not.
func warm(t *testing.T, dir string) {
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			os.ReadFile(p)
		}
		return nil
	})
}

// TestBenchmarkMaildirMining mines a generated 100,000-message Maildir with
// LeadMiner, mu (index + cfind) and notmuch (new + address), one after the
// other on the same files, and prints time, rate, peak memory and ratios.
// It runs only from `make bench` (LEADMINER_BIN names the binary to time).
func TestBenchmarkMaildirMining(t *testing.T) {
	bin := os.Getenv("LEADMINER_BIN")
	if bin == "" {
		t.Skip("run with `make bench`")
	}
	n := 100_000
	// Bump the version when generateMaildir changes: the cache is reused.
	maildir := benchDir(t, fmt.Sprintf("maildir-%d-v2", n))
	if _, err := os.Stat(filepath.Join(maildir, ".complete")); err != nil {
		os.RemoveAll(maildir)
		start := time.Now()
		if err := generateMaildir(maildir, n); err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(maildir, ".complete"), nil, 0o600)
		t.Logf("generated %d messages in %s", n, time.Since(start).Round(time.Millisecond))
	}
	warm(t, maildir)
	work := t.TempDir()

	var results []measurement
	ours := run(t, "leadminer mine + contacts", nil, bin, "mine", "--source", "maildir:"+maildir,
		"--db", filepath.Join(work, "lm.db"), "--me", demoOwner[0], "--me", demoOwner[1])
	list := run(t, "", nil, bin, "contacts", "--db", filepath.Join(work, "lm.db"), "--all", "--format", "csv")
	ours = combine("leadminer mine + contacts --all", ours, list)
	results = append(results, ours)
	contactsOurs := countLines(list.output) - 1

	if _, err := exec.LookPath("mu"); err == nil {
		muhome := filepath.Join(work, "mu")
		initM := run(t, "", nil, "mu", "init", "--muhome="+muhome, "--maildir="+maildir, "--my-address="+demoOwner[0])
		index := run(t, "", nil, "mu", "index", "--muhome="+muhome, "--quiet")
		cfind := run(t, "", nil, "mu", "cfind", "--muhome="+muhome, "--format=csv")
		m := combine("mu index + cfind", initM, index, cfind)
		t.Logf("mu cfind: %d contacts", countLines(cfind.output))
		results = append(results, m)
	} else {
		t.Log("mu not installed (apt-get install maildir-utils): skipped")
	}
	if _, err := exec.LookPath("notmuch"); err == nil {
		cfg := filepath.Join(work, "notmuch-config")
		db := filepath.Join(work, "notmuch-db")
		os.MkdirAll(db, 0o700)
		os.WriteFile(cfg, []byte("[database]\npath="+db+"\nmail_root="+maildir+"\n[user]\nprimary_email="+demoOwner[0]+
			"\n[new]\ntags=inbox;\n[maildir]\nsynchronize_flags=false\n"), 0o600)
		env := []string{"NOTMUCH_CONFIG=" + cfg}
		newM := run(t, "", env, "notmuch", "new", "--quiet")
		addr := run(t, "", env, "notmuch", "address", "--output=sender", "--output=recipients", "--deduplicate=address", "*")
		m := combine("notmuch new + address", newM, addr)
		t.Logf("notmuch address: %d addresses", countLines(addr.output))
		results = append(results, m)
	} else {
		t.Log("notmuch not installed (apt-get install notmuch): skipped")
	}

	var b strings.Builder
	fmt.Fprintf(&b, "\nMaildir mining, %d messages (%d contacts found by LeadMiner)\n", n, contactsOurs)
	fmt.Fprintf(&b, "%-36s %10s %12s %12s %14s\n", "tool", "seconds", "messages/s", "peak RSS MB", "time vs ours")
	for _, m := range results {
		fmt.Fprintf(&b, "%-36s %10.2f %12.0f %12.1f %13.2fx\n", m.name, m.elapsed.Seconds(),
			float64(n)/m.elapsed.Seconds(), float64(m.maxRSS)/(1<<20), m.elapsed.Seconds()/ours.elapsed.Seconds())
	}
	fmt.Print(b.String())
	if ours.maxRSS > 200<<20 {
		t.Errorf("peak memory %.0f MB, the target is under 200 MB", float64(ours.maxRSS)/(1<<20))
	}
}
