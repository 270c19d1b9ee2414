package web

import web "net/http"

func Fetch(url string) (*web.Response, error) {
	return web.Get(url)
}
