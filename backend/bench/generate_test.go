package bench

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"time"

	"leadminer/backend/source"
	"leadminer/backend/source/demo"
)

// demoOwner is the demo mailbox's owner, passed as --me.
var demoOwner = []string{"alex.morgan@northwind-labs.com", "alex.morgan.home@gmail.com"}

var (
	messageIDHeader = regexp.MustCompile(`(?im)^(message-id|in-reply-to|references):.*$`)
	angleID         = regexp.MustCompile(`<([^<>@\s]+)@`)
	addressHeader   = regexp.MustCompile(`(?im)^(from|to|cc|bcc|reply-to):.*(\r?\n[ \t].*)*`)
	localPart       = regexp.MustCompile(`([A-Za-z0-9._%+-]+)@([A-Za-z0-9.-]+\.[A-Za-z]{2,})`)
)

// generateMaildir writes a Maildir of n messages built from the demo
// mailbox: copy k of each message gets its own Message-IDs and its
// correspondents' local parts suffixed with a number that changes every
// 40 messages (one of 100), so the mailbox grows in people as well as in
// messages: 100k messages give some 20k contacts, the size PRODUCT.md
// designs for, with threads and ranking signals kept within each run.
func generateMaildir(dir string, n int) error {
	box := demo.New(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	var templates []source.Record
	folders, _ := box.Folders(context.Background())
	for _, f := range folders {
		_ = box.Scan(context.Background(), f.Name, source.EmptyCheckpoint{}, func(r source.Record) error {
			templates = append(templates, r)
			return nil
		})
	}
	for _, sub := range []string{"cur", "new", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o700); err != nil {
			return err
		}
	}
	body := []byte("\r\nHello,\r\n\r\nThis is a generated message body, a few lines long, as most mail is.\r\n\r\nBest regards\r\n")
	for i := range n {
		t := templates[i%len(templates)]
		k := i / len(templates)
		h := t.Header
		if k > 0 {
			suffix := "." + strconv.Itoa(k)
			h = messageIDHeader.ReplaceAllFunc(h, func(line []byte) []byte {
				return angleID.ReplaceAll(line, []byte("<${1}"+suffix+"@"))
			})
			tag := []byte("${1}." + strconv.Itoa((i/40)%100) + "@${2}")
			h = addressHeader.ReplaceAllFunc(h, func(field []byte) []byte {
				return localPart.ReplaceAllFunc(field, func(addr []byte) []byte {
					if bytes.HasPrefix(addr, []byte("alex.morgan")) {
						return addr
					}
					return localPart.ReplaceAll(addr, tag)
				})
			})
		}
		msg := append(bytes.TrimRight(h, "\r\n"), "\r\n"...)
		msg = append(msg, body...)
		name := fmt.Sprintf("%d.M%dP1.bench:2,S", 1700000000+i, i)
		if err := os.WriteFile(filepath.Join(dir, "cur", name), msg, 0o600); err != nil {
			return err
		}
	}
	return nil
}
