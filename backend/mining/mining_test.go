package mining

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"leadminer/backend/contact"
	"leadminer/backend/contacts"
	"leadminer/backend/source"
	"leadminer/backend/source/maildir"
	"leadminer/backend/source/mbox"
	"leadminer/backend/store"
)

// fixture is a small mailbox: folder -> raw messages.
type fixture map[string][]string

func msg(id, date, from, to, extra string) string {
	h := "Date: " + date + "\r\nFrom: " + from + "\r\nTo: " + to + "\r\nSubject: test " + id + "\r\n"
	if id != "" {
		h += "Message-ID: <" + id + "@example.test>\r\n"
	}
	return h + extra + "\r\nBody of " + id + "\r\nFrom the desk of nobody\r\n"
}

var me = "alex@northwind.test"

var smallMailbox = fixture{
	"INBOX": {
		msg("m1", "Mon, 2 Jan 2023 10:00:00 +0000", "Bob Stone <bob@acme.test>", me, ""),
		msg("m2", "Tue, 3 Jan 2023 10:00:00 +0000", "Bob Stone <bob+work@acme.test>", me+", Carol <carol@acme.test>", "References: <m1@example.test>\r\n"),
		msg("m3", "Wed, 4 Jan 2023 10:00:00 +0000", "News <news@letters.test>", me, "List-Unsubscribe: <mailto:u@letters.test>\r\n"),
		msg("m4", "Thu, 5 Jan 2023 10:00:00 +0000", "noreply@service.test", me, ""),
		msg("", "Fri, 6 Jan 2023 10:00:00 +0000", "Dana <dana@gmail.com>", me, ""),
	},
	"Archive": {
		// The same message as m1, filed twice: counted once.
		msg("m1", "Mon, 2 Jan 2023 10:00:00 +0000", "Bob Stone <bob@acme.test>", me, ""),
		msg("m5", "Sat, 7 Jan 2023 10:00:00 +0000", "Robert Stone <bob@acme.test>", me, ""),
	},
	"Sent": {
		msg("m6", "Sun, 8 Jan 2023 10:00:00 +0000", "Alex <"+me+">", "Bob <bob@acme.test>", "In-Reply-To: <m5@example.test>\r\nBcc: eve@hidden.test\r\n"),
	},
	"Drafts": {
		msg("m7", "Sun, 8 Jan 2023 11:00:00 +0000", "Alex <"+me+">", "draft-only@acme.test", ""),
	},
}

// writeMaildir lays a fixture out as a Maildir++ tree.
func writeMaildir(t testing.TB, f fixture) string {
	t.Helper()
	root := t.TempDir()
	for folder, msgs := range f {
		dir := root
		if folder != "INBOX" {
			dir = filepath.Join(root, "."+strings.ReplaceAll(folder, "/", "."))
		}
		for _, sub := range []string{"cur", "new", "tmp"} {
			if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
				t.Fatal(err)
			}
		}
		for i, m := range msgs {
			name := fmt.Sprintf("%010d.%d.host:2,S", 1700000000+i, i)
			if err := os.WriteFile(filepath.Join(dir, "cur", name), []byte(m), 0o600); err != nil {
				t.Fatal(err)
			}
		}
	}
	return root
}

