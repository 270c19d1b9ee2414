package classify

import "leadminer/backend/extract"

// Where an address rule looks.
type addressMatch uint8

const (
	// matchWord: the pattern's words appear in a row among the local part's
	// words (split on . - _ +) or the domain's labels: "no-reply" matches
	// "no-reply-team@x" and "x@noreply.github.com", never "paul.hall@x".
	matchWord addressMatch = iota + 1
	// matchLocalEnd: the local part ends with the pattern's words ("team@").
	matchLocalEnd
	// matchLocalStart: the local part starts with the pattern's words and has
	// more after them ("reply-1234@", "support-fr@").
	matchLocalStart
	// matchAddressPrefix: the whole address starts with the pattern
	// ("order-update@amazon.").
	matchAddressPrefix
	// matchDomain: the domain is the pattern or a sub-domain of it.
	matchDomain
	// matchDomainFirst: the domain's first label is the pattern ("lists.").
	matchDomainFirst
	// matchAddress: the address is exactly the pattern.
	matchAddress
)

// AddressRule tags an address that matches Pattern the way Match says.
type AddressRule struct {
	Tag     string
	Match   addressMatch
	Pattern string
}

// AddressRules come from the hosted product's lists (reference §3.2), turned
// from substring checks into word checks, plus a few its lists miss (noted).
// Order matters only between tags: no-reply, transactional and newsletter
// stop the evaluation; role, chat and group add to professional.
var AddressRules = []AddressRule{
	// no-reply
	{NoReply, matchWord, "accusereception"},
	{NoReply, matchWord, "alert"},
	{NoReply, matchWord, "alerts"}, // added: plural of "alert"
	{NoReply, matchWord, "auto-confirm"},
	{NoReply, matchWord, "feedbackform"},
	{NoReply, matchWord, "maildaemon"},
	{NoReply, matchWord, "mailer-daemon"},
	{NoReply, matchWord, "mailermasters"},
	{NoReply, matchWord, "ne-pas-repondre"}, // also ne_pas_repondre, ne.pas.repondre
	{NoReply, matchWord, "nepasrepondre"},
	{NoReply, matchWord, "no-reply"}, // also no.reply, no_reply
	{NoReply, matchWord, "noreply"},
	{NoReply, matchWord, "notreply"},
	{NoReply, matchWord, "donotreply"},
	{NoReply, matchWord, "do-notreply"},
	{NoReply, matchWord, "do-not-reply"}, // also do_not_reply
	{NoReply, matchWord, "notification"},
	{NoReply, matchWord, "notifications"},
	{NoReply, matchWord, "notify"},
	{NoReply, matchWord, "pasdereponse"},
	{NoReply, matchWord, "password"},
	{NoReply, matchLocalStart, "reply"}, // "reply-" in the hosted list
	{NoReply, matchWord, "systemalert"},
	{NoReply, matchWord, "no-response"},
	{NoReply, matchWord, "noresponse"},  // added
	{NoReply, matchWord, "nevalaszolj"}, // added, from maildir-rank-addr (Hungarian)
	{NoReply, matchWord, "nincsvalasz"}, // added, idem

	// transactional
	{Transactional, matchDomain, "reply.github.com"},
	{Transactional, matchDomain, "boards.trello.com"},
	{Transactional, matchLocalEnd, "bot"},
	{Transactional, matchLocalEnd, "bounce"},
	{Transactional, matchLocalEnd, "bounces"}, // added
	{Transactional, matchWord, "unsub"},       // "unsub-" in the hosted list; also unsub+tag once folded
	{Transactional, matchWord, "unsubscribe"},
	{Transactional, matchDomain, "bnc3.mailjet.com"},
	{Transactional, matchDomain, "group.calendar.google.com"},
	{Transactional, matchLocalEnd, "wordpress"},
	{Transactional, matchLocalEnd, "receipts"}, // "receipts+" once the plus-tag is folded
	{Transactional, matchLocalEnd, "updates"},
	{Transactional, matchAddress, "confirmation-commande@amazon.fr"},
	{Transactional, matchAddress, "transaction@notice.aliexpress.com"},
	{Transactional, matchAddressPrefix, "order-update@amazon."},
	{Transactional, matchAddressPrefix, "shipment-tracking@amazon."},
	{Transactional, matchAddressPrefix, "payments-update@amazon."},
	{Transactional, matchAddressPrefix, "primenow-reply@amazon."},
	{Transactional, matchLocalEnd, "confirmation"},
	{Transactional, matchLocalEnd, "ship-confirm"},
	{Transactional, matchLocalEnd, "order-confirm"}, // order_confirm
	{Transactional, matchLocalEnd, "commandes"},
	{Transactional, matchLocalEnd, "commande"},
	{Transactional, matchLocalEnd, "orders"},
	{Transactional, matchLocalEnd, "replies"},
	{Transactional, matchLocalEnd, "infos.fr"},
	{Transactional, matchLocalEnd, "postmaster"},
	{Transactional, matchLocalEnd, "feedback"},
	{Transactional, matchLocalEnd, "mail"},
	{Transactional, matchLocalEnd, "connect"},
	{Transactional, matchLocalEnd, "livraison"},
	{Transactional, matchLocalEnd, "no-responder"}, // no_responder
	{Transactional, matchLocalEnd, "invitations"},

	// newsletter
	{Newsletter, matchDomainFirst, "campaigns"},
	{Newsletter, matchLocalEnd, "newsletter"},
	{Newsletter, matchDomainFirst, "newsletter"},
	{Newsletter, matchLocalEnd, "newsletters"},
	{Newsletter, matchDomainFirst, "newsletters"},
	{Newsletter, matchDomain, "substack.io"},
	{Newsletter, matchDomain, "substack.com"}, // added: Substack's sending domain

	// role (professional addresses only)
	{Role, matchDomainFirst, "info"},
	{Role, matchLocalEnd, "information"},
	{Role, matchLocalEnd, "info"},
	{Role, matchLocalEnd, "infos"},
	{Role, matchLocalEnd, "hello"},
	{Role, matchLocalEnd, "welcome"},
	{Role, matchLocalEnd, "news"},
	{Role, matchLocalEnd, "sales"},
	{Role, matchLocalEnd, "bonjour"},
	{Role, matchLocalEnd, "greetings"},
	{Role, matchLocalEnd, "spam"},
	{Role, matchLocalEnd, "abuse"},
	{Role, matchLocalEnd, "all"},
	{Role, matchLocalEnd, "admin"},
	{Role, matchLocalEnd, "root"},
	{Role, matchLocalEnd, "account"},
	{Role, matchLocalEnd, "boutique"},
	{Role, matchLocalEnd, "recrutement"},
	{Role, matchLocalEnd, "team"},
	{Role, matchLocalEnd, "communication"},
	{Role, matchLocalEnd, "hr"},
	{Role, matchLocalEnd, "marketing"},
	{Role, matchLocalEnd, "carreer"},
	{Role, matchLocalEnd, "career"},  // added: the correct spelling
	{Role, matchLocalEnd, "careers"}, // added
	{Role, matchLocalEnd, "formation"},
	{Role, matchLocalEnd, "bienvenue"},
	{Role, matchLocalEnd, "hey"},
	{Role, matchLocalStart, "support"},
	{Role, matchLocalEnd, "support"},
	{Role, matchDomainFirst, "support"},
	{Role, matchDomain, "zendesk.com"},
	{Role, matchDomain, "intercom-mail.com"},
	{Role, matchLocalEnd, "help"},
	{Role, matchLocalEnd, "customercare"},
	{Role, matchLocalEnd, "community"},
	{Role, matchLocalEnd, "web"},
	{Role, matchLocalEnd, "service-client"},
	{Role, matchLocalEnd, "serviceclient"},
	{Role, matchLocalEnd, "windows"},
	{Role, matchLocalEnd, "commercial"},
	{Role, matchLocalEnd, "customer.service"},
	{Role, matchLocalEnd, "developpement"},
	{Role, matchLocalEnd, "webmaster"},
	{Role, matchLocalEnd, "service"},
	{Role, matchLocalEnd, "facture"},
	{Role, matchLocalEnd, "questions"},

	// chat
	{Chat, matchDomain, "reply.airbnb.com"},
	{Chat, matchDomain, "reply.linkedin.com"},
	{Chat, matchDomain, "messagerie.leboncoin.fr"},
	{Chat, matchDomain, "mail.2dehands.be"},
	{Chat, matchDomain, "reply.facebook.com"},
	{Chat, matchDomainFirst, "reply"},

	// group
	{Group, matchDomainFirst, "list"},
	{Group, matchDomainFirst, "lists"},
	{Group, matchDomainFirst, "listes"},
	{Group, matchDomainFirst, "sympa"},
	{Group, matchDomain, "gaggle.email"},
	{Group, matchDomain, "groups.io"},
	{Group, matchDomain, "framalistes.org"},
	{Group, matchDomain, "groups.google.com"},
	{Group, matchDomain, "googlegroups.com"}, // added
	{Group, matchDomain, "yahoogroupes.fr"},
	{Group, matchDomain, "googlegroups.fr"},
	{Group, matchDomain, "framagroupes.org"},
	{Group, matchLocalEnd, "sympa-request"},
	{Group, matchLocalEnd, "sympa"},
}

