package app

import (
	"context"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"
)

// BenchmarkFollowupSheet1000 writes a follow-up sheet of 1,000 people, each
// with a phone, a text and remembered details, a third of them notes with a
// postal address. Budget: 1 s.
func BenchmarkFollowupSheet1000(b *testing.B) {
	kinds := FollowupKinds()
	rows := make([]sheetRow, 1000)
	for i := range rows {
		rows[i] = sheetRow{
			Followup: Followup{ContactID: int64(i), Contact: fmt.Sprintf("Łukasz Müller-Петров %d", i),
				Kind: kinds[i*len(kinds)/len(rows)], Text: "Nothing logged for 45 days (a customer: every 30)"},
			phone: "+49 151 5550101",
			cues:  []string{"Daughter: Maya, starts school in August", "Coffee: oat flat white"},
		}
		if rows[i].Kind == FollowNote {
			rows[i].address = "Hauptstraße 3, 10115 Berlin, Germany"
		}
	}
	on := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	sheet := func(b *testing.B, rows []sheetRow, fonts FontFinder) {
		var pages int
		for b.Loop() {
			rep, err := writeSheet(context.Background(), io.Discard, rows, on, PaperA4, on, fonts)
			if err != nil {
				b.Fatal(err)
			}
			pages = rep.Pages
		}
		b.ReportMetric(float64(pages), "pages")
	}
	b.Run("latin", func(b *testing.B) { sheet(b, rows, nil) })
	// A third of the names Japanese, printed with a fallback font.
	japanese := slices.Clone(rows)
	for i := 0; i < len(japanese); i += 3 {
		japanese[i].Contact = fmt.Sprintf("田中 花子 %d", i)
	}
	b.Run("japanese", func(b *testing.B) { sheet(b, japanese, &fakeFinder{paths: []string{testFont}}) })
}
