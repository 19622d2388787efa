package ui

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// journalPage is how many entries the card shows before "Show all": a
// journal of years is thousands of widgets otherwise.
const journalPage = 50

// contactCard shows one contact, what to use in the next conversation first.
type contactCard struct {
	m    *Main
	card *app.Card // nil while no contact is shown

	root        *fyne.Container // the placeholder or the card
	placeholder fyne.CanvasObject
	body        fyne.CanvasObject
	scroll      *container.Scroll // everything below the header

	photo     *canvas.Image
	name      *widget.Label
	subtitle  *widget.Label
	relation  *widget.Label
	links     *fyne.Container // household links: a tap opens the other contact
	reliable  *widget.Label   // the reliability score and its breakdown
	purchases *widget.Label   // visits, totals and averages of the year, last purchase
	askBtn    *widget.Button  // "Ask for feedback…", while it is due
	remember  *fyne.Container
	contact   *fyne.Container
	consent   *widget.Check // "Agreed to the newsletter", with the day
	details   *fyne.Container
	dates     *fyne.Container
	journal   *fyne.Container
	appts     *fyne.Container           // the appointments, ahead then past
	apptRows  map[int64]*fyne.Container // appointment → its row, for tests
	quickKind *widget.Select
	quickText *widget.Entry
	quickCost *widget.Entry // the amount, shown for kind purchase
	costBox   *fyne.Container
	showAll   bool
	loading   int64 // contact whose load is on its way
	logNext   bool  // put the cursor in the log line once loaded
}

func newContactCard(m *Main) *contactCard {
	c := &contactCard{m: m}
	c.newHeadWidgets()
	c.remember = container.NewVBox()
	c.contact = container.NewVBox()
	c.consent = widget.NewCheck(consentText(m.dates, ""), nil)
	c.details = container.NewVBox()
	c.dates = container.NewVBox()
	c.journal = container.NewVBox()
	c.appts = container.NewVBox()
	quick := c.newLogLine()
	header := c.newHeader()
	addDetail := widget.NewButtonWithIcon("Detail", theme.ContentAddIcon(), func() { c.editDetail(nil) })
	addDate := widget.NewButtonWithIcon("Date", theme.ContentAddIcon(), func() { c.editDate(nil) })

	// The header (name, stage, buttons) stays above the scrolling part, so
	// it is still there after scrolling down the journal or switching tabs.
	c.scroll = container.NewVScroll(container.NewPadded(container.NewVBox(
		section("Remember for the next conversation", nil), c.remember,
		section("Log", nil), quick,
		section("Appointments", widget.NewButtonWithIcon("New appointment", theme.ContentAddIcon(), func() { c.onNewAppointment() })), c.appts,
		section("Contact", nil), c.contact, c.consent,
		section("Personal details", addDetail), c.details,
		section("Important dates", addDate), c.dates,
		section("Journal", nil), c.journal,
	)))
	c.body = container.NewBorder(container.NewPadded(header), nil, nil, nil, c.scroll)
	hint := widget.NewLabel("Pick someone from the list, or add a new contact with Ctrl+N.")
	hint.Importance = widget.LowImportance
	c.placeholder = container.NewCenter(hint)
	c.root = container.NewStack(c.placeholder)
	return c
}

// newHeadWidgets makes what the header shows of the contact: photo, name,
// subtitle, relations, links, reliability, purchases, and the feedback
// button shown when it is due.
func (c *contactCard) newHeadWidgets() {
	c.photo = &canvas.Image{FillMode: canvas.ImageFillContain}
	c.photo.SetMinSize(fyne.NewSize(72, 72))
	c.photo.Hide()
	c.name = widget.NewLabel("")
	c.name.SizeName = theme.SizeNameHeadingText
	c.name.TextStyle.Bold = true
	c.name.Wrapping = fyne.TextWrapWord
	c.subtitle = widget.NewLabel("")
	c.relation = widget.NewLabel("")
	c.relation.Importance = widget.LowImportance
	c.relation.Wrapping = fyne.TextWrapWord
	c.links = container.NewVBox()
	c.reliable = widget.NewLabel("")
	c.reliable.Wrapping = fyne.TextWrapWord
	c.purchases = widget.NewLabel("")
	c.purchases.Wrapping = fyne.TextWrapWord
	c.purchases.Hide()
	c.askBtn = widget.NewButtonWithIcon("Ask for feedback…", theme.QuestionIcon(), func() { c.onAskFeedback() })
	c.askBtn.Importance = widget.WarningImportance
	c.askBtn.Hide()
}

