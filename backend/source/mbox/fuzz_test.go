package mbox

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"leadminer/backend/source"
)

// FuzzScan checks Scan, Remaining and the cursor on arbitrary files. Seeds
// are under testdata/fuzz/FuzzScan.
func FuzzScan(f *testing.F) {
	f.Add([]byte("From a@b Thu Aug 22 12:36:23 2002\nSubject: s\n\nbody\n\nFrom c@d Thu Aug 22 12:36:24 2002\nSubject: t\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := filepath.Join(t.TempDir(), "box")
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		m, err := Open(path)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		scanWith := func(cp source.Checkpoint) []source.Record {
			var recs []source.Record
			if err := m.Scan(ctx, "box", cp, func(r source.Record) error {
				recs = append(recs, r)
				return nil
			}); err != nil {
				t.Fatalf("Scan: %v", err)
			}
			n, err := m.Remaining(ctx, "box", cp)
			if err != nil {
				t.Fatalf("Remaining: %v", err)
			}
			if n != len(recs) {
				t.Fatalf("Remaining = %d, Scan emitted %d", n, len(recs))
			}
			return recs
		}

		recs := scanWith(source.EmptyCheckpoint{})
		prev := int64(-1)
		for i, r := range recs {
			offset, err := strconv.ParseInt(r.Location, 10, 64)
			if err != nil || offset <= prev || offset >= int64(len(data)) {
				t.Fatalf("record %d: location %q after %d", i, r.Location, prev)
			}
			prev = offset
			if !bytes.HasPrefix(data[offset:], []byte("From ")) {
				t.Fatalf("record %d: no From line at %d", i, offset)
			}
			if offset > 0 && !isBlank(lastLine(data[:offset])) {
				t.Fatalf("record %d: From line at %d not after a blank line", i, offset)
			}
			end := int64(len(data))
			if i+1 < len(recs) {
				end, _ = strconv.ParseInt(recs[i+1].Location, 10, 64)
			}
			c, ok := parseCursor(r.Cursor)
			if !ok || c.last != offset || c.end != end {
				t.Fatalf("record %d: cursor %q, want last %d end %d", i, r.Cursor, offset, end)
			}
			if r.Folder != "box" {
				t.Fatalf("record %d: folder %q", i, r.Folder)
			}
			if len(r.Header) > source.MaxHeaderBytes+maxLine {
				t.Fatalf("record %d: header of %d bytes", i, len(r.Header))
			}
			if want := headerOf(data[offset:end]); len(data) < maxLine && !bytes.Equal(r.Header, want) {
				t.Fatalf("record %d: header %q, want %q", i, r.Header, want)
			}
		}
		if len(recs) == 0 {
			return
		}
		// Resuming after the last record reads nothing; after a middle one,
		// exactly what a full scan emits after it.
		if more := scanWith(checkpoint{cursor: recs[len(recs)-1].Cursor}); len(more) != 0 {
			t.Fatalf("resume after the last record emitted %d records", len(more))
		}
		mid := len(recs) / 2
		rest := scanWith(checkpoint{cursor: recs[mid].Cursor})
		if len(rest) != len(recs)-mid-1 {
			t.Fatalf("resume after record %d emitted %d records, want %d", mid, len(rest), len(recs)-mid-1)
		}
		for i, r := range rest {
			if !recordsEqual(r, recs[mid+1+i]) {
				t.Fatalf("resumed record %d = %+v, want %+v", i, r, recs[mid+1+i])
			}
		}
	})
}

// lastLine returns the last line of b, which ends with a line ending.
func lastLine(b []byte) []byte {
	if !bytes.HasSuffix(b, []byte("\n")) {
		return nil
	}
	return b[bytes.LastIndexByte(b[:len(b)-1], '\n')+1:]
}

// headerOf returns the header section of one message (from its "From " line
// to its end), mboxrd quoting undone: the lines after the "From " line up to
// the first blank line, included.
func headerOf(msg []byte) []byte {
	out := []byte{}
	_, rest, _ := bytes.Cut(msg, []byte("\n"))
	for len(rest) > 0 {
		line := rest
		if i := bytes.IndexByte(rest, '\n'); i >= 0 {
			line = rest[:i+1]
		}
		rest = rest[len(line):]
		if q := bytes.TrimLeft(line, ">"); len(q) < len(line) && bytes.HasPrefix(q, []byte("From ")) {
			line = line[1:]
		}
		out = append(out, line...)
		if string(line) == "\n" || string(line) == "\r\n" {
			break
		}
	}
	return out
}
