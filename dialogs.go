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
// into DIR, open DIR/open-folder and DIR/open-file) and a sign-in page's
// address is written to DIR/browser-url for the test's browser.
type dialogs struct {
	save     func(title, name string) (string, error)
	openDir  func(title string) (string, error)
	openFile func(title string) (string, error)
	// browse shows a sign-in page in the system browser.
	browse func(url string) error
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
			// The test's browser reads the address from DIR/browser-url.
			browse: func(url string) error { return os.WriteFile(filepath.Join(dir, "browser-url"), []byte(url), 0o600) },
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
		browse: func(url string) error {
			runtime.BrowserOpenURL(ctx, url)
			return nil
		},
	}
}
