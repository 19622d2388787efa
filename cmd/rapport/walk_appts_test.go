//go:build unix

package main

import (
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app"
)

// TestWalkAppointments: a contact's appointments on the card, the booking
// dialog with its day picker, and the Appointments tab's week, read off the
// real screen.
func TestWalkAppointments(t *testing.T) {
	d := newDesk(t, 1280, 800)
	// An owner in the US: weeks begin on Sunday, dates read month first.
	d.env = setEnv(d.env, "LANG", "en_US.UTF-8")
	d.cli("demo")
	d.open()
	d.see("list", 10*time.Second, "Ahmed Hassan")
	d.key("ctrl+f")
	d.typeText("keller")
	d.key("Down") // picks the one answer; OCR reads nothing off the near-empty screen before
	d.see("card", 10*time.Second, "New appointment", "Gift consultation", "Past", "Calligraphy lesson")
	d.click("New appointment")
	d.see("booking", 10*time.Second, "New appointment with Maria Keller", "Day", "Minutes", "Purpose")
	d.key("Return")             // tomorrow at 10:00, as the dialog suggests
	time.Sleep(2 * time.Second) // saved in the background, then closed
	d.notSee("closed", "New appointment with Maria Keller")
	d.click("Appointments") // the tab, above the card's heading
	start := app.WeekStart(time.Now(), time.Sunday)
	d.see("week", 10*time.Second, "Week of "+app.DateMDY.Date(start), "Previous", "This week", "Next")
	d.click("Next")
	d.see("next-week", 10*time.Second, "Week of "+app.DateMDY.Date(start.AddDate(0, 0, 7)))
	d.quit()
}
