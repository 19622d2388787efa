package pdf

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"unicode"

	"codeberg.org/go-pdf/fpdf"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// FontFinder names font files on this computer that may have a glyph for
// r, best first. The embedded Go fonts cover Latin, Greek and Cyrillic;
// names in other scripts print with a font of the system found this way.
// Every file named is checked before use (TrueType outlines, the glyph
// really there), so a finder may guess.
type FontFinder interface {
	FontsFor(ctx context.Context, r rune) ([]string, error)
}

// Fontconfig finds fonts with fontconfig's fc-match and fc-list, as on
// Linux and the BSDs; where those are missing it finds nothing.
type Fontconfig struct{}

// FontsFor asks fc-match for fontconfig's preferred font with r, then
// fc-list for every font that has r. fc-match answers with its best
// guess even when no font has r; the caller checks.
func (Fontconfig) FontsFor(ctx context.Context, r rune) ([]string, error) {
	charset := fmt.Sprintf(":charset=%x", r)
	var out []string
	if bin, err := exec.LookPath("fc-match"); err == nil {
		b, err := exec.CommandContext(ctx, bin, "-f", "%{file}", charset).Output()
		if err != nil {
			return nil, fmt.Errorf("fc-match %s: %w", charset, err)
		}
		if f := strings.TrimSpace(string(b)); f != "" {
			out = append(out, f)
		}
	}
	if bin, err := exec.LookPath("fc-list"); err == nil {
		b, err := exec.CommandContext(ctx, bin, "-f", "%{file}\n", charset).Output()
		if err != nil {
			return nil, fmt.Errorf("fc-list %s: %w", charset, err)
		}
		var listed []string
		for _, f := range strings.Split(string(b), "\n") {
			if f = strings.TrimSpace(f); f != "" && !slices.Contains(out, f) && !slices.Contains(listed, f) {
				listed = append(listed, f)
			}
		}
		sort.Strings(listed) // fc-list's order is the cache's, not a preference
		out = append(out, listed...)
	}
	return out, nil
}

// noFonts finds nothing: only the embedded fonts print.
type noFonts struct{}

func (noFonts) FontsFor(context.Context, rune) ([]string, error) { return nil, nil }

// Limits of the fallback: fonts are looked up at most maxLookups times per
// document (each lookup runs fontconfig, ~30 ms), and files larger than
// maxFontBytes are not read.
const (
	maxLookups   = 16
	maxFontBytes = 64 << 20
	primaryFont  = "go"
)

// fallbackFont is a system font embedded for the runes the Go font lacks.
type fallbackFont struct {
	family string // the fpdf family: fb1, fb2…
	path   string
	font   *sfnt.Font
}

// printable decides the font of every character: the embedded Go font, a
// fallback font of the system, or "?" with the reason recorded, so a name
// in a script no font covers prints marked, never as silent boxes.
type printable struct {
	ctx       context.Context
	pdf       *fpdf.Fpdf
	finder    FontFinder
	primary   *sfnt.Font
	buf       sfnt.Buffer
	fallbacks []*fallbackFont
	fontOf    map[rune]string   // "" primary, a fallback's family, "?" none
	lost      map[rune]lostRune // why a rune prints as "?"
	tried     map[string]bool   // font files looked at
	noFontFor map[string]bool   // scripts a lookup found no font for
	lookups   int
	missing   map[string]map[string]string // text → script → why
}

func newPrintable(ctx context.Context, pdf *fpdf.Fpdf, finder FontFinder) (*printable, error) {
	f, err := sfnt.Parse(goregular.TTF)
	if err != nil {
		return nil, err
	}
	if finder == nil {
		finder = noFonts{}
	}
	return &printable{ctx: ctx, pdf: pdf, finder: finder, primary: f, fontOf: map[rune]string{}, lost: map[rune]lostRune{},
		tried: map[string]bool{}, noFontFor: map[string]bool{}, missing: map[string]map[string]string{}}, nil
}

// lostRune is a character no font prints: its script and why.
type lostRune struct{ script, why string }

