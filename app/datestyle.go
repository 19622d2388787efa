package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DateStyle is how the owner's dates are written and read: one style for
// every date Rapport shows, chosen from the system's locale or in Settings.
type DateStyle string

// The date styles.
const (
	DateDMY  DateStyle = "dmy"  // 3.12.2026, as in Germany, Austria, Poland…
	DateMDY  DateStyle = "mdy"  // 12/3/2026 and 2:00 PM, as in the United States
	DateISO  DateStyle = "iso"  // 2026-12-03, as in Sweden, Lithuania, China…
	DateLong DateStyle = "long" // 3 December 2026, unambiguous everywhere else
)

// DateStyles lists the styles in the order Settings offers them.
func DateStyles() []DateStyle { return []DateStyle{DateDMY, DateMDY, DateISO, DateLong} }

// ParseDateStyle reads a stored style; "" and unknown values are not styles.
func ParseDateStyle(s string) (DateStyle, bool) {
	for _, st := range DateStyles() {
		if string(st) == s {
			return st, true
		}
	}
	return "", false
}

// regions by the date style their people write.
const (
	dotRegions = "AT BA BG CH CZ DE DK EE FI HR IS LV MK NO PL RO RS RU SI SK TR UA BY AZ KZ GE AM"
	mdyRegions = "US PH PR GU AS UM VI FM MH PW"
	isoRegions = "SE LT CN JP KR TW HU MN IR"
	dotLangs   = "de pl cs sk ru uk fi nb nn no da tr ro bg hr sr sl et lv is be kk"
	isoLangs   = "sv lt zh ja ko hu mn"
)

// DateStyleFor picks the style of a locale such as "de_DE.UTF-8", "en-US"
// or "sv"; ok is false when the locale says nothing ("", "C", "POSIX").
func DateStyleFor(locale string) (style DateStyle, ok bool) {
	loc := locale
	if i := strings.IndexAny(loc, ".@"); i >= 0 {
		loc = loc[:i]
	}
	if loc == "" || loc == "C" || loc == "POSIX" {
		return "", false
	}
	lang, region, _ := strings.Cut(strings.ReplaceAll(loc, "-", "_"), "_")
	lang, region = strings.ToLower(lang), strings.ToUpper(region)
	if len(region) > 2 { // zh_Hant_TW
		if i := strings.LastIndex(region, "_"); i >= 0 {
			region = region[i+1:]
		}
	}
	has := func(list, word string) bool { return word != "" && strings.Contains(" "+list+" ", " "+word+" ") }
	switch {
	case has(mdyRegions, region):
		return DateMDY, true
	case has(isoRegions, region):
		return DateISO, true
	case has(dotRegions, region):
		return DateDMY, true
	case region == "" && has(isoLangs, lang):
		return DateISO, true
	case region == "" && has(dotLangs, lang):
		return DateDMY, true
	}
	return DateLong, true
}

// SystemDateStyle picks the style from LC_ALL, LC_TIME and LANG, in the
// order the C library reads them, and then from fallback (the windowing
// system's locale), else DateLong.
func SystemDateStyle(getenv func(string) string, fallback string) DateStyle {
	for _, v := range []string{getenv("LC_ALL"), getenv("LC_TIME"), getenv("LANG"), fallback} {
		if st, ok := DateStyleFor(v); ok {
			return st
		}
	}
	return DateLong
}

// Example is the style's way of writing 3 December 2026, for Settings.
func (s DateStyle) Example() string { return s.Date(time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)) }

// Hint says how to type a date in this style.
func (s DateStyle) Hint() string {
	switch s {
	case DateDMY:
		return "D.M.YYYY"
	case DateMDY:
		return "M/D/YYYY"
	case DateISO:
		return "YYYY-MM-DD"
	}
	return "D Month YYYY"
}

// Date writes a calendar day: 3.12.2026, 12/3/2026, 2026-12-03 or
// 3 December 2026.
func (s DateStyle) Date(t time.Time) string {
	y, m, d := t.Date()
	switch s {
	case DateDMY:
		return fmt.Sprintf("%d.%d.%d", d, m, y)
	case DateMDY:
		return fmt.Sprintf("%d/%d/%d", m, d, y)
	case DateISO:
		return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	}
	return fmt.Sprintf("%d %s %d", d, m, y)
}

// DayMonth writes a day of the year without its year (a birthday): 3.12.,
// 12/3, 12-03 or 3 December.
func (s DateStyle) DayMonth(m time.Month, d int) string {
	switch s {
	case DateDMY:
		return fmt.Sprintf("%d.%d.", d, m)
	case DateMDY:
		return fmt.Sprintf("%d/%d", m, d)
	case DateISO:
		return fmt.Sprintf("%02d-%02d", m, d)
	}
	return fmt.Sprintf("%d %s", d, m)
}

