package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// remindHarness: Maria Keller, with an email and a mobile, has a fitting
// tomorrow (Tuesday 24 November 2026) at 10:30.
func remindHarness(t *testing.T) (*harness, int64) {
	var id int64
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller", Stage: model.StageClient,
			Emails:  []model.Email{{Address: "maria@example.com"}},
			Phones:  []model.Phone{{Label: "home", Number: "030 1234567"}, {Label: "mobile", Number: "+49 151 555 0101"}},
			Journal: []model.JournalEntry{{Kind: model.KindVisit, At: testNow.AddDate(0, 0, -1), Text: "hi"}}})
		id = c.ID
		if _, err := svc.NewAppointment(context.Background(), c.ID, testNow.Add(25*time.Hour), 30, "fitting"); err != nil {
			t.Fatal(err)
		}
	})
	h.m.tabs.SelectIndex(2)
	h.mustShow("Remind of tomorrow's appointments (1)", "Appointment tomorrow at 10:30: fitting")
	return h, id
}

const remindText = "Hello Maria, a reminder of your appointment tomorrow, Tuesday 24 November 2026 at 10:30 (fitting). See you then!"

func TestRemindEmailOpensTheReminderWritten(t *testing.T) {
	h, _ := remindHarness(t)
	h.tapButton("Email")
	want := "mailto:maria@example.com?subject=Your%20appointment%20tomorrow%2C%2010%3A30" +
		"&body=Hello%20Maria%2C%20a%20reminder%20of%20your%20appointment%20tomorrow%2C%20Tuesday%2024%20November%202026" +
		"%20at%2010%3A30%20%28fitting%29.%20See%20you%20then%21"
	if len(h.opener.opened) != 1 || h.opener.opened[0] != want {
		t.Fatalf("opened %q\nwant %q", h.opener.opened, want)
	}
	if got := h.m.done.text.Text; got != "Opened an email to Maria Keller: send it, then mark them reminded." {
		t.Errorf("snackbar says %q", got)
	}
	// Opening the email does not mark them reminded.
	h.mustShow("Remind of tomorrow's appointments (1)")
}

func TestRemindCopyPutsTheTextOnTheClipboard(t *testing.T) {
	h, _ := remindHarness(t)
	h.tapButton("Copy")
	if got := h.m.app.Clipboard().Content(); got != remindText {
		t.Errorf("clipboard %q\nwant %q", got, remindText)
	}
	if got := h.m.done.text.Text; got != "Copied the reminder to Maria Keller." {
		t.Errorf("snackbar says %q", got)
	}
}

func TestRemindTextMessageShowsAQRCodeAndMarksReminded(t *testing.T) {
	h, id := remindHarness(t)
	h.tapButton("Text message")
	h.key(fyne.KeyEscape)
	if h.dialogs() != 0 {
		t.Fatalf("Escape left %d dialogs open", h.dialogs())
	}
	h.tapButton("Text message")
	h.mustShow("Scan with your phone's camera to text +49 151 555 0101:", remindText)
	var code *canvas.Image
	h.visit(func(o fyne.CanvasObject) bool {
		if img, ok := o.(*canvas.Image); ok && img.Image != nil {
			code = img
		}
		return code == nil
	})
	if code == nil {
		t.Fatal("no QR code shown")
	}
	if b := code.Image.Bounds(); b.Dx() != qrPixels || b.Dy() != qrPixels {
		t.Errorf("QR code of %v, want %d pixels square", b, qrPixels)
	}
	// The dialog's own Reminded (dialogs are visited first).
	h.tapButton("Reminded")
	c, err := h.svc.Contact(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if c.Appointments[0].RemindedAt == nil || len(c.Journal) != 2 {
		t.Fatalf("after Reminded: reminded %v, journal %+v", c.Appointments[0].RemindedAt, c.Journal)
	}
	if h.dialogs() != 0 {
		t.Errorf("%d dialogs still open", h.dialogs())
	}
	h.mustNotShow("Remind of tomorrow's appointments")
	h.undo()
	c, _ = h.svc.Contact(context.Background(), id)
	if c.Appointments[0].RemindedAt != nil || len(c.Journal) != 1 {
		t.Fatalf("after undo: reminded %v, journal %+v", c.Appointments[0].RemindedAt, c.Journal)
	}
	h.mustShow("Remind of tomorrow's appointments (1)")
}

func TestRemindWithoutEmailSaysSo(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		c := addContact(t, svc, &model.Contact{GivenName: "Jörg", FamilyName: "Müller"})
		if _, err := svc.NewAppointment(context.Background(), c.ID, testNow.Add(25*time.Hour), 30, ""); err != nil {
			t.Fatal(err)
		}
	})
	h.m.tabs.SelectIndex(2)
	h.tapButton("Email")
	if len(h.opener.opened) != 0 {
		t.Errorf("opened %q", h.opener.opened)
	}
	h.mustShow("Jörg Müller has no email address: send a text message, or copy the reminder")
}

// TestRemindCardComparesRemindedWithNot, by hand: reminded, 3 on time
// (3 of 3 kept); not reminded, 1 on time and 2 no-shows (1 of 3, 33%).
func TestRemindCardComparesRemindedWithNot(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		at := testNow
		var appts []model.Appointment
		for i, outcome := range []model.Outcome{model.OutcomeOnTime, model.OutcomeOnTime, model.OutcomeOnTime,
			model.OutcomeOnTime, model.OutcomeNoShow, model.OutcomeNoShow} {
			a := model.Appointment{Start: testNow.AddDate(0, 0, -10*(i+1)), Minutes: 30, Outcome: outcome}
			if i < 3 {
				a.RemindedAt = &at
			}
			appts = append(appts, a)
		}
		addContact(t, svc, &model.Contact{GivenName: "Maria", FamilyName: "Keller", Appointments: appts})
	})
	h.selectContact("Maria Keller")
	h.mustShow("Reminded: 3 of 3 kept (100%); not reminded: 1 of 3 kept (33%)")
}

func TestRemindSettingsTextIsUsed(t *testing.T) {
	h, _ := remindHarness(t)
	s := h.m.onSettings()
	if s.reminder.Text != app.DefaultReminderTemplate || s.shop.Text != "" {
		t.Fatalf("settings show %q, shop %q", s.reminder.Text, s.shop.Text)
	}
	s.shop.SetText("Atelier Rosa")
	s.reminder.SetText("{first name}, {day} {time}: {purpose}. {shop}")
	h.tapButton("Save")
	got, err := h.svc.ReminderSettings(context.Background())
	if err != nil || got.Shop != "Atelier Rosa" || got.Template != "{first name}, {day} {time}: {purpose}. {shop}" {
		t.Fatalf("saved %+v, %v", got, err)
	}
	h.tapButton("Copy")
	if got, want := h.m.app.Clipboard().Content(), "Maria, Tuesday 24 November 2026 10:30: fitting. Atelier Rosa"; got != want {
		t.Errorf("clipboard %q, want %q", got, want)
	}
}
