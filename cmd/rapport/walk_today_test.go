//go:build unix

package main

import (
	"testing"
	"time"
)

// TestWalkWelcomeAndToday: an empty database opens on the welcome; the demo
// shop fills it, says so with Undo, and Today shows its sections with their
// counts, the urgent ones first. (Undo is not clicked here: reading the
// screen takes longer than the snackbar's 12 seconds; ui tests tap it.)
func TestWalkWelcomeAndToday(t *testing.T) {
	d := newDesk(t, 1280, 800)
	d.open()
	d.see("welcome", 10*time.Second, "Welcome to Rapport", "iPhone", "Android", "Outlook", "Try the demo shop", "Add a contact")
	// A smaller window scrolls the welcome rather than squeezing it.
	d.resize(800, 560)
	d.see("welcome-small", 10*time.Second, "Welcome to Rapport", "Try the demo shop")
	d.resize(1100, 720)
	d.click("Try the demo shop")
	d.see("demo", 10*time.Second, "Added the demo shop", "New contact")
	d.click("Today")
	d.see("today", 10*time.Second, "Notes to write (8)", "Remind of tomorrow's appointments", "Snooze")
	d.quit()
}
