package source

import (
	"bytes"
	"errors"
	"io"
)

// MaxHeaderBytes bounds how much of a message is read looking for the end
// of its header section; anything longer is not a real header.
const MaxHeaderBytes = 1 << 20

// HeaderEnd returns the length of the header section in b, including the
// blank line that ends it, or -1 when b holds no blank line yet.
func HeaderEnd(b []byte) int {
	if len(b) > 0 && b[0] == '\n' {
		return 1
	}
	if len(b) > 1 && b[0] == '\r' && b[1] == '\n' {
		return 2
	}
	for i := 0; ; {
		j := bytes.IndexByte(b[i:], '\n')
		if j < 0 {
			return -1
		}
		p := i + j + 1
		if p < len(b) && b[p] == '\n' {
			return p + 1
		}
		if p+1 < len(b) && b[p] == '\r' && b[p+1] == '\n' {
			return p + 2
		}
		i = p
	}
}

// ReadHeader reads a message's header section from r, reusing buf. A message
// without a blank line is all header (up to MaxHeaderBytes).
func ReadHeader(r io.Reader, buf []byte) ([]byte, error) {
	if cap(buf) < 16<<10 {
		buf = make([]byte, 0, 16<<10)
	}
	buf = buf[:0]
	for {
		// A reused buffer may have any capacity: never read past the cap.
		limit := min(cap(buf), MaxHeaderBytes)
		if len(buf) == limit {
			if limit == MaxHeaderBytes {
				return buf, nil
			}
			nb := make([]byte, len(buf), min(2*cap(buf), MaxHeaderBytes))
			copy(nb, buf)
			buf, limit = nb, cap(nb)
		}
		n, err := r.Read(buf[len(buf):limit])
		buf = buf[:len(buf)+n]
		if end := HeaderEnd(buf); end >= 0 {
			return buf[:end], nil
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}
