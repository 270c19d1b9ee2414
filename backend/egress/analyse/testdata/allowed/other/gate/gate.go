// Package gate is named like the gate, at another path.
package gate

import "net/http"

func Fetch(url string) (*http.Response, error) { return http.Get(url) }
