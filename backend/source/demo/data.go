package demo

// This file holds the demo mailbox's cast and wording as plain tables, so the
// generator stays small and a reader can see at a glance who is in the demo.
// Company domains are invented; the only real domains are free mail providers
// and the few platforms whose quirks the extractor must handle (Google Drive,
// LinkedIn, Substack).

const (
	ownerName = "Alex Morgan"
	ownerWork = "alex.morgan@northwind-labs.com"
	ownerHome = "alex.morgan.home@gmail.com"
	// ownerNews is the plus-address the owner gives to newsletters: it is the
	// owner, not a contact, once the tag is stripped.
	ownerNews = "alex.morgan+news@northwind-labs.com"

	listName = "dev-discuss"
	listAddr = "dev-discuss@lists.example.org"
	listID   = "dev-discuss.lists.example.org"
)

// group says how a person relates to the owner, which decides the kind of
// mail they exchange.
type group uint8

const (
	gOwner     group = iota
	gColleague       // same company domain
	gClient          // clients and partners at other companies
	gPersonal        // friends and family on free providers
	gProspect        // the owner writes to them, they never answer
	gCold            // they write to the owner, who never answers
	gList            // only seen on the mailing list
	gListAddr        // the mailing list itself
)

// nameStyle is how a person's own mail client writes their name in From.
type nameStyle uint8

const (
	sPlain     nameStyle = iota // atom, or quoted string when it needs it
	sUTF8B                      // =?UTF-8?B?...?=
	sUTF8Q                      // =?UTF-8?Q?...?=
	sUTF8Mixed                  // ASCII words bare, the others one encoded-word
	sUTF8Split                  // one name split over two adjacent encoded-words
	sLatin1Q                    // =?ISO-8859-1?Q?...?=
	sCP1252Q                    // =?windows-1252?Q?...?=
	sKOI8B                      // =?KOI8-R?B?...?=
	sJISB                       // =?ISO-2022-JP?B?...?=
	sGBB                        // =?GB2312?B?...?=
	sRaw8                       // raw Latin-1 bytes, no encoding at all (broken client)
	sRawUTF8                    // raw UTF-8 (RFC 6532)
	sAddrName                   // "addr" <addr>
	sComment                    // addr (Name)
	sBare                       // addr alone
)

// lang picks the language of the subjects a person starts threads with.
type lang uint8

const (
	en lang = iota
	fr
	de
	ja
	ru
	pt
	es
	zh
)

// person is one address of the cast. Weight is how often they exchange mail
// with the owner: the few heavy weights must come out clearly on top.
type person struct {
	Name    string
	Addr    string
	Alias   string // how other people's address books spell the name
	Plus    string // a tag they sometimes write from: local+tag@domain
	ReplyTo string // an address their mail asks replies to go to
	Style   nameStyle
	Group   group
	Weight  int
	Zone    zoneID
	Mailer  mailerID
	Lang    lang
}

var owners = []person{
	{Name: ownerName, Addr: ownerWork, Group: gOwner, Zone: zLondon, Mailer: mApple},
	{Name: ownerName, Addr: ownerHome, Group: gOwner, Zone: zLondon, Mailer: mGmail},
	{Name: ownerName, Addr: ownerNews, Group: gOwner, Zone: zLondon, Mailer: mApple},
}

