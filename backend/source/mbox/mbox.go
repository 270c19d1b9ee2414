// Package mbox reads mbox files (mboxo and mboxrd, LF or CRLF), streaming
// with bounded memory: only header sections are kept, bodies are skipped.
package mbox

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"leadminer/backend/source"
)

// Mbox is one mbox file, or a directory of them (one folder per file).
type Mbox struct {
	root    string
	folders map[string]string // folder name -> file
}

// Open accepts an mbox file or a directory holding mbox files.
func Open(path string) (*Mbox, error) {
	abs, st, err := source.ResolvePath("mbox", path)
	if err != nil {
		return nil, err
	}
	m := &Mbox{root: abs, folders: map[string]string{}}
	if !st.IsDir() {
		m.folders[folderName(filepath.Base(abs))] = abs
		return m, nil
	}
	err = filepath.WalkDir(abs, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(p, ".msf") {
			return nil
		}
		if looksLikeMbox(p) {
			rel, _ := filepath.Rel(abs, p)
			rel = strings.ReplaceAll(filepath.ToSlash(rel), ".sbd/", "/") // Thunderbird sub-folders
			m.folders[folderName(rel)] = p
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("mbox %s: %w", abs, err)
	}
	if len(m.folders) == 0 {
		return nil, fmt.Errorf("mbox %s: no mbox file found (an mbox file starts with a \"From \" line)", abs)
	}
	return m, nil
}

func folderName(name string) string {
	for _, ext := range []string{".mbox", ".mbx", ".mbs"} {
		if strings.HasSuffix(strings.ToLower(name), ext) {
			return name[:len(name)-len(ext)]
		}
	}
	return name
}

func looksLikeMbox(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	head := make([]byte, 5)
	n, _ := io.ReadFull(f, head)
	return n == 5 && string(head) == "From "
}

// URI identifies the file or directory.
func (m *Mbox) URI() string { return "mbox:" + m.root }

// Close releases nothing: files are opened per scan.
func (m *Mbox) Close() error { return nil }

// Folders lists the mbox files; counting messages needs a full read, so the
// count is left unknown here (Remaining gives it before mining).
func (m *Mbox) Folders(ctx context.Context) ([]source.Folder, error) {
	names := source.SortedKeys(m.folders)
	out := make([]source.Folder, 0, len(names))
	for _, n := range names {
		out = append(out, source.Folder{Name: n, Count: -1, Selectable: true, SpecialUse: source.SpecialUseFromName(n)})
	}
	return out, nil
}

// cursor is where a previous run stopped: the end of the last committed
// message, and the start and "From " line of that message, to check on
// resume that the file was appended to, not rewritten.
type cursor struct {
	end, last int64
	fromHash  string
}

func (c cursor) String() string {
	return strconv.FormatInt(c.end, 10) + "/" + strconv.FormatInt(c.last, 10) + "/" + c.fromHash
}

func parseCursor(s string) (cursor, bool) {
	parts := strings.Split(s, "/")
	if len(parts) != 3 {
		return cursor{}, false
	}
	end, err1 := strconv.ParseInt(parts[0], 10, 64)
	last, err2 := strconv.ParseInt(parts[1], 10, 64)
	if err1 != nil || err2 != nil || end < last || last < 0 {
		return cursor{}, false
	}
	return cursor{end: end, last: last, fromHash: parts[2]}, true
}

// fromKeyLen is how much of a "From " line the cursor hash covers: what
// resumeOffset reads back, so that a longer line still matches.
const fromKeyLen = 1024

func hashLine(b []byte) string {
	b = b[:min(len(b), fromKeyLen)]
	h := sha256.Sum256(bytes.TrimRight(b, "\r\n"))
	return hex.EncodeToString(h[:8])
}

// resumeOffset returns where to start reading: after the checkpoint when the
// file still holds the same message there, else 0 (a full re-read, which the
// store's de-duplication makes harmless).
func resumeOffset(f *os.File, cp source.Checkpoint) int64 {
	c, ok := parseCursor(cp.Cursor())
	if !ok {
		return 0
	}
	st, err := f.Stat()
	if err != nil || st.Size() < c.end {
		return 0
	}
	line := make([]byte, fromKeyLen)
	n, _ := f.ReadAt(line, c.last)
	line = line[:n]
	if i := bytes.IndexByte(line, '\n'); i >= 0 {
		line = line[:i+1]
	}
	if !bytes.HasPrefix(line, []byte("From ")) || hashLine(line) != c.fromHash {
		return 0
	}
	return c.end
}

// Remaining counts the messages after the checkpoint: what Scan emits.
func (m *Mbox) Remaining(ctx context.Context, folder string, cp source.Checkpoint) (int, error) {
	path, ok := m.folders[folder]
	if !ok {
		return 0, fmt.Errorf("mbox: no folder %q", folder)
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("mbox: %w", err)
	}
	defer f.Close()
	start := resumeOffset(f, cp)
	n := 0
	err = scan(ctx, f, start, func(offset int64, _ []byte, header []byte, _ int64) error {
		n++
		return nil
	}, true)
	return n, err
}

// Scan emits every message after the checkpoint. Only its cursor counts:
// offsets are no stable identity across a rewrite (after a compaction a new
// message can start where a mined one did), and every message after an
// accepted cursor is new.
func (m *Mbox) Scan(ctx context.Context, folder string, cp source.Checkpoint, emit func(source.Record) error) error {
	path, ok := m.folders[folder]
	if !ok {
		return fmt.Errorf("mbox: no folder %q", folder)
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("mbox: %w", err)
	}
	defer f.Close()
	start := resumeOffset(f, cp)
	return scan(ctx, f, start, func(offset int64, fromLine, header []byte, end int64) error {
		loc := strconv.FormatInt(offset, 10)
		c := cursor{end: end, last: offset, fromHash: hashLine(fromLine)}
		return emit(source.Record{Folder: folder, Location: loc, Cursor: c.String(), Header: header})
	}, false)
}

// scan walks the messages from offset start. For each it calls fn with the
// offset of its "From " line, that line, its header section (unescaped, a
// copy) and the offset where it ends. countOnly skips header collection.
func scan(ctx context.Context, r io.ReaderAt, start int64, fn func(offset int64, fromLine, header []byte, end int64) error, countOnly bool) error {
	br := bufio.NewReaderSize(io.NewSectionReader(r, start, 1<<62), maxLine)
	pos := start
	var (
		inMessage   bool
		inHeader    bool
		msgStart    int64
		fromLine    []byte
		header      []byte
		prevBlank   = true
		headerLimit = false
	)
	flush := func(end int64) error {
		if !inMessage {
			return nil
		}
		return fn(msgStart, fromLine, header, end)
	}
	var long []byte // reused for lines longer than br's buffer
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		line, size, err := readLine(br, &long)
		if size > 0 {
			cut := size > int64(len(line))
			isFrom := prevBlank && bytes.HasPrefix(line, []byte("From ")) && (pos == 0 || postmark.Match(line))
			if isFrom {
				if err := flush(pos); err != nil {
					return err
				}
				inMessage, inHeader, headerLimit = true, true, false
				msgStart = pos
				fromLine = append(fromLine[:0], line...)
				header = nil
			} else if inHeader {
				blank := isBlank(line)
				if !countOnly && !headerLimit {
					header = append(header, unescapeFrom(line)...)
					if len(header) > source.MaxHeaderBytes || cut {
						headerLimit = true
					}
				}
				if blank {
					inHeader = false
				}
			}
			prevBlank = isBlank(line)
			pos += size
		}
		if errors.Is(err, io.EOF) {
			return flush(pos)
		}
		if err != nil {
			return fmt.Errorf("mbox read at byte %d: %w", pos, err)
		}
	}
}