// newLogLine makes the log line: the kind (the last one used), the text,
// the amount of a purchase and the Log button.
func (c *contactCard) newLogLine() fyne.CanvasObject {
	var kinds []string
	for _, k := range model.EntryKinds() {
		if k != model.KindStage {
			kinds = append(kinds, string(k))
		}
	}
	c.quickText = widget.NewEntry()
	c.quickText.OnSubmitted = func(string) { c.onLogSubmitted() }
	c.quickCost = widget.NewEntry()
	c.quickCost.SetPlaceHolder("Amount")
	c.quickCost.OnSubmitted = func(string) { c.onLogSubmitted() }
	c.costBox = container.NewGridWrap(fyne.NewSize(120, c.quickCost.MinSize().Height), c.quickCost)
	c.quickKind = widget.NewSelect(kinds, func(string) { c.kindChosen() })
	c.quickKind.SetSelected(c.m.app.Preferences().StringWithFallback(prefLastKind, string(model.KindNote)))
	logButton := widget.NewButtonWithIcon("Log", theme.ConfirmIcon(), c.onLogSubmitted)
	return container.NewBorder(nil, nil, c.quickKind, container.NewHBox(c.costBox, logButton), c.quickText)
}

// newHeader lays out the photo, the name and what goes with it, and the
// card's buttons.
func (c *contactCard) newHeader() fyne.CanvasObject {
	edit := widget.NewButtonWithIcon("Edit", theme.DocumentCreateIcon(), c.onEdit)
	book := widget.NewButtonWithIcon("Appointment", theme.ContentAddIcon(), func() { c.onNewAppointment() })
	note := widget.NewButtonWithIcon("Note", theme.MailComposeIcon(), func() { c.onNewNote() })
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { c.onForget() })
	// The buttons get a row of their own under the name: beside it they
	// squeezed a long name and its stage into a narrow column. The
	// purchases take the room the buttons leave on their right: a row of
	// their own pushed the card's appointments below the fold.
	return container.NewVBox(
		container.NewBorder(nil, nil, container.NewVBox(c.photo), nil,
			container.NewVBox(c.name, c.subtitle, c.relation, c.links, c.reliable)),
		container.NewBorder(nil, nil, container.NewVBox(container.NewHBox(note, book, edit, remove, c.askBtn)), nil, c.purchases))
}

func (c *contactCard) content() fyne.CanvasObject { return c.root }

