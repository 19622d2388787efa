package vcf

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/htmlindex"
	"golang.org/x/text/encoding/ianaindex"
)

// Property is one content line of a card.
type Property struct {
	Group  string              // "item1" in item1.EMAIL; "" when none
	Name   string              // upper case: "TEL", "X-ABLABEL"
	Params map[string][]string // keys upper case; bare 2.1 parameters sorted under TYPE, ENCODING, CHARSET, VALUE
	Value  string              // the text value, decoded to UTF-8 but still vCard-escaped (see Text)
	Data   []byte              // the decoded bytes of a base64 value (PHOTO;ENCODING=b)
	Line   int                 // the line it starts on

	raw []byte // the value as read, before any decoding
}

// Param is the first value of a parameter, "" when absent.
func (p Property) Param(name string) string {
	if v := p.Params[name]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// HasType reports whether a TYPE value (case ignored) is set.
func (p Property) HasType(t string) bool {
	for _, v := range p.Params["TYPE"] {
		for _, part := range strings.Split(v, ",") {
			if strings.EqualFold(strings.TrimSpace(part), t) {
				return true
			}
		}
	}
	return false
}

// Text is the value unescaped, with CR LF made LF, trimmed.
func (p Property) Text() string { return strings.TrimSpace(unescape(p.Value)) }

// Components splits a structured value (N, ADR, ORG) at its unescaped
// semicolons and unescapes each part.
func (p Property) Components() []string {
	parts := splitUnescaped(p.Value, ';')
	for i := range parts {
		parts[i] = strings.TrimSpace(unescape(parts[i]))
	}
	return parts
}

// List splits a list value (CATEGORIES, NICKNAME) at unescaped commas.
func (p Property) List() []string {
	var out []string
	for _, part := range splitUnescaped(p.Value, ',') {
		if part = strings.TrimSpace(unescape(part)); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// lineBuilder joins the physical lines of one logical content line.
type lineBuilder struct {
	on        bool
	text      []byte
	n         int
	qp        bool // quoted-printable: a trailing "=" continues the line
	b64       bool // base64: 2.1 continues it on unindented lines
	softBlank bool // blank lines were skipped after a soft break
}

func (lb *lineBuilder) start(l []byte, n int) {
	*lb = lineBuilder{on: true, text: append([]byte(nil), l...), n: n}
	// The encoding is a parameter of its own (ENCODING=… or 2.1's bare
	// word), not any mention of it: a label "QUOTED-PRINTABLE" in a
	// parameter value must not make a value ending in "=" swallow the next
	// line.
	for _, param := range splitQuoted(string(l[:headerEnd(l)]), ';')[1:] {
		param = strings.ToUpper(strings.TrimSpace(param))
		param = strings.Trim(strings.TrimSpace(strings.TrimPrefix(param, "ENCODING=")), `"`)
		switch param {
		case "QUOTED-PRINTABLE":
			lb.qp = true
		case "BASE64", "B":
			lb.b64 = true
		}
	}
}

// headerEnd is the index of the colon that ends name and parameters (the
// first outside double quotes), or len(l).
func headerEnd(l []byte) int {
	quoted := false
	for i, b := range l {
		switch {
		case b == '"':
			quoted = !quoted
		case b == ':' && !quoted:
			return i
		}
	}
	return len(l)
}

// continues reports whether physical line l belongs to the line being built.
func (lb *lineBuilder) continues(l []byte, version string) bool {
	if isBegin(l) || isEnd(l) {
		return false
	}
	if lb.qp && bytes.HasSuffix(lb.text, []byte("=")) {
		if len(bytes.TrimSpace(l)) == 0 {
			return true // skipped, see appendLine
		}
		return !(lb.softBlank && looksLikeProperty(l) && l[0] != '=')
	}
	if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') {
		return true
	}
	if lb.b64 && len(l) > 0 && isBase64(l) {
		return true
	}
	if version == "2.1" && oddBackslashes(lb.text) && !looksLikeProperty(l) && len(l) > 0 {
		return true
	}
	return false
}

func (lb *lineBuilder) appendLine(l []byte) {
	switch {
	case lb.qp && bytes.HasSuffix(lb.text, []byte("=")):
		if len(bytes.TrimSpace(l)) == 0 {
			lb.softBlank = true
			return
		}
		lb.text = append(lb.text[:len(lb.text)-1], l...)
		lb.softBlank = false
	case l[0] == ' ' || l[0] == '\t':
		lb.text = append(lb.text, l[1:]...)
	case lb.b64 && isBase64(l):
		lb.text = append(lb.text, bytes.TrimSpace(l)...)
	default: // a 2.1 value continued after a trailing backslash
		lb.text = append(append(lb.text[:len(lb.text)-1], `\n`...), l...)
	}
}

func isBase64(l []byte) bool {
	for _, b := range bytes.TrimSpace(l) {
		if !(b >= 'A' && b <= 'Z' || b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '+' || b == '/' || b == '=') {
			return false
		}
	}
	return len(bytes.TrimSpace(l)) > 0
}

func oddBackslashes(b []byte) bool {
	n := 0
	for i := len(b) - 1; i >= 0 && b[i] == '\\'; i-- {
		n++
	}
	return n%2 == 1
}

// parseProperty splits a logical line into group, name, parameters and
// value. The value is decoded later, once the whole card is known.
func parseProperty(l []byte, n int) (Property, string) {
	end := headerEnd(l)
	if end == len(l) {
		return Property{}, fmt.Sprintf("line %d: no ':' in %.40q, ignored", n, l)
	}
	p := Property{Line: n, Params: map[string][]string{}, raw: l[end+1:]}
	head := string(l[:end])
	parts := splitQuoted(head, ';')
	name := strings.TrimSpace(parts[0])
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		p.Group, name = name[:i], name[i+1:]
	}
	p.Name = strings.ToUpper(name)
	if p.Name == "" {
		return Property{}, fmt.Sprintf("line %d: a property without a name, ignored", n)
	}
	for _, param := range parts[1:] {
		param = strings.TrimSpace(param)
		if param == "" {
			continue // ADR;HOME;PREF;: has an empty slot
		}
		key, value, hasValue := strings.Cut(param, "=")
		key = strings.ToUpper(strings.TrimSpace(key))
		if !hasValue {
			key, value = bareParam(param)
		}
		for _, v := range splitQuoted(value, ',') {
			v = strings.TrimSpace(v)
			if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
				v = v[1 : len(v)-1]
			}
			p.Params[key] = append(p.Params[key], uncaret(v))
		}
	}
	return p, ""
}

