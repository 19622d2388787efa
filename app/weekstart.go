package app

import (
	"slices"
	"strings"
	"time"
)

// The first day of the week differs by country: Sunday in the United
// States, Canada, Brazil, Japan…, Saturday in much of the Middle East,
// Monday elsewhere (CLDR's firstDay data, by territory).
var (
	sundayFirst   = strings.Fields("AG AS BD BR BS BT BW BZ CA CO DM DO ET GT GU HK HN ID IL IN JM JP KE KH KR LA MH MM MO MT MX MZ NI NP PA PE PH PK PR PT PY SA SG SV TH TT TW UM US VE VI WS YE ZA ZW")
	saturdayFirst = strings.Fields("AE AF BH DJ DZ EG IQ IR JO KW LY OM QA SD SY")
)

// FirstWeekday is the first day of the week where the locale ("en_US.UTF-8",
// "de-DE") says; Monday for a locale that names no country.
func FirstWeekday(locale string) time.Weekday {
	locale, _, _ = strings.Cut(locale, ".")
	locale, _, _ = strings.Cut(locale, "@")
	_, country, ok := strings.Cut(strings.ReplaceAll(locale, "-", "_"), "_")
	if !ok || len(country) != 2 {
		return time.Monday
	}
	country = strings.ToUpper(country)
	switch {
	case slices.Contains(sundayFirst, country):
		return time.Sunday
	case slices.Contains(saturdayFirst, country):
		return time.Saturday
	}
	return time.Monday
}

// SystemFirstWeekday reads the week's first day off the locale variables
// (LC_ALL, LC_TIME, LANG), then the desktop's locale.
func SystemFirstWeekday(getenv func(string) string, fallback string) time.Weekday {
	for _, v := range []string{getenv("LC_ALL"), getenv("LC_TIME"), getenv("LANG"), fallback} {
		if v != "" && v != "C" && v != "POSIX" {
			return FirstWeekday(v)
		}
	}
	return time.Monday
}

// WeekStart is the first day, at midnight in t's location, of the week
// holding t when weeks begin on first.
func WeekStart(t time.Time, first time.Weekday) time.Time {
	d := Day(t)
	return d.AddDate(0, 0, -((int(d.Weekday()) - int(first) + 7) % 7))
}
