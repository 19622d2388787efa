// Package money reads and writes amounts of money as the owner types and
// reads them, exactly: an amount is a whole number of the currency's minor
// units (cents), never a float, so that 0.10 + 0.20 is 0.30.
package money

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Max is the largest amount accepted, in minor units (ten billion euros):
// more is a typing slip, and sums of a year's purchases stay far from
// int64's limit.
const Max int64 = 1_000_000_000_000

// Style is how numbers are written: with a decimal point or a decimal
// comma.
type Style uint8

// The two styles.
const (
	Point Style = iota // 1,234.50 (English, Japanese, Chinese…)
	Comma              // 1.234,50 (German, French, Spanish…)
)

// Decimal is the style's decimal mark.
func (st Style) Decimal() rune {
	if st == Comma {
		return ','
	}
	return '.'
}

// Group is the style's thousands separator.
func (st Style) Group() rune {
	if st == Comma {
		return '.'
	}
	return ','
}

// commaLangs write a decimal comma.
const commaLangs = " de fr es it nl pt ru pl cs sk sv fi nb nn no da tr ro bg hr sr sl et lv lt uk el hu be kk is id vi ca gl eu "

// StyleFor picks the style of a locale such as "de_DE.UTF-8" or "en-US";
// ok is false when the locale says nothing ("", "C", "POSIX").
func StyleFor(locale string) (st Style, ok bool) {
	lang, region := split(locale)
	if lang == "" {
		return Point, false
	}
	// Switzerland and Mexico write a decimal point whatever the language.
	if region == "CH" || region == "MX" || region == "LI" {
		return Point, true
	}
	if strings.Contains(commaLangs, " "+lang+" ") {
		return Comma, true
	}
	return Point, true
}

// split reads the language and region of a POSIX or BCP 47 locale.
func split(locale string) (lang, region string) {
	loc, _, _ := strings.Cut(locale, ".")
	loc, _, _ = strings.Cut(loc, "@")
	if loc == "" || loc == "C" || loc == "POSIX" {
		return "", ""
	}
	lang, region, _ = strings.Cut(strings.ReplaceAll(loc, "-", "_"), "_")
	if i := strings.LastIndex(region, "_"); i >= 0 { // zh_Hant_TW
		region = region[i+1:]
	}
	return strings.ToLower(lang), strings.ToUpper(region)
}

// regionCurrency is the currency of the regions outside the euro area that
// shops using Rapport are likely in; any other region gets EUR.
const regionCurrency = "US:USD GB:GBP CH:CHF LI:CHF JP:JPY CA:CAD AU:AUD NZ:NZD SE:SEK NO:NOK DK:DKK PL:PLN CZ:CZK " +
	"HU:HUF RO:RON BG:BGN IS:ISK TR:TRY IN:INR CN:CNY KR:KRW BR:BRL MX:MXN ZA:ZAR SG:SGD HK:HKD IL:ILS"

// CurrencyFor is the currency of a locale's region ("de_CH.UTF-8": CHF),
// EUR when the region is not known.
func CurrencyFor(locale string) string {
	_, region := split(locale)
	if region != "" {
		if i := strings.Index(regionCurrency, region+":"); i >= 0 && (i == 0 || regionCurrency[i-1] == ' ') {
			return regionCurrency[i+3 : i+6]
		}
	}
	return "EUR"
}

// ValidCurrency reports whether code is written as an ISO 4217 code: three
// capital letters.
func ValidCurrency(code string) bool {
	if len(code) != 3 {
		return false
	}
	for i := 0; i < 3; i++ {
		if code[i] < 'A' || code[i] > 'Z' {
			return false
		}
	}
	return true
}

// Digits is how many minor-unit digits the currency has: 2 for most, 0 for
// yen or krónur, 3 for the Gulf dinars.
func Digits(currency string) int {
	switch currency {
	case "JPY", "KRW", "ISK", "CLP", "VND", "PYG", "UGX", "XAF", "XOF", "HUF":
		// HUF: fillér are not used in shops; amounts are whole forints.
		return 0
	case "BHD", "KWD", "OMR", "JOD", "TND", "IQD", "LYD":
		return 3
	}
	return 2
}

// symbols are the signs written for the commonest currencies.
func symbol(currency string) string {
	switch currency {
	case "EUR":
		return "€"
	case "USD":
		return "$"
	case "GBP":
		return "£"
	case "JPY":
		return "¥"
	}
	return ""
}

// Errors Parse returns, wrapped with the text.
var (
	ErrNegative = errors.New("an amount cannot be negative")
	ErrTooLarge = errors.New("the amount is too large")
	ErrNotValid = errors.New("not an amount")
	ErrCurrency = errors.New("not a currency code of three capital letters")
)

