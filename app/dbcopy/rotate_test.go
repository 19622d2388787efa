package dbcopy

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestKeepDailyAtTheBoundaries(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, berlin)
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, berlin) }
	for _, tc := range []struct {
		name   string
		stamps []time.Time
		keep   []bool
	}{
		{"nothing", nil, []bool{}},
		{"one, long ago, is the newest of all",
			[]time.Time{at(2020, 1, 1, 12, 0)}, []bool{true}},
		{"day 14 kept, day 15 only as its month's newest",
			[]time.Time{at(2026, 11, 10, 8, 0), at(2026, 11, 9, 23, 59), at(2026, 11, 9, 8, 0), now},
			// 10 Nov is the 14th day back (23..10); 9 Nov is out, but 23:59 on
			// 9 Nov is not November's newest either: today's is.
			[]bool{true, false, false, true}},
		{"two on one day: the later stays",
			[]time.Time{at(2026, 11, 20, 8, 0), at(2026, 11, 20, 17, 0), now},
			[]bool{false, true, true}},
		{"equal times: the later in the list stays",
			[]time.Time{at(2026, 11, 20, 8, 0), at(2026, 11, 20, 8, 0)},
			[]bool{false, true}},
		{"the newest of each earlier month",
			[]time.Time{at(2026, 10, 1, 9, 0), at(2026, 10, 31, 18, 0), at(2026, 9, 15, 9, 0), now},
			[]bool{false, true, true, true}},
		{"month 12 kept, month 13 gone",
			[]time.Time{at(2025, 12, 31, 23, 0), at(2025, 11, 30, 23, 0), now},
			[]bool{true, false, true}},
		{"days by the local calendar: 23:30 UTC on 9 Nov is 10 Nov in Berlin",
			[]time.Time{time.Date(2026, 11, 9, 23, 30, 0, 0, time.UTC), at(2026, 11, 10, 12, 0), now},
			[]bool{false, true, true}},
		{"after now (the clock was set back): kept",
			[]time.Time{now.Add(time.Hour), now},
			[]bool{true, true}},
		{"a daily backup every day for two years: 14 days plus 11 earlier months",
			everyDay(at(2024, 11, 24, 9, 0), now), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := keepDaily(tc.stamps, now)
			if tc.keep == nil {
				kept := 0
				for i, k := range got {
					if k {
						kept++
						if tc.stamps[i].Before(at(2025, 12, 1, 0, 0)) {
							t.Errorf("kept %v, older than 12 months", tc.stamps[i])
						}
					}
				}
				if kept != 14+11 {
					t.Errorf("kept %d, want 25", kept)
				}
				return
			}
			if fmt.Sprint(got) != fmt.Sprint(tc.keep) {
				t.Errorf("keepDaily = %v, want %v", got, tc.keep)
			}
		})
	}
}

func everyDay(from, to time.Time) []time.Time {
	var out []time.Time
	for t := from; !t.After(to); t = t.AddDate(0, 0, 1) {
		out = append(out, t)
	}
	return out
}

func TestKeepBackupsKeepsOtherKindsForAYear(t *testing.T) {
	now := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	files := []File{
		{Path: "a", Kind: Daily, Time: now.AddDate(0, 0, -1)},
		{Path: "b", Kind: Daily, Time: now.AddDate(0, 0, -1).Add(-time.Hour)}, // same day, older
		{Path: "c", Kind: "before-v4", Time: now.AddDate(0, 0, -1).Add(-2 * time.Hour)},
		{Path: "d", Kind: Manual, Time: time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)},
		{Path: "e", Kind: BeforeRestore, Time: time.Date(2025, 11, 30, 23, 59, 0, 0, time.UTC)},
		{Path: "f", Kind: "before-v2", Time: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	keep, drop := Keep(files, now)
	paths := func(bs []File) string {
		var p []string
		for _, b := range bs {
			p = append(p, b.Path)
		}
		return strings.Join(p, " ")
	}
	if paths(keep) != "a c d" || paths(drop) != "b e f" {
		t.Errorf("keep %q drop %q, want keep \"a c d\" drop \"b e f\"", paths(keep), paths(drop))
	}
}
