package pdf

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// LabelLayout is a sheet of address labels.
type LabelLayout struct {
	Name           string
	Paper          string
	Columns, Rows  int
	Width, Height  float64 // of a label, mm
	Left, Top      float64 // of the first label, mm
	PitchX, PitchY float64 // from one label to the next, mm
}

// LabelLayouts are the sheets Rapport knows. Sources differ by about a
// millimetre: the owner calibrates with the offsets and a test page.
func LabelLayouts() map[string]LabelLayout {
	return map[string]LabelLayout{
		"L7160": {Name: "Avery L7160", Paper: A4, Columns: 3, Rows: 7, Width: 63.5, Height: 38.1,
			Left: 7.21, Top: 15.15, PitchX: 66.04, PitchY: 38.1},
		"5160": {Name: "Avery 5160", Paper: Letter, Columns: 3, Rows: 10, Width: 66.675, Height: 25.4,
			Left: 4.76, Top: 12.7, PitchX: 69.85, PitchY: 25.4},
	}
}

// LabelJob is what a run of labels prints, and where.
type LabelJob struct {
	Layout           LabelLayout
	OffsetX, OffsetY float64 // mm, see CheckLabelOffset
	Test             bool    // outlines only, to hold against a sheet
	// Start is the first free label of a part-used first sheet, counted
	// across from the top left from 1; the labels before it stay blank.
	// 0 is 1.
	Start int
	// ReturnAddress is the sender, one line per part; printed small at the
	// top of each label. "" prints none.
	ReturnAddress string
	// HomeCountry (a name or ISO code) is left off addresses in that
	// country: domestic post needs no country line. The caller leaves it
	// off the addresses it passes.
	HomeCountry string
}

// MaxLabelOffsetMM is the most the labels move either way: more is
// another sheet, not a calibration.
const MaxLabelOffsetMM = 20.0

// CheckLabelStart says why start is no label of the sheet l.
func CheckLabelStart(l LabelLayout, start int) error {
	if n := l.Columns * l.Rows; start < 1 || start > n {
		return fmt.Errorf("start at label %d: the %s sheet has labels 1 to %d, counted across from the top left", start, l.Name, n)
	}
	return nil
}

// CheckLabelOffset says why mm cannot move the labels; field names the
// offset as the owner knows it ("Move right", "--offset-x").
func CheckLabelOffset(field string, mm float64) error {
	if math.IsNaN(mm) || math.Abs(mm) > MaxLabelOffsetMM {
		return fmt.Errorf("%s: %s mm is not between -20 and 20 millimetres", field, FormatMM(mm))
	}
	return nil
}

// ParseLabelOffset reads an offset in millimetres as typed: "-1.5",
// "-1,5" (a decimal comma) or nothing for 0.
func ParseLabelOffset(field, text string) (float64, error) {
	t := strings.ReplaceAll(strings.TrimSpace(text), ",", ".")
	if t == "" {
		return 0, nil
	}
	mm, err := strconv.ParseFloat(t, 64)
	if err != nil || math.IsInf(mm, 0) {
		return 0, fmt.Errorf("%s: %q is not a number of millimetres, such as -1.5", field, text)
	}
	return mm, CheckLabelOffset(field, mm)
}

// FormatMM writes millimetres without trailing zeros: 1.5, -2, 0.25.
func FormatMM(mm float64) string { return strconv.FormatFloat(mm, 'f', -1, 64) }

// senderSize is the return address's size in points: small, as on an
// envelope, and still legible.
const senderSize = 6.0

// senderLines lays the return address's parts out, joined by commas, in as
// few lines as fit the width (mm) and at most maxLines; fitLine shrinks or
// cuts what still does not fit. A return address cut at its end would lose
// its town: the part that brings the letter back.
func (p *printable) senderLines(parts []string, width float64, maxLines int) []string {
	var lines []string
	for _, part := range parts {
		if n := len(lines); n > 0 && (n == maxLines || p.width(senderSize, lines[n-1]+", "+part) <= width) {
			lines[n-1] += ", " + part
			continue
		}
		lines = append(lines, part)
	}
	return lines
}

