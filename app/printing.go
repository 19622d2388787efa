package app

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/rapportjournal/rapport/model"
)

// Paper sizes for the follow-up sheet.
const (
	PaperA4     = "A4"
	PaperLetter = "Letter"
)

// newPDF starts a document with the Go fonts embedded (Latin, Greek and
// Cyrillic: Müller, Łukasz, Петрова and Ζωή print as written) and fixed
// dates, so that the same data gives the same file.
func newPDF(paper string, made time.Time) *fpdf.Fpdf {
	pdf := fpdf.New("P", "mm", paper, "")
	pdf.AddUTF8FontFromBytes(primaryFont, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(primaryFont, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(primaryFont, "I", goitalic.TTF)
	pdf.SetCatalogSort(true)
	pdf.SetCreationDate(made.UTC())
	pdf.SetModificationDate(made.UTC())
	pdf.SetCreator("Rapport", true)
	return pdf
}

// PrintReport says what a print did and left out, if anything.
type PrintReport struct {
	Pages         int
	Unprinted     []Unprinted // texts printed with "?" for characters no font could print
	FallbackFonts []string    // the system fonts embedded for scripts the Go fonts lack
}

// sheetRow is one person on the follow-up sheet.
type sheetRow struct {
	Followup
	phone   string
	address string
	cues    []string
}

// PrintFollowups writes the follow-up sheet for the day of `on` as a PDF:
// a section per kind, per person the name, phone, the mailing address where
// a note is owed and the top remembered details as conversation cues; the
// date and page numbers on every page.
func (s *Service) PrintFollowups(ctx context.Context, on time.Time, paper string, w io.Writer) (PrintReport, error) {
	cadences, err := s.Cadences(ctx)
	if err != nil {
		return PrintReport{}, err
	}
	items, err := s.Followups(ctx, on, cadences)
	if err != nil {
		return PrintReport{}, err
	}
	ids := make([]int64, 0, len(items))
	seen := map[int64]bool{}
	for _, f := range items {
		if !seen[f.ContactID] {
			seen[f.ContactID] = true
			ids = append(ids, f.ContactID)
		}
	}
	contacts := map[int64]*model.Contact{}
	const page = 500
	for start := 0; start < len(ids); start += page {
		cs, err := s.store().Contacts(ctx, ids[start:min(start+page, len(ids))])
		if err != nil {
			return PrintReport{}, err
		}
		for i := range cs {
			contacts[cs[i].ID] = &cs[i]
		}
	}
	rows := make([]sheetRow, 0, len(items))
	for _, f := range items {
		r := sheetRow{Followup: f}
		if c := contacts[f.ContactID]; c != nil {
			if len(c.Phones) > 0 {
				r.phone = c.Phones[0].Number
			}
			if f.Kind == FollowRemind {
				r.phone = MobileNumber(c.Phones) // the number to text the reminder to
			}
			if f.Kind == FollowNote && len(c.Addresses) > 0 {
				r.address = strings.ReplaceAll(MailingAddress(c.DisplayName, c.Addresses[0]), "\n", ", ")
			}
			r.cues = cues(c.Details, 3)
		}
		rows = append(rows, r)
	}
	return writeSheet(ctx, w, rows, on, paper, s.now(), s.fonts)
}

func writeSheet(ctx context.Context, w io.Writer, rows []sheetRow, on time.Time, paper string, made time.Time, fonts FontFinder) (PrintReport, error) {
	if paper != PaperA4 && paper != PaperLetter {
		return PrintReport{}, fmt.Errorf("paper %q: A4 or Letter", paper)
	}
	pdf := newPDF(paper, made)
	p, err := newPrintable(ctx, pdf, fonts)
	if err != nil {
		return PrintReport{}, err
	}
	title := "Follow-ups for " + on.Format("Monday 2 January 2006")
	pdf.SetMargins(15, 15, 15)
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
	pdf.AddPage()
	pdf.SetFont(primaryFont, "B", 16)
	pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	if len(rows) == 0 {
		pdf.SetFont(primaryFont, "", 11)
		pdf.CellFormat(0, 8, "Nothing to follow up.", "", 1, "L", false, 0, "")
	}
	// The headings of Today, with their counts, so that screen and paper
	// agree.
	titles := map[string]string{}
	items := make([]Followup, len(rows))
	for i, r := range rows {
		items[i] = r.Followup
	}
	for _, sec := range FollowupSections(items) {
		titles[sec.Kind] = sec.Title
	}
	for i, r := range rows {
		if i == 0 || rows[i-1].Kind != r.Kind {
			pdf.Ln(3)
			pdf.SetFont(primaryFont, "B", 12)
			pdf.CellFormat(0, 7, titles[r.Kind], "B", 1, "L", false, 0, "")
			pdf.Ln(1)
		}
		phone := ""
		if r.phone != "" {
			phone = "   " + r.phone
		}
		p.paragraph("B", 10, 5, "", r.Contact, phone)
		overdue := ""
		if r.Overdue {
			overdue = "OVERDUE · "
		}
		p.paragraph("", 10, 5, overdue, r.Text)
		if r.address != "" {
			p.paragraph("", 10, 5, "Post to: ", r.address)
		}
		if len(r.cues) > 0 {
			p.paragraph("I", 9, 4.5, "Remember: ", strings.Join(r.cues, " · "))
		}
		pdf.Ln(1.5)
	}
	if len(p.missing) > 0 {
		pdf.Ln(4)
		pdf.SetFont(primaryFont, "I", 9)
		what := fmt.Sprintf("%d names or texts are", len(p.missing))
		if len(p.missing) == 1 {
			what = "1 name or text is"
		}
		pdf.MultiCell(0, 4.5, what+" printed with ? for letters that could not be printed. "+p.summary()+".", "", "L", false)
	}
	if err := pdf.Output(w); err != nil {
		return PrintReport{}, fmt.Errorf("write PDF: %w", err)
	}
	return PrintReport{Pages: pdf.PageNo(), Unprinted: p.unprinted(), FallbackFonts: p.fallbackPaths()}, nil
}

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
		"L7160": {Name: "Avery L7160", Paper: PaperA4, Columns: 3, Rows: 7, Width: 63.5, Height: 38.1,
			Left: 7.21, Top: 15.15, PitchX: 66.04, PitchY: 38.1},
		"5160": {Name: "Avery 5160", Paper: PaperLetter, Columns: 3, Rows: 10, Width: 66.675, Height: 25.4,
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
	// country: domestic post needs no country line.
	HomeCountry string
}

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

// LabelJob is the job the settings describe, starting at label 1.
func (p PrintSettings) LabelJob() LabelJob {
	return LabelJob{Layout: p.Layout(), OffsetX: p.OffsetX, OffsetY: p.OffsetY,
		ReturnAddress: p.ReturnAddress, HomeCountry: p.HomeCountry}
}

// CheckLabelStart says why start is no label of the sheet l.
func CheckLabelStart(l LabelLayout, start int) error {
	if n := l.Columns * l.Rows; start < 1 || start > n {
		return fmt.Errorf("start at label %d: the %s sheet has labels 1 to %d, counted across from the top left", start, l.Name, n)
	}
	return nil
}

// PrintLabels writes address labels for the notes still to post, one label
// per note with an address, as a PDF on the job's sheet, shifted by its
// offsets (mm), from its start label on. With job.Test, it draws every
// label's outline instead, to hold the printout against a sheet of labels.
func (s *Service) PrintLabels(ctx context.Context, job LabelJob, w io.Writer) (PrintReport, int, error) {
	if job.Start == 0 {
		job.Start = 1
	}
	if err := CheckLabelStart(job.Layout, job.Start); err != nil {
		return PrintReport{}, 0, err
	}
	var addresses []string
	if !job.Test {
		notes, err := s.NotesToWrite(ctx)
		if err != nil {
			return PrintReport{}, 0, err
		}
		home := domesticTo(job.HomeCountry)
		for _, n := range notes {
			if n.Address == "" {
				continue
			}
			addresses = append(addresses, labelAddress(home, n.Address, n.Country))
		}
	}
	rep, err := writeLabels(ctx, w, job, addresses, s.now(), s.fonts)
	return rep, len(addresses), err
}

func writeLabels(ctx context.Context, w io.Writer, job LabelJob, addresses []string, made time.Time, fonts FontFinder) (PrintReport, error) {
	l := job.Layout
	if l.Columns < 1 || l.Rows < 1 {
		return PrintReport{}, fmt.Errorf("label sheet %q: no labels", l.Name)
	}
	if err := CheckLabelOffset("label offset across", job.OffsetX); err != nil {
		return PrintReport{}, err
	}
	if err := CheckLabelOffset("label offset down", job.OffsetY); err != nil {
		return PrintReport{}, err
	}
	pdf := newPDF(l.Paper, made)
	p, err := newPrintable(ctx, pdf, fonts)
	if err != nil {
		return PrintReport{}, err
	}
	pdf.SetMargins(0, 0, 0)
	pdf.SetAutoPageBreak(false, 0)
	perPage := l.Columns * l.Rows
	skip := max(job.Start, 1) - 1
	count := skip + len(addresses)
	if job.Test {
		skip, count = 0, perPage
	}
	sender := strings.FieldsFunc(job.ReturnAddress, func(r rune) bool { return r == '\n' || r == '\r' })
	var senderLines []string // the same on every label: laid out once
	if len(sender) > 0 {
		// Two lines on a short label (5160), three on a taller one.
		most := 3
		if l.Height < 30 {
			most = 2
		}
		senderLines = p.senderLines(sender, l.Width-8, most)
	}
	for i := 0; i < count || i == 0; i++ {
		if i%perPage == 0 {
			pdf.AddPage()
		}
		slot := i % perPage
		x := l.Left + job.OffsetX + float64(slot%l.Columns)*l.PitchX
		y := l.Top + job.OffsetY + float64(slot/l.Columns)*l.PitchY
		if job.Test {
			pdf.SetDrawColor(120, 120, 120)
			pdf.Rect(x, y, l.Width, l.Height, "D")
			pdf.SetFont(primaryFont, "", 7)
			pdf.SetXY(x+2, y+2)
			pdf.CellFormat(l.Width-4, 4, fmt.Sprintf("%s · %d", l.Name, slot+1), "", 0, "L", false, 0, "")
			continue
		}
		if i < skip || len(addresses) == 0 {
			continue // a label used already: left blank
		}
		top := y
		height := l.Height
		if len(senderLines) > 0 {
			// The sender, small and grey along the top, as on an envelope.
			const size, lineH = senderSize, senderSize * 0.42
			pdf.SetTextColor(90, 90, 90)
			for j, line := range senderLines {
				p.fitLine(x+4, y+1.5+float64(j)*lineH, l.Width-8, size, lineH, line)
			}
			pdf.SetTextColor(0, 0, 0)
			used := 1.5 + float64(len(senderLines))*lineH
			top, height = y+used, l.Height-used
		}
		lines := strings.Split(addresses[i-skip], "\n")
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
	if err := pdf.Output(w); err != nil {
		return PrintReport{}, fmt.Errorf("write PDF: %w", err)
	}
	return PrintReport{Pages: pdf.PageNo(), Unprinted: p.unprinted(), FallbackFonts: p.fallbackPaths()}, nil
}
