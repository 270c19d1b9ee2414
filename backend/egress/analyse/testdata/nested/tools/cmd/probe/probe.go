package main

import "crypto/tls"

func main() {
	if c, err := tls.Dial("tcp", "127.0.0.1:1", nil); err == nil {
		c.Close()
	}
}
