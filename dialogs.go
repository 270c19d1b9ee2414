package main

import (
	"context"
	"os"
	"path/filepath"

	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// dialogs are the native file pickers. The end-to-end tests drive the
// window from a browser, where a native dialog cannot be clicked: with
// LEADMINER_TEST_DIALOGS=DIR set, the pickers answer without asking (save
// into DIR, open DIR/open-folder and DIR/open-file).
type dialogs struct {
	save     func(title, name string) (string, error)
	openDir  func(title string) (string, error)
	openFile func(title string) (string, error)
}

func newDialogs(ctx context.Context) dialogs {
	if dir := os.Getenv("LEADMINER_TEST_DIALOGS"); dir != "" {
		read := func(name string) (string, error) {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if os.IsNotExist(err) {
				return "", nil
			}
			return string(b), err
		}
		return dialogs{
			save:     func(_, name string) (string, error) { return filepath.Join(dir, name), nil },
			openDir:  func(string) (string, error) { return read("open-folder") },
			openFile: func(string) (string, error) { return read("open-file") },
		}
	}
	return dialogs{
		save: func(title, name string) (string, error) {
			return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: title, DefaultFilename: name, CanCreateDirectories: true})
		},
		openDir: func(title string) (string, error) {
			return runtime.OpenDirectoryDialog(ctx, runtime.OpenDialogOptions{Title: title})
		},
		openFile: func(title string) (string, error) {
			return runtime.OpenFileDialog(ctx, runtime.OpenDialogOptions{Title: title})
		},
	}
}
