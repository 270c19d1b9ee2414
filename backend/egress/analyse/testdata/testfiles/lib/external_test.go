package lib_test

import (
	"net"
	"testing"
)

func TestDial(t *testing.T) {
	if c, err := net.Dial("tcp", "127.0.0.1:1"); err == nil {
		c.Close()
	}
}