var colleagues = []person{
	{Name: "Jordan Reyes", Addr: "jordan.reyes@northwind-labs.com", Weight: 40, Zone: zLondon, Mailer: mGmail},
	{Name: "Priya Natarajan", Addr: "priya.natarajan@northwind-labs.com", Weight: 25, Zone: zLondon, Mailer: mApple},
	{Name: "Ben Okafor", Addr: "ben.okafor@northwind-labs.com", Weight: 12, Zone: zLondon, Mailer: mThunderbird},
	// The old product cut display names at "via"; this one must survive whole.
	{Name: "Olivia Vialet", Addr: "olivia.vialet@northwind-labs.com", Weight: 10, Zone: zParis, Mailer: mGmail},
	{Name: "Marcus Lindqvist", Addr: "marcus.lindqvist@northwind-labs.com", Weight: 6, Zone: zParis, Mailer: mGmail},
	{Name: "Hannah Kowalski", Addr: "hannah.kowalski@northwind-labs.com", Weight: 5, Zone: zLondon, Mailer: mApple},
	{Name: "Tom Becker", Addr: "tom.becker@northwind-labs.com", Weight: 5, Zone: zParis, Mailer: mGmail},
	{Name: "Aisha Bello", Addr: "aisha.bello@northwind-labs.com", Weight: 4, Zone: zLondon, Mailer: mGmail},
	{Name: "Léa Martin", Addr: "lea.martin@northwind-labs.com", Style: sUTF8Q, Weight: 4, Zone: zParis, Mailer: mApple},
	{Name: "Samuel Cohen", Addr: "samuel.cohen@northwind-labs.com", Weight: 3, Zone: zNewYork, Mailer: mGmail},
	{Name: "Chloë O’Brien", Addr: "chloe.obrien@northwind-labs.com", Alias: "Chloe O'Brien", Style: sCP1252Q, Weight: 3, Zone: zLondon, Mailer: mOutlook},
	{Name: "Diego Fernández", Addr: "diego.fernandez@northwind-labs.com", Style: sUTF8Mixed, Weight: 3, Zone: zParis, Mailer: mGmail},
	{Name: "Emma Schultz", Addr: "emma.schultz@northwind-labs.com", Weight: 2, Zone: zParis, Mailer: mGmail},
	{Name: "Noah Park", Addr: "noah.park@northwind-labs.com", Weight: 2, Zone: zLosAngeles, Mailer: mGmail},
	{Name: "Yuki Tanaka", Addr: "yuki.tanaka@northwind-labs.com", Weight: 2, Zone: zLondon, Mailer: mApple},
	{Name: "Grace Mensah", Addr: "grace.mensah@northwind-labs.com", Weight: 2, Zone: zLondon, Mailer: mGmail},
	{Name: "Ravi Iyer", Addr: "ravi.iyer@northwind-labs.com", Weight: 2, Zone: zIndia, Mailer: mGmail},
	{Name: "Sofia Rossi", Addr: "sofia.rossi@northwind-labs.com", Weight: 2, Zone: zParis, Mailer: mApple},
	{Name: "Kevin O'Hara", Addr: "kevin.ohara@northwind-labs.com", Weight: 2, Zone: zLondon, Mailer: mGmail},
	{Name: "Mia Andersson", Addr: "mia.andersson@northwind-labs.com", Weight: 1, Zone: zParis, Mailer: mGmail},
	{Name: "Lucas Moreau", Addr: "lucas.moreau@northwind-labs.com", Weight: 1, Zone: zParis, Mailer: mThunderbird},
	{Name: "Zara Ahmed", Addr: "zara.ahmed@northwind-labs.com", Weight: 1, Zone: zLondon, Mailer: mGmail},
	{Name: "Ethan Walsh", Addr: "ethan.walsh@northwind-labs.com", Weight: 1, Zone: zLondon, Mailer: mGmail},
	{Name: "Nadia Petrova", Addr: "nadia.petrova@northwind-labs.com", Weight: 1, Zone: zParis, Mailer: mGmail},
	{Name: "Owen Hughes", Addr: "owen.hughes@northwind-labs.com", Weight: 1, Zone: zLondon, Mailer: mGmail},
}