// Why a character prints as "?".
const (
	whyNoFont  = "no font on this computer has these letters as TrueType outlines"
	whyRTL     = "written right to left, which the PDF writer cannot do"
	whyJoined  = "written right to left with joined letters, which the PDF writer cannot do"
	whyShaping = "its letters need shaping (joined and reordered), which the PDF writer cannot do"
	whyBeyond  = "characters beyond U+FFFF (such as emoji), which the PDF writer cannot print"
)

// shapingNeeded says why a rune of a script the PDF writer cannot lay out
// must not be printed letter by letter: reversed Hebrew or unjoined Arabic
// would be wrong, not just ugly.
func shapingNeeded(r rune) (script, why string) {
	for _, s := range []struct {
		name string
		why  string
	}{
		{"Arabic", whyJoined}, {"Syriac", whyJoined}, {"Nko", whyJoined}, {"Mandaic", whyJoined},
		{"Hebrew", whyRTL}, {"Thaana", whyRTL}, {"Samaritan", whyRTL},
		{"Devanagari", whyShaping}, {"Bengali", whyShaping}, {"Gurmukhi", whyShaping}, {"Gujarati", whyShaping},
		{"Oriya", whyShaping}, {"Tamil", whyShaping}, {"Telugu", whyShaping}, {"Kannada", whyShaping},
		{"Malayalam", whyShaping}, {"Sinhala", whyShaping}, {"Myanmar", whyShaping}, {"Khmer", whyShaping},
		{"Tibetan", whyShaping},
	} {
		if unicode.Is(unicode.Scripts[s.name], r) {
			return s.name, s.why
		}
	}
	return "", ""
}

// scriptOf names the Unicode script of r, "symbols" for the shared ones.
func scriptOf(r rune) string {
	names := make([]string, 0, len(unicode.Scripts))
	for name := range unicode.Scripts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if name != "Common" && name != "Inherited" && unicode.Is(unicode.Scripts[name], r) {
			return name
		}
	}
	return "symbols"
}

// has reports whether f draws r: a glyph with an outline (a space has none).
func has(f *sfnt.Font, buf *sfnt.Buffer, r rune) bool {
	g, err := f.GlyphIndex(buf, r)
	if err != nil || g == 0 {
		return false
	}
	if unicode.IsSpace(r) {
		return true
	}
	segs, err := f.LoadGlyph(buf, g, fixed.I(12), nil)
	return err == nil && len(segs) > 0
}

// familyOf is the font r prints with: "" for the Go font, a fallback's
// family, or "?" when none can print it.
func (p *printable) familyOf(r rune) string {
	if r < 0x80 || r == '\n' || r == '\t' {
		return ""
	}
	if fam, ok := p.fontOf[r]; ok {
		return fam
	}
	fam := p.decide(r)
	p.fontOf[r] = fam
	return fam
}

func (p *printable) decide(r rune) string {
	if r > 0xFFFF { // fpdf's Unicode fonts hold the Basic Multilingual Plane only
		p.lost[r] = lostRune{scriptOf(r), whyBeyond}
		return "?"
	}
	if script, why := shapingNeeded(r); why != "" {
		p.lost[r] = lostRune{script, why}
		return "?"
	}
	if has(p.primary, &p.buf, r) {
		return ""
	}
	for _, f := range p.fallbacks {
		if has(f.font, &p.buf, r) {
			return f.family
		}
	}
	script := scriptOf(r)
	if f := p.lookup(r, script); f != nil {
		return f.family
	}
	p.lost[r] = lostRune{script, whyNoFont}
	return "?"
}

// lookup asks the finder for a font with r and embeds the first that
// works. A script no font was found for is not asked about again.
func (p *printable) lookup(r rune, script string) *fallbackFont {
	if p.noFontFor[script] || p.lookups >= maxLookups {
		return nil
	}
	p.lookups++
	paths, err := p.finder.FontsFor(p.ctx, r)
	if err == nil {
		for _, path := range paths {
			if p.tried[path] {
				continue
			}
			p.tried[path] = true
			if f := p.load(path, r); f != nil {
				return f
			}
		}
	}
	p.noFontFor[script] = true
	return nil
}

