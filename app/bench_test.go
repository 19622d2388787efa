package app

import (
	"context"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// firstScreen is how many rows the window shows at once, generously.
const firstScreen = 60

// BenchmarkSearch50k measures one keystroke of the search box over 50,000
// contacts with 5 journal entries each: the full-text lookup, the matches
// sorted by name, and the rows of the first screen of answers read. Queries
// run from a narrow name prefix to a word in 40 % of all journals.
// Budget: 16 ms (one frame).
func BenchmarkSearch50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	dir, err := s.LoadDirectory(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"müll", "anna sch", "kowal", "петр", "person4711", "walnu", "a"} {
		b.Run(q, func(b *testing.B) {
			var n int
			for b.Loop() {
				ids, err := s.Search(ctx, dir, q)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.ContactRows(ctx, ids[:min(firstScreen, len(ids))]); err != nil {
					b.Fatal(err)
				}
				n = len(ids)
			}
			b.ReportMetric(float64(n), "matches")
		})
	}
}

// BenchmarkLoadDirectory50k measures what the window reads before it can
// show the list: every ID in name order and the first screen's rows.
func BenchmarkLoadDirectory50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	for b.Loop() {
		dir, err := s.LoadDirectory(ctx)
		if err != nil {
			b.Fatal(err)
		}
		if dir.Len() != 50_000 {
			b.Fatalf("directory holds %d", dir.Len())
		}
		if _, err := s.ContactRows(ctx, dir.All()[:firstScreen]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReliability50k measures reliability over 50,000 contacts with 20
// appointments each (a million appointments). "rescore" is the once-a-day
// rescoring of every contact (run in the background); "unreliable" is what
// the list's filter asks once the day's scores are kept: every unreliable
// contact. Budget for the list: 200 ms.
func BenchmarkReliability50k(b *testing.B) {
	st := modeltest.OpenWith(b, 50_000, 5, 20)
	ctx := context.Background()
	day := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	b.Run("rescore", func(b *testing.B) {
		for i := 0; b.Loop(); i++ {
			// A new day each time, so that every contact is rescored.
			s := New(st).WithClock(func() time.Time { return day.AddDate(0, 0, i) })
			if err := s.RefreshReliability(ctx, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	s := New(st).WithClock(func() time.Time { return day })
	if err := s.RefreshReliability(ctx, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("unreliable", func(b *testing.B) {
		var n int
		for b.Loop() {
			ids, err := s.UnreliableContacts(ctx)
			if err != nil {
				b.Fatal(err)
			}
			n = len(ids)
		}
		b.ReportMetric(float64(n), "unreliable")
	})
}

// BenchmarkFollowups50k computes the follow-up list over 50,000 contacts
// with 5 journal entries and 20 appointments each, the day's reliability
// scores already kept (they are rescored once a day in the background).
// Budget: 300 ms.
func BenchmarkFollowups50k(b *testing.B) {
	s := New(modeltest.OpenWith(b, 50_000, 5, 20))
	ctx := context.Background()
	on := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	if err := s.WithClock(func() time.Time { return on }).RefreshReliability(ctx, nil); err != nil {
		b.Fatal(err)
	}
	var n int
	for b.Loop() {
		list, err := s.Followups(ctx, on, DefaultCadences())
		if err != nil {
			b.Fatal(err)
		}
		n = len(list)
	}
	b.ReportMetric(float64(n), "followups")
}

// BenchmarkLapsing50k measures the lapsing rule alone over the follow-ups'
// 50,000 contacts (5 journal entries each, a tenth of them purchases), and
// the ready-to-become-clients rule beside it for scale: the rules run at
// once, so each adds to the list's time only what the cores cannot share.
func BenchmarkLapsing50k(b *testing.B) {
	s := New(modeltest.OpenWith(b, 50_000, 5, 20))
	ctx := context.Background()
	on := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for name, rule := range map[string]func(context.Context, time.Time, Cadences) ([]Followup, error){
		"lapsing": s.lapsingFollowups, "candidates": s.candidateFollowups} {
		b.Run(name, func(b *testing.B) {
			var n int
			for b.Loop() {
				list, err := rule(ctx, on, DefaultCadences())
				if err != nil {
					b.Fatal(err)
				}
				n = len(list)
			}
			b.ReportMetric(float64(n), "followups")
		})
	}
}

// BenchmarkBirthdays50k finds the birthdays of the coming fortnight among
// 50,000 contacts without journal entries (an imported phone book, a third
// of them prospects): only those met (customers, clients or anyone with a
// journal entry), and everyone's, as Settings can ask.
func BenchmarkBirthdays50k(b *testing.B) {
	s := New(modeltest.OpenWith(b, 50_000, 0, 0))
	ctx := context.Background()
	on := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	for _, all := range []bool{false, true} {
		name := "met"
		if all {
			name = "all"
		}
		b.Run(name, func(b *testing.B) {
			if err := s.SetAllBirthdays(ctx, all); err != nil {
				b.Fatal(err)
			}
			var n int
			for b.Loop() {
				list, err := s.dateFollowups(ctx, on, nil)
				if err != nil {
					b.Fatal(err)
				}
				n = len(list)
			}
			b.ReportMetric(float64(n), "birthdays")
		})
	}
}

// BenchmarkListRows50k measures reading one page of the list's rows (100)
// with what tells same-named contacts apart: in the seeded shop nearly every
// name is shared (60 given names × 70 family names for 50,000 people), the
// worst case. ContactRows alone is the baseline.
func BenchmarkListRows50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	dir, err := s.LoadDirectory(ctx)
	if err != nil {
		b.Fatal(err)
	}
	page := dir.All()[20_000:20_100]
	b.Run("ContactRows", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ContactRows(ctx, page); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("ListRows", func(b *testing.B) {
		for b.Loop() {
			rows, err := s.ListRows(ctx, page)
			if err != nil {
				b.Fatal(err)
			}
			if rows[0].Hint == "" {
				b.Fatalf("no hint for %q, whose name is shared", rows[0].DisplayName)
			}
		}
	})
}

// BenchmarkWeek50k reads one week of the Appointments tab, with the 60 days
// of appointments that need an outcome, over 50,000 contacts with 20
// appointments each (a million appointments).
func BenchmarkWeek50k(b *testing.B) {
	on := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	s := New(modeltest.OpenWith(b, 50_000, 5, 20)).WithClock(func() time.Time { return on })
	ctx := context.Background()
	var n int
	for b.Loop() {
		w, err := s.Week(ctx, on, time.Monday)
		if err != nil {
			b.Fatal(err)
		}
		n = len(w.NeedsOutcome)
		for _, d := range w.Days {
			n += len(d.Items)
		}
	}
	b.ReportMetric(float64(n), "appointments")
}

// BenchmarkFilter50k measures narrowing the whole list of 50,000 to a stage
// (a third of everyone) and to a stage and a search's answers: what a click
// on the stage filter costs before the list shows.
func BenchmarkFilter50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 5))
	ctx := context.Background()
	dir, err := s.LoadDirectory(ctx)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range []string{"", "müll"} {
		b.Run("stage+"+q, func(b *testing.B) {
			var n int
			for b.Loop() {
				ids, err := s.Search(ctx, dir, q)
				if err != nil {
					b.Fatal(err)
				}
				if ids, err = s.FilterContacts(ctx, ids, ListFilter{Stage: model.StageClient}); err != nil {
					b.Fatal(err)
				}
				if _, err := s.ListRows(ctx, ids[:min(100, len(ids))]); err != nil {
					b.Fatal(err)
				}
				n = len(ids)
			}
			b.ReportMetric(float64(n), "shown")
		})
	}
}
