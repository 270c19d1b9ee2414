package mbox

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"time"

	"leadminer/backend/source"
)

// writeBigMbox writes an mbox of a few hundred megabytes: messages with
// 10 MB bodies of ordinary lines, one whose body is a single 100 MB line, and
// a small last message. It returns the path and the message count.
func writeBigMbox(t *testing.T) (string, int) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "big.mbox")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriterSize(f, 1<<20)
	line := strings.Repeat("0123456789abcdef", 62) + "ok\n" // 995 bytes
	const (
		bigMessages = 30
		bodyBytes   = 10 << 20
	)
	n := 0
	head := func(i int) {
		fmt.Fprintf(w, "From sender%d@example.com Thu Aug 22 12:36:23 2002\nMessage-ID: <%d@x>\nFrom: s%d@example.com\n\n", i, i, i)
		n++
	}
	for i := range bigMessages {
		head(i)
		for written := 0; written < bodyBytes; written += len(line) {
			w.WriteString(line)
		}
		w.WriteString("\n")
	}
	head(bigMessages)
	chunk := strings.Repeat("A", 1<<20)
	for range 100 {
		w.WriteString(chunk) // one 100 MB line
	}
	w.WriteString("\n\n")
	head(bigMessages + 1)
	w.WriteString("last body, no trailing newline")
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	return path, n
}

// heapPeak samples the live heap while fn runs and returns the peak above
// the level before, and the bytes allocated meanwhile.
func heapPeak(fn func()) (peak, allocated uint64) {
	runtime.GC()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	metrics.Read(sample)
	base := sample[0].Value.Uint64()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)

	var (
		wg   sync.WaitGroup
		max  uint64
		stop = make(chan struct{})
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			if v := s[0].Value.Uint64(); v > max {
				max = v
			}
			select {
			case <-stop:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(stop)
	wg.Wait()
	runtime.ReadMemStats(&after)
	if max < base {
		max = base
	}
	return max - base, after.TotalAlloc - before.TotalAlloc
}

func TestScanBoundedMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 400 MB file")
	}
	path, want := writeBigMbox(t)
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	const limit = 64 << 20
	var (
		recs    int
		headers []string
		scanErr error
	)
	peak, allocated := heapPeak(func() {
		scanErr = m.Scan(context.Background(), "big", source.EmptyCheckpoint{}, func(r source.Record) error {
			recs++
			headers = append(headers, string(r.Header))
			return nil
		})
	})
	if scanErr != nil {
		t.Fatal(scanErr)
	}
	t.Logf("Scan: heap peak +%d MB, %d MB allocated", peak>>20, allocated>>20)
	if peak > limit || allocated > limit {
		t.Errorf("Scan: heap peak +%d MB, %d MB allocated, want under %d MB", peak>>20, allocated>>20, limit>>20)
	}
	if recs != want {
		t.Fatalf("%d records, want %d", recs, want)
	}
	for i, h := range headers {
		if w := fmt.Sprintf("Message-ID: <%d@x>\nFrom: s%d@example.com\n\n", i, i); h != w {
			t.Errorf("header %d = %q, want %q", i, h, w)
		}
	}

	var n int
	peak, allocated = heapPeak(func() {
		n, scanErr = m.Remaining(context.Background(), "big", source.EmptyCheckpoint{})
	})
	if scanErr != nil {
		t.Fatal(scanErr)
	}
	t.Logf("Remaining: heap peak +%d MB, %d MB allocated", peak>>20, allocated>>20)
	if peak > limit || allocated > limit {
		t.Errorf("Remaining: heap peak +%d MB, %d MB allocated, want under %d MB", peak>>20, allocated>>20, limit>>20)
	}
	if n != want {
		t.Errorf("Remaining = %d, want %d", n, want)
	}
}
