package extract

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// Bugs found while fuzzing and reviewing: each case failed before its fix.
func TestParseAddressListRegressions(t *testing.T) {
	type A = Address
	tests := []struct {
		name  string
		value string
		hint  string
		want  []A
	}{
		// NormalizeAddress must return a canonical form that normalises to
		// itself; unquoting or decoding used to leave a leading "'" (trimmed
		// on the next pass) or a second encoded-word (decoded on the next pass).
		{"quoted local with leading apostrophe keeps its quotes", `"'a"@x.com`, "", []A{{Email: `"'a"@x.com`}}},
		{"quoted encoded-word local keeps its quotes", `"=?utf-8?q?abc?="@x.com`, "", []A{{Email: `"=?utf-8?q?abc?="@x.com`}}},
		{"decoded local part is trimmed like a written one", "=?utf-8?q?'abc?=@x.com", "", []A{{Email: "abc@x.com"}}},
		{"local part encoded twice is rejected", "=?utf-8?q?=3D=3Futf-8=3Fq=3Fabc=3F=3D?=@x.com", "", nil},
		// An ASCII-incompatible charset hint is not used for header bytes.
		{"ebcdic hint does not invent an address", "\xc1|\xc2K\x83\x96\x94", "ibm037", nil},
		{"utf-16 hint does not lose the address", "Andr\xe9 <andre@example.fr>", "utf-16", []A{{Email: "andre@example.fr", Name: "Andr\u00e9"}}},
		// Deep nesting is not a comment; the address after it survives.
		{"comment nested too deep", strings.Repeat("(", 40) + "x" + strings.Repeat(")", 40) + " a@example.com", "", []A{{Email: "a@example.com"}}},
		{"comment nested within bound", "a@example.com " + strings.Repeat("(", 3) + "Al" + strings.Repeat(")", 3), "", []A{{Email: "a@example.com", Name: "((Al))"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ParseAddressList(tt.value, tt.hint)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("ParseAddressList(%q, %q)\n got %#v\nwant %#v", tt.value, tt.hint, got, tt.want)
			}
			for _, a := range got {
				if e, p, ok := NormalizeAddress(a.Email); !ok || e != a.Email || p != "" {
					t.Errorf("NormalizeAddress(%q) = %q, %q, %v", a.Email, e, p, ok)
				}
			}
		})
	}
}

// Lone quotes and parentheses used to rescan the rest of the value each
// (100 KB: 7.5 s for quotes, 2.4 s for parentheses); folded lines were
// concatenated one by one (30k lines: 11 s). Linear now: milliseconds.
func TestPathologicalInputsAreFast(t *testing.T) {
	const n = 200_000
	cases := map[string]func(){
		"lone quotes":        func() { ParseAddressList(strings.Repeat(`"\`, n/2)+" a@example.com", "") },
		"lone parentheses":   func() { ParseAddressList(strings.Repeat("(", n)+" a@example.com", "") },
		"spaced parentheses": func() { ParseAddressList(strings.Repeat("(a ", n/3)+" a@example.com", "") },
		"quotes in brackets": func() { ParseAddressList("<"+strings.Repeat(`"\`, n/2)+" a@example.com", "") },
		"folded lines": func() {
			ParseHeader([]byte("To: a@example.com" + strings.Repeat(",\r\n\tb@example.com", n/10) + "\r\n\r\n"))
		},
	}
	for name, run := range cases {
		start := time.Now()
		run()
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: %v, want linear time", name, d)
		}
	}
}
