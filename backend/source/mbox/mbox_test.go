package mbox

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"leadminer/backend/source"
)

// checkpoint is a run's state as the mining engine keeps it.
type checkpoint struct {
	cursor string
	known  map[string]bool
}

func (c checkpoint) Cursor() string        { return c.cursor }
func (c checkpoint) Known(loc string) bool { return c.known[loc] }
func committed(recs []source.Record) checkpoint {
	cp := checkpoint{known: map[string]bool{}}
	for _, r := range recs {
		cp.known[r.Location] = true
		cp.cursor = r.Cursor
	}
	return cp
}

// message builds one mbox message: a postmark line, the header lines, a
// blank line and the body, ending with a blank line as mbox writers do.
func message(eol, sender string, header []string, body ...string) string {
	s := "From " + sender + " Thu Aug 22 12:36:23 2002" + eol
	for _, h := range header {
		s += h + eol
	}
	s += eol
	for _, b := range body {
		s += b + eol
	}
	return s + eol
}

func writeFile(t *testing.T, path, content string) string {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func appendFile(t *testing.T, path, content string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(content); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// single opens one mbox file holding content; its folder is "box".
func single(t *testing.T, content string) *Mbox {
	t.Helper()
	m, err := Open(writeFile(t, filepath.Join(t.TempDir(), "box"), content))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// scanAll scans a folder and checks that Remaining agrees.
func scanAll(t *testing.T, m *Mbox, folder string, cp source.Checkpoint) []source.Record {
	t.Helper()
	var recs []source.Record
	if err := m.Scan(context.Background(), folder, cp, func(r source.Record) error {
		recs = append(recs, r)
		return nil
	}); err != nil {
		t.Fatalf("Scan: %v", err)
	}
	n, err := m.Remaining(context.Background(), folder, cp)
	if err != nil {
		t.Fatalf("Remaining: %v", err)
	}
	if n != len(recs) {
		t.Errorf("Remaining = %d, Scan emitted %d", n, len(recs))
	}
	return recs
}

// rec is an expected record: the start of its "From " line (found at the
// start of a line; "" for the first line of the file) and its header.
type rec struct {
	from   string
	header string
}

func (r rec) offset(content string) int {
	if r.from == "" {
		return 0
	}
	return strings.Index(content, "\n"+r.from) + 1
}

func TestScanFormats(t *testing.T) {
	a := message("\n", "alice@example.com", []string{"From: Alice <alice@example.com>", "Subject: one"}, "hello", "bye")
	b := message("\n", "bob@example.com", []string{"From: bob@example.com", "To: alice@example.com"}, "body")
	aCRLF := strings.ReplaceAll(a, "\n", "\r\n")
	bCRLF := strings.ReplaceAll(b, "\n", "\r\n")
	hdr := func(msg string) string { // the header section of a message() string
		_, rest, _ := strings.Cut(msg, "\n")
		if i := strings.Index(rest, "\n\n"); i >= 0 {
			return rest[:i+2]
		}
		i := strings.Index(rest, "\r\n\r\n")
		return rest[:i+4]
	}
	tests := []struct {
		name    string
		content string
		want    []rec
	}{
		{"empty file", "", nil},
		{"LF", a + b, []rec{{"", hdr(a)}, {"From bob@", hdr(b)}}},
		{"CRLF", aCRLF + bCRLF, []rec{{"", hdr(aCRLF)}, {"From bob@", hdr(bCRLF)}}},
		{
			"mboxrd escapes are undone in the header",
			"From x@y Thu Aug 22 12:36:23 2002\nX-A: 1\n>From the header\n>>From twice\n>>>Fromage\n\n>From body\n\n" + b,
			[]rec{{"", "X-A: 1\nFrom the header\n>From twice\n>>>Fromage\n\n"}, {"From bob@", hdr(b)}},
		},
		{
			"escaped body lines do not split",
			message("\n", "x@y", []string{"Subject: q"}, ">From bob@example.com Thu Aug 22 12:36:23 2002", "", ">From me", ">>From you") + b,
			[]rec{{"", "Subject: q\n\n"}, {"From bob@", hdr(b)}},
		},
		{
			"mboxo body line after a blank line that is no postmark does not split",
			message("\n", "x@y", []string{"Subject: q"}, "hi", "", "From the desk of the CEO: we meet at noon.", "", "From here on, all is well") + b,
			[]rec{{"", "Subject: q\n\n"}, {"From bob@", hdr(b)}},
		},
		{
			"a postmark-looking body line not after a blank line does not split",
			message("\n", "x@y", []string{"Subject: q"}, "hi", "From bob Thu Aug 22 12:36:23 2002") + b,
			[]rec{{"", "Subject: q\n\n"}, {"From bob@", hdr(b)}},
		},
		{
			"CRLF mboxo body line after a blank line does not split",
			strings.ReplaceAll(message("\n", "x@y", []string{"Subject: q"}, "", "From the desk of the CEO")+b, "\n", "\r\n"),
			[]rec{{"", "Subject: q\r\n\r\n"}, {"From bob@", strings.ReplaceAll(hdr(b), "\n", "\r\n")}},
		},
		{
			"message without a body",
			"From x@y Thu Aug 22 12:36:23 2002\nSubject: no body\n\n" + b,
			[]rec{{"", "Subject: no body\n\n"}, {"From bob@", hdr(b)}},
		},
		{
			"header-only last message without a blank line",
			a + "From x@y Thu Aug 22 12:36:23 2002\nSubject: last\nTo: z@y\n",
			[]rec{{"", hdr(a)}, {"From x@y", "Subject: last\nTo: z@y\n"}},
		},
		{
			"last message without a trailing newline",
			a + "From x@y Thu Aug 22 12:36:23 2002\nSubject: last\n\nno newline",
			[]rec{{"", hdr(a)}, {"From x@y", "Subject: last\n\n"}},
		},
		{
			"last header line without a trailing newline",
			a + "From x@y Thu Aug 22 12:36:23 2002\nSubject: last",
			[]rec{{"", hdr(a)}, {"From x@y", "Subject: last"}},
		},
		{
			"Thunderbird and Apple postmarks",
			"From - Sat Jan 03 20:35:17 2009\nSubject: tb\n\nx\n\nFrom MAILER-DAEMON Fri Jul  8 12:08:34 2011\nSubject: md\n\n" +
				"\nFrom bob@example.com Mon, 1 Jan 2024 10:00 +0100\nSubject: ap\n\n",
			[]rec{{"", "Subject: tb\n\n"}, {"From MAILER-DAEMON", "Subject: md\n\n"}, {"From bob@", "Subject: ap\n\n"}},
		},
		{
			"the first line needs no postmark",
			"From nobody\nSubject: s\n\n",
			[]rec{{"", "Subject: s\n\n"}},
		},
		{
			"text before the first postmark is skipped",
			"garbage\n\n" + a,
			[]rec{{"From alice@", hdr(a)}},
		},
		{
			"folded header lines are kept",
			"From x@y Thu Aug 22 12:36:23 2002\nTo: a@b,\n c@d\nSubject: s\n\nbody\n",
			[]rec{{"", "To: a@b,\n c@d\nSubject: s\n\n"}},
		},
		{
			"a blank line that holds spaces does not end the header",
			"From x@y Thu Aug 22 12:36:23 2002\nA: 1\n \nB: 2\n\nbody\n",
			[]rec{{"", "A: 1\n \nB: 2\n\n"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := single(t, tt.content)
			recs := scanAll(t, m, "box", source.EmptyCheckpoint{})
			if len(recs) != len(tt.want) {
				t.Fatalf("got %d records, want %d:\n%s", len(recs), len(tt.want), dump(recs))
			}
			for i, w := range tt.want {
				r, offset := recs[i], w.offset(tt.content)
				if r.Folder != "box" || r.Location != strconv.Itoa(offset) || string(r.Header) != w.header {
					t.Errorf("record %d = {%s %s %q}, want {box %d %q}", i, r.Folder, r.Location, r.Header, offset, w.header)
				}
				if !strings.HasPrefix(tt.content[offset:], "From ") {
					t.Errorf("record %d: no From line at its offset", i)
				}
				c, ok := parseCursor(r.Cursor)
				if !ok {
					t.Fatalf("record %d: bad cursor %q", i, r.Cursor)
				}
				end := len(tt.content)
				if i+1 < len(tt.want) {
					end = tt.want[i+1].offset(tt.content)
				}
				if c.last != int64(offset) || c.end != int64(end) || c.fromHash != hashLine([]byte(tt.content[offset:])[:strings.IndexByte(tt.content[offset:]+"\n", '\n')]) {
					t.Errorf("record %d: cursor %+v, want last %d end %d", i, c, offset, end)
				}
			}
		})
	}
}

func dump(recs []source.Record) string {
	var b strings.Builder
	for _, r := range recs {
		fmt.Fprintf(&b, "  %s %s %q\n", r.Location, r.Cursor, r.Header)
	}
	return b.String()
}

func TestOpen(t *testing.T) {
	box := message("\n", "a@b", []string{"Subject: s"}, "body")
	tests := []struct {
		name  string
		files map[string]string // relative path -> content
		open  string            // relative path opened ("" for the directory)
		want  []string          // folder names
	}{
		{
			name: "Thunderbird profile directory",
			files: map[string]string{
				"Inbox": box, "Inbox.msf": "// mork", "Sent": box, "Sent.msf": "",
				"Archives": "", "Archives.msf": "", "Archives.sbd/2023": box, "Archives.sbd/2023.msf": "",
				"Archives.sbd/2023.sbd/Q1": box, "filterlog.html": "<html>", "Drafts": "",
			},
			want: []string{"Archives/2023", "Archives/2023/Q1", "Inbox", "Sent"},
		},
		{
			name: "mbox extensions are dropped",
			files: map[string]string{
				"Takeout.mbox": box, "old.MBX": box, "x.mbs": box, "notes.txt": "From: not an mbox\n", "sub/Work.mbox": box,
			},
			want: []string{"Takeout", "old", "sub/Work", "x"},
		},
		{
			name:  "a file not starting with a From line is not a member",
			files: map[string]string{"mail": box, "readme": "Hello\n\n" + box, "short": "From", "empty": ""},
			want:  []string{"mail"},
		},
		{
			name:  "a single file is one folder, whatever its first line",
			files: map[string]string{"Inbox.mbox": "not an mbox\n", "Other": box},
			open:  "Inbox.mbox",
			want:  []string{"Inbox"},
		},
		{
			name:  "a single file without extension",
			files: map[string]string{"Sent": box},
			open:  "Sent",
			want:  []string{"Sent"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			root := t.TempDir()
			for p, c := range tt.files {
				writeFile(t, filepath.Join(root, filepath.FromSlash(p)), c)
			}
			path := filepath.Join(root, filepath.FromSlash(tt.open))
			m, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			if m.URI() != "mbox:"+path {
				t.Errorf("URI = %q", m.URI())
			}
			folders, err := m.Folders(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, f := range folders {
				names = append(names, f.Name)
				if f.Count != -1 || !f.Selectable || f.SpecialUse != source.SpecialUseFromName(f.Name) {
					t.Errorf("folder %+v", f)
				}
			}
			if !slices.Equal(names, tt.want) {
				t.Errorf("folders %q, want %q", names, tt.want)
			}
			for _, n := range names {
				if recs := scanAll(t, m, n, source.EmptyCheckpoint{}); tt.open == "" && len(recs) != 1 {
					t.Errorf("folder %s: %d records", n, len(recs))
				}
			}
			if err := m.Close(); err != nil {
				t.Error(err)
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	root := t.TempDir()
	writeFile(t, filepath.Join(root, "none", "readme.txt"), "Hello\n")
	writeFile(t, filepath.Join(root, "none", "x.msf"), "From x\n")
	if _, err := Open(filepath.Join(root, "none")); err == nil || !strings.Contains(err.Error(), "no mbox file found") {
		t.Errorf("directory without mbox: err = %v", err)
	}
	if _, err := Open(filepath.Join(root, "missing")); err == nil {
		t.Error("missing path: no error")
	}
	m := single(t, message("\n", "a@b", nil))
	ctx := context.Background()
	if err := m.Scan(ctx, "nope", source.EmptyCheckpoint{}, func(source.Record) error { return nil }); err == nil {
		t.Error("Scan of an unknown folder: no error")
	}
	if _, err := m.Remaining(ctx, "nope", source.EmptyCheckpoint{}); err == nil {
		t.Error("Remaining of an unknown folder: no error")
	}
	if err := os.Remove(m.folders["box"]); err != nil {
		t.Fatal(err)
	}
	if err := m.Scan(ctx, "box", source.EmptyCheckpoint{}, func(source.Record) error { return nil }); err == nil {
		t.Error("Scan of a removed file: no error")
	}
	if _, err := m.Remaining(ctx, "box", source.EmptyCheckpoint{}); err == nil {
		t.Error("Remaining of a removed file: no error")
	}
}

func TestScanStops(t *testing.T) {
	var content strings.Builder
	for i := range 10000 {
		content.WriteString(message("\n", fmt.Sprintf("u%d@example.com", i), []string{"Subject: s"}, "body"))
	}
	m := single(t, content.String())
	stop := errors.New("stop")
	n := 0
	err := m.Scan(context.Background(), "box", source.EmptyCheckpoint{}, func(source.Record) error {
		n++
		if n == 3 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 3 {
		t.Errorf("emit error: err = %v after %d records", err, n)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := m.Scan(ctx, "box", source.EmptyCheckpoint{}, func(source.Record) error { return nil }); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Scan: err = %v", err)
	}
	if _, err := m.Remaining(ctx, "box", source.EmptyCheckpoint{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled Remaining: err = %v", err)
	}
}

func numbered(from, to int) string {
	var b strings.Builder
	for i := from; i < to; i++ {
		b.WriteString(message("\n", fmt.Sprintf("user%d@example.com", i), []string{fmt.Sprintf("Message-ID: <%d@x>", i)}, "body"))
	}
	return b.String()
}

func ids(recs []source.Record) []int {
	var out []int
	for _, r := range recs {
		var id int
		if _, err := fmt.Sscanf(string(r.Header), "Message-ID: <%d@x>", &id); err != nil {
			id = -1
		}
		out = append(out, id)
	}
	return out
}

// After part of a file is mined and messages are appended, the cursor
// resumes right after the last committed message.
func TestScanResumesAfterCursor(t *testing.T) {
	path := writeFile(t, filepath.Join(t.TempDir(), "box"), numbered(0, 5))
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	// Mine the first two messages, then stop.
	var mined []source.Record
	stop := errors.New("stop")
	err = m.Scan(context.Background(), "box", source.EmptyCheckpoint{}, func(r source.Record) error {
		if len(mined) == 2 {
			return stop
		}
		mined = append(mined, r)
		return nil
	})
	if !errors.Is(err, stop) {
		t.Fatal(err)
	}
	appendFile(t, path, numbered(5, 8))
	cp := committed(mined)
	recs := scanAll(t, m, "box", cp)
	if got := ids(recs); !slices.Equal(got, []int{2, 3, 4, 5, 6, 7}) {
		t.Fatalf("resumed scan read %v", got)
	}
	full := scanAll(t, m, "box", source.EmptyCheckpoint{})
	if !slices.EqualFunc(recs, full[2:], recordsEqual) {
		t.Errorf("resumed records differ from a full scan:\n%s\nwant\n%s", dump(recs), dump(full[2:]))
	}
	// Everything mined: nothing left, until more mail arrives.
	cp = committed(full)
	if recs := scanAll(t, m, "box", cp); len(recs) != 0 {
		t.Fatalf("nothing new, yet read %v", ids(recs))
	}
	appendFile(t, path, numbered(8, 9))
	if got := ids(scanAll(t, m, "box", cp)); !slices.Equal(got, []int{8}) {
		t.Fatalf("after one more message, read %v", got)
	}
}

func recordsEqual(a, b source.Record) bool {
	return a.Folder == b.Folder && a.Location == b.Location && a.Cursor == b.Cursor && string(a.Header) == string(b.Header)
}

// When the file no longer holds the committed message where the cursor says,
// the cursor is ignored and the whole file is read again (the store
// de-duplicates messages).
func TestScanIgnoresStaleCursor(t *testing.T) {
	orig := numbered(0, 4)
	tests := []struct {
		name    string
		rewrite func(path string) string // returns the new content
		want    []int
	}{
		{
			name:    "first message rewritten",
			rewrite: func(string) string { return strings.Replace(orig, "user0@", "someone.else@", 1) + numbered(4, 5) },
			want:    []int{0, 1, 2, 3, 4},
		},
		{
			name:    "first message deleted",
			rewrite: func(string) string { return numbered(1, 4) },
			want:    []int{1, 2, 3},
		},
		{
			name:    "file truncated",
			rewrite: func(string) string { return numbered(0, 2) },
			want:    []int{0, 1},
		},
		{
			// The previous run committed messages 0-3 at their offsets; after
			// the last one is deleted (compaction) new mail lands at its old
			// offset, which must not pass for a mined message.
			name:    "last message deleted, then new mail",
			rewrite: func(string) string { return numbered(0, 3) + numbered(7, 8) },
			want:    []int{0, 1, 2, 7},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, filepath.Join(t.TempDir(), "box"), orig)
			m, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			cp := committed(scanAll(t, m, "box", source.EmptyCheckpoint{}))
			writeFile(t, path, tt.rewrite(path))
			if got := ids(scanAll(t, m, "box", cp)); !slices.Equal(got, tt.want) {
				t.Errorf("read %v, want %v", got, tt.want)
			}
		})
	}
}

func TestScanIgnoresBadCursor(t *testing.T) {
	content := numbered(0, 3)
	m := single(t, content)
	full := scanAll(t, m, "box", source.EmptyCheckpoint{})
	c, _ := parseCursor(full[0].Cursor)
	tests := []struct {
		name   string
		cursor string
	}{
		{"garbage", "garbage"},
		{"too few parts", "10/0"},
		{"too many parts", full[0].Cursor + "/1"},
		{"not numbers", "a/b/" + c.fromHash},
		{"end before last", fmt.Sprintf("%d/%d/%s", c.last, c.end, c.fromHash)},
		{"negative", "-5/-10/" + c.fromHash},
		{"beyond the end of the file", fmt.Sprintf("%d/0/%s", len(content)+1, c.fromHash)},
		{"wrong hash", fmt.Sprintf("%d/0/0123456789abcdef", c.end)},
		{"last in the middle of a message", fmt.Sprintf("%d/%d/%s", c.end, c.last+1, c.fromHash)},
		{"another message's hash", fmt.Sprintf("%d/%d/%s", c.end, c.last, mustCursor(t, full[1].Cursor).fromHash)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			recs := scanAll(t, m, "box", checkpoint{cursor: tt.cursor})
			if !slices.EqualFunc(recs, full, recordsEqual) {
				t.Errorf("cursor %q: read %v, want a full read", tt.cursor, ids(recs))
			}
		})
	}
}

func mustCursor(t *testing.T, s string) cursor {
	t.Helper()
	c, ok := parseCursor(s)
	if !ok {
		t.Fatalf("bad cursor %q", s)
	}
	return c
}

// A From line longer than what resumeOffset reads back still resumes.
func TestScanResumesAfterLongFromLine(t *testing.T) {
	long := "From " + strings.Repeat("x", 3000) + "@example.com Thu Aug 22 12:36:23 2002\nMessage-ID: <1@x>\n\nbody\n\n"
	path := writeFile(t, filepath.Join(t.TempDir(), "box"), numbered(0, 1)+long)
	m, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	cp := committed(scanAll(t, m, "box", source.EmptyCheckpoint{}))
	appendFile(t, path, numbered(2, 3))
	if got := ids(scanAll(t, m, "box", cp)); !slices.Equal(got, []int{2}) {
		t.Errorf("read %v, want [2]", got)
	}
}

// Header sections are bounded even when a message has no blank line or a
// header line of several megabytes.
func TestScanBoundsHeaders(t *testing.T) {
	longLine := "X-Long: " + strings.Repeat("y", 3<<20) + "\n"
	var many strings.Builder
	for many.Len() < 3<<20 {
		many.WriteString("X-Filler: 0123456789abcdef0123456789abcdef\n")
	}
	tail := numbered(0, 1)
	tests := []struct {
		name, header string
	}{
		{"many header lines", many.String()},
		{"one huge header line", longLine},
		{"a huge header line after a few", "A: 1\nB: 2\n" + longLine},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			content := "From x@y Thu Aug 22 12:36:23 2002\n" + tt.header + "\nbody\n\n" + tail
			recs := scanAll(t, single(t, content), "box", source.EmptyCheckpoint{})
			if len(recs) != 2 {
				t.Fatalf("%d records", len(recs))
			}
			h := recs[0].Header
			if len(h) > source.MaxHeaderBytes+maxLine || len(h) == 0 {
				t.Errorf("header of %d bytes", len(h))
			}
			if !strings.HasPrefix(tt.header, string(h)) {
				t.Errorf("header is not a prefix of the message's")
			}
			if got := ids(recs[1:]); !slices.Equal(got, []int{0}) {
				t.Errorf("next message: %v", got)
			}
		})
	}
}
