package demo

import (
	"encoding/base64"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// Names and subjects are written the way real clients write them, so the
// extractor meets every RFC 2047 charset and both encodings it will see in a
// real mailbox.

// legacy maps the MIME charset names the demo writes to their encoders.
// GB2312 mail is EUC-CN bytes, which the GBK encoder produces for every
// GB2312 character.
var legacy = map[string]encoding.Encoding{
	"ISO-8859-1":   charmap.ISO8859_1,
	"windows-1252": charmap.Windows1252,
	"KOI8-R":       charmap.KOI8R,
	"ISO-2022-JP":  japanese.ISO2022JP,
	"GB2312":       simplifiedchinese.GBK,
}

// styleCharset is the charset and encoding a name style writes.
func styleCharset(s nameStyle) (charset string, q bool) {
	switch s {
	case sUTF8Q:
		return "UTF-8", true
	case sLatin1Q:
		return "ISO-8859-1", true
	case sCP1252Q:
		return "windows-1252", true
	case sKOI8B:
		return "KOI8-R", false
	case sJISB:
		return "ISO-2022-JP", false
	case sGBB:
		return "GB2312", false
	default:
		return "UTF-8", false
	}
}

// convert encodes s in charset; ok is false when charset cannot hold s, and
// the caller falls back to UTF-8 as a client would.
func convert(s, charset string) (b []byte, ok bool) {
	enc, found := legacy[charset]
	if !found {
		return []byte(s), true
	}
	b, err := enc.NewEncoder().Bytes([]byte(s))
	return b, err == nil
}

// word is one encoded-word over raw bytes already in charset.
func word(charset string, raw []byte, q bool) string {
	var b strings.Builder
	b.WriteString("=?")
	b.WriteString(charset)
	if !q {
		b.WriteString("?B?")
		b.WriteString(base64.StdEncoding.EncodeToString(raw))
		b.WriteString("?=")
		return b.String()
	}
	b.WriteString("?Q?")
	for _, c := range raw {
		switch {
		case c == ' ':
			b.WriteByte('_')
		case qSafe(c):
			b.WriteByte(c)
		default:
			b.WriteByte('=')
			b.WriteByte(hexUp[c>>4])
			b.WriteByte(hexUp[c&15])
		}
	}
	b.WriteString("?=")
	return b.String()
}

// qSafe is the Q-encoding subset allowed in a phrase (RFC 2047 5(3)).
func qSafe(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
		c == '!' || c == '*' || c == '+' || c == '-' || c == '/'
}

// encodedLen is the length of the encoded text of raw.
func encodedLen(raw []byte, q bool) int {
	if !q {
		return (len(raw) + 2) / 3 * 4
	}
	n := 0
	for _, c := range raw {
		if c == ' ' || qSafe(c) {
			n++
		} else {
			n += 3
		}
	}
	return n
}

// encodeWords encodes s as one or more encoded-words of at most 75
// characters each (RFC 2047 2). Only UTF-8 is split, on rune boundaries;
// legacy text stays in one word so stateful charsets (ISO-2022-JP) stay
// whole. A charset that cannot hold s falls back to UTF-8.
func encodeWords(s, charset string, q, lower bool) []string {
	raw, ok := convert(s, charset)
	if !ok {
		charset, raw = "UTF-8", []byte(s)
	}
	name := charset
	if lower {
		name = strings.ToLower(charset)
	}
	if charset != "UTF-8" {
		return []string{word(name, raw, q)}
	}
	room := 75 - len("=?"+name+"?Q??=")
	var words []string
	start := 0
	for i := 0; i < len(raw); {
		_, size := utf8.DecodeRune(raw[i:])
		if encodedLen(raw[start:i+size], q) > room {
			words = append(words, word(name, raw[start:i], q))
			start = i
		}
		i += size
	}
	return append(words, word(name, raw[start:], q))
}

// splitWords encodes s as exactly two adjacent encoded-words, cut at the
// middle rune: decoders must join them without the space between.
func splitWords(s string, q, lower bool) []string {
	r := []rune(s)
	half := len(r) / 2
	a := encodeWords(string(r[:half]), "UTF-8", q, lower)
	return append(a, encodeWords(string(r[half:]), "UTF-8", q, lower)...)
}

// mixedWords leaves ASCII words bare and encodes each run of non-ASCII words
// as one encoded-word, the space inside it, as some clients do.
func mixedWords(s, charset string, q, lower bool) []string {
	var out, run []string
	flush := func() {
		if len(run) > 0 {
			out = append(out, encodeWords(strings.Join(run, " "), charset, q, lower)...)
			run = run[:0]
		}
	}
	for _, w := range strings.Fields(s) {
		if isASCII(w) {
			flush()
			out = append(out, w)
			continue
		}
		run = append(run, w)
	}
	flush()
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// phrase renders an ASCII display name bare when it is a run of atoms and as a
// quoted string otherwise ("Dupont, Marie", "Dr. Williams").
func phrase(s string) string {
	if s != "" && s == strings.TrimSpace(s) && !strings.Contains(s, "  ") && allAtext(s) {
		return s
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(s) + `"`
}

func allAtext(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0 {
			continue
		}
		return false
	}
	return true
}

// encodePhrase renders a display name for a header: bare or quoted when ASCII,
// encoded-words otherwise.
func encodePhrase(s, charset string, q, lower bool) string {
	if isASCII(s) {
		return phrase(s)
	}
	return strings.Join(encodeWords(s, charset, q, lower), " ")
}

// styledPhrase renders a name the way its owner's client writes it in From.
func styledPhrase(p *person, lower bool) string {
	switch p.Style {
	case sRaw8:
		b, _ := convert(p.Name, "ISO-8859-1")
		return string(b)
	case sRawUTF8:
		return p.Name
	case sUTF8Split:
		return strings.Join(splitWords(p.Name, false, lower), " ")
	case sUTF8Mixed:
		return strings.Join(mixedWords(p.Name, "UTF-8", true, lower), " ")
	case sPlain, sAddrName, sComment, sBare:
		return phrase(p.Name)
	}
	cs, q := styleCharset(p.Style)
	return encodePhrase(p.Name, cs, q, lower && cs == "UTF-8")
}
