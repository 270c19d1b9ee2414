package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Address is one parsed mailbox.
type Address struct {
	// Email is canonical: trimmed, lower-cased, plus-tag folded.
	Email string
	// Name is the cleaned display name, "" when there is none.
	Name string
	// Plus is the plus-tagged form as written (lower-cased) when it differs
	// from Email, kept as an alternate address.
	Plus string
}

type tokenKind uint8

const (
	tWord tokenKind = iota
	tQuoted
	tComment
	tAngle
	tComma
)

type token struct {
	kind tokenKind
	text string
	// glued is true when no whitespace precedes the token.
	glued bool
}

// ParseAddressList parses an address-list header value leniently. charsetHint
// is the message's declared charset, used for raw 8-bit names. Every valid
// address found is returned; a malformed entry is skipped without losing the
// others.
func ParseAddressList(value, charsetHint string) []Address {
	v := rawToUTF8(value, charsetHint)
	toks := tokenize(v)
	var out []Address
	var carry string
	start := 0
	for i := 0; i <= len(toks); i++ {
		if i < len(toks) && toks[i].kind != tComma {
			continue
		}
		entry := toks[start:i]
		start = i + 1
		addrs, phraseOnly := parseEntry(entry, carry)
		carry = ""
		if phraseOnly != "" && !strings.ContainsAny(phraseOnly, " @") {
			// "Dupont, Marie <m@x>" written without quotes: keep "Dupont"
			// for the next entry's name.
			carry = phraseOnly
		}
		out = append(out, addrs...)
	}
	return out
}

// tokenize splits a header value into words, quoted strings, comments, angle
// addresses and separators. Unbalanced quotes, parentheses and brackets are
// recovered from rather than swallowing the rest of the list.
func tokenize(s string) []token {
	toks := make([]token, 0, 8)
	q := quoteScanner{s: s, noClose: len(s)}
	glued := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			glued = false
			i++
			continue
		case c == ',' || c == ';':
			toks = append(toks, token{kind: tComma})
			i++
		case c == '"':
			text, n, ok := q.read(i)
			if !ok {
				i++ // a lone quote: ignore it and go on
				continue
			}
			toks = append(toks, token{kind: tQuoted, text: text, glued: glued})
			i += n
		case c == '(':
			text, n, ok := readComment(s[i:])
			if !ok {
				i++
				continue
			}
			toks = append(toks, token{kind: tComment, text: text, glued: glued})
			i += n
		case c == '<':
			text, n := readAngle(&q, i)
			toks = append(toks, token{kind: tAngle, text: text, glued: glued})
			i += n
		case c == '>' || c == ')':
			i++
		default:
			n := readWord(s[i:])
			toks = append(toks, token{kind: tWord, text: s[i : i+n], glued: glued})
			i += n
		}
		glued = true
	}
	return toks
}

// quoteScanner reads the quoted strings of s and remembers where one did not
// close: the scan from any later quote then ends the same way (that quote was
// escaped in the first scan, which went on from the next byte), so it fails
// too. Without this every lone quote would rescan the rest of the value, in
// quadratic time.
type quoteScanner struct {
	s       string
	noClose int // a quote at or after this offset has no closing quote
}

func (q *quoteScanner) read(i int) (string, int, bool) {
	if i >= q.noClose {
		return "", 0, false
	}
	text, n, ok := readQuoted(q.s[i:])
	if !ok {
		q.noClose = i
	}
	return text, n, ok
}

func readQuoted(s string) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return b.String(), i + 1, true
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, false
}

// maxCommentDepth bounds comment nesting: deeper is garbage, not a comment,
// and the bound keeps a run of unbalanced '(' from rescanning the rest of the
// value once per '(' (quadratic time).
const maxCommentDepth = 32

func readComment(s string) (string, int, bool) {
	depth := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '(':
			depth++
			if depth > maxCommentDepth {
				return "", 0, false
			}
		case ')':
			depth--
			if depth == 0 {
				return s[1:i], i + 1, true
			}
		}
	}
	return "", 0, false
}

// readAngle reads "<...>"; without a closing bracket it stops before the next
// separator or opening bracket so the following entries survive.
func readAngle(q *quoteScanner, at int) (string, int) {
	s := q.s[at:]
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '>':
			return s[1:i], i + 1
		case '<', ',', ';':
			return s[1:i], i
		case '"':
			// a quoted local part inside brackets
			if _, n, ok := q.read(at + i); ok {
				i += n - 1
			}
		}
	}
	return s[1:], len(s)
}

