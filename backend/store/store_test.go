package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// openTestStore opens a fresh database in a temporary directory.
func openTestStore(t testing.TB) *Store {
	t.Helper()
	s, err := Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func perm(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestOpenCreatesAPrivateDirectoryAndFiles(t *testing.T) {
	root := t.TempDir()
	path := filepath.Join(root, "data", "leadminer", "leadminer.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Path() != path {
		t.Errorf("Path() = %q, want %q", s.Path(), path)
	}
	for _, dir := range []string{filepath.Join(root, "data"), filepath.Dir(path)} {
		if p := perm(t, dir); p != 0o700 {
			t.Errorf("%s: mode %v, want 0700", dir, p)
		}
	}
	if p := perm(t, path); p != 0o600 {
		t.Errorf("database file mode %v, want 0600", p)
	}
	// A write creates the WAL and shared-memory files: private too.
	if err := s.SetSetting(context.Background(), "k", "v"); err != nil {
		t.Fatal(err)
	}
	for _, suffix := range []string{"-wal", "-shm"} {
		if p := perm(t, path+suffix); p != 0o600 {
			t.Errorf("%s file mode %v, want 0600", suffix, p)
		}
	}
}

func TestOpenAppliesEveryMigrationOnce(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := s.SchemaVersion(ctx); err != nil || v != len(migrations) {
		t.Fatalf("schema version %d, %v; want %d", v, err, len(migrations))
	}
	if err := s.SetSetting(ctx, "kept", "yes"); err != nil {
		t.Fatal(err)
	}
	s.Close()
	// Re-running migration 1 would fail (its tables exist) or lose data.
	for range 2 {
		s, err = Open(path)
		if err != nil {
			t.Fatalf("reopening: %v", err)
		}
		if v, _ := s.SchemaVersion(ctx); v != len(migrations) {
			t.Errorf("schema version %d after reopening, want %d", v, len(migrations))
		}
		if v, _ := s.Setting(ctx, "kept"); v != "yes" {
			t.Errorf("setting lost on reopening: %q", v)
		}
		s.Close()
	}
}

func TestOpenRefusesADatabaseFromANewerVersion(t *testing.T) {
	path := filepath.Join(t.TempDir(), "test.db")
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	newer := len(migrations) + 3
	if _, err := s.db.Exec(fmt.Sprintf("PRAGMA user_version = %d", newer)); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path)
	if err == nil {
		s.Close()
		t.Fatal("opened a database from a newer version")
	}
	for _, want := range []string{"newer", fmt.Sprint(newer), "update LeadMiner"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not say %q", err, want)
		}
	}
}

// The CLI and the desktop app may open a database that needs migrating at
// the same moment: the migrations must run once, whoever wins.
func TestConcurrentOpensMigrateOnce(t *testing.T) {
	for round := range 10 {
		// An empty database already in WAL mode, as one left by a process
		// that died before migrating.
		path := filepath.Join(t.TempDir(), fmt.Sprintf("race%d.db", round))
		db, err := sql.Open("sqlite3", "file:"+path+"?_journal_mode=WAL")
		if err != nil {
			t.Fatal(err)
		}
		var mode string
		if err := db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
			t.Fatalf("journal mode %q, %v", mode, err)
		}
		db.Close()
		var wg sync.WaitGroup
		errs := make(chan error, 4)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				s, err := Open(path)
				if err != nil {
					errs <- err
					return
				}
				s.Close()
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatalf("round %d: concurrent open failed: %v", round, err)
		}
	}
}

