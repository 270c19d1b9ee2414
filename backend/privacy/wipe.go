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
	entries, err := os.ReadDir(dataDir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, err)
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
