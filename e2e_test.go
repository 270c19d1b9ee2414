package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"image"
	_ "image/png"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"leadminer/backend/oauth/oauthtest"
	"leadminer/backend/source/imap/dovecottest"
)

// TestEndToEnd runs the real app — the Go backend and the frontend build —
// under Xvfb and drives it from Chromium with Playwright
// (frontend/e2e/app.test.mjs), with a real Dovecot for the IMAP wizard. It
// also starts the production window and checks it renders. `make test`
// runs it (LEADMINER_E2E=1) inside a D-Bus session with a gnome-keyring.
func TestEndToEnd(t *testing.T) {
	if os.Getenv("LEADMINER_E2E") == "" {
		t.Skip("run through `make test` (LEADMINER_E2E=1)")
	}
	for _, tool := range []string{"Xvfb", "chromium", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed for the end-to-end tests: %v", tool, err)
		}
	}
	work := t.TempDir()
	home := filepath.Join(work, "home")
	dialogs := filepath.Join(work, "dialogs")
	os.MkdirAll(dialogs, 0o700)

	// The dev build serves the frontend over HTTP with the Go bindings on a
	// websocket: a browser can drive the real backend.
	bin := filepath.Join(work, "leadminer-dev")
	build := exec.Command("go", "build", "-tags", "dev,webkit2_41,sqlite_fts5", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		t.Fatalf("build the dev binary: %v", err)
	}

	const login, password = "e2e@example.test", "e2e-pass"
	srv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{login: password}})
	srv.Deliver(t, login, "INBOX",
		[]byte("From: Irene Imap <irene@imap-only.example>\r\nTo: "+login+"\r\nSubject: hello\r\nMessage-ID: <e2e-1@x>\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n"),
		[]byte("From: Irene Imap <irene@imap-only.example>\r\nTo: "+login+"\r\nSubject: again\r\nMessage-ID: <e2e-2@x>\r\nDate: Tue, 3 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n"))

	// Google and Microsoft stand-ins, each with a Dovecot that asks it about
	// the tokens the app logs in with (XOAUTH2 for Google, OAUTHBEARER for
	// Microsoft), as the providers' IMAP servers do.
	oauthEnv := []string{}
	oauthUsers := map[string]string{}
	fakes := map[string]*oauthtest.Server{}
	for _, p := range []struct{ name, sasl string }{{"google", "xoauth2"}, {"microsoft", "oauthbearer"}} {
		user := "e2e." + p.name + "@" + p.name + ".example"
		fake := oauthtest.Start(t, oauthtest.Options{Provider: oauthtest.Provider(p.name), ClientID: "e2e-client", Users: []string{user}})
		imapSrv := dovecottest.Start(t, dovecottest.Options{Users: map[string]string{user: "unused-" + p.name}, OAuth2IntrospectionURL: fake.IntrospectURL})
		imapSrv.Deliver(t, user, "INBOX", []byte("From: Olga Oauth <olga@"+p.name+"-partner.example>\r\nTo: "+user+
			"\r\nSubject: hello\r\nMessage-ID: <e2e-"+p.name+"@x>\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nhi\r\n"))
		prefix := "LEADMINER_OAUTH_" + strings.ToUpper(p.name) + "_"
		oauthEnv = append(oauthEnv, prefix+"AUTH_URL="+fake.AuthURL, prefix+"TOKEN_URL="+fake.TokenURL, prefix+"CLIENT_ID=e2e-client",
			prefix+"IMAP="+fmt.Sprintf("127.0.0.1:%d?tls=none&sasl=%s", imapSrv.Port, p.sasl))
		oauthUsers[p.name] = user
		fakes[p.name] = fake
	}
	// The test's remote control of the providers: POST /revoke?provider=google
	// revokes every grant, as a user removing the app's access would.
	control := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fake, ok := fakes[r.URL.Query().Get("provider")]
		if r.Method != http.MethodPost || r.URL.Path != "/revoke" || !ok {
			http.NotFound(w, r)
			return
		}
		fake.RevokeAll()
		fake.ExpireAccessTokens()
	}))
	t.Cleanup(control.Close)

	// A local Maildir with a hostile name, for the "render as text" check.
	maildir := filepath.Join(work, "hostile-maildir")
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(maildir, sub), 0o700)
	}
	os.WriteFile(filepath.Join(maildir, "cur", "1.x:2,S"), []byte("From: \"<img src=x onerror=alert(1)>\" <xss@evil.example>\r\n"+
		"To: me@example.org\r\nSubject: hi\r\nMessage-ID: <xss-1@evil.example>\r\nDate: Mon, 2 Jan 2023 10:00:00 +0000\r\n\r\nbody\r\n"), 0o600)

	// An mbox file, dropped on the window in the test.
	mbox := filepath.Join(work, "dropped.mbox")
	os.WriteFile(mbox, []byte("From MAILER-DAEMON Mon Jan  2 10:00:00 2023\nFrom: Dora Drop <dora@dropped.example>\n"+
		"To: me@example.org\nSubject: dropped\nMessage-ID: <drop-1@x>\nDate: Mon, 2 Jan 2023 10:00:00 +0000\n\nbody\n"), 0o600)

	display := startXvfb(t)
	port := freePort(t)
	app := exec.Command(bin)
	app.Env = append(os.Environ(), "DISPLAY="+display, "devserver=127.0.0.1:"+strconv.Itoa(port),
		"assetdir="+filepath.Join("frontend", "dist"), "LEADMINER_HOME="+home, "LEADMINER_TEST_DIALOGS="+dialogs,
		"WEBKIT_DISABLE_COMPOSITING_MODE=1", "WEBKIT_DISABLE_DMABUF_RENDERER=1")
	app.Env = append(app.Env, oauthEnv...)
	var appLog bytes.Buffer
	app.Stdout, app.Stderr = &appLog, &appLog
	app.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		syscall.Kill(-app.Process.Pid, syscall.SIGTERM)
		app.Wait()
	})
	url := "http://127.0.0.1:" + strconv.Itoa(port)
	waitHTTP(t, url, &appLog)

	node := exec.Command("node", "--test", "--test-reporter=spec", "e2e/")
	node.Dir = "frontend"
	node.Env = append(os.Environ(), "E2E_URL="+url, "E2E_DIALOGS="+dialogs, "E2E_HOME="+home,
		"E2E_IMAP_PORT="+strconv.Itoa(srv.Port), "E2E_IMAP_LOGIN="+login, "E2E_IMAP_PASSWORD="+password,
		"E2E_MAILDIR="+maildir, "E2E_MBOX="+mbox, "E2E_GOOGLE_USER="+oauthUsers["google"], "E2E_MICROSOFT_USER="+oauthUsers["microsoft"],
		"E2E_CONTROL="+control.URL)
	node.Stdout, node.Stderr = os.Stdout, os.Stderr
	if err := node.Run(); err != nil {
		t.Errorf("end-to-end tests failed: %v\n--- app log ---\n%s", err, tail(appLog.String(), 4000))
	}
}

