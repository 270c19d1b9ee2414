package source

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"sync"
)

// FeedJobs sends the job numbers 0 to n-1, each once a place is free in
// ahead (the results read but not yet handed on, which bounds memory), then
// closes jobs; it stops when ctx ends. The consumer frees a place per
// result it hands on.
func FeedJobs(ctx context.Context, n int, ahead chan<- struct{}, jobs chan<- int) {
	defer close(jobs)
	for i := 0; i < n; i++ {
		select {
		case ahead <- struct{}{}:
		case <-ctx.Done():
			return
		}
		select {
		case jobs <- i:
		case <-ctx.Done():
			return
		}
	}
}

// ReadFiles reads the header sections of n message files with a few readers
// in parallel (file opening, not parsing, is the cost) and hands them to fn
// in order. A file that vanished since it was listed is skipped: the user's
// mail client may have moved it.
func ReadFiles(ctx context.Context, n int, file func(i int) (path, location string), fn func(location string, header []byte) error) error {
	type result struct {
		location string
		header   []byte
		err      error
	}
	const window = 256 // files read ahead of the consumer, bounding memory
	workers := min(max(runtime.GOMAXPROCS(0), 2), 8)
	jobs := make(chan int)
	ahead := make(chan struct{}, window)
	slots := make([]chan result, window)
	for i := range slots {
		slots[i] = make(chan result, 1)
	}
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	// Stop the producer before waiting for the readers it feeds.
	defer func() { cancel(); wg.Wait() }()
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf []byte
			for i := range jobs {
				path, location := file(i)
				header, err := readFileHeader(path, buf)
				if err == nil {
					// Keep our own copy: buf is reused for the next file.
					buf = header[:0]
					header = append([]byte(nil), header...)
				}
				slots[i%window] <- result{location: location, header: header, err: err}
			}
		}()
	}
	go FeedJobs(ctx, n, ahead, jobs)
	for i := 0; i < n; i++ {
		// select picks at random among ready cases: check first, so that a
		// cancelled run stops now rather than after a few more files.
		if err := ctx.Err(); err != nil {
			return err
		}
		var r result
		select {
		case r = <-slots[i%window]:
			<-ahead
		case <-ctx.Done():
			return ctx.Err()
		}
		if r.err != nil {
			if errors.Is(r.err, fs.ErrNotExist) {
				continue
			}
			return r.err
		}
		if err := fn(r.location, r.header); err != nil {
			return err
		}
	}
	return nil
}

func readFileHeader(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h, err := ReadHeader(f, buf)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return h, nil
}
