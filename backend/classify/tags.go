// Package classify tags contacts — personal, professional, no-reply,
// transactional, newsletter, group, chat, role, disposable — from their address
// and from the headers of the messages they appear in. The rules are data
// (rules.go) so each can be read, tested and changed on its own.
package classify

import "slices"

// Tag names, as stored and exported.
const (
	Personal      = "personal"
	Professional  = "professional"
	NoReply       = "no-reply"
	Transactional = "transactional"
	Newsletter    = "newsletter"
	Group         = "group"
	Chat          = "chat"
	Role          = "role"
	Disposable    = "disposable"
)

// Reachability says how directly a tag's contact reaches a person, as the
// hosted product grades it.
type Reachability int

const (
	ReachNone     Reachability = 0 // machines: no-reply, transactional
	ReachDirect   Reachability = 1 // a person
	ReachIndirect Reachability = 2 // many people or an intermediary: role, group, chat
	ReachUnsure   Reachability = 3 // newsletters
)

// Reachable returns a tag's reachability.
func Reachable(tag string) Reachability {
	switch tag {
	case Personal, Professional:
		return ReachDirect
	case Role, Group, Chat:
		return ReachIndirect
	case Newsletter:
		return ReachUnsure
	default:
		return ReachNone
	}
}

// hiddenTags are kept in the store but hidden from the default contact list.
var hiddenTags = []string{NoReply, Transactional, Newsletter, Disposable}

// HiddenByDefault reports whether a contact with these tags is left out of the
// default list (shown with --all).
func HiddenByDefault(tags []string) bool {
	for _, t := range tags {
		if slices.Contains(hiddenTags, t) {
			return true
		}
	}
	return false
}

// Bulk reports whether the tags mark mail sent to many at once (lists,
// newsletters, machines); ranking keeps those below people.
func Bulk(tags []string) bool {
	for _, t := range tags {
		if t == Group || HiddenByDefault([]string{t}) {
			return true
		}
	}
	return false
}
