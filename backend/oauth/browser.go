package oauth

import (
	"fmt"
	"os/exec"
	"runtime"
)

// OpenSystemBrowser shows an address in the user's default browser (the
// command line's way; the desktop app asks its window toolkit).
func OpenSystemBrowser(url string) error {
	var cmd *exec.Cmd
	switch runtime.GOOS {
	case "darwin":
		cmd = exec.Command("open", url)
	case "windows":
		cmd = exec.Command("rundll32", "url.dll,FileProtocolHandler", url)
	default:
		cmd = exec.Command("xdg-open", url)
	}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("no browser to open: %w", err)
	}
	go cmd.Wait() // reap it; the browser outlives the call
	return nil
}
