package vcardmap

import "testing"

func TestParseVCardDateForms(t *testing.T) {
	for _, tc := range []struct {
		in, omitYear string
		want         string
		ok           bool
	}{
		{"1984-02-03", "", "1984-02-03", true},
		{"19840203", "", "1984-02-03", true},
		{" 1984-02-03T00:00:00Z ", "", "1984-02-03", true},
		{"--0203", "", "--02-03", true},
		{"--02-29", "", "--02-29", true},
		{"1604-02-03", "", "--02-03", true},
		{"1900-05-06", "1900", "--05-06", true},
		{"1984-02-30", "", "", false},
		{"2023-02-29", "", "", false},
		{"1984-0203", "", "", false},
		{"---03", "", "", false},
		{"03.02.1984", "", "", false},
		{"", "", "", false},
	} {
		d, ok := parseVCardDate(tc.in, tc.omitYear)
		if got := dateText(d); ok != tc.ok || (ok && got != tc.want) {
			t.Errorf("parseVCardDate(%q, %q) = %+v, %v; want %q, %v", tc.in, tc.omitYear, d, ok, tc.want, tc.ok)
		}
	}
}
