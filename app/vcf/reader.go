// Package vcf reads vCard files as phones and address books really write
// them: versions 2.1, 3.0 and 4.0, in UTF-8, UTF-16 or a legacy charset,
// with quoted-printable and base64 values, folded lines, bare 2.1
// parameters, comment lines, nested and truncated cards. It streams card by
// card and never gives up on a file because one card is odd.
//
// github.com/emersion/go-vcard reads 3.0 and 4.0 well, but its line parser
// loses 2.1 values (bare parameters swallow them, quoted-printable soft
// breaks turn into junk properties, BOM and UTF-16 files yield nothing); the
// repairs around it would have re-parsed every line, so this package reads
// lines itself and hands the mapping go-vcard's field model.
package vcf

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"
)

// Bounds on what one card may take in memory: a binary file read by
// mistake, or a card with an absurd value, is passed over instead of filling
// memory. Real cards are far smaller: a phone photo is a few megabytes.
const (
	maxLineBytes = 32 << 20 // one physical line
	maxCardBytes = 32 << 20 // one card's text
	maxCardLines = 10_000   // properties and odd lines of one card
	maxKeptRaw   = 64 << 10 // of a card too large to read, the text kept to show where it was
	maxNesting   = 8        // cards inside cards (2.1 AGENT)
)

// errLineTooLong marks a physical line over maxLineBytes; the reader has
// passed over it.
var errLineTooLong = errors.New("line too long")

// Card is one card as read, with where it was found.
type Card struct {
	Number   int        // 1-based position of the card in the file
	Line     int        // line of its BEGIN:VCARD
	Version  string     // "2.1", "3.0", "4.0" or "" when the card says none
	Props    []Property // in file order
	Raw      []byte     // the card's lines as they were in the file (after UTF-16 decoding)
	Problems []string   // what was odd but did not stop the card
	// Damaged says why the card could not be read whole (a line or the card
	// too large to hold), "" when it was: such a card is not to be imported.
	Damaged string
}

// Reader reads cards from a stream.
type Reader struct {
	in     *bufio.Reader
	line   int // physical lines read so far
	blanks int // empty lines owed: a run of lone CRs read at once
	cards  int
	depth  int     // cards open around the line being read
	queue  []*Card // cards finished by a nested END, waiting their turn
	err    error   // what ended the reading: io.EOF or a read error

	maxLine, maxCard int // maxLineBytes and maxCardBytes; smaller in tests
}

// NewReader reads cards from r, which may be UTF-8 (with or without BOM) or
// UTF-16 (with or without BOM; told apart by the zero bytes of ASCII text).
func NewReader(r io.Reader) *Reader {
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(4)
	var dec transform.Transformer
	switch {
	case bytes.HasPrefix(head, []byte{0xEF, 0xBB, 0xBF}):
		br.Discard(3)
	case bytes.HasPrefix(head, []byte{0xFF, 0xFE}), bytes.HasPrefix(head, []byte{0xFE, 0xFF}):
		dec = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder()
	case len(head) == 4 && head[0] == 0 && head[1] != 0 && head[2] == 0 && head[3] != 0:
		dec = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder()
	case len(head) == 4 && head[0] != 0 && head[1] == 0 && head[2] != 0 && head[3] == 0:
		dec = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder()
	}
	if dec != nil {
		br = bufio.NewReaderSize(transform.NewReader(br, dec), 64<<10)
	}
	return &Reader{in: br, maxLine: maxLineBytes, maxCard: maxCardBytes}
}