// postmark recognises a separator line ("From sender Thu Aug 22 12:36:23
// 2002"), so that an unescaped "From " sentence in an mboxo body after a
// blank line does not split the message.
var postmark = regexp.MustCompile(`^From \S*\s+.*\d{1,2}:\d{2}(:\d{2})?.*\d{4}`)

// maxLine bounds how much of one line is kept (the reader's buffer size): the
// rest of a longer line, such as a body without line breaks, is only counted,
// so that memory stays bounded whatever the file holds.
const maxLine = 1 << 20

// readLine returns the next line with its ending, or its first maxLine bytes
// when it is longer (a copy in *long, reused), and the line's full size. The
// line is valid until the next call.
func readLine(br *bufio.Reader, long *[]byte) ([]byte, int64, error) {
	line, err := br.ReadSlice('\n')
	size := int64(len(line))
	if !errors.Is(err, bufio.ErrBufferFull) {
		return line, size, err
	}
	*long = append((*long)[:0], line...)
	for errors.Is(err, bufio.ErrBufferFull) {
		line, err = br.ReadSlice('\n')
		size += int64(len(line))
	}
	return *long, size, err
}

func isBlank(line []byte) bool {
	return len(line) == 1 && line[0] == '\n' || len(line) == 2 && line[0] == '\r' && line[1] == '\n'
}

// unescapeFrom undoes mboxrd quoting (">From " and ">>From "...).
func unescapeFrom(line []byte) []byte {
	if len(line) > 5 && line[0] == '>' {
		i := bytes.IndexFunc(line, func(r rune) bool { return r != '>' })
		if i > 0 && bytes.HasPrefix(line[i:], []byte("From ")) {
			return line[1:]
		}
	}
	return line
}
