// Package eml reads a directory tree of .eml files, one folder per
// directory.
package eml

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"

	"leadminer/backend/source"
)

// Dir is a directory of .eml files.
type Dir struct {
	root    string
	folders map[string][]string // folder name -> relative file paths, sorted
}

// Open lists the .eml files under root.
func Open(root string) (*Dir, error) {
	abs, st, err := source.ResolvePath("eml", root)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return nil, fmt.Errorf("eml %s is a file: give the directory that holds the .eml files", abs)
	}
	d := &Dir{root: abs, folders: map[string][]string{}}
	base := filepath.Base(abs)
	err = filepath.WalkDir(abs, func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() || !strings.EqualFold(filepath.Ext(p), ".eml") {
			return nil
		}
		rel, _ := filepath.Rel(abs, p)
		rel = filepath.ToSlash(rel)
		folder := base
		if dir := filepath.ToSlash(filepath.Dir(rel)); dir != "." {
			folder = base + "/" + dir
		}
		d.folders[folder] = append(d.folders[folder], rel)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("eml %s: %w", abs, err)
	}
	if len(d.folders) == 0 {
		return nil, fmt.Errorf("eml %s: no .eml file found", abs)
	}
	for _, files := range d.folders {
		slices.Sort(files)
	}
	return d, nil
}

// URI identifies the directory.
func (d *Dir) URI() string { return "eml:" + d.root }

// Close releases nothing.
func (d *Dir) Close() error { return nil }

// Folders lists one folder per directory holding .eml files.
func (d *Dir) Folders(ctx context.Context) ([]source.Folder, error) {
	names := source.SortedKeys(d.folders)
	out := make([]source.Folder, 0, len(names))
	for _, n := range names {
		out = append(out, source.Folder{Name: n, Count: len(d.folders[n]), Selectable: true, SpecialUse: source.SpecialUseFromName(n)})
	}
	return out, nil
}

// Remaining counts the files the checkpoint does not cover.
func (d *Dir) Remaining(ctx context.Context, folder string, cp source.Checkpoint) (int, error) {
	files, ok := d.folders[folder]
	if !ok {
		return 0, fmt.Errorf("eml: no folder %q", folder)
	}
	n := 0
	for _, rel := range files {
		if !cp.Known(rel) {
			n++
		}
	}
	return n, nil
}

// Scan emits the header of each file the checkpoint does not cover.
func (d *Dir) Scan(ctx context.Context, folder string, cp source.Checkpoint, emit func(source.Record) error) error {
	files, ok := d.folders[folder]
	if !ok {
		return fmt.Errorf("eml: no folder %q", folder)
	}
	var todo []string
	for _, rel := range files {
		if !cp.Known(rel) {
			todo = append(todo, rel)
		}
	}
	return source.ReadFiles(ctx, len(todo), func(i int) (string, string) {
		return filepath.Join(d.root, filepath.FromSlash(todo[i])), todo[i]
	}, func(location string, header []byte) error {
		return emit(source.Record{Folder: folder, Location: location, Header: header})
	})
}
