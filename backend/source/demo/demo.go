// Package demo is a built-in, generated mailbox: the professional mail of
// Alex Morgan, founder of Northwind Labs, a small consultancy, over three
// years. It lets `leadminer mine --source demo` and the desktop app's "try the
// demo" show the product without an account, and gives the extractor and
// classifier one mailbox holding every case they must handle.
//
// Everything but the dates is fixed by a seed: the same messages and
// addresses come out whatever `now` is. Cases the tests of other packages can
// rely on:
//
//   - Owner: alex.morgan@northwind-labs.com and alex.morgan.home@gmail.com
//     (OwnAddresses), plus alex.morgan+news@northwind-labs.com as the To of a
//     newsletter, which is the owner once the tag is stripped. Sent holds both
//     addresses in From, a few without a display name.
//   - Threads with Re:/RE:/AW:/RE :/Aw:/回复： prefixes, In-Reply-To and
//     References, reply-all Cc, Bcc on three Sent messages; Jordan Reyes,
//     François Dupré and Nina Patel lead the people the owner writes to; cold
//     senders (colds in data.go) write and are never answered; prospects are
//     written to and never answer.
//   - Names: RFC 2047 in UTF-8 B and Q, ISO-8859-1, windows-1252, KOI8-R,
//     ISO-2022-JP and GB2312, a name split over two encoded-words, raw Latin-1
//     (Renée Lefèvre, Jürgen Baumann, charset=iso-8859-1), raw UTF-8 (Arabic,
//     Greek), "Dupont, Marie", a name equal to the address, a comment-form
//     address, a bare address, "Olivia Vialet", "Sam Lee (via Google Drive)",
//     "Priya Raman via LinkedIn", "<name> via dev-discuss" list rewrites.
//   - Plus-addresses used next to the plain one: Nina Patel, Ed Harris, Carla
//     Mendes, Katrin Vogel; list members subscribed as name+lists@.
//   - Newsletters (Mailchimp, SendGrid, Substack, phpList headers) and
//     no-reply, notification, receipt, bounce and out-of-office mail; the
//     dev-discuss list with List-Id, List-Post and Precedence: list.
//   - Malformed fields: a To missing a comma, j..smith@yahoo.co.uk, a
//     "<mailto:...>" Cc, Undisclosed-Recipients:; groups.
//   - 40 messages in both INBOX and Archive with the same header, the owner's
//     list posts in both Sent and the list folder, 10 messages without
//     Message-ID (cron reports, an old Eudora).
package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"leadminer/backend/source"
)

// ErrNoFolder is returned by Scan for a folder the demo mailbox lacks.
var ErrNoFolder = errors.New("demo: no such folder")

var (
	_ source.Source = (*Mailbox)(nil)
	_ source.Owned  = (*Mailbox)(nil)
)

// corpus is the planned mailbox. It does not depend on `now`, so one copy is
// built per process and shared read-only by every Mailbox.
type corpus struct {
	d       *directory
	msgs    []message
	folders [nFolders][]int32 // message indices, oldest first
}

var shared = sync.OnceValue(func() *corpus {
	d := buildDirectory()
	c := &corpus{d: d, msgs: buildPlan(d)}
	for i, m := range c.msgs {
		c.folders[m.folder] = append(c.folders[m.folder], int32(i))
		if m.also != fInbox {
			c.folders[m.also] = append(c.folders[m.also], int32(i))
		}
	}
	for f := range c.folders {
		slices.SortStableFunc(c.folders[f], func(a, b int32) int {
			return int(c.msgs[b].offset) - int(c.msgs[a].offset)
		})
	}
	return c
})

// Mailbox is the demo mailbox as a source.Source.
type Mailbox struct {
	now time.Time
	c   *corpus
}

// New returns the demo mailbox with its dates spread over the three years
// before now.
func New(now time.Time) *Mailbox {
	return &Mailbox{now: now.Truncate(time.Second), c: shared()}
}

// URI identifies the demo source; checkpoints are kept under it.
func (m *Mailbox) URI() string { return "demo:" }

// Folders lists the folders with their message counts.
func (m *Mailbox) Folders(ctx context.Context) ([]source.Folder, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	out := make([]source.Folder, 0, nFolders)
	for f, info := range folderInfo {
		out = append(out, source.Folder{Name: info.name, Count: len(m.c.folders[f]), SpecialUse: info.use, Selectable: true})
	}
	return out, nil
}

// Scan emits the folder's messages oldest first. Locations are sequence
// numbers within the folder ("000042"), stable across runs and across `now`.
func (m *Mailbox) Scan(ctx context.Context, folder string, cp source.Checkpoint, emit func(source.Record) error) error {
	f, ok := folderByName(folder)
	if !ok {
		return fmt.Errorf("%w: %q", ErrNoFolder, folder)
	}
	if cp == nil {
		cp = source.EmptyCheckpoint{}
	}
	for seq, i := range m.c.folders[f] {
		if err := ctx.Err(); err != nil {
			return err
		}
		loc := location(seq)
		if cp.Known(loc) {
			continue
		}
		rec := source.Record{Folder: folderInfo[f].name, Location: loc, Header: m.c.render(m.now, i, f)}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

func location(seq int) string {
	s := strconv.Itoa(seq + 1)
	return strings.Repeat("0", max(0, 6-len(s))) + s
}

// folderByName accepts the folder names of Folders, INBOX in any case as
// IMAP does.
func folderByName(name string) (folderID, bool) {
	for f, info := range folderInfo {
		if name == info.name || f == int(fInbox) && strings.EqualFold(name, info.name) {
			return folderID(f), true
		}
	}
	return 0, false
}

// Close releases nothing: the corpus is shared and read-only.
func (m *Mailbox) Close() error { return nil }

// OwnAddresses are the owner's work and personal addresses. The owner also
// receives newsletters at a plus-address of the work one, which mining must
// recognise as the owner by itself.
func (m *Mailbox) OwnAddresses() []string { return []string{ownerWork, ownerHome} }

// Messages is the number of records all folders hold, copies included.
func (m *Mailbox) Messages() int {
	n := 0
	for _, f := range m.c.folders {
		n += len(f)
	}
	return n
}
