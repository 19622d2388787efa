package vcf

import (
	"bufio"
	"encoding/base64"
	"errors"
	"io"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Writer writes vCard 3.0, the version iOS and Google Contacts read: UTF-8,
// CR LF line endings, lines folded at 75 octets.
type Writer struct {
	w   *bufio.Writer
	err error
}

// NewWriter writes cards to w; call Flush at the end.
func NewWriter(w io.Writer) *Writer { return &Writer{w: bufio.NewWriter(w)} }

// Begin starts a card.
func (w *Writer) Begin() {
	w.Line("BEGIN:VCARD")
	w.Line("VERSION:3.0")
}

// End ends a card.
func (w *Writer) End() { w.Line("END:VCARD") }

// Prop writes a property whose value is already escaped (see Escape).
func (w *Writer) Prop(group, name string, params map[string][]string, value string) {
	w.Line(FormatLine(group, name, params, value))
}

// Line writes one unfolded content line, folding it at 75 octets without
// splitting a character.
func (w *Writer) Line(line string) {
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		w.write(line[:cut] + "\r\n ")
		line = line[cut:]
		limit = 74 // the continuation's leading space counts
	}
	w.write(line + "\r\n")
}

func (w *Writer) write(s string) {
	if w.err == nil {
		_, w.err = w.w.WriteString(s)
	}
}

// Flush writes out what is buffered and returns the first error.
func (w *Writer) Flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}

// FormatLine builds one unfolded content line that nothing in it can turn
// into two: group, name and parameter names keep only the characters their
// grammar allows (letters, digits, "-"; "_" too, as real files use it),
// parameter values are RFC 6868-escaped (^^, ^n, ^') with other control
// characters dropped and are quoted when they hold , ; or :, and a line
// break left in the value becomes \n (see SafeValue). Parameter names are
// written in a stable order.
func FormatLine(group, name string, params map[string][]string, value string) string {
	var b strings.Builder
	if group = token(group); group != "" {
		b.WriteString(group + ".")
	}
	if name = token(name); name == "" {
		name = "X-UNNAMED"
	}
	b.WriteString(name)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vals := params[k]
		key := token(k)
		if len(vals) == 0 || key == "" {
			continue
		}
		b.WriteString(";" + key + "=")
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(paramValue(v))
		}
	}
	b.WriteByte(':')
	b.WriteString(SafeValue(value))
	return b.String()
}

// Token is a group, property or parameter name as FormatLine writes it:
// only the characters the grammar allows.
func Token(s string) string { return token(s) }

// token keeps the characters a group, property or parameter name may hold.
func token(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-' || r == '_' {
			return r
		}
		return -1
	}, s)
}

// paramValue writes a parameter value: RFC 6868 escapes for ^, line breaks
// and double quotes (which a parameter value cannot otherwise hold), other
// control characters dropped, quoted where , ; or : would end it.
func paramValue(v string) string {
	v = strings.ToValidUTF8(v, "\uFFFD")
	var b strings.Builder
	for i := 0; i < len(v); {
		r, size := utf8.DecodeRuneInString(v[i:])
		switch {
		case r == '^':
			b.WriteString("^^")
		case r == '"':
			b.WriteString("^'")
		case r == '\r' && strings.HasPrefix(v[i+size:], "\n"):
			// CR LF is one line break
		case r == '\r' || r == '\n':
			b.WriteString("^n")
		case unicode.IsControl(r) && r != '\t':
		default:
			b.WriteString(v[i : i+size])
		}
		i += size
	}
	if s := b.String(); strings.ContainsAny(s, ",;:") {
		return `"` + s + `"`
	}
	return b.String()
}

// SafeValue makes an escaped value safe to write on one line whatever it
// holds: a line break (CR LF, CR or LF) left unescaped becomes \n, other
// control characters (C0 but tab, DEL, C1) are dropped, and invalid UTF-8
// becomes U+FFFD.
func SafeValue(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsControl(r) && r != '\t' || r == utf8.RuneError }) {
		return s
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	s = strings.NewReplacer("\r\n", `\n`, "\r", `\n`, "\n", `\n`).Replace(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) && r != '\t' {
			return -1
		}
		return r
	}, s)
}

// Escape escapes text for a vCard 3.0 value.
func Escape(s string) string {
	r := strings.NewReplacer(`\`, `\\`, "\r\n", `\n`, "\n", `\n`, "\r", `\n`, ",", `\,`, ";", `\;`)
	return r.Replace(s)
}

// Structured joins escaped components with ';' (N, ADR, ORG).
func Structured(parts ...string) string {
	for i := range parts {
		parts[i] = Escape(parts[i])
	}
	return strings.Join(parts, ";")
}

// EncodeLine gives a read property back as a vCard 3.0 line: its text is
// UTF-8 now, so CHARSET and quoted-printable go; binary data is base64.
func EncodeLine(p Property) string {
	params := map[string][]string{}
	for k, v := range p.Params {
		switch k {
		case "CHARSET", "ENCODING":
		default:
			params[k] = v
		}
	}
	value := p.Value
	if len(p.Data) > 0 {
		params["ENCODING"] = []string{"b"}
		value = base64.StdEncoding.EncodeToString(p.Data)
	}
	return FormatLine(p.Group, p.Name, params, value) // a decoded line break becomes \n
}

// ParseLine reads back one unfolded line written by FormatLine (a line kept
// from an imported card), its value as it stands, still escaped.
func ParseLine(line string) (Property, error) {
	p, problem := parseProperty([]byte(line), 0)
	if problem != "" {
		return Property{}, errors.New(problem)
	}
	p.Value = string(p.raw)
	return p, nil
}
