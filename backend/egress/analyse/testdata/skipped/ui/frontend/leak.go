// Package frontend is a Go package deep in the tree: only the Wails
// frontend at the root is skipped.
package frontend

import "net/http"

func Fetch(url string) (*http.Response, error) { return http.Get(url) }
