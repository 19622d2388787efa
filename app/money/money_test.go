package money

import (
	"errors"
	"testing"
)

func TestParseAmount(t *testing.T) {
	for _, tc := range []struct {
		text     string
		st       Style
		currency string
		want     int64
	}{
		{"12,50", Comma, "EUR", 1250},
		{"12.50", Comma, "EUR", 1250},
		{"1.234,50", Comma, "EUR", 123450},
		{"1.234", Comma, "EUR", 123400},
		{"1.234.567", Comma, "EUR", 123456700},
		{"1 234,5", Comma, "EUR", 123450},
		{"12,50 €", Comma, "EUR", 1250},
		{"€ 12", Comma, "EUR", 1200},
		{"12 EUR", Comma, "EUR", 1200},
		{"1,234.50", Point, "EUR", 123450},
		{"1,234", Point, "USD", 123400},
		{"12.5", Point, "USD", 1250},
		{"$0.05", Point, "USD", 5},
		{".5", Point, "USD", 50},
		{"12.", Point, "USD", 1200},
		{"12,50", Point, "USD", 1250},
		{"CHF 1'234.50", Point, "CHF", 123450},
		{"1,234", Point, "JPY", 1234},
		{"¥500", Point, "JPY", 500},
		{"1.234", Comma, "JPY", 1234},
		{"12,345", Comma, "KWD", 12345},
		{"0", Comma, "EUR", 0},
		{"10000000000", Point, "EUR", Max},
		{"007", Point, "EUR", 700},
	} {
		got, err := Parse(tc.text, tc.st, tc.currency)
		if err != nil || got != tc.want {
			t.Errorf("Parse(%q, %v, %s) = %d, %v; want %d", tc.text, tc.st, tc.currency, got, err, tc.want)
		}
	}
}

func TestParseAmountRefuses(t *testing.T) {
	for _, tc := range []struct {
		text string
		st   Style
		want error
	}{
		{"", Comma, ErrNotValid},
		{"abc", Comma, ErrNotValid},
		{"-5", Comma, ErrNegative},
		{"−5,00", Comma, ErrNegative},
		{"1,234", Comma, ErrNotValid}, // three decimals of a euro
		{"12.345", Point, ErrNotValid},
		{"1.2.3", Comma, ErrNotValid}, // groups of one digit
		{"12.34,5.6", Comma, ErrNotValid},
		{"1,23,456.00", Point, ErrNotValid},
		{"1e5", Point, ErrNotValid},
		{"0x10", Point, ErrNotValid},
		{".", Point, ErrNotValid},
		{"10000000000.01", Point, ErrTooLarge},
		{"99999999999999999999999", Point, ErrTooLarge},
	} {
		got, err := Parse(tc.text, tc.st, "EUR")
		if !errors.Is(err, tc.want) {
			t.Errorf("Parse(%q) = %d, %v; want %v", tc.text, got, err, tc.want)
		}
	}
}

func TestFormatAmount(t *testing.T) {
	for _, tc := range []struct {
		minor    int64
		currency string
		st       Style
		want     string
	}{
		{123450, "EUR", Comma, "1.234,50 €"},
		{123450, "EUR", Point, "€1,234.50"},
		{5, "EUR", Comma, "0,05 €"},
		{0, "USD", Point, "$0.00"},
		{1250, "CHF", Point, "CHF 12.50"},
		{1250, "SEK", Comma, "12,50 SEK"},
		{1234567, "JPY", Point, "¥1,234,567"},
		{12345, "KWD", Point, "KWD 12.345"},
		{Max, "EUR", Comma, "10.000.000.000,00 €"},
	} {
		if got := Format(tc.minor, tc.currency, tc.st); got != tc.want {
			t.Errorf("Format(%d, %s, %v) = %q; want %q", tc.minor, tc.currency, tc.st, got, tc.want)
		}
	}
}

func TestLocaleDefaults(t *testing.T) {
	for _, tc := range []struct {
		locale   string
		st       Style
		ok       bool
		currency string
	}{
		{"de_DE.UTF-8", Comma, true, "EUR"},
		{"de_CH.UTF-8", Point, true, "CHF"},
		{"en_US.UTF-8", Point, true, "USD"},
		{"en-GB", Point, true, "GBP"},
		{"fr_FR", Comma, true, "EUR"},
		{"sv_SE.UTF-8", Comma, true, "SEK"},
		{"C", Point, false, "EUR"},
		{"", Point, false, "EUR"},
	} {
		st, ok := StyleFor(tc.locale)
		if st != tc.st || ok != tc.ok {
			t.Errorf("StyleFor(%q) = %v, %v; want %v, %v", tc.locale, st, ok, tc.st, tc.ok)
		}
		if got := CurrencyFor(tc.locale); got != tc.currency {
			t.Errorf("CurrencyFor(%q) = %s; want %s", tc.locale, got, tc.currency)
		}
	}
	if ValidCurrency("eur") || ValidCurrency("EURO") || !ValidCurrency("EUR") {
		t.Error("ValidCurrency: want only three capital letters")
	}
}

// FuzzParseAmount: Parse never panics, accepts only amounts from 0 to Max,
// and what it accepts, formatted in either style, reads back the same.
func FuzzParseAmount(f *testing.F) {
	for _, s := range []string{"12,50", "12.50", "1.234,50", "1,234.50", "€ 1 234,5", "-1", "1e9", "", ".", "1..2",
		"99999999999999999999", "¥1,234", "CHF 1'234.50", "0,05", "1.2.3", "\xff"} {
		f.Add(s, uint8(0), "EUR")
		f.Add(s, uint8(1), "JPY")
	}
	f.Add("12,345", uint8(1), "KWD")
	f.Fuzz(func(t *testing.T, text string, style uint8, currency string) {
		st := Style(style % 2)
		n, err := Parse(text, st, currency)
		if err != nil {
			return
		}
		if n < 0 || n > Max {
			t.Fatalf("Parse(%q) = %d, out of range", text, n)
		}
		for _, out := range []Style{Point, Comma} {
			shown := Format(n, currency, out)
			back, err := Parse(shown, out, currency)
			if err != nil || back != n {
				t.Fatalf("Parse(%q) = %d; formatted %q reads back %d, %v", text, n, shown, back, err)
			}
		}
	})
}
