package ui

import (
	"fmt"
	"io"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// outreachKindNames are the choices of what is sent, in the dialog's
// words, in the order of app.OutreachKinds.
func outreachKindNames() []string {
	return []string{"Newsletter sent", "Article shared", "Invited to social media", "Extra given"}
}

// anyChoice is the stage and tag choice that leaves nobody out.
const anyChoice = "Any"

// outreachDialog asks what to send to whom, records it for everyone at
// once and then shows what sending takes: the BCC groups, the labels.
type outreachDialog struct {
	m                           *Main
	dialog                      *dialog.CustomDialog
	kind, stage, tag            *keySelect
	title, link, search, detail *keyEntry
	consent, noExtra            *keyCheck
	summary, status             *widget.Label
	record                      *keyButton
	content                     *fyne.Container // the form, then what was done
	plan                        *app.OutreachPlan
	asked                       int // plans asked for: an older answer is dropped
	done                        *app.OutreachDone
}

// onOutreach opens the outreach dialog with the list's search, stage and
// tag as the selection.
func (m *Main) onOutreach() *outreachDialog {
	d := &outreachDialog{m: m, summary: widget.NewLabel("…"), status: widget.NewLabel("")}
	m.outreach = d
	d.summary.Wrapping, d.status.Wrapping = fyne.TextWrapWord, fyne.TextWrapWord
	changed := func(string) { d.replan() }
	d.kind = m.newSelect(outreachKindNames(), changed)
	d.title, d.link, d.search, d.detail = m.newEntry(), m.newEntry(), m.newEntry(), m.newEntry()
	for _, e := range []*keyEntry{d.title, d.link, d.search, d.detail} {
		e.OnChanged = changed
	}
	d.title.SetPlaceHolder("December 2026, the article's title…")
	d.link.SetPlaceHolder("https://… (an article)")
	d.detail.SetPlaceHolder("a detail's label, such as Dog")
	d.stage = m.newSelect(append([]string{anyChoice}, stageNames()...), changed)
	d.tag = m.newSelect([]string{anyChoice}, changed)
	d.consent = m.newCheck("Agreed to the newsletter", func(bool) { d.replan() })
	d.noExtra = m.newCheck("No extra in the last 6 months", func(bool) { d.replan() })
	d.record = m.newButton("Record", theme.ConfirmIcon(), d.onRecord)
	d.record.Importance = widget.HighImportance
	d.record.Disable()
	d.content = container.NewStack(d.form())
	d.dialog = dialog.NewCustomWithoutButtons("Outreach to a group", d.content, m.win)
	d.dialog.Resize(fyne.NewSize(620, 560))
	m.keyed(d.dialog, d.dialog.Hide, d.onEnter)
	d.fillFromList()
	d.kind.SetSelectedIndex(0) // plans the first time
	d.dialog.Show()
	d.loadTags()
	return d
}

func stageNames() []string {
	var out []string
	for _, s := range model.Stages() {
		out = append(out, string(s))
	}
	return out
}

// form is the dialog's first face: what, to whom, how many.
func (d *outreachDialog) form() fyne.CanvasObject {
	preset := d.m.newButton("Clients without an extra in 6 months", nil, d.onPreset)
	preset.Importance = widget.LowImportance
	what := widget.NewForm(widget.NewFormItem("Sent", d.kind), widget.NewFormItem("Title", d.title),
		widget.NewFormItem("Link", d.link))
	who := widget.NewForm(widget.NewFormItem("Search", d.search), widget.NewFormItem("Stage", d.stage),
		widget.NewFormItem("Tag", d.tag), widget.NewFormItem("Detail", d.detail))
	cancel := d.m.newButton("Cancel", theme.CancelIcon(), func() { d.dialog.Hide() })
	buttons := container.NewHBox(layout.NewSpacer(), cancel, d.record)
	return container.NewBorder(nil, container.NewVBox(widget.NewSeparator(), d.summary, buttons), nil, nil,
		container.NewVScroll(container.NewVBox(what, widget.NewLabelWithStyle("To whom", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
			who, container.NewHBox(d.consent, d.noExtra), preset)))
}

// fillFromList starts from the contacts the list shows.
func (d *outreachDialog) fillFromList() {
	d.search.SetText(d.m.list.search.Text)
	f := d.m.list.filter()
	d.stage.SetSelected(anyChoice)
	if f.Stage != "" {
		d.stage.SetSelected(string(f.Stage))
	}
	d.tag.SetSelected(anyChoice)
	if f.Tag != "" {
		d.tag.Options = append(d.tag.Options, f.Tag)
		d.tag.SetSelected(f.Tag)
	}
}

// loadTags offers every tag in use.
func (d *outreachDialog) loadTags() {
	d.m.run(func() func() {
		tags, err := d.m.svc.Tags(d.m.ctx)
		return func() {
			if err == nil {
				d.tag.Options = append([]string{anyChoice}, tags...)
				d.tag.Refresh()
			}
		}
	})
}

// onPreset selects the clients given no extra in 6 months, for an extra.
func (d *outreachDialog) onPreset() {
	d.search.SetText("")
	d.detail.SetText("")
	d.tag.SetSelected(anyChoice)
	d.stage.SetSelected(string(model.StageClient))
	d.consent.SetChecked(false)
	d.noExtra.SetChecked(true)
	d.kind.SetSelectedIndex(3)
}

// chosen is what the form says.
func (d *outreachDialog) chosen() (app.OutreachCriteria, app.Outreach) {
	c := app.OutreachCriteria{Search: d.search.Text, Detail: d.detail.Text, Consent: d.consent.Checked}
	if s := d.stage.Selected; s != "" && s != anyChoice {
		c.Stage = model.Stage(s)
	}
	if t := d.tag.Selected; t != anyChoice {
		c.Tag = t
	}
	if d.noExtra.Checked {
		c.NoExtraMonths = 6
	}
	o := app.Outreach{Kind: model.KindNewsletter, Title: d.title.Text, Link: d.link.Text}
	if i := d.kind.SelectedIndex(); i >= 0 {
		o.Kind = app.OutreachKinds()[i]
	}
	return c, o
}

// replan counts, in the background, who the form's outreach reaches.
func (d *outreachDialog) replan() {
	if d.record == nil || d.done != nil {
		return // still being built, or recorded already
	}
	d.asked++
	asked := d.asked
	c, o := d.chosen()
	d.m.run(func() func() {
		p, err := d.m.svc.PlanOutreach(d.m.ctx, c, o)
		return func() {
			if asked != d.asked {
				return
			}
			d.showPlan(p, err)
		}
	})
}

func (d *outreachDialog) showPlan(p *app.OutreachPlan, err error) {
	d.plan = p
	if err != nil {
		d.plan = nil
		d.summary.Importance = widget.DangerImportance
		d.summary.SetText(strings.TrimPrefix(err.Error(), "outreach: "))
		d.record.SetText("Record")
		d.record.Disable()
		return
	}
	d.summary.Importance = widget.MediumImportance
	d.summary.SetText(fmt.Sprintf("Who: %s.\n%s will get it; %d skipped, already reached.",
		p.Criteria, people(len(p.Reach)), p.Skipped))
	d.record.SetText(fmt.Sprintf("Record for %s", people(len(p.Reach))))
	if len(p.Reach) > 0 {
		d.record.Enable()
	} else {
		d.record.Disable()
	}
}

// people is "1 person", "12 people".
func people(n int) string {
	if n == 1 {
		return "1 person"
	}
	return fmt.Sprintf("%d people", n)
}

func (d *outreachDialog) onEnter() {
	if d.done != nil {
		d.dialog.Hide()
		return
	}
	d.onRecord()
}

// onRecord writes the outreach in the background; the snackbar offers
// Undo and the dialog turns to what sending takes.
func (d *outreachDialog) onRecord() {
	if d.plan == nil || len(d.plan.Reach) == 0 || d.record.Disabled() {
		return
	}
	d.record.Disable()
	p := d.plan
	d.m.run(func() func() {
		done, err := d.m.svc.SendOutreach(d.m.ctx, p)
		return func() {
			if err != nil {
				d.record.Enable()
				d.m.showError(err)
				return
			}
			d.done = done
			d.content.Objects = []fyne.CanvasObject{d.sendView()}
			d.content.Refresh()
			d.m.done.announce(fmt.Sprintf("Recorded for %s: %s", people(done.Reached), done.Outreach.Text()),
				d.m.undoing(done.Undo))
			d.m.refreshAll()
		}
	})
}

// sendView is the dialog's second face: the BCC groups to copy or open
// in the mail program, and the labels of those without email.
func (d *outreachDialog) sendView() fyne.CanvasObject {
	done := d.done
	lines := container.NewVBox(paragraph(fmt.Sprintf("%s — recorded for %s (%d skipped, already reached).",
		done.Outreach.Text(), people(done.Reached), done.Skipped)))
	if len(done.BCC) > 0 {
		lines.Add(faint(fmt.Sprintf("Send it in BCC, up to %d addresses to a message:", app.BCCGroupSize)))
	}
	for i, group := range done.BCC {
		label := widget.NewLabel(fmt.Sprintf("Group %d: %d addresses", i+1, len(group)))
		copyBtn := d.m.newButton("Copy", theme.ContentCopyIcon(), func() { d.onCopy(i, group) })
		mail := d.m.newButton("Open in mail", theme.MailComposeIcon(), func() { d.onMail(i, group) })
		lines.Add(container.NewBorder(nil, nil, nil, container.NewHBox(copyBtn, mail), label))
	}
	if n := len(done.NoEmail); n > 0 {
		lines.Add(d.m.newButton(fmt.Sprintf("Print address labels for %d without email…", n), theme.DocumentPrintIcon(), d.onLabels))
	}
	closeBtn := d.m.newButton("Close", nil, func() { d.dialog.Hide() })
	closeBtn.Importance = widget.HighImportance
	return container.NewBorder(nil, container.NewVBox(d.status, container.NewHBox(layout.NewSpacer(), closeBtn)), nil, nil,
		container.NewVScroll(lines))
}

// onCopy puts a group's addresses on the clipboard, comma-separated as a
// BCC field takes them; the dialog says so (the snackbar keeps its Undo).
func (d *outreachDialog) onCopy(i int, group []string) {
	d.m.app.Clipboard().SetContent(strings.Join(group, ", "))
	d.status.SetText(fmt.Sprintf("Copied the %d addresses of group %d: paste them into BCC.", len(group), i+1))
}

// onMail opens the mail program with a message to the group in BCC;
// without one, the link is copied.
func (d *outreachDialog) onMail(i int, group []string) {
	o := d.done.Outreach
	link := app.MailtoBCC(group, o.Subject(), o.Body())
	if !d.m.opener.CanOpen() {
		d.m.app.Clipboard().SetContent(link)
		d.status.SetText(fmt.Sprintf("No mail program found: the email link of group %d is copied.", i+1))
		return
	}
	d.m.run(func() func() {
		err := d.m.opener.Open(link)
		return func() {
			if err != nil {
				d.m.showError(err)
				return
			}
			d.status.SetText(fmt.Sprintf("Opened an email to group %d (%d in BCC).", i+1, len(group)))
		}
	})
}

// onLabels prints labels for those without email, on the sheet of the
// settings; who has no postal address either is not printed.
func (d *outreachDialog) onLabels() {
	ids := d.done.NoEmail
	d.m.onPrint("outreach-labels", "Print it at actual size (100 %). Who has no postal address either is left out.",
		func(w io.Writer) (pdf.Report, error) {
			p, err := d.m.svc.PrintSettings(d.m.ctx)
			if err != nil {
				return pdf.Report{}, err
			}
			got, err := d.m.svc.PrintOutreachLabels(d.m.ctx, ids, p.LabelJob(), w)
			return got.Report, err
		})
}