// load embeds the font file at path if fpdf can use it and it draws r.
func (p *printable) load(path string, r rune) *fallbackFont {
	info, err := os.Stat(path)
	if err != nil || !info.Mode().IsRegular() || info.Size() > maxFontBytes {
		return nil
	}
	data, err := os.ReadFile(path)
	if err != nil || checkTrueType(data) != nil {
		return nil
	}
	f, err := sfnt.Parse(data)
	if err != nil || !has(f, &p.buf, r) {
		return nil
	}
	family := fmt.Sprintf("fb%d", len(p.fallbacks)+1)
	if !addFont(p.pdf, family, data) {
		return nil
	}
	fb := &fallbackFont{family: family, path: path, font: f}
	p.fallbacks = append(p.fallbacks, fb)
	return fb
}

// checkTrueType says why fpdf cannot embed data: it takes single TrueType
// fonts with the tables it reads, not collections (.ttc) or CFF (.otf).
func checkTrueType(data []byte) error {
	if len(data) < 12 {
		return errors.New("not a font")
	}
	switch tag := string(data[:4]); tag {
	case "\x00\x01\x00\x00", "true":
	case "OTTO":
		return errors.New("CFF outlines (OpenType .otf)")
	case "ttcf":
		return errors.New("a font collection (.ttc)")
	default:
		return errors.New("not a TrueType font")
	}
	n := int(binary.BigEndian.Uint16(data[4:6]))
	if len(data) < 12+16*n {
		return errors.New("truncated font")
	}
	tables := map[string]bool{}
	for i := range n {
		rec := data[12+16*i:]
		off, size := binary.BigEndian.Uint32(rec[8:12]), binary.BigEndian.Uint32(rec[12:16])
		if uint64(off)+uint64(size) > uint64(len(data)) {
			return fmt.Errorf("table %q beyond the end of the file", rec[:4])
		}
		tables[string(rec[:4])] = true
	}
	for _, t := range []string{"head", "hhea", "hmtx", "maxp", "cmap", "loca", "glyf", "post", "name", "OS/2"} {
		if !tables[t] {
			return fmt.Errorf("no %s table", t)
		}
	}
	return nil
}

// addFont embeds a TrueType font in the document, reporting whether fpdf
// took it: its parser prints rather than returns some errors and can panic
// on a damaged file, which must not take the print down.
func addFont(pdf *fpdf.Fpdf, family string, data []byte) (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	pdf.AddUTF8FontFromBytes(family, "", data)
	return !pdf.Err() && pdf.GetFontDesc(family, "") != (fpdf.FontDescType{})
}

// run is text in one font: "" the Go font in the caller's style, else a
// fallback family.
type run struct{ family, text string }

// runs splits s into runs of one font, writing "?" for what no font can
// print and recording why.
func (p *printable) runs(s string) []run {
	var out []run
	var b strings.Builder
	cur := ""
	lost := map[string]string{}
	for _, r := range s {
		fam := p.familyOf(r)
		if fam == "?" {
			l := p.lost[r]
			lost[l.script] = l.why
			fam, r = "", '?'
		}
		if fam != cur && b.Len() > 0 {
			out = append(out, run{cur, b.String()})
			b.Reset()
		}
		cur = fam
		b.WriteRune(r)
	}
	if b.Len() > 0 {
		out = append(out, run{cur, b.String()})
	}
	if len(lost) > 0 {
		p.missing[strings.TrimSpace(s)] = lost
	}
	return out
}

// setFont selects a run's font at size; the Go font in style.
func (p *printable) setFont(family, style string, size float64) {
	if family == "" {
		p.pdf.SetFont(primaryFont, style, size)
	} else {
		p.pdf.SetFont(family, "", size) // fallbacks come in one style
	}
}

