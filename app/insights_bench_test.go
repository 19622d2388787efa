package app

import (
	"context"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// BenchmarkInsights50k computes the Insights tab's numbers over 50,000
// contacts with 20 journal entries each (a million, a seventh of them
// purchases with amounts, plus their stage moves and feedback) and 20
// appointments each: every chart's counts and the self reflection, and the
// people behind the busiest month's new contacts. Budget: 300 ms.
func BenchmarkInsights50k(b *testing.B) {
	s := New(modeltest.OpenShop(b, 50_000, 20, 20))
	ctx := context.Background()
	on := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	b.Run("numbers", func(b *testing.B) {
		var in Insights
		for b.Loop() {
			var err error
			if in, err = s.Insights(ctx, on); err != nil {
				b.Fatal(err)
			}
		}
		n := 0
		for _, x := range in.Sales {
			n += x.Count
		}
		b.ReportMetric(float64(n), "purchases")
	})
	b.Run("people", func(b *testing.B) {
		var n int
		for b.Loop() {
			people, err := s.InsightPeople(ctx, model.Pick{What: model.PickBought,
				From: time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
			if err != nil {
				b.Fatal(err)
			}
			n = len(people)
		}
		b.ReportMetric(float64(n), "people")
	})
}
