package pdf

import (
	"context"
	"fmt"
	"io"
	"slices"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"
)

// BenchmarkFollowupSheet1000 writes a follow-up sheet of 1,000 people, each
// with a phone, a text and remembered details, a third of them notes with a
// postal address. Budget: 1 s.
func BenchmarkFollowupSheet1000(b *testing.B) {
	titles := []string{"Notes to write", "Ask for feedback", "Remind of tomorrow's appointments", "Lapsing: win them back",
		"Keep in touch", "Birthdays", "Anniversaries", "Dates to remember", "Ready to become clients"}
	sections := make([]SheetSection, len(titles))
	for i := range 1000 {
		k := i * len(titles) / 1000
		r := SheetRow{Name: fmt.Sprintf("Łukasz Müller-Петров %d", i), Phone: "+49 151 5550101",
			Text: "Nothing logged for 45 days (a customer: every 30)",
			Cues: []string{"Daughter: Maya, starts school in August", "Coffee: oat flat white"}}
		if k == 0 {
			r.Address = "Hauptstraße 3, 10115 Berlin, Germany"
		}
		sections[k].Rows = append(sections[k].Rows, r)
	}
	for k := range sections {
		sections[k].Title = fmt.Sprintf("%s (%d)", titles[k], len(sections[k].Rows))
	}
	on := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	sheet := func(b *testing.B, sections []SheetSection, fonts FontFinder) {
		var pages int
		for b.Loop() {
			rep, err := WriteSheet(context.Background(), io.Discard, Sheet{On: on, Paper: A4, Made: on, Sections: sections}, fonts)
			if err != nil {
				b.Fatal(err)
			}
			pages = rep.Pages
		}
		b.ReportMetric(float64(pages), "pages")
	}
	b.Run("latin", func(b *testing.B) { sheet(b, sections, nil) })
	// A third of the names Japanese, printed with a fallback font.
	japanese := slices.Clone(sections)
	n := 0
	for k := range japanese {
		japanese[k].Rows = slices.Clone(japanese[k].Rows)
		for i := range japanese[k].Rows {
			if n%3 == 0 {
				japanese[k].Rows[i].Name = fmt.Sprintf("田中 花子 %d", n)
			}
			n++
		}
	}
	b.Run("japanese", func(b *testing.B) { sheet(b, japanese, &pdftest.Finder{Paths: []string{testFont}}) })
}
