package imap

import (
	"net/url"
	"strings"
	"testing"
)

// An IMAP address comes from the user, a saved account or the command line:
// whatever it is, parsing never panics, never repeats a password in its
// error, and what it accepts reads back the same from the URI it gives.
func FuzzParseURI(f *testing.F) {
	for _, seed := range []string{
		"imap://alice@example.com@imap.example.com:993?tls=implicit",
		"imap://bob@mail.example.org:143?tls=starttls",
		"imap://carol@127.0.0.1:1143?tls=none",
		"imaps://dan@[::1]:993",
		"imap://eve:hunter22@mail.example.com",
		"imap://%zz@host",
		"imap://user@host:99999",
		"imap://user@host?tls=bogus&pin=sha256:00",
		"pop3://x@y",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, uri string) {
		c, err := ParseURI(uri)
		if err != nil {
			if u, perr := url.Parse(uri); perr == nil && u.User != nil {
				if pw, ok := u.User.Password(); ok && len(pw) >= 6 && strings.Contains(err.Error(), pw) {
					t.Fatalf("the error repeats the password: %v", err)
				}
			}
			return
		}
		again, err := ParseURI(c.URI())
		if err != nil {
			t.Fatalf("%q parsed to %+v, whose URI %q does not parse: %v", uri, c, c.URI(), err)
		}
		if again.Username != c.Username || again.Host != c.Host || again.Port != c.Port || again.Security != c.Security {
			t.Fatalf("%q: %+v reads back from %q as %+v", uri, c, c.URI(), again)
		}
	})
}
