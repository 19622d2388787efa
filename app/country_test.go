package app

import "testing"

func TestDomesticCountryInAnyCommonSpelling(t *testing.T) {
	for _, tc := range []struct {
		home, country string
		want          bool
	}{
		{"DE", "Germany", true},
		{"DE", "Deutschland", true},
		{"DE", "deutschland", true},
		{"Deutschland", "DE", true},
		{"DE", "DEU", true},
		{"DE", "Allemagne", true},
		{"de", "Niemcy", true},
		{"DE", "Austria", false},
		{"DE", "Österreich", false},
		{"AT", "Österreich", true},
		{"AT", "Osterreich", true},
		{"Austria", "AT", true},
		{"US", "U.S.A.", true},
		{"US", "United States", true},
		{"US", "United States of America", true},
		{"GB", "UK", true},
		{"GB", "United Kingdom", true},
		{"United Kingdom", "England", true},
		{"NL", "The Netherlands", true},
		{"NL", "Nederland", true},
		{"PL", "Polska", true},
		{"PL", "Poland", true},
		{"CH", "Schweiz", true},
		{"CH", "Suisse", true},
		{"FR", "France", true},
		{"FR", "Germany", false},
		{"", "Germany", false},
		{"DE", "", false},
		{"Narnia", "Narnia", false},
	} {
		if got := domesticTo(tc.home)(tc.country); got != tc.want {
			t.Errorf("home %q, address in %q: domestic %v, want %v", tc.home, tc.country, got, tc.want)
		}
	}
	for text, want := range map[string]string{"Germany": "DE", "deutschland": "DE", "DEU": "DE", "uk": "GB", "Polska": "PL", "Allemagne": "DE"} {
		if r, ok := ParseCountry(text); !ok || r.String() != want {
			t.Errorf("ParseCountry(%q) = %v %v, want %s", text, r, ok, want)
		}
	}
	for _, bad := range []string{"", "Narnia", "XX", "123"} {
		if r, ok := ParseCountry(bad); ok {
			t.Errorf("ParseCountry(%q) = %v", bad, r)
		}
	}
}
