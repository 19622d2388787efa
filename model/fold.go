package model

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// Fold turns text into the form search and sorting compare: lower case,
// accents removed, and the letters that carry no combining accent (ł, ø, æ,
// ß…) spelled out, so "Łukasz Müller" and "lukasz muller" fold alike. FTS5's
// remove_diacritics folds the first kind but not the second.
func Fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		if rep, ok := foldSpecial(r); ok {
			b.WriteString(rep)
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// foldSpecial spells out the letters NFD does not decompose.
func foldSpecial(r rune) (string, bool) {
	switch r {
	case 'ł', 'Ł':
		return "l", true
	case 'ø', 'Ø':
		return "o", true
	case 'æ', 'Æ':
		return "ae", true
	case 'œ', 'Œ':
		return "oe", true
	case 'ß', 'ẞ':
		return "ss", true
	case 'đ', 'Đ', 'ð', 'Ð':
		return "d", true
	case 'þ', 'Þ':
		return "th", true
	case 'ı':
		return "i", true
	case 'ħ', 'Ħ':
		return "h", true
	}
	return "", false
}

// searchTerms splits a typed query into folded words, dropping everything FTS5
// would read as syntax.
func searchTerms(query string) []string {
	return strings.FieldsFunc(Fold(query), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	})
}

// matchExpression builds an FTS5 query in which every word must match as a
// prefix: "mul jo" finds "Jörg Müller".
func matchExpression(query string) string {
	terms := searchTerms(query)
	for i, t := range terms {
		terms[i] = `"` + t + `"*`
	}
	return strings.Join(terms, " ")
}