// uncaret undoes RFC 6868's escapes in a parameter value: ^n is a line
// break, ^' a double quote, ^^ a caret; a caret before anything else stays.
func uncaret(v string) string {
	if !strings.Contains(v, "^") {
		return v
	}
	var b strings.Builder
	for i := 0; i < len(v); i++ {
		if v[i] == '^' && i+1 < len(v) {
			switch v[i+1] {
			case 'n', 'N':
				b.WriteString("\n")
				i++
				continue
			case '\'':
				b.WriteByte('"')
				i++
				continue
			case '^':
				b.WriteByte('^')
				i++
				continue
			}
		}
		b.WriteByte(v[i])
	}
	return b.String()
}

// bareParam sorts a vCard 2.1 parameter without a name ("WORK",
// "QUOTED-PRINTABLE", "utf-8", "INLINE") under the name it stands for.
func bareParam(v string) (string, string) {
	upper := strings.ToUpper(v)
	switch upper {
	case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT":
		return "ENCODING", upper
	case "INLINE", "URL", "URI", "CID", "CONTENT-ID":
		return "VALUE", upper
	}
	if strings.HasPrefix(upper, "X-") || !strings.ContainsAny(upper, "-0123456789") {
		return "TYPE", v // WORK, VOICE, PREF, X-NEC-SECRET…
	}
	if enc := charsetNamed(v); enc != nil {
		return "CHARSET", v
	}
	if len(v) <= 8 && strings.Count(v, "-") == 1 {
		return "LANGUAGE", v // de-DE
	}
	return "TYPE", v
}

// splitQuoted splits s at sep outside double quotes.
func splitQuoted(s string, sep byte) []string {
	var parts []string
	quoted, start := false, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '"':
			quoted = !quoted
		case s[i] == sep && !quoted:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// splitUnescaped splits s at sep not escaped by a backslash.
func splitUnescaped(s string, sep byte) []string {
	var parts []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++ // skip what is escaped
		case sep:
			parts = append(parts, s[start:i])
			start = i + 1
		}
	}
	return append(parts, s[start:])
}

// unescape undoes vCard text escapes; a backslash before anything else
// stays, as 2.1 files use it literally.
func unescape(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			b.WriteByte(s[i])
			continue
		}
		switch s[i+1] {
		case 'n', 'N':
			b.WriteByte('\n')
		case ',', ';', ':', '\\':
			b.WriteByte(s[i+1])
		default:
			b.WriteByte('\\')
			continue
		}
		i++
	}
	return b.String()
}

// decode turns every property's raw value into text (or bytes), now that
// the card's charsets are known: a charset declared on any property is the
// best guess for undeclared 8-bit text in the same card.
func (c *Card) decode() {
	var hint encoding.Encoding
	for _, p := range c.Props {
		if cs := p.Param("CHARSET"); cs != "" && !strings.EqualFold(cs, "utf-8") {
			if enc := charsetNamed(cs); enc != nil {
				hint = enc
				break
			}
		}
	}
	for i := range c.Props {
		p := &c.Props[i]
		raw := p.raw
		switch enc := strings.ToUpper(p.Param("ENCODING")); enc {
		case "QUOTED-PRINTABLE":
			raw = decodeQP(raw)
		case "B", "BASE64":
			data, err := decodeBase64(raw)
			if err != nil {
				c.Problems = append(c.Problems, fmt.Sprintf("line %d: %s: %v", p.Line, p.Name, err))
			}
			p.Data = data
			continue
		}
		p.Value = toUTF8(raw, p.Param("CHARSET"), hint)
	}
}

