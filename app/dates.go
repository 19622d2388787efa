package app

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rapportjournal/rapport/model"
)

// PartialDate is a yearly date whose year may be unknown.
type PartialDate struct {
	Year  int // 0 when unknown
	Month time.Month
	Day   int
}

// ParsePartialDate reads "YYYY-MM-DD" or, with the year unknown, "--MM-DD".
func ParsePartialDate(s string) (PartialDate, error) {
	s = strings.TrimSpace(s)
	var d PartialDate
	switch {
	case strings.HasPrefix(s, "--") && len(s) == 7 && s[4] == '-':
		m, err1 := strconv.Atoi(s[2:4])
		day, err2 := strconv.Atoi(s[5:7])
		if err1 != nil || err2 != nil {
			return d, fmt.Errorf("date %q: want YYYY-MM-DD or --MM-DD", s)
		}
		d = PartialDate{Month: time.Month(m), Day: day}
	case len(s) == 10 && s[4] == '-' && s[7] == '-':
		y, err1 := strconv.Atoi(s[0:4])
		m, err2 := strconv.Atoi(s[5:7])
		day, err3 := strconv.Atoi(s[8:10])
		if err1 != nil || err2 != nil || err3 != nil || y < 1 {
			return d, fmt.Errorf("date %q: want YYYY-MM-DD or --MM-DD", s)
		}
		d = PartialDate{Year: y, Month: time.Month(m), Day: day}
	default:
		return d, fmt.Errorf("date %q: want YYYY-MM-DD or --MM-DD", s)
	}
	if err := d.validate(); err != nil {
		return PartialDate{}, fmt.Errorf("date %q: %w", s, err)
	}
	return d, nil
}

func (d PartialDate) validate() error {
	if d.Month < 1 || d.Month > 12 {
		return fmt.Errorf("no month %d", d.Month)
	}
	// With the year unknown, 29 February is a real birthday.
	year := d.Year
	if year == 0 {
		year = 2000
	}
	if d.Day < 1 || d.Day > daysIn(year, d.Month) {
		return fmt.Errorf("%s has no day %d", d.Month, d.Day)
	}
	return nil
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// String gives "YYYY-MM-DD", or "--MM-DD" when the year is unknown.
func (d PartialDate) String() string {
	if d.Year == 0 {
		return fmt.Sprintf("--%02d-%02d", int(d.Month), d.Day)
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// Human gives "3 February 1984" or "3 February".
func (d PartialDate) Human() string {
	if d.Year == 0 {
		return fmt.Sprintf("%d %s", d.Day, d.Month)
	}
	return fmt.Sprintf("%d %s %d", d.Day, d.Month, d.Year)
}

// NextOn is the first day on or after from (a calendar day) on which the
// date falls. 29 February falls on 28 February in other years.
func (d PartialDate) NextOn(from time.Time) time.Time {
	from = Day(from)
	for y := from.Year(); ; y++ {
		dd := d.Day
		if n := daysIn(y, d.Month); dd > n {
			dd = n
		}
		next := time.Date(y, d.Month, dd, 0, 0, 0, 0, from.Location())
		if !next.Before(from) {
			return next
		}
	}
}

// Day is t's calendar day at midnight in t's location.
func Day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

// dateOf converts a stored date.
func dateOf(d model.ImportantDate) PartialDate {
	p := PartialDate{Month: time.Month(d.Month), Day: d.Day}
	if d.Year != nil {
		p.Year = *d.Year
	}
	return p
}

// toModelDate converts a date for storage under label.
func toModelDate(label string, d PartialDate) model.ImportantDate {
	md := model.ImportantDate{Label: label, Month: int(d.Month), Day: d.Day}
	if d.Year != 0 {
		y := d.Year
		md.Year = &y
	}
	return md
}

// UpcomingDate is an important date's next occurrence as seen from a day.
type UpcomingDate struct {
	ID       int64
	Label    string
	Date     PartialDate
	Next     time.Time
	DaysAway int
	// DaysAgo is how long ago it last fell, on or before today (0 today;
	// -1 when it never fell yet, as for a date a year ahead).
	DaysAgo int
	Style   DateStyle // how Text writes the date (set by the service)
}

// recentlyPassed is how long after a date it is still told as past ("was
// on 22 November") rather than as next year's.
const recentlyPassed = 30

// Text says it as a person would: "Birthday today (turns 42)", "Anniversary
// in 12 days (10 years)", "Shop opening on 3 March".
func (u UpcomingDate) Text() string {
	label := Capitalize(u.Label)
	var when string
	switch u.DaysAway {
	case 0:
		when = "today"
	case 1:
		when = "tomorrow"
	default:
		today := u.Next.AddDate(0, 0, -u.DaysAway)
		switch {
		case u.DaysAway < 14:
			when = fmt.Sprintf("in %d days", u.DaysAway)
		case u.DaysAgo > 0 && u.DaysAgo <= recentlyPassed:
			// Seen on 3 December, "Birthday on 22 November" read as
			// upcoming: a date just passed says so, with the age it was.
			last := today.AddDate(0, 0, -u.DaysAgo)
			s := label + " was on " + u.Style.DayMonth(last.Month(), last.Day())
			if u.Date.Year != 0 {
				years := last.Year() - u.Date.Year
				switch {
				case u.Label == model.DateBirthday && years > 0:
					s += fmt.Sprintf(" (turned %d)", years)
				case years > 0:
					s += fmt.Sprintf(" (%d years)", years)
				}
			}
			return s
		case u.Next.Year() != today.Year() && u.DaysAway > 183:
			// Passed this year, long enough ago: next year's, said so.
			when = "on " + u.Style.Date(u.Next)
		default:
			when = "on " + u.Style.DayMonth(u.Next.Month(), u.Next.Day())
		}
	}
	s := label + " " + when
	if u.Date.Year != 0 {
		years := u.Next.Year() - u.Date.Year
		switch {
		case u.Label == model.DateBirthday && years > 0:
			s += fmt.Sprintf(" (turns %d)", years)
		case years > 0:
			s += fmt.Sprintf(" (%d years)", years)
		}
	}
	return s
}

// upcoming orders dates by their next occurrence from today.
func upcoming(dates []model.ImportantDate, today time.Time) []UpcomingDate {
	today = Day(today)
	out := make([]UpcomingDate, 0, len(dates))
	for _, md := range dates {
		d := dateOf(md)
		next := d.NextOn(today)
		ago := -1
		if y := today.Year() - 1; d.Year == 0 || d.Year <= y {
			last := d.NextOn(time.Date(y, today.Month(), today.Day(), 0, 0, 0, 0, today.Location()).AddDate(0, 0, 1))
			if !last.After(today) {
				ago = int(today.Sub(last).Hours()+12) / 24
			}
		}
		out = append(out, UpcomingDate{
			ID: md.ID, Label: md.Label, Date: d, Next: next,
			DaysAway: int(next.Sub(today).Hours()+12) / 24, // +12 h absorbs DST days
			DaysAgo:  ago,
		})
	}
	slices.SortStableFunc(out, func(a, b UpcomingDate) int { return a.Next.Compare(b.Next) })
	return out
}

// Capitalize upper-cases the first letter: "birthday" → "Birthday".
func Capitalize(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}
