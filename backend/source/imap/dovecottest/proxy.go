package dovecottest

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// FaultProxy sits between an IMAP client and the server. It can cut the
// next connections after some bytes from the server (a dropped connection in
// the middle of a FETCH) and slow every read down (to stop a run half-way).
type FaultProxy struct {
	l      net.Listener
	target string
	// cutsLeft connections will be cut after cutAfter server bytes.
	cutsLeft atomic.Int32
	cutAfter atomic.Int64
	// Delay is nanoseconds of wait per 4 KB forwarded.
	Delay atomic.Int64
	// OnCut, set before CutNext, runs at each cut (a token expiring as the
	// connection drops, say).
	OnCut    func()
	mu       sync.Mutex
	cut      int
	accepted int
}

// StartProxy forwards a local port to target until the test ends.
func StartProxy(t testing.TB, target string) *FaultProxy {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &FaultProxy{l: l, target: target}
	t.Cleanup(func() { l.Close() })
	go p.serve()
	return p
}

// Port is the proxy's port on 127.0.0.1.
func (p *FaultProxy) Port() int { return p.l.Addr().(*net.TCPAddr).Port }

// CutNext makes the next n connections drop after `after` bytes from the
// server.
func (p *FaultProxy) CutNext(n int, after int64) {
	p.cutAfter.Store(after)
	p.cutsLeft.Store(int32(n))
}

// Stats counts the connections accepted and cut.
func (p *FaultProxy) Stats() (accepted, cut int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.accepted, p.cut
}

func (p *FaultProxy) serve() {
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

func (p *FaultProxy) pipe(client, server net.Conn, limit int64) {
	defer client.Close()
	defer server.Close()
	buf := make([]byte, 4096)
	var sent int64
	for {
		n, err := server.Read(buf)
		if n > 0 {
			if d := p.Delay.Load(); d > 0 {
				time.Sleep(time.Duration(d))
			}
			if limit >= 0 && sent+int64(n) > limit {
				client.Write(buf[:limit-sent])
				p.mu.Lock()
				p.cut++
				p.mu.Unlock()
				if p.OnCut != nil {
					p.OnCut()
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
