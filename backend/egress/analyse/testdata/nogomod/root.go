package root

import "net"

var Resolver = net.DefaultResolver
