package classify

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"leadminer/backend/extract"
)

const company = "acme-robotics.com"

// exampleFor builds an address that a rule is meant to catch.
func exampleFor(r AddressRule) string {
	switch r.Match {
	case matchWord:
		return r.Pattern + "@" + company
	case matchLocalEnd:
		return "eu." + r.Pattern + "@" + company
	case matchLocalStart:
		return r.Pattern + "-fr@" + company
	case matchAddressPrefix:
		return r.Pattern + "com"
	case matchDomain:
		return "someone@mx." + r.Pattern
	case matchDomainFirst:
		return "someone@" + r.Pattern + "." + company
	case matchAddress:
		return r.Pattern
	}
	panic("unknown match")
}

// One case per address rule: the rule's own example gets the rule's tag.
func TestAddressRulesEachTagTheirExample(t *testing.T) {
	if KindOfDomain(company) != DomainCustom {
		t.Fatalf("%s must be a company domain for these tests", company)
	}
	for i, r := range AddressRules {
		addr := exampleFor(r)
		t.Run(fmt.Sprintf("%02d_%s_%s", i, r.Tag, r.Pattern), func(t *testing.T) {
			if !r.Matches(addr) {
				t.Fatalf("rule %+v does not match its example %q", r, addr)
			}
			tags := AddressTags(addr, "")
			if !slices.Contains(tags, r.Tag) {
				t.Errorf("AddressTags(%q) = %v, want it to contain %q", addr, tags, r.Tag)
			}
		})
	}
}

func TestAddressTags(t *testing.T) {
	tests := []struct {
		address, name string
		want          []string
	}{
		{"paul.hall@acme.com", "", []string{Professional}},
		{"gmail@x-corp.com", "", []string{Professional}},
		{"contact@leadminer.io", "", []string{Professional}},
		{"leadminer@leadminer.com", "", []string{Professional}},
		{"no-reply-leadminer@leadminer.io", "", []string{NoReply}},
		{"someone@noreply.github.com", "", []string{NoReply}},
		{"reply@reply.github.com", "", []string{Transactional}},
		{"unsub@list.example.com", "", []string{Transactional}},
		{"no.reply@acme.com", "", []string{NoReply}},
		{"noreply2@acme.com", "", []string{NoReply}},
		{"olivia.alerton@acme.com", "", []string{Professional}},
		{"othello@acme.com", "", []string{Professional}},
		{"jane.doe@gmail.com", "", []string{Personal}},
		{"info@gmail.com", "", []string{Personal}},
		{"noreply@gmail.com", "", []string{NoReply}},
		{"jane@mailinator.com", "", []string{Disposable}},
		{"sales@acme.com", "", []string{Professional, Role}},
		{"dev@lists.example.org", "", []string{Professional, Group}},
		{"jane@acme.com", "The Acme newsletter", []string{Newsletter}},
		{"updates@acme.com", "", []string{Transactional}},
		{"robot.bot@acme.com", "", []string{Transactional}},
		{"abbott@acme.com", "", []string{Professional}},
	}
	for _, tt := range tests {
		if got := AddressTags(tt.address, tt.name); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("AddressTags(%q, %q) = %v, want %v", tt.address, tt.name, got, tt.want)
		}
	}
}

func header(lines ...string) extract.Header {
	raw := ""
	for _, l := range lines {
		raw += l + "\r\n"
	}
	return extract.ParseHeader([]byte(raw + "\r\n"))
}

// conditionHeader writes a header line that meets a condition.
func conditionHeader(c HeaderCondition) string {
	name := c.Name
	if c.Prefix {
		name += "-extra"
	}
	value := "yes"
	if len(c.Contains) > 0 {
		value = "x " + c.Contains[len(c.Contains)-1] + " y"
	}
	return name + ": " + value
}