// Clock writes a time of day: 14:00, or 2:00 PM in the month-first style.
func (s DateStyle) Clock(t time.Time) string {
	if s == DateMDY {
		return t.Format("3:04 PM")
	}
	return t.Format("15:04")
}

// DateTime writes a moment with its weekday: "Thu 3.12.2026, 14:00".
func (s DateStyle) DateTime(t time.Time) string {
	return t.Format("Mon") + " " + s.Date(t) + ", " + s.Clock(t)
}

// Weekday writes a day with its weekday in full: "Thursday 3.12.2026".
func (s DateStyle) Weekday(t time.Time) string { return t.Weekday().String() + " " + s.Date(t) }

// ParseDate reads a day as the owner types it: ISO 2026-12-03 always,
// 3.12.2026 day first, 12/3/2026 as the style says (month first only in the
// month-first style), and 3 December 2026 or 3 Dec 2026.
func (s DateStyle) ParseDate(text string, loc *time.Location) (time.Time, error) {
	text = strings.TrimSpace(text)
	bad := fmt.Errorf("%q is not a date; write it as %s", text, s.Hint())
	var y, m, d int
	var err error
	switch {
	case strings.Count(text, "-") == 2:
		y, m, d, err = numbers(text, "-")
	case strings.Count(text, ".") >= 2:
		d, m, y, err = numbers(strings.TrimSuffix(text, "."), ".")
	case strings.Count(text, "/") == 2:
		if s == DateMDY {
			m, d, y, err = numbers(text, "/")
		} else {
			d, m, y, err = numbers(text, "/")
		}
	default:
		f := strings.Fields(strings.ReplaceAll(text, ",", " "))
		if len(f) != 3 {
			return time.Time{}, bad
		}
		if d, err = strconv.Atoi(strings.TrimSuffix(f[0], ".")); err != nil {
			return time.Time{}, bad
		}
		if m = monthNamed(f[1]); m == 0 {
			return time.Time{}, bad
		}
		y, err = strconv.Atoi(f[2])
	}
	if err != nil || y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return time.Time{}, bad
	}
	return time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc), nil
}

func numbers(text, sep string) (a, b, c int, err error) {
	parts := strings.Split(text, sep)
	if len(parts) != 3 {
		return 0, 0, 0, errors.New("want three numbers")
	}
	var n [3]int
	for i, p := range parts {
		if n[i], err = strconv.Atoi(strings.TrimSpace(p)); err != nil {
			return 0, 0, 0, err
		}
	}
	return n[0], n[1], n[2], nil
}

func monthNamed(word string) int {
	word = strings.ToLower(strings.TrimSuffix(word, "."))
	if len(word) < 3 {
		return 0
	}
	for m := time.January; m <= time.December; m++ {
		if strings.HasPrefix(strings.ToLower(m.String()), word) {
			return int(m)
		}
	}
	return 0
}

// ParseClock reads a time of day: 14:00, 14.00, 9, 2:30 PM, 2pm.
func ParseClock(text string) (hour, minute int, err error) {
	t := strings.ToLower(strings.ReplaceAll(strings.TrimSpace(text), " ", ""))
	bad := fmt.Errorf("%q is not a time; write it as 14:30 or 2:30 PM", text)
	pm, am := strings.HasSuffix(t, "pm"), strings.HasSuffix(t, "am")
	t = strings.TrimSuffix(strings.TrimSuffix(t, "pm"), "am")
	h, mm, found := strings.Cut(strings.ReplaceAll(t, ".", ":"), ":")
	if hour, err = strconv.Atoi(h); err != nil {
		return 0, 0, bad
	}
	if found {
		if len(mm) != 2 {
			return 0, 0, bad
		}
		if minute, err = strconv.Atoi(mm); err != nil {
			return 0, 0, bad
		}
	}
	if pm || am {
		if hour < 1 || hour > 12 {
			return 0, 0, bad
		}
		hour %= 12
		if pm {
			hour += 12
		}
	}
	if hour < 0 || hour > 23 || minute < 0 || minute > 59 {
		return 0, 0, bad
	}
	return hour, minute, nil
}

// ParseDateTime reads a day and a time of day typed in two fields.
func (s DateStyle) ParseDateTime(date, clock string, loc *time.Location) (time.Time, error) {
	d, err := s.ParseDate(date, loc)
	if err != nil {
		return time.Time{}, err
	}
	h, m, err := ParseClock(clock)
	if err != nil {
		return time.Time{}, err
	}
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, loc), nil
}

// Partial writes a yearly date whose year may be unknown.
func (s DateStyle) Partial(d PartialDate) string {
	if d.Year == 0 {
		return s.DayMonth(d.Month, d.Day)
	}
	return s.Date(time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC))
}
