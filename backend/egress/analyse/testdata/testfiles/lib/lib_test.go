package lib

import (
	"net/http"
	"testing"
)

func TestFetch(t *testing.T) {
	if _, err := http.Get("http://127.0.0.1:1/"); err == nil {
		t.Log("listening")
	}
}
