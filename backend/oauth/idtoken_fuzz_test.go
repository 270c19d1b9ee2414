package oauth

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/oauth2"
)

// The ID token comes from the network: any shape gives an address in lower
// case without surrounding space, taken from the token only when it has an
// @, else the hint.
func FuzzEmailOf(f *testing.F) {
	claims := func(json string) string {
		return "eyJhbGciOiJub25lIn0." + base64.RawURLEncoding.EncodeToString([]byte(json)) + ".sig"
	}
	for _, seed := range [][2]string{
		{claims(`{"email":"Ada@Example.com"}`), ""},
		{claims(`{"preferred_username":"bob@contoso.example"}`), "hint@x.y"},
		{claims(`{"email":"not-an-address"}`), " Hint@X.Y "},
		{"a.b", "h@x.y"},
		{claims(`{"email":12}`), ""},
		{"..", ""},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, idToken, hint string) {
		tok := (&oauth2.Token{AccessToken: "x"}).WithExtra(map[string]any{"id_token": idToken})
		got := emailOf(tok, hint)
		if got != strings.ToLower(strings.TrimSpace(got)) && got != strings.ToLower(strings.TrimSpace(hint)) {
			t.Fatalf("emailOf gave %q: not normalised", got)
		}
		if got != strings.ToLower(strings.TrimSpace(hint)) && !strings.Contains(got, "@") {
			t.Fatalf("emailOf took %q from the token, which is no address", got)
		}
	})
}
