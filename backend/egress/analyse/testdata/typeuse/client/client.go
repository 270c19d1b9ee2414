package client

import (
	"net"
	"net/http"
)

var c http.Client

func transport() http.RoundTripper { return &http.Transport{} }

func dialer() *net.Dialer { return new(net.Dialer) }

func Do(cl *http.Client, req *http.Request) (*http.Response, error) {
	return cl.Do(req)
}

type wrapped struct {
	http.Client
}

func Default() *http.Client { return http.DefaultClient }