// paragraph writes prefix (our own words, in the Go font) and texts as one
// paragraph from the left margin, wrapping at the right margin, in style
// and size, with a fallback font where the Go font lacks letters. In the
// Go font only, it is one MultiCell; fpdf's Write, needed to change fonts
// within a line, is several times slower.
func (p *printable) paragraph(style string, size, lineH float64, prefix string, texts ...string) {
	all := []run{{"", prefix}}
	mixed := false
	for _, t := range texts {
		for _, r := range p.runs(t) {
			mixed = mixed || r.family != ""
			all = append(all, r)
		}
	}
	if !mixed {
		var b strings.Builder
		for _, r := range all {
			b.WriteString(r.text)
		}
		p.setFont("", style, size)
		p.pdf.MultiCell(0, lineH, b.String(), "", "L", false)
		return
	}
	for _, r := range all {
		if r.text == "" {
			continue
		}
		p.setFont(r.family, style, size)
		if r.family == "" || !strings.Contains(style, "B") {
			p.pdf.Write(lineH, r.text)
			continue
		}
		// A fallback font has one weight: bold is drawn by outlining the
		// letters as well as filling them.
		width := p.pdf.GetLineWidth()
		p.pdf.SetLineWidth(size * 0.035 * 25.4 / 72)
		p.pdf.SetTextRenderingMode(2)
		p.pdf.Write(lineH, r.text)
		p.pdf.SetTextRenderingMode(0)
		p.pdf.SetLineWidth(width)
	}
	p.setFont("", style, size)
	p.pdf.Ln(lineH)
}

// line writes s on one line from x, y.
func (p *printable) line(x, y, size, lineH float64, s string) {
	p.pdf.SetXY(x, y)
	for _, r := range p.runs(s) {
		p.setFont(r.family, "", size)
		p.pdf.CellFormat(p.pdf.GetStringWidth(r.text), lineH, r.text, "", 0, "L", false, 0, "")
	}
}

// fitLine writes s on one line at most width wide: smaller down to 5 pt,
// then cut with "…".
func (p *printable) fitLine(x, y, width, size, lineH float64, s string) {
	for ; size > 5 && p.width(size, s) > width; size -= 0.5 {
	}
	if p.width(size, s) > width {
		r := []rune(s)
		for len(r) > 0 && p.width(size, string(r)+"…") > width {
			r = r[:len(r)-1]
		}
		s = string(r) + "…"
	}
	p.line(x, y, size, lineH, s)
}

// width is how wide s prints at size, in mm.
func (p *printable) width(size float64, s string) float64 {
	w := 0.0
	for _, r := range p.runs(s) {
		p.setFont(r.family, "", size)
		w += p.pdf.GetStringWidth(r.text)
	}
	return w
}

// Unprinted is a text printed with "?" for some characters, and why.
type Unprinted struct {
	Text    string
	Scripts []string // the scripts of the characters left out: Han, Arabic…
	Reason  string   // for each script why, in one line
}

func (u Unprinted) String() string { return fmt.Sprintf("%q: %s", u.Text, u.Reason) }

// unprinted lists the texts that lost characters, sorted.
func (p *printable) unprinted() []Unprinted {
	out := make([]Unprinted, 0, len(p.missing))
	for text, scripts := range p.missing {
		out = append(out, Unprinted{Text: text, Scripts: sortedKeys(scripts), Reason: reasons(scripts)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Text < out[j].Text })
	return out
}

// summary says, across all texts, which scripts could not be printed and
// why: "Han, Katakana: no font …; Arabic: written right to left …".
func (p *printable) summary() string {
	all := map[string]string{}
	for _, scripts := range p.missing {
		for s, why := range scripts {
			all[s] = why
		}
	}
	return reasons(all)
}

// reasons groups scripts by why: "Han, Katakana: no font …".
func reasons(scripts map[string]string) string {
	byWhy := map[string][]string{}
	for _, s := range sortedKeys(scripts) {
		byWhy[scripts[s]] = append(byWhy[scripts[s]], s)
	}
	whys := sortedKeys(byWhy)
	parts := make([]string, 0, len(whys))
	for _, why := range whys {
		parts = append(parts, strings.Join(byWhy[why], ", ")+": "+why)
	}
	return strings.Join(parts, "; ")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// fallbackPaths are the system fonts the document embeds.
func (p *printable) fallbackPaths() []string {
	out := make([]string, 0, len(p.fallbacks))
	for _, f := range p.fallbacks {
		out = append(out, f.path)
	}
	return out
}
