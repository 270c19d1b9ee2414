// Package gatekeeper's path starts like the gate's.
package gatekeeper

import "net"

func Dial(addr string) (net.Conn, error) { return net.Dial("tcp", addr) }
