package demo

import (
	"strconv"
	"strings"
)

// Renderers for mail no person typed: newsletters, notifications, auto-replies,
// shares sent on someone's behalf, cron reports and spam. Their headers carry
// the signals the classifier keys on (List-Unsubscribe, Precedence,
// Auto-Submitted, ESP fields), so each platform gets its real set.

// id is the Message-ID of a planned message, shaped by whoever sent it.
func (c *corpus) id(m *message) string {
	switch m.kind {
	case kMail, kList, kOOO:
		p := &c.d.people[m.from.idx()]
		return messageID(mailers[p.Mailer].ids, m.token, c.d.address(m.from))
	case kNews:
		return messageID(idServer, m.token, newsletters[m.aux].Addr)
	case kNotify:
		if notifiers[m.aux].Kind == nGit {
			return "<" + gitThread(m) + "/c" + number(m.token, 60, 9) + "@gitforge.dev>"
		}
		return messageID(idServer, m.token, notifiers[m.aux].Addr)
	case kDrive:
		return "<" + chars(m.token, 61, alnum, 22) + "-" + chars(m.token, 62, hexLow, 8) + "@google.com>"
	case kInMail:
		return "<" + number(m.token, 63, 9) + "." + number(m.token, 64, 4) + ".JavaMail.app@lor1-app" + number(m.token, 65, 5) + ".prod.linkedin.com>"
	case kSpam:
		return messageID(idServer, m.token, spam[m.aux].Addr)
	}
	return ""
}

// gitThread names the pull request or issue a forge notification is about.
func gitThread(m *message) string {
	what := "pull"
	if strings.Contains(m.subject, "(Issue #") {
		what = "issues"
	}
	return "northwind-labs/platform/" + what + "/" + strconv.Itoa(int(m.arg))
}

// plainSender stands for a sender with no client quirks.
var plainSender = &person{}

func (r *renderer) text(s string) {
	r.h.add(hSubject, "Subject", r.encodeText(s, plainSender), " ")
}

func (r *renderer) extra(name string, items ...string) {
	r.h.add(hExtra, name, items, ", ")
}

