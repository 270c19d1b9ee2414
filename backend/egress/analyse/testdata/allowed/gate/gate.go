// Package gate is the one allowed to reach the network.
package gate

import "net/http"

var Client = &http.Client{}