var clients = []person{
	// Bluepeak Analytics, New York.
	{Name: "Nina Patel", Addr: "nina.patel@bluepeak-analytics.com", Plus: "billing", Weight: 30, Zone: zNewYork, Mailer: mOutlook},
	{Name: "Derek Hollis", Addr: "derek.hollis@bluepeak-analytics.com", Weight: 6, Zone: zNewYork, Mailer: mOutlook},
	{Name: "Kim Nguyen", Addr: "kim.nguyen@bluepeak-analytics.com", Weight: 3, Zone: zNewYork, Mailer: mOutlook},
	// Harborline, San Francisco.
	{Name: "Sam Lee", Addr: "sam.lee@harborline.io", Weight: 20, Zone: zLosAngeles, Mailer: mGmail},
	{Name: "Rachel Stein", Addr: "rachel.stein@harborline.io", Weight: 5, Zone: zLosAngeles, Mailer: mGmail},
	{Name: "Harborline Support", Addr: "support@harborline.io", Weight: 3, Zone: zLosAngeles, Mailer: mGmail},
	// Quillstone, London.
	{Name: "Ed Harris", Addr: "ed.harris@quillstone.co.uk", Plus: "invoices", Weight: 8, Zone: zLondon, Mailer: mOutlook},
	{Name: "Fiona Blake", Addr: "fiona.blake@quillstone.co.uk", Weight: 4, Zone: zLondon, Mailer: mOutlook},
	{Name: "Oliver Grant", Addr: "oliver.grant@quillstone.co.uk", Weight: 2, Zone: zLondon, Mailer: mOutlook},
	// Verdant Systeme, Berlin.
	{Name: "Katharina Müller", Addr: "k.mueller@verdant-systeme.de", Alias: "Katharina Mueller", Style: sUTF8B, Weight: 6, Zone: zParis, Mailer: mOutlookDE, Lang: de},
	{Name: "Stefan Wolf", Addr: "s.wolf@verdant-systeme.de", Weight: 3, Zone: zParis, Mailer: mOutlookDE, Lang: de},
	{Name: "Jürgen Baumann", Addr: "j.baumann@verdant-systeme.de", Style: sRaw8, Weight: 2, Zone: zParis, Mailer: mEudora, Lang: de},
	// Atelier Lumen, Paris.
	{Name: "François Dupré", Addr: "francois.dupre@atelier-lumen.fr", Alias: "Francois Dupre", Style: sLatin1Q, Weight: 25, Zone: zParis, Mailer: mThunderbird, Lang: fr},
	{Name: "Dupont, Marie", Addr: "marie.dupont@atelier-lumen.fr", Alias: "Marie Dupont", Weight: 8, Zone: zParis, Mailer: mOutlookFR, Lang: fr},
	// Writes only from an old Eudora: raw Latin-1 name, no Message-ID.
	{Name: "Renée Lefèvre", Addr: "renee.lefevre@atelier-lumen.fr", Style: sRaw8, Zone: zParis, Mailer: mEudora, Lang: fr},
	// Kestrel Freight, Chicago.
	{Name: "Laura Jennings", Addr: "laura.jennings@kestrel-freight.com", Weight: 4, Zone: zChicago, Mailer: mOutlook},
	{Name: "Mike Duffy", Addr: "mike.duffy@kestrel-freight.com", Weight: 2, Zone: zChicago, Mailer: mOutlook},
	// Orbitra, Madrid.
	{Name: "José Luis García", Addr: "joseluis.garcia@orbitra.es", Style: sUTF8Q, Weight: 5, Zone: zParis, Mailer: mApple, Lang: es},
	{Name: "Pablo Ruiz", Addr: "pablo.ruiz@orbitra.es", Weight: 2, Zone: zParis, Mailer: mGmail, Lang: es},
	// Maplecrest Health, Toronto.
	{Name: "Heather MacLeod", Addr: "heather.macleod@maplecrest-health.ca", Weight: 5, Zone: zNewYork, Mailer: mOutlook},
	{Name: "Raj Malhotra", Addr: "raj.malhotra@maplecrest-health.ca", Weight: 3, Zone: zNewYork, Mailer: mOutlook},
	{Name: "Olivier Tremblay", Addr: "olivier.tremblay@maplecrest-health.ca", Weight: 2, Zone: zNewYork, Mailer: mOutlookFR},
	// Sakura Robotics, Tokyo.
	{Name: "山田 花子", Addr: "hanako.yamada@sakura-robotics.co.jp", Alias: "Hanako Yamada", Style: sJISB, Weight: 6, Zone: zTokyo, Mailer: mThunderbird, Lang: ja},
	{Name: "Kenji Sato", Addr: "k.sato@sakura-robotics.co.jp", Weight: 5, Zone: zTokyo, Mailer: mOutlook},
	{Name: "鈴木 一郎", Addr: "ichiro.suzuki@sakura-robotics.co.jp", Alias: "Ichiro Suzuki", Style: sUTF8B, Weight: 2, Zone: zTokyo, Mailer: mOutlook, Lang: ja},
	// Novaterra, São Paulo.
	{Name: "Carla Mendes", Addr: "carla.mendes@novaterra.com.br", Plus: "projects", Weight: 6, Zone: zSaoPaulo, Mailer: mGmail, Lang: pt},
	{Name: "João Pereira", Addr: "joao.pereira@novaterra.com.br", Style: sUTF8Q, Weight: 3, Zone: zSaoPaulo, Mailer: mGmail, Lang: pt},
	// Fjordbyte, Oslo.
	{Name: "Lars Berg", Addr: "lars.berg@fjordbyte.no", Weight: 6, Zone: zParis, Mailer: mThunderbird},
	{Name: "Ingrid Sørensen", Addr: "ingrid.sorensen@fjordbyte.no", Style: sUTF8B, Weight: 3, Zone: zParis, Mailer: mApple},
	{Name: "Henrik Dahl", Addr: "henrik.dahl@fjordbyte.no", Weight: 2, Zone: zParis, Mailer: mGmail},
	// Tidewater Capital, New York: the partner's mail asks replies to go to
	// his assistant.
	{Name: "Richard Hale", Addr: "richard.hale@tidewater-capital.com", ReplyTo: "emma.clarke@tidewater-capital.com", Weight: 8, Zone: zNewYork, Mailer: mOutlook},
	{Name: "Emma Clarke", Addr: "emma.clarke@tidewater-capital.com", Weight: 2, Zone: zNewYork, Mailer: mOutlook},
	// Severo Tech, Moscow.
	{Name: "Дмитрий Соколов", Addr: "d.sokolov@severo-tech.ru", Alias: "Dmitry Sokolov", Style: sKOI8B, Weight: 5, Zone: zMoscow, Mailer: mThunderbird, Lang: ru},
	{Name: "Анна Кузнецова", Addr: "a.kuznetsova@severo-tech.ru", Alias: "Anna Kuznetsova", Style: sUTF8B, Weight: 2, Zone: zMoscow, Mailer: mGmail, Lang: ru},
	// Cedarline Studio, Lisbon: a small partner agency.
	{Name: "Marta Coelho", Addr: "marta@cedarline-studio.pt", Weight: 3, Zone: zLondon, Mailer: mApple, Lang: pt},
	{Name: "Rui Santos", Addr: "rui@cedarline-studio.pt", Weight: 2, Zone: zLondon, Mailer: mGmail, Lang: pt},
}

