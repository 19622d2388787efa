package pdf

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"
)

// Sheet is a day's follow-up sheet: a section per kind of follow-up, in
// order.
type Sheet struct {
	On       time.Time // the day the sheet is for
	Paper    string    // A4 or Letter
	Made     time.Time // the document's date: the same sheet made at the same time is the same file
	Sections []SheetSection
}

// SheetSection is one kind of follow-up under its heading, with its count
// as Today shows it, so that screen and paper agree.
type SheetSection struct {
	Title string
	Rows  []SheetRow
}

// SheetRow is one person on the follow-up sheet.
type SheetRow struct {
	Name    string
	Phone   string // "" for none
	Text    string // what to follow up
	Overdue bool
	Address string   // the mailing address on one line, where a note is owed; "" for none
	Cues    []string // remembered details, as conversation cues
}

// WriteSheet writes the follow-up sheet as a PDF: per person the name,
// phone, what to do, the mailing address and the cues; the date and page
// numbers on every page; at the end, what could not be printed.
func WriteSheet(ctx context.Context, w io.Writer, s Sheet, fonts FontFinder) (Report, error) {
	d, err := NewDoc(ctx, s.Paper, "Follow-ups for "+s.On.Format("Monday 2 January 2006"), s.On, s.Made, fonts)
	if err != nil {
		return Report{}, err
	}
	if len(s.Sections) == 0 {
		d.pdf.SetFont(primaryFont, "", 11)
		d.pdf.CellFormat(0, 8, "Nothing to follow up.", "", 1, "L", false, 0, "")
	}
	for _, sec := range s.Sections {
		d.sheetHeading(sec.Title)
		for _, r := range sec.Rows {
			d.sheetRow(r)
		}
	}
	d.unprintedNote()
	return d.Finish(w)
}

// sheetHeading starts a section of the sheet.
func (d *Doc) sheetHeading(title string) {
	d.pdf.Ln(3)
	d.pdf.SetFont(primaryFont, "B", 12)
	d.pdf.CellFormat(0, 7, title, "B", 1, "L", false, 0, "")
	d.pdf.Ln(1)
}

// sheetRow writes one person's lines.
func (d *Doc) sheetRow(r SheetRow) {
	p := d.p
	phone := ""
	if r.Phone != "" {
		phone = "   " + r.Phone
	}
	p.paragraph("B", 10, 5, "", r.Name, phone)
	overdue := ""
	if r.Overdue {
		overdue = "OVERDUE · "
	}
	p.paragraph("", 10, 5, overdue, r.Text)
	if r.Address != "" {
		p.paragraph("", 10, 5, "Post to: ", r.Address)
	}
	if len(r.Cues) > 0 {
		p.paragraph("I", 9, 4.5, "Remember: ", strings.Join(r.Cues, " · "))
	}
	d.pdf.Ln(1.5)
}

// unprintedNote says, at the end, how many texts lost letters and why.
func (d *Doc) unprintedNote() {
	missing := d.p.missing
	if len(missing) == 0 {
		return
	}
	d.pdf.Ln(4)
	d.pdf.SetFont(primaryFont, "I", 9)
	what := fmt.Sprintf("%d names or texts are", len(missing))
	if len(missing) == 1 {
		what = "1 name or text is"
	}
	d.pdf.MultiCell(0, 4.5, what+" printed with ? for letters that could not be printed. "+d.p.summary()+".", "", "L", false)
}
