package dbcopy

import (
	"slices"
	"time"
)

// How long copies are kept: the newest daily copy of each of the last
// keepDays days and of each of the last KeepMonths months; every other kind
// for KeepMonths months.
const (
	keepDays   = 14
	KeepMonths = 12
)

// MadeToday says whether files hold a daily copy made on now's calendar
// day, as now's location sees it.
func MadeToday(files []File, now time.Time) bool {
	return slices.ContainsFunc(files, func(b File) bool { return b.Kind == Daily && sameDay(b.Time, now) })
}

// sameDay reports whether a and b fall on one calendar day where b is.
func sameDay(a, b time.Time) bool {
	a = a.In(b.Location())
	return a.Year() == b.Year() && a.YearDay() == b.YearDay()
}

// Keep splits copies into those to keep and those to remove as of now.
// Daily copies rotate by keepDaily; every other kind (manual, before a
// restore, before a migration: each made for a reason) is kept whole for the
// last KeepMonths calendar months. A copy dated after now (the clock was
// set back) is kept.
func Keep(backups []File, now time.Time) (keep, drop []File) {
	var daily []time.Time
	var dailyIdx []int
	for i, b := range backups {
		if b.Kind == Daily {
			daily = append(daily, b.Time)
			dailyIdx = append(dailyIdx, i)
		}
	}
	dailyKept := make(map[int]bool, len(daily))
	for j, k := range keepDaily(daily, now) {
		dailyKept[dailyIdx[j]] = k
	}
	first := firstMonth(now)
	for i, b := range backups {
		var k bool
		if b.Kind == Daily {
			k = dailyKept[i]
		} else {
			k = b.Time.After(now) || !b.Time.In(now.Location()).Before(first)
		}
		if k {
			keep = append(keep, b)
		} else {
			drop = append(drop, b)
		}
	}
	return keep, drop
}

// keepDaily picks from the times daily backups were made those to keep as
// of now: the newest of each of the last 14 calendar days (today included)
// and the newest of each of the last 12 calendar months (this month
// included), days as now's location sees them, and always the newest of
// all. Times after now are kept. keep[i] answers for stamps[i]; of two
// equal times the later in the list counts as the newer.
func keepDaily(stamps []time.Time, now time.Time) []bool {
	loc := now.Location()
	y, m, d := now.Date()
	firstDay := time.Date(y, m, d-(keepDays-1), 0, 0, 0, 0, loc)
	first := firstMonth(now)
	keep := make([]bool, len(stamps))
	newestOfDay := map[time.Time]int{}
	newestOfMonth := map[time.Time]int{}
	newest := -1
	newer := func(i, j int) bool { return !stamps[i].Before(stamps[j]) } // i at least as new as j, i later
	for i, t := range stamps {
		if t.After(now) {
			keep[i] = true
			continue
		}
		if newest < 0 || newer(i, newest) {
			newest = i
		}
		lt := t.In(loc)
		day := time.Date(lt.Year(), lt.Month(), lt.Day(), 0, 0, 0, 0, loc)
		month := time.Date(lt.Year(), lt.Month(), 1, 0, 0, 0, 0, loc)
		if !day.Before(firstDay) {
			if j, ok := newestOfDay[day]; !ok || newer(i, j) {
				newestOfDay[day] = i
			}
		}
		if !month.Before(first) {
			if j, ok := newestOfMonth[month]; !ok || newer(i, j) {
				newestOfMonth[month] = i
			}
		}
	}
	for _, i := range newestOfDay {
		keep[i] = true
	}
	for _, i := range newestOfMonth {
		keep[i] = true
	}
	if newest >= 0 {
		keep[newest] = true
	}
	return keep
}

// firstMonth is the start of the oldest month whose backups are kept.
func firstMonth(now time.Time) time.Time {
	y, m, _ := now.Date()
	return time.Date(y, m-(KeepMonths-1), 1, 0, 0, 0, 0, now.Location())
}
