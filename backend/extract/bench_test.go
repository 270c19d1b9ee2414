package extract

import (
	"strings"
	"testing"
)

// benchHeader is a realistic header section: a Received chain, DKIM, ten
// recipients over two folded lines, an encoded name, list headers.
func benchHeader() []byte {
	return []byte(strings.Join([]string{
		"Return-Path: <alice.martin@example.com>",
		"Delivered-To: me@example.com",
		"Received: from mx3.mail.example.org (mx3.mail.example.org [203.0.113.7])",
		"\tby imap.example.com (Postfix) with ESMTPS id 4Tq9Zk0XyZz9sRk",
		"\tfor <me@example.com>; Tue, 12 Mar 2024 09:41:07 +0100 (CET)",
		"Received: from smtp.example.com (smtp.example.com [198.51.100.20])",
		"\tby mx3.mail.example.org with ESMTP id x2C8f5Qm012345;",
		"\tTue, 12 Mar 2024 08:41:05 +0000",
		"Received: by smtp.example.com with SMTP id a1-20020a05600c;",
		"\tTue, 12 Mar 2024 01:41:04 -0700 (PDT)",
		"DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1;",
		"\th=from:to:cc:subject:date:message-id; bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;",
		"\tb=dGVzdCBzaWduYXR1cmUgZm9yIGJlbmNobWFya2luZyBvbmx5",
		"MIME-Version: 1.0",
		"From: =?UTF-8?Q?Alice_Mart=C3=ADn?= <alice.martin@example.com>",
		"Reply-To: Alice Martin <alice.martin+replies@example.com>",
		"To: Bob Stone <bob.stone@example.com>, \"Dupont, Marie\" <marie.dupont@example.fr>,",
		"\tcarol@example.net, Dan O'Neil <dan.oneil@example.org>, me@example.com",
		"Cc: Erin <erin@example.com>, \"Frank Zhang\" <frank.zhang@example.cn>,",
		"\tgrace.hopper@example.edu (Grace Hopper), Heidi <heidi+lists@example.de>,",
		"\tIvan =?KOI8-R?B?6dfBzg==?= <ivan@example.ru>",
		"Subject: Re: [dev] Quarterly report and planning for the next release",
		"Date: Tue, 12 Mar 2024 09:41:03 +0100",
		"Message-ID: <CAF4w9ZbQ3x7kz2H1r8yNsd0p@mail.example.com>",
		"In-Reply-To: <20240311170000.12345@example.net>",
		"References: <20240310120000.11111@example.org>",
		"\t<20240311170000.12345@example.net>",
		"List-Id: Developers <dev.lists.example.org>",
		"List-Post: <mailto:dev@lists.example.org>",
		"List-Unsubscribe: <mailto:dev-unsubscribe@lists.example.org>",
		"Content-Type: text/plain; charset=\"UTF-8\"; format=flowed",
		"Content-Transfer-Encoding: quoted-printable",
		"X-Mailer: Example Mail 4.2",
	}, "\r\n") + "\r\n\r\n")
}

func TestBenchHeader(t *testing.T) {
	x := NewExtractor([]string{"me@example.com"})
	m := x.Extract(benchHeader())
	if got := len(m.Occurrences); got != 12 { // 1 from, 4 to, 5 cc, 1 reply-to, 1 list-post
		t.Errorf("occurrences = %d: %+v", got, m.Occurrences)
	}
	if !m.ToMe || m.FromMe || !m.Conversation || m.Date.IsZero() || m.ListID != "dev.lists.example.org" ||
		m.Key != "mid:CAF4w9ZbQ3x7kz2H1r8yNsd0p@mail.example.com" {
		t.Errorf("message facts: %+v", m)
	}
}

func BenchmarkExtract(b *testing.B) {
	x := NewExtractor([]string{"me@example.com"})
	raw := benchHeader()
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		x.Extract(raw)
	}
}

func BenchmarkParseHeader(b *testing.B) {
	raw := benchHeader()
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		ParseHeader(raw)
	}
}

func BenchmarkParseAddressList(b *testing.B) {
	v := "Bob Stone <bob.stone@example.com>, \"Dupont, Marie\" <marie.dupont@example.fr>, " +
		"carol@example.net, Dan O'Neil <dan.oneil@example.org>, =?UTF-8?Q?Alice_Mart=C3=ADn?= <alice@example.com>"
	b.ReportAllocs()
	for b.Loop() {
		ParseAddressList(v, "")
	}
}
