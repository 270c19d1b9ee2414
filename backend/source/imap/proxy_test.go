package imap_test

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// faultProxy sits between the client and the server. It can cut the next
// connections after some bytes from the server (a dropped connection in the
// middle of a FETCH) and slow every read down (to stop a run half-way).
type faultProxy struct {
	l      net.Listener
	target string
	// cutsLeft connections will be cut after cutAfter server bytes.
	cutsLeft atomic.Int32
	cutAfter atomic.Int64
	delay    atomic.Int64 // nanoseconds per 4 KB forwarded
	onCut    func()
	mu       sync.Mutex
	cut      int
	accepted int
}

func startProxy(t testing.TB, target string) *faultProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &faultProxy{l: l, target: target}
	t.Cleanup(func() { l.Close() })
	go p.serve()
	return p
}

func (p *faultProxy) Port() int { return p.l.Addr().(*net.TCPAddr).Port }

// cutNext makes the next n connections drop after `after` bytes.
func (p *faultProxy) cutNext(n int, after int64) {
	p.cutAfter.Store(after)
	p.cutsLeft.Store(int32(n))
}

func (p *faultProxy) stats() (accepted, cut int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted, p.cut
}

func (p *faultProxy) serve() {
	for {
		client, err := p.l.Accept()
		if err != nil {
			return
		}
		server, err := net.Dial("tcp", p.target)
		if err != nil {
			client.Close()
			continue
		}
		p.mu.Lock()
		p.accepted++
		p.mu.Unlock()
		limit := int64(-1)
		if p.cutsLeft.Add(-1) >= 0 {
			limit = p.cutAfter.Load()
		}
		go func() {
			io.Copy(server, client)
			server.Close()
		}()
		go p.pipe(client, server, limit)
	}
}

func (p *faultProxy) pipe(client, server net.Conn, limit int64) {
	defer client.Close()
	defer server.Close()
	buf := make([]byte, 4096)
	var sent int64
	for {
		n, err := server.Read(buf)
		if n > 0 {
			if d := p.delay.Load(); d > 0 {
				time.Sleep(time.Duration(d))
			}
			if limit >= 0 && sent+int64(n) > limit {
				client.Write(buf[:limit-sent])
				p.mu.Lock()
				p.cut++
				p.mu.Unlock()
				if p.onCut != nil {
					p.onCut()
				}
				return // both ends close: a dropped connection
			}
			if _, werr := client.Write(buf[:n]); werr != nil {
				return
			}
			sent += int64(n)
		}
		if err != nil {
			return
		}
	}
}
