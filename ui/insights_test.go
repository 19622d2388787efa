package ui

import (
	"context"
	"image/png"
	"os"
	"testing"
	"time"

	"fyne.io/fyne/v2"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// insightsTab opens the Insights tab and returns its charts, top first.
func (h *harness) insightsTab() []*columnChart {
	h.t.Helper()
	for i, item := range h.m.tabs.Items {
		if item.Text == "Insights" {
			h.m.tabs.SelectIndex(i)
		}
	}
	var charts []*columnChart
	h.visit(func(o fyne.CanvasObject) bool {
		if c, ok := o.(*columnChart); ok {
			charts = append(charts, c)
		}
		return true
	})
	if len(charts) != 3 {
		h.t.Fatalf("%d charts shown, want 3 (stages, reliability, purchases)", len(charts))
	}
	return charts
}

// barValues are the numbers one series of a chart shows, month by month.
func barValues(c *columnChart, series int) []string {
	var out []string
	for _, b := range c.bars[series] {
		out = append(out, b.value)
	}
	return out
}

// TestInsightsTabShowsTheNumbersAndThePeopleBehindThem opens the tab on a
// shop counted by hand (November is the last month, October the one
// before), taps a bar and then a person, and lands on their card.
func TestInsightsTabShowsTheNumbersAndThePeopleBehindThem(t *testing.T) {
	in := func(m time.Month, d int) time.Time { return time.Date(2026, m, d, 11, 0, 0, 0, time.Local) }
	cents := int64(1250)
	h := newHarness(t, func(svc *app.Service) {
		ann := addContact(t, svc, &model.Contact{GivenName: "Ann", FamilyName: "Ames", CreatedAt: in(10, 5),
			Journal: []model.JournalEntry{{Kind: model.KindMet, At: in(10, 5)}}})
		addContact(t, svc, &model.Contact{GivenName: "Ben", FamilyName: "Berg", Stage: model.StageClient, CreatedAt: in(11, 1),
			HowWeMet: "market", ReferredByID: &ann.ID,
			Journal: []model.JournalEntry{
				{Kind: model.KindMet, At: in(11, 1)},
				{Kind: model.KindStage, At: in(11, 2), Text: "Stage changed from prospect to customer"},
				{Kind: model.KindStage, At: in(11, 10), Text: "Stage changed from customer to client"},
				{Kind: model.KindPurchase, At: in(11, 5), Item: "vase", Amount: &cents, Currency: "EUR"},
				{Kind: model.KindFeedback, At: in(11, 13), Text: "Mornings are hard", ChangeNote: "Offer afternoons"}},
			Appointments: []model.Appointment{{Start: in(11, 3), Minutes: 30, Outcome: model.OutcomeOnTime},
				{Start: in(11, 12), Minutes: 30, Outcome: model.OutcomeNoShow}}})
	})
	charts := h.insightsTab()
	h.mustShow("1 prospect", "1 client", "50 % became customers", "100 % of customers became clients",
		"market", "Ann Ames", "1 sent, 1 clients", "Ben Berg", "They said: Mornings are hard", "I will change: Offer afternoons")
	months := make([]string, 12)
	for i := range months {
		months[i] = "" // no number over an empty month
	}
	at := func(set map[int]string) []string {
		out := append([]string(nil), months...)
		for i, v := range set {
			out[i] = v
		}
		return out
	}
	for _, c := range []struct {
		what  string
		chart *columnChart
		s     int
		want  []string
	}{
		{"first met", charts[0], 0, at(map[int]string{10: "1", 11: "1"})},
		{"became customers", charts[0], 1, at(map[int]string{11: "1"})},
		{"became clients", charts[0], 2, at(map[int]string{11: "1"})},
		{"on time", charts[1], 0, at(map[int]string{11: "1"})},
		{"no-show", charts[1], 2, at(map[int]string{11: "1"})},
		{"purchases", charts[2], 0, at(map[int]string{11: "1"})},
	} {
		if got := barValues(c.chart, c.s); !equalStrings(got, c.want) {
			t.Errorf("%s: %v, want %v", c.what, got, c.want)
		}
	}
	if got := charts[1].captions[11]; got != "50 %" {
		t.Errorf("November kept on time %q, want 50 %%", got)
	}
	if got, want := charts[2].captions[11], h.svc.FormatAmount(1250, "EUR"); got != want {
		t.Errorf("November's purchases total %q, want %q", got, want)
	}
	tapBar(charts[0].bars[0][10])
	h.mustShow("First met in Oct 2026 (1)", "Ann Ames · prospect")
	h.mustNotShow("Ben Berg · client")
	h.m.insights.people.d.Hide()
	tapBar(charts[0].bars[2][11])
	h.mustShow("Became clients in Nov 2026 (1)", "Ben Berg · client")
	h.m.insights.people.list.Select(0)
	if h.topDialog() != nil {
		t.Error("the list of people stayed open after choosing one")
	}
	if h.m.tabs.SelectedIndex() != 0 || h.m.card.card == nil || h.m.card.card.Contact.DisplayName != "Ben Berg" {
		t.Errorf("choosing Ben did not open his card (tab %d)", h.m.tabs.SelectedIndex())
	}
	if path := os.Getenv("RAPPORT_INSIGHTS_PNG"); path != "" {
		h.insightsTab()
		capture(t, h.w, path)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func tapBar(b *chartBar) { b.Tapped(&fyne.PointEvent{}) }

// capture writes what the window shows as a PNG, to look at.
func capture(t *testing.T, w fyne.Window, path string) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, w.Canvas().Capture()); err != nil {
		t.Fatal(err)
	}
}

// TestInsightsScreenshot shows the demo shop's Insights, to look at:
// RAPPORT_INSIGHTS_DEMO_PNG=/tmp/x.png go test -tags migrated_fynedo ./ui -run TestInsightsScreenshot
func TestInsightsScreenshot(t *testing.T) {
	path := os.Getenv("RAPPORT_INSIGHTS_DEMO_PNG")
	if path == "" {
		t.Skip("RAPPORT_INSIGHTS_DEMO_PNG names no file")
	}
	h := newHarness(t, func(svc *app.Service) {
		if _, err := svc.Demo(context.Background()); err != nil {
			t.Fatal(err)
		}
	})
	h.w.Resize(fyne.NewSize(1100, 2000))
	h.insightsTab()
	capture(t, h.w, path)
}
