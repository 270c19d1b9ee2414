// Package source defines what every mail source yields: the raw header section
// of each message, with where it was found, so that IMAP, Maildir, mbox and .eml
// folders all feed the same extraction.
package source

import (
	"context"
	"errors"
)

// Record is one message as a source delivers it.
type Record struct {
	// Folder is the folder path as the user sees it ("INBOX", "Sent", "Archive/2023").
	Folder string
	// Location identifies the message inside its folder: a Maildir unique name,
	// an mbox byte offset, an .eml path, an IMAP UID. Stable across runs.
	Location string
	// Cursor, when set, is the folder's resume point once this record and every
	// record before it are committed (an mbox offset, an IMAP UID).
	Cursor string
	// Header is the raw RFC 5322 header section (no body).
	Header []byte
	// Problem, when set, says why the source could not read this message
	// (Header is then empty): it is skipped, counted and reported.
	Problem string
}

// Folder describes one folder of a source.
type Folder struct {
	Name string `json:"name"`
	// Count is the number of messages, or -1 when unknown.
	Count int `json:"count"`
	// SpecialUse is an RFC 6154 attribute ("\\Sent", "\\Junk"...) when known.
	SpecialUse string `json:"special_use,omitempty"`
	// Selectable is false for folders that only hold other folders.
	Selectable bool `json:"selectable"`
	// Delimiter separates the levels of Name when it is not "/" (an IMAP
	// server's hierarchy separator, often "."); empty means "/".
	Delimiter string `json:"delimiter,omitempty"`
}

// Checkpoint tells a source what an earlier run already committed for a folder.
type Checkpoint interface {
	// Cursor is the last committed Record.Cursor of the folder ("" when none).
	Cursor() string
	// Known reports whether a location was already mined.
	Known(location string) bool
}

// Source is anything that can list folders and stream their message headers.
type Source interface {
	// URI identifies the source; checkpoints are kept per URI and folder.
	URI() string
	Folders(ctx context.Context) ([]Folder, error)
	// Scan calls emit for every message of the folder the checkpoint does not
	// cover, in a stable order. It stops at the first error emit returns.
	Scan(ctx context.Context, folder string, cp Checkpoint, emit func(Record) error) error
	Close() error
}

// Owned is implemented by sources that know their owner's addresses (an IMAP
// login, the demo mailbox); those addresses are never contacts.
type Owned interface {
	OwnAddresses() []string
}

// ErrUnsupported is returned for a source URI scheme this build cannot open.
var ErrUnsupported = errors.New("unsupported source")

// EmptyCheckpoint covers nothing: every message is new.
type EmptyCheckpoint struct{}

func (EmptyCheckpoint) Cursor() string    { return "" }
func (EmptyCheckpoint) Known(string) bool { return false }
