package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/pdf"
)

// PrintInsights writes the Insights of on's month as a PDF on paper: the
// same charts as the window, drawn with the PDF's own lines and
// rectangles, and the self reflection.
func (s *Service) PrintInsights(ctx context.Context, on time.Time, paper string, w io.Writer) (pdf.Report, error) {
	in, err := s.Insights(ctx, on)
	if err != nil {
		return pdf.Report{}, err
	}
	d, err := pdf.NewDoc(ctx, paper, "Insights, the 12 months to "+on.Format("January 2006"), on, s.now(), s.fonts)
	if err != nil {
		return pdf.Report{}, fmt.Errorf("insights: %w", err)
	}
	printStages(d, in)
	printOrigins(d, in)
	printReliability(d, in)
	printPurchases(d, in, s.FormatAmount)
	printReflections(d, in)
	rep, err := d.Finish(w)
	if err != nil {
		return pdf.Report{}, fmt.Errorf("insights: %w", err)
	}
	return rep, nil
}

func monthLabels(in Insights) []string {
	out := make([]string, len(in.Months))
	for i, m := range in.Months {
		out[i] = m.From.Format("Jan ’06")
	}
	return out
}

func pctOrDash(p *int) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%d %%", *p)
}

// printStages writes the counts by stage and the rates, then charts the
// moves month by month.
func printStages(d *pdf.Doc, in Insights) {
	d.Heading("Prospects → customers → clients", 60)
	d.Paragraph("", 10, 5, stagesLine(in))
	d.Gap(1)
	ss := []pdf.Series{{Name: "first met", Ink: pdf.Grey, Values: in.New},
		{Name: "became customers", Ink: pdf.Blue, Values: in.Customers}, {Name: "became clients", Ink: pdf.Green, Values: in.Clients}}
	d.Legend(ss)
	d.Columns(45, monthLabels(in), nil, ss)
}

// stagesLine is the counts by stage now and the conversion rates.
func stagesLine(in Insights) string {
	return fmt.Sprintf("Now %d prospects, %d customers, %d clients · %s became customers · %s of customers became clients",
		in.Stages["prospect"], in.Stages["customer"], in.Stages["client"], pctOrDash(in.ToCustomerPct), pctOrDash(in.ToClientPct))
}

// printOrigins charts the clients by how they met us beside the top
// referrers.
func printOrigins(d *pdf.Doc, in Insights) {
	d.Heading("Where clients come from", 55)
	ways := pdf.BarChart{Title: "Clients by how we met", Empty: "No clients yet."}
	for _, t := range in.HowWeMet {
		label := t.Key
		if label == "" {
			label = "(not told)"
		}
		ways.Bars = append(ways.Bars, pdf.Bar{Label: label, Text: fmt.Sprint(t.Count), Value: t.Count})
	}
	if in.OtherWays > 0 {
		ways.Bars = append(ways.Bars, pdf.Bar{Label: "other ways", Text: fmt.Sprint(in.OtherWays), Value: in.OtherWays})
	}
	refs := pdf.BarChart{Title: "Top referrers, to thank", Empty: "Nobody referred anyone yet."}
	for _, r := range in.Referrers {
		refs.Bars = append(refs.Bars, pdf.Bar{Label: r.Name, Text: fmt.Sprintf("%d sent, %d clients", r.Sent, r.Clients), Value: r.Sent})
	}
	d.BarsSideBySide(ways, refs)
}

// printReliability charts the appointments of each month by how they went.
func printReliability(d *pdf.Doc, in Insights) {
	d.Heading("Reliability over time", 60)
	n := len(in.Months)
	onTime, late, noShow, captions := make([]int, n), make([]int, n), make([]int, n), make([]string, n)
	for i, r := range in.Reliability {
		onTime[i], late[i], noShow[i], captions[i] = r.OnTime, r.Late, r.NoShow, pctOrDash(r.OnTimePct)
	}
	ss := []pdf.Series{{Name: "on time", Ink: pdf.Green, Values: onTime}, {Name: "late", Ink: pdf.Orange, Values: late},
		{Name: "no-show", Ink: pdf.Red, Values: noShow}}
	d.Legend(ss)
	d.Columns(40, monthLabels(in), captions, ss)
	d.Note("Under each month: the share of appointments kept on time.")
}

// printPurchases charts the purchases of each month with their total.
func printPurchases(d *pdf.Doc, in Insights, amount func(int64, string) string) {
	d.Heading("Purchases per month", 55)
	counts, captions := make([]int, len(in.Months)), make([]string, len(in.Months))
	for i, s := range in.Sales {
		counts[i], captions[i] = s.Count, amount(s.Sum, in.Currency)
	}
	d.Columns(40, monthLabels(in), captions, []pdf.Series{{Name: "purchases", Ink: pdf.Blue, Values: counts}})
	d.Note(salesNote(in))
}

func salesNote(in Insights) string {
	note := "Under each month: the total in " + in.Currency + "."
	if in.OtherCurrencies {
		note += " Purchases in other currencies are counted, not added."
	}
	return note
}

// printReflections lists the feedback answers with what the owner will
// change.
func printReflections(d *pdf.Doc, in Insights) {
	d.Heading("Self reflection", 20)
	if len(in.Reflections) == 0 {
		d.Paragraph("I", 10, 5, "", "No feedback yet.")
		return
	}
	for _, r := range in.Reflections {
		d.Room(16)
		d.Paragraph("B", 10, 5, "", r.Name, "   "+r.At.Local().Format("2 January 2006"))
		d.Paragraph("", 10, 5, "They said: ", r.Said)
		d.Paragraph("I", 10, 5, "I will change: ", orUndecided(r.Change))
		d.Gap(1.5)
	}
}

func orUndecided(change string) string {
	if strings.TrimSpace(change) == "" {
		return "(not decided)"
	}
	return change
}