// toUTF8 decodes text in the declared charset, else keeps valid UTF-8,
// else uses the card's hint, else guesses between Western and Cyrillic.
func toUTF8(b []byte, declared string, hint encoding.Encoding) string {
	if declared != "" && !strings.EqualFold(declared, "utf-8") && !strings.EqualFold(declared, "utf8") {
		if enc := charsetNamed(declared); enc != nil {
			if s, err := enc.NewDecoder().Bytes(b); err == nil {
				return string(s)
			}
		}
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if mostlyUTF8(b) {
		// UTF-8 with a character cut short (a truncated file): keep it
		// UTF-8 and drop the broken bytes.
		return strings.ToValidUTF8(string(b), "")
	}
	enc := hint
	if enc == nil {
		enc = guessCharset(b)
	}
	s, err := enc.NewDecoder().Bytes(b)
	if err != nil {
		return strings.ToValidUTF8(string(b), "\uFFFD")
	}
	return string(s)
}

// guessCharset picks a legacy charset for 8-bit text that declares none:
// Cyrillic text in windows-1251 is mostly bytes from 0xC0 up, Western text
// in windows-1252 mostly ASCII letters with a few accented ones; Central
// European text shows ISO-8859-2 letters that are symbols (or unlikely
// letters) in windows-1252.
func guessCharset(b []byte) encoding.Encoding {
	high, upper, hebrew, ascii, central := 0, 0, 0, 0, 0
	for i, c := range b {
		// Spanish ñ (0xF1 in windows-1252) is always followed by a vowel;
		// Polish ń (0xF1 in ISO-8859-2) by a consonant or the word's end.
		if c == 0xF1 && (i+1 == len(b) || !strings.ContainsRune("aeiouyAEIOUY", rune(b[i+1]))) {
			central++
		}
		switch {
		case c >= 0xC0:
			high++
			if c <= 0xDF {
				upper++ // capital Cyrillic letters, which Hebrew lacks
			} else if c <= 0xFA {
				hebrew++
			}
		case c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z':
			ascii++
		case c == 0xA3 || c == 0xA6 || c == 0xAC || c == 0xAF || c == 0xB1 || c == 0xB3 || c == 0xB6 || c == 0xBC || c == 0xBF:
			central++
		}
	}
	switch {
	case high > ascii && upper == 0 && hebrew == high:
		return charmap.Windows1255
	case high > ascii:
		return charmap.Windows1251
	case central > 0:
		return charmap.ISO8859_2
	}
	return charmap.Windows1252
}

// mostlyUTF8 reports whether b is UTF-8 text with a few broken bytes rather
// than text in a legacy charset: it holds more valid multi-byte characters
// than invalid bytes.
func mostlyUTF8(b []byte) bool {
	multi, invalid := 0, 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		switch {
		case r == utf8.RuneError && size <= 1:
			invalid++
		case size > 1:
			multi++
		}
		b = b[max(size, 1):]
	}
	return multi > invalid
}

// charsetNamed finds a charset by its MIME or WHATWG name, nil if unknown.
func charsetNamed(name string) encoding.Encoding {
	name = strings.TrimSpace(name)
	if enc, err := htmlindex.Get(name); err == nil && enc != nil {
		return enc
	}
	if enc, err := ianaindex.MIME.Encoding(name); err == nil && enc != nil {
		return enc
	}
	return nil
}

// decodeQP decodes quoted-printable leniently: an "=" not followed by two
// hex digits stays as it is.
func decodeQP(b []byte) []byte {
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] == '=' && i+2 < len(b) && isHex(b[i+1]) && isHex(b[i+2]) {
			out = append(out, unhex(b[i+1])<<4|unhex(b[i+2]))
			i += 2
			continue
		}
		if b[i] == '=' && i == len(b)-1 {
			break // a soft break at the very end
		}
		out = append(out, b[i])
	}
	return out
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'F' || c >= 'a' && c <= 'f'
}

func unhex(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}

// decodeBase64 decodes base64 with or without padding, ignoring white space.
func decodeBase64(b []byte) ([]byte, error) {
	clean := bytes.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
			return -1
		}
		return r
	}, b)
	data, err := base64.StdEncoding.DecodeString(string(clean))
	if err == nil {
		return data, nil
	}
	data, err2 := base64.RawStdEncoding.DecodeString(strings.TrimRight(string(clean), "="))
	if err2 == nil {
		return data, nil
	}
	return nil, fmt.Errorf("bad base64: %w", err)
}
