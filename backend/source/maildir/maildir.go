// Package maildir reads Maildir and Maildir++ trees (and the one-directory-
// per-folder layout of mbsync and offlineimap), header sections only.
package maildir

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"leadminer/backend/source"
)

// Maildir is a Maildir tree on disk.
type Maildir struct {
	root    string
	folders map[string]string // folder name -> directory
}

// Open checks that root is a Maildir tree.
func Open(root string) (*Maildir, error) {
	abs, st, err := source.ResolvePath("maildir", root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("maildir %s is a file, not a directory (for a single mailbox file use mbox:)", abs)
	}
	m := &Maildir{root: abs, folders: map[string]string{}}
	if err := m.discover(); err != nil {
		return nil, err
	}
	if len(m.folders) == 0 {
		return nil, fmt.Errorf("maildir %s: no folder found (a Maildir folder has cur/ and new/ sub-directories)", abs)
	}
	return m, nil
}

// URI identifies the tree.
func (m *Maildir) URI() string { return "maildir:" + m.root }

// Close releases nothing: files are opened per message.
func (m *Maildir) Close() error { return nil }

func isMaildir(dir string) bool {
	for _, sub := range []string{"cur", "new"} {
		if st, err := os.Stat(filepath.Join(dir, sub)); err != nil || !st.IsDir() {
			return false
		}
	}
	return true
}

// discover finds every folder: the root itself (INBOX), Maildir++ ".Sub.Folder"
// directories, and nested directories holding cur/ and new/.
func (m *Maildir) discover() error {
	return filepath.WalkDir(m.root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if path == m.root {
				return err
			}
			return nil // an unreadable sub-directory is skipped, not fatal
		}
		if !d.IsDir() {
			return nil
		}
		base := d.Name()
		if path != m.root && (base == "cur" || base == "new" || base == "tmp") {
			return fs.SkipDir
		}
		if isMaildir(path) {
			m.folders[m.folderName(path)] = path
		}
		return nil
	})
}

func (m *Maildir) folderName(dir string) string {
	rel, _ := filepath.Rel(m.root, dir)
	if rel == "." {
		return "INBOX"
	}
	parts := strings.Split(filepath.ToSlash(rel), "/")
	var names []string
	for _, p := range parts {
		if strings.HasPrefix(p, ".") && len(p) > 1 {
			// Maildir++: ".Archive.2023" is Archive/2023.
			names = append(names, strings.Split(p[1:], ".")...)
		} else {
			names = append(names, p)
		}
	}
	return strings.Join(names, "/")
}

// Folders lists the folders with their message counts.
func (m *Maildir) Folders(ctx context.Context) ([]source.Folder, error) {
	names := source.SortedKeys(m.folders)
	out := make([]source.Folder, 0, len(names))
	for _, n := range names {
		files, err := m.messageFiles(m.folders[n])
		if err != nil {
			return nil, err
		}
		out = append(out, source.Folder{Name: n, Count: len(files), Selectable: true, SpecialUse: source.SpecialUseFromName(n)})
	}
	return out, nil
}

type messageFile struct {
	path     string
	location string
}

// messageFiles lists new/ then cur/, sorted, skipping dot files.
func (m *Maildir) messageFiles(dir string) ([]messageFile, error) {
	var files []messageFile
	for _, sub := range []string{"new", "cur"} {
		entries, err := os.ReadDir(filepath.Join(dir, sub))
		if err != nil {
			return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, sub), err)
		}
		for _, e := range entries {
			name := e.Name()
			if strings.HasPrefix(name, ".") || e.IsDir() {
				continue
			}
			files = append(files, messageFile{path: filepath.Join(dir, sub, name), location: uniqueName(name)})
		}
	}
	return files, nil
}

// uniqueName strips the ":2,FLAGS" info suffix, which changes when a message
// is read or flagged, leaving the name that identifies the message.
func uniqueName(name string) string {
	if i := strings.IndexAny(name, ":!"); i > 0 {
		return name[:i]
	}
	return name
}

// Remaining counts the folder's messages the checkpoint does not cover.
func (m *Maildir) Remaining(ctx context.Context, folder string, cp source.Checkpoint) (int, error) {
	dir, ok := m.folders[folder]
	if !ok {
		return 0, fmt.Errorf("maildir: no folder %q", folder)
	}
	files, err := m.messageFiles(dir)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, f := range files {
		if !cp.Known(f.location) {
			n++
		}
	}
	return n, nil
}

// Scan emits the header of every message the checkpoint does not cover.
func (m *Maildir) Scan(ctx context.Context, folder string, cp source.Checkpoint, emit func(source.Record) error) error {
	dir, ok := m.folders[folder]
	if !ok {
		return fmt.Errorf("maildir: no folder %q", folder)
	}
	files, err := m.messageFiles(dir)
	if err != nil {
		return err
	}
	todo := files[:0]
	for _, f := range files {
		if !cp.Known(f.location) {
			todo = append(todo, f)
		}
	}
	return source.ReadFiles(ctx, len(todo), func(i int) (string, string) { return todo[i].path, todo[i].location },
		func(location string, header []byte) error {
			return emit(source.Record{Folder: folder, Location: location, Header: header})
		})
}
