package vcf

import (
	"bufio"
	"encoding/base64"
	"io"
	"sort"
	"strings"
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

// FormatLine builds one unfolded content line. Parameter names are written
// in a stable order; values with , ; or : are quoted.
func FormatLine(group, name string, params map[string][]string, value string) string {
	var b strings.Builder
	if group != "" {
		b.WriteString(group + ".")
	}
	b.WriteString(name)
	keys := make([]string, 0, len(params))
	for k := range params {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		vals := params[k]
		if len(vals) == 0 {
			continue
		}
		b.WriteString(";" + k + "=")
		for i, v := range vals {
			if i > 0 {
				b.WriteByte(',')
			}
			v = strings.ReplaceAll(v, `"`, "'")
			if strings.ContainsAny(v, ",;:") {
				v = `"` + v + `"`
			}
			b.WriteString(v)
		}
	}
	b.WriteByte(':')
	b.WriteString(value)
	return b.String()
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
	value = strings.ReplaceAll(strings.ReplaceAll(value, "\r\n", `\n`), "\n", `\n`)
	return FormatLine(p.Group, p.Name, params, value)
}
