package maildir

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"leadminer/backend/source"
)

// tree builds a directory tree: paths ending in "/" are directories, the
// others message files whose header names them.
func tree(t *testing.T, paths ...string) string {
	t.Helper()
	root := t.TempDir()
	for _, p := range paths {
		full := filepath.Join(root, filepath.FromSlash(p))
		if strings.HasSuffix(p, "/") {
			if err := os.MkdirAll(full, 0o700); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.MkdirAll(filepath.Dir(full), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(msg(p)), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func msg(p string) string {
	return "X-Path: " + p + "\r\nSubject: test\r\n\r\nbody\r\n"
}

func header(p string) string {
	return "X-Path: " + p + "\r\nSubject: test\r\n\r\n"
}

// md returns the directories of a Maildir folder at dir ("" for the root).
func md(dir string) []string {
	if dir != "" {
		dir += "/"
	}
	return []string{dir + "cur/", dir + "new/", dir + "tmp/"}
}

func join(lists ...[]string) []string { return slices.Concat(lists...) }

type known map[string]bool

func (k known) Cursor() string        { return "" }
func (k known) Known(loc string) bool { return k[loc] }
func (k known) with(locs ...string) known {
	for _, l := range locs {
		k[l] = true
	}
	return k
}

func scanAll(t *testing.T, m *Maildir, folder string, cp source.Checkpoint) []source.Record {
	t.Helper()
	var recs []source.Record
	if err := m.Scan(context.Background(), folder, cp, func(r source.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("Scan %s: %v", folder, err)
	}
	return recs
}

func TestFolders(t *testing.T) {
	tests := []struct {
		name  string
		paths []string
		want  []source.Folder
	}{
		{
			name:  "root alone is INBOX",
			paths: join(md(""), []string{"cur/1.a:2,S", "new/2.b"}),
			want:  []source.Folder{{Name: "INBOX", Count: 2, Selectable: true}},
		},
		{
			name: "Maildir++ folders",
			paths: join(md(""), md(".Sent"), md(".Archive"), md(".Archive.2023"), md(".Drafts"), md(".INBOX.Junk"),
				[]string{".Sent/cur/1.x:2,S", ".Archive.2023/new/2.y", ".Archive.2023/cur/3.z:2,"}),
			want: []source.Folder{
				{Name: "Archive", Count: 0, Selectable: true},
				{Name: "Archive/2023", Count: 2, Selectable: true},
				{Name: "Drafts", Count: 0, Selectable: true, SpecialUse: source.SpecialDrafts},
				{Name: "INBOX", Count: 0, Selectable: true},
				{Name: "INBOX/Junk", Count: 0, Selectable: true, SpecialUse: source.SpecialJunk},
				{Name: "Sent", Count: 1, Selectable: true, SpecialUse: source.SpecialSent},
			},
		},
		{
			name: "mbsync layout, one directory per folder",
			paths: join(md("INBOX"), md("Work/Sub"), md("Work/Sub/Deeper"), md("Sent Items"),
				[]string{"Work/notes.txt", "INBOX/cur/1.a:2,S", "Work/Sub/new/2.b"}),
			want: []source.Folder{
				{Name: "INBOX", Count: 1, Selectable: true},
				{Name: "Sent Items", Count: 0, Selectable: true, SpecialUse: source.SpecialSent},
				{Name: "Work/Sub", Count: 1, Selectable: true},
				{Name: "Work/Sub/Deeper", Count: 0, Selectable: true},
			},
		},
		{
			name:  "a directory with cur/ but no new/ is not a folder",
			paths: join(md(""), []string{"Half/cur/", "Half/tmp/"}),
			want:  []source.Folder{{Name: "INBOX", Count: 0, Selectable: true}},
		},
		{
			name:  "maildirs under cur/, new/ or tmp/ are not folders",
			paths: join(md(""), md("tmp/Nested"), md("cur/Nested"), md("new/Nested")),
			want:  []source.Folder{{Name: "INBOX", Count: 0, Selectable: true}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Open(tree(t, tt.paths...))
			if err != nil {
				t.Fatal(err)
			}
			got, err := m.Folders(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("Folders =\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	root := tree(t, "plain/readme.txt", "plain/sub/", "mbox")
	tests := []struct {
		name string
		path string
		want []string // substrings of the error
	}{
		{"a directory that is not a maildir", filepath.Join(root, "plain"), []string{"no folder found", "cur/", "new/"}},
		{"a file suggests mbox:", filepath.Join(root, "mbox"), []string{"is a file", "mbox:"}},
		{"a missing path", filepath.Join(root, "missing"), []string{"maildir", "no such file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := Open(tt.path)
			if err == nil {
				t.Fatalf("Open = %v, want an error", m)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

func TestOpenRelativePath(t *testing.T) {
	root := tree(t, md("")...)
	t.Chdir(filepath.Dir(root))
	m, err := Open(filepath.Base(root))
	if err != nil {
		t.Fatal(err)
	}
	if m.URI() != "maildir:"+root {
		t.Errorf("URI = %q, want maildir:%s", m.URI(), root)
	}
	if err := m.Close(); err != nil {
		t.Error(err)
	}
}

func TestScan(t *testing.T) {
	paths := join(md(""), md(".Sent"), []string{
		"new/1700000003.M3P1.host",
		"new/1700000001.M1P1.host",
		"cur/1700000002.M2P1.host:2,S",
		"cur/1700000000.M0P1.host,S=1234,W=1250:2,RS",
		"cur/1700000004.M4P1.host!2,F", // a '!' info separator (no ':' allowed)
		"cur/.hidden",                  // dot files are not messages
		"new/.1700000009.tmp",
		"cur/subdir/1700000010.M1P1.host", // nor are directories
		"tmp/1700000005.M5P1.host",        // being delivered
		".Sent/cur/1700000006.M6P1.host:2,S",
	})
	root := tree(t, paths...)
	m, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	inbox := []struct{ loc, path string }{
		{"1700000001.M1P1.host", "new/1700000001.M1P1.host"},
		{"1700000003.M3P1.host", "new/1700000003.M3P1.host"},
		{"1700000000.M0P1.host,S=1234,W=1250", "cur/1700000000.M0P1.host,S=1234,W=1250:2,RS"},
		{"1700000002.M2P1.host", "cur/1700000002.M2P1.host:2,S"},
		{"1700000004.M4P1.host", "cur/1700000004.M4P1.host!2,F"},
	}
	tests := []struct {
		name   string
		folder string
		cp     source.Checkpoint
		want   []int // indexes into inbox
	}{
		{"new/ then cur/, sorted, header only", "INBOX", source.EmptyCheckpoint{}, []int{0, 1, 2, 3, 4}},
		{"known messages are skipped", "INBOX", known{}.with("1700000003.M3P1.host", "1700000002.M2P1.host"), []int{0, 2, 4}},
		{"everything known", "INBOX", known{}.with("1700000001.M1P1.host", "1700000003.M3P1.host",
			"1700000000.M0P1.host,S=1234,W=1250", "1700000002.M2P1.host", "1700000004.M4P1.host"), nil},
		{"a location with flags is not the unique name", "INBOX", known{}.with("1700000002.M2P1.host:2,S"), []int{0, 1, 2, 3, 4}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := scanAll(t, m, tt.folder, tt.cp)
			if len(recs) != len(tt.want) {
				t.Fatalf("got %d records, want %d: %+v", len(recs), len(tt.want), recs)
			}
			for k, i := range tt.want {
				r := recs[k]
				if r.Folder != "INBOX" || r.Location != inbox[i].loc || string(r.Header) != header(inbox[i].path) || r.Cursor != "" {
					t.Errorf("record %d = {%q %q %q %q}, want {INBOX %q %q}", k, r.Folder, r.Location, r.Cursor, r.Header, inbox[i].loc, header(inbox[i].path))
				}
			}
			n, err := m.Remaining(context.Background(), tt.folder, tt.cp)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(tt.want) {
				t.Errorf("Remaining = %d, Scan emitted %d", n, len(tt.want))
			}
		})
	}
	t.Run("a sub-folder", func(t *testing.T) {
		recs := scanAll(t, m, "Sent", source.EmptyCheckpoint{})
		if len(recs) != 1 || recs[0].Folder != "Sent" || recs[0].Location != "1700000006.M6P1.host" {
			t.Errorf("Sent = %+v", recs)
		}
	})
}

// A message keeps its Location when it moves from new/ to cur/ and when its
// flags change, so it is not mined twice.
func TestLocationSurvivesFlagChanges(t *testing.T) {
	root := tree(t, join(md(""), []string{"new/1700000000.M1P1.host"})...)
	m, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name     string
		from, to string
	}{
		{"delivered", "", ""},
		{"moved to cur/ when seen", "new/1700000000.M1P1.host", "cur/1700000000.M1P1.host:2,S"},
		{"replied", "cur/1700000000.M1P1.host:2,S", "cur/1700000000.M1P1.host:2,RS"},
		{"flagged and all flags cleared", "cur/1700000000.M1P1.host:2,RS", "cur/1700000000.M1P1.host:2,"},
	}
	cp := known{}
	for i, s := range steps {
		if s.from != "" {
			if err := os.Rename(filepath.Join(root, s.from), filepath.Join(root, s.to)); err != nil {
				t.Fatal(err)
			}
		}
		recs := scanAll(t, m, "INBOX", source.EmptyCheckpoint{})
		if len(recs) != 1 || recs[0].Location != "1700000000.M1P1.host" {
			t.Fatalf("%s: records %+v", s.name, recs)
		}
		if i > 0 {
			if got := scanAll(t, m, "INBOX", cp); len(got) != 0 {
				t.Errorf("%s: the message was mined again: %+v", s.name, got)
			}
		}
		cp.with(recs[0].Location)
	}
}

func TestUniqueName(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1700000000.M1P1.host", "1700000000.M1P1.host"},
		{"1700000000.M1P1.host:2,S", "1700000000.M1P1.host"},
		{"1700000000.M1P1.host:2,", "1700000000.M1P1.host"},
		{"1700000000.M1P1.host!2,RS", "1700000000.M1P1.host"},
		{"1700000000.M1P1.host,S=42,W=44:2,FS", "1700000000.M1P1.host,S=42,W=44"},
		{"1700000000.M1P1.host,U=7:2,S", "1700000000.M1P1.host,U=7"},
		{":2,S", ":2,S"}, // no unique part: keep the whole name
	}
	for _, tt := range tests {
		if got := uniqueName(tt.in); got != tt.want {
			t.Errorf("uniqueName(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestScanErrors(t *testing.T) {
	root := tree(t, join(md(""), []string{"cur/1.a:2,S", "cur/2.b:2,S", "cur/3.c:2,S"})...)
	m, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Run("unknown folder", func(t *testing.T) {
		if err := m.Scan(ctx, "Nope", source.EmptyCheckpoint{}, func(source.Record) error { return nil }); err == nil || !strings.Contains(err.Error(), `"Nope"`) {
			t.Errorf("Scan err = %v", err)
		}
		if _, err := m.Remaining(ctx, "Nope", source.EmptyCheckpoint{}); err == nil {
			t.Error("Remaining: no error")
		}
	})
	t.Run("emit error stops the scan", func(t *testing.T) {
		stop := errors.New("stop")
		n := 0
		err := m.Scan(ctx, "INBOX", source.EmptyCheckpoint{}, func(source.Record) error {
			n++
			return stop
		})
		if !errors.Is(err, stop) || n != 1 {
			t.Errorf("err = %v after %d records", err, n)
		}
	})
	t.Run("cancelled context", func(t *testing.T) {
		ctx, cancel := context.WithCancel(ctx)
		cancel()
		err := m.Scan(ctx, "INBOX", source.EmptyCheckpoint{}, func(r source.Record) error {
			return fmt.Errorf("emitted %s", r.Location)
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v", err)
		}
	})
	t.Run("a folder removed after Open", func(t *testing.T) {
		if err := os.RemoveAll(filepath.Join(root, "new")); err != nil {
			t.Fatal(err)
		}
		if err := m.Scan(ctx, "INBOX", source.EmptyCheckpoint{}, func(source.Record) error { return nil }); err == nil {
			t.Error("Scan: no error")
		}
		if _, err := m.Folders(ctx); err == nil {
			t.Error("Folders: no error")
		}
	})
}