// writeMbox writes a fixture as one mbox file per folder, mboxrd-escaped.
func writeMbox(t testing.TB, f fixture) string {
	t.Helper()
	root := t.TempDir()
	for folder, msgs := range f {
		var b strings.Builder
		for _, m := range msgs {
			b.WriteString("From MAILER-DAEMON Thu Aug 22 12:36:23 2002\n")
			for _, line := range strings.SplitAfter(strings.ReplaceAll(m, "\r\n", "\n"), "\n") {
				if strings.HasPrefix(strings.TrimLeft(line, ">"), "From ") {
					b.WriteString(">")
				}
				b.WriteString(line)
			}
			b.WriteString("\n")
		}
		if err := os.WriteFile(filepath.Join(root, folder), []byte(b.String()), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func openStore(t testing.TB) *store.Store {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func mine(t testing.TB, st *store.Store, src source.Source, folders ...string) Summary {
	t.Helper()
	sum, err := New(st, nil).Run(context.Background(), Request{Source: src, Me: []string{me}, Folders: folders}, nil)
	if err != nil {
		t.Fatalf("mining %s: %v", src.URI(), err)
	}
	return sum
}

func allContacts(t testing.TB, st *store.Store) map[string]contact.Contact {
	t.Helper()
	out := map[string]contact.Contact{}
	err := contacts.New(st).List(context.Background(), store.Query{All: true}, func(c contact.Contact) error {
		c.ID, c.Sources = 0, nil // differ between stores and sources by design
		out[c.Email] = c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestMiningAMaildir(t *testing.T) {
	st := openStore(t)
	src, err := maildir.Open(writeMaildir(t, smallMailbox))
	if err != nil {
		t.Fatal(err)
	}
	sum := mine(t, st, src)
	if want := []string{"Archive", "INBOX", "Sent"}; !reflect.DeepEqual(sum.Folders, want) {
		t.Errorf("default folders = %v, want %v (drafts are never mined)", sum.Folders, want)
	}
	if sum.Messages != 8 || sum.NewMessages != 7 || sum.Duplicates != 1 {
		t.Errorf("messages = %d, new = %d, duplicates = %d; want 8, 7, 1", sum.Messages, sum.NewMessages, sum.Duplicates)
	}
	got := allContacts(t, st)
	if _, ok := got[me]; ok {
		t.Error("the user's own address became a contact")
	}
	if _, ok := got["draft-only@acme.test"]; ok {
		t.Error("a draft's recipient became a contact")
	}
	bob := got["bob@acme.test"]
	if bob.Occurrence != 4 || bob.Sender != 3 || bob.Recipient != 1 {
		t.Errorf("bob: occurrence %d sender %d recipient %d; want 4, 3, 1", bob.Occurrence, bob.Sender, bob.Recipient)
	}
	if bob.Name != "Bob Stone" || !slices.Equal(bob.AlternateNames, []string{"Bob", "Robert Stone"}) {
		t.Errorf("bob: name %q alternates %v", bob.Name, bob.AlternateNames)
	}
	if !slices.Equal(bob.AlternateEmails, []string{"bob+work@acme.test"}) {
		t.Errorf("bob: alternate emails %v", bob.AlternateEmails)
	}
	// m2 (his reply) and m6 (the user's answer) are thread messages; he sent one.
	if bob.Conversations != 2 || bob.RepliedConversations != 1 {
		t.Errorf("bob: conversations %d replied %d; want 2, 1", bob.Conversations, bob.RepliedConversations)
	}
	if eve, ok := got["eve@hidden.test"]; !ok || eve.Recipient != 1 {
		t.Errorf("the Bcc of a sent message must be a contact: %+v", eve)
	}
	for email, wantTags := range map[string][]string{
		"news@letters.test":    {"professional", "newsletter"},
		"noreply@service.test": {"no-reply"},
		"dana@gmail.com":       {"personal"},
		"carol@acme.test":      {"professional"},
	} {
		if c := got[email]; !sameSet(c.Tags, wantTags) {
			t.Errorf("%s: tags %v, want %v", email, c.Tags, wantTags)
		}
	}
	// Default list: people only, the one the user wrote to first.
	var visible []string
	contacts.New(st).List(context.Background(), store.Query{}, func(c contact.Contact) error {
		visible = append(visible, c.Email)
		return nil
	})
	if len(visible) == 0 || visible[0] != "bob@acme.test" {
		t.Errorf("ranked list %v: bob, whom the user wrote to, should be first", visible)
	}
	for _, hidden := range []string{"news@letters.test", "noreply@service.test"} {
		if slices.Contains(visible, hidden) {
			t.Errorf("%s should be hidden by default", hidden)
		}
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestMiningAgainAddsNothing(t *testing.T) {
	st := openStore(t)
	root := writeMaildir(t, smallMailbox)
	src, _ := maildir.Open(root)
	mine(t, st, src)
	before := allContacts(t, st)
	again := mine(t, st, src)
	if again.Messages != 0 || again.NewContacts != 0 {
		t.Errorf("second run read %d messages and added %d contacts; want 0 and 0", again.Messages, again.NewContacts)
	}
	if after := allContacts(t, st); !reflect.DeepEqual(before, after) {
		t.Error("contacts changed after mining the same mailbox again")
	}
}

func TestMaildirAndMboxGiveTheSameContacts(t *testing.T) {
	fromMaildir, fromMbox := openStore(t), openStore(t)
	md, _ := maildir.Open(writeMaildir(t, smallMailbox))
	mb, err := mbox.Open(writeMbox(t, smallMailbox))
	if err != nil {
		t.Fatal(err)
	}
	mine(t, fromMaildir, md, "INBOX", "Archive", "Sent")
	mine(t, fromMbox, mb, "INBOX", "Archive", "Sent")
	a, b := allContacts(t, fromMaildir), allContacts(t, fromMbox)
	if !reflect.DeepEqual(a, b) {
		t.Errorf("maildir and mbox results differ:\nmaildir %v\nmbox    %v", a, b)
	}
}

// failingSource wraps a source and fails after n records, like a process
// killed mid-run: what was committed stays, the rest is lost.
type failingSource struct {
	source.Source
	n int
}

var errKilled = errors.New("killed")

func (f *failingSource) Scan(ctx context.Context, folder string, cp source.Checkpoint, emit func(source.Record) error) error {
	return f.Source.Scan(ctx, folder, cp, func(r source.Record) error {
		if f.n == 0 {
			return errKilled
		}
		f.n--
		return emit(r)
	})
}

func TestInterruptedRunsResumeToTheSameResult(t *testing.T) {
	big := fixture{}
	for i := range 60 {
		folder := []string{"INBOX", "Archive"}[i%2]
		big[folder] = append(big[folder], msg(fmt.Sprintf("x%d", i), fmt.Sprintf("Mon, 2 Jan 2023 10:%02d:00 +0000", i),
			fmt.Sprintf("Person %d <p%d@acme.test>", i%7, i%7), fmt.Sprintf("p%d@acme.test, %s", (i+1)%7, me), ""))
	}
	reference := openStore(t)
	root := writeMaildir(t, big)
	md, _ := maildir.Open(root)
	mine(t, reference, md)
	want := allContacts(t, reference)

	for _, kind := range []string{"maildir", "mbox"} {
		t.Run(kind, func(t *testing.T) {
			st := openStore(t)
			var src source.Source
			if kind == "maildir" {
				src, _ = maildir.Open(root)
			} else {
				src, _ = mbox.Open(writeMbox(t, big))
			}
			engine := New(st, nil)
			engine.BatchSize = 7
			for _, n := range []int{5, 0, 13, 22} {
				_, err := engine.Run(context.Background(), Request{Source: &failingSource{src, n}, Me: []string{me}}, nil)
				if !errors.Is(err, errKilled) {
					t.Fatalf("expected the simulated kill, got %v", err)
				}
			}
			sum := mine(t, st, src)
			if sum.Messages == 0 {
				t.Error("resume found nothing left to mine")
			}
			if got := allContacts(t, st); !reflect.DeepEqual(got, want) {
				t.Errorf("after interruptions the contacts differ from an uninterrupted run:\n got %v\nwant %v", got, want)
			}
		})
	}
}

func TestCancelKeepsWhatWasMined(t *testing.T) {
	st := openStore(t)
	md, _ := maildir.Open(writeMaildir(t, smallMailbox))
	ctx, cancel := context.WithCancel(context.Background())
	engine := New(st, nil)
	engine.BatchSize = 1
	seen := 0
	sum, err := engine.Run(ctx, Request{Source: md, Me: []string{me}}, func(p Progress) {
		if p.Phase == PhaseMining && p.Done >= 2 && seen == 0 {
			seen = p.Done
			cancel()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if !sum.Canceled {
		t.Fatal("run not reported as cancelled")
	}
	counts, _ := st.Count(context.Background())
	if counts.Messages == 0 {
		t.Error("cancel lost the messages mined before it")
	}
	runs, _ := st.Runs(context.Background(), 1)
	if runs[0].Status != store.RunCanceled {
		t.Errorf("run status %q, want canceled", runs[0].Status)
	}
}

func TestUnknownFolderSaysWhichExist(t *testing.T) {
	st := openStore(t)
	md, _ := maildir.Open(writeMaildir(t, smallMailbox))
	_, err := New(st, nil).Run(context.Background(), Request{Source: md, Folders: []string{"Nope"}}, nil)
	if !errors.Is(err, ErrUnknownFolder) || !strings.Contains(err.Error(), "INBOX") {
		t.Errorf("error %v should name the available folders", err)
	}
}