// section is a bold heading with an optional button at its right.
func section(title string, action fyne.CanvasObject) fyne.CanvasObject {
	heading := widget.NewLabelWithStyle(title, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	var row fyne.CanvasObject = heading
	if action != nil {
		row = container.NewBorder(nil, nil, nil, action, heading)
	}
	return container.NewVBox(widget.NewSeparator(), row)
}

// show loads contact id in the background and shows it.
func (c *contactCard) show(id int64) {
	c.loading = id
	c.m.run(func() func() {
		card, err := c.m.svc.Card(c.m.ctx, id)
		return func() {
			if id != c.loading {
				return // another contact was picked meanwhile
			}
			if errors.Is(err, model.ErrNotFound) && c.card != nil && c.card.Contact.ID == id {
				c.clear() // gone meanwhile: an undo, a forget on another desk
				return
			}
			if err != nil {
				c.m.showError(err)
				return
			}
			c.render(card)
		}
	})
}

// reload shows the current contact again after a change.
func (c *contactCard) reload() {
	if c.card != nil {
		c.show(c.card.Contact.ID)
	}
}

// afterChange shows the card again after one of its rows changed, and
// searches again: what changed may match the search now, or no longer.
func (c *contactCard) afterChange() {
	c.reload()
	if c.m.list.search.Text != "" {
		c.m.list.refresh()
	}
}

// clear shows the placeholder again.
func (c *contactCard) clear() {
	c.card, c.loading = nil, 0
	c.root.Objects = []fyne.CanvasObject{c.placeholder}
	c.root.Refresh()
}

func (c *contactCard) render(card *app.Card) {
	if c.card == nil || c.card.Contact.ID != card.Contact.ID {
		c.showAll = false
		c.quickText.SetText("")
		c.quickCost.SetText("")
		c.scroll.ScrollToTop()
	}
	c.card = card
	ct := card.Contact
	if len(ct.Thumbnail) > 0 {
		c.photo.Resource = fyne.NewStaticResource(fmt.Sprintf("contact-%d.jpg", ct.ID), ct.Thumbnail)
		c.photo.Show()
	} else {
		c.photo.Resource = nil
		c.photo.Hide()
	}
	c.photo.Refresh()
	c.name.SetText(ct.DisplayName)
	var sub []string
	for _, s := range []string{ct.Title, ct.Organization} {
		if s != "" && s != ct.DisplayName {
			sub = append(sub, s)
		}
	}
	c.subtitle.SetText(strings.Join(sub, " · "))
	c.subtitle.Hidden = len(sub) == 0
	relation := []string{app.Capitalize(string(ct.Stage))}
	if card.ReferredBy != "" {
		relation = append(relation, "referred by "+card.ReferredBy)
	}
	if ct.HowWeMet != "" {
		relation = append(relation, "met: "+ct.HowWeMet)
	}
	c.relation.SetText(strings.Join(relation, " · "))
	c.renderLinks(card)
	c.renderReliability(card.Reliability)
	c.purchases.SetText(strings.Join(card.PurchaseLines, "\n"))
	c.purchases.Hidden = len(card.PurchaseLines) == 0
	c.purchases.Refresh()
	c.askBtn.Hidden = !card.AskFeedback
	c.askBtn.Refresh()

	c.renderRemember(card)
	c.renderContact(ct)
	c.renderConsent(ct)
	c.renderDetails(ct)
	c.renderDates(card)
	c.renderAppointments(card)
	c.renderJournal(ct)
	c.root.Objects = []fyne.CanvasObject{c.body}
	c.root.Refresh()
	if c.logNext {
		c.logNext = false
		c.m.win.Canvas().Focus(c.quickText)
	}
}

// renderLinks shows the contacts linked to this one, "Household: Peter
// Schmidt — same phone +49 30 1234567"; a tap opens the other.
func (c *contactCard) renderLinks(card *app.Card) {
	var rows []fyne.CanvasObject
	for _, l := range card.Links {
		text := app.Capitalize(l.Kind) + ": " + l.Name
		if l.Reason != "" {
			text += " — " + l.Reason
		}
		b := widget.NewButtonWithIcon(text, theme.AccountIcon(), func() { c.m.showContact(l.ContactID) })
		b.Importance = widget.LowImportance
		b.Alignment = widget.ButtonAlignLeading
		rows = append(rows, b)
	}
	setObjects(c.links, rows)
}

// renderReliability shows the score where there is one, and marks an
// unreliable contact as one to ask for honest feedback.
func (c *contactCard) renderReliability(r app.Reliability) {
	switch {
	case r.Counted == 0:
		c.reliable.Hide()
		return
	case r.Unreliable:
		c.reliable.Importance = widget.WarningImportance
		c.reliable.SetText("Unreliable: ask for honest feedback. " + r.Summary)
	default:
		c.reliable.Importance = widget.MediumImportance
		c.reliable.SetText("Reliability: " + r.Summary)
	}
	if r.Reminders != "" {
		c.reliable.SetText(c.reliable.Text + "\n" + r.Reminders)
	}
	c.reliable.Show()
}

func (c *contactCard) renderRemember(card *app.Card) {
	var rows []fyne.CanvasObject
	for _, d := range card.Pinned {
		rows = append(rows, detailText(d, true))
	}
	for i, u := range card.Upcoming {
		if i >= 3 && u.DaysAway > 30 {
			break // the nearest three, and any within a month
		}
		l := widget.NewLabelWithStyle(u.Text(), fyne.TextAlignLeading, fyne.TextStyle{Bold: u.DaysAway <= 14})
		rows = append(rows, l)
	}
	if len(rows) == 0 {
		rows = append(rows, faint("Nothing yet: pin a personal detail, or add a birthday."))
	}
	setObjects(c.remember, rows)
}

func (c *contactCard) renderContact(ct *model.Contact) {
	var rows []fyne.CanvasObject
	for _, p := range ct.Phones {
		rows = append(rows, labelled(p.Label, p.Number))
	}
	for _, e := range ct.Emails {
		rows = append(rows, labelled(e.Label, e.Address))
	}
	for _, a := range ct.Addresses {
		rows = append(rows, labelled(a.Label, formatAddress(a)))
	}
	if len(rows) == 0 {
		rows = append(rows, faint("No phone, email or address yet."))
	}
	setObjects(c.contact, rows)
}

func (c *contactCard) renderDetails(ct *model.Contact) {
	var rows []fyne.CanvasObject
	for _, d := range ct.Details {
		rows = append(rows, editableRow(detailText(d, d.Pinned),
			func() { c.editDetail(&d) },
			func() {
				c.remove("detail “"+d.Label+"”", func() (app.Undo, error) { return c.m.svc.DeleteDetailUndoable(c.m.ctx, d.ID) })
			}))
	}
	if len(rows) == 0 {
		rows = append(rows, faint("Children's names, pets, favourites, dislikes… what they told you."))
	}
	setObjects(c.details, rows)
}

func (c *contactCard) renderDates(card *app.Card) {
	var rows []fyne.CanvasObject
	for _, u := range card.Upcoming {
		text := widget.NewLabel(app.Capitalize(u.Label) + ": " + c.m.dates.Partial(u.Date))
		rows = append(rows, editableRow(text,
			func() { c.editDate(&u) },
			func() {
				c.remove(u.Label, func() (app.Undo, error) { return c.m.svc.DeleteDateUndoable(c.m.ctx, u.ID) })
			}))
	}
	if len(rows) == 0 {
		rows = append(rows, faint("Birthday, anniversary, or a date of your own."))
	}
	setObjects(c.dates, rows)
}

func (c *contactCard) renderJournal(ct *model.Contact) {
	var rows []fyne.CanvasObject
	entries := ct.Journal
	if !c.showAll && len(entries) > journalPage {
		entries = entries[:journalPage]
	}
	for _, e := range entries {
		when := widget.NewLabelWithStyle(c.m.moment(e.At)+" · "+string(e.Kind),
			fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		what := e.Text
		if bought := c.m.svc.PurchaseText(e); bought != "" {
			what = strings.TrimSpace(bought + "\n" + e.Text)
		}
		if e.ChangeNote != "" {
			what += "\nI will change: " + e.ChangeNote
		}
		text := widget.NewLabel(what)
		text.Wrapping = fyne.TextWrapWord
		rows = append(rows, editableRow(container.NewVBox(when, text),
			func() { c.editEntry(&e) },
			func() {
				c.remove("a journal entry", func() (app.Undo, error) { return c.m.svc.DeleteJournalEntryUndoable(c.m.ctx, e.ID) })
			}))
	}
	if len(entries) < len(ct.Journal) {
		rows = append(rows, widget.NewButton(fmt.Sprintf("Show all %d entries", len(ct.Journal)), func() {
			c.showAll = true
			c.renderJournal(ct)
		}))
	}
	if len(rows) == 0 {
		rows = append(rows, faint("No entries yet. Log how you met above."))
	}
	setObjects(c.journal, rows)
}

func setObjects(box *fyne.Container, objects []fyne.CanvasObject) {
	box.Objects = objects
	box.Refresh()
}

func faint(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

func detailText(d model.Detail, bold bool) *widget.Label {
	text := d.Value
	if d.Label != "" {
		text = d.Label + ": " + d.Value
	}
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: bold})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func labelled(label, value string) fyne.CanvasObject {
	l := widget.NewLabel(label)
	l.Importance = widget.LowImportance
	v := widget.NewLabel(value)
	v.Wrapping = fyne.TextWrapWord
	v.Selectable = true
	return container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(90, l.MinSize().Height), l), nil, v)
}

