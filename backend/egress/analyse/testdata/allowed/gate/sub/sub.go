// Package sub is below the gate, but not the gate.
package sub

import "net/http"

func Fetch(url string) (*http.Response, error) { return http.Get(url) }
