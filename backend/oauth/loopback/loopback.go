// Package loopback receives an OAuth redirect on this computer (RFC 8252
// §7.3): a listener on 127.0.0.1 with a port the system picks, which
// answers the browser with a short page once the sign-in is done. It only
// listens on the loopback interface and opens no connection.
package loopback

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"sync"
	"time"
)

// Page is what the browser shows when the redirect arrives.
type Page struct {
	OK      bool
	Title   string
	Message string
}

// Handler decides what a redirect means: done (with the page to show), or
// not the one awaited (a stale tab's state), shown and then waited past.
type Handler func(query url.Values) (page Page, done bool)

// Receiver is a one-shot redirect listener.
type Receiver struct {
	ln   net.Listener
	srv  *http.Server
	path string

	mu      sync.Mutex // one redirect handled at a time
	handler Handler
	done    chan struct{}
	once    sync.Once
}

// Listen opens the listener; path is the redirect's path ("/callback"),
// h handles what arrives there (from the first request on: the browser may
// come back before anyone waits).
func Listen(path string, h Handler) (*Receiver, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("cannot listen on this computer for the sign-in: %w", err)
	}
	r := &Receiver{ln: ln, path: path, handler: h, done: make(chan struct{})}
	r.srv = &http.Server{Handler: http.HandlerFunc(r.serve), ReadHeaderTimeout: 10 * time.Second}
	go r.srv.Serve(ln)
	return r, nil
}

// RedirectURI is the address to give the authorization server.
func (r *Receiver) RedirectURI() string {
	return "http://" + r.ln.Addr().String() + r.path
}

// Wait returns once a redirect is done, or when ctx ends.
func (r *Receiver) Wait(ctx context.Context) error {
	select {
	case <-r.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops listening.
func (r *Receiver) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	err := r.srv.Shutdown(ctx)
	if errors.Is(err, context.DeadlineExceeded) {
		return r.srv.Close()
	}
	return err
}

func (r *Receiver) serve(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != r.path || req.Method != http.MethodGet {
		http.NotFound(w, req)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	page := Page{Title: "Nothing to do here", Message: "This sign-in is already finished. You can close this tab."}
	done := false
	select {
	case <-r.done: // a second visit after the sign-in finished
	default:
		page, done = r.handler(req.URL.Query())
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'")
	w.Header().Set("Referrer-Policy", "no-referrer")
	if !page.OK {
		w.WriteHeader(http.StatusBadRequest)
	}
	pageTemplate.Execute(w, page)
	if done {
		r.once.Do(func() { close(r.done) })
	}
}

// The page escapes everything it shows (html/template).
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>LeadMiner — {{.Title}}</title>
<style>body{font-family:system-ui,sans-serif;background:#f5f7fb;color:#1d2433;display:flex;align-items:center;justify-content:center;height:100vh;margin:0}
main{background:#fff;border:1px solid #e3e7f2;border-radius:12px;padding:2rem 2.5rem;max-width:32rem;text-align:center}
h1{font-size:1.3rem;color:{{if .OK}}#1f7a3d{{else}}#b42318{{end}}}</style></head>
<body><main><h1>{{.Title}}</h1><p>{{.Message}}</p></main></body></html>
`))
