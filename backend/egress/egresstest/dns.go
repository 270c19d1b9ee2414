// Package egresstest holds fakes for tests of what goes through the egress
// gate.
package egresstest

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"slices"
	"strings"
	"sync"
)

// DNS answers MX and SRV questions from its maps. Its Dial (for
// egress.Gate.Dial) hands the resolver one end of an in-memory pipe: not a
// PacketConn, so Go's resolver speaks DNS over a stream to it (two-byte
// length, then the message). A name in neither map is NXDOMAIN.
type DNS struct {
	MX  map[string][]net.MX  // by fully qualified lower-case name: "example.com."
	SRV map[string][]net.SRV // "_imaps._tcp.example.com."
	// Refuse, when set, is what Dial returns instead of a connection.
	Refuse error

	mu        sync.Mutex
	dials     []string
	questions []string
}

// Dial records the address and connects to the fake server.
func (s *DNS) Dial(_ context.Context, network, address string) (net.Conn, error) {
	s.mu.Lock()
	s.dials = append(s.dials, network+" "+address)
	s.mu.Unlock()
	if s.Refuse != nil {
		return nil, s.Refuse
	}
	client, server := net.Pipe()
	go s.serve(server)
	return client, nil
}

// Dials are the network and address of each Dial, in order.
func (s *DNS) Dials() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.dials)
}

// Questions are the questions asked, in order: "MX example.com.",
// "SRV _imaps._tcp.example.com.", or the bare name for other types.
func (s *DNS) Questions() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.questions)
}

func (s *DNS) serve(c net.Conn) {
	defer c.Close()
	for {
		var n [2]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		q := make([]byte, binary.BigEndian.Uint16(n[:]))
		if _, err := io.ReadFull(c, q); err != nil {
			return
		}
		resp, ok := s.answer(q)
		if !ok {
			return
		}
		if _, err := c.Write(append(binary.BigEndian.AppendUint16(nil, uint16(len(resp))), resp...)); err != nil {
			return
		}
	}
}

func appendName(b []byte, name string) []byte {
	for _, l := range strings.Split(strings.TrimSuffix(name, "."), ".") {
		if l != "" {
			b = append(append(b, byte(len(l))), l...)
		}
	}
	return append(b, 0)
}

func (s *DNS) answer(q []byte) ([]byte, bool) {
	if len(q) < 12 {
		return nil, false
	}
	i := 12
	var labels []string
	for {
		if i >= len(q) {
			return nil, false
		}
		l := int(q[i])
		i++
		if l == 0 {
			break
		}
		if l&0xC0 != 0 || i+l > len(q) {
			return nil, false
		}
		labels = append(labels, string(q[i:i+l]))
		i += l
	}
	if i+4 > len(q) {
		return nil, false
	}
	qtype := binary.BigEndian.Uint16(q[i:])
	i += 4 // type and class
	name := strings.ToLower(strings.Join(labels, ".")) + "."
	const typeMX, typeSRV, classIN = 15, 33, 1
	s.mu.Lock()
	s.questions = append(s.questions, map[uint16]string{typeMX: "MX ", typeSRV: "SRV "}[qtype]+name)
	s.mu.Unlock()

	var rdatas [][]byte
	_, hasMX := s.MX[name]
	_, hasSRV := s.SRV[name]
	rcode := uint16(3) // NXDOMAIN
	if hasMX || hasSRV {
		rcode = 0
	}
	switch qtype {
	case typeMX:
		for _, mx := range s.MX[name] {
			rdatas = append(rdatas, appendName(binary.BigEndian.AppendUint16(nil, mx.Pref), mx.Host))
		}
	case typeSRV:
		for _, r := range s.SRV[name] {
			b := binary.BigEndian.AppendUint16(nil, r.Priority)
			b = binary.BigEndian.AppendUint16(b, r.Weight)
			b = binary.BigEndian.AppendUint16(b, r.Port)
			rdatas = append(rdatas, appendName(b, r.Target))
		}
	}
	// Response, authoritative, recursion desired as asked, available.
	flags := uint16(0x8000|0x0400|0x0080) | binary.BigEndian.Uint16(q[2:4])&0x0100 | rcode
	resp := append([]byte(nil), q[0:2]...) // id
	resp = binary.BigEndian.AppendUint16(resp, flags)
	resp = binary.BigEndian.AppendUint16(resp, 1)
	resp = binary.BigEndian.AppendUint16(resp, uint16(len(rdatas)))
	resp = binary.BigEndian.AppendUint16(resp, 0)
	resp = binary.BigEndian.AppendUint16(resp, 0)
	resp = append(resp, q[12:i]...)
	for _, rdata := range rdatas {
		rr := []byte{0xC0, 12} // the question's name
		rr = binary.BigEndian.AppendUint16(rr, qtype)
		rr = binary.BigEndian.AppendUint16(rr, classIN)
		rr = binary.BigEndian.AppendUint32(rr, 300)
		rr = binary.BigEndian.AppendUint16(rr, uint16(len(rdata)))
		resp = append(resp, append(rr, rdata...)...)
	}
	return resp, true
}
