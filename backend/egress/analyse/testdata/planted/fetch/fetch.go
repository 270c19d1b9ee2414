// Package fetch is the planted leak: a plain http.Get.
package fetch

import "net/http"

func Fetch(url string) error {
	resp, err := http.Get(url)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}