// WriteLabels writes addresses, one per label with its lines split at
// "\n", as a PDF on the job's sheet, shifted by its offsets (mm), from its
// start label on, a new sheet where one is full. With job.Test, it draws
// every label's outline instead, to hold the printout against a sheet of
// labels. made dates the document.
func WriteLabels(ctx context.Context, w io.Writer, job LabelJob, addresses []string, made time.Time, fonts FontFinder) (Report, error) {
	l := job.Layout
	if err := checkLabelJob(job); err != nil {
		return Report{}, err
	}
	p, err := newPrintable(ctx, newPDF(l.Paper, made), fonts)
	if err != nil {
		return Report{}, err
	}
	p.pdf.SetMargins(0, 0, 0)
	p.pdf.SetAutoPageBreak(false, 0)
	perPage := l.Columns * l.Rows
	skip := max(job.Start, 1) - 1
	count := skip + len(addresses)
	if job.Test {
		skip, count = 0, perPage
	}
	sender := p.labelSender(l, job.ReturnAddress)
	for i := 0; i < count || i == 0; i++ {
		if i%perPage == 0 {
			p.pdf.AddPage()
		}
		slot := i % perPage
		x := l.Left + job.OffsetX + float64(slot%l.Columns)*l.PitchX
		y := l.Top + job.OffsetY + float64(slot/l.Columns)*l.PitchY
		switch {
		case job.Test:
			p.labelOutline(l, x, y, slot)
		case i < skip || len(addresses) == 0:
			// a label used already: left blank
		default:
			p.label(l, x, y, sender, addresses[i-skip])
		}
	}
	return p.output(w)
}

// checkLabelJob says why the job's sheet has no labels or its offsets are
// beyond a calibration.
func checkLabelJob(job LabelJob) error {
	if job.Layout.Columns < 1 || job.Layout.Rows < 1 {
		return fmt.Errorf("label sheet %q: no labels", job.Layout.Name)
	}
	if err := CheckLabelOffset("label offset across", job.OffsetX); err != nil {
		return err
	}
	return CheckLabelOffset("label offset down", job.OffsetY)
}

// labelSender lays the return address out for a label of l: the same on
// every label, so laid out once. Two lines on a short label (5160), three
// on a taller one; none for no return address.
func (p *printable) labelSender(l LabelLayout, returnAddress string) []string {
	sender := strings.FieldsFunc(returnAddress, func(r rune) bool { return r == '\n' || r == '\r' })
	if len(sender) == 0 {
		return nil
	}
	most := 3
	if l.Height < 30 {
		most = 2
	}
	return p.senderLines(sender, l.Width-8, most)
}

// labelOutline draws the label at x, y of the test page, named and
// numbered.
func (p *printable) labelOutline(l LabelLayout, x, y float64, slot int) {
	p.pdf.SetDrawColor(120, 120, 120)
	p.pdf.Rect(x, y, l.Width, l.Height, "D")
	p.pdf.SetFont(primaryFont, "", 7)
	p.pdf.SetXY(x+2, y+2)
	p.pdf.CellFormat(l.Width-4, 4, fmt.Sprintf("%s · %d", l.Name, slot+1), "", 0, "L", false, 0, "")
}

// label prints the sender's lines, small and grey along the top as on an
// envelope, and the address centred in the height left.
func (p *printable) label(l LabelLayout, x, y float64, sender []string, address string) {
	top := y
	height := l.Height
	if len(sender) > 0 {
		const size, lineH = senderSize, senderSize * 0.42
		p.pdf.SetTextColor(90, 90, 90)
		for j, line := range sender {
			p.fitLine(x+4, y+1.5+float64(j)*lineH, l.Width-8, size, lineH, line)
		}
		p.pdf.SetTextColor(0, 0, 0)
		used := 1.5 + float64(len(sender))*lineH
		top, height = y+used, l.Height-used
	}
	lines := strings.Split(address, "\n")
	size := 10.0
	if len(lines) > 5 || l.Height < 30 {
		size = 8.5
	}
	lineH := size * 0.42
	first := top + (height-float64(len(lines))*lineH)/2
	for j, line := range lines {
		p.line(x+4, first+float64(j)*lineH, size, lineH, line)
	}
}