var personals = []person{
	{Name: "王伟", Addr: "wangwei88@qq.com", Alias: "Wang Wei", Style: sGBB, Weight: 4, Zone: zShanghai, Mailer: mQQ, Lang: zh},
	{Name: "Julien Bernard", Addr: "julien.bernard@yahoo.fr", Weight: 3, Zone: zParis, Mailer: mYahoo, Lang: fr},
	{Name: "Katrin Vogel", Addr: "katrin.vogel@gmail.com", Plus: "travel", Weight: 4, Zone: zParis, Mailer: mGmail},
	{Name: "Lukas Weber", Addr: "lukas.weber@gmx.de", Weight: 2, Zone: zParis, Mailer: mGMX, Lang: de},
	{Name: "Maya Morgan", Addr: "maya.morgan@icloud.com", Weight: 12, Zone: zLondon, Mailer: mIPhone},
	{Name: "Dan Morgan", Addr: "dan.morgan58@outlook.com", Weight: 6, Zone: zLondon, Mailer: mOutlook},
	{Name: "ليلى حداد", Addr: "layla.haddad@gmail.com", Alias: "Layla Haddad", Style: sRawUTF8, Weight: 3, Zone: zAthens, Mailer: mGmail},
	{Name: "Νίκος Παπαδόπουλος", Addr: "nikos.pap@gmail.com", Alias: "Nikos Papadopoulos", Style: sRawUTF8, Weight: 3, Zone: zAthens, Mailer: mGmail},
	{Name: "chris.turner@gmail.com", Addr: "chris.turner@gmail.com", Alias: "Chris Turner", Style: sAddrName, Weight: 4, Zone: zLondon, Mailer: mGmail},
	{Name: "Bob Stone", Addr: "bob.stone@yahoo.com", Style: sComment, Weight: 3, Zone: zNewYork, Mailer: mAlpine},
	// An obsolete local part (consecutive dots) that old providers allowed.
	{Name: "Jenny Smith", Addr: "j..smith@yahoo.co.uk", Weight: 1, Zone: zLondon, Mailer: mYahoo},
	{Name: "Ana Lima", Addr: "ana.lima@outlook.com", Weight: 2, Zone: zSaoPaulo, Mailer: mOutlook, Lang: pt},
	{Name: "Maria Magdalena Świętosławska-Wiśniewska", Addr: "m.swietoslawska@outlook.com", Alias: "Magda Wisniewska", Style: sUTF8Split, Weight: 2, Zone: zParis, Mailer: mOutlook},
	{Name: "Emily Chen", Addr: "emily.chen@icloud.com", Weight: 3, Zone: zLosAngeles, Mailer: mIPhone},
	{Name: "Fatima Benali", Addr: "fatima.benali@outlook.fr", Weight: 2, Zone: zParis, Mailer: mOutlookFR, Lang: fr},
	{Name: "tomasz", Addr: "tomasz.k@gmx.de", Style: sBare, Weight: 2, Zone: zParis, Mailer: mGMX},
}

// prospects get mail from the owner and never answer.
var prospects = []person{
	{Name: "Atelier Lumen", Addr: "info@atelier-lumen.fr", Zone: zParis, Mailer: mGmail},
	// Left Orbitra: mail to her bounces.
	{Name: "Marta Ortega", Addr: "m.ortega@orbitra.es", Zone: zParis, Mailer: mGmail},
	{Name: "Greta Lindholm", Addr: "greta@brightfjord-design.se", Zone: zParis, Mailer: mGmail},
	{Name: "Paul Mercer", Addr: "paul.mercer@ironbridge-partners.com", Zone: zNewYork, Mailer: mOutlook},
	{Name: "Yasmin Khalil", Addr: "yasmin@solstice-ventures.ae", Zone: zMoscow, Mailer: mGmail},
	{Name: "Maplecrest Health", Addr: "info@maplecrest-health.ca", Zone: zNewYork, Mailer: mOutlook},
}

// colds write to the owner (pitches, recruiters) and never get an answer.
var colds = []person{
	{Name: "Kestrel Freight Sales", Addr: "sales@kestrel-freight.com", Zone: zChicago, Mailer: mOutlook},
	{Name: "Greg Fowler", Addr: "greg@leadspring-media.com", Zone: zNewYork, Mailer: mGmail},
	{Name: "Tanya Brooks", Addr: "tanya.brooks@apexreach.io", Zone: zLosAngeles, Mailer: mGmail},
	{Name: "Vikram Shah", Addr: "vikram@devhire-partners.com", Zone: zIndia, Mailer: mGmail},
	{Name: "Lena Hoffmann", Addr: "lena.hoffmann@conferencia-events.de", Zone: zParis, Mailer: mOutlookDE},
	{Name: "Mark Ellison", Addr: "mark@ellison-seo.net", Zone: zChicago, Mailer: mGmail},
	{Name: "Ольга Иванова", Addr: "olga.ivanova@mail.ru", Alias: "Olga Ivanova", Style: sUTF8B, Zone: zMoscow, Mailer: mGmail, Lang: ru},
}