// readWord reads an atom; encoded-words are kept whole even when they hold
// characters that would otherwise end the word.
func readWord(s string) int {
	i := 0
	for i < len(s) {
		c := s[i]
		if c == '=' && i+1 < len(s) && s[i+1] == '?' {
			if _, _, _, n, ok := parseEncodedWord(s[i:]); ok {
				i += n
				continue
			}
		}
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '"' || c == '(' || c == '<' ||
			c == '>' || c == ',' || c == ';' || c == ')' {
			break
		}
		i++
	}
	if i == 0 {
		i = 1
	}
	return i
}

type candidate struct {
	addr string
	name string
	// named records that the name came from a phrase, not a comment.
	named bool
}

// parseEntry turns the tokens between two commas into addresses. When the
// entry holds only a display-name phrase it returns that phrase instead.
func parseEntry(toks []token, carry string) ([]Address, string) {
	var phrase []string
	var cands []candidate
	lastWasCand := false
	for i := 0; i < len(toks); i++ {
		t := toks[i]
		switch t.kind {
		case tWord:
			if strings.HasSuffix(t.text, ":") && !strings.Contains(t.text, "@") {
				// A group label ("Team:" / "Undisclosed-Recipients:"): the
				// phrase before it is the group's name, not a person's.
				phrase = phrase[:0]
				lastWasCand = false
				continue
			}
			if isAddressLike(t.text) {
				if t.text[0] == '@' && t.glued && i > 0 && toks[i-1].kind == tQuoted && len(phrase) > 0 {
					// "john smith"@example.com: a quoted local part.
					phrase = phrase[:len(phrase)-1]
					cands = append(cands, candidate{addr: `"` + toks[i-1].text + `"` + t.text, name: joinPhrase(phrase), named: len(phrase) > 0})
					phrase = nil
					lastWasCand = true
					continue
				}
				if nextSignificant(toks, i+1) == tAngle {
					phrase = append(phrase, t.text) // an address written as the display name
					lastWasCand = false
					continue
				}
				cands = append(cands, candidate{addr: t.text, name: joinPhrase(phrase), named: len(phrase) > 0})
				phrase = nil
				lastWasCand = true
				continue
			}
			phrase = append(phrase, t.text)
			lastWasCand = false
		case tQuoted:
			phrase = append(phrase, t.text)
			lastWasCand = false
		case tAngle:
			addr, name := t.text, joinPhrase(phrase)
			if f := strings.Fields(addr); len(f) > 1 && strings.Contains(f[len(f)-1], "@") && !strings.Contains(addr, `"`) {
				// "<Undisclosed Recipients@example.com>": a server took the
				// last word as the address; the words before it are noise,
				// not a name.
				addr = f[len(f)-1]
			}
			cands = append(cands, candidate{addr: addr, name: name, named: name != ""})
			phrase = nil
			lastWasCand = true
		case tComment:
			if lastWasCand && !cands[len(cands)-1].named {
				// john@example.com (John Smith)
				cands[len(cands)-1].name = t.text
			}
		}
	}
	if len(cands) == 0 {
		return nil, joinPhrase(phrase)
	}
	if carry != "" && len(cands) == 1 && cands[0].named {
		cands[0].name = carry + ", " + cands[0].name
	}
	out := make([]Address, 0, len(cands))
	for _, c := range cands {
		email, plus, ok := NormalizeAddress(c.addr)
		if !ok {
			continue
		}
		name := CleanName(DecodeWords(c.name))
		if name != "" && (strings.EqualFold(name, email) || strings.EqualFold(name, plus) ||
			strings.EqualFold(name, strings.TrimSpace(c.addr))) {
			name = ""
		}
		out = append(out, Address{Email: email, Name: name, Plus: plus})
	}
	return out, ""
}

func nextSignificant(toks []token, from int) tokenKind {
	for j := from; j < len(toks); j++ {
		if toks[j].kind != tComment {
			return toks[j].kind
		}
	}
	return tComma
}

func joinPhrase(parts []string) string {
	return strings.Join(parts, " ")
}

func isAddressLike(s string) bool {
	return strings.IndexByte(s, '@') >= 0
}

