package extract

import (
	"html"
	"strings"
	"unicode"
)

// CleanName tidies a display name as the hosted product's cleanName does, with
// one fix: the "via ..." cut applies only to the separate word "via"
// (so "Olivia" stays "Olivia").
func CleanName(name string) string {
	if name == "" {
		return ""
	}
	name = html.UnescapeString(name)
	name = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, name)
	name = strings.TrimSpace(name)
	name = strings.ReplaceAll(name, `\"`, "")
	for range 2 {
		name = unwrapQuotes(name)
	}
	name = strings.Trim(name, ",; \t")
	name = cutUnwantedSuffix(name)
	name = strings.Join(strings.Fields(name), " ")
	name = strings.Trim(name, ",; ")
	if !hasLetterOrDigit(name) {
		return ""
	}
	return name
}

func unwrapQuotes(s string) string {
	s = strings.TrimSpace(s)
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return strings.TrimSpace(s[1 : len(s)-1])
	}
	return s
}

// unwantedSuffixes are cut from the last place they occur, in this order of
// preference, as services append them to the sender's name.
var unwantedSuffixes = []string{"(via", "(google drive)", "(google)", "(drive)"}

func cutUnwantedSuffix(name string) string {
	lower := strings.ToLower(name)
	for _, s := range unwantedSuffixes {
		if i := strings.LastIndex(lower, s); i > 0 {
			return strings.TrimSpace(name[:i])
		}
	}
	// "Leadminer via Nextcloud": only the separate word, never inside a word.
	if i := lastWordIndex(lower, "via"); i > 0 {
		return strings.TrimSpace(name[:i])
	}
	return name
}

// lastWordIndex finds the last occurrence of word delimited by spaces on the
// left and a space or end of string on the right.
func lastWordIndex(s, word string) int {
	for end := len(s); end > 0; {
		i := strings.LastIndex(s[:end], word)
		if i < 0 {
			return -1
		}
		before := i == 0 || s[i-1] == ' '
		after := i+len(word) == len(s) || s[i+len(word)] == ' '
		if before && after {
			return i
		}
		end = i
	}
	return -1
}

func hasLetterOrDigit(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
	}
	return false
}
