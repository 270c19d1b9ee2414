package demo

import (
	"strconv"
	"strings"
	"time"
)

// Mail clients each leave their own fingerprint on a header: field order and
// casing, Message-ID shape, date layout, reply prefix, how they encode names
// and fold lines. Mimicking a dozen of them is what makes the demo mailbox
// look like a real one to the parser.

type zoneID uint8

const (
	zUTC zoneID = iota
	zLondon
	zParis
	zAthens
	zMoscow
	zIndia
	zShanghai
	zTokyo
	zNewYork
	zChicago
	zLosAngeles
	zSaoPaulo
)

type dstRule uint8

const (
	noDST dstRule = iota
	euDST
	usDST
)

// zone is a fixed offset plus a summer-time rule; fixed zones keep the demo
// independent of the host's tzdata.
type zone struct {
	std, dst string
	minutes  int
	rule     dstRule
}

var zones = [...]zone{
	zUTC:        {"UTC", "", 0, noDST},
	zLondon:     {"GMT", "BST", 0, euDST},
	zParis:      {"CET", "CEST", 60, euDST},
	zAthens:     {"EET", "EEST", 120, euDST},
	zMoscow:     {"MSK", "", 180, noDST},
	zIndia:      {"IST", "", 330, noDST},
	zShanghai:   {"CST", "", 480, noDST},
	zTokyo:      {"JST", "", 540, noDST},
	zNewYork:    {"EST", "EDT", -300, usDST},
	zChicago:    {"CST", "CDT", -360, usDST},
	zLosAngeles: {"PST", "PDT", -480, usDST},
	zSaoPaulo:   {"-03", "", -180, noDST},
}

// in converts t to the zone's local time, switching to summer time on the
// real EU and US rules (to the day, which is all a Date header needs).
func (z zone) in(t time.Time) time.Time {
	if summer(t.UTC(), z.rule) {
		return t.In(time.FixedZone(z.dst, (z.minutes+60)*60))
	}
	return t.In(time.FixedZone(z.std, z.minutes*60))
}

func summer(t time.Time, rule dstRule) bool {
	y := t.Year()
	var start, end time.Time
	switch rule {
	case euDST: // last Sunday of March to last Sunday of October
		start, end = lastSunday(y, time.March), lastSunday(y, time.October)
	case usDST: // second Sunday of March to first Sunday of November
		start, end = nthSunday(y, time.March, 2), nthSunday(y, time.November, 1)
	default:
		return false
	}
	return !t.Before(start) && t.Before(end)
}

func nthSunday(y int, m time.Month, n int) time.Time {
	d := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
	d = d.AddDate(0, 0, (7-int(d.Weekday()))%7)
	return d.AddDate(0, 0, 7*(n-1))
}

func lastSunday(y int, m time.Month) time.Time {
	d := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC)
	return d.AddDate(0, 0, -int(d.Weekday()))
}

// fieldID names the header slots a message fills; each client writes them in
// its own order.
type fieldID uint8

const (
	hDate fieldID = iota
	hFrom
	hSender
	hReplyTo
	hTo
	hCc
	hBcc
	hSubject
	hMessageID
	hInReplyTo
	hReferences
	hExtra // list, bulk and auto-reply fields
	hAgent // X-Mailer, User-Agent and other client-specific fields
	hMIME
	hContentType
	nFields
)

var (
	orderStd     = []fieldID{hDate, hFrom, hSender, hReplyTo, hTo, hCc, hBcc, hSubject, hMessageID, hInReplyTo, hReferences, hExtra, hAgent, hMIME, hContentType}
	orderGmail   = []fieldID{hMIME, hDate, hReferences, hInReplyTo, hMessageID, hSubject, hFrom, hSender, hReplyTo, hTo, hCc, hBcc, hExtra, hAgent, hContentType}
	orderOutlook = []fieldID{hFrom, hSender, hReplyTo, hTo, hCc, hBcc, hSubject, hDate, hMessageID, hReferences, hInReplyTo, hAgent, hExtra, hContentType, hMIME}
	orderApple   = []fieldID{hContentType, hMIME, hSubject, hFrom, hSender, hReplyTo, hInReplyTo, hDate, hCc, hBcc, hMessageID, hReferences, hTo, hExtra, hAgent}
)

type mailerID uint8

const (
	mApple mailerID = iota
	mIPhone
	mGmail
	mOutlook
	mOutlookDE
	mOutlookFR
	mThunderbird
	mYahoo
	mGMX
	mQQ
	mEudora
	mAlpine
	mServer // bulk and notification platforms
)

type idStyle uint8

const (
	idApple idStyle = iota
	idGmail
	idOutlook
	idThunderbird
	idYahoo
	idGMX
	idQQ
	idEudora
	idAlpine
	idServer
)

type ctStyle uint8

const (
	ctApple ctStyle = iota
	ctGmail
	ctOutlook
	ctFlowed
	ctYahoo
	ctQQ
	ctLatin1
	ctAlpine
	ctHTML
)

