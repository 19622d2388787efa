package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// PrintInsights writes the Insights of on's month as a PDF on paper: the
// same charts as the window, drawn with the PDF's own lines and
// rectangles, and the self reflection.
func (s *Service) PrintInsights(ctx context.Context, on time.Time, paper string, w io.Writer) (PrintReport, error) {
	in, err := s.Insights(ctx, on)
	if err != nil {
		return PrintReport{}, err
	}
	return writeInsights(ctx, w, in, insightsPrint{paper: paper, on: on, made: s.now(), fonts: s.fonts, amount: s.FormatAmount})
}

// insightsPrint is what a print of the Insights needs besides the numbers.
type insightsPrint struct {
	paper    string
	on, made time.Time
	fonts    FontFinder
	amount   func(minor int64, currency string) string
}

// rgb is a colour of the printed charts: the window's are the theme's.
type rgb struct{ r, g, b int }

var (
	greyInk   = rgb{150, 150, 150}
	blueInk   = rgb{41, 98, 200}
	greenInk  = rgb{46, 150, 70}
	orangeInk = rgb{225, 140, 30}
	redInk    = rgb{200, 50, 50}
)

// pdfSeries is one kind of bar of a printed column chart.
type pdfSeries struct {
	name   string
	ink    rgb
	values []int
}

// insightsDoc draws the Insights on a PDF.
type insightsDoc struct {
	pdf  *fpdf.Fpdf
	p    *printable
	left float64 // the left margin, mm
	w    float64 // the width between the margins, mm
}

func writeInsights(ctx context.Context, w io.Writer, in Insights, job insightsPrint) (PrintReport, error) {
	if job.paper != PaperA4 && job.paper != PaperLetter {
		return PrintReport{}, fmt.Errorf("insights: paper %q: A4 or Letter", job.paper)
	}
	pdf := newPDF(job.paper, job.made)
	p, err := newPrintable(ctx, pdf, job.fonts)
	if err != nil {
		return PrintReport{}, fmt.Errorf("insights: %w", err)
	}
	pageW, _ := pdf.GetPageSize()
	d := &insightsDoc{pdf: pdf, p: p, left: 15, w: pageW - 30}
	title := "Insights, the 12 months to " + job.on.Format("January 2006")
	d.frame(title, job.on)
	pdf.AddPage()
	pdf.SetFont(primaryFont, "B", 16)
	pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	d.stages(in)
	d.origins(in)
	d.reliability(in)
	d.purchases(in, job.amount)
	d.reflections(in)
	if err := pdf.Output(w); err != nil {
		return PrintReport{}, fmt.Errorf("insights: write PDF: %w", err)
	}
	return PrintReport{Pages: pdf.PageNo(), Unprinted: p.unprinted(), FallbackFonts: p.fallbackPaths()}, nil
}

