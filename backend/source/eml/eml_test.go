package eml

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"leadminer/backend/source"
)

// tree writes files (their header names them) under root/export and returns
// that directory.
func tree(t *testing.T, files ...string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "export")
	if err := os.Mkdir(root, 0o700); err != nil {
		t.Fatal(err)
	}
	for _, p := range files {
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
		if err := os.WriteFile(full, []byte(header(p)+"body\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func header(p string) string { return "X-Path: " + p + "\nSubject: s\n\n" }

type known map[string]bool

func (known) Cursor() string          { return "" }
func (k known) Known(loc string) bool { return k[loc] }

func scanAll(t *testing.T, d *Dir, folder string, cp source.Checkpoint) []source.Record {
	t.Helper()
	var recs []source.Record
	if err := d.Scan(context.Background(), folder, cp, func(r source.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("Scan %s: %v", folder, err)
	}
	return recs
}

var files = []string{
	"b.eml",
	"a.eml",
	"Inbox/x.eml",
	"Inbox/2023/c.EML",
	"Inbox/2023/d.Eml",
	"Inbox/2023/notes.txt",
	"Inbox/2023/e.emlx",
	"Inbox/2023/eml",
	"Sent/s.eml",
	"Sent Items/t.eml",
	"Empty/",
	"Other/readme.md",
}

func TestFolders(t *testing.T) {
	root := tree(t, files...)
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	got, err := d.Folders(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	want := []source.Folder{
		{Name: "export", Count: 2, Selectable: true},
		{Name: "export/Inbox", Count: 1, Selectable: true},
		{Name: "export/Inbox/2023", Count: 2, Selectable: true},
		{Name: "export/Sent", Count: 1, Selectable: true, SpecialUse: source.SpecialSent},
		{Name: "export/Sent Items", Count: 1, Selectable: true, SpecialUse: source.SpecialSent},
	}
	if !slices.Equal(got, want) {
		t.Errorf("Folders =\n%+v\nwant\n%+v", got, want)
	}
	if d.URI() != "eml:"+root {
		t.Errorf("URI = %q", d.URI())
	}
	if err := d.Close(); err != nil {
		t.Error(err)
	}
}

func TestScan(t *testing.T) {
	d, err := Open(tree(t, files...))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		folder string
		cp     known
		want   []string // locations, in order
	}{
		{"files of the root, sorted", "export", nil, []string{"a.eml", "b.eml"}},
		{"upper-case extensions, relative path as location", "export/Inbox/2023", nil,
			[]string{"Inbox/2023/c.EML", "Inbox/2023/d.Eml"}},
		{"known files are skipped", "export/Inbox/2023", known{"Inbox/2023/c.EML": true}, []string{"Inbox/2023/d.Eml"}},
		{"a known location of another folder does not count", "export", known{"Inbox/x.eml": true, "c.EML": true},
			[]string{"a.eml", "b.eml"}},
		{"everything known", "export/Sent", known{"Sent/s.eml": true}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cp source.Checkpoint = source.EmptyCheckpoint{}
			if tt.cp != nil {
				cp = tt.cp
			}
			recs := scanAll(t, d, tt.folder, cp)
			var locs []string
			for _, r := range recs {
				locs = append(locs, r.Location)
				if r.Folder != tt.folder || r.Cursor != "" || string(r.Header) != header(r.Location) {
					t.Errorf("record %+v", r)
				}
			}
			if !slices.Equal(locs, tt.want) {
				t.Errorf("locations %q, want %q", locs, tt.want)
			}
			n, err := d.Remaining(context.Background(), tt.folder, cp)
			if err != nil {
				t.Fatal(err)
			}
			if n != len(tt.want) {
				t.Errorf("Remaining = %d, Scan emitted %d", n, len(tt.want))
			}
		})
	}
}

func TestScanFileRemovedAfterOpen(t *testing.T) {
	root := tree(t, "a.eml", "b.eml", "c.eml")
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(root, "b.eml")); err != nil {
		t.Fatal(err)
	}
	var locs []string
	for _, r := range scanAll(t, d, "export", source.EmptyCheckpoint{}) {
		locs = append(locs, r.Location)
	}
	if !slices.Equal(locs, []string{"a.eml", "c.eml"}) {
		t.Errorf("locations %q", locs)
	}
}

func TestErrors(t *testing.T) {
	root := tree(t, "a.eml", "empty/notes.txt")
	tests := []struct {
		name string
		path string
		want string
	}{
		{"a file", filepath.Join(root, "a.eml"), "is a file"},
		{"a directory without .eml files", filepath.Join(root, "empty"), "no .eml file found"},
		{"a missing directory", filepath.Join(root, "missing"), "no such file"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := Open(tt.path); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Open err = %v, want one with %q", err, tt.want)
			}
		})
	}
	d, err := Open(root)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	t.Run("unknown folder", func(t *testing.T) {
		if err := d.Scan(ctx, "nope", source.EmptyCheckpoint{}, func(source.Record) error { return nil }); err == nil {
			t.Error("Scan: no error")
		}
		if _, err := d.Remaining(ctx, "nope", source.EmptyCheckpoint{}); err == nil {
			t.Error("Remaining: no error")
		}
	})
	t.Run("emit error stops the scan", func(t *testing.T) {
		stop := errors.New("stop")
		if err := d.Scan(ctx, "export", source.EmptyCheckpoint{}, func(source.Record) error { return stop }); !errors.Is(err, stop) {
			t.Errorf("err = %v", err)
		}
	})
}
