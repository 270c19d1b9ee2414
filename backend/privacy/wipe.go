package privacy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"leadminer/backend/secrets"
)

// DeleteAllData removes everything LeadMiner keeps for the user: the data
// directory (database, its journal files, the privacy key, anything else
// the app wrote there), the drag-and-drop temporary files, and every
// keychain entry of the app. The database must be closed first.
func DeleteAllData(dataDir, dragDir string, k secrets.Keychain) error {
	var errs []error
	var entries []os.DirEntry
	if dataDir != "" {
		var err error
		entries, err = os.ReadDir(dataDir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	for _, e := range entries {
		if err := os.RemoveAll(filepath.Join(dataDir, e.Name())); err != nil {
			errs = append(errs, err)
		}
	}
	if dragDir != "" {
		if err := os.RemoveAll(dragDir); err != nil {
			errs = append(errs, err)
		}
	}
	if err := k.DeleteAll(); err != nil && !errors.Is(err, secrets.ErrNotFound) {
		errs = append(errs, fmt.Errorf("keychain: %w", err))
	}
	return errors.Join(errs...)
}

// DeleteDatabaseFiles removes one database and the files that belong to it
// (journal, write-ahead log, privacy key), for a database kept outside the
// app's own directory, whose neighbours are not the app's to delete.
func DeleteDatabaseFiles(path string) error {
	var errs []error
	for _, suffix := range []string{"", "-wal", "-shm", "-journal", ".key"} {
		if err := os.Remove(path + suffix); err != nil && !errors.Is(err, os.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
