package extract

import (
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// Seeds live in testdata/fuzz/<Name>/: the hosted product's test inputs, the
// hard cases of address_test.go, and every crasher found so far.

func FuzzParseAddressList(f *testing.F) {
	f.Add("John Doe <john@example.com>, jane@example.com", "")
	f.Fuzz(func(t *testing.T, value, hint string) {
		out := ParseAddressList(value, hint)
		if n := strings.Count(value, "@"); len(out) > n {
			t.Fatalf("%d addresses from a value with %d '@': %+v", len(out), n, out)
		}
		for _, a := range out {
			checkAddress(t, a)
		}
	})
}

// me is the extractor's own address in FuzzExtract; seeds use it.
const fuzzMe = "me@example.com"

func FuzzExtract(f *testing.F) {
	f.Add([]byte("From: a@example.com\r\nTo: me@example.com\r\nMessage-ID: <x@y>\r\n\r\n"))
	now := time.Date(2024, 6, 1, 12, 0, 0, 0, time.UTC)
	x := NewExtractor([]string{fuzzMe})
	x.now = func() time.Time { return now }
	f.Fuzz(func(t *testing.T, raw []byte) {
		m := x.Extract(raw)
		if !strings.HasPrefix(m.Key, "mid:") && !strings.HasPrefix(m.Key, "hash:") {
			t.Fatalf("Key %q has no mid:/hash: prefix", m.Key)
		}
		if m.Key == "mid:" || m.Key == "hash:" {
			t.Fatalf("empty Key %q", m.Key)
		}
		if (m.MessageID != "") != strings.HasPrefix(m.Key, "mid:") {
			t.Fatalf("MessageID %q but Key %q", m.MessageID, m.Key)
		}
		again := x.Extract(raw)
		if again.Key != m.Key || !reflect.DeepEqual(again.Occurrences, m.Occurrences) ||
			!again.Date.Equal(m.Date) || again.ListID != m.ListID || again.Conversation != m.Conversation ||
			again.FromMe != m.FromMe || again.ToMe != m.ToMe {
			t.Fatalf("Extract is not deterministic:\n%+v\n%+v", m, again)
		}
		if !m.Date.IsZero() && (m.Date.After(now.Add(48*time.Hour)) || m.Date.Year() < 1980) {
			t.Fatalf("implausible Date kept: %v", m.Date)
		}
		seen := map[occKey]bool{}
		for _, o := range m.Occurrences {
			if o.Address.Email == fuzzMe || x.IsMe(o.Address.Email) {
				t.Fatalf("own address reported: %+v", o)
			}
			if o.Field < FieldFrom || o.Field > FieldListPost {
				t.Fatalf("bad field %d", o.Field)
			}
			k := occKey{o.Address.Email, o.Field}
			if seen[k] {
				t.Fatalf("two occurrences of %s in %v", k.email, k.field)
			}
			seen[k] = true
			checkAddress(t, o.Address)
		}
	})
}

// checkAddress asserts the invariants of a parsed address.
func checkAddress(t *testing.T, a Address) {
	t.Helper()
	e := a.Email
	if email, plus, ok := NormalizeAddress(e); !ok || email != e || plus != "" {
		t.Fatalf("Email %q does not normalise to itself: %q, %q, %v", e, email, plus, ok)
	}
	if !utf8.ValidString(e) || strings.ToLower(e) != e {
		t.Fatalf("Email %q is not lower-case UTF-8", e)
	}
	at := strings.LastIndexByte(e, '@')
	if at <= 0 {
		t.Fatalf("Email %q has no local part", e)
	}
	local, domain := e[:at], e[at+1:]
	quoted := len(local) >= 2 && local[0] == '"' && local[len(local)-1] == '"'
	if !quoted && strings.ContainsFunc(local, func(r rune) bool { return r == '@' || r == '"' || unicode.IsSpace(r) }) {
		t.Fatalf("Email %q: bad unquoted local part", e)
	}
	if domain == "" || strings.ContainsFunc(domain, func(r rune) bool { return r == '@' || unicode.IsSpace(r) }) {
		t.Fatalf("Email %q: bad domain", e)
	}
	if a.Plus != "" {
		email, plus, ok := NormalizeAddress(a.Plus)
		if !ok || email != e || plus != a.Plus {
			t.Fatalf("Plus %q normalises to %q, %q, %v; want %q", a.Plus, email, plus, ok, e)
		}
	}
	n := a.Name
	if !utf8.ValidString(n) {
		t.Fatalf("Name %q is not UTF-8", n)
	}
	if strings.ContainsFunc(n, unicode.IsControl) {
		t.Fatalf("Name %q has a control character", n)
	}
	if strings.TrimSpace(n) != n {
		t.Fatalf("Name %q has surrounding space", n)
	}
}
