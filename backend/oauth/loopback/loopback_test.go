package loopback

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func get(t *testing.T, u string) (int, string) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestTheRedirectIsHandledOnceAndThePageEscapesWhatItShows(t *testing.T) {
	var seen []string
	r, err := Listen("/cb", func(q url.Values) (Page, bool) {
		seen = append(seen, q.Get("code"))
		if q.Get("state") != "s" {
			return Page{Title: "Not yours", Message: "wrong state"}, false
		}
		return Page{OK: true, Title: "Signed in", Message: "Hello <script>alert(1)</script>"}, true
	})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if !strings.HasPrefix(r.RedirectURI(), "http://127.0.0.1:") || !strings.HasSuffix(r.RedirectURI(), "/cb") {
		t.Fatalf("redirect URI %s", r.RedirectURI())
	}
	base := strings.TrimSuffix(r.RedirectURI(), "/cb")
	if code, _ := get(t, base+"/favicon.ico"); code != http.StatusNotFound {
		t.Errorf("another path answered %d", code)
	}
	if code, body := get(t, r.RedirectURI()+"?state=x&code=1"); code != http.StatusBadRequest || !strings.Contains(body, "wrong state") {
		t.Errorf("a wrong state: %d %s", code, body)
	}
	code, body := get(t, r.RedirectURI()+"?state=s&code=2")
	if code != http.StatusOK || strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
		t.Errorf("the sign-in page: %d %s", code, body)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := r.Wait(ctx); err != nil {
		t.Fatalf("Wait = %v after the redirect was done", err)
	}
	if _, body := get(t, r.RedirectURI()+"?state=s&code=3"); !strings.Contains(body, "already finished") {
		t.Errorf("a second visit: %s", body)
	}
	if strings.Join(seen, ",") != "1,2" {
		t.Errorf("handled codes %v; the visit after the end must not reach the handler", seen)
	}
}

func TestWaitEndsWithItsContext(t *testing.T) {
	r, err := Listen("/cb", func(url.Values) (Page, bool) { return Page{}, false })
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if err := r.Wait(ctx); err != context.DeadlineExceeded {
		t.Errorf("Wait = %v", err)
	}
}