// One case per header condition: it fires its rule for the rule's fields and
// for no other field.
func TestHeaderRulesEachCondition(t *testing.T) {
	allFields := []extract.Field{extract.FieldFrom, extract.FieldTo, extract.FieldCc, extract.FieldBcc, extract.FieldReplyTo, extract.FieldListPost}
	for i, r := range HeaderRules {
		for _, c := range r.Conditions {
			t.Run(fmt.Sprintf("%d_%s_%s", i, r.Tag, c.Name), func(t *testing.T) {
				h := header("From: a@acme.com", conditionHeader(c))
				// Earlier rules must not fire for this header alone.
				for _, f := range allFields {
					got := HeaderTag(h, f)
					want := ""
					if slices.Contains(r.Fields, f) {
						want = r.Tag
					}
					if got != want {
						t.Errorf("field %v: HeaderTag = %q, want %q", f, got, want)
					}
				}
			})
		}
	}
}

func TestHeaderTagOrderAndUnless(t *testing.T) {
	tests := []struct {
		name  string
		h     extract.Header
		field extract.Field
		want  string
	}{
		{"newsletter without list-post", header("List-Unsubscribe: <mailto:u@x.com>"), extract.FieldFrom, Newsletter},
		{"list-post makes it a group", header("List-Unsubscribe: <mailto:u@x.com>", "List-Post: <mailto:l@x.com>"), extract.FieldListPost, Group},
		{"list-post: no tag for the sender", header("List-Id: <l.x.com>", "List-Post: <mailto:l@x.com>"), extract.FieldFrom, ""},
		{"chat before newsletter", header("X-LinkedIn-Class: INMAIL", "List-Unsubscribe: <x>"), extract.FieldReplyTo, Chat},
		{"transactional only when nothing else fired", header("List-Unsubscribe: <x>", "X-Mailer: MailChimp"), extract.FieldFrom, Newsletter},
		{"auto-replied is not transactional", header("Auto-Submitted: auto-replied"), extract.FieldFrom, ""},
		{"recipient of a newsletter keeps nothing", header("List-Unsubscribe: <x>"), extract.FieldTo, ""},
		{"precedence list", header("Precedence: list"), extract.FieldListPost, Group},
	}
	for _, tt := range tests {
		if got := HeaderTag(tt.h, tt.field); got != tt.want {
			t.Errorf("%s: HeaderTag = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCombine(t *testing.T) {
	tests := []struct {
		name    string
		address []string
		counts  map[string]int
		senders int
		want    []string
	}{
		{"professional in list-post becomes group", []string{Professional}, map[string]int{Group: 10}, 10, []string{Professional, Group}},
		{"role loses role for a header tag", []string{Professional, Role}, map[string]int{Newsletter: 5}, 5, []string{Professional, Newsletter}},
		{"one newsletter among many messages is ignored", []string{Professional}, map[string]int{Newsletter: 1}, 30, []string{Professional}},
		{"majority newsletter", []string{Professional}, map[string]int{Newsletter: 20}, 30, []string{Professional, Newsletter}},
		{"personal never gets header tags", []string{Personal}, map[string]int{Newsletter: 9}, 9, []string{Personal}},
		{"no-reply stays", []string{NoReply}, map[string]int{Transactional: 3}, 3, []string{NoReply}},
	}
	for _, tt := range tests {
		if got := Combine(tt.address, tt.counts, tt.senders); !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s: Combine = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestHiddenByDefault(t *testing.T) {
	for _, tags := range [][]string{{NoReply}, {Transactional}, {Professional, Newsletter}, {Disposable}} {
		if !HiddenByDefault(tags) {
			t.Errorf("%v should be hidden by default", tags)
		}
	}
	for _, tags := range [][]string{{Personal}, {Professional, Role}, {Professional, Group}, {Professional, Chat}} {
		if HiddenByDefault(tags) {
			t.Errorf("%v should be shown by default", tags)
		}
	}
}

func TestDomainLists(t *testing.T) {
	for d, want := range map[string]DomainKind{
		"gmail.com": DomainProvider, "yahoo.fr": DomainProvider, "hey.com": DomainProvider,
		"mailinator.com": DomainDisposable, "acme-robotics.com": DomainCustom, "example.com": DomainCustom,
	} {
		if got := KindOfDomain(d); got != want {
			t.Errorf("KindOfDomain(%q) = %v, want %v", d, got, want)
		}
	}
}
