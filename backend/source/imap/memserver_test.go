package imap_test

import (
	"bytes"
	"context"
	"net"
	"testing"

	goimap "github.com/emersion/go-imap/v2"
	"github.com/emersion/go-imap/v2/imapserver"
	"github.com/emersion/go-imap/v2/imapserver/imapmemserver"

	"leadminer/backend/source/imap"
)

// refusingSession answers NO to any FETCH that includes one UID, as a
// server does for a message it cannot parse; Dovecot cannot be made to.
type refusingSession struct {
	imapserver.Session
	bad goimap.UID
}

func (s *refusingSession) Fetch(w *imapserver.FetchWriter, numSet goimap.NumSet, options *goimap.FetchOptions) error {
	if set, ok := numSet.(goimap.UIDSet); ok && set.Contains(s.bad) {
		return &goimap.Error{Type: goimap.StatusResponseTypeNo, Text: "Cannot read message (corrupted)"}
	}
	return s.Session.Fetch(w, numSet, options)
}

// startMemServer serves messages in INBOX from go-imap's in-memory server,
// refusing to FETCH any chunk that contains UID bad.
func startMemServer(t testing.TB, messages [][]byte, bad goimap.UID) int {
	t.Helper()
	mem := imapmemserver.New()
	user := imapmemserver.NewUser(login, password)
	user.Create("INBOX", nil)
	for _, m := range messages {
		if _, err := user.Append("INBOX", literal(m), &goimap.AppendOptions{}); err != nil {
			t.Fatal(err)
		}
	}
	mem.AddUser(user)
	srv := imapserver.New(&imapserver.Options{
		NewSession: func(*imapserver.Conn) (imapserver.Session, *imapserver.GreetingData, error) {
			return &refusingSession{Session: mem.NewSession(), bad: bad}, nil, nil
		},
		Caps:         goimap.CapSet{goimap.CapIMAP4rev1: {}},
		InsecureAuth: true,
	})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(l)
	t.Cleanup(func() { srv.Close() })
	return l.Addr().(*net.TCPAddr).Port
}

type literalReader struct {
	*bytes.Reader
}

func (l literalReader) Size() int64 { return int64(l.Len()) }

func literal(b []byte) goimap.LiteralReader { return literalReader{bytes.NewReader(b)} }

func TestRefusedChunkIsSplitUntilOnlyTheBadMessageIsSkipped(t *testing.T) {
	var msgs [][]byte
	for i := range 40 {
		msgs = append(msgs, []byte("From: Person <p"+string(rune('a'+i%26))+"@acme.example>\r\nTo: "+login+
			"\r\nMessage-ID: <m"+string(rune('A'+i))+"@acme.example>\r\nSubject: hi\r\n\r\nbody\r\n"))
	}
	port := startMemServer(t, msgs, 17)
	cfg := imap.Config{Host: "127.0.0.1", Port: port, Security: imap.None, Username: login, Password: password, ChunkSize: 16, Connections: 2}
	st := openStore(t)
	sum := mine(t, st, openIMAP(t, cfg))
	if sum.Skipped != 1 {
		t.Errorf("skipped %d messages, want exactly the refused one", sum.Skipped)
	}
	if sum.Messages != 40 || sum.NewMessages != 39 {
		t.Errorf("messages %d (new %d), want 40 read and 39 stored", sum.Messages, sum.NewMessages)
	}
	runs, _ := st.Runs(context.Background(), 1)
	if runs[0].Skipped != 1 {
		t.Errorf("the run records %d skipped, want 1", runs[0].Skipped)
	}
	// The next run does not trip on it again.
	again := mine(t, st, openIMAP(t, cfg))
	if again.Messages != 0 || again.Skipped != 0 {
		t.Errorf("second run read %d and skipped %d, want 0 and 0", again.Messages, again.Skipped)
	}
}
