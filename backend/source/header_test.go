package source

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

func TestHeaderEnd(t *testing.T) {
	tests := []struct {
		name string
		in   string
		want int
	}{
		{"empty input", "", -1},
		{"LF header and body", "From: a@b\nTo: c@d\n\nbody\n", len("From: a@b\nTo: c@d\n\n")},
		{"CRLF header and body", "From: a@b\r\nTo: c@d\r\n\r\nbody\r\n", len("From: a@b\r\nTo: c@d\r\n\r\n")},
		{"LF line then CRLF blank line", "From: a@b\n\r\nbody", len("From: a@b\n\r\n")},
		{"no blank line yet", "From: a@b\nTo: c@d\n", -1},
		{"no newline at all", "From: a@b", -1},
		{"header only, ends with blank line", "From: a@b\n\n", len("From: a@b\n\n")},
		{"header only, CRLF blank line and nothing else", "From: a@b\r\n\r\n", len("From: a@b\r\n\r\n")},
		{"leading LF blank line is an empty header", "\nFrom: a@b\n\n", 1},
		{"leading CRLF blank line is an empty header", "\r\nFrom: a@b\r\n\r\n", 2},
		{"lone CR at the end waits for more", "From: a@b\r\n\r", -1},
		{"lone LF as first byte", "\n", 1},
		{"folded continuation is not a blank line", "Subject: a\n  b\n\nbody", len("Subject: a\n  b\n\n")},
		{"whitespace-only line is not a blank line", "Subject: a\n \nTo: b\n\n", len("Subject: a\n \nTo: b\n\n")},
		{"body blank lines after the first do not matter", "A: 1\n\n\n\nB", len("A: 1\n\n")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := HeaderEnd([]byte(tt.in)); got != tt.want {
				t.Errorf("HeaderEnd(%q) = %d, want %d", tt.in, got, tt.want)
			}
		})
	}
}

// bigHeader returns a header section of at least n bytes made of short
// lines, without the blank line that ends it.
func bigHeader(n int, eol string) string {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		b.WriteString("X-Filler: 0123456789abcdef0123456789abcdef0123456789abcdef" + eol)
	}
	return b.String()
}

type errReader struct {
	data []byte
	err  error
}

// Read hands out data in one go together with err, then err alone.
func (r *errReader) Read(p []byte) (int, error) {
	n := copy(p, r.data)
	r.data = r.data[n:]
	if len(r.data) > 0 {
		return n, nil
	}
	return n, r.err
}

func TestReadHeader(t *testing.T) {
	big := bigHeader(40<<10, "\n") // larger than the first 16 KB read
	mid := bigHeader(20<<10, "\n")
	huge := bigHeader(3<<20, "\r\n") // larger than MaxHeaderBytes, no blank line
	boom := errors.New("boom")
	tests := []struct {
		name    string
		r       func() io.Reader
		buf     []byte
		want    string
		wantLen int // checked instead of want when > 0
		wantErr error
	}{
		{name: "header and body", r: func() io.Reader { return strings.NewReader("A: 1\nB: 2\n\nbody\n") }, want: "A: 1\nB: 2\n\n"},
		{name: "CRLF header and body", r: func() io.Reader { return strings.NewReader("A: 1\r\n\r\nbody") }, want: "A: 1\r\n\r\n"},
		{name: "message without body is all header", r: func() io.Reader { return strings.NewReader("A: 1\nB: 2\n") }, want: "A: 1\nB: 2\n"},
		{name: "message without body nor final newline", r: func() io.Reader { return strings.NewReader("A: 1") }, want: "A: 1"},
		{name: "empty message", r: func() io.Reader { return strings.NewReader("") }, want: ""},
		{name: "header larger than the first read", r: func() io.Reader { return strings.NewReader(big + "\nbody") }, want: big + "\n"},
		{name: "header larger than the first read, one byte at a time", r: func() io.Reader {
			return iotest.OneByteReader(strings.NewReader(mid + "\nbody"))
		}, want: mid + "\n"},
		{name: "blank line split across reads", r: func() io.Reader {
			return iotest.HalfReader(strings.NewReader("A: 1\r\n\r\nbody"))
		}, want: "A: 1\r\n\r\n"},
		{name: "header over MaxHeaderBytes is capped", r: func() io.Reader { return strings.NewReader(huge + "\r\nbody") }, wantLen: MaxHeaderBytes},
		{name: "cap holds with an odd-sized reused buffer", r: func() io.Reader { return strings.NewReader(huge) },
			buf: make([]byte, 5, 20000), wantLen: MaxHeaderBytes},
		{name: "cap holds with a reused buffer larger than the cap", r: func() io.Reader { return strings.NewReader(huge) },
			buf: make([]byte, 0, 2*MaxHeaderBytes), wantLen: MaxHeaderBytes},
		{name: "data then EOF in the same read", r: func() io.Reader { return &errReader{data: []byte("A: 1\n"), err: io.EOF} }, want: "A: 1\n"},
		{name: "reader error before the end of the header", r: func() io.Reader { return &errReader{data: []byte("A: 1\n"), err: boom} },
			want: "A: 1\n", wantErr: boom},
		{name: "reader error on the first read", r: func() io.Reader { return iotest.ErrReader(boom) }, want: "", wantErr: boom},
		{name: "header complete despite a reader error in the same read", r: func() io.Reader {
			return &errReader{data: []byte("A: 1\n\nbo"), err: boom}
		}, want: "A: 1\n\n"},
		{name: "timeout after some data", r: func() io.Reader {
			return iotest.TimeoutReader(iotest.HalfReader(strings.NewReader("A: 1\nB: 2\n")))
		}, want: "A: 1\nB: 2\n", wantErr: iotest.ErrTimeout},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ReadHeader(tt.r(), tt.buf)
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if tt.wantLen > 0 {
				if len(got) != tt.wantLen {
					t.Fatalf("len = %d, want %d", len(got), tt.wantLen)
				}
				if !strings.HasPrefix(huge, string(got)) {
					t.Fatalf("capped header is not a prefix of the input")
				}
				return
			}
			if string(got) != tt.want {
				t.Fatalf("got %q, want %q", trunc(got), trunc([]byte(tt.want)))
			}
		})
	}
}

func TestReadHeaderReusesBuffer(t *testing.T) {
	buf := make([]byte, 0, 64<<10)
	got, err := ReadHeader(strings.NewReader("A: 1\n\nbody"), buf)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "A: 1\n\n" {
		t.Fatalf("got %q", got)
	}
	if &got[:1][0] != &buf[:1][0] {
		t.Error("a large enough buffer was not reused")
	}
}

func trunc(b []byte) string {
	if len(b) > 80 {
		return string(b[:40]) + "..." + string(b[len(b)-40:])
	}
	return string(b)
}

func BenchmarkReadHeader(b *testing.B) {
	msg := []byte(bigHeader(8<<10, "\r\n") + "\r\n" + strings.Repeat("body line\r\n", 1000))
	var buf []byte
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		h, err := ReadHeader(bytes.NewReader(msg), buf)
		if err != nil {
			b.Fatal(err)
		}
		buf = h[:0]
	}
}
