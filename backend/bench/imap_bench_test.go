package bench

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"

	"leadminer/backend/extract"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
)

const (
	benchLogin    = "bench@example.test"
	benchPassword = "bench-pass"
	connections   = 4
	hostedRate    = 130 // messages/s, the hosted product's own progress estimate
)

// bareFetch is the physical limit: go-imap fetching the same header fields
// of every message over the same number of connections, doing nothing
// with them. It returns the number of messages fetched.
func bareFetch(t *testing.T, addr string, total int) int {
	t.Helper()
	var wg sync.WaitGroup
	counts := make([]int, connections)
	per := (total + connections - 1) / connections
	for w := range connections {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, err := imapclient.DialInsecure(addr, nil)
			if err != nil {
				t.Error(err)
				return
			}
			defer c.Close()
			if err := c.Login(benchLogin, benchPassword).Wait(); err != nil {
				t.Error(err)
				return
			}
			if _, err := c.Select("INBOX", &goimap.SelectOptions{ReadOnly: true}).Wait(); err != nil {
				t.Error(err)
				return
			}
			lo := w*per + 1
			for start := lo; start < lo+per && start <= total; start += 500 {
				var set goimap.SeqSet
				set.AddRange(uint32(start), uint32(min(start+499, lo+per-1, total)))
				cmd := c.Fetch(set, &goimap.FetchOptions{UID: true, BodySection: []*goimap.FetchItemBodySection{{
					Specifier: goimap.PartSpecifierHeader, HeaderFields: extract.HeaderFields, Peek: true}}})
				for msg := cmd.Next(); msg != nil; msg = cmd.Next() {
					for item := msg.Next(); item != nil; item = msg.Next() {
						if b, ok := item.(imapclient.FetchItemDataBodySection); ok {
							io.Copy(io.Discard, b.Literal)
						}
					}
					counts[w]++
				}
				if err := cmd.Close(); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	n := 0
	for _, c := range counts {
		n += c
	}
	return n
}

// TestBenchmarkIMAPMining loads 50,000 generated messages into a local
// Dovecot and compares a LeadMiner mining run (the CLI, in its own
// process) with a bare go-imap fetch of the same fields on the same number
// of connections, alternating them twice and keeping each one's best time.
func TestBenchmarkIMAPMining(t *testing.T) {
	bin := os.Getenv("LEADMINER_BIN")
	if bin == "" {
		t.Skip("run with `make bench`")
	}
	n := 50_000
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{benchLogin: benchPassword}, MaxConnections: 20})
	start := time.Now()
	inbox := srv.Maildir(benchLogin)
	if err := generateMaildir(inbox, n); err != nil {
		t.Fatal(err)
	}
	exec.Command("chown", "-R", "nobody", inbox).Run()
	t.Logf("loaded %d messages in %s", n, time.Since(start).Round(time.Millisecond))
	// Dovecot indexes the folder on first access; that is not ours to time.
	if got := bareFetch(t, srv.Addr(), n); got != n {
		t.Fatalf("warm-up fetched %d of %d", got, n)
	}

	uri := imap.Config{Host: "127.0.0.1", Port: srv.Port, Security: imap.None, Username: benchLogin}.URI()
	env := []string{"LEADMINER_IMAP_PASSWORD=" + benchPassword}
	var bare, ours time.Duration
	var oursRSS int64
	for round := range 2 {
		s := time.Now()
		bareFetch(t, srv.Addr(), n)
		if d := time.Since(s); round == 0 || d < bare {
			bare = d
		}
		db := filepath.Join(t.TempDir(), "bench.db")
		m := run(t, "", env, bin, "mine", "--source", uri, "--db", db, "--connections", fmt.Sprint(connections), "--folders", "INBOX")
		if round == 0 || m.elapsed < ours {
			ours = m.elapsed
		}
		oursRSS = max(oursRSS, m.maxRSS)
		if round == 0 {
			t.Log(strings.TrimSpace(string(m.output)))
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "\nIMAP mining, %d messages in a local Dovecot, %d connections (best of 2)\n", n, connections)
	fmt.Fprintf(&b, "%-40s %10s %12s %12s\n", "", "seconds", "messages/s", "peak RSS MB")
	fmt.Fprintf(&b, "%-40s %10.2f %12.0f %12s\n", "bare go-imap header fetch", bare.Seconds(), float64(n)/bare.Seconds(), "-")
	fmt.Fprintf(&b, "%-40s %10.2f %12.0f %12.1f\n", "leadminer mine (fetch+extract+store)", ours.Seconds(), float64(n)/ours.Seconds(), float64(oursRSS)/(1<<20))
	fmt.Fprintf(&b, "ratio ours/bare: %.2fx (target 1.3x); %.0fx the hosted product's estimate of %d msg/s\n",
		ours.Seconds()/bare.Seconds(), float64(n)/ours.Seconds()/hostedRate, hostedRate)
	fmt.Print(b.String())
	if oursRSS > 200<<20 {
		t.Errorf("peak memory %.0f MB, the target is under 200 MB", float64(oursRSS)/(1<<20))
	}
}
