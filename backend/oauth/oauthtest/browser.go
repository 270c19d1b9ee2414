package oauthtest

import (
	"io"
	"net/http"
	"sync"
	"testing"
)

// Browser stands in for the user's browser: its Open follows the
// authorization URL (the fake approves at once) and the redirect to the
// app's loopback listener, and keeps the page the app showed.
type Browser struct {
	t      testing.TB
	client *http.Client
	mu     sync.Mutex
	pages  []string
	urls   []string
	done   sync.WaitGroup
}

// NewBrowser returns a browser whose visits end with the test.
func NewBrowser(t testing.TB) *Browser {
	b := &Browser{t: t, client: &http.Client{Transport: &http.Transport{}}}
	t.Cleanup(b.done.Wait)
	return b
}

// Open visits url in the background, as a browser window would.
func (b *Browser) Open(url string) error {
	b.mu.Lock()
	b.urls = append(b.urls, url)
	b.mu.Unlock()
	b.done.Add(1)
	go func() {
		defer b.done.Done()
		resp, err := b.client.Get(url)
		if err != nil {
			b.t.Logf("browser: %v", err)
			return
		}
		page, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		b.mu.Lock()
		b.pages = append(b.pages, string(page))
		b.mu.Unlock()
	}()
	return nil
}

// Wait waits for the visits to end.
func (b *Browser) Wait() { b.done.Wait() }

// Pages are the pages the visits ended on, in order.
func (b *Browser) Pages() []string {
	b.Wait()
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.pages...)
}

// URLs are the addresses the app asked to open.
func (b *Browser) URLs() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.urls...)
}
