package b

import "net/http"

var Default = http.DefaultTransport