// listOverlap are clients and colleagues who also post on the mailing list.
var listOverlap = []string{
	"lars.berg@fjordbyte.no", "k.sato@sakura-robotics.co.jp", "ben.okafor@northwind-labs.com",
	"sam.lee@harborline.io", "rui@cedarline-studio.pt", ownerWork,
}

// Mailing-list members are generated from these tables so that the list has
// many distinct posters without a long hand-written roster.
var (
	memberFirst = []string{
		"Aaron", "Beatriz", "Carlos", "Dana", "Elif", "Felix", "Gabriel", "Hiro",
		"Irene", "Jonas", "Kofi", "Linnea", "Mateo", "Nora", "Omar", "Petra",
		"Quentin", "Rosa", "Sven", "Tariq", "Uma", "Viktor", "Wendy", "Xavier",
		"Yara", "Zeno", "Alice", "Bruno", "Clara", "Dmitri", "Erik", "Farah",
		"Giulia", "Hugo", "Ines", "Jakub", "Kai", "Leila", "Magnus", "Nils",
	}
	memberLast = []string{
		"Schmidt", "Okoye", "Ruiz", "Whitfield", "Yilmaz", "Brandt", "Costa", "Nakamura",
		"Lindgren", "Novak", "Mensah", "Holm", "Vargas", "Keller", "Haddad", "Horvat",
		"Girard", "Ferreira", "Dahlberg", "Qureshi", "Rao", "Sokolov", "Price", "Lefort",
		"Silva", "Marchetti", "Baker", "Moreau", "Janssen", "Volkov", "Berg", "Aziz",
		"Romano", "Laurent", "Navarro", "Kowal", "Fischer", "Amini", "Olsen", "Strand",
	}
	// Yahoo posters come out of the list with a rewritten From (DMARC).
	memberDomains = []string{
		"gmail.com", "fastmail.fm", "byteorchard.dev", "quietloop.io", "yahoo.com",
		"meshwork.org", "outlook.com", "posteo.de", "riverstack.net", "protonmail.com",
		"lumenforge.io", "gmx.net", "cloudkite.dev",
	}
)

// Subjects a thread can open with, by who starts it.
var (
	colleagueSubjects = []string{
		"Hiring plan for Q3", "Roadmap review", "Staging redeploy tonight", "Board deck draft",
		"Expense policy update", "Customer interview notes", "Sprint retro", "Offsite ideas",
		"Pricing page copy", "Security questionnaire from Bluepeak", "Onboarding checklist",
		"Incident postmortem: API latency", "1:1 notes", "Invoice template", "Café Lumière meetup — who's in?",
		"Grant application", "Analytics dashboard broken?", "Interview loop for the backend role",
		"Conference talk proposal", "Laptop refresh", "Contract renewal with Harborline", "Weekly metrics",
		"OKR draft", "Benefits provider comparison", "Design review – new onboarding flow",
		"Prod database migration plan", "Holiday calendar", "Partner programme", "Travel to Tokyo", "Quick favour",
	}
	clientSubjects = []string{
		"Proposal for phase 2", "Kick-off call next week", "Statement of work — v3", "Data export questions",
		"Workshop agenda", "Timeline for the pilot", "Follow-up from our call", "Pricing options",
		"Contract redlines", "Access to the staging environment", "Quarterly review", "Feedback on the prototype",
		"Renewal terms", "Security review", "Integration with our CRM", "Next steps", "Budget approval",
		"Team availability in August", "Revised estimate", "Thank you!", "Request for references",
		"Case study draft", "Onsite visit", "NDA", "Roadmap alignment", "Questions before the board meeting",
		"Invoice for March", "Migration weekend", "API rate limits", "Training session for our team",
	}
	personalSubjects = []string{
		"Dinner on Saturday?", "Photos from the weekend", "Happy birthday!", "Flight details",
		"Recipe you asked for", "Moving day help", "Book recommendation", "Ski trip 🎿",
		"Mum's birthday present", "Running club", "Catch-up coffee?", "Wedding RSVP",
		"Holiday plans", "The article I mentioned", "Long time no see!", "Concert tickets",
	}
	// Threads other people open in their own language.
	langSubjects = [...][]string{
		fr: {"Réunion de lancement", "Devis pour la phase 2", "Compte rendu de l'atelier", "Question sur la facture", "Prochaines étapes", "Disponibilités la semaine prochaine"},
		de: {"Angebot für Phase 2", "Termin nächste Woche", "Rückfragen zum Vertrag", "Protokoll vom Workshop", "Rechnung März"},
		ja: {"お見積りの件", "打ち合わせの日程", "プロジェクトの進捗について", "資料送付のお願い"},
		ru: {"Договор на второй этап", "Встреча на следующей неделе", "Вопросы по интеграции"},
		pt: {"Proposta para a fase 2", "Reunião de alinhamento", "Próximos passos"},
		es: {"Propuesta para la fase 2", "Reunión de seguimiento", "Presupuesto revisado"},
		zh: {"周末聚会", "照片", "新年快乐"},
	}
	// coldSubjects follows the order of colds.
	coldSubjects = []string{
		"Freight quote for Q4", "Scaling Northwind's outbound", "Quick question, Alex",
		"Senior Go engineers available now", "Speaking slot at SaaS Connect Berlin",
		"Boost your SEO in 30 days", "Сотрудничество",
	}
	prospectSubjects = []string{
		"Introduction — Northwind Labs", "Following up on our chat at the conference",
		"Collaboration idea", "Quick intro",
	}
	// List thread subjects: a template and a component.
	listTemplates = []string{
		"Proposal: deprecate %s", "RFC: new %s API", "Flaky test in %s", "Question about %s configuration",
		"%s performance regression", "Docs for %s are out of date", "Release plan for %s", "Help: %s fails on Windows",
		"Benchmark results for %s", "Should %s be optional?",
	}
	listComponents = []string{
		"the scheduler", "the HTTP client", "config loading", "the plugin loader", "the CLI", "metrics export",
		"the storage layer", "TLS setup", "the retry policy", "logging", "the query planner", "the build scripts",
		"the cache", "auth tokens",
	}
	ooOPrefix = map[mailerID]string{
		mOutlook: "Automatic reply: ", mOutlookDE: "Abwesenheitsnotiz: ", mOutlookFR: "Réponse automatique : ",
	}
)