// TestProductionWindowRenders starts the production build on a database
// with the demo mailbox mined, and checks the window shows something: the
// production binary has no dev server, so only a screenshot can tell.
func TestProductionWindowRenders(t *testing.T) {
	if os.Getenv("LEADMINER_E2E") == "" {
		t.Skip("run through `make test` (LEADMINER_E2E=1)")
	}
	shot := os.Getenv("LEADMINER_SCREENSHOT")
	if shot == "" {
		shot = filepath.Join(t.TempDir(), "window.png")
	}
	if err := ProductionScreenshot(t, shot); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(shot)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, _, err := image.Decode(f)
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	// A blank window is one colour; the contacts table is many.
	colours := map[uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 7 {
		for x := b.Min.X; x < b.Max.X; x += 7 {
			r, g, bl, _ := img.At(x, y).RGBA()
			colours[r>>12<<8|g>>12<<4|bl>>12] = true
		}
	}
	if len(colours) < 8 {
		t.Errorf("the production window looks blank (%d colours)", len(colours))
	}
}

// ProductionScreenshot mines the demo mailbox with the CLI, opens the
// production window on it under Xvfb and saves a screenshot to path.
func ProductionScreenshot(t *testing.T, path string) error {
	work := t.TempDir()
	home := filepath.Join(work, "home")
	bin := filepath.Join(work, "leadminer")
	build := exec.Command("go", "build", "-tags", "desktop,production,webkit2_41,sqlite_fts5", "-o", bin, ".")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		return fmt.Errorf("build: %w", err)
	}
	mine := exec.Command(bin, "mine", "--source", "demo")
	mine.Env = append(os.Environ(), "LEADMINER_HOME="+home)
	if out, err := mine.CombinedOutput(); err != nil {
		return fmt.Errorf("mine the demo: %v: %s", err, out)
	}
	display := startXvfb(t)
	app := exec.Command(bin)
	app.Env = append(os.Environ(), "DISPLAY="+display, "LEADMINER_HOME="+home,
		"WEBKIT_DISABLE_COMPOSITING_MODE=1", "WEBKIT_DISABLE_DMABUF_RENDERER=1")
	var log bytes.Buffer
	app.Stdout, app.Stderr = &log, &log
	if err := app.Start(); err != nil {
		return err
	}
	defer func() {
		app.Process.Signal(syscall.SIGTERM)
		app.Wait()
	}()
	// The window needs a few seconds to map and render the first page.
	time.Sleep(8 * time.Second)
	out, err := exec.Command("import", "-display", display, "-window", "root", path).CombinedOutput()
	if err != nil {
		return fmt.Errorf("screenshot: %v: %s\n%s", err, out, log.String())
	}
	return nil
}

func startXvfb(t *testing.T) string {
	t.Helper()
	// -displayfd: Xvfb picks a free display itself (it also clears the
	// locks of dead servers) and writes its number on the pipe.
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	x := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	x.ExtraFiles = []*os.File{w}
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	t.Cleanup(func() {
		// SIGTERM lets Xvfb remove its lock and socket; a kill would not.
		x.Process.Signal(syscall.SIGTERM)
		done := make(chan struct{})
		go func() { x.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			x.Process.Kill()
			<-done
		}
	})
	line := make(chan string, 1)
	go func() {
		b, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(b)
	}()
	select {
	case n := <-line:
		if _, err := strconv.Atoi(n); err != nil {
			t.Fatalf("Xvfb did not start (it said %q)", n)
		}
		return ":" + n
	case <-time.After(20 * time.Second):
		t.Fatal("Xvfb did not start within 20 s")
	}
	return ""
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

func waitHTTP(t *testing.T, url string, log *bytes.Buffer) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return
			}
		}
		time.Sleep(200 * time.Millisecond)
	}
	t.Fatalf("the app did not serve %s:\n%s", url, tail(log.String(), 4000))
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return strings.TrimSpace(s)
}
