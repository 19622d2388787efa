package app

// Expectations for ../shared/vcards/aosp-vcard, written from the raw files.
var wantAOSP = map[string][]wantCard{
	// N:bogus -> family "bogus"; no FN. The ADR backslash continuations carry no TEL/EMAIL.
	// BDAY;VALUE=DATE:20081203
	"aosp-vcard/v21_adr_multiple_line.vcf": {
		{Name: "bogus", Phones: nil, Emails: nil, Birthday: "2008-12-03"},
	},
	// Only X-ANDROID-CUSTOM lines: no FN/N/ORG/NICKNAME/EMAIL/TEL, so nothing to call it by.
	"aosp-vcard/v21_android_custom_prop.vcf": {
		{Name: "", Phones: nil, Emails: nil, Birthday: ""},
	},
	// FN:A;B\C\;D:E\\  -> value after the first colon is `A;B\C\;D:E\\`;
	// `\;` -> `;`, `\\` -> `\`, `\C` is not an escape and stays: `A;B\C;D:E\`.
	// The line ends in `\\` (escaped backslash), not a single 2.1 continuation backslash.
	"aosp-vcard/v21_backslash.vcf": {
		{Name: `A;B\C;D:E\`, Phones: nil, Emails: nil, Birthday: ""},
	},
	// PHOTO base64 is folded and followed directly by END:VCARD (no blank line); still one card.
	"aosp-vcard/v21_base64_no_2_crlf.vcf": {
		{Name: "fullname", Phones: nil, Emails: nil, Birthday: ""},
	},
	// TEL;TYPE=WORK:+5555555 / TEL;TYPE=CELL:+5555556 / EMAIL;TYPE=INTERNET:... after a folded PHOTO.
	"aosp-vcard/v21_blackberry_photo.vcf": {
		{Name: "boogie", Phones: []string{"+5555555", "+5555556"}, Emails: []string{"forrestgump@walladalla.com"}, Birthday: ""},
	},
	// FN:Joe Due wins over N:Gump;Forrest;Hoge;Pos;Tao.
	// Bare 2.1 params: TEL;WORK;VOICE:(111) 555-1212, TEL;HOME;VOICE:(404) 555-1212,
	// TEL;CELL:0311111111, TEL;VIDEO:0322222222, TEL;VOICE:0333333333.
	// EMAIL;PREF;INTERNET:forrestgump@walladalla.com, EMAIL;CELL:cell@example.com. BDAY:19800101.
	"aosp-vcard/v21_complicated.vcf": {
		{
			Name:     "Joe Due",
			Phones:   []string{"(111) 555-1212", "(404) 555-1212", "0311111111", "0322222222", "0333333333"},
			Emails:   []string{"forrestgump@walladalla.com", "cell@example.com"},
			Birthday: "1980-01-01",
		},
	},
	// Only X-ANDROID-CUSTOM:vnd.android.cursor.item/nickname;Nick;... and X-GOOGLE-TALK:hhh@gmail.com.
	// Neither is a NICKNAME nor an EMAIL property, but Android's nickname row is
	// a nickname to a person reading it (and to Android): "Nick".
	"aosp-vcard/v21_im.vcf": {
		{Name: "Nick", Phones: nil, Emails: nil, Birthday: ""},
	},
	// BEGIN:vCard / END:vCard (case-insensitive); `#` lines are junk; FN:Conference Call.
	"aosp-vcard/v21_invalid_comment_line.vcf": {
		{Name: "Conference Call", Phones: nil, Emails: nil, Birthday: ""},
	},
	// EMAIL;INTERNET:"Omega"
	//   <omega@example.com>      (folded: line starts with two spaces, one is dropped)
	// -> `"Omega" <omega@example.com>`: the address a person would write to is
	// omega@example.com; the display-name part is not part of the address.
	"aosp-vcard/v21_invalid_multiple_line.vcf": {
		{Name: "Omega", Phones: nil, Emails: []string{"omega@example.com"}, Birthday: ""},
	},
	// N;CHARSET=SHIFT_JIS: 88 C0 93 A1 83 8D 83 43 83 68 ;;;; -> "安藤ロイド" (family only; no FN).
	// TEL;PREF;VOICE:0300000000
	"aosp-vcard/v21_japanese_1.vcf": {
		{Name: "安藤ロイド", Phones: []string{"0300000000"}, Emails: nil, Birthday: ""},
	},
	// FN;CHARSET=SHIFT_JIS: 88 C0 93 A1 20 83 8D 83 43 83 68 20 31 -> "安藤 ロイド 1".
	// ADR/NOTE are Shift_JIS + QP and carry no TEL/EMAIL.
	"aosp-vcard/v21_japanese_2.vcf": {
		{Name: "安藤 ロイド 1", Phones: nil, Emails: nil, Birthday: ""},
	},
	// FN;CHARSET=SHIFT_JIS: 88 C9 94 5C 20 8C 5C 88 EA 20 88 C9 97 5C -> "伊能 圭一 伊予".
	// The 0x5C bytes are Shift_JIS trail bytes (能 = 94 5C, 圭 = 8C 5C, 予 = 97 5C), not backslash escapes.
	"aosp-vcard/v21_japanese_3.vcf": {
		{Name: "伊能 圭一 伊予", Phones: nil, Emails: nil, Birthday: ""},
	},
	// PHOTO base64 contains a ':' (malformed), followed by a blank line; FN:fullname.
	"aosp-vcard/v21_malformed_photo.vcf": {
		{Name: "fullname", Phones: nil, Emails: nil, Birthday: ""},
	},
	// Three cards; N;CHARSET=SHIFT_JIS: 88 C0 93 A1 83 8D 83 43 83 68 33 ;;;; -> "安藤ロイド3" (…4, …5).
	// Bare vendor TEL params (TEL;X-NEC-SECRET:9, TEL;MODEM:13, ...) do not swallow the values.
	"aosp-vcard/v21_multiple_entry.vcf": {
		{Name: "安藤ロイド3", Phones: []string{"9", "10", "11", "12"}, Emails: nil, Birthday: ""},
		{Name: "安藤ロイド4", Phones: []string{"13", "14", "15", "16"}, Emails: nil, Birthday: ""},
		{Name: "安藤ロイド5", Phones: []string{"17", "18", "19", "20"}, Emails: nil, Birthday: ""},
	},
	// Nested BEGIN:VCARDs: parent first (keeps TEL:1 that follows the nested cards), then nest1, nest2.
	"aosp-vcard/v21_nest.vcf": {
		{Name: "parent", Phones: []string{"1"}, Emails: nil, Birthday: ""},
		{Name: "nest1", Phones: nil, Emails: nil, Birthday: ""},
		{Name: "nest2", Phones: nil, Emails: nil, Birthday: ""},
	},
	"aosp-vcard/v21_org_before_title.vcf": {
		{Name: "Normal Guy", Phones: nil, Emails: nil, Birthday: ""},
	},
	// TEL;HOME:1, TEL;WORK;PREF:2, TEL;ISDN:3; EMAIL;PREF;HOME:..., EMAIL;CELL;PREF:... (file order, PREF ignored).
	"aosp-vcard/v21_pref_handling.vcf": {
		{Name: "Smith", Phones: []string{"1", "2", "3"}, Emails: []string{"test@example.com", "test2@examination.com"}, Birthday: ""},
	},
	// N:Ando;Roid; -> family "Ando", given "Roid"; no FN -> given then family: "Roid Ando".
	"aosp-vcard/v21_simple_1.vcf": {
		{Name: "Roid Ando", Phones: nil, Emails: nil, Birthday: ""},
	},
	"aosp-vcard/v21_simple_2.vcf": {
		{Name: "Ando Roid", Phones: nil, Emails: nil, Birthday: ""},
	},
	"aosp-vcard/v21_simple_3.vcf": {
		{Name: "Ando Roid", Phones: nil, Emails: nil, Birthday: ""},
	},
	// X-SIP lines are not TEL.
	"aosp-vcard/v21_sip.vcf": {
		{Name: "Android", Phones: nil, Emails: nil, Birthday: ""},
	},
	"aosp-vcard/v21_title_before_org.vcf": {
		{Name: "Nice Guy", Phones: nil, Emails: nil, Birthday: ""},
	},
	// ANNIVERSARY;VALUE=DATE:20091010 is not a birthday.
	"aosp-vcard/v21_winmo_65.vcf": {
		{Name: "Example", Phones: nil, Emails: nil, Birthday: ""},
	},
	// N:Ando;Roid; -> "Roid Ando". X-ANDROID-CUSTOM contact_event 1999-07-10 is not a birthday;
	// BDAY:1975-08-20 (last line, file has no trailing newline after END:VCARD).
	"aosp-vcard/v21_x_android_custom_after_photo.vcf": {
		{Name: "Roid Ando", Phones: nil, Emails: nil, Birthday: "1975-08-20"},
	},
	// TEL;X-CuStoMpRop:1, TEL;custompropertywithoutx:2,
	// EMAIL;X-cUstomPrOperty:email@example.com, EMAIL;CUSTOMPROPERTYWITHOUTX:email2@example.com.
	"aosp-vcard/v21_x_param.vcf": {
		{Name: "Roid Ando", Phones: []string{"1", "2"}, Emails: []string{"email@example.com", "email2@example.com"}, Birthday: ""},
	},
	// N;TYPE=PREF,HOME:F;G;M;; -> given G, middle M, family F: "G M F".
	// TEL;TYPE="COMMA,SEPARATED:INSIDE.DQUOTE",PREF:1 -> the ':' inside quotes is not the separator; value "1".
	"aosp-vcard/v30_comma_separated.vcf": {
		{Name: "G M F", Phones: []string{"1"}, Emails: nil, Birthday: ""},
	},
	// CR CR LF line endings (stray CR trimmed). item1.EMAIL;type=INTERNET;type=pref:bob@smithauto.com,
	// TEL;type=CELL;type=VOICE;type=pref:(650) 555-1212.
	"aosp-vcard/v30_ios_613_multiline.vcf": {
		{Name: "Bob Smith", Phones: []string{"(650) 555-1212"}, Emails: []string{"bob@smithauto.com"}, Birthday: ""},
	},
	// FN;CHARSET=SHIFT_JIS in a 3.0 card: 88 C9 94 5C 20 8C 5C 88 EA 20 88 C9 97 5C -> "伊能 圭一 伊予"
	// (0x5C are Shift_JIS trail bytes, not escapes).
	"aosp-vcard/v30_japanese.vcf": {
		{Name: "伊能 圭一 伊予", Phones: nil, Emails: nil, Birthday: ""},
	},
	// TEL;TYPE="费":1 (UTF-8 E8 B4 B9 inside a quoted param); N:F;G;M;; -> "G M F".
	"aosp-vcard/v30_multibyte_param.vcf": {
		{Name: "G M F", Phones: []string{"1"}, Emails: nil, Birthday: ""},
	},
	// TEL;TYPE=PAGER,WORK,MSG:6101231234@pagersample.com -> TEL value kept as written.
	"aosp-vcard/v30_pager.vcf": {
		{Name: "G M F", Phones: []string{"6101231234@pagersample.com"}, Emails: nil, Birthday: ""},
	},
	// TEL:p1234p5678w9 kept as written (pause/wait letters included).
	"aosp-vcard/v30_pause_wait.vcf": {
		{Name: "Pause Wait", Phones: []string{"p1234p5678w9"}, Emails: nil, Birthday: ""},
	},
	// TEL;TYPE=PREF;TYPE=VOICE:0300000000
	"aosp-vcard/v30_simple.vcf": {
		{Name: "And Roid", Phones: []string{"0300000000"}, Emails: nil, Birthday: ""},
	},
	// IMPP;TYPE=personal:sip:... is not TEL.
	"aosp-vcard/v30_sip.vcf": {
		{Name: "Android", Phones: nil, Emails: nil, Birthday: ""},
	},
	// FN:安藤 ロイド (UTF-8). TEL;TYPE=HOME:tel:1 and TEL;TYPE=HOME:sip:example@example.com:
	// values after the first colon. vCard 4.0 writes phones as tel: URIs; the
	// number a person dials is "1". A sip: address is no number: kept as written.
	"aosp-vcard/v40_sip.vcf": {
		{Name: "安藤 ロイド", Phones: []string{"1", "sip:example@example.com"}, Emails: nil, Birthday: ""},
	},
	// FN:安藤 ロイド (UTF-8); the ';' inside quoted SORT-AS params do not split anything.
	"aosp-vcard/v40_sort_as.vcf": {
		{Name: "安藤 ロイド", Phones: nil, Emails: nil, Birthday: ""},
	},
}
