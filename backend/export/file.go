package export

import (
	"fmt"
	"os"
	"path/filepath"

	"leadminer/backend/contact"
)

// WriteFile writes contacts to path in a format. It writes next to the
// target and renames at the end, so a failed export never leaves a
// half-written file in place of a good one; the file is private (0600).
// each calls yield for every contact; WriteFile returns how many.
func WriteFile(path string, format Format, opts Options, each func(yield func(contact.Contact) error) error) (int, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".leadminer-export-*")
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	w, err := New(format, tmp, opts)
	if err != nil {
		tmp.Close()
		return 0, err
	}
	n := 0
	err = each(func(c contact.Contact) error {
		n++
		return w.Write(c)
	})
	if err == nil {
		err = w.Close()
	}
	if cerr := tmp.Close(); err == nil && cerr != nil {
		err = cerr
	}
	if err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return 0, err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return 0, fmt.Errorf("export to %s: %w", path, err)
	}
	return n, nil
}

// Extension is the usual file extension of a format.
func Extension(f Format) string {
	switch f {
	case FormatVCard:
		return ".vcf"
	case FormatJSON:
		return ".json"
	default:
		return ".csv"
	}
}
