package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// BenchmarkFirstScreen50k measures the main window from nothing to its first
// screen drawn, over 50,000 contacts with 5 journal entries each: the widgets
// built, the directory and the first page of names read, the list laid out
// and the canvas painted. Budget: 1 s.
func BenchmarkFirstScreen50k(b *testing.B) {
	svc := app.New(modeltest.Open(b, 50_000, 5)).WithClock(func() time.Time { return testNow })
	for b.Loop() {
		a := test.NewTempApp(b)
		w := test.NewTempWindow(b, nil)
		w.Resize(fyne.NewSize(1100, 760))
		m := newMain(context.Background(), a, w, svc, inline, never)
		if got := m.list.list.Length(); got != 50_000 {
			b.Fatalf("list length %d", got)
		}
		w.Canvas().Capture()
	}
}

// BenchmarkSearchKeystroke50k measures typing one more letter into the
// search box with 50,000 contacts: search, first page read, list redrawn.
func BenchmarkSearchKeystroke50k(b *testing.B) {
	svc := app.New(modeltest.Open(b, 50_000, 5)).WithClock(func() time.Time { return testNow })
	a := test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1100, 760))
	m := newMain(context.Background(), a, w, svc, inline, never)
	for b.Loop() {
		m.list.search.SetText("mül")
		m.list.search.CursorColumn = 3
		test.Type(m.list.search, "l")
		if len(m.list.ids) == 0 || len(m.list.ids) == 50_000 {
			b.Fatalf("%d rows for müll", len(m.list.ids))
		}
		w.Canvas().Capture()
	}
}

// BenchmarkToday50k measures the Today tab opened over 50,000 contacts
// with 5 journal entries each: the follow-ups computed, the sections built
// (10 rows each until asked for more) and the canvas painted.
func BenchmarkToday50k(b *testing.B) {
	svc := app.New(modeltest.Open(b, 50_000, 5)).WithClock(func() time.Time { return testNow })
	a := test.NewTempApp(b)
	w := test.NewTempWindow(b, nil)
	w.Resize(fyne.NewSize(1100, 760))
	m := newMain(context.Background(), a, w, svc, inline, never)
	m.tabs.SelectIndex(2)
	var n int
	for b.Loop() {
		m.today.refresh()
		n = len(m.today.items)
		w.Canvas().Capture()
	}
	b.ReportMetric(float64(n), "followups")
	b.ReportMetric(float64(len(m.today.box.Objects)), "objects")
}