// esp is the sending platform of a bulk sender, which decides its headers.
type esp uint8

const (
	espMailchimp esp = iota
	espSendGrid
	espSubstack
	espPlain
)

// newsletter is one bulk sender and how often it wrote over three years.
type newsletter struct {
	Name, Addr string
	To         string // which owner address subscribed
	Issues     int
	Folder     folderID
	ESP        esp
	ListID     string // "" when the sender sets no List-Id
	Subjects   []string
}

var newsletters = []newsletter{
	{Name: "The Pragmatic Founder", Addr: "newsletter@pragmaticfounder.co", To: ownerWork, Issues: 150, Folder: fNews, ESP: espMailchimp,
		ListID:   "Pragmatic Founder <8c2f1e7a9b.pragmaticfounder.co>",
		Subjects: []string{"#%d: Pricing is a product decision", "#%d: Hiring your first salesperson", "#%d: The boring middle", "#%d: Saying no to customers", "#%d: Runway math"}},
	{Name: "Growth Weekly", Addr: "news@growthweekly.io", To: ownerWork, Issues: 80, Folder: fNews, ESP: espSendGrid,
		Subjects: []string{"Growth Weekly #%d — 5 onboarding teardowns", "Growth Weekly #%d — cold email that works", "Growth Weekly #%d — churn benchmarks"}},
	{Name: "Operator Notes", Addr: "hello@operatornotes.substack.com", To: ownerHome, Issues: 60, Folder: fInbox, ESP: espSubstack,
		ListID:   "Operator Notes <operatornotes.substack.com>",
		Subjects: []string{"Notes %d: what I got wrong about ops", "Notes %d: the weekly review", "Notes %d: delegating finance"}},
	{Name: "DevBrief", Addr: "digest@devbrief.news", To: ownerHome, Issues: 50, Folder: fInbox, ESP: espPlain,
		ListID:   "DevBrief daily <daily.devbrief.news>",
		Subjects: []string{"DevBrief %d: Go 1.x ships, Postgres tips", "DevBrief %d: the week in databases", "DevBrief %d: tooling roundup"}},
	{Name: "EuroStartups", Addr: "newsletter@eurostartups.eu", To: ownerWork, Issues: 36, Folder: fNews, ESP: espMailchimp,
		ListID:   "EuroStartups <3f9a0d1c55.eurostartups.eu>",
		Subjects: []string{"Édition %d : les levées du mois", "Issue %d: Europe's funding round-up", "Édition %d : où recrutent les startups"}},
	{Name: "Cloudmarket Deals", Addr: "deals@cloudmarket-offers.com", To: ownerNews, Issues: 30, Folder: fInbox, ESP: espSendGrid,
		Subjects: []string{"Deal #%d: 40%% off hosting this week", "Deal #%d: last chance — annual plans", "Deal #%d: your exclusive offer inside 🎁"}},
}

// notifKind says how a machine sender's mail is shaped.
type notifKind uint8

const (
	nPlain  notifKind = iota // transactional: receipts, orders, alerts
	nGit                     // code-forge notifications shown under a person's name
	nBounce                  // MAILER-DAEMON delivery failures
	nLinked                  // social network notifications
)

// notifier is a machine sender; Auto marks Auto-Submitted: auto-generated.
type notifier struct {
	Name, Addr string
	To         string
	Count      int
	Kind       notifKind
	Auto       bool
	Subjects   []string
}

