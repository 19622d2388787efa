package ui

import (
	"os"
	"time"

	"fyne.io/fyne/v2/lang"

	"github.com/rapportjournal/rapport/app"
)

// Every date the window shows goes through the owner's app.DateStyle, kept
// per desk in the app's preferences ("" follows the system's locale).
const prefDateStyle = "dates.style"

// dateStyle is the style the owner chose in Settings → Dates, else the
// system's: LC_ALL, LC_TIME, LANG, then the desktop's locale.
func dateStyle(p interface{ String(string) string }) app.DateStyle {
	if st, ok := app.ParseDateStyle(p.String(prefDateStyle)); ok {
		return st
	}
	return systemDateStyle()
}

func systemDateStyle() app.DateStyle {
	return app.SystemDateStyle(os.Getenv, lang.SystemLocale().String())
}

// prefWeekStart is the day weeks begin on, chosen in Settings → Dates ("" follows
// the system's locale; else "Monday", "Sunday" or "Saturday").
const prefWeekStart = "dates.weekStart"

// firstWeekday is the day the owner's weeks begin on.
func (m *Main) firstWeekday() time.Weekday {
	for _, d := range weekStarts {
		if d.String() == m.app.Preferences().String(prefWeekStart) {
			return d
		}
	}
	return app.SystemFirstWeekday(os.Getenv, lang.SystemLocale().String())
}

// weekStarts are the days a week can begin on, as Settings offers them.
var weekStarts = [...]time.Weekday{time.Monday, time.Sunday, time.Saturday}

// setDateStyle applies a style to the window and to the texts the service
// writes; "" follows the system again.
func (m *Main) setDateStyle(stored string) {
	m.app.Preferences().SetString(prefDateStyle, stored)
	m.dates = dateStyle(m.app.Preferences())
	m.svc.SetDateStyle(m.dates)
}

// The shapes the window writes dates in, all in the owner's style.

// day writes a calendar day: 3.12.2026.
func (m *Main) day(t time.Time) string { return m.dates.Date(t.Local()) }

// moment writes a moment with its weekday: Thu 3.12.2026, 14:00.
func (m *Main) moment(t time.Time) string { return m.dates.DateTime(t.Local()) }

// clock writes a time of day: 14:00 or 2:00 PM.
func (m *Main) clock(t time.Time) string { return m.dates.Clock(t.Local()) }

// dayOfWeek writes a day with its weekday: Thursday 3.12.2026.
func (m *Main) dayOfWeek(t time.Time) string { return m.dates.Weekday(t) }

// dueDay writes a stored YYYY-MM-DD day, or the text as it is when it is
// not one.
func (m *Main) dueDay(iso string) string {
	if t, err := time.Parse(time.DateOnly, iso); err == nil {
		return m.dates.Date(t)
	}
	return iso
}

// systemMoneyLocale is the locale amounts are typed and shown in, and
// whose region's currency purchases use until Settings names one.
func systemMoneyLocale() string {
	return app.SystemMoneyLocale(os.Getenv, lang.SystemLocale().String())
}
