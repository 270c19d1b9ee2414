// Package param imports net/http but shadows its name with a parameter and
// a local variable.
package param

import "net/http"

type fake struct{}

func (fake) Get(url string) error { return nil }

func Fetch(http fake, url string) error { return http.Get(url) }

func Each(urls []string) (*http.Request, error) {
	for _, u := range urls {
		http := fake{}
		if err := http.Get(u); err != nil {
			return nil, err
		}
	}
	return nil, nil
}
