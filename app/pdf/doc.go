// Package pdf owns Rapport's printed pages: the follow-up sheet, sheets of
// address labels and the headed pages of charts the Insights print on, laid
// out with fpdf in millimetres; the label sheets Rapport knows and the
// checks of their calibration; and the fonts every page prints with, the
// embedded Go fonts and the system's fonts for the scripts those lack
// (fontconfig, or the font folders read where none runs), with what no font
// could print reported, never drawn as boxes. It holds no store and takes
// plain values: app gathers what to print and calls in here.
package pdf

import (
	"context"
	"fmt"
	"io"
	"time"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// Paper sizes of the follow-up sheet and the Insights.
const (
	A4     = "A4"
	Letter = "Letter"
)

// Report says what a print did and left out, if anything.
type Report struct {
	Pages         int
	Unprinted     []Unprinted // texts printed with "?" for characters no font could print
	FallbackFonts []string    // the system fonts embedded for scripts the Go fonts lack
}

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

// report is what the document printed and left out.
func (p *printable) report() Report {
	return Report{Pages: p.pdf.PageNo(), Unprinted: p.unprinted(), FallbackFonts: p.fallbackPaths()}
}

// output writes the document to w.
func (p *printable) output(w io.Writer) (Report, error) {
	if err := p.pdf.Output(w); err != nil {
		return Report{}, fmt.Errorf("write PDF: %w", err)
	}
	return p.report(), nil
}

// Doc is a titled document on A4 or Letter with 15 mm margins: "Rapport ·"
// and the title at the top of every page, the date and the page number at
// the bottom. Text and charts follow one another down the page, a new page
// where the last is full.
type Doc struct {
	pdf  *fpdf.Fpdf
	p    *printable
	left float64 // the left margin, mm
	w    float64 // the width between the margins, mm
}

// NewDoc starts a document on paper (A4 or Letter) dated made, with title
// large on its first page and small at the top of every page, and the date
// on at the bottom of every page.
// Texts in scripts the Go fonts lack print with what fonts finds (nil:
// none, "?" instead).
func NewDoc(ctx context.Context, paper, title string, on, made time.Time, fonts FontFinder) (*Doc, error) {
	if paper != A4 && paper != Letter {
		return nil, fmt.Errorf("paper %q: A4 or Letter", paper)
	}
	pdf := newPDF(paper, made)
	p, err := newPrintable(ctx, pdf, fonts)
	if err != nil {
		return nil, err
	}
	pageW, _ := pdf.GetPageSize()
	d := &Doc{pdf: pdf, p: p, left: 15, w: pageW - 30}
	d.frame(title, on)
	pdf.AddPage()
	pdf.SetFont(primaryFont, "B", 16)
	pdf.CellFormat(0, 9, title, "", 1, "L", false, 0, "")
	return d, nil
}

// frame puts the title and page numbers on every page.
func (d *Doc) frame(title string, on time.Time) {
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

// Paragraph writes prefix, Rapport's own words in the Go font, and texts,
// the owner's in whatever font has their letters, as one paragraph across
// the page in style ("", "B", "I") and size (pt), lines lineH mm apart.
func (d *Doc) Paragraph(style string, size, lineH float64, prefix string, texts ...string) {
	d.p.paragraph(style, size, lineH, prefix, texts...)
}

// Gap leaves h mm blank below the last line.
func (d *Doc) Gap(h float64) { d.pdf.Ln(h) }

// Room starts a new page unless h mm are left above the bottom margin.
func (d *Doc) Room(h float64) {
	_, pageH := d.pdf.GetPageSize()
	if d.pdf.GetY()+h > pageH-20 {
		d.pdf.AddPage()
	}
}

// Heading starts a section, on a new page unless need mm fit below it.
func (d *Doc) Heading(text string, need float64) {
	d.Room(need + 10)
	d.pdf.Ln(3)
	d.pdf.SetFont(primaryFont, "B", 12)
	d.pdf.CellFormat(0, 7, text, "B", 1, "L", false, 0, "")
	d.pdf.Ln(2)
}

// Note writes a small grey line in italics, under a chart.
func (d *Doc) Note(text string) {
	d.pdf.SetFont(primaryFont, "I", 8)
	d.pdf.SetTextColor(90, 90, 90)
	d.pdf.MultiCell(0, 4, text, "", "L", false)
	d.pdf.SetTextColor(0, 0, 0)
}

// Finish writes the document to w.
func (d *Doc) Finish(w io.Writer) (Report, error) { return d.p.output(w) }