// Parse reads an amount as the owner typed it in their style into minor
// units of currency. Both marks are understood whatever the style, as long
// as the text is not ambiguous: in German "12,50", "12.50" and "1.234,50";
// in English "12.50" and "1,234.50". A single separator followed by exactly
// three digits is the style's thousands separator ("1.234" in German is
// 1234), any other single one a decimal mark. The currency's sign or code
// may stand before or after. More decimals than the currency has are
// refused rather than rounded.
func Parse(text string, st Style, currency string) (int64, error) {
	if !ValidCurrency(currency) {
		return 0, fmt.Errorf("%q: %w", currency, ErrCurrency)
	}
	s := trimCurrency(strings.TrimSpace(text), currency)
	if s == "" {
		return 0, fmt.Errorf("%q: %w", text, ErrNotValid)
	}
	if strings.HasPrefix(s, "-") || strings.HasPrefix(s, "−") {
		return 0, fmt.Errorf("%q: %w", text, ErrNegative)
	}
	// Spaces (plain, no-break, narrow no-break) and apostrophes only ever
	// group thousands.
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\u00a0', '\u202f', '\'', '’':
			return '_'
		}
		return r
	}, s)
	dec := decimalMark(s, st)
	intPart, frac := s, ""
	if dec != 0 {
		i := strings.LastIndexByte(s, dec)
		intPart, frac = s[:i], s[i+1:]
	}
	digits := Digits(currency)
	if len(frac) > digits {
		return 0, fmt.Errorf("%q: %w (at most %d decimals in %s)", text, ErrNotValid, digits, currency)
	}
	if !allDigits(frac) || (intPart == "" && frac == "") {
		return 0, fmt.Errorf("%q: %w", text, ErrNotValid)
	}
	whole, err := groups(intPart, dec)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", text, err)
	}
	frac += strings.Repeat("0", digits-len(frac))
	// Max has 13 digits: longer numbers are refused before they could
	// overflow.
	whole = strings.TrimLeft(whole, "0")
	if len(whole)+digits > 13 {
		return 0, fmt.Errorf("%q: %w", text, ErrTooLarge)
	}
	n, err := strconv.ParseInt("0"+whole+frac, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%q: %w", text, ErrNotValid)
	}
	if n > Max {
		return 0, fmt.Errorf("%q: %w", text, ErrTooLarge)
	}
	return n, nil
}

// decimalMark says which of '.' and ',' is the decimal mark in s, 0 for
// neither.
func decimalMark(s string, st Style) byte {
	dots, commas := strings.Count(s, "."), strings.Count(s, ",")
	switch {
	case dots > 0 && commas > 0:
		// Both: the last one written is the decimal mark.
		if strings.LastIndexByte(s, '.') > strings.LastIndexByte(s, ',') {
			return '.'
		}
		return ','
	case dots+commas == 0:
		return 0
	case dots > 1 || commas > 1:
		return 0 // several: thousands separators
	}
	mark := byte('.')
	if commas == 1 {
		mark = ','
	}
	if rune(mark) == st.Group() && len(s)-strings.IndexByte(s, mark)-1 == 3 && strings.IndexByte(s, mark) > 0 {
		return 0 // "1.234" in German: a thousand and more
	}
	return mark
}

// groups checks the integer part's thousands separators (any of '.', ','
// and '_' other than dec) and returns its digits.
func groups(s string, dec byte) (string, error) {
	var sep rune
	var parts []string
	start := 0
	for i, r := range s {
		if r >= '0' && r <= '9' {
			continue
		}
		switch {
		case r == '_':
		case (r == '.' || r == ',') && byte(r) != dec && (sep == 0 || sep == r):
			sep = r
		default:
			return "", ErrNotValid
		}
		parts = append(parts, s[start:i])
		start = i + utf8.RuneLen(r)
	}
	parts = append(parts, s[start:])
	if len(parts) == 1 {
		return s, nil
	}
	for i, p := range parts {
		if (i == 0 && (p == "" || len(p) > 3)) || (i > 0 && len(p) != 3) {
			return "", ErrNotValid
		}
	}
	return strings.Join(parts, ""), nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// trimCurrency takes the currency's sign or code off either end of s.
func trimCurrency(s, currency string) string {
	for _, mark := range []string{symbol(currency), currency, strings.ToLower(currency)} {
		if mark == "" {
			continue
		}
		if strings.HasPrefix(s, mark) {
			s = strings.TrimSpace(s[len(mark):])
		} else if strings.HasSuffix(s, mark) {
			s = strings.TrimSpace(s[:len(s)-len(mark)])
		}
	}
	return s
}

// Number writes minor units of currency as a number in the style, with
// thousands grouped: 123450 EUR → "1.234,50" (Comma) or "1,234.50" (Point).
func Number(minor int64, currency string, st Style) string {
	neg := minor < 0
	u := uint64(minor)
	if neg {
		u = -u
	}
	digits := Digits(currency)
	s := strconv.FormatUint(u, 10)
	if len(s) <= digits {
		s = strings.Repeat("0", digits-len(s)+1) + s
	}
	whole, frac := s[:len(s)-digits], s[len(s)-digits:]
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	for i, r := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteRune(st.Group())
		}
		b.WriteRune(r)
	}
	if digits > 0 {
		b.WriteRune(st.Decimal())
		b.WriteString(frac)
	}
	return b.String()
}

// Format writes an amount for display: "€1,234.50" in the Point style,
// "1.234,50 €" in the Comma style, the ISO code where there is no common
// sign ("CHF 12.50", "12,50 SEK").
func Format(minor int64, currency string, st Style) string {
	n := Number(minor, currency, st)
	sign := symbol(currency)
	switch {
	case sign == "" && st == Comma:
		return n + " " + currency
	case sign == "":
		return currency + " " + n
	case st == Comma:
		return n + " " + sign
	}
	return sign + n
}
