package app

// Expectations for ../shared/vcards/folkerkinzel-vcards and ../shared/vcards/roundcube,
// written from the raw files.
var wantOther = map[string][]wantCard{
	// ---------------------------------------------------------------- folkerkinzel-vcards

	// LF-only Outlook 2.1 export. FN:Ralf Rastral. The raw Windows-1252 byte 0xE4 (ä) is only in
	// ADR/LABEL; no TEL, EMAIL or BDAY. The photo is X-MS-CARDPICTURE (not counted here anyway).
	"folkerkinzel-vcards/AnsiIssue.vcf": {
		{Name: "Ralf Rastral", Phones: nil, Emails: nil, Birthday: ""},
	},
	// Same card, LABEL with CHARSET=blabla (unknown charset) on an address only; name is ASCII.
	"folkerkinzel-vcards/AnsiIssueInvalidEncoding.vcf": {
		{Name: "Ralf Rastral", Phones: nil, Emails: nil, Birthday: ""},
	},
	// Same card, only the raw 0xE4 in ADR; name is ASCII.
	"folkerkinzel-vcards/AnsiIssueNoEncoding.vcf": {
		{Name: "Ralf Rastral", Phones: nil, Emails: nil, Birthday: ""},
	},
	// Truncated: no END:VCARD, the file stops inside the QP NOTE. The card still counts.
	// FN:Maxl wins over N:Mustermann;Max;Middle Name;Dr. No TEL/EMAIL/BDAY before the cut.
	"folkerkinzel-vcards/Cropped_2_1.vcf": {
		{Name: "Maxl", Phones: nil, Emails: nil, Birthday: ""},
	},
	// 3 bytes EF BB BF: a UTF-8 BOM and nothing else -> no card.
	"folkerkinzel-vcards/Empty.vcf": {},
	// Outlook 2.1; bare params: TEL;WORK;VOICE:0987 /6543, TEL;HOME;VOICE:9876 /11223344,
	// EMAIL;PREF;INTERNET:Wimmel@wurstdarm.de. Values kept as written (space before the slash).
	"folkerkinzel-vcards/LabelIssue.vcf": {
		{Name: "Rudi Wimmel", Phones: []string{"0987 /6543", "9876 /11223344"}, Emails: []string{"Wimmel@wurstdarm.de"}, Birthday: ""},
	},
	// Same person as LabelIssue, different ADR/LABEL layout.
	"folkerkinzel-vcards/LabelTest1.vcf": {
		{Name: "Rudi Wimmel", Phones: []string{"0987 /6543", "9876 /11223344"}, Emails: []string{"Wimmel@wurstdarm.de"}, Birthday: ""},
	},
	// Same person, only LABELs (no ADR).
	"folkerkinzel-vcards/LabelTest2.vcf": {
		{Name: "Rudi Wimmel", Phones: []string{"0987 /6543", "9876 /11223344"}, Emails: []string{"Wimmel@wurstdarm.de"}, Birthday: ""},
	},
	// 1000 generated 3.0 cards (BEGIN/VERSION/FN/N/END each, LF, ASCII, no TEL/EMAIL/BDAY).
	// Not listed card by card: see wantLargeFile below for the count and the first and last card.
	"folkerkinzel-vcards/LargeFile.vcf": nil,
	// 2.1 library output. FN:Herr Max Anderer Mustermann sen.
	// Bare params: TEL;WORK;VOICE / TEL;HOME;VOICE / TEL;VOICE;CELL / TEL;WORK;FAX.
	// EMAIL;TYPE=EMAIL:max.mustermann@musterfirma.de. REV is not a birthday. The PHOTO base64
	// continuation lines have no leading whitespace; they are photo data, not properties.
	"folkerkinzel-vcards/Library_v2.vcf": {
		{
			Name:     "Herr Max Anderer Mustermann sen.",
			Phones:   []string{"+49 (0611) 123456 - 11", "+49 (0611) 123456 - 12", "+49 (0611) 123456 - 14", "+49 (0611) 123456 - 13"},
			Emails:   []string{"max.mustermann@musterfirma.de"},
			Birthday: "",
		},
	},
	// No CHARSET on FN; raw bytes `FN:S\xF6ren T\xE4ve N\xFC\xDFlebaum` are not UTF-8 -> Windows-1252
	// (German text; the card's LABEL also says CHARSET=Windows-1252).
	"folkerkinzel-vcards/MultiAnsiFilterTests_German.vcf": {
		{Name: "Sören Täve Nüßlebaum", Phones: nil, Emails: nil, Birthday: ""},
	},
	// No CHARSET on FN; raw bytes `FN:\xC2\xE1\xE3\xE3\xDD\xEB\xE7\xF2` -> Windows-1253 Greek
	// (the LABEL says CHARSET=Windows-1253; ISO-8859-7 gives the same letters for these bytes).
	"folkerkinzel-vcards/MultiAnsiFilterTests_Greek.vcf": {
		{Name: "Βαγγέλης", Phones: nil, Emails: nil, Birthday: ""},
	},
	// No CHARSET; raw bytes `FN:\xE0\xF4\xF8\xE9\xED \xF7\xE9\xF9\xE5\xEF` -> Windows-1255 Hebrew
	// (same text as Utf-8_Hebrew.vcf). FN wins over N:Kishon;Ephraim.
	"folkerkinzel-vcards/MultiAnsiFilterTests_Hebrew.vcf": {
		{Name: "אפרים קישון", Phones: nil, Emails: nil, Birthday: ""},
	},
	// Same bytes as _German; only the LABEL has the bogus CHARSET=Murks. FN has no CHARSET and
	// raw Windows-1252 bytes -> decoded as Windows-1252.
	"folkerkinzel-vcards/MultiAnsiFilterTests_Murks.vcf": {
		{Name: "Sören Täve Nüßlebaum", Phones: nil, Emails: nil, Birthday: ""},
	},
	// No CHARSET; raw bytes `FN:\xC2\xB3\xF2\xE0\xEB\xB3\xE9 ...` -> Windows-1251 (Ukrainian
	// letters 0xB3 = і; the LABEL says CHARSET=Windows-1251).
	"folkerkinzel-vcards/MultiAnsiFilterTests_Ukrainian.vcf": {
		{Name: "Віталій Володимирович Кличко", Phones: nil, Emails: nil, Birthday: ""},
	},
	// UTF-8 with BOM: `FN:\xE5\xAD\x94\xE5\xA4\xAB\xE5\xAD\x90` = 孔夫子 (FN wins over N:Konfuzius).
	"folkerkinzel-vcards/MultiAnsiFilterTests_utf-8.vcf": {
		{Name: "孔夫子", Phones: nil, Emails: nil, Birthday: ""},
	},
	// 3.0 file, but the second card has raw Windows-1252 bytes and no CHARSET:
	// `FN:KMS Au\xDFenstelle`, `EMAIL;TYPE=INTERNET: blabl\xF6@blub.com` (leading space trimmed).
	// Card 1: item1/item2.EMAIL, item3.TEL, BDAY:19780311. Card 2: TEL;TYPE=HOME then item1.TEL.
	// Note: card 2's home TEL is 03443-303776 here (01234-303776 in v3.vcf).
	"folkerkinzel-vcards/MultiAnsiFilterTests_v3Ansi.vcf": {
		{Name: "Folker Kinzel", Phones: []string{"0123-45678"}, Emails: []string{"email1@wumms.de", "email2@folker-kinzel.de"}, Birthday: "1978-03-11"},
		{Name: "KMS Außenstelle", Phones: []string{"03443-303776", "03443-333440"}, Emails: []string{"blablö@blub.com"}, Birthday: ""},
	},
	// UTF-16LE with BOM (FF FE), CRLF: decoded, it is the same text as _v3Ansi.vcf.
	"folkerkinzel-vcards/MultiAnsiFilterTests_v3Utf16Bom.vcf": {
		{Name: "Folker Kinzel", Phones: []string{"0123-45678"}, Emails: []string{"email1@wumms.de", "email2@folker-kinzel.de"}, Birthday: "1978-03-11"},
		{Name: "KMS Außenstelle", Phones: []string{"03443-303776", "03443-333440"}, Emails: []string{"blablö@blub.com"}, Birthday: ""},
	},
	// Outlook 2.1 (UTF-8, ASCII only in the fields here). FN:Herr Max Anderer Mustermann sen.
	// Bare params: TEL;WORK;VOICE / TEL;HOME;VOICE / TEL;CELL;VOICE / TEL;WORK;FAX,
	// EMAIL;PREF;INTERNET:max.mustermann@musterfirma.de. X-MS-IMADDRESS is not an email.
	"folkerkinzel-vcards/Outlook_v2.vcf": {
		{
			Name:     "Herr Max Anderer Mustermann sen.",
			Phones:   []string{"+49 (0611) 123456 - 11", "+49 (0611) 123456 - 12", "+49 (0611) 123456 - 14", "+49 (0611) 123456 - 13"},
			Emails:   []string{"max.mustermann@musterfirma.de"},
			Birthday: "",
		},
	},
	// Only VERSION, PHOTO, X-MS-OL-DESIGN and REV: no FN/N/ORG/NICKNAME/EMAIL/TEL -> Name "".
	"folkerkinzel-vcards/Photo_Outlook_v2.vcf": {
		{Name: "", Phones: nil, Emails: nil, Birthday: ""},
	},
	// CardBook 3.0, no newline at EOF. BDAY:2011-03-17; TEL;TYPE=WORK/HOME/CELL in file order.
	"folkerkinzel-vcards/Photo_v3.vcf": {
		{
			Name:     "Emma Musterfrau",
			Phones:   []string{"03456-78910", "03456-10987", "0160-45678910"},
			Emails:   []string{"emma.musterfrau@googlemail.com"},
			Birthday: "2011-03-17",
		},
	},
	// UTF-8 with BOM: `FN:Βαγγέλης` (CE 92 CE B1 ...). FN wins over N.
	"folkerkinzel-vcards/Utf-8_Greek.vcf": {
		{Name: "Βαγγέλης", Phones: nil, Emails: nil, Birthday: ""},
	},
	// UTF-8 with BOM: `FN:אפרים קישון` (D7 90 D7 A4 ...).
	"folkerkinzel-vcards/Utf-8_Hebrew.vcf": {
		{Name: "אפרים קישון", Phones: nil, Emails: nil, Birthday: ""},
	},
	// UTF-8 with BOM. Unlike the Windows-1251 variant, FN carries two COMBINING ACUTE ACCENTs
	// (U+0301, bytes CC 81) as stress marks: `Володи\u0301мирович Кличко\u0301`. Kept as written.
	"folkerkinzel-vcards/Utf-8_Ukrainian.vcf": {
		{Name: "Віталій Володи\u0301мирович Кличко\u0301", Phones: nil, Emails: nil, Birthday: ""},
	},
	// WhatsApp 3.0 card, no newline at EOF. Two TEL lines with the same number
	// (TEL;TYPE=HOME and TEL;TYPE=WhatsApp): every TEL value is listed, so the number twice.
	"folkerkinzel-vcards/WhatsAppIssue.vcf": {
		{Name: "zzMad Perla 45", Phones: []string{"7yy-zzz-xxx", "7yy-zzz-xxx"}, Emails: nil, Birthday: ""},
	},
	// Windows Address Book 2.1. FN:Maxl (wins over N and equals NICKNAME). BDAY:19720131.
	// TEL;WORK;VOICE;utf-8;QUOTED-PRINTABLE;de-DE;x-unknown;INLINE;VCARD:Tel gesch=C3=A4ftlich
	//   -> bare QUOTED-PRINTABLE + bare utf-8 charset -> "Tel geschäftlich".
	// TEL;HOME;VOICE:Tel privat, TEL;CELL;VOICE:Handy, TEL;VOICE:Other Phone,
	// TEL;PAGER;VOICE:Pager, TEL;WORK;FAX:0123/579, TEL;HOME;FAX:Fax privat.
	// EMAIL;PREF;INTERNET:privat@..., EMAIL;INTERNET:business@..., EMAIL;INTERNET:andere@...
	// X-WAB-WEDDING_ANNIVERSARY is not a birthday.
	"folkerkinzel-vcards/v2_1.vcf": {
		{
			Name:     "Maxl",
			Phones:   []string{"Tel geschäftlich", "Tel privat", "Handy", "Other Phone", "Pager", "0123/579", "Fax privat"},
			Emails:   []string{"privat@folker-kinzel.de", "business@folker-kinzel.de", "andere@folker-kinzel.de"},
			Birthday: "1972-01-31",
		},
	},
	// UTF-8 3.0, Google style. Card 1: item1/item2.EMAIL, item3.TEL:0123-45678, BDAY:19780311.
	// Card 2: `FN:KMS Außenstelle` (C3 9F), `EMAIL;TYPE=INTERNET: blablö@blub.com` (leading space
	// trimmed), TEL;TYPE=HOME:01234-303776, item1.TEL:03443-333440 (X-ABLabel homeFax).
	"folkerkinzel-vcards/v3.vcf": {
		{Name: "Folker Kinzel", Phones: []string{"0123-45678"}, Emails: []string{"email1@wumms.de", "email2@folker-kinzel.de"}, Birthday: "1978-03-11"},
		{Name: "KMS Außenstelle", Phones: []string{"01234-303776", "03443-333440"}, Emails: []string{"blablö@blub.com"}, Birthday: ""},
	},
	// CardBook 4.0, 2 cards with a blank line between.
	// Card 1: FN:Möhrke Gerda; TEL values keep their inner spaces.
	// Card 2: BDAY:19723101 -> month 31 is impossible -> "detail". TEL values are words, listed
	// as written; `TEL;TYPE=FAX;TYPE=WORK:Fax geschäftlich` (UTF-8 C3 A4).
	// ITEM1.X-ABDATE:20190707 (Hochzeitstag) is an anniversary, not a birthday.
	"folkerkinzel-vcards/v4.vcf": {
		{Name: "Möhrke Gerda", Phones: []string{"034441/ 2 22 67", "034441/ 39 23 34"}, Emails: []string{"info@kinderland-blubblub.de"}, Birthday: ""},
		{
			Name:     "Dr. Max Horst Mustermann jr. Maxl SED",
			Phones:   []string{"Privattelefon", "Diensttelefon", "Fax", "Fax privat", "Fax geschäftlich", "Festnetz", "Mobil", "Pager", "sonstige", "ohne"},
			Emails:   []string{"privat@freenet.de", "geschaeftlich@freenet.de", "sonstige@freenet.de", "nichts@wabbel.de"},
			Birthday: "detail",
		},
	},

	// ---------------------------------------------------------------- roundcube

	// Apple company card: N:;;;; empty, FN:Apple Computer AG. No TEL/EMAIL/BDAY
	// (URL and X-ABUID with `\:` are neither).
	"roundcube/apple.vcf": {
		{Name: "Apple Computer AG", Phones: nil, Emails: nil, Birthday: ""},
	},
	// Two plain 3.0 cards.
	"roundcube/browser-contacts.vcf": {
		{Name: "Aleksander Machniak", Phones: nil, Emails: []string{"alec@example.org"}, Birthday: ""},
		{Name: "Sylvester Stalone", Phones: nil, Emails: []string{"s.stalone@rambo.tv"}, Birthday: ""},
	},
	// CSV-converted card: TEL values are placeholder words, listed as written.
	// BDAY;VALUE=date:1975-12-12.
	"roundcube/csv2vcard-gmail.vcf": {
		{
			Name:     "Prefix Firstname Middle Lastname Suffix",
			Phones:   []string{"pager", "mainphone", "homephone", "homefax", "mobile", "workphone", "workfax"},
			Emails:   []string{"home@aaa.pl", "work@email.pl", "unknown@email.com", "other@email.com"},
			Birthday: "1975-12-12",
		},
	},
	// FN:test1@domain.tld (the FN itself is an address), N:;;;; empty.
	"roundcube/csv2vcard-outlook.vcf": {
		{Name: "test1@domain.tld", Phones: nil, Emails: []string{"test1@domain.tld", "test2@domain.tld", "test3@domain.tld"}, Birthday: ""},
	},
	// FN;CHARSET=windows-1252:John Do\xEB -> "John Doë".
	// Bare params: EMAIL;INTERNET;WORK:inbox@roundcube.net, EMAIL;INTERNET;HOME;TYPE=pref:roundcube@gmail.com,
	// TEL;WORK:+123456789, TEL;CELL:+987654321.
	"roundcube/johndoe.vcf": {
		{Name: "John Doë", Phones: []string{"+123456789", "+987654321"}, Emails: []string{"inbox@roundcube.net", "roundcube@gmail.com"}, Birthday: ""},
	},
	// FN:Apple Computer AG is not empty, so it wins over N:Müller;Jörg;;; (a person would perhaps
	// call this card Jörg Müller, but the rule is FN first; X-ABShowAs:COMPANY agrees with FN).
	"roundcube/photo.vcf": {
		{Name: "Apple Computer AG", Phones: nil, Emails: nil, Birthday: ""},
	},
	// FN;ENCODING=QUOTED-PRINTABLE:Piotr Iksi=F1ski, no CHARSET: 0xF1 is not UTF-8; Polish name ->
	// ISO-8859-2 0xF1 = ń -> "Piotr Iksiński" (Windows-1252 would give ñ).
	// EMAIL;PREF;INTERNET:piotr.iksinski@somedomain.com (bare params). REV is not a birthday.
	"roundcube/thebat.vcf": {
		{Name: "Piotr Iksiński", Phones: nil, Emails: []string{"piotr.iksinski@somedomain.com"}, Birthday: ""},
	},
	// UTF-16BE without BOM (00 42 00 45 ...). FN:\u01FCgean \u013DdaMont\u00E9 -> "Ǽgean ĽdaMonté".
	"roundcube/utf-16_sample.vcf": {
		{Name: "Ǽgean ĽdaMonté", Phones: nil, Emails: nil, Birthday: ""},
	},
}

// LargeFile.vcf: 1000 cards of the shape
//
//	BEGIN:VCARD / VERSION:3.0 / FN:<name> / N:<family>;<given>;<middle>;; / END:VCARD
//
// every one with a non-empty FN and no TEL/EMAIL/BDAY. First card lines 1-5, last lines 4996-5000.
var wantLargeFile = struct {
	Count       int
	First, Last wantCard
}{
	Count: 1000,
	// FN:Kasey Schmitt / N:Schmitt;Kasey;;;
	First: wantCard{Name: "Kasey Schmitt", Phones: nil, Emails: nil, Birthday: ""},
	// FN:Florine Liana Stehr / N:Stehr;Florine;Liana;;
	Last: wantCard{Name: "Florine Liana Stehr", Phones: nil, Emails: nil, Birthday: ""},
}
