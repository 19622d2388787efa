package app

import (
	"context"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
	"github.com/rapportjournal/rapport/model/modeltest"
)

// BenchmarkOutreach5000 measures an outreach to 5,000 of 50,000 contacts
// with 20 journal entries each (1,000,000 entries): the plan (selection,
// who got it already, name order), the send (5,000 entries and search
// entries in one transaction, the BCC groups) and its undo, each reported.
// Budget: 2 s for plan and send together.
func BenchmarkOutreach5000(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 20))
	ctx := context.Background()
	all, err := s.store().ContactIDsByName(ctx)
	if err != nil {
		b.Fatal(err)
	}
	// 5,000 chosen by a search of their ids: every tenth contact.
	among := make([]int64, 0, 5000)
	for i := 0; i < len(all) && len(among) < 5000; i += 10 {
		among = append(among, all[i])
	}
	article := Outreach{Kind: model.KindArticle, Title: "Sourdough at home", Link: "https://example.org/sourdough"}
	var plan, send, undo time.Duration
	for b.Loop() {
		start := time.Now()
		p, err := s.PlanOutreach(ctx, OutreachCriteria{}, article)
		if err != nil {
			b.Fatal(err)
		}
		p.Reach = among // the search is the list's: measured elsewhere
		plan += time.Since(start)
		start = time.Now()
		done, err := s.SendOutreach(ctx, p)
		if err != nil || done.Reached != 5000 || len(done.BCC) != 100 {
			b.Fatalf("reached %v, %v", done, err)
		}
		send += time.Since(start)
		start = time.Now()
		if err := done.Undo(ctx); err != nil {
			b.Fatal(err)
		}
		undo += time.Since(start)
	}
	n := float64(b.N)
	b.ReportMetric(float64(plan.Milliseconds())/n, "plan-ms")
	b.ReportMetric(float64(send.Milliseconds())/n, "send-ms")
	b.ReportMetric(float64(undo.Milliseconds())/n, "undo-ms")
}

// BenchmarkNoExtraPreset50k measures the view "clients without an extra
// in 6 months" over the same 50,000 contacts.
func BenchmarkNoExtraPreset50k(b *testing.B) {
	s := New(modeltest.Open(b, 50_000, 20)).WithClock(func() time.Time { return fixedNow })
	ctx := context.Background()
	var n int
	for b.Loop() {
		p, err := s.PlanOutreach(ctx, NoExtraPreset(), Outreach{Kind: model.KindExtra})
		if err != nil {
			b.Fatal(err)
		}
		n = len(p.Reach)
	}
	b.ReportMetric(float64(n), "clients")
}
