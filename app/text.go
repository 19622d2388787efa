package app

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// OneLine is how a name or a label is kept: one line of text. Each run of
// control characters (C0 with tab, CR and LF; DEL; C1) and line or
// paragraph separators becomes one space, invalid UTF-8 becomes U+FFFD, and
// the ends are trimmed. A card that puts "\n" or an escape sequence in a
// name or label gives a name that can neither break an export nor a
// terminal.
func OneLine(s string) string {
	if !strings.ContainsFunc(s, breaksLine) && utf8.ValidString(s) {
		return strings.TrimSpace(s)
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	var b strings.Builder
	b.Grow(len(s))
	inRun := false
	for _, r := range s {
		if breaksLine(r) {
			if !inRun {
				b.WriteByte(' ')
			}
			inRun = true
			continue
		}
		inRun = false
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

func breaksLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029'
}

// Printable is stored text as a terminal may show it: every control
// character (ESC, BEL, CR, LF, tab, DEL, C1 such as CSI) and every invalid
// UTF-8 byte becomes U+FFFD, visibly, so that a name can neither move the
// cursor, retitle the window nor fake a line of output.
func Printable(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == utf8.RuneError }) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return utf8.RuneError
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
