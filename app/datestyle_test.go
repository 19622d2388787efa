package app

import (
	"testing"
	"time"
)

func TestDateStyleFromLocale(t *testing.T) {
	tests := []struct {
		env      map[string]string
		fallback string
		want     DateStyle
	}{
		{map[string]string{"LANG": "de_DE.UTF-8"}, "", DateDMY},
		{map[string]string{"LANG": "en_US.UTF-8"}, "", DateMDY},
		{map[string]string{"LANG": "en_US.UTF-8", "LC_TIME": "sv_SE.UTF-8"}, "", DateISO},
		{map[string]string{"LC_ALL": "en_GB.UTF-8", "LC_TIME": "de_DE"}, "", DateLong},
		{map[string]string{"LANG": "C.UTF-8"}, "de-AT", DateDMY},
		{map[string]string{}, "en-US", DateMDY},
		{map[string]string{}, "", DateLong},
		{map[string]string{"LANG": "pl"}, "", DateDMY},
	}
	for _, tt := range tests {
		if got := SystemDateStyle(func(k string) string { return tt.env[k] }, tt.fallback); got != tt.want {
			t.Errorf("%v / %q: %s, want %s", tt.env, tt.fallback, got, tt.want)
		}
	}
}

func TestDateStylesWriteAndRead(t *testing.T) {
	day := time.Date(2026, 12, 3, 14, 5, 0, 0, time.UTC)
	want := map[DateStyle][2]string{
		DateDMY:  {"3.12.2026", "Thu 3.12.2026, 14:05"},
		DateMDY:  {"12/3/2026", "Thu 12/3/2026, 2:05 PM"},
		DateISO:  {"2026-12-03", "Thu 2026-12-03, 14:05"},
		DateLong: {"3 December 2026", "Thu 3 December 2026, 14:05"},
	}
	for _, st := range DateStyles() {
		if got := st.Date(day); got != want[st][0] {
			t.Errorf("%s date %q, want %q", st, got, want[st][0])
		}
		if got := st.DateTime(day); got != want[st][1] {
			t.Errorf("%s date-time %q, want %q", st, got, want[st][1])
		}
		back, err := st.ParseDateTime(st.Date(day), st.Clock(day), time.UTC)
		if err != nil || !back.Equal(day) {
			t.Errorf("%s reads its own %q %q as %v %v", st, st.Date(day), st.Clock(day), back, err)
		}
	}
	// The same text read as each style says: 3 December, or 12 March.
	reads := []struct {
		style DateStyle
		text  string
		want  time.Time
	}{
		{DateDMY, "3.12.2026", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
		{DateMDY, "3.12.2026", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
		{DateMDY, "12/3/2026", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
		{DateDMY, "12/3/2026", time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)},
		{DateLong, "12/3/2026", time.Date(2026, 3, 12, 0, 0, 0, 0, time.UTC)},
		{DateMDY, "2026-12-03", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
		{DateDMY, "3 Dec 2026", time.Date(2026, 12, 3, 0, 0, 0, 0, time.UTC)},
	}
	for _, r := range reads {
		got, err := r.style.ParseDate(r.text, time.UTC)
		if err != nil || !got.Equal(r.want) {
			t.Errorf("%s reads %q as %v %v, want %v", r.style, r.text, got, err, r.want)
		}
	}
	for _, bad := range []string{"31.2.2026", "13/13/2026", "tomorrow", "2026-02-30", ""} {
		if _, err := DateDMY.ParseDate(bad, time.UTC); err == nil {
			t.Errorf("%q was read as a date", bad)
		}
	}
	for text, want := range map[string][2]int{"14:30": {14, 30}, "9": {9, 0}, "2:30 PM": {14, 30}, "12am": {0, 0}, "8.15": {8, 15}} {
		h, m, err := ParseClock(text)
		if err != nil || h != want[0] || m != want[1] {
			t.Errorf("clock %q: %d:%d %v", text, h, m, err)
		}
	}
	for _, bad := range []string{"25:00", "13pm", "9:5", "noon"} {
		if _, _, err := ParseClock(bad); err == nil {
			t.Errorf("clock %q accepted", bad)
		}
	}
}
