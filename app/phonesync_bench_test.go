package app

import (
	"fmt"

	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/dav"
)

// BenchmarkPhoneSync5000: the first sync of 5,000 cards a phone keeps on its
// server (Radicale on loopback, its caches warm as a phone's server has
// them), and an incremental sync with nothing changed. Budget (issue 13):
// initial ≤ 10 s, incremental ≤ 0.5 s.
func BenchmarkPhoneSync5000(b *testing.B) {
	for b.Loop() {
		b.StopTimer()
		s, srv, book := syncDeskB(b)
		cards := map[string]string{}
		for i := range 5000 {
			cards[fmt.Sprintf("c%05d.vcf", i)] = vcard3(fmt.Sprintf("uid-%05d", i), "Person", fmt.Sprintf("Number%05d", i),
				fmt.Sprintf("+49 151 %08d", i), fmt.Sprintf("p%05d@example.com", i))
		}
		srv.Seed(b, book, cards)
		srv.Warm(b, book)
		b.StartTimer()
		start := time.Now()
		rep, err := s.SyncPhone(b.Context(), SyncOptions{Password: srv.Password, Region: "DE"})
		if err != nil || rep.FromPhoneAdded != 5000 {
			b.Fatalf("%v %+v", err, rep)
		}
		initial := time.Since(start)
		start = time.Now()
		rep, err = s.SyncPhone(b.Context(), SyncOptions{Password: srv.Password, Region: "DE"})
		if err != nil || rep.FromPhoneAdded+rep.ToPhoneAdded+rep.ToPhoneUpdated+rep.FromPhoneUpdated != 0 {
			b.Fatalf("%v %+v", err, rep)
		}
		incremental := time.Since(start)
		// What of that is the server's own answer to "what changed since":
		// Radicale reads every card's ETag for it.
		tokens, err := s.store().Settings(b.Context(), settingSyncToken)
		if err != nil {
			b.Fatal(err)
		}
		c, err := dav.Dial(b.Context(), dav.Account{URL: srv.URL, User: srv.User, Password: srv.Password})
		if err != nil {
			b.Fatal(err)
		}
		start = time.Now()
		if _, _, _, ok, err := c.Changes(b.Context(), book, tokens[settingSyncToken]); err != nil || !ok {
			b.Fatalf("changes: %v %v", ok, err)
		}
		b.ReportMetric(initial.Seconds(), "s-initial")
		b.ReportMetric(incremental.Seconds(), "s-incremental")
		b.ReportMetric(time.Since(start).Seconds(), "s-server-changes")
	}
}