// frame puts the title and page numbers on every page.
func (d *insightsDoc) frame(title string, on time.Time) {
	pdf := d.pdf
	pdf.SetMargins(d.left, 15, d.left)
	pdf.SetAutoPageBreak(true, 18)
	pdf.AliasNbPages("{nb}")
	pdf.SetHeaderFunc(func() {
		pdf.SetFont(primaryFont, "B", 9)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 6, "Rapport · "+title, "", 1, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		pdf.Ln(2)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont(primaryFont, "", 8)
		pdf.SetTextColor(90, 90, 90)
		pdf.CellFormat(0, 6, fmt.Sprintf("%s · page %d of {nb}", on.Format("2 January 2006"), pdf.PageNo()), "", 0, "C", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
	})
}

// room starts a new page unless h mm are left above the bottom margin.
func (d *insightsDoc) room(h float64) {
	_, pageH := d.pdf.GetPageSize()
	if d.pdf.GetY()+h > pageH-20 {
		d.pdf.AddPage()
	}
}

func (d *insightsDoc) heading(text string, need float64) {
	d.room(need + 10)
	d.pdf.Ln(3)
	d.pdf.SetFont(primaryFont, "B", 12)
	d.pdf.CellFormat(0, 7, text, "B", 1, "L", false, 0, "")
	d.pdf.Ln(2)
}

func (d *insightsDoc) note(text string) {
	d.pdf.SetFont(primaryFont, "I", 8)
	d.pdf.SetTextColor(90, 90, 90)
	d.pdf.MultiCell(0, 4, text, "", "L", false)
	d.pdf.SetTextColor(0, 0, 0)
}

func (d *insightsDoc) fill(c rgb) { d.pdf.SetFillColor(c.r, c.g, c.b) }

// legend names the series beside a square of each one's colour.
func (d *insightsDoc) legend(ss []pdfSeries) {
	x, y := d.left, d.pdf.GetY()
	d.pdf.SetFont(primaryFont, "", 8)
	for _, s := range ss {
		d.fill(s.ink)
		d.pdf.Rect(x, y+1, 3, 3, "F")
		d.pdf.Text(x+4.5, y+3.7, s.name)
		x += 8 + d.pdf.GetStringWidth(s.name)
	}
	d.pdf.SetY(y + 6)
}

// columns draws a column chart h mm tall at the current line: per label a
// group of bars, one per series, the number above each, the label and the
// caption under the base line.
func (d *insightsDoc) columns(h float64, labels, captions []string, ss []pdfSeries) {
	pdf := d.pdf
	top := 0
	for _, s := range ss {
		for _, v := range s.values {
			top = max(top, v)
		}
	}
	y0 := pdf.GetY()
	base := y0 + h
	col := d.w / float64(len(labels))
	barW := col * 0.8 / float64(len(ss))
	pdf.SetFont(primaryFont, "", 6.5)
	for s, series := range ss {
		d.fill(series.ink)
		for i, v := range series.values {
			x := d.left + float64(i)*col + col*0.1 + float64(s)*barW
			bh := float64(fraction(v, top)) * (h - 4)
			if bh > 0 {
				pdf.Rect(x, base-bh, barW-0.4, bh, "F")
			}
			if v == 0 {
				continue // a 0 over every empty month hides the bars that are there
			}
			text := fmt.Sprint(v)
			pdf.Text(x+(barW-pdf.GetStringWidth(text))/2, base-bh-0.8, text)
		}
	}
	pdf.SetDrawColor(120, 120, 120)
	pdf.SetLineWidth(0.2)
	pdf.Line(d.left, base, d.left+d.w, base)
	pdf.SetFont(primaryFont, "", 7)
	for i, l := range labels {
		cx := d.left + float64(i)*col + col/2
		pdf.Text(cx-pdf.GetStringWidth(l)/2, base+3.5, l)
		if i < len(captions) {
			pdf.Text(cx-pdf.GetStringWidth(captions[i])/2, base+7, captions[i])
		}
	}
	pdf.SetY(base + 4.5)
	if len(captions) > 0 {
		pdf.SetY(base + 8.5)
	}
}

// fraction is v of top, 0 when top is.
func fraction(v, top int) float32 {
	if top == 0 {
		return 0
	}
	return float32(v) / float32(top)
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

// stages writes the counts by stage and the rates, then charts the moves
// month by month.
func (d *insightsDoc) stages(in Insights) {
	d.heading("Prospects → customers → clients", 60)
	d.pdf.SetFont(primaryFont, "", 10)
	d.pdf.MultiCell(0, 5, stagesLine(in), "", "L", false)
	d.pdf.Ln(1)
	ss := []pdfSeries{{"first met", greyInk, in.New}, {"became customers", blueInk, in.Customers}, {"became clients", greenInk, in.Clients}}
	d.legend(ss)
	d.columns(45, monthLabels(in), nil, ss)
}

// stagesLine is the counts by stage now and the conversion rates.
func stagesLine(in Insights) string {
	return fmt.Sprintf("Now %d prospects, %d customers, %d clients · %s became customers · %s of customers became clients",
		in.Stages["prospect"], in.Stages["customer"], in.Stages["client"], pctOrDash(in.ToCustomerPct), pctOrDash(in.ToClientPct))
}

// pdfRow is one row of a printed bar chart lying down.
type pdfRow struct {
	label, text string
	value       int
}

// rows draws horizontal bars in the column from x, w mm wide, from y; it
// returns where it ended.
func (d *insightsDoc) rows(x, y, w float64, title string, rows []pdfRow, empty string) float64 {
	pdf := d.pdf
	pdf.SetFont(primaryFont, "B", 9)
	pdf.Text(x, y+3.5, title)
	y += 6
	if len(rows) == 0 {
		pdf.SetFont(primaryFont, "I", 9)
		pdf.Text(x, y+3.5, empty)
		return y + 6
	}
	top := 0
	for _, r := range rows {
		top = max(top, r.value)
	}
	const labelW, lineH = 32.0, 5.5
	for _, r := range rows {
		d.p.fitLine(x, y, labelW-1, 8, lineH, r.label)
		pdf.SetFont(primaryFont, "", 7.5)
		room := w - labelW - pdf.GetStringWidth(r.text) - 2
		bw := float64(fraction(r.value, top)) * room
		d.fill(blueInk)
		if bw > 0 {
			pdf.Rect(x+labelW, y+1, bw, lineH-2, "F")
		}
		pdf.Text(x+labelW+bw+1, y+lineH-1.6, r.text)
		y += lineH
	}
	return y
}

// origins charts the clients by how they met us beside the top referrers.
func (d *insightsDoc) origins(in Insights) {
	d.heading("Where clients come from", 55)
	var ways, refs []pdfRow
	for _, t := range in.HowWeMet {
		label := t.Key
		if label == "" {
			label = "(not told)"
		}
		ways = append(ways, pdfRow{label, fmt.Sprint(t.Count), t.Count})
	}
	if in.OtherWays > 0 {
		ways = append(ways, pdfRow{"other ways", fmt.Sprint(in.OtherWays), in.OtherWays})
	}
	for _, r := range in.Referrers {
		refs = append(refs, pdfRow{r.Name, fmt.Sprintf("%d sent, %d clients", r.Sent, r.Clients), r.Sent})
	}
	y := d.pdf.GetY()
	half := (d.w - 8) / 2
	end1 := d.rows(d.left, y, half, "Clients by how we met", ways, "No clients yet.")
	end2 := d.rows(d.left+half+8, y, half, "Top referrers, to thank", refs, "Nobody referred anyone yet.")
	d.pdf.SetY(max(end1, end2) + 2)
}

// reliability charts the appointments of each month by how they went.
func (d *insightsDoc) reliability(in Insights) {
	d.heading("Reliability over time", 60)
	n := len(in.Months)
	onTime, late, noShow, captions := make([]int, n), make([]int, n), make([]int, n), make([]string, n)
	for i, r := range in.Reliability {
		onTime[i], late[i], noShow[i], captions[i] = r.OnTime, r.Late, r.NoShow, pctOrDash(r.OnTimePct)
	}
	ss := []pdfSeries{{"on time", greenInk, onTime}, {"late", orangeInk, late}, {"no-show", redInk, noShow}}
	d.legend(ss)
	d.columns(40, monthLabels(in), captions, ss)
	d.note("Under each month: the share of appointments kept on time.")
}

// purchases charts the purchases of each month with their total.
func (d *insightsDoc) purchases(in Insights, amount func(int64, string) string) {
	d.heading("Purchases per month", 55)
	counts, captions := make([]int, len(in.Months)), make([]string, len(in.Months))
	for i, s := range in.Sales {
		counts[i], captions[i] = s.Count, amount(s.Sum, in.Currency)
	}
	d.columns(40, monthLabels(in), captions, []pdfSeries{{"purchases", blueInk, counts}})
	d.note(salesNote(in))
}

func salesNote(in Insights) string {
	note := "Under each month: the total in " + in.Currency + "."
	if in.OtherCurrencies {
		note += " Purchases in other currencies are counted, not added."
	}
	return note
}

// reflections lists the feedback answers with what the owner will change.
func (d *insightsDoc) reflections(in Insights) {
	d.heading("Self reflection", 20)
	if len(in.Reflections) == 0 {
		d.p.paragraph("I", 10, 5, "", "No feedback yet.")
		return
	}
	for _, r := range in.Reflections {
		d.room(16)
		d.p.paragraph("B", 10, 5, "", r.Name, "   "+r.At.Local().Format("2 January 2006"))
		d.p.paragraph("", 10, 5, "They said: ", r.Said)
		d.p.paragraph("I", 10, 5, "I will change: ", orUndecided(r.Change))
		d.pdf.Ln(1.5)
	}
}

func orUndecided(change string) string {
	if strings.TrimSpace(change) == "" {
		return "(not decided)"
	}
	return change
}
