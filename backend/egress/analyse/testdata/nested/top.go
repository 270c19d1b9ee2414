package top

import "net"

func Lookup(host string) ([]string, error) { return net.LookupHost(host) }
