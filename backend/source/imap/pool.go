package imap

import (
	"context"
	"log/slog"
	"sync"
)

// pool keeps logged-in sessions for reuse, up to a limit that shrinks when
// the server says there are too many connections.
type pool struct {
	dialer *dialer
	log    *slog.Logger

	mu   sync.Mutex
	idle []*session
	open int
	max  int
}

func newPool(d *dialer, max int, log *slog.Logger) *pool {
	return &pool{dialer: d, max: max, log: log}
}

// get returns an idle session or opens one. When the server refuses one
// more connection and others are open, the limit drops to what works and
// errTooMany tells the caller to make do with fewer.
func (p *pool) get(ctx context.Context) (*session, error) {
	p.mu.Lock()
	if n := len(p.idle); n > 0 {
		s := p.idle[n-1]
		p.idle = p.idle[:n-1]
		p.mu.Unlock()
		return s, nil
	}
	p.open++
	p.mu.Unlock()
	s, err := p.dialer.open(ctx)
	if err != nil {
		p.mu.Lock()
		p.open--
		if isKind(err, KindTooManyConnection) && p.open > 0 {
			p.max = max(p.open, 1)
			p.log.Warn("server refused another connection; continuing with fewer", "connections", p.max)
		}
		p.mu.Unlock()
		return nil, err
	}
	return s, nil
}

// limit is the current connection limit.
func (p *pool) limit() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.max
}

// put returns a healthy session.
func (p *pool) put(s *session) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.idle = append(p.idle, s)
}

// discard closes a broken session.
func (p *pool) discard(s *session) {
	s.close()
	p.mu.Lock()
	p.open--
	p.mu.Unlock()
}

func (p *pool) closeAll() {
	p.mu.Lock()
	idle := p.idle
	p.idle = nil
	p.open -= len(idle)
	p.mu.Unlock()
	for _, s := range idle {
		if s.client != nil {
			s.client.Logout().Wait()
		}
		s.close()
	}
}