// Date layouts seen in the wild; all parse with net/mail.ParseDate.
const (
	dateStd    = "Mon, 2 Jan 2006 15:04:05 -0700"
	datePadded = "Mon, 02 Jan 2006 15:04:05 -0700"
	dateZone   = "Mon, 2 Jan 2006 15:04:05 -0700 (MST)"
	dateNoDay  = "2 Jan 2006 15:04:05 -0700"
)

type mailer struct {
	agent    []string // alternating field names and values
	re, fwd  string
	stack    bool // keeps an earlier prefix: "AW: Re: ..."
	date     string
	ids      idStyle
	ct       ctStyle
	q        bool   // encoded-words use Q rather than B
	lower    bool   // charset written "utf-8"
	fold     string // continuation of a folded line
	order    []fieldID
	idName   string // "Message-ID", or Apple's "Message-Id"
	mimeName string // "MIME-Version", or Apple's "Mime-Version"
	mime     string
}

var mailers = [...]mailer{
	mApple: {agent: []string{"X-Mailer", "Apple Mail (2.3774.600.62)"}, re: "Re: ", fwd: "Fwd: ", date: dateStd, ids: idApple, ct: ctApple,
		q: true, lower: true, fold: "\r\n\t", order: orderApple, idName: "Message-Id", mimeName: "Mime-Version", mime: `1.0 (Mac OS X Mail 16.0 \(3774.600.62\))`},
	mIPhone: {agent: []string{"X-Mailer", "iPhone Mail (21F90)"}, re: "Re: ", fwd: "Fwd: ", date: dateStd, ids: idApple, ct: ctApple,
		q: true, lower: true, fold: "\r\n\t", order: orderApple, idName: "Message-Id", mimeName: "Mime-Version", mime: "1.0 (1.0)"},
	mGmail: {re: "Re: ", fwd: "Fwd: ", date: dateStd, ids: idGmail, ct: ctGmail, fold: "\r\n ", order: orderGmail, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mOutlook: {agent: []string{"X-MS-Has-Attach", "", "X-MS-TNEF-Correlator", "", "Content-Language", "en-US"}, re: "RE: ", fwd: "FW: ",
		date: dateStd, ids: idOutlook, ct: ctOutlook, fold: "\r\n\t", order: orderOutlook, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mOutlookDE: {agent: []string{"X-MS-Has-Attach", "", "Content-Language", "de-DE"}, re: "AW: ", fwd: "WG: ", stack: true,
		date: dateStd, ids: idOutlook, ct: ctOutlook, fold: "\r\n\t", order: orderOutlook, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mOutlookFR: {agent: []string{"X-MS-Has-Attach", "", "Content-Language", "fr-FR"}, re: "RE : ", fwd: "TR : ", stack: true,
		date: dateStd, ids: idOutlook, ct: ctOutlook, fold: "\r\n\t", order: orderOutlook, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mThunderbird: {agent: []string{"User-Agent", "Mozilla Thunderbird"}, re: "Re: ", fwd: "Fwd: ", date: datePadded, ids: idThunderbird,
		ct: ctFlowed, fold: "\r\n ", order: orderStd, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mYahoo: {agent: []string{"X-Mailer", "WebService/1.1.21797 YMailNorrin"}, re: "Re: ", fwd: "Fwd: ", date: datePadded, ids: idYahoo,
		ct: ctYahoo, q: false, fold: "\r\n ", order: orderStd, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mGMX: {agent: []string{"Importance", "normal", "Sensitivity", "Normal"}, re: "Aw: ", fwd: "Fw: ", date: dateStd, ids: idGMX,
		ct: ctFlowed, fold: "\r\n ", order: orderStd, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mQQ: {agent: []string{"X-Mailer", "QQMail 2.x", "X-QQ-MID", "xmsezb5a-0t1700000000"}, re: "回复：", fwd: "转发：", date: dateStd, ids: idQQ,
		ct: ctQQ, fold: "\r\n\t", order: orderStd, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mEudora: {agent: []string{"X-Mailer", "QUALCOMM Windows Eudora Version 7.1.0.9"}, re: "Re: ", fwd: "Fwd: ", date: dateNoDay, ids: idEudora,
		ct: ctLatin1, q: true, fold: "\r\n ", order: orderStd, idName: "Message-Id", mimeName: "Mime-Version", mime: "1.0"},
	mAlpine: {agent: []string{"User-Agent", "Alpine 2.26 (DEB 649 2022-06-02)"}, re: "Re: ", fwd: "Fwd: ", date: dateZone, ids: idAlpine,
		ct: ctAlpine, q: true, fold: "\r\n ", order: orderStd, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
	mServer: {date: datePadded, ids: idServer, ct: ctHTML, fold: "\r\n ", order: orderStd, idName: "Message-ID", mimeName: "MIME-Version", mime: "1.0"},
}

// The helpers below turn a message token into client-shaped identifiers.
// They draw from mix so that rendering needs no shared random state.

const (
	alnum  = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	gmailc = alnum + "+_="
	hexLow = "0123456789abcdef"
	hexUp  = "0123456789ABCDEF"
)

// mix is splitmix64 over (token, n): the n-th pseudo-random word of a message.
func mix(tok, n uint64) uint64 {
	z := tok + (n+1)*0x9e3779b97f4a7c15
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// chars writes n characters of alphabet drawn from the token, stream seed.
func chars(tok, seed uint64, alphabet string, n int) string {
	var b strings.Builder
	b.Grow(n)
	for i := 0; i < n; i++ {
		b.WriteByte(alphabet[mix(tok, seed*64+uint64(i))%uint64(len(alphabet))])
	}
	return b.String()
}

func uuid(tok uint64, digits string) string {
	s := chars(tok, 7, digits, 32)
	variant := chars(tok, 8, "89ab", 1)
	if digits == hexUp {
		variant = strings.ToUpper(variant)
	}
	return s[:8] + "-" + s[8:12] + "-4" + s[13:16] + "-" + variant + s[17:20] + "-" + s[20:]
}

func number(tok, seed uint64, n int) string {
	return chars(tok, seed+1000, "123456789", 1) + chars(tok, seed, "0123456789", n-1)
}

func domainOf(addr string) string {
	return addr[strings.LastIndexByte(addr, '@')+1:]
}

// messageID renders the Message-ID a client would make for a message.
func messageID(style idStyle, tok uint64, addr string) string {
	dom := domainOf(addr)
	switch style {
	case idGmail:
		return "<CA" + chars(tok, 1, gmailc, 44) + "@mail.gmail.com>"
	case idOutlook:
		host := "DB9PR0" + number(tok, 2, 1) + "MB" + number(tok, 3, 4)
		return "<" + host + chars(tok, 4, hexUp, 24) + "@" + host + ".eurprd0" + number(tok, 2, 1) + ".prod.outlook.com>"
	case idApple:
		return "<" + uuid(tok, hexUp) + "@" + dom + ">"
	case idThunderbird:
		return "<" + uuid(tok, hexLow) + "@" + dom + ">"
	case idYahoo:
		return "<" + number(tok, 5, 10) + "." + number(tok, 6, 7) + "." + number(tok, 8, 13) + "@mail.yahoo.com>"
	case idGMX:
		return "<trinity-" + uuid(tok, hexLow) + "-" + number(tok, 8, 13) + "@3c-app-gmx-bap" + number(tok, 9, 2) + ">"
	case idQQ:
		return "<tencent_" + chars(tok, 10, hexUp, 40) + "@qq.com>"
	case idEudora:
		return "<6.2.5.6.2." + number(tok, 11, 14) + "." + chars(tok, 12, hexLow, 8) + "@" + dom + ">"
	case idAlpine:
		return "<alpine.DEB.2.26." + number(tok, 13, 10) + "@" + strings.SplitN(addr, "@", 2)[0] + "-laptop>"
	default:
		return "<" + chars(tok, 14, hexLow, 24) + "." + number(tok, 15, 6) + "@" + dom + ">"
	}
}

// contentType renders the Content-Type a client writes on a new message; the
// value is pre-split where the client folds it.
func contentType(style ctStyle, tok uint64) []string {
	switch style {
	case ctApple:
		return []string{"text/plain;", "charset=utf-8"}
	case ctGmail:
		return []string{`multipart/alternative; boundary="000000000000` + chars(tok, 20, hexLow, 16) + `"`}
	case ctOutlook:
		return []string{"multipart/alternative;", `boundary="_000_` + chars(tok, 21, alnum, 28) + `_"`}
	case ctFlowed:
		return []string{"text/plain; charset=UTF-8; format=flowed"}
	case ctYahoo:
		return []string{"multipart/alternative;", `boundary="----=_Part_` + number(tok, 22, 7) + "_" + number(tok, 23, 9) + "." + number(tok, 24, 13) + `"`}
	case ctQQ:
		return []string{"multipart/alternative;", `boundary="----=_NextPart_` + chars(tok, 25, hexUp, 8) + "_" + chars(tok, 26, hexUp, 8) + `"`}
	case ctLatin1:
		return []string{`text/plain; charset="iso-8859-1"; format=flowed`}
	case ctAlpine:
		return []string{"TEXT/PLAIN; charset=US-ASCII; format=flowed"}
	default:
		return []string{`multipart/alternative; boundary="` + chars(tok, 27, hexLow, 30) + `"`}
	}
}

// ip is a documentation-range address (RFC 5737) for Received fields.
func ip(tok uint64, host string) string {
	if host == "localhost" {
		return "127.0.0.1"
	}
	nets := [...]string{"192.0.2.", "198.51.100.", "203.0.113."}
	return nets[mix(tok, 30)%3] + strconv.Itoa(int(mix(tok, 31)%253)+1)
}