var notifiers = []notifier{
	{Name: "GitForge", Addr: "notifications@gitforge.dev", To: ownerWork, Count: 110, Kind: nGit,
		Subjects: []string{"Re: [northwind-labs/platform] Fix retry loop in sync worker (PR #%d)", "[northwind-labs/platform] Flaky CI on main (Issue #%d)", "Re: [northwind-labs/platform] Add SSO support (PR #%d)"}},
	{Name: "Cadence Calendar", Addr: "noreply@cadencecal.com", To: ownerWork, Count: 30, Auto: true,
		Subjects: []string{"Reminder: Weekly sync in 15 minutes", "Updated invitation: Client review", "Your agenda for today (%d events)"}},
	{Name: "CloudVault", Addr: "no-reply@accounts.cloudvault.io", To: ownerWork, Count: 20, Auto: true,
		Subjects: []string{"New sign-in to your CloudVault account", "Your storage is %d%% full", "Security alert: new device"}},
	{Name: "DeskGear Store", Addr: "orders@deskgear-shop.com", To: ownerHome, Count: 20,
		Subjects: []string{"Your order #DG-%d has shipped", "Order confirmation #DG-%d", "Your DeskGear receipt"}},
	{Name: "Paywell", Addr: "receipts+acct_1Nv8QkLz@paywell.io", To: ownerWork, Count: 40,
		Subjects: []string{"Your receipt from Northwind Labs #%d", "Receipt for your payment to CloudVault", "Your Paywell payout is on its way"}},
	{Name: "Flightwise", Addr: "updates@flightwise.travel", To: ownerHome, Count: 25, Auto: true,
		Subjects: []string{"Check-in is open for your flight to Tokyo", "Gate change for flight FW%d", "Your trip to Berlin is confirmed"}},
	{Name: "Mail Delivery Subsystem", Addr: "MAILER-DAEMON@mx1.northwind-labs.com", To: ownerWork, Count: 12, Kind: nBounce,
		Subjects: []string{"Undelivered Mail Returned to Sender", "Delivery Status Notification (Failure)"}},
	{Name: "LinkedIn", Addr: "messages-noreply@linkedin.com", To: ownerWork, Count: 10, Kind: nLinked,
		Subjects: []string{"You appeared in %d searches this week", "Alex, you have new invitations", "Your post is getting attention"}},
	{Name: "Invoicely", Addr: "noreply@invoicely.app", To: ownerWork, Count: 15, Auto: true,
		Subjects: []string{"Invoice INV-%d was viewed", "Payment received for INV-%d"}},
}

// gitActors are the people whose names GitForge notifications carry.
var gitActors = []string{
	"jordan.reyes@northwind-labs.com", "ben.okafor@northwind-labs.com", "olivia.vialet@northwind-labs.com",
	"ravi.iyer@northwind-labs.com", "noah.park@northwind-labs.com", "tom.becker@northwind-labs.com",
}

// recruiters write through LinkedIn InMail; only a relay address is known.
var recruiters = []string{"Priya Raman", "Marco Bellini", "Sophie Laurent"}

// bounced are the addresses that no longer exist.
var bounced = []string{"m.ortega@orbitra.es", "greta@brightfjord-design.se", "old.account@harborline.io"}

// spam is the Junk folder: one row per message.
var spam = []struct {
	Name, Addr, ReplyTo, Subject string
	Style                        nameStyle
}{
	{"Dr. Williams", "claims@payout-center.xyz", "dr.williams.claims@gmail.com", "URGENT: Unclaimed funds in your name", sPlain},
	{"Crypto Profits", "promo@x7k-bonanza.top", "", "💰 Turn $250 into $10,000 this week", sUTF8B},
	{"", "qzvbt83@mail-ru0.biz", "", "Re: your invoice", sBare},
	{"ID Support Team", "security@id-verify-account.com", "", "Your account has been locked", sPlain},
	{"Beauty Deals", "offers@glowskin-deals.shop", "", "Last chance: 90% off everything", sPlain},
	{"Parcel Delivery", "parcel@track-delivery-status.info", "", "Your parcel could not be delivered", sPlain},
	{"Иван", "ivan@seo-boost.ru", "", "Продвижение сайта в ТОП-10", sUTF8B},
	{"Linda", "linda1992@hotmail.com", "", "Hi dear, are you alone?", sPlain},
	{"Webmaster", "admin@northwind-labs.com.mail-verify.net", "", "Mailbox quota exceeded", sPlain},
	{"SEO Expert", "rank@first-page-guarantee.co", "", "Get your site on page 1 of search results", sPlain},
	{"Lottery Board", "winner@intl-lottery-board.org", "claims.agent@yahoo.com", "Congratulations! You won €1,500,000", sPlain},
	{"Invoice", "billing@quickpay-docs.top", "", "Invoice #88213 overdue", sPlain},
	{"Mr. Chen", "chen.trading@163.com", "", "合作机会 / Business cooperation", sUTF8B},
	{"Pharma Store", "sales@cheap-meds-online.biz", "", "Best prices on all meds", sPlain},
	{"E-Sign Service", "dse@esign-secure-view.com", "", "Please review and sign: Contract_2024.pdf", sPlain},
	{"HR Department", "hr@payroll-update-portal.net", "", "Salary adjustment notice", sPlain},
	{"Crypto Wallet", "alerts@wallet-sync-verify.io", "", "Action required: verify your wallet", sPlain},
	{"Luxury Watches", "watches@luxury-replica.shop", "", "Designer watches from $99", sPlain},
	{"Membership Renewal", "renew@member-renewal-center.com", "", "Your membership expired", sPlain},
	{"Investment Advisor", "advisor@wealth-secret.biz", "", "The secret banks don't want you to know", sPlain},
}

