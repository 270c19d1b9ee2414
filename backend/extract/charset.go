package extract

import (
	"bytes"
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// decoderFor finds a decoder for a MIME charset name: WHATWG labels first (they
// cover the aliases mail clients really write, gb2312 as GBK, latin1 as
// windows-1252), then IANA names. nil when Go has none.
func decoderFor(name string) *encoding.Decoder {
	name = strings.ToLower(strings.Trim(strings.TrimSpace(name), `"'`))
	if i := strings.IndexByte(name, '*'); i >= 0 { // RFC 2231 language suffix
		name = name[:i]
	}
	switch name {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return nil
	case "x-sjis", "sjis":
		name = "shift_jis"
	case "ks_c_5601-1987":
		name = "euc-kr"
	case "iso-8859-8-i":
		name = "iso-8859-8"
	}
	if enc, err := htmlindex.Get(name); err == nil && enc != nil {
		return enc.NewDecoder()
	}
	if enc, err := ianaindex.MIME.Encoding(name); err == nil && enc != nil {
		return enc.NewDecoder()
	}
	return nil
}

// knownCharset reports whether name is UTF-8/ASCII or has a decoder.
func knownCharset(name string) bool {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "", "utf-8", "utf8", "us-ascii", "ascii":
		return true
	}
	return decoderFor(name) != nil
}

// toUTF8 converts bytes in the named charset to valid UTF-8. Unknown charsets
// and undecodable bytes never fail: what cannot be decoded is read as
// windows-1252, the most common source of stray 8-bit bytes in mail headers.
func toUTF8(charset string, b []byte) string {
	if d := decoderFor(charset); d != nil {
		if out, err := d.Bytes(b); err == nil {
			return strings.ToValidUTF8(string(out), "\uFFFD")
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	out, _ := charmap.Windows1252.NewDecoder().Bytes(b)
	return string(out)
}

// rawToUTF8 turns a raw header value into UTF-8. Valid UTF-8 is kept; 8-bit
// text is decoded with the message's charset when it declares one, otherwise
// as windows-1252; raw ISO-2022-JP (7-bit with escapes) is recognised.
func rawToUTF8(value, hint string) string {
	if strings.Contains(value, "\x1b$B") || strings.Contains(value, "\x1b$@") {
		return toUTF8("iso-2022-jp", []byte(value))
	}
	if utf8.ValidString(value) {
		return value
	}
	if hint != "" && knownCharset(hint) {
		if d := decoderFor(hint); d != nil && asciiCompatible(d) {
			if out, err := d.String(value); err == nil && !strings.ContainsRune(out, utf8.RuneError) {
				return out
			}
		}
	}
	out, _ := charmap.Windows1252.NewDecoder().String(value)
	return out
}

// asciiProbe is every printable ASCII character.
const asciiProbe = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"

// asciiCompatible reports whether d reads ASCII as ASCII. A header's syntax
// is ASCII whatever the body's charset, so a hint like UTF-16 or EBCDIC
// (IBM037) would turn it into garbage, losing or inventing addresses.
func asciiCompatible(d *encoding.Decoder) bool {
	out, err := d.String(asciiProbe)
	return err == nil && out == asciiProbe
}

// DecodeWords decodes RFC 2047 encoded-words anywhere in s, leniently:
// unknown charsets are kept as written, missing base64 padding is accepted,
// adjacent words are joined (so a character split across two words survives),
// and words glued to surrounding text are still decoded.
func DecodeWords(s string) string {
	if !strings.Contains(s, "=?") {
		return s
	}
	var out strings.Builder
	var pendCharset string
	var pend []byte
	flush := func() {
		if pend != nil {
			out.WriteString(toUTF8(pendCharset, pend))
			pend = nil
		}
	}
	for {
		start := strings.Index(s, "=?")
		if start < 0 {
			break
		}
		charset, enc, text, end, ok := parseEncodedWord(s[start:])
		if !ok {
			flush()
			out.WriteString(s[:start+2])
			s = s[start+2:]
			continue
		}
		between := s[:start]
		decoded, ok := decodeWordText(enc, text)
		if !ok {
			flush()
			out.WriteString(s[:start+end])
			s = s[start+end:]
			continue
		}
		// Whitespace between two encoded-words is not displayed (RFC 2047 §6.2).
		if pend != nil && strings.TrimSpace(between) == "" {
			if strings.EqualFold(charset, pendCharset) {
				pend = append(pend, decoded...)
				s = s[start+end:]
				continue
			}
			flush()
		} else {
			flush()
			out.WriteString(between)
		}
		pendCharset = charset
		pend = append([]byte{}, decoded...)
		s = s[start+end:]
	}
	flush()
	out.WriteString(s)
	return out.String()
}

// parseEncodedWord reads "=?charset?e?text?=" at the start of s and returns its
// parts and length.
func parseEncodedWord(s string) (charset, enc, text string, n int, ok bool) {
	rest := s[2:]
	q1 := strings.IndexByte(rest, '?')
	if q1 <= 0 || q1 > 40 {
		return "", "", "", 0, false
	}
	charset = rest[:q1]
	rest = rest[q1+1:]
	if len(rest) < 2 || rest[1] != '?' {
		return "", "", "", 0, false
	}
	enc = strings.ToUpper(rest[:1])
	rest = rest[2:]
	end := strings.Index(rest, "?=")
	if end < 0 {
		return "", "", "", 0, false
	}
	text = rest[:end]
	if strings.ContainsAny(charset, " \t") {
		return "", "", "", 0, false
	}
	n = 2 + q1 + 1 + 2 + end + 2
	return charset, enc, text, n, true
}

func decodeWordText(enc, text string) ([]byte, bool) {
	switch enc {
	case "B":
		t := strings.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, text)
		t = strings.TrimRight(t, "=")
		b, err := base64.RawStdEncoding.DecodeString(t)
		if err != nil {
			return nil, false
		}
		return b, true
	case "Q":
		return decodeQ(text), true
	}
	return nil, false
}

// decodeQ decodes the "Q" encoding; a malformed escape is kept as written.
func decodeQ(s string) []byte {
	var b bytes.Buffer
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '_':
			b.WriteByte(' ')
		case c == '=' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]):
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
		default:
			b.WriteByte(c)
		}
	}
	return b.Bytes()
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}

// contentCharset returns the charset parameter of a Content-Type value.
func contentCharset(ct string) string {
	// ASCII-only lower-casing keeps byte offsets: strings.ToLower would turn
	// an invalid byte into 3 bytes (U+FFFD) and shift them, or panic below.
	lower := []byte(ct)
	for k, c := range lower {
		if 'A' <= c && c <= 'Z' {
			lower[k] = c + 'a' - 'A'
		}
	}
	i := bytes.Index(lower, []byte("charset="))
	if i < 0 {
		return ""
	}
	v := ct[i+len("charset="):]
	if j := strings.IndexAny(v, "; \t"); j >= 0 {
		v = v[:j]
	}
	return strings.Trim(v, `"'`)
}