func formatAddress(a model.Address) string {
	var parts []string
	for _, p := range []string{a.Street, strings.TrimSpace(a.PostalCode + " " + a.City), a.Region, a.Country} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// editableRow puts edit and remove buttons at the right of a row.
func editableRow(content fyne.CanvasObject, onEdit, onRemove func()) fyne.CanvasObject {
	edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), onEdit)
	edit.Importance = widget.LowImportance
	remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), onRemove)
	remove.Importance = widget.LowImportance
	return container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), content)
}

// onLogSubmitted logs the quick entry line.
func (c *contactCard) onLogSubmitted() {
	if c.card == nil {
		return
	}
	text := strings.TrimSpace(c.quickText.Text)
	kind := model.EntryKind(c.quickKind.Selected)
	amount := ""
	if kind == model.KindPurchase {
		amount = strings.TrimSpace(c.quickCost.Text)
	}
	if text == "" && amount == "" {
		c.m.win.Canvas().Focus(c.quickText)
		return
	}
	c.m.app.Preferences().SetString(prefLastKind, string(kind))
	id := c.card.Contact.ID
	name := c.card.Contact.DisplayName
	c.m.run(func() func() {
		var undo app.Undo
		var err error
		said := text
		if kind == model.KindPurchase {
			// The line says what was bought; the amount is in the owner's style.
			undo, err = c.m.svc.LogPurchaseUndoable(c.m.ctx, id, text, amount)
			said = strings.Join(slices.DeleteFunc([]string{text, amount}, func(s string) bool { return s == "" }), " · ")
		} else {
			undo, err = c.m.svc.LogEntryUndoable(c.m.ctx, id, kind, text)
		}
		return func() {
			if err != nil {
				c.m.showError(err)
				return
			}
			c.m.done.announce(loggedText(kind, said, name), c.m.undoing(undo))
			if c.card != nil && c.card.Contact.ID == id && c.quickText.Text == text {
				c.quickText.SetText("")
				c.quickCost.SetText("")
			}
			c.show(id)
		}
	})
}

