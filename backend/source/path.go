package source

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
)

// ResolvePath makes a local source's path absolute and checks it exists;
// errors name the kind of source ("maildir", "mbox", "eml").
func ResolvePath(kind, path string) (string, os.FileInfo, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return "", nil, fmt.Errorf("%s %s: %w", kind, path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return "", nil, fmt.Errorf("%s: %w", kind, err)
	}
	return abs, st, nil
}

// SortedKeys returns a folder map's names in order, for stable listings.
func SortedKeys[V any](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
