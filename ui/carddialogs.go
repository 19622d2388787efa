package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// feedbackDialog asks an unreliable contact the feedback questions and logs
// the answer as a feedback entry.
type feedbackDialog struct {
	answer *keyEntry
	form   *formDialog
}

func (c *contactCard) onAskFeedback() *feedbackDialog {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	d := &feedbackDialog{answer: c.m.newMultiLineEntry()}
	d.answer.Wrapping = fyne.TextWrapWord
	d.answer.SetMinRowsVisible(4)
	d.answer.SetPlaceHolder("What they said")
	questions := container.NewVBox()
	for _, q := range app.FeedbackQuestions() {
		questions.Add(widget.NewLabel("• " + q))
	}
	intro := faint(c.card.Reliability.Summary + ". Ask them, kindly, and write down what they say.")
	body := container.NewBorder(container.NewVBox(intro, questions), nil, nil, nil, d.answer)
	d.form = showForm(c.m, "Ask "+c.card.Contact.DisplayName+" for feedback", body, fyne.NewSize(560, 420),
		func() (func() error, error) {
			text := strings.TrimSpace(d.answer.Text)
			if text == "" {
				return nil, fmt.Errorf("write down what they said")
			}
			return func() error {
				_, err := c.m.svc.LogEntry(c.m.ctx, contactID, model.KindFeedback, text)
				return err
			}, nil
		}, c.afterChange)
	c.m.win.Canvas().Focus(d.answer)
	return d
}

// noteEditor schedules a handwritten note from a contact's card.
type noteEditor struct {
	reason *keyEntry
	due    *dateField
	form   *formDialog
}

func (c *contactCard) onNewNote() *noteEditor {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	e := &noteEditor{reason: c.m.newEntry(), due: newDateField(c.m, c.m.svc.Now().Local().AddDate(0, 0, 2))}
	e.reason.SetPlaceHolder("thank you for…, congratulations on…")
	form := widget.NewForm(widget.NewFormItem("For", e.reason), widget.NewFormItem("Write by", e.due.root))
	e.form = showForm(c.m, "A handwritten note to "+c.card.Contact.DisplayName, form, fyne.NewSize(480, 220),
		func() (func() error, error) {
			due, err := e.due.day()
			if err != nil {
				return nil, err
			}
			if strings.TrimSpace(e.reason.Text) == "" {
				return nil, fmt.Errorf("say what the note is for")
			}
			reason := e.reason.Text
			return func() error {
				_, err := c.m.svc.NewNoteReminder(c.m.ctx, contactID, reason, due)
				return err
			}, nil
		}, c.afterChange)
	c.m.win.Canvas().Focus(e.reason)
	return e
}
