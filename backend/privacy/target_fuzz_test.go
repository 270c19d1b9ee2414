package privacy_test

import (
	"testing"

	"leadminer/backend/privacy"
)

// Do Not Mine Me entries come from people and from imported lists: a
// target is parsed without panicking, and its normalised form parses to
// itself, so one request is one suppression whatever its spelling.
func FuzzParseTarget(f *testing.F) {
	for _, seed := range []string{"ada@example.com", " Ada+news@Example.COM ", "@example.org", "@", "@@x", "mailto:x@y.z", "\"a b\"@x.io", "ünï@exämple.de"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		target, err := privacy.ParseTarget(s)
		if err != nil {
			return
		}
		form := target.Address
		if target.Domain != "" {
			form = "@" + target.Domain
		}
		again, err := privacy.ParseTarget(form)
		if err != nil || again != target {
			t.Fatalf("%q normalised to %q, which parses to %+v, %v", s, form, again, err)
		}
	})
}