func (r *renderer) news() {
	m, tok := r.m, r.m.token
	nl := &newsletters[m.aux]
	dom, to := domainOf(nl.Addr), r.c.d.address(m.to[0])
	r.trace("bounce-"+chars(tok, 70, hexLow, 12)+"@mail."+dom, to, "mail."+dom)
	r.date(zNewYork)
	r.h.one(hFrom, "From", encodePhrase(nl.Name, "UTF-8", true, false)+" <"+nl.Addr+">")
	r.h.one(hTo, "To", ownerForm(mix(tok, 71), to))
	r.text(m.subject)
	r.h.one(hMessageID, "Message-ID", r.c.id(m))
	switch nl.ESP {
	case espMailchimp:
		r.extra("List-Unsubscribe", "<https://"+dom+"/unsubscribe?u="+chars(tok, 72, hexLow, 25)+"&id="+chars(tok, 73, hexLow, 10)+">",
			"<mailto:unsubscribe-"+chars(tok, 74, hexLow, 16)+"@mail."+dom+"?subject=unsubscribe>")
		r.extra("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
		r.extra("X-Campaign", "mailchimp"+chars(tok, 75, hexLow, 20))
		r.extra("Feedback-ID", number(tok, 76, 7)+":"+number(tok, 76, 7)+"."+number(tok, 77, 6)+":us21:mc")
		r.h.one(hAgent, "X-Mailer", "MailChimp Mailer - **CID"+chars(tok, 78, hexLow, 20)+"**")
	case espSendGrid:
		r.extra("List-Unsubscribe", "<https://email."+dom+"/asm/unsubscribe/?user_id="+number(tok, 79, 8)+"&data="+chars(tok, 80, alnum, 40)+">")
		r.h.add(hExtra, "X-SG-EID", []string{chars(tok, 81, alnum+"+/", 64), chars(tok, 82, alnum+"+/", 64), chars(tok, 83, alnum+"+/", 22) + "=="}, " ")
		r.h.slots[hExtra][len(r.h.slots[hExtra])-1].every = true
		r.extra("X-Entity-ID", chars(tok, 84, alnum, 22))
	case espSubstack:
		r.extra("List-Unsubscribe", "<https://"+dom+"/action/disable_email?token="+chars(tok, 85, alnum, 48)+">")
		r.extra("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
		r.extra("List-URL", "<https://"+dom+"/>")
		r.extra("Feedback-ID", "post-"+number(tok, 86, 9)+":cat-newsletter:substack")
		r.extra("X-Mailgun-Tag", "post")
	case espPlain:
		r.extra("List-Unsubscribe", "<mailto:leave-daily@"+dom+">")
		r.extra("Feedback-ID", "daily:"+strings.TrimSuffix(dom, ".news")+":phplist")
		r.h.one(hAgent, "X-Mailer", "phpList v3.6.15")
	}
	if nl.ListID != "" {
		r.extra("List-Id", nl.ListID)
	}
	r.extra("Precedence", "bulk")
	r.client()
}

func (r *renderer) notify() {
	m, tok := r.m, r.m.token
	n := &notifiers[m.aux]
	dom, to := domainOf(n.Addr), r.c.d.address(m.to[0])
	if n.Kind == nBounce {
		r.trace("", to, "localhost")
	} else {
		r.trace("bounces+"+chars(tok, 90, hexLow, 10)+"@em."+dom, to, "o"+number(tok, 91, 2)+".em."+dom)
	}
	r.date(zUTC)
	switch n.Kind {
	case nGit:
		r.gitFields()
	case nBounce:
		r.h.one(hFrom, "From", n.Name+" <"+n.Addr+">")
		r.h.one(hTo, "To", to)
		r.extra("Auto-Submitted", "auto-replied")
		r.extra("X-Failed-Recipients", bounced[m.arg])
	default:
		r.h.one(hFrom, "From", encodePhrase(n.Name, "UTF-8", false, false)+" <"+n.Addr+">")
		r.h.one(hTo, "To", ownerForm(mix(tok, 92), to))
	}
	r.text(m.subject)
	r.h.one(hMessageID, "Message-ID", r.c.id(m))
	switch {
	case n.Kind == nLinked:
		r.extra("List-Unsubscribe", "<https://www.linkedin.com/e/v2?e="+chars(tok, 93, alnum, 24)+"&a=unsubscribe>")
		r.extra("X-LinkedIn-Class", "EMAIL-DEFAULT")
		r.extra("X-LinkedIn-Template", "notifications_digest")
		r.extra("Precedence", "bulk")
	case n.Auto:
		r.extra("Auto-Submitted", "auto-generated")
		r.extra("X-Auto-Response-Suppress", "All")
	}
	r.client()
	if n.Kind == nBounce {
		r.contentType([]string{"multipart/report;", "report-type=delivery-status;", `boundary="` + chars(tok, 94, hexUp, 12) + `.` + number(tok, 95, 10) + `/mx1.northwind-labs.com"`})
	}
}

// gitFields mimics a code forge: the actor's name on the forge's address, a
// repository To, the owner on Cc and a reply-by-mail address.
func (r *renderer) gitFields() {
	m, tok := r.m, r.m.token
	actor := r.person(m.from)
	r.h.one(hFrom, "From", phrase(actor.Name)+" <notifications@gitforge.dev>")
	r.h.one(hReplyTo, "Reply-To", `"northwind-labs/platform" <reply+`+chars(tok, 96, hexUp, 40)+"@reply.gitforge.dev>")
	r.h.one(hTo, "To", `"northwind-labs/platform" <platform@noreply.gitforge.dev>`)
	r.h.add(hCc, "Cc", []string{ownerName + " <" + ownerWork + ">", `"Review requested" <review_requested@noreply.gitforge.dev>`}, ", ")
	if strings.HasPrefix(m.subject, "Re: ") {
		root := "<" + gitThread(m) + "@gitforge.dev>"
		r.h.one(hInReplyTo, "In-Reply-To", root)
		r.h.one(hReferences, "References", root)
	}
	r.extra("List-ID", "northwind-labs/platform <platform.northwind-labs.gitforge.dev>")
	r.extra("List-Archive", "https://gitforge.dev/northwind-labs/platform")
	r.extra("List-Unsubscribe", "<mailto:unsub+"+chars(tok, 97, hexLow, 24)+"@reply.gitforge.dev>",
		"<https://gitforge.dev/notifications/unsubscribe/1.0/"+chars(tok, 98, alnum, 32)+">")
	r.extra("X-GitForge-Reason", []string{"review_requested", "mention", "author", "subscribed"}[mix(tok, 99)%4])
	r.extra("X-GitForge-Sender", strings.ReplaceAll(actor.Addr[:strings.IndexByte(actor.Addr, '@')], ".", "-"))
}

func (r *renderer) autoReply() {
	m := r.m
	author := r.person(m.from)
	r.w = &mailers[author.Mailer]
	r.trace(r.c.d.address(m.from), ownerWork, r.sendingHost(m.from))
	r.date(author.Zone)
	r.h.one(hFrom, "From", r.mailbox(m.from))
	r.addrs(hTo, "To", m.to, 0)
	r.h.add(hSubject, "Subject", r.encodeText(m.subject, author), " ")
	r.threading()
	r.extra("Auto-Submitted", "auto-replied")
	r.extra("X-Auto-Response-Suppress", "All")
	r.extra("X-MS-Exchange-Inbox-Rules-Loop", author.Addr)
	r.client()
}

// drive is a share notification: the sharer's name with a "(via ...)" suffix
// on the platform's no-reply address, the sharer in Reply-To.
func (r *renderer) drive() {
	m, tok := r.m, r.m.token
	sharer := r.person(m.from)
	r.trace("3"+chars(tok, 100, alnum, 30)+"@doclist.bounces.google.com", ownerWork, "mail-sor-f"+number(tok, 101, 2)+".google.com")
	r.date(zUTC)
	r.h.one(hFrom, "From", phrase(sharer.Name+" (via Google Drive)")+" <drive-shares-noreply@google.com>")
	r.h.one(hReplyTo, "Reply-To", phrase(sharer.Name)+" <"+sharer.Addr+">")
	r.h.one(hTo, "To", ownerWork)
	r.text(m.subject)
	r.h.one(hMessageID, "Message-ID", r.c.id(m))
	r.extra("X-Notifications", chars(tok, 102, hexLow, 16))
	r.client()
}

// inmail is a LinkedIn message: "Name via LinkedIn" on a relay address, a
// per-message relay in Reply-To.
func (r *renderer) inmail() {
	m, tok := r.m, r.m.token
	name := recruiters[m.arg]
	r.trace("s-"+chars(tok, 103, alnum, 20)+"@bounce.linkedin.com", ownerWork, "mailb-ea.linkedin.com")
	r.date(zUTC)
	r.h.one(hFrom, "From", phrase(name+" via LinkedIn")+" <inmail-hit-reply@linkedin.com>")
	r.h.one(hReplyTo, "Reply-To", phrase(name)+" <inmail-"+strings.ToLower(chars(tok, 104, alnum, 20))+"@reply.linkedin.com>")
	r.h.one(hTo, "To", ownerName+" <"+ownerWork+">")
	r.text(m.subject)
	r.h.one(hMessageID, "Message-ID", r.c.id(m))
	r.extra("X-LinkedIn-Class", "INMAIL")
	r.extra("X-LinkedIn-Template", "inmail_v2")
	r.extra("X-LinkedIn-fbl", chars(tok, 105, hexLow, 40))
	r.client()
}

// cron is a cron report: no Message-ID, a Subject holding an address-like
// "<user@host>", environment fields in angle brackets.
func (r *renderer) cron() {
	r.trace("root@build.northwind-labs.com", ownerWork, "build.northwind-labs.com")
	r.date(zUTC)
	r.h.one(hFrom, "From", "Cron Daemon <root@build.northwind-labs.com>")
	r.h.one(hTo, "To", ownerWork)
	r.text("Cron <deploy@build> " + cronJobs[r.m.aux])
	r.extra("Auto-Submitted", "auto-generated")
	r.extra("Precedence", "bulk")
	for _, env := range []string{"SHELL=/bin/sh", "HOME=/home/deploy", "LOGNAME=deploy"} {
		r.extra("X-Cron-Env", "<"+env+">")
	}
	r.h.one(hMIME, "MIME-Version", "1.0")
	r.contentType([]string{"text/plain; charset=UTF-8"})
	r.h.one(hContentType, "Content-Transfer-Encoding", "8bit")
}

func (r *renderer) spam() {
	m, tok := r.m, r.m.token
	row := &spam[m.aux]
	r.trace(row.Addr, ownerWork, "mail"+number(tok, 110, 2)+"."+domainOf(row.Addr))
	r.date(zoneID(int(m.aux) % len(zones)))
	switch row.Style {
	case sBare:
		r.h.one(hFrom, "From", row.Addr)
	default:
		r.h.one(hFrom, "From", encodePhrase(row.Name, "UTF-8", false, false)+" <"+row.Addr+">")
	}
	if row.ReplyTo != "" {
		r.h.one(hReplyTo, "Reply-To", row.ReplyTo)
	}
	if m.flags&flUndisclosed != 0 {
		r.h.one(hTo, "To", "Undisclosed-Recipients:;")
	} else {
		r.h.one(hTo, "To", ownerWork)
	}
	r.text(row.Subject)
	r.h.one(hMessageID, "Message-ID", r.c.id(m))
	score := strconv.Itoa(8+int(mix(tok, 111)%12)) + "." + strconv.Itoa(int(mix(tok, 112)%10))
	r.extra("X-Spam-Flag", "YES")
	r.extra("X-Spam-Score", score)
	r.extra("X-Spam-Status", "Yes, score="+score+" required=5.0")
	r.h.one(hAgent, "X-Mailer", "Microsoft Outlook Express 6.00.2900.2180")
	r.client()
}
