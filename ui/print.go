package ui

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
)

// onPrint asks where to save the PDF (Fyne has no print API: the system's
// viewer prints it), writes it there whole and says where it is, with Open.
// name is the default file name without the date and extension.
func (m *Main) onPrint(name, hint string, write func(io.Writer) (pdf.Report, error)) {
	m.saveAs("Printing", m.datedName(name, ".pdf"), func(_ context.Context, path string, _ func(string)) (savedFile, error) {
		var rep pdf.Report
		err := app.WriteFileAtomically(path, func(w io.Writer) error {
			var err error
			rep, err = write(w)
			return err
		})
		note := hint
		if len(rep.Unprinted) > 0 {
			note += "\n\nPrinted with ? in some names. " + unprintedText(rep.Unprinted)
		}
		return savedFile{path: path, note: strings.TrimSpace(note), open: true}, err
	})
}

// unprintedText tells the owner which names printed with "?" and why.
func unprintedText(list []pdf.Unprinted) string {
	lines := []string{"These were printed with ? for letters that could not be printed:"}
	for i, u := range list {
		if i == 10 {
			lines = append(lines, fmt.Sprintf("… and %d more", len(list)-i))
			break
		}
		lines = append(lines, "• "+u.Text+" — "+u.Reason)
	}
	return strings.Join(lines, "\n")
}

// onPrintFollowups prints today's follow-up sheet on the paper of the
// settings.
func (m *Main) onPrintFollowups() {
	m.onPrint("follow-ups", "Open it to print it from the viewer.", func(w io.Writer) (pdf.Report, error) {
		p, err := m.svc.PrintSettings(m.ctx)
		if err != nil {
			return pdf.Report{}, err
		}
		return m.svc.PrintFollowups(m.ctx, m.svc.Now(), p.Paper, w)
	})
}

// onPrintLabels asks where on the sheet to begin (a part-used sheet), then
// prints the labels for the notes to post with the sheet, offsets, return
// address and home country of the settings.
func (m *Main) onPrintLabels() *labelsDialog {
	d := &labelsDialog{m: m, start: newEscEntry(), sheet: widget.NewLabel("Loading…")}
	d.start.SetText("1")
	d.start.OnSubmitted = func(string) { d.onPrint() }
	d.problem = widget.NewLabel("")
	d.problem.Importance = widget.DangerImportance
	d.problem.Wrapping = fyne.TextWrapWord
	d.problem.Hide()
	d.sheet.Wrapping = fyne.TextWrapWord
	cancel := widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), func() { d.dialog.Hide() })
	d.print = widget.NewButtonWithIcon("Print…", theme.DocumentPrintIcon(), d.onPrint)
	d.print.Importance = widget.HighImportance
	d.print.Disable() // until the settings are read
	form := widget.NewForm(widget.NewFormItem("Start at label", d.start))
	body := container.NewBorder(nil, container.NewVBox(d.problem, container.NewHBox(layout.NewSpacer(), cancel, d.print)), nil, nil,
		container.NewVBox(d.sheet, form,
			faint("On a sheet with labels used already: the number of the first free label, counted across from the top left. The labels before it stay blank.")))
	d.dialog = dialog.NewCustomWithoutButtons("Print address labels", body, m.win)
	d.start.onEscape = d.dialog.Hide
	d.dialog.Resize(fyne.NewSize(480, 0))
	m.dialogKeys(d.dialog, d.onPrint, nil)
	d.dialog.Show()
	m.win.Canvas().Focus(d.start)
	m.run(func() func() {
		p, err := m.svc.PrintSettings(m.ctx)
		return func() {
			if err != nil {
				d.dialog.Hide()
				m.showError(err)
				return
			}
			d.settings = p
			l := p.Layout()
			d.sheet.SetText(fmt.Sprintf("%s (%s, %d labels a sheet), as set in Settings › Printing.", l.Name, l.Paper, l.Columns*l.Rows))
			d.print.Enable()
		}
	})
	return d
}

// labelsDialog asks where on the sheet the labels begin.
type labelsDialog struct {
	m        *Main
	start    *escEntry
	sheet    *widget.Label
	problem  *widget.Label
	print    *widget.Button
	dialog   *dialog.CustomDialog
	settings app.PrintSettings
}

func (d *labelsDialog) onPrint() {
	if d.print.Disabled() {
		return
	}
	job := d.settings.LabelJob()
	n, err := strconv.Atoi(strings.TrimSpace(d.start.Text))
	if err != nil {
		n = -1
	}
	if err := pdf.CheckLabelStart(job.Layout, n); err != nil {
		d.problem.SetText(fmt.Sprintf("%q is no label of the sheet: %s.", d.start.Text, strings.TrimPrefix(err.Error(), fmt.Sprintf("start at label %d: ", n))))
		d.problem.Show()
		return
	}
	job.Start = n
	d.dialog.Hide()
	d.m.onPrint("labels", labelHint, func(w io.Writer) (pdf.Report, error) {
		rep, _, err := d.m.svc.PrintLabels(d.m.ctx, job, w)
		return rep, err
	})
}

// labelHint is what labels need from the viewer.
const labelHint = "Open it and print it at 100 % (\"Actual size\"), not \"Fit to page\", or the addresses miss the labels."
