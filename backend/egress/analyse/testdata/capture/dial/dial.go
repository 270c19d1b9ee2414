package dial

import "net"

func Dialer() func(network, address string) (net.Conn, error) {
	f := net.Dial
	return f
}