// NormalizeAddress validates an address as found in a header and returns its
// canonical form (lower-cased, plus-tag folded) and, when it had a plus-tag,
// the tagged form. Obsolete local parts (a..b, leading dots) are accepted
// because real mail uses them; IP literals and numeric TLDs are not.
func NormalizeAddress(s string) (email, plus string, ok bool) {
	s = strings.TrimSpace(s)
	if len(s) > 320 {
		return "", "", false
	}
	if len(s) >= 2 && (s[0] == '\'' && s[len(s)-1] == '\'' || s[0] == '"' && s[len(s)-1] == '"' && strings.Count(s, `"`) == 2) {
		s = strings.TrimSpace(s[1 : len(s)-1])
	}
	if len(s) >= 7 && strings.EqualFold(s[:7], "mailto:") {
		s = s[7:]
		if q := strings.IndexByte(s, '?'); q >= 0 {
			s = s[:q] // mailto:list@example.org?subject=...
		}
	}
	s = strings.Trim(s, "<> \t")
	at := strings.LastIndexByte(s, '@')
	if at < 0 {
		return "", "", false
	}
	local, domain := s[:at], s[at+1:]
	// Source routes ("@a,@b:john@x") and glued group labels ("team:john@x").
	if c := strings.LastIndexByte(local, ':'); c >= 0 && !strings.HasPrefix(local, `"`) {
		local = local[c+1:]
	}
	local = strings.TrimLeft(local, " \t'")
	if strings.HasPrefix(local, "=?") {
		// A broken mailer encoded the local part, sometimes the whole
		// address: "=?iso-2022-jp?B?am9rb0Bycy4xMjgubmUuanA=?=@FreeBSD.ORG".
		if dec := DecodeWords(local); dec != local {
			if strings.Contains(dec, "@") {
				return NormalizeAddress(dec)
			}
			// The decoded local part gets the same clean-up as a written
			// one, so that the result normalises to itself.
			local = strings.TrimLeft(dec, " \t'")
			if strings.HasPrefix(local, "=?") && DecodeWords(local) != local {
				return "", "", false // encoded twice: garbage
			}
		}
	}
	domain = strings.TrimRight(strings.TrimSpace(domain), ".,;:'")
	domain, ok = normalizeDomain(domain)
	if !ok {
		return "", "", false
	}
	local, ok = normalizeLocal(local)
	if !ok {
		return "", "", false
	}
	email = local + "@" + domain
	if local[0] != '"' {
		if p := strings.IndexByte(local, '+'); p >= 0 {
			base := local[:p]
			if strings.Trim(base, ".") == "" {
				return "", "", false
			}
			return base + "@" + domain, email, true
		}
	}
	return email, "", true
}

func normalizeLocal(local string) (string, bool) {
	if local == "" || len(local) > 64 {
		return "", false
	}
	if local[0] == '"' {
		if len(local) < 3 || local[len(local)-1] != '"' {
			return "", false
		}
		plain := true
		for i := 1; i < len(local)-1; i++ {
			if local[i] < 0x20 || local[i] > 0x7e {
				return "", false
			}
			plain = plain && (isAtext(local[i]) || local[i] == '.')
		}
		// Unquoted, a leading "'" or "=?" would be read differently (trimmed,
		// decoded), so such a local part keeps its quotes.
		if plain && local[1] != '\'' && !strings.HasPrefix(local[1:], "=?") {
			// "peter"@x is peter@x: quotes that protect nothing go.
			return normalizeLocal(local[1 : len(local)-1])
		}
		return strings.ToLower(local), true
	}
	for i := 0; i < len(local); i++ {
		if !isAtext(local[i]) && local[i] != '.' {
			return "", false
		}
	}
	// Any atext is valid ("!!!@x" exists), but not dots and plus signs alone.
	if strings.Trim(local, ".+") == "" {
		return "", false
	}
	return strings.ToLower(local), true
}

// isAtext reports RFC 5322 atext characters (ASCII only: internationalised
// local parts are rejected, as the hosted product does).
func isAtext(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-/=?^_`{|}~", c) >= 0
}

func hasAlnum(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			return true
		}
	}
	return false
}

func normalizeDomain(d string) (string, bool) {
	if d == "" || len(d) > 253 || d[0] == '[' {
		return "", false
	}
	d = strings.ToLower(d)
	labels := strings.Split(d, ".")
	if len(labels) < 2 {
		return "", false
	}
	for _, l := range labels {
		if !validLabel(l) {
			return "", false
		}
	}
	if !validTLD(labels[len(labels)-1]) {
		return "", false
	}
	return d, true
}

func validLabel(l string) bool {
	if l == "" || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	for _, r := range l {
		if r == '-' || r < utf8.RuneSelf && ('a' <= r && r <= 'z' || '0' <= r && r <= '9') {
			continue
		}
		if r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) {
			continue // an internationalised label
		}
		return false
	}
	return true
}

// validTLD accepts 2 to 18 ASCII letters (the longest delegated ASCII TLDs
// are 18 letters), punycode, or an internationalised TLD written in letters.
func validTLD(t string) bool {
	if strings.HasPrefix(t, "xn--") && len(t) > 4 {
		return true
	}
	n := 0
	for _, r := range t {
		if !unicode.IsLetter(r) {
			return false
		}
		if r < utf8.RuneSelf {
			n++
		} else {
			n += 2 // a non-ASCII TLD of two letters is fine
		}
	}
	return n >= 2 && (len(t) <= 18 || !isASCII(t))
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
