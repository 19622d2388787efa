package vcardmap

import (
	"fmt"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

func TestParseVCardDateForms(t *testing.T) {
	for _, tc := range []struct {
		in, omitYear string
		want         string
		ok           bool
	}{
		{"1984-02-03", "", "1984-02-03", true},
		{"19840203", "", "1984-02-03", true},
		{" 1984-02-03T00:00:00Z ", "", "1984-02-03", true},
		{"--0203", "", "--02-03", true},
		{"--02-29", "", "--02-29", true},
		{"1604-02-03", "", "--02-03", true},
		{"1900-05-06", "1900", "--05-06", true},
		{"1984-02-30", "", "", false},
		{"2023-02-29", "", "", false},
		{"1984-0203", "", "", false},
		{"---03", "", "", false},
		{"03.02.1984", "", "", false},
		{"", "", "", false},
	} {
		d, ok := parseVCardDate(tc.in, tc.omitYear)
		if got := dateText(d); ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseVCardDate(%q, %q) = %+v, %v; want %q, %v", tc.in, tc.omitYear, d, ok, tc.want, tc.ok)
		}
	}
}

// TestJournalLineKeepsOnlyAPlausibleAmount reads X-RAPPORT-JOURNAL lines as
// another database or an attacker could write them: an amount stays only
// on a purchase, whole, not negative, in range and with a currency code.
func TestJournalLineKeepsOnlyAPlausibleAmount(t *testing.T) {
	at := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		line   string
		amount string // "" when none is kept
	}{
		{`X-RAPPORT-JOURNAL;X-KIND=purchase;X-ITEM=vase;X-AMOUNT=1250;X-CURRENCY=eur:Bought a vase`, "1250 EUR"},
		{`X-RAPPORT-JOURNAL;X-KIND=purchase;X-AMOUNT=-100000;X-CURRENCY=EUR:x`, ""},
		{`X-RAPPORT-JOURNAL;X-KIND=purchase;X-AMOUNT=9223372036854775807;X-CURRENCY=EUR:x`, ""},
		{`X-RAPPORT-JOURNAL;X-KIND=purchase;X-AMOUNT=12.50;X-CURRENCY=EUR:x`, ""},
		{`X-RAPPORT-JOURNAL;X-KIND=purchase;X-AMOUNT=1250;X-CURRENCY=EURO:x`, ""},
		{`X-RAPPORT-JOURNAL;X-KIND=call;X-AMOUNT=1250;X-CURRENCY=EUR:x`, ""},
	} {
		p, err := vcf.ParseLine(tc.line)
		if err != nil {
			t.Fatal(err)
		}
		e := journalEntry(&p, model.EntryKind(p.Param("X-KIND")), at)
		got := ""
		if e.Amount != nil {
			got = fmt.Sprintf("%d %s", *e.Amount, e.Currency)
		}
		if got != tc.amount {
			t.Errorf("%s: amount %q, want %q", tc.line, got, tc.amount)
		}
	}
	p, _ := vcf.ParseLine(`X-RAPPORT-JOURNAL;X-KIND=feedback;X-CHANGE=Offer afternoons:Mornings are hard`)
	if e := journalEntry(&p, model.KindFeedback, at); e.ChangeNote != "Offer afternoons" || e.Text != "Mornings are hard" {
		t.Errorf("feedback read as %+v", e)
	}
}