func TestSettings(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	if v, err := s.Setting(ctx, "missing"); err != nil || v != "" {
		t.Errorf("unset setting = %q, %v; want empty, nil", v, err)
	}
	steps := []struct{ key, value string }{
		{"me_known", "true"},
		{"me_known", "false"}, // overwritten, not duplicated
		{"empty", ""},
		{"unicode", "Zoë ✉ 東京"},
		{"quote", `it's "quoted"; DROP TABLE settings; --`},
	}
	for _, st := range steps {
		if err := s.SetSetting(ctx, st.key, st.value); err != nil {
			t.Fatalf("SetSetting(%q): %v", st.key, err)
		}
		if v, err := s.Setting(ctx, st.key); err != nil || v != st.value {
			t.Errorf("Setting(%q) = %q, %v; want %q", st.key, v, err, st.value)
		}
	}
	var n int
	if err := s.db.QueryRow(`SELECT COUNT(*) FROM settings`).Scan(&n); err != nil || n != 4 {
		t.Errorf("%d settings rows, %v; want 4", n, err)
	}
}

func TestSourcesAndFoldersAreEnsuredOnce(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	a, err := s.EnsureSource(ctx, "maildir:/mail", "maildir")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := s.EnsureSource(ctx, "maildir:/mail", "maildir"); b != a {
		t.Errorf("same URI gave ids %d and %d", a, b)
	}
	if c, _ := s.EnsureSource(ctx, "mbox:/mail", "mbox"); c == a {
		t.Error("two URIs share an id")
	}
	f1, err := s.EnsureFolder(ctx, a, "INBOX")
	if err != nil {
		t.Fatal(err)
	}
	if f2, _ := s.EnsureFolder(ctx, a, "INBOX"); f2 != f1 {
		t.Errorf("same folder gave %+v and %+v", f1, f2)
	}
	if f1.Cursor != "" {
		t.Errorf("new folder has cursor %q", f1.Cursor)
	}
}

func TestRunsRecordHowMiningEnded(t *testing.T) {
	ctx := context.Background()
	s := openTestStore(t)
	src, _ := s.EnsureSource(ctx, "demo:", "demo")
	first, err := s.StartRun(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	// A second start while the first is "running": that process died.
	second, err := s.StartRun(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRun(ctx, second, RunResult{Status: RunDone, MessagesSeen: 10, MessagesNew: 7, ContactsNew: 3}); err != nil {
		t.Fatal(err)
	}
	runs, err := s.Runs(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(runs) != 2 || runs[0].ID != second || runs[1].ID != first {
		t.Fatalf("runs %+v, want the second then the first", runs)
	}
	if r := runs[1]; r.Status != RunFailed || r.Error != "interrupted" || r.FinishedAt == nil {
		t.Errorf("abandoned run: %+v, want failed, interrupted, finished", r)
	}
	if r := runs[0]; r.Status != RunDone || r.MessagesSeen != 10 || r.MessagesNew != 7 || r.ContactsNew != 3 || r.SourceURI != "demo:" {
		t.Errorf("finished run: %+v", r)
	}
	var last *int64
	if err := s.db.QueryRow(`SELECT last_mined_at FROM sources WHERE id = ?`, src).Scan(&last); err != nil || last == nil {
		t.Errorf("source last_mined_at not set by a finished run: %v, %v", last, err)
	}
}

func TestNowIsUsedForTimestamps(t *testing.T) {
	s := openTestStore(t)
	fixed := time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)
	s.now = func() time.Time { return fixed }
	ctx := context.Background()
	src, _ := s.EnsureSource(ctx, "demo:", "demo")
	if _, err := s.StartRun(ctx, src); err != nil {
		t.Fatal(err)
	}
	runs, _ := s.Runs(ctx, 1)
	if !runs[0].StartedAt.Equal(fixed) {
		t.Errorf("run started at %v, want %v", runs[0].StartedAt, fixed)
	}
}

func TestErrNotFoundForUnknownContact(t *testing.T) {
	s := openTestStore(t)
	_, err := s.ContactByEmail(context.Background(), "nobody@example.test")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "nobody@example.test") {
		t.Errorf("error %v, want ErrNotFound naming the address", err)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	return slices.Sorted(func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	})
}
