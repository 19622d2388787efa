package ui

import (
	"fyne.io/fyne/v2"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/dav"
)

// The calendar part of File → Phone Sync…: which calendar of the server
// the appointments go to, if any.

// noCalendar is the calendar choice that keeps appointments off the phone.
const noCalendar = "No calendar"

func (v *phoneSyncView) newCalendarSelect() {
	v.calendars = v.m.newSelect([]string{noCalendar}, nil)
	v.calendars.SetSelected(noCalendar)
	v.calPaths = map[string]string{noCalendar: ""}
}

// showCalendars offers the calendars found, "No calendar" first, keeping
// the one chosen before where it is still there.
func (v *phoneSyncView) showCalendars(cals []dav.Collection, chosen string) {
	v.calPaths = map[string]string{noCalendar: ""}
	options := []string{noCalendar}
	selected := noCalendar
	for _, c := range cals {
		shown := c.Path
		if c.Name != "" {
			shown = c.Name + " (" + c.Path + ")"
		}
		v.calPaths[shown] = c.Path
		options = append(options, shown)
		if c.Path == chosen {
			selected = shown
		}
	}
	v.calendars.Options = options
	v.calendars.SetSelected(selected)
}

// chosenCalendar is the path of the calendar chosen, "" for none.
func (v *phoneSyncView) chosenCalendar() string { return v.calPaths[v.calendars.Selected] }

// eventDeletionRow is a deletion of an appointment or its event, with the
// two ways to settle it in words.
func (v *phoneSyncView) eventDeletionRow(d app.SyncItem, onPhone bool) fyne.CanvasObject {
	if onPhone {
		return v.deletionRow(d, d.Name+" was deleted from the phone's calendar",
			"The appointment is still here. Nothing is deleted until you say.",
			"Delete here too", "Deletes the appointment here as well; Undo (or File › Import History…) brings it back.",
			"Keep", "Keeps the appointment; the next sync puts it in the phone's calendar again.")
	}
	return v.deletionRow(d, d.Name+": the appointment was deleted here",
		"Its event is still in the phone's calendar. Nothing is deleted there until you say.",
		"Delete on the phone too", "Deletes the event on the phone, unless it was changed there since the last sync; Undo (or File › Import History…) puts it back.",
		"Keep on the phone", "Leaves the event in the phone's calendar, no longer kept in step.")
}

// calendarChanged says whether a sync wrote or moved any appointment.
func calendarChanged(rep *app.SyncReport) bool {
	return rep.EventsToPhoneAdded+rep.EventsToPhoneUpdated+rep.EventsFromPhoneMoved > 0
}
