package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

func TestLoggingAPurchaseWithItsAmount(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.svc.SetMoneyLocale("de_DE.UTF-8") // 12,50 €, whatever the machine's locale
	h.selectContact("Jörg Müller")
	id := h.m.card.card.Contact.ID
	h.m.card.quickKind.SetSelected("call")
	if h.m.card.costBox.Visible() {
		t.Error("the amount is offered for a call")
	}
	h.mustNotShow("visits in the last year", "1 visit in the last year")
	h.m.card.quickKind.SetSelected("purchase")
	if !h.m.card.costBox.Visible() {
		t.Fatal("the amount is not offered for a purchase")
	}
	test.Type(h.m.card.quickText, "a bell for the bike")
	test.Type(h.m.card.quickCost, "12,50")
	h.m.card.quickCost.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) // Enter in the amount logs too

	h.mustShow("Logged “a bell for the bike · 12,50” (purchase) for Jörg Müller.",
		"1 visit in the last year · 12,50 € in total, 12,50 € on average",
		"Last purchase 23 November 2026: a bell for the bike · 12,50 €")
	if h.m.card.quickText.Text != "" || h.m.card.quickCost.Text != "" {
		t.Errorf("log line not cleared: %q %q", h.m.card.quickText.Text, h.m.card.quickCost.Text)
	}
	test.Type(h.m.card.quickCost, "1.234")
	h.m.card.quickCost.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	// 1250 + 123400 = 124650 cents; halved 62325.
	h.mustShow("2 visits in the last year · 1.246,50 € in total, 623,25 € on average",
		"Last purchase 23 November 2026: 1.234,00 €")

	// A typing slip is refused with the reason, and nothing is logged.
	test.Type(h.m.card.quickCost, "12,345")
	h.m.card.quickCost.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustShow("at most 2 decimals in EUR")
	c, err := h.svc.Contact(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Journal) != 2 {
		t.Fatalf("journal %+v; want the two purchases", c.Journal)
	}
	bell := c.Journal[len(c.Journal)-1]
	if bell.Item != "a bell for the bike" || bell.Amount == nil || *bell.Amount != 1250 || bell.Currency != "EUR" {
		t.Errorf("stored %+v; want a bell for 1250 EUR cents", bell)
	}
}

func TestEditingAPurchaseKeepsItsAmount(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.svc.SetMoneyLocale("de_DE.UTF-8")
	h.selectContact("Maria Keller")
	je := h.m.card.card.Contact.Journal[0] // last month's candles, without an amount
	e := h.m.card.editEntry(&je)
	if e.item.Disabled() || e.cost.Disabled() {
		t.Fatal("a purchase's item and amount cannot be edited")
	}
	e.item.SetText("two candles")
	e.cost.SetText("19,90")
	h.tapButton("Save")
	c, _ := h.svc.Contact(context.Background(), je.ContactID)
	got := c.Journal[0]
	if got.Item != "two candles" || got.Amount == nil || *got.Amount != 1990 || got.Currency != "EUR" || got.Text != "Bought two candles" {
		t.Fatalf("after the edit: %+v", got)
	}
	h.mustShow("two candles · 19,90 €", "Bought two candles")

	// Editing again, the amount is shown as typed and kept as it was.
	e = h.m.card.editEntry(&c.Journal[0])
	if e.cost.Text != "19,90" || e.item.Text != "two candles" {
		t.Errorf("edit shows %q, %q", e.item.Text, e.cost.Text)
	}
	e.text.SetText("Bought two candles, paid cash")
	h.tapButton("Save")
	c, _ = h.svc.Contact(context.Background(), je.ContactID)
	if got := c.Journal[0]; got.Amount == nil || *got.Amount != 1990 || got.Item != "two candles" {
		t.Errorf("the amount was lost on editing the text: %+v", got)
	}
	// A purchase turned into a note keeps no amount.
	e = h.m.card.editEntry(&c.Journal[0])
	e.kind.SetSelected(string(model.KindNote))
	if !e.cost.Disabled() {
		t.Error("a note offers an amount")
	}
	h.tapButton("Save")
	c, _ = h.svc.Contact(context.Background(), je.ContactID)
	if got := c.Journal[0]; got.Kind != model.KindNote || got.Amount != nil || got.Item != "" {
		t.Errorf("a note with purchase fields: %+v", got)
	}
}

func TestTodayShowsLapsingBuyers(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		// Every 10 days until 1 July, a customer; it is 23 November.
		var j []model.JournalEntry
		for _, d := range []int{1, 11, 21} {
			j = append(j, model.JournalEntry{Kind: model.KindPurchase, At: time.Date(2026, 6, d, 10, 0, 0, 0, time.Local), Item: "bread"})
		}
		j = append(j, model.JournalEntry{Kind: model.KindPurchase, At: time.Date(2026, 7, 1, 10, 0, 0, 0, time.Local), Item: "bread"},
			model.JournalEntry{Kind: model.KindCall, At: testNow.AddDate(0, 0, -2), Text: "said hello"})
		addContact(t, svc, &model.Contact{DisplayName: "Lena Lapsing", Stage: model.StageCustomer, Journal: j})
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Lapsing: win them back (1)", "No purchase for 145 days, usually every 10 days: a customer drifting away, invite them back")
	// Four purchases in the year, but lapsing: not ready to become a client.
	h.mustNotShow("Ready to become clients")
	h.tapButton("Log a call…")
	if _, ok := h.w.Canvas().Focused().(*submitEntry); !ok {
		t.Error("Log a call… does not ask what was said")
	}
}

func TestSettingsSetTheCurrency(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.svc.SetMoneyLocale("de_AT.UTF-8")
	ctx := context.Background()
	s := h.m.onSettings()
	if s.currency.Text != "EUR" {
		t.Errorf("currency shows %q; want the locale's EUR", s.currency.Text)
	}
	s.currency.SetText("")
	test.Type(s.currency, "euro")
	h.tapButton("Save")
	h.mustShow(`Currency "euro": want a code of three letters such as EUR, USD or CHF`)
	if s.tabs.Selected().Text != tabGeneral {
		t.Errorf("the dialog shows %q, not the tab with the problem", s.tabs.Selected().Text)
	}
	s.currency.SetText("")
	test.Type(s.currency, "chf")
	h.tapButton("Save")
	if got, err := h.svc.Currency(ctx); err != nil || got != "CHF" {
		t.Fatalf("currency %q, %v; want CHF", got, err)
	}
	// The next purchase is logged in it.
	h.selectContact("Jörg Müller")
	h.m.card.quickKind.SetSelected("purchase")
	test.Type(h.m.card.quickText, "a bell")
	test.Type(h.m.card.quickCost, "12,5")
	h.m.card.quickText.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	h.mustShow("Last purchase 23 November 2026: a bell · 12,50 CHF")
}
