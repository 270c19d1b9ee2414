package source

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// messageFiles writes n message files and returns their paths; file i has
// the header "X-N: i" and a body.
func messageFiles(t *testing.T, n int) []string {
	t.Helper()
	dir := t.TempDir()
	paths := make([]string, n)
	for i := range paths {
		paths[i] = filepath.Join(dir, fmt.Sprintf("m%05d", i))
		// Vary the header size so that a reused buffer would show.
		h := fmt.Sprintf("X-N: %d\nX-Pad: %s\n\n", i, strings.Repeat("p", (i*7919)%3000))
		if err := os.WriteFile(paths[i], []byte(h+"body of "+fmt.Sprint(i)+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return paths
}

func wantHeader(i int) string {
	return fmt.Sprintf("X-N: %d\nX-Pad: %s\n\n", i, strings.Repeat("p", (i*7919)%3000))
}

// noLeak fails the test when goroutines started during it outlive it.
func noLeak(t *testing.T) {
	t.Helper()
	before := runtime.NumGoroutine()
	t.Cleanup(func() {
		deadline := time.Now().Add(2 * time.Second)
		for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		if n := runtime.NumGoroutine(); n > before {
			buf := make([]byte, 1<<20)
			t.Errorf("goroutines: %d before, %d after\n%s", before, n, buf[:runtime.Stack(buf, true)])
		}
	})
}

type call struct {
	location, header string
}

func TestReadFiles(t *testing.T) {
	errStop := errors.New("stop")
	tests := []struct {
		name string
		n    int
		// prepare may remove or replace files before the read.
		prepare func(t *testing.T, paths []string) []string
		// fn, when set, replaces the recording callback's result.
		fn        func(i int, cancel context.CancelFunc) error
		preCancel bool
		wantLocs  func(paths []string) []int // indexes of the files fn sees
		wantErr   error
		wantErrIn string
	}{
		{name: "no file", n: 0, wantLocs: func([]string) []int { return nil }},
		{name: "one file", n: 1, wantLocs: func([]string) []int { return []int{0} }},
		{name: "order preserved with many files", n: 1000, wantLocs: func(p []string) []int { return seq(0, len(p)) }},
		{
			name: "files deleted after listing are skipped", n: 600,
			prepare: func(t *testing.T, paths []string) []string {
				for _, i := range []int{0, 1, 299, 300, 599} {
					if err := os.Remove(paths[i]); err != nil {
						t.Fatal(err)
					}
				}
				return paths
			},
			wantLocs: func(p []string) []int {
				return slices.DeleteFunc(seq(0, len(p)), func(i int) bool { return slices.Contains([]int{0, 1, 299, 300, 599}, i) })
			},
		},
		{
			name: "a directory where a file was is an error", n: 10,
			prepare: func(t *testing.T, paths []string) []string {
				if err := os.Remove(paths[4]); err != nil {
					t.Fatal(err)
				}
				if err := os.Mkdir(paths[4], 0o700); err != nil {
					t.Fatal(err)
				}
				return paths
			},
			wantLocs:  func([]string) []int { return seq(0, 4) },
			wantErrIn: "m00004",
		},
		{
			name: "fn error stops the read", n: 400,
			fn: func(i int, _ context.CancelFunc) error {
				if i == 5 {
					return errStop
				}
				return nil
			},
			wantLocs: func([]string) []int { return seq(0, 6) },
			wantErr:  errStop,
		},
		{
			name: "cancel stops the read and returns the context error", n: 400,
			fn: func(i int, cancel context.CancelFunc) error {
				if i == 10 {
					cancel()
				}
				return nil
			},
			wantLocs: func([]string) []int { return seq(0, 11) },
			wantErr:  context.Canceled,
		},
		{
			name: "cancel during the last file: every file was handed over", n: 3,
			fn: func(i int, cancel context.CancelFunc) error {
				if i == 2 {
					cancel()
				}
				return nil
			},
			wantLocs: func([]string) []int { return seq(0, 3) },
		},
		{
			name: "a cancelled context reads nothing", n: 100, preCancel: true,
			wantLocs: func([]string) []int { return nil },
			wantErr:  context.Canceled,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			paths := messageFiles(t, tt.n)
			if tt.prepare != nil {
				paths = tt.prepare(t, paths)
			}
			noLeak(t)
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if tt.preCancel {
				cancel()
			}
			var calls []call
			err := ReadFiles(ctx, len(paths), func(i int) (string, string) {
				return paths[i], fmt.Sprint("loc", i)
			}, func(location string, header []byte) error {
				calls = append(calls, call{location, string(header)})
				if tt.fn != nil {
					return tt.fn(len(calls)-1, cancel)
				}
				return nil
			})
			switch {
			case tt.wantErrIn != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErrIn) {
					t.Fatalf("err = %v, want one naming %s", err, tt.wantErrIn)
				}
			case !errors.Is(err, tt.wantErr):
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			want := tt.wantLocs(paths)
			if len(calls) != len(want) {
				t.Fatalf("fn called %d times, want %d", len(calls), len(want))
			}
			for k, i := range want {
				if calls[k].location != fmt.Sprint("loc", i) {
					t.Fatalf("call %d: location %s, want loc%d", k, calls[k].location, i)
				}
				if calls[k].header != wantHeader(i) {
					t.Fatalf("call %d: header %q, want %q", k, trunc([]byte(calls[k].header)), trunc([]byte(wantHeader(i))))
				}
			}
		})
	}
}

// The headers handed to fn are the caller's to keep.
func TestReadFilesHeadersAreCopies(t *testing.T) {
	paths := messageFiles(t, 300)
	var kept [][]byte
	err := ReadFiles(context.Background(), len(paths), func(i int) (string, string) { return paths[i], fmt.Sprint(i) },
		func(_ string, header []byte) error {
			kept = append(kept, header)
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	for i, h := range kept {
		if string(h) != wantHeader(i) {
			t.Fatalf("header %d was overwritten: %q", i, trunc(h))
		}
	}
}

// A slow consumer does not let the readers run more than the window ahead,
// and stopping early still lets every goroutine end.
func TestReadFilesSlowConsumerStops(t *testing.T) {
	paths := messageFiles(t, 400)
	noLeak(t)
	var opened int
	done := make(chan struct{})
	var count = make(chan int, 1000)
	go func() {
		defer close(done)
		_ = ReadFiles(context.Background(), len(paths), func(i int) (string, string) {
			count <- i
			return paths[i], ""
		}, func(string, []byte) error {
			time.Sleep(20 * time.Millisecond)
			return errors.New("stop")
		})
	}()
	<-done
	close(count)
	for range count {
		opened++
	}
	if opened > 256+16 {
		t.Errorf("%d files opened for one consumed, want the read-ahead bounded", opened)
	}
}

func seq(from, to int) []int {
	var s []int
	for i := from; i < to; i++ {
		s = append(s, i)
	}
	return s
}
