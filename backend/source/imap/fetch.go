package imap

import (
	"context"
	"errors"
	"fmt"
	"io"
	"leadminer/backend/source"
	"sync"
	"sync/atomic"
	"time"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapclient"
)

type fetched struct {
	uid     goimap.UID
	header  []byte
	problem string // set when the server refused this one message
}

type result struct {
	index    int
	messages []fetched
	err      error
}

// fetcher runs one folder's chunks on parallel sessions.
type fetcher struct {
	src      *Source
	folder   string
	validity uint32
}

// Backoff between reconnection attempts, doubling up to the last value.
var backoff = []time.Duration{200 * time.Millisecond, 500 * time.Millisecond, time.Second, 2 * time.Second, 5 * time.Second, 10 * time.Second}

const maxAttempts = 8

// run fetches the chunks with up to the pool's limit of workers and hands
// results to emit in chunk order, holding at most a window of chunks.
func (f *fetcher) run(ctx context.Context, chunks [][]goimap.UID, emit func(result) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	workers := min(f.src.pool.limit(), len(chunks))
	window := 2 * workers
	slots := make([]chan result, window)
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	jobs := make(chan int)
	ahead := make(chan struct{}, window)
	var wg sync.WaitGroup
	var active atomic.Int32
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.work(ctx, chunks, jobs, &active, func(r result) { slots[r.index%window] <- r })
		}()
	}
	// If every worker is gone (refused, failed) with chunks left, say so
	// rather than wait forever.
	allGone := make(chan struct{})
	go func() {
		wg.Wait()
		close(allGone)
	}()
	go source.FeedJobs(ctx, len(chunks), ahead, jobs)
	err := f.consume(ctx, len(chunks), window, slots, ahead, allGone, emit)
	if err != nil {
		cancel() // stop the workers mid-chunk
	}
	// On success every chunk was delivered and the workers end on their
	// own, handing their healthy connections back to the pool.
	wg.Wait()
	return err
}

// consume hands finished chunks to emit in order.
func (f *fetcher) consume(ctx context.Context, n, window int, slots []chan result, ahead chan struct{}, allGone chan struct{}, emit func(result) error) error {
	for i := range n {
		var r result
		select {
		case r = <-slots[i%window]:
			<-ahead
		case <-ctx.Done():
			return ctx.Err()
		case <-allGone:
			select {
			case r = <-slots[i%window]:
				<-ahead
			default:
				return fmt.Errorf("folder %s: every connection to the server failed", f.folder)
			}
		}
		if r.err != nil {
			return r.err
		}
		if err := emit(r); err != nil {
			return err
		}
	}
	return nil
}

// work is one connection's loop: take a chunk, fetch it (reconnecting and
// retrying when the connection drops), deliver it. It connects before it
// takes any work, so a connection the server refuses (too many) leaves
// the chunks to the workers that got one.
func (f *fetcher) work(ctx context.Context, chunks [][]goimap.UID, jobs <-chan int, active *atomic.Int32, deliver func(result)) {
	var sess *session
	defer func() {
		if sess != nil {
			if sess.broken() {
				f.src.pool.discard(sess)
			} else {
				f.src.pool.put(sess)
			}
		}
	}()
	// Cancel must stop a command waiting on the server within a second:
	// closing the connection is the only way to interrupt it.
	stop := context.AfterFunc(ctx, func() {
		if sess != nil {
			sess.close()
		}
	})
	defer stop()
	for attempt := 0; sess == nil; attempt++ {
		s, err := f.src.pool.get(ctx)
		if err == nil {
			sess = s
			break
		}
		if ctx.Err() != nil {
			return
		}
		if isKind(err, KindTooManyConnection) && active.Load() > 0 {
			return
		}
		if (isKind(err, KindTooManyConnection) || isConnectionError(err)) && attempt < maxAttempts {
			sleep(ctx, backoff[min(attempt, len(backoff)-1)])
			continue
		}
		for i := range jobs {
			deliver(result{index: i, err: err})
			return
		}
		return
	}
	active.Add(1)
	defer active.Add(-1)
	for i := range jobs {
		msgs, err := f.fetchChunk(ctx, &sess, chunks[i])
		deliver(result{index: i, messages: msgs, err: err})
		if err != nil {
			return
		}
	}
}