// HeaderCondition is one header test; a rule fires when any of its
// conditions holds.
type HeaderCondition struct {
	// Name is a lower-case header name, or a name prefix when Prefix is set.
	Name   string
	Prefix bool
	// Contains, when set, requires the (lower-cased) first value to contain
	// one of these; otherwise presence is enough.
	Contains []string
}

// HeaderRule tags the contacts found in Fields of a message whose headers
// meet any Condition (and none of Unless).
type HeaderRule struct {
	Tag        string
	Fields     []extract.Field
	Unless     []string // headers whose presence disables the rule
	Conditions []HeaderCondition
}

// HeaderRules are the hosted product's header rules (reference §3.3), in its
// order: the first rule that fires gives the message its only header tag.
var HeaderRules = []HeaderRule{
	{
		Tag:    Chat,
		Fields: []extract.Field{extract.FieldReplyTo},
		Conditions: []HeaderCondition{
			{Name: "x-linkedin-class", Contains: []string{"inmail", "email-default", "mbr-to-mbr"}},
		},
	},
	{
		Tag:    Newsletter,
		Fields: []extract.Field{extract.FieldFrom, extract.FieldReplyTo},
		Unless: []string{"list-post"},
		Conditions: []HeaderCondition{
			{Name: "list-unsubscribe"}, {Name: "list-id"}, {Name: "list"},
		},
	},
	{
		Tag:    Group,
		Fields: []extract.Field{extract.FieldListPost},
		Conditions: []HeaderCondition{
			{Name: "list-post"}, {Name: "x-original-from"},
			{Name: "precedence", Contains: []string{"list"}},
		},
	},
	{
		Tag:        Group,
		Fields:     []extract.Field{extract.FieldReplyTo},
		Conditions: []HeaderCondition{{Name: "mailing-list"}},
	},
	{
		Tag:    Transactional,
		Fields: []extract.Field{extract.FieldFrom},
		Conditions: []HeaderCondition{
			{Name: "feedback-id", Prefix: true},
			{Name: "x-feedback-id", Prefix: true},
			{Name: "x-mandrill-user", Prefix: true},
			{Name: "x-marketoid", Prefix: true},
			{Name: "x-campaignid", Prefix: true},
			{Name: "x-job", Prefix: true},
			{Name: "x-linkedin", Prefix: true},
			{Name: "x-mailgun", Prefix: true},
			{Name: "x-github", Prefix: true},
			{Name: "x-msfbl", Prefix: true},
			{Name: "x-netsuite", Prefix: true},
			{Name: "x-sg-eid", Prefix: true},
			{Name: "x-mailer", Contains: []string{"ec-messenger", "nlserver", "mailchimp", "nodemailer"}},
			{Name: "auto-submitted", Contains: []string{"auto-generated"}},
			{Name: "x-gnd-status", Contains: []string{"pce", "mce", "spam", "social", "purchase", "account", "travel", "finance", "alerting", "bounce", "suspect"}},
			{Name: "x-spam-flag", Contains: []string{"true"}},
			{Name: "x-amazon-mail-relay-type", Contains: []string{"notification"}},
		},
	},
}
