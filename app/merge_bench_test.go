package app

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// phoneCard is one card of a generated export: person i (name, phones and
// the rest follow from i), with the email address p<email>@example.com.
// Two cards of the same i are the same person; with another email, the
// later card is that person with a new address, which an import merges
// (same name, same phone) rather than adds.
type phoneCard struct{ i, email int }

// writePhoneCards writes cards as phoneExport does (iPhone 3.0 and Android
// 2.1 alternating), without photos, and returns the file's path.
func writePhoneCards(tb testing.TB, name string, cards []phoneCard) string {
	tb.Helper()
	var buf bytes.Buffer
	given := []string{"Anna", "Jörg", "Łukasz", "Maria", "Sofia", "Olga", "Chen", "Ahmed"}
	family := []string{"Müller", "Keller", "Nowak", "García", "Petrova", "Weber", "Schmidt", "Fischer"}
	for _, c := range cards {
		i := c.i
		g, f := given[i%len(given)], family[(i/len(given))%len(family)]
		if i%2 == 0 {
			fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:3.0\r\nPRODID:-//Apple Inc.//iPhone OS 17.0//EN\r\nN:%s;%s;;;\r\nFN:%s %s %d\r\n"+
				"item1.TEL;type=pref:+49 151 %08d\r\nitem1.X-ABLabel:_$!<Mobile>!$_\r\nEMAIL;type=INTERNET;type=HOME:p%d@example.com\r\n"+
				"BDAY;X-APPLE-OMIT-YEAR=1604:1604-%02d-%02d\r\nNOTE:met at the market\r\n", f, g, g, f, i, i, c.email, 1+i%12, 1+i%28)
		} else {
			fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s;%s;;;\r\n"+
				"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:%s=20%s=20%d\r\nTEL;CELL;PREF:0171 %07d\r\nTEL;HOME:030 %07d\r\n"+
				"EMAIL;HOME:p%d@example.com\r\nADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=C3=9Fe %d;Berlin;;10115;Deutschland\r\n",
				qp(f), qp(g), qp(g), qp(f), i, i, i, c.email, i)
		}
		buf.WriteString("END:VCARD\r\n")
	}
	path := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		tb.Fatal(err)
	}
	return path
}

// people is cards for persons from, from+1, … (n of them), each with its
// own email.
func people(from, n int) []phoneCard {
	out := make([]phoneCard, n)
	for k := range out {
		out[k] = phoneCard{from + k, from + k}
	}
	return out
}

// spread picks n of the persons 0…total-1, evenly spread.
func spread(n, total int) []int {
	out := make([]int, n)
	for k := range out {
		out[k] = k * total / n
	}
	return out
}

// mergeCase is an import of file into a database seeded from seed (not
// timed): want says how many cards it adds and merges.
type mergeCase struct {
	seed, file      string
	created, merged int
}

func (mc mergeCase) run(b *testing.B) time.Duration {
	ctx := context.Background()
	b.StopTimer()
	s := newService(b)
	if mc.seed != "" {
		if _, err := s.ImportVCards(ctx, mc.seed, ImportOptions{Region: "DE"}); err != nil {
			b.Fatal(err)
		}
	}
	b.StartTimer()
	start := time.Now()
	rep, err := s.ImportVCards(ctx, mc.file, ImportOptions{Region: "DE"})
	took := time.Since(start)
	if err != nil || rep.Created != mc.created || rep.Merged != mc.merged {
		b.Fatalf("%v: created %d, merged %d; want %d, %d", err, rep.Created, rep.Merged, mc.created, mc.merged)
	}
	return took
}

// inTurn runs without and with in turn, each pair within seconds of each
// other (the machine's speed drifts), and reports with's time over
// without's.
func inTurn(b *testing.B, without, with mergeCase) {
	var t0, t1 time.Duration
	for b.Loop() {
		t0 += without.run(b)
		t1 += with.run(b)
	}
	b.ReportMetric(float64(t1)/float64(t0), "x-without")
	b.ReportMetric(t1.Seconds()/float64(b.N), "s-with")
	b.ReportMetric(t0.Seconds()/float64(b.N), "s-without")
}

// BenchmarkImportMerges measures what merging costs against adding, as
// ratios run in turn (issue 11: merges must cost no more than adds).
// Every merging card carries the name of the contact it merges into (the
// same person with a new email address), so that a match on phone or
// email merges under any rule that asks the names to agree.
//
//   - existing600: 10,000 cards of which 600 merge into contacts imported
//     before, against the same file into a database of 600 others.
//   - infile600: 10,000 cards of which 600 repeat a person earlier in the
//     same file, against 10,000 different people.
//   - 50k: 50,000 cards of which 10,000 merge into contacts imported before,
//     against 10,000 cards into an empty database (budget: at most 5×).
func BenchmarkImportMerges(b *testing.B) {
	tenK := writePhoneCards(b, "10k.vcf", people(0, 10_000))
	b.Run("existing600", func(b *testing.B) {
		var matching []phoneCard
		for _, i := range spread(600, 10_000) {
			matching = append(matching, phoneCard{i, 1_000_000 + i}) // the same person, an older email
		}
		inTurn(b,
			mergeCase{writePhoneCards(b, "others.vcf", people(2_000_000, 600)), tenK, 10_000, 0},
			mergeCase{writePhoneCards(b, "same.vcf", matching), tenK, 9_400, 600})
	})
	b.Run("infile600", func(b *testing.B) {
		var cards []phoneCard
		repeats := map[int]bool{}
		for _, i := range spread(600, 9_400) {
			repeats[i] = true
		}
		for i := range 9_400 + 40 {
			if i < 9_400 {
				cards = append(cards, phoneCard{i, i})
			}
			if repeats[i-40] { // 40 cards on: mostly the same chunk, at times the next
				cards = append(cards, phoneCard{i - 40, 1_000_000 + i - 40})
			}
		}
		inTurn(b,
			mergeCase{"", tenK, 10_000, 0},
			mergeCase{"", writePhoneCards(b, "repeats.vcf", cards), 9_400, 600})
	})
	b.Run("50k", func(b *testing.B) {
		var seed []phoneCard
		for _, i := range spread(10_000, 50_000) {
			seed = append(seed, phoneCard{i, 1_000_000 + i})
		}
		inTurn(b,
			mergeCase{"", tenK, 10_000, 0},
			mergeCase{writePhoneCards(b, "seed.vcf", seed), writePhoneCards(b, "50k.vcf", people(0, 50_000)), 40_000, 10_000})
	})
}