// mib writes a size in whole MiB, or KiB below one MiB.
func mib(n int) string {
	if n < 1<<20 {
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d MiB", n>>20)
}

// readLine returns the next physical line without its ending, and its
// number. A line ends with LF, CR LF, CR CR LF or a lone CR (old Macintosh
// files). A line longer than maxLine is read to its end without being
// held and returned as errLineTooLong; io.EOF follows the last line.
func (r *Reader) readLine() ([]byte, int, error) {
	if r.blanks > 0 {
		r.blanks--
		r.line++
		return nil, r.line, nil
	}
	var line []byte
	tooLong, started := false, false
	for {
		if _, err := r.in.Peek(1); err != nil {
			if errors.Is(err, io.EOF) && started {
				break // the last line, without an ending
			}
			return nil, r.line + 1, err
		}
		started = true
		data, _ := r.in.Peek(r.in.Buffered())
		end := bytes.IndexAny(data, "\r\n")
		if end < 0 {
			end = len(data)
		}
		if !tooLong {
			line = append(line, data[:end]...)
			if len(line) > r.maxLine {
				tooLong, line = true, nil
			}
		}
		if end == len(data) {
			r.in.Discard(end)
			continue
		}
		r.in.Discard(end + 1)
		if data[end] == '\r' {
			r.afterCR()
		}
		break
	}
	r.line++
	if tooLong {
		return nil, r.line, errLineTooLong
	}
	return line, r.line, nil
}

// afterCR reads what follows a CR: CRs then an LF end the line with it
// (CR LF, CR CR LF); CRs then anything else are lone CRs, each ending an
// empty line.
func (r *Reader) afterCR() {
	for k := 1; ; k++ {
		next, _ := r.in.Peek(k)
		if len(next) < k || next[k-1] != '\r' {
			if len(next) == k && next[k-1] == '\n' {
				r.in.Discard(k)
				return
			}
			r.in.Discard(k - 1)
			r.blanks = k - 1
			return
		}
	}
}

// Next returns the next card, or io.EOF after the last. A card cut off by
// the end of the file is returned with what it holds and a problem noted. A
// read error comes after the cards read before it.
func (r *Reader) Next() (*Card, error) {
	if len(r.queue) > 0 {
		c := r.queue[0]
		r.queue = r.queue[1:]
		return c, nil
	}
	if r.err != nil {
		return nil, r.err
	}
	for {
		l, n, err := r.readLine()
		if errors.Is(err, errLineTooLong) {
			continue // outside a card: not part of one
		}
		if err != nil {
			r.fail(n, err)
			return nil, r.err
		}
		if isBegin(l) {
			cards, err := r.readCard(n, l)
			if err != nil {
				r.err = err
			}
			r.queue = append(r.queue, cards[1:]...)
			return cards[0], nil
		}
		// Anything outside BEGIN…END is not part of a card.
	}
}

// fail records the error that ends reading: io.EOF as it is, anything else
// with its line.
func (r *Reader) fail(n int, err error) {
	if errors.Is(err, io.EOF) {
		r.err = io.EOF
		return
	}
	r.err = fmt.Errorf("line %d: %w", n, err)
}

func isBegin(l []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(l), []byte("BEGIN:VCARD"))
}

func isEnd(l []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(l), []byte("END:VCARD"))
}

// readCard reads one card after its BEGIN line, and any cards nested in it,
// returned after it in the order their BEGIN lines came. It always returns
// the card; an error (io.EOF included) ends the reading after it.
func (r *Reader) readCard(beginLine int, begin []byte) ([]*Card, error) {
	r.cards++
	r.depth++
	defer func() { r.depth-- }()
	// Room for the properties of a typical phone card at once, rather than
	// growing the list five times over.
	cr := cardReading{r: r, c: &Card{Number: r.cards, Line: beginLine, Props: make([]Property, 0, 16)}}
	cr.raw.Write(begin)
	cr.raw.WriteString("\r\n")
	for {
		l, n, err := r.readLine()
		if errors.Is(err, errLineTooLong) {
			if cr.c.Damaged == "" {
				cr.c.Damaged = fmt.Sprintf("line %d is longer than %s", n, mib(r.maxLine))
			}
			continue
		}
		if err != nil {
			return cr.cutShort(n, err)
		}
		if end, err := cr.line(l, n); end {
			return cr.done(), err
		}
	}
}

// cardReading is a card under way in readCard.
type cardReading struct {
	r      *Reader
	c      *Card
	raw    bytes.Buffer // the card's lines as read
	lb     lineBuilder  // the property under way, over its folded lines
	nested []*Card      // cards nested in it, in the order they began
}

