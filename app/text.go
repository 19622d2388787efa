package app

import (
	"fmt"
	"io"
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

// JSONControlsEscaped writes JSON to w with DEL and the C1 controls (U+0080
// to U+009F) escaped as \u007f…\u009f, as encoding/json escapes only those
// below U+0020: a terminal would act on a raw CSI (U+009B). JSON holds them
// only inside strings, so the output means the same. flush writes out a
// character cut between two writes.
func JSONControlsEscaped(w io.Writer) (out io.Writer, flush func() error) {
	e := &jsonControls{w: w}
	return e, e.flush
}

type jsonControls struct {
	w    io.Writer
	held []byte // a 0xC2 that may start a C1 character
	buf  []byte
}

func (e *jsonControls) Write(p []byte) (int, error) {
	e.buf = append(e.buf[:0], e.held...)
	e.held = e.held[:0]
	data := p
	if len(e.buf) > 0 {
		data = append(e.buf, p...)
		e.buf = nil
	}
	var out []byte
	for i := 0; i < len(data); i++ {
		switch b := data[i]; {
		case b == 0x7f:
			out = append(out, `\u007f`...)
		case b == 0xc2 && i+1 == len(data):
			e.held = append(e.held, b)
		case b == 0xc2 && data[i+1] >= 0x80 && data[i+1] <= 0x9f:
			out = fmt.Appendf(out, `\u%04x`, data[i+1])
			i++
		default:
			out = append(out, b)
		}
	}
	if _, err := e.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

func (e *jsonControls) flush() error {
	if len(e.held) == 0 {
		return nil
	}
	_, err := e.w.Write(e.held)
	e.held = e.held[:0]
	return err
}

// joinNonEmpty joins the parts that are not blank, trimmed.
func joinNonEmpty(sep string, parts ...string) string {
	var keep []string
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			keep = append(keep, p)
		}
	}
	return strings.Join(keep, sep)
}