// kindChosen fits the log line to the kind: a purchase says what was
// bought and offers the amount.
func (c *contactCard) kindChosen() {
	if model.EntryKind(c.quickKind.Selected) == model.KindPurchase {
		c.quickText.SetPlaceHolder("What was bought? Enter logs it  (Ctrl+L)")
		c.costBox.Show()
		return
	}
	c.quickText.SetPlaceHolder("What happened? Enter logs it  (Ctrl+L)")
	c.costBox.Hide()
}

// loggedText says what the log line just did: "Logged “asked about the
// table” (call) for Maria Keller."
func loggedText(kind model.EntryKind, text, name string) string {
	return "Logged “" + text + "” (" + string(kind) + ") for " + name + "."
}

// onLogShortcut puts the cursor in the quick entry line.
func (c *contactCard) onLogShortcut() {
	if c.card != nil {
		c.m.win.Canvas().Focus(c.quickText)
	}
}

// focusLog puts the cursor in the log line once the card being loaded is
// shown: a contact picked from the search is read in the background.
func (c *contactCard) focusLog() {
	if c.loading != 0 && (c.card == nil || c.card.Contact.ID != c.loading) {
		c.logNext = true
		return
	}
	c.onLogShortcut()
}

func (c *contactCard) onEdit() {
	if c.card == nil || c.m.editor != nil {
		return
	}
	showContactEditor(c.m, c.card.Contact, func(id int64) { c.m.list.refreshAndSelect(id) })
}

