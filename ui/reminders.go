package ui

import (
	"errors"
	"fmt"
	"image"
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"github.com/rapportjournal/rapport/app"
)

// qrPixels is the side of the QR code image; it is shown at qrSize.
const (
	qrPixels = 512
	qrSize   = 260
)

// remindSend is what a remind row of Today offers besides "Reminded": the
// reminder, in the owner's words, by email, as a text message from the
// owner's phone (a QR code of an sms: link), or copied.
func (v *todayView) remindSend(f app.Followup) []fyne.CanvasObject {
	email := widget.NewButtonWithIcon("Email", theme.MailComposeIcon(), func() { v.withReminder(f, v.emailReminder) })
	sms := widget.NewButton("Text message", func() { v.withReminder(f, v.textReminder) })
	cp := widget.NewButtonWithIcon("Copy", theme.ContentCopyIcon(), func() {
		v.withReminder(f, func(r *app.Reminder) {
			v.m.app.Clipboard().SetContent(r.Text)
			v.m.done.announce("Copied the reminder to "+f.Contact+".", nil)
		})
	})
	for _, b := range []*widget.Button{email, sms, cp} {
		b.Importance = widget.LowImportance
	}
	return []fyne.CanvasObject{email, sms, cp}
}

// withReminder makes f's reminder in the background (it reads the
// appointment, the contact and the template) and hands it to use.
func (v *todayView) withReminder(f app.Followup, use func(*app.Reminder)) {
	v.m.run(func() func() {
		r, err := v.m.svc.ReminderFor(v.m.ctx, f)
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			use(r)
		}
	})
}

// emailReminder opens the owner's mail program with the reminder written
// (a mailto: link); without one, the link is copied.
func (v *todayView) emailReminder(r *app.Reminder) {
	if r.Email == "" {
		v.m.showError(fmt.Errorf("%s has no email address: send a text message, or copy the reminder", r.Contact))
		return
	}
	link := app.MailtoLink(r.Email, r.Subject, r.Text)
	if !v.m.opener.CanOpen() {
		v.m.app.Clipboard().SetContent(link)
		v.m.done.announce("No mail program found: the email link to "+r.Contact+" is copied.", nil)
		return
	}
	// The opener waits a moment to see the program start: not on the UI
	// goroutine.
	v.m.run(func() func() {
		err := v.m.opener.Open(link)
		return func() {
			if err != nil {
				v.m.showError(err)
				return
			}
			v.m.done.announce("Opened an email to "+r.Contact+": send it, then mark them reminded.", nil)
		}
	})
}

// textReminder shows a QR code of an sms: link to the contact's mobile
// with the reminder, for the owner to scan with the phone and send.
func (v *todayView) textReminder(r *app.Reminder) {
	if r.Mobile == "" {
		v.m.showError(fmt.Errorf("%s has no phone number: send an email, or copy the reminder", r.Contact))
		return
	}
	link, err := app.SMSLink(r.Mobile, r.Text)
	if err != nil {
		v.m.showError(fmt.Errorf("%s: %w", r.Contact, err))
		return
	}
	img, err := qrImage(link)
	if err != nil {
		v.m.showError(err)
		return
	}
	code := canvas.NewImageFromImage(img)
	code.FillMode = canvas.ImageFillContain
	code.ScaleMode = canvas.ImageScalePixels // sharp modules, not blurred
	code.SetMinSize(fyne.NewSquareSize(qrSize))
	code.Resize(fyne.NewSquareSize(qrSize))
	text := widget.NewLabel(r.Text)
	text.Wrapping = fyne.TextWrapWord
	// Room for the code and a few words a line: a wrapping label alone
	// shrinks to a letter wide.
	width := canvas.NewRectangle(color.Transparent)
	width.SetMinSize(fyne.NewSize(qrSize+160, 0))
	body := container.NewVBox(width,
		widget.NewLabel("Scan with your phone's camera to text "+r.Mobile+":"),
		container.NewCenter(code),
		text)
	var d dialog.Dialog
	reminded := widget.NewButtonWithIcon("Reminded", theme.ConfirmIcon(), func() {
		d.Hide()
		v.do("Logged that "+r.Contact+" was reminded of tomorrow's appointment.",
			func() (app.Undo, error) { return v.m.svc.Reminded(v.m.ctx, r.Followup) })
	})
	reminded.Importance = widget.HighImportance
	closeB := widget.NewButton("Close", func() { d.Hide() })
	content := container.NewBorder(nil, container.NewCenter(container.NewHBox(closeB, reminded)), nil, nil, body)
	d = dialog.NewCustomWithoutButtons("Text message to "+r.Contact, content, v.m.win)
	v.m.keyed(d, d.Hide, nil) // Escape closes; Enter marks nothing by mistake
	d.Show()
}

// qrImage is the QR code of text, black on white with its quiet zone
// (phones read dark on light, whatever the window's theme).
func qrImage(text string) (image.Image, error) {
	q, err := qrcode.New(text, qrcode.Medium)
	if err != nil {
		return nil, errors.Join(errors.New("the text message is too long for a QR code: shorten the reminder text in Settings"), err)
	}
	return q.Image(qrPixels), nil
}

// remindersTab is the Settings tab of the reminder text.
func (s *settings) remindersTab() fyne.CanvasObject {
	s.shop = widget.NewEntry()
	s.shop.SetPlaceHolder("e.g. Atelier Rosa")
	s.reminder = widget.NewMultiLineEntry()
	s.reminder.Wrapping = fyne.TextWrapWord
	s.reminder.SetMinRowsVisible(4)
	s.reminder.SetText(app.DefaultReminderTemplate)
	return widget.NewForm(widget.NewFormItem("Shop name", s.shop),
		widget.NewFormItem("Reminder text", s.reminder),
		widget.NewFormItem("", faint("Sent the day before an appointment, from Today. {first name}, {name}, {day}, {time}, "+
			"{purpose} and {shop} are filled in; \"({purpose})\" is left out when there is none. Leave empty for the default.")))
}

// showReminders puts the stored reminder settings in the fields.
func (s *settings) showReminders(r app.ReminderSettings) {
	s.shop.SetText(r.Shop)
	s.reminder.SetText(r.Template)
	s.reminders = &r
}

// typedReminders is what the Reminders tab says; nil while the stored
// settings are not read yet, so that a quick Save does not overwrite them
// with the defaults.
func (s *settings) typedReminders() *app.ReminderSettings {
	if s.reminders == nil {
		return nil
	}
	return &app.ReminderSettings{Template: s.reminder.Text, Shop: s.shop.Text}
}
