package app

import (
	"strings"
	"unicode"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// countryLanguages are the languages whose names of a country are read:
// an address book holds "Germany", "Deutschland", "Allemagne", "Niemcy"…
func countryLanguages() []language.Tag {
	return []language.Tag{
		language.English, language.German, language.French, language.Spanish, language.Italian,
		language.Dutch, language.Portuguese, language.Polish, language.Swedish, language.Danish,
		language.Norwegian, language.Finnish, language.Czech, language.Hungarian, language.Greek,
		language.Russian, language.Ukrainian, language.Turkish, language.Romanian, language.Croatian,
		language.Japanese, language.Chinese, language.Korean,
	}
}

// countryAliases are the common names CLDR does not give.
func countryAliases() map[string]string {
	return map[string]string{
		"usa": "US", "u s a": "US", "u s": "US", "united states of america": "US", "america": "US",
		"uk": "GB", "u k": "GB", "great britain": "GB", "britain": "GB", "england": "GB", "scotland": "GB",
		"wales": "GB", "northern ireland": "GB", "brd": "DE", "holland": "NL",
		"czechia": "CZ", "czech republic": "CZ", "russian federation": "RU", "korea": "KR", "south korea": "KR",
	}
}

// foldCountry is a country as typed, compared loosely: lower case, no
// accents, dots or extra spaces, no leading "the".
func foldCountry(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	folded = strings.Map(func(r rune) rune {
		if r == '.' || r == ',' || r == '-' {
			return ' '
		}
		return unicode.ToLower(r)
	}, folded)
	folded = strings.Join(strings.Fields(folded), " ")
	return strings.TrimPrefix(folded, "the ")
}

// countryNames are the folded names and codes of a region: its ISO codes,
// its names in countryLanguages and in its own languages, and the aliases.
func countryNames(r language.Region) map[string]bool {
	names := map[string]bool{foldCountry(r.String()): true, foldCountry(r.ISO3()): true}
	for _, tag := range countryLanguages() {
		names[foldCountry(regionName(tag, r))] = true
	}
	// Its own name in its main language: "Polska", "Österreich", "Schweiz".
	if tag, err := language.Compose(language.Und, r); err == nil {
		if base, conf := tag.Base(); conf != language.No {
			if self, err := language.Compose(base, r); err == nil {
				names[foldCountry(regionName(self, r))] = true
			}
		}
	}
	delete(names, "")
	for alias, code := range countryAliases() {
		if code == r.String() {
			names[alias] = true
		}
	}
	return names
}

// regionName is r's name in the language of tag, "" when CLDR has none.
func regionName(tag language.Tag, r language.Region) string {
	namer := display.Regions(tag)
	if namer == nil {
		return ""
	}
	return namer.Name(r)
}

// ParseCountry reads a country as an address or the owner writes it: an
// ISO code (DE, DEU) or its name in a common language (Germany,
// Deutschland, Allemagne). ok is false when it is none of these.
func ParseCountry(text string) (region language.Region, ok bool) {
	f := foldCountry(text)
	if f == "" {
		return language.Region{}, false
	}
	if code, ok := countryAliases()[f]; ok {
		r, err := language.ParseRegion(code)
		return r, err == nil
	}
	if len(f) == 2 || len(f) == 3 {
		if r, err := language.ParseRegion(f); err == nil && r.IsCountry() {
			return r.Canonicalize(), true
		}
	}
	// By name: English first, where most addresses are found at once.
	var countries []language.Region
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			// DD (East Germany) and other former codes would answer for
			// today's countries.
			if err == nil && r.IsCountry() && r.Canonicalize() == r {
				countries = append(countries, r)
			}
		}
	}
	for _, tag := range countryLanguages() {
		for _, r := range countries {
			if foldCountry(regionName(tag, r)) == f {
				return r, true
			}
		}
	}
	for _, r := range countries {
		if countryNames(r)[f] {
			return r, true
		}
	}
	return language.Region{}, false
}

// domestic tells whether addresses are in the home country, by any of its
// names or codes; "" for home says nothing is.
type domestic func(country string) bool

func domesticTo(home string) domestic {
	r, ok := ParseCountry(home)
	if !ok {
		return func(string) bool { return false }
	}
	names := countryNames(r)
	return func(country string) bool { return names[foldCountry(country)] }
}
