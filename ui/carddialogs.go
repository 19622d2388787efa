package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// feedbackDialog asks an unreliable contact the feedback questions and logs
// the answer, with what the owner will change because of it, as a feedback
// entry: Insights lists them together as the self reflection.
type feedbackDialog struct {
	answer *keyEntry
	change *keyEntry
	form   *formDialog
}

func (c *contactCard) onAskFeedback() *feedbackDialog {
	if c.card == nil {
		return nil
	}
	contactID := c.card.Contact.ID
	d := &feedbackDialog{answer: c.m.newMultiLineEntry(), change: c.m.newMultiLineEntry()}
	for _, e := range []*keyEntry{d.answer, d.change} {
		e.Wrapping = fyne.TextWrapWord
		e.SetMinRowsVisible(3)
	}
	d.answer.SetPlaceHolder("What they said")
	d.change.SetPlaceHolder("What I will change (may wait until I know)")
	questions := container.NewVBox()
	for _, q := range app.FeedbackQuestions() {
		questions.Add(widget.NewLabel("• " + q))
	}
	intro := faint(c.card.Reliability.Summary + ". Ask them, kindly, and write down what they say.")
	body := container.NewVBox(intro, questions, d.answer, widget.NewLabel("What I will change"), d.change)
	d.form = showForm(c.m, "Ask "+c.card.Contact.DisplayName+" for feedback", body, fyne.NewSize(560, 520),
		func() (func() error, error) {
			said, change := strings.TrimSpace(d.answer.Text), d.change.Text
			if said == "" {
				return nil, fmt.Errorf("write down what they said")
			}
			return func() error {
				_, err := c.m.svc.LogFeedback(c.m.ctx, contactID, said, change)
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
