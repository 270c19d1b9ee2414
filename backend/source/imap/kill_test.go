package imap_test

import (
	"bufio"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"leadminer/backend/cli"
	"leadminer/backend/mining"
	"leadminer/backend/source/imap"
	"leadminer/backend/source/imap/dovecottest"
)

// TestMain lets the test binary act as the leadminer command, so a test can
// run a real mining process and kill it.
func TestMain(m *testing.M) {
	if args := os.Getenv("LEADMINER_TEST_CHILD_ARGS"); args != "" {
		var argv []string
		json.Unmarshal([]byte(args), &argv)
		os.Exit(cli.Run(context.Background(), argv, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startChild runs `leadminer mine` in a child process.
func startChild(t *testing.T, args ...string) (*exec.Cmd, *bufio.Scanner) {
	t.Helper()
	b, _ := json.Marshal(args)
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "LEADMINER_TEST_CHILD_ARGS="+string(b), "LEADMINER_IMAP_PASSWORD="+password)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, bufio.NewScanner(out)
}

// Killing the process (SIGKILL: no cleanup at all) at several points of a
// run, then running again, gives exactly what one uninterrupted run gives.
func TestKilledProcessResumesToTheUninterruptedResult(t *testing.T) {
	srv := startWithDemo(t)
	reference := openStore(t)
	mine(t, reference, openIMAP(t, config(srv)))
	want := allContacts(t, reference)

	// Slow the server down so the kills land in the middle of fetching.
	proxy := dovecottest.StartProxy(t, srv.Addr())
	proxy.Delay.Store(int64(3 * time.Millisecond))
	uri := imap.Config{Host: "127.0.0.1", Port: proxy.Port(), Security: imap.None, Username: login}.URI()
	db := filepath.Join(t.TempDir(), "killed.db")
	for _, killAt := range []int{500, 700, 600} { // each run counts from zero
		cmd, lines := startChild(t, "mine", "--source", uri, "--db", db, "--json-progress", "--connections", "2")
		killed := false
		for lines.Scan() {
			var p mining.Progress
			if json.Unmarshal(lines.Bytes(), &p) == nil && p.Phase == mining.PhaseMining && p.Done >= killAt {
				cmd.Process.Signal(syscall.SIGKILL)
				killed = true
				break
			}
		}
		err := cmd.Wait()
		if !killed {
			t.Fatalf("the run ended before reaching %d messages (%v): the kill did not land mid-run", killAt, err)
		}
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("child not killed: %v", cmd.ProcessState)
		}
	}
	// The last run completes.
	cmd, lines := startChild(t, "mine", "--source", uri, "--db", db, "--json-progress")
	var last string
	for lines.Scan() {
		last = lines.Text()
	}
	if err := cmd.Wait(); err != nil {
		t.Fatalf("resume failed: %v (last line %s)", err, last)
	}
	if !strings.Contains(last, `"phase":"done"`) {
		t.Fatalf("resume did not finish: %s", last)
	}
	st := openStoreAt(t, db)
	diff(t, "after kill -9 and resume", want, allContacts(t, st))
	runs, _ := st.Runs(context.Background(), 10)
	failed := 0
	for _, r := range runs {
		if r.Status == "failed" && r.Error == "interrupted" {
			failed++
		}
	}
	if failed == 0 {
		t.Error("the killed runs were not recorded as interrupted")
	}
}
