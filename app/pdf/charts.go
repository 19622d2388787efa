package pdf

import "fmt"

// Ink is a colour of the printed charts: the window's are the theme's.
type Ink struct{ r, g, b int }

// The inks of the charts.
var (
	Grey   = Ink{150, 150, 150}
	Blue   = Ink{41, 98, 200}
	Green  = Ink{46, 150, 70}
	Orange = Ink{225, 140, 30}
	Red    = Ink{200, 50, 50}
)

// Series is one kind of bar of a column chart: a value per column.
type Series struct {
	Name   string
	Ink    Ink
	Values []int
}

// Bar is one row of a bar chart lying down: the label before the bar, the
// text after it, the value its length.
type Bar struct {
	Label, Text string
	Value       int
}

// BarChart is a titled chart of bars lying down; Empty is said instead of
// bars when there are none.
type BarChart struct {
	Title, Empty string
	Bars         []Bar
}

func (d *Doc) fill(c Ink) { d.pdf.SetFillColor(c.r, c.g, c.b) }

// Legend names the series beside a square of each one's colour.
func (d *Doc) Legend(ss []Series) {
	x, y := d.left, d.pdf.GetY()
	d.pdf.SetFont(primaryFont, "", 8)
	for _, s := range ss {
		d.fill(s.Ink)
		d.pdf.Rect(x, y+1, 3, 3, "F")
		d.pdf.Text(x+4.5, y+3.7, s.Name)
		x += 8 + d.pdf.GetStringWidth(s.Name)
	}
	d.pdf.SetY(y + 6)
}

// Columns draws a column chart h mm tall at the current line: per label a
// group of bars, one per series, the number above each, the label and the
// caption under the base line.
func (d *Doc) Columns(h float64, labels, captions []string, ss []Series) {
	pdf := d.pdf
	top := 0
	for _, s := range ss {
		for _, v := range s.Values {
			top = max(top, v)
		}
	}
	y0 := pdf.GetY()
	base := y0 + h
	col := d.w / float64(len(labels))
	barW := col * 0.8 / float64(len(ss))
	pdf.SetFont(primaryFont, "", 6.5)
	for s, series := range ss {
		d.fill(series.Ink)
		for i, v := range series.Values {
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

// BarsSideBySide draws two bar charts in the two halves of the width, from
// the current line; the next line is under the longer.
func (d *Doc) BarsSideBySide(left, right BarChart) {
	y := d.pdf.GetY()
	half := (d.w - 8) / 2
	end1 := d.bars(d.left, y, half, left)
	end2 := d.bars(d.left+half+8, y, half, right)
	d.pdf.SetY(max(end1, end2) + 2)
}

// bars draws horizontal bars in the column from x, w mm wide, from y; it
// returns where it ended.
func (d *Doc) bars(x, y, w float64, c BarChart) float64 {
	pdf := d.pdf
	pdf.SetFont(primaryFont, "B", 9)
	pdf.Text(x, y+3.5, c.Title)
	y += 6
	if len(c.Bars) == 0 {
		pdf.SetFont(primaryFont, "I", 9)
		pdf.Text(x, y+3.5, c.Empty)
		return y + 6
	}
	top := 0
	for _, r := range c.Bars {
		top = max(top, r.Value)
	}
	const labelW, lineH = 32.0, 5.5
	for _, r := range c.Bars {
		d.p.fitLine(x, y, labelW-1, 8, lineH, r.Label)
		pdf.SetFont(primaryFont, "", 7.5)
		room := w - labelW - pdf.GetStringWidth(r.Text) - 2
		bw := float64(fraction(r.Value, top)) * room
		d.fill(Blue)
		if bw > 0 {
			pdf.Rect(x+labelW, y+1, bw, lineH-2, "F")
		}
		pdf.Text(x+labelW+bw+1, y+lineH-1.6, r.Text)
		y += lineH
	}
	return y
}
