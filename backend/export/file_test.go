package export

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"leadminer/backend/contact"
)

// yieldAll is an `each` that yields the contacts, stopping at an error.
func yieldAll(contacts ...contact.Contact) func(func(contact.Contact) error) error {
	return func(yield func(contact.Contact) error) error {
		for _, c := range contacts {
			if err := yield(c); err != nil {
				return err
			}
		}
		return nil
	}
}

// dirNames lists a directory's entries.
func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func fileMode(t *testing.T, path string) os.FileMode {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Mode().Perm()
}

func TestWriteFileWritesEachFormatPrivatelyAndCounts(t *testing.T) {
	people := []contact.Contact{fullContact(), {Email: "b@example.com", Name: "Bee"}, {Email: "c@example.com"}}
	for _, format := range []Format{FormatCSV, FormatVCard, FormatJSON} {
		for _, n := range []int{0, 1, 3} {
			t.Run(fmt.Sprintf("%s with %d", format, n), func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "contacts"+Extension(format))
				opts := Options{Now: fixedNow, BOM: true}
				got, err := WriteFile(path, format, opts, yieldAll(people[:n]...))
				if err != nil || got != n {
					t.Fatalf("WriteFile = %d, %v; want %d", got, err, n)
				}
				// The file holds what the format's writer produces.
				var want bytes.Buffer
				w, _ := New(format, &want, opts)
				for _, c := range people[:n] {
					w.Write(c)
				}
				w.Close()
				if b, _ := os.ReadFile(path); !bytes.Equal(b, want.Bytes()) {
					t.Errorf("file content\n%s\nwant\n%s", b, want.Bytes())
				}
				if m := fileMode(t, path); m != 0o600 {
					t.Errorf("mode %v, want 0600", m)
				}
				if names := dirNames(t, dir); !slices.Equal(names, []string{filepath.Base(path)}) {
					t.Errorf("directory holds %v, want only the export", names)
				}
			})
		}
	}
}

func TestWriteFileReplacesAnExistingFileAndMakesItPrivate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "contacts.json")
	if err := os.WriteFile(path, []byte("old export, readable by all"), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chmod(path, 0o644) // whatever the umask
	n, err := WriteFile(path, FormatJSON, Options{}, yieldAll(contact.Contact{Email: "a@example.com"}))
	if err != nil || n != 1 {
		t.Fatalf("WriteFile = %d, %v", n, err)
	}
	b, _ := os.ReadFile(path)
	if got := decodeJSON(t, string(b)); len(got) != 1 || got[0]["email"] != "a@example.com" {
		t.Errorf("replaced file holds %s", b)
	}
	if m := fileMode(t, path); m != 0o600 {
		t.Errorf("mode %v after replacing a 0644 file, want 0600", m)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"contacts.json"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestWriteFileFailureKeepsTheOldFileAndLeavesNoTemporaryFile(t *testing.T) {
	errListing := errors.New("listing contacts failed")
	tests := []struct {
		name   string
		format Format
		opts   Options
		each   func(func(contact.Contact) error) error
		is     error // the error WriteFile returns wraps this
	}{
		{"each fails after some contacts", FormatCSV, Options{}, func(yield func(contact.Contact) error) error {
			if err := yieldAll(fullContact(), contact.Contact{Email: "b@example.com"})(yield); err != nil {
				return err
			}
			return errListing
		}, errListing},
		{"each fails at once", FormatJSON, Options{}, func(func(contact.Contact) error) error { return errListing }, errListing},
		{"each fails in a vCard", FormatVCard, Options{Now: fixedNow}, func(yield func(contact.Contact) error) error {
			yield(fullContact())
			return errListing
		}, errListing},
		{"unknown format", Format("xlsx"), Options{}, yieldAll(fullContact()), ErrUnknownFormat},
		{"bad delimiter", FormatCSV, Options{Delimiter: '|'}, yieldAll(fullContact()), ErrInvalidDelimiter},
		{"bad vCard version", FormatVCard, Options{VCardVersion: "2.1"}, yieldAll(fullContact()), ErrInvalidVersion},
	}
	for _, tt := range tests {
		for _, existed := range []bool{true, false} {
			name := tt.name + " over nothing"
			if existed {
				name = tt.name + " over an old export"
			}
			t.Run(name, func(t *testing.T) {
				dir := t.TempDir()
				path := filepath.Join(dir, "contacts.csv")
				old := []byte("Name,Email\nOld,old@example.com\n")
				if existed {
					if err := os.WriteFile(path, old, 0o600); err != nil {
						t.Fatal(err)
					}
				}
				n, err := WriteFile(path, tt.format, tt.opts, tt.each)
				if !errors.Is(err, tt.is) || n != 0 {
					t.Errorf("WriteFile = %d, %v; want 0 and %v", n, err, tt.is)
				}
				want := []string(nil)
				if existed {
					want = []string{"contacts.csv"}
					if b, _ := os.ReadFile(path); !bytes.Equal(b, old) {
						t.Errorf("the old export became %q", b)
					}
				}
				if names := dirNames(t, dir); !slices.Equal(names, want) {
					t.Errorf("directory holds %v, want %v", names, want)
				}
			})
		}
	}
}

func TestWriteFileToAnImpossiblePlace(t *testing.T) {
	dir := t.TempDir()
	// The directory does not exist.
	if _, err := WriteFile(filepath.Join(dir, "missing", "contacts.csv"), FormatCSV, Options{}, yieldAll(fullContact())); err == nil {
		t.Error("wrote into a missing directory")
	}
	// The target is a directory.
	target := filepath.Join(dir, "contacts.csv")
	if err := os.Mkdir(target, 0o700); err != nil {
		t.Fatal(err)
	}
	if n, err := WriteFile(target, FormatCSV, Options{}, yieldAll(fullContact())); err == nil || n != 0 {
		t.Errorf("WriteFile over a directory = %d, %v; want an error", n, err)
	}
	if st, err := os.Stat(target); err != nil || !st.IsDir() {
		t.Errorf("the directory was replaced: %v", err)
	}
	if names := dirNames(t, dir); !slices.Equal(names, []string{"contacts.csv"}) {
		t.Errorf("directory holds %v", names)
	}
}

func TestExtension(t *testing.T) {
	tests := []struct {
		format Format
		want   string
	}{
		{FormatCSV, ".csv"},
		{FormatVCard, ".vcf"},
		{FormatJSON, ".json"},
		{Format(""), ".csv"},
		{Format("xlsx"), ".csv"},
	}
	for _, tt := range tests {
		if got := Extension(tt.format); got != tt.want {
			t.Errorf("Extension(%q) = %q, want %q", tt.format, got, tt.want)
		}
	}
	// Every format ParseFormat accepts has its own extension.
	seen := map[string]bool{}
	for _, name := range []string{"csv", "vcard", "json"} {
		f, err := ParseFormat(name)
		if err != nil {
			t.Fatal(err)
		}
		if ext := Extension(f); seen[ext] {
			t.Errorf("%s shares extension %s", name, ext)
		} else {
			seen[ext] = true
		}
	}
}
