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

// maxLineBytes bounds one physical line, so that a binary file read by
// mistake fails cleanly instead of filling memory.
const maxLineBytes = 32 << 20

// ErrLineTooLong is returned for a line longer than any real card holds.
var ErrLineTooLong = errors.New("a line is longer than 32 MiB; this is not a vCard file")

// Card is one card as read, with where it was found.
type Card struct {
	Number   int        // 1-based position of the card in the file
	Line     int        // line of its BEGIN:VCARD
	Version  string     // "2.1", "3.0", "4.0" or "" when the card says none
	Props    []Property // in file order
	Raw      []byte     // the card's lines as they were in the file (after UTF-16 decoding)
	Problems []string   // what was odd but did not stop the card
}

// Reader reads cards from a stream.
type Reader struct {
	in      *bufio.Reader
	line    int        // physical lines read so far
	pending []physLine // lines split off or pushed back, next last
	cards   int
	queue   []*Card // cards finished by a nested END, waiting their turn
	done    bool
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
	return &Reader{in: br}
}

// physLine is one physical line and its number in the file.
type physLine struct {
	text []byte
	n    int
}

// readLine returns the next physical line without its ending (LF, CR LF,
// CR CR LF or a lone CR) and its line number.
func (r *Reader) readLine() ([]byte, int, error) {
	if k := len(r.pending); k > 0 {
		l := r.pending[k-1]
		r.pending = r.pending[:k-1]
		return l.text, l.n, nil
	}
	var buf []byte
	for {
		chunk, err := r.in.ReadSlice('\n')
		buf = append(buf, chunk...)
		if len(buf) > maxLineBytes {
			return nil, r.line + 1, ErrLineTooLong
		}
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		if err != nil && (len(buf) == 0 || !errors.Is(err, io.EOF)) {
			return nil, r.line + 1, err
		}
		break
	}
	buf = bytes.TrimRight(buf, "\r\n")
	// Old Macintosh files end lines with a lone CR.
	parts := bytes.Split(buf, []byte{'\r'})
	first := r.line + 1
	r.line += len(parts)
	for j := len(parts) - 1; j > 0; j-- {
		r.pending = append(r.pending, physLine{parts[j], first + j})
	}
	return parts[0], first, nil
}

// Next returns the next card, or io.EOF after the last. A card cut off by
// the end of the file is returned with what it holds and a problem noted.
func (r *Reader) Next() (*Card, error) {
	if len(r.queue) > 0 {
		c := r.queue[0]
		r.queue = r.queue[1:]
		return c, nil
	}
	if r.done {
		return nil, io.EOF
	}
	for {
		l, n, err := r.readLine()
		if errors.Is(err, io.EOF) {
			r.done = true
			return nil, io.EOF
		}
		if err != nil {
			r.done = true
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if isBegin(l) {
			cards, err := r.readCard(n, l)
			if len(cards) == 0 {
				r.done = true
				return nil, err
			}
			r.queue = append(r.queue, cards[1:]...)
			if err != nil {
				r.done = true
			}
			return cards[0], nil
		}
		// Anything outside BEGIN…END is not part of a card.
	}
}

func isBegin(l []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(l), []byte("BEGIN:VCARD"))
}

func isEnd(l []byte) bool {
	return bytes.EqualFold(bytes.TrimSpace(l), []byte("END:VCARD"))
}

// readCard reads one card after its BEGIN line, and any cards nested in it,
// returned after it in the order their BEGIN lines came.
func (r *Reader) readCard(beginLine int, begin []byte) ([]*Card, error) {
	r.cards++
	c := &Card{Number: r.cards, Line: beginLine}
	var raw bytes.Buffer
	raw.Write(begin)
	raw.WriteString("\r\n")
	var nested []*Card
	var lb lineBuilder
	flush := func() {
		if !lb.on {
			return
		}
		p, problem := parseProperty(lb.text, lb.n)
		lb = lineBuilder{}
		if problem != "" {
			c.Problems = append(c.Problems, problem)
			return
		}
		if p.Name == "VERSION" {
			c.Version = strings.TrimSpace(string(p.raw))
		}
		c.Props = append(c.Props, p)
	}
	done := func(cards []*Card) []*Card {
		c.Raw = raw.Bytes()
		c.decode()
		return append([]*Card{c}, cards...)
	}
	for {
		l, n, err := r.readLine()
		if err != nil {
			flush()
			if errors.Is(err, io.EOF) {
				c.Problems = append(c.Problems, "the file ends before END:VCARD; kept what the card holds")
				return done(nested), nil
			}
			return done(nested), fmt.Errorf("line %d: %w", n, err)
		}
		if lb.on && lb.continues(l, c.Version) {
			raw.Write(l)
			raw.WriteString("\r\n")
			lb.appendLine(l)
			continue
		}
		flush()
		switch {
		case isEnd(l):
			raw.Write(l)
			raw.WriteString("\r\n")
			return done(nested), nil
		case isBegin(l):
			inner, err := r.readCard(n, l)
			nested = append(nested, inner...)
			if err != nil {
				return done(nested), err
			}
			continue
		}
		raw.Write(l)
		raw.WriteString("\r\n")
		trimmed := bytes.TrimSpace(l)
		switch {
		case len(trimmed) == 0:
			// blank lines end a 2.1 base64 value; otherwise nothing
		case trimmed[0] == '#':
			c.Problems = append(c.Problems, fmt.Sprintf("line %d: comment line ignored", n))
		case !looksLikeProperty(l):
			c.Problems = append(c.Problems, fmt.Sprintf("line %d: not a property, ignored: %.40q", n, l))
		default:
			lb.start(l, n)
		}
	}
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