// onForget asks, then removes the contact shown and everything about them,
// and says plainly that older backups still hold them.
func (c *contactCard) onForget() dialog.Dialog {
	if c.card == nil {
		return nil
	}
	ct := c.card.Contact
	msg := fmt.Sprintf("Forget %s?\n\nThis removes them and everything about them: phones, emails, addresses,\n"+
		"details, dates, the journal, appointments and notes. People they referred stay.\n\n"+
		"Older backups still hold them until they rotate out (up to 12 months).", ct.DisplayName)
	return c.m.keyedConfirm("Forget this person", msg, "Forget", "Keep", func(ok bool) {
		if !ok {
			return
		}
		c.m.run(func() func() {
			name, err := c.m.svc.Forget(c.m.ctx, ct.ID)
			return func() {
				if err != nil {
					c.m.showError(err)
					return
				}
				c.clear()
				c.m.list.selected = 0
				c.m.list.reloadAll()
				c.m.today.refresh()
				c.m.agenda.refresh()
				c.m.notes.refresh()
				c.m.keyedInfo("Forgotten", app.ForgottenMessage(name))
			}
		})
	})
}

// consentText is the newsletter check's label: since when they agreed.
func consentText(dates app.DateStyle, day string) string {
	if t, err := time.Parse(time.DateOnly, day); err == nil {
		return "Agreed to the newsletter (on " + dates.Date(t) + ")"
	}
	return "Agreed to the newsletter"
}

// renderConsent shows whether they agreed to the newsletter without
// counting the change as the owner's.
func (c *contactCard) renderConsent(ct *model.Contact) {
	c.consent.OnChanged = nil
	c.consent.Text = consentText(c.m.dates, ct.NewsletterConsentDate)
	c.consent.SetChecked(ct.NewsletterConsent)
	c.consent.Refresh()
	id := ct.ID
	c.consent.OnChanged = func(agreed bool) { c.onConsent(id, agreed) }
}

// onConsent records today's consent, or its withdrawal (which the journal
// keeps), says so with Undo, and shows the card again.
func (c *contactCard) onConsent(id int64, agreed bool) {
	name := ""
	if c.card != nil {
		name = c.card.Contact.DisplayName
	}
	c.m.run(func() func() {
		undo, err := c.m.svc.ChangeNewsletterConsent(c.m.ctx, id, agreed)
		return func() {
			c.m.showError(err)
			if err == nil && undo != nil {
				what := name + " agreed to the newsletter today."
				if !agreed {
					what = name + " no longer gets the newsletter."
				}
				c.m.done.announce(what, c.m.undoing(undo))
			}
			if c.card != nil && c.card.Contact.ID == id {
				c.show(id)
			}
		}
	})
}

// remove takes one row off at a click and says so with Undo, which puts
// it back as it was: quicker than asking first, and as safe.
func (c *contactCard) remove(what string, del func() (app.Undo, error)) {
	name := ""
	if c.card != nil {
		name = c.card.Contact.DisplayName
	}
	c.m.run(func() func() {
		undo, err := del()
		return func() {
			c.m.showError(err)
			if err == nil {
				c.m.done.announce("Removed "+what+" from "+name+".", c.m.undoing(undo))
			}
			c.afterChange()
		}
	})
}