// line takes the card's next line l, line n of the file: a property, the
// continuation of one, a nested card (read whole) or the card's end. It
// reports whether the card ended, with the error that ended it, if any.
func (cr *cardReading) line(l []byte, n int) (bool, error) {
	if cr.c.Damaged != "" {
		// Passed over to its end, holding nothing more.
		cr.lb = lineBuilder{}
		return isEnd(l), nil
	}
	if cr.lb.on && cr.lb.continues(l, cr.c.Version) {
		cr.keep(l)
		cr.lb.appendLine(l)
		return false, nil
	}
	cr.flush()
	switch {
	case isEnd(l):
		cr.keep(l)
		return true, nil
	case isBegin(l) && cr.r.depth < maxNesting:
		inner, err := cr.r.readCard(n, l)
		cr.nested = append(cr.nested, inner...)
		return err != nil, err
	}
	cr.keep(l)
	trimmed := bytes.TrimSpace(l)
	switch {
	case len(trimmed) == 0:
		// blank lines end a 2.1 base64 value; otherwise nothing
	case trimmed[0] == '#':
		cr.c.Problems = append(cr.c.Problems, fmt.Sprintf("line %d: comment line ignored", n))
	case isBegin(l):
		cr.c.Problems = append(cr.c.Problems, fmt.Sprintf("line %d: a card nested more than %d deep, read as part of this one", n, maxNesting))
	case !looksLikeProperty(l):
		cr.c.Problems = append(cr.c.Problems, fmt.Sprintf("line %d: not a property, ignored: %.40q", n, l))
	default:
		cr.lb.start(l, n)
	}
	return false, nil
}

// cutShort ends the card at the read error err on line n: the file ended
// before END:VCARD (io.EOF, returned as it is) or could not be read.
func (cr *cardReading) cutShort(n int, err error) ([]*Card, error) {
	cr.flush()
	if errors.Is(err, io.EOF) {
		cr.c.Problems = append(cr.c.Problems, "the file ends before END:VCARD; kept what the card holds")
		return cr.done(), io.EOF
	}
	return cr.done(), fmt.Errorf("line %d: %w", n, err)
}

// keep adds line l to the card's text, and marks the card damaged once it
// holds more than a card may.
func (cr *cardReading) keep(l []byte) {
	c := cr.c
	if c.Damaged != "" {
		return
	}
	cr.raw.Write(l)
	cr.raw.WriteString("\r\n")
	switch {
	case cr.raw.Len() > cr.r.maxCard:
		c.Damaged = "the card is larger than " + mib(cr.r.maxCard)
	case len(c.Props)+len(c.Problems) > maxCardLines:
		c.Damaged = fmt.Sprintf("the card has more than %d lines", maxCardLines)
	}
}

// flush adds the property under way, if any, to the card, or why it could
// not be read to its problems.
func (cr *cardReading) flush() {
	if !cr.lb.on {
		return
	}
	p, problem := parseProperty(cr.lb.text, cr.lb.n)
	cr.lb = lineBuilder{}
	c := cr.c
	if problem != "" {
		c.Problems = append(c.Problems, problem)
		return
	}
	if p.Name == "VERSION" {
		c.Version = strings.TrimSpace(string(p.raw))
	}
	c.Props = append(c.Props, p)
}

// done finishes the card and returns it followed by the cards nested in it.
func (cr *cardReading) done() []*Card {
	c := cr.c
	if c.Damaged != "" {
		// What is left of it is not to be imported: its text (a
		// beginning) is kept to show the owner which card it was.
		c.Props = nil
		c.Raw = bytes.Clone(cr.raw.Bytes()[:min(cr.raw.Len(), maxKeptRaw)])
		return append([]*Card{c}, cr.nested...)
	}
	c.Raw = cr.raw.Bytes()
	c.decode()
	return append([]*Card{c}, cr.nested...)
}

// looksLikeProperty reports whether a line starts like a content line:
// [group.]NAME followed by ';' or ':'.
func looksLikeProperty(l []byte) bool {
	for i, b := range l {
		switch {
		case b == ';' || b == ':':
			return i > 0
		case b >= 'A' && b <= 'Z', b >= 'a' && b <= 'z', b >= '0' && b <= '9', b == '-', b == '_', b == '.':
		default:
			return false
		}
	}
	return false
}
