// Package appdir says where LeadMiner keeps its files: one data directory
// per user, shared by the CLI and the desktop app.
package appdir

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
)

// Dir returns the data directory: $LEADMINER_HOME when set, else the
// platform's per-user data directory.
func Dir() (string, error) {
	if d := os.Getenv("LEADMINER_HOME"); d != "" {
		return filepath.Abs(d)
	}
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "LeadMiner"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support", "LeadMiner"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" && filepath.IsAbs(d) {
		return filepath.Join(d, "leadminer"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", errors.New("cannot find a home directory: set LEADMINER_HOME")
	}
	return filepath.Join(home, ".local", "share", "leadminer"), nil
}

// Database returns the default database path.
func Database() (string, error) {
	d, err := Dir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "leadminer.db"), nil
}

// DragDir is where drag-and-drop exports are written: private, in the
// temporary directory, emptied by "delete all my data".
func DragDir() string {
	return filepath.Join(os.TempDir(), "leadminer-drag-"+strconv.Itoa(os.Getuid()))
}
