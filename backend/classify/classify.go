package classify

import (
	"bufio"
	"bytes"
	_ "embed"
	"slices"
	"strings"
	"sync"

	"leadminer/backend/extract"
)

//go:embed data/free_providers.txt
var freeProvidersData []byte

//go:embed data/disposable.txt
var disposableData []byte

var (
	listsOnce     sync.Once
	freeProviders map[string]bool
	disposable    map[string]bool
)

func loadLists() {
	listsOnce.Do(func() {
		freeProviders = readDomainList(freeProvidersData)
		disposable = readDomainList(disposableData)
	})
}

func readDomainList(b []byte) map[string]bool {
	m := make(map[string]bool, bytes.Count(b, []byte{'\n'}))
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line != "" && line[0] != '#' {
			m[strings.ToLower(line)] = true
		}
	}
	return m
}

// DomainKind says what a domain is: a free provider (personal mail), a
// disposable service, or anything else (a company or organisation).
type DomainKind uint8

const (
	DomainCustom DomainKind = iota
	DomainProvider
	DomainDisposable
)

// KindOfDomain looks a lower-case domain up in the shipped lists.
func KindOfDomain(domain string) DomainKind {
	loadLists()
	switch {
	case freeProviders[domain]:
		return DomainProvider
	case disposable[domain]:
		return DomainDisposable
	default:
		return DomainCustom
	}
}

// addressParts splits a canonical address into local-part words, domain
// words and the domain's labels.
type addressParts struct {
	address     string
	local       string
	domain      string
	localWords  []string
	domainWords []string
	labels      []string
}

func splitAddress(address string) addressParts {
	at := strings.LastIndexByte(address, '@')
	p := addressParts{address: address, local: address, domain: ""}
	if at >= 0 {
		p.local, p.domain = address[:at], address[at+1:]
	}
	p.localWords = words(strings.Trim(p.local, `"`))
	p.labels = strings.Split(p.domain, ".")
	p.domainWords = words(p.domain)
	return p
}

func words(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == '.' || r == '-' || r == '_' || r == '+'
	})
}

// sameWord compares a word of an address with a pattern word, ignoring
// trailing digits ("noreply2" is "noreply").
func sameWord(w, pattern string) bool {
	return strings.TrimRight(w, "0123456789") == pattern || w == pattern
}

func wordsAt(ws, pattern []string, at int) bool {
	if at < 0 || at+len(pattern) > len(ws) {
		return false
	}
	for i, p := range pattern {
		if !sameWord(ws[at+i], p) {
			return false
		}
	}
	return true
}

func containsWords(ws, pattern []string) bool {
	for i := 0; i+len(pattern) <= len(ws); i++ {
		if wordsAt(ws, pattern, i) {
			return true
		}
	}
	return false
}

// Matches reports whether the rule applies to a canonical address.
func (r AddressRule) Matches(address string) bool {
	return r.matches(splitAddress(address), words(r.Pattern))
}

// compiledRule is a rule with its pattern split once.
type compiledRule struct {
	AddressRule
	words []string
}

var (
	compileOnce   sync.Once
	compiledRules map[string][]compiledRule // by tag, in rule order
)

func rulesFor(tag string) []compiledRule {
	compileOnce.Do(func() {
		compiledRules = map[string][]compiledRule{}
		for _, r := range AddressRules {
			compiledRules[r.Tag] = append(compiledRules[r.Tag], compiledRule{r, words(r.Pattern)})
		}
	})
	return compiledRules[tag]
}

func (r AddressRule) matches(p addressParts, pw []string) bool {
	switch r.Match {
	case matchWord:
		return containsWords(p.localWords, pw) || containsWords(p.domainWords, pw)
	case matchLocalEnd:
		return wordsAt(p.localWords, pw, len(p.localWords)-len(pw))
	case matchLocalStart:
		return len(p.localWords) > len(pw) && wordsAt(p.localWords, pw, 0)
	case matchAddressPrefix:
		return strings.HasPrefix(p.address, r.Pattern)
	case matchDomain:
		return p.domain == r.Pattern || strings.HasSuffix(p.domain, "."+r.Pattern)
	case matchDomainFirst:
		return len(p.labels) >= 2 && p.labels[0] == r.Pattern
	case matchAddress:
		return p.address == r.Pattern
	}
	return false
}

// AddressTags tags a canonical address and its display name, following the
// hosted product's order: no-reply, transactional and newsletter are final;
// a free-provider address is personal; any other is professional and may
// also be role, chat or group.
func AddressTags(address, name string) []string {
	p := splitAddress(address)
	kind := KindOfDomain(p.domain)
	if kind == DomainDisposable {
		return []string{Disposable}
	}
	for _, tag := range []string{NoReply, Transactional, Newsletter} {
		if tag == Newsletter && strings.Contains(strings.ToLower(name), "newsletter") {
			return []string{Newsletter}
		}
		for _, r := range rulesFor(tag) {
			if r.matches(p, r.words) {
				return []string{tag}
			}
		}
	}
	if kind == DomainProvider {
		return []string{Personal}
	}
	tags := []string{Professional}
	for _, tag := range []string{Role, Chat, Group} {
		for _, r := range rulesFor(tag) {
			if r.matches(p, r.words) {
				tags = append(tags, tag)
				break
			}
		}
	}
	return tags
}

// HeaderTag returns the tag a message's headers give to a contact seen in
// field, "" when none: the first rule that fires decides for the whole
// message, and it only applies to the fields it names.
func HeaderTag(h extract.Header, field extract.Field) string {
	for _, r := range HeaderRules {
		if !r.fires(h) {
			continue
		}
		if slices.Contains(r.Fields, field) {
			return r.Tag
		}
		return ""
	}
	return ""
}

func (r HeaderRule) fires(h extract.Header) bool {
	for _, u := range r.Unless {
		if h.Has(u) {
			return false
		}
	}
	for _, c := range r.Conditions {
		if c.holds(h) {
			return true
		}
	}
	return false
}

func (c HeaderCondition) holds(h extract.Header) bool {
	if c.Prefix {
		return h.HasPrefix(c.Name)
	}
	if !h.Has(c.Name) {
		return false
	}
	if len(c.Contains) == 0 {
		return true
	}
	v := strings.ToLower(h.Get(c.Name))
	for _, s := range c.Contains {
		if strings.Contains(v, s) {
			return true
		}
	}
	return false
}

// Combine merges a contact's address tags with the header tags of the
// messages it appears in. headerCounts counts, per header tag, the
// occurrences that carried it; senderOccurrences counts the contact's
// occurrences in the fields header tags apply to (from, reply-to, list-post).
//
// As in the hosted product, header tags only apply to professional or role
// addresses and then replace every address tag but professional. Unlike it, a
// header tag needs at least half of those occurrences, so a colleague who once
// wrote through a mailing tool is not turned into a newsletter for good.
func Combine(addressTags []string, headerCounts map[string]int, senderOccurrences int) []string {
	if !slices.Contains(addressTags, Professional) && !slices.Contains(addressTags, Role) {
		return slices.Clone(addressTags)
	}
	var header []string
	for _, tag := range []string{Chat, Newsletter, Group, Transactional} {
		if n := headerCounts[tag]; n > 0 && 2*n >= senderOccurrences {
			header = append(header, tag)
		}
	}
	if len(header) == 0 {
		return slices.Clone(addressTags)
	}
	out := []string{}
	if slices.Contains(addressTags, Professional) {
		out = append(out, Professional)
	}
	for _, t := range header {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}
