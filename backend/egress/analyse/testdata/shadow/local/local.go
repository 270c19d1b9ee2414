// Package local has a variable named http with a Get method, and no
// import of net/http.
package local

type getter struct{}

func (getter) Get(url string) string { return url }

var http getter

func Fetch(url string) string {
	return http.Get(url)
}