// drafts are the owner's unfinished messages.
var drafts = []struct{ To, Subject string }{
	{"nina.patel@bluepeak-analytics.com", "Draft: renewal proposal"},
	{"francois.dupre@atelier-lumen.fr", "Suite à notre échange"},
	{"maya.morgan@icloud.com", "Christmas plans"},
}

// oneOff is a hand-placed message carrying one case the extractor must get
// right. "@team" stands for every colleague but the sender, "@clients" for
// one person per client company.
type oneOff struct {
	From        string
	To, Cc, Bcc []string
	Subject     string
	Folder      folderID
	Days        int // age
	Flags       flag
	Reply       bool // answers the one-off just before
}

var oneOffs = []oneOff{
	{From: ownerWork, To: []string{"@team"}, Subject: "Team offsite — dates & logistics", Folder: fSent, Days: 160},
	{From: "priya.natarajan@northwind-labs.com", To: []string{ownerWork, "@team"}, Subject: "All-hands: Q3 numbers and hiring update", Folder: fInbox, Days: 95},
	{From: ownerWork, Bcc: []string{"@clients"}, Subject: "Northwind Labs — our year in review", Folder: fSent, Days: 40, Flags: flUndisclosed},
	{From: ownerWork, To: []string{"nina.patel@bluepeak-analytics.com"}, Cc: []string{"derek.hollis@bluepeak-analytics.com"},
		Bcc: []string{"priya.natarajan@northwind-labs.com"}, Subject: "Proposal for phase 2 — pricing", Folder: fSent, Days: 70},
	{From: ownerWork, To: []string{"nina.patel@bluepeak-analytics.com", "lars.berg@fjordbyte.no"}, Bcc: []string{"jordan.reyes@northwind-labs.com"},
		Subject: "Intro: Nina (Bluepeak) <> Lars (Fjordbyte)", Folder: fSent, Days: 52},
	{From: "nina.patel@bluepeak-analytics.com", To: []string{"lars.berg@fjordbyte.no"}, Cc: []string{ownerWork}, Folder: fInbox, Days: 51, Reply: true},
	{From: "henrik.dahl@fjordbyte.no", Subject: "Invitation: Nordic SaaS breakfast, 14 May", Folder: fArchive, Days: 400, Flags: flUndisclosed},
	{From: "henrik.dahl@fjordbyte.no", Subject: "Reminder: Nordic SaaS breakfast tomorrow", Folder: fInbox, Days: 33, Flags: flUndisclosed},
	{From: "k.sato@sakura-robotics.co.jp", To: []string{ownerWork, "jordan.reyes@northwind-labs.com"}, Subject: "Demo for our CTO next Tuesday",
		Folder: fInbox, Days: 21, Flags: flMissingComma},
	{From: "j..smith@yahoo.co.uk", To: []string{ownerHome}, Subject: "Long time no see!", Folder: fInbox, Days: 12},
	{From: "ed.harris@quillstone.co.uk", To: []string{ownerWork}, Cc: []string{"tom.becker@northwind-labs.com"}, Subject: "Invoice query — PO 4471",
		Folder: fInbox, Days: 18, Flags: flMailtoCc},
	{From: "j.baumann@verdant-systeme.de", To: []string{ownerWork}, Cc: []string{"k.mueller@verdant-systeme.de"}, Subject: "Rückfragen zum Vertrag",
		Folder: fInbox, Days: 64},
	{From: "renee.lefevre@atelier-lumen.fr", To: []string{ownerWork}, Cc: []string{"francois.dupre@atelier-lumen.fr"}, Subject: "Maquettes pour le catalogue",
		Folder: fArchive, Days: 620, Flags: flNoID},
	{From: "renee.lefevre@atelier-lumen.fr", To: []string{ownerWork}, Subject: "Facture d'août", Folder: fArchive, Days: 480, Flags: flNoID},
	{From: "renee.lefevre@atelier-lumen.fr", To: []string{ownerWork}, Subject: "Rendez-vous jeudi à l'atelier", Folder: fInbox, Days: 45, Flags: flNoID},
}

var (
	cronJobs       = []string{"/opt/backup/nightly.sh", "/usr/local/bin/certbot renew --quiet", "/opt/reports/weekly.sh"}
	inmailSubjects = []string{"Opportunity: Head of Engineering at a Series B startup", "Alex, quick question about Northwind", "Advisory role — fintech"}
	driveSharer    = "sam.lee@harborline.io"
	driveSubjects  = []string{`Document shared with you: "Q3 roadmap"`, `Spreadsheet shared with you: "Pilot metrics"`,
		`"Harborline x Northwind – SOW" - Invitation to edit`, `Folder shared with you: "Design assets"`}
)
