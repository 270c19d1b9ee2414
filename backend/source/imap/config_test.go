package imap

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	tests := []struct {
		uri  string
		want Config
	}{
		{"imap://alice@example.com@imap.example.com", Config{Host: "imap.example.com", Port: 993, Security: Implicit, Username: "alice@example.com"}},
		{"imap://alice@example.com@imap.example.com:993", Config{Host: "imap.example.com", Port: 993, Security: Implicit, Username: "alice@example.com"}},
		{"imap://bob@mail.example.org:143", Config{Host: "mail.example.org", Port: 143, Security: StartTLS, Username: "bob"}},
		{"imap://bob@mail.example.org?tls=starttls", Config{Host: "mail.example.org", Port: 143, Security: StartTLS, Username: "bob"}},
		{"imap://bob@127.0.0.1:10143?tls=none", Config{Host: "127.0.0.1", Port: 10143, Security: None, Username: "bob"}},
		{"imap://bob@[::1]:10993?tls=implicit", Config{Host: "::1", Port: 10993, Security: Implicit, Username: "bob"}},
		{"imap://a%40b.c@h.example:993?tls=implicit&pin=sha256:ab", Config{Host: "h.example", Port: 993, Security: Implicit, Username: "a@b.c", TrustedCert: "sha256:ab"}},
	}
	for _, tt := range tests {
		got, err := ParseURI(tt.uri)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParseURI(%q) = %+v, %v; want %+v", tt.uri, got, err, tt.want)
		}
	}
}

func TestParseURIErrorsNeverShowThePassword(t *testing.T) {
	for _, uri := range []string{
		"imap://alice:hunter2@imap.example.com",
		"imap://alice:hunter2@imap.example.com:99999",
		"imap://alice:hunter2@imap.example.com:%zz",
		"imap://alice:hunter2@imap.example.com?tls=bogus",
		"pop3://alice:hunter2@mail.example.com",
	} {
		_, err := ParseURI(uri)
		if err == nil {
			t.Errorf("ParseURI(%q) accepted it", uri)
			continue
		}
		if strings.Contains(err.Error(), "hunter2") {
			t.Errorf("error for %q shows the password: %v", uri, err)
		}
	}
}

func TestURIRoundTrips(t *testing.T) {
	for _, uri := range []string{"imap://alice@example.com@imap.example.com:993?tls=implicit", "imap://bob@127.0.0.1:143?tls=none"} {
		c, err := ParseURI(uri)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := ParseURI(c.URI())
		if !reflect.DeepEqual(again, c) {
			t.Errorf("%q -> %q -> %+v, want %+v", uri, c.URI(), again, c)
		}
	}
}

func TestParseURIRefusesAHostThatIsNeitherANameNorAnAddress(t *testing.T) {
	for _, uri := range []string{"imap://u@::", "imap://u@bad_host!:993", "imap://u@-dash.example", "imap://u@a..b"} {
		if c, err := ParseURI(uri); err == nil {
			t.Errorf("ParseURI(%q) accepted host %q", uri, c.Host)
		}
	}
	for _, uri := range []string{"imap://u@Mail.Example.COM", "imap://u@[::1]:1143?tls=none", "imap://u@192.0.2.7"} {
		if _, err := ParseURI(uri); err != nil {
			t.Errorf("ParseURI(%q): %v", uri, err)
		}
	}
}