// fetchChunk fetches one chunk, reconnecting with back-off when the
// connection breaks, and splitting the chunk when the server refuses it so
// that only the message it cannot serve is skipped.
func (f *fetcher) fetchChunk(ctx context.Context, sess **session, uids []goimap.UID) ([]fetched, error) {
	for attempt := 0; ; attempt++ {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if *sess == nil {
			s, err := f.src.pool.get(ctx)
			if err != nil {
				if ctx.Err() != nil {
					return nil, ctx.Err()
				}
				if isKind(err, KindTooManyConnection) || isConnectionError(err) {
					if attempt < maxAttempts {
						sleep(ctx, backoff[min(attempt, len(backoff)-1)])
						continue
					}
				}
				return nil, err
			}
			*sess = s
		}
		msgs, err := f.fetchOrSplit(ctx, *sess, uids)
		if err == nil {
			return msgs, nil
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		if errors.Is(err, ErrFolderChanged) {
			return nil, err
		}
		if ((*sess).broken() || isConnectionError(err)) && attempt < maxAttempts {
			f.src.cfg.Log.Warn("IMAP connection lost; reconnecting", "folder", f.folder, "attempt", attempt+1, "err", err)
			f.src.pool.discard(*sess)
			*sess = nil
			sleep(ctx, backoff[min(attempt, len(backoff)-1)])
			continue
		}
		return nil, classify(f.src.dialer.config(), err)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
}

// fetchOrSplit fetches uids; if the server answers NO or BAD, it fetches
// each half on its own, down to a single message, which is then reported
// as skipped instead of failing the run.
func (f *fetcher) fetchOrSplit(ctx context.Context, sess *session, uids []goimap.UID) ([]fetched, error) {
	msgs, err := f.fetch(sess, uids)
	if err == nil {
		return msgs, nil
	}
	var imapErr *goimap.Error
	if !errors.As(err, &imapErr) || sess.broken() {
		return nil, err
	}
	if len(uids) == 1 {
		f.src.cfg.Log.Warn("server refused a message; skipped", "folder", f.folder, "uid", uids[0], "err", imapErr.Text)
		return []fetched{{uid: uids[0], problem: "the server refused to send this message: " + imapErr.Text}}, nil
	}
	half := len(uids) / 2
	left, err := f.fetchOrSplit(ctx, sess, uids[:half])
	if err != nil {
		return nil, err
	}
	right, err := f.fetchOrSplit(ctx, sess, uids[half:])
	if err != nil {
		return nil, err
	}
	return append(left, right...), nil
}

// fetch runs one UID FETCH of header fields and returns the messages in UID
// order. Messages expunged meanwhile are simply absent.
func (f *fetcher) fetch(sess *session, uids []goimap.UID) ([]fetched, error) {
	if err := sess.examine(f.folder); err != nil {
		return nil, err
	}
	if sess.uidValidity != f.validity {
		return nil, ErrFolderChanged
	}
	var set goimap.UIDSet
	for _, u := range uids {
		set.AddNum(u)
	}
	opts := fetchOptions()
	cmd := sess.client.Fetch(set, opts)
	byUID := make(map[goimap.UID][]byte, len(uids))
	for {
		msg := cmd.Next()
		if msg == nil {
			break
		}
		var uid goimap.UID
		var header []byte
		for {
			item := msg.Next()
			if item == nil {
				break
			}
			switch it := item.(type) {
			case imapclient.FetchItemDataUID:
				uid = it.UID
			case imapclient.FetchItemDataBodySection:
				b, err := io.ReadAll(it.Literal)
				if err != nil {
					cmd.Close()
					return nil, err
				}
				header = b
			}
		}
		if uid != 0 {
			byUID[uid] = header
		}
	}
	if err := cmd.Close(); err != nil {
		return nil, err
	}
	out := make([]fetched, 0, len(byUID))
	for _, u := range uids {
		if h, ok := byUID[u]; ok {
			out = append(out, fetched{uid: u, header: h})
		}
	}
	return out, nil
}
