package vcf

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/text/encoding/unicode"
)

func readAll(t testing.TB, data []byte) []*Card {
	t.Helper()
	r := NewReader(bytes.NewReader(data))
	var cards []*Card
	for {
		c, err := r.Next()
		if errors.Is(err, io.EOF) {
			return cards
		}
		if err != nil {
			t.Fatal(err)
		}
		cards = append(cards, c)
	}
}

func prop(c *Card, name string) Property {
	for _, p := range c.Props {
		if p.Name == name {
			return p
		}
	}
	return Property{}
}

func TestReaderEdgeCases(t *testing.T) {
	utf16be, _ := unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewEncoder().Bytes([]byte("BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n"))
	utf16le, _ := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewEncoder().Bytes([]byte("BEGIN:VCARD\r\nFN:Zoë\r\nEND:VCARD\r\n"))
	tests := []struct {
		name, in, prop, want string
	}{
		{"folded 3.0", "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Anna\r\n  Maria\r\nEND:VCARD\r\n", "FN", "Anna Maria"},
		{"CR only", "BEGIN:VCARD\rVERSION:3.0\rFN:Old Mac\rEND:VCARD\r", "FN", "Old Mac"},
		{"CR CR LF", "BEGIN:VCARD\r\r\nFN:Bob\r\r\nEND:VCARD\r\r\n", "FN", "Bob"},
		{"bare params keep the value", "BEGIN:VCARD\r\nVERSION:2.1\r\nTEL;WORK;VOICE:(111) 555-1212\r\nEND:VCARD\r\n", "TEL", "(111) 555-1212"},
		{"QP soft break inside a character", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=\r\n=B6rg\r\nEND:VCARD\r\n", "FN", "Jörg"},
		{"QP starting with a soft break", "BEGIN:VCARD\r\nVERSION:2.1\r\nFN;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:=\r\nM=C3=BCller\r\nEND:VCARD\r\n", "FN", "Müller"},
		{"QP with a colon in a continuation", "BEGIN:VCARD\r\nVERSION:2.1\r\nNOTE;ENCODING=QUOTED-PRINTABLE:a=\r\nb: c;d\r\nEND:VCARD\r\n", "NOTE", "ab: c;d"},
		{"windows-1252 declared", "BEGIN:VCARD\r\nFN;CHARSET=windows-1252:Zo\xeb\r\nEND:VCARD\r\n", "FN", "Zoë"},
		{"undeclared Cyrillic", "BEGIN:VCARD\r\nFN:\xd1\xe5\xf0\xe3\xe5\xe9\r\nEND:VCARD\r\n", "FN", "Сергей"},
		{"quoted parameter with colon", "BEGIN:VCARD\r\nTEL;TYPE=\"a,b:c\",PREF:42\r\nEND:VCARD\r\n", "TEL", "42"},
		{"lower-case begin and end", "begin:vcard\r\nfn:Lower\r\nend:vcard\r\n", "FN", "Lower"},
		{"UTF-16 BE without BOM", string(utf16be), "FN", "Zoë"},
		{"UTF-16 LE with BOM", string(utf16le), "FN", "Zoë"},
		{"UTF-8 BOM", "\xef\xbb\xbfBEGIN:VCARD\r\nFN:Bom\r\nEND:VCARD\r\n", "FN", "Bom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cards := readAll(t, []byte(tt.in))
			if len(cards) != 1 {
				t.Fatalf("%d cards", len(cards))
			}
			if got := prop(cards[0], tt.prop).Text(); got != tt.want {
				t.Errorf("%s = %q, want %q", tt.prop, got, tt.want)
			}
		})
	}
}

func TestReaderCardsNestedAndTruncated(t *testing.T) {
	in := "junk before\r\nBEGIN:VCARD\r\nN:parent\r\nBEGIN:VCARD\r\nN:child\r\nEND:VCARD\r\nTEL:1\r\nEND:VCARD\r\nBEGIN:VCARD\r\nN:cut\r\nNOTE:no end"
	cards := readAll(t, []byte(in))
	var names []string
	for _, c := range cards {
		names = append(names, prop(c, "N").Text()+"@"+string(rune('0'+c.Line)))
	}
	if strings.Join(names, " ") != "parent@2 child@4 cut@9" {
		t.Fatalf("cards %v", names)
	}
	if prop(cards[0], "TEL").Text() != "1" {
		t.Error("the parent lost the property after its nested card")
	}
	if len(cards[2].Problems) == 0 || prop(cards[2], "NOTE").Text() != "no end" {
		t.Errorf("truncated card: %+v", cards[2])
	}
}

func TestEscapesAndComponents(t *testing.T) {
	p := Property{Value: `;A\;B\\;C\\\;;D;\:E;\\\\;`}
	got := p.Components()
	want := []string{"", `A;B\`, `C\;`, "D", ":E", `\\`, ""}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("components %q, want %q", got, want)
	}
	if got := (Property{Value: `a\nb\,c\q`}).Text(); got != "a\nb,c\\q" {
		t.Errorf("text %q", got)
	}
}

func TestWriterFoldsAt75Octets(t *testing.T) {
	var buf bytes.Buffer
	w := NewWriter(&buf)
	long := strings.Repeat("ü", 100) // 200 octets
	w.Prop("", "NOTE", nil, long)
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\r\n"), "\r\n")
	for i, l := range lines {
		if len(l) > 75 {
			t.Errorf("line %d has %d octets", i, len(l))
		}
	}
	cards := readAll(t, []byte("BEGIN:VCARD\r\n"+buf.String()+"END:VCARD\r\n"))
	if got := prop(cards[0], "NOTE").Text(); got != long {
		t.Errorf("unfolded %q", got)
	}
}

// FuzzReader feeds the reader anything: it must never panic or hang, and
// what it reads must survive being written out and read again.
func FuzzReader(f *testing.F) {
	files, _ := filepath.Glob("../../../shared/vcards/*/*.vcf")
	more, _ := filepath.Glob("../testdata/*.vcf")
	for _, name := range append(files, more...) {
		if data, err := os.ReadFile(name); err == nil && len(data) < 64<<10 {
			f.Add(data)
		}
	}
	f.Add([]byte("BEGIN:VCARD\r\nVERSION:2.1\r\nN;ENCODING=QUOTED-PRINTABLE:=\r\n\r\n=C3\r\nEND:VCARD"))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := NewReader(bytes.NewReader(data))
		for range 10_000 {
			c, err := r.Next()
			if err != nil {
				return
			}
			var buf bytes.Buffer
			w := NewWriter(&buf)
			w.Begin()
			for _, p := range c.Props {
				_ = p.Text()
				_ = p.Components()
				_ = p.List()
				w.Line(EncodeLine(p))
			}
			w.End()
			if err := w.Flush(); err != nil {
				t.Fatal(err)
			}
			again := NewReader(&buf)
			if _, err := again.Next(); err != nil {
				t.Fatalf("our own output does not read back: %v\n%q", err, buf.Bytes())
			}
		}
		t.Fatal("more than 10,000 cards from one input: the reader does not advance")
	})
}

// peakHeap runs fn and returns the most heap it added at once, sampled.
func peakHeap(fn func()) int64 {
	// Collect often while fn runs, so that the peak is what fn holds rather
	// than garbage the collector had not come to yet (at the default 100 %
	// a 16 MiB read peaked above the bound one run in a few).
	defer debug.SetGCPercent(debug.SetGCPercent(10))
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := int64(ms.HeapAlloc)
	var peak atomic.Uint64
	stop := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	fn()
	close(stop)
	<-sampled
	return int64(peak.Load()) - base
}

// repeated reads head, then body n times, then tail, holding only those: a
// large input that does not itself fill the heap the test measures.
type repeated struct {
	head, body, tail string
	n                int
	at               int // of the whole input
}

func (r *repeated) Read(p []byte) (int, error) {
	size := len(r.head) + r.n*len(r.body) + len(r.tail)
	if r.at >= size {
		return 0, io.EOF
	}
	n := 0
	for n < len(p) && r.at < size {
		var part string
		var off int
		switch at := r.at; {
		case at < len(r.head):
			part, off = r.head, at
		case at < len(r.head)+r.n*len(r.body):
			part, off = r.body, (at-len(r.head))%len(r.body)
		default:
			part, off = r.tail, at-len(r.head)-r.n*len(r.body)
		}
		k := copy(p[n:], part[off:])
		n += k
		r.at += k
	}
	return n, nil
}

func TestReaderPassesOverWhatIsTooLarge(t *testing.T) {
	const maxLine, maxCard = 256 << 10, 1 << 20 // for the test: the real limits are 32 MiB
	card := func(name string) string { return "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name + "\r\nEND:VCARD\r\n" }
	for _, c := range []struct {
		name    string
		in      repeated
		names   []string // FN of the cards read, "!" for a damaged card
		damaged string
	}{
		{"a long line outside any card", repeated{body: "x", n: 16 * maxLine, tail: "\r\n" + card("Ann")}, []string{"Ann"}, ""},
		{"a long line in a card", repeated{head: card("Before") + "BEGIN:VCARD\r\nFN:Long\r\nNOTE:", body: "x", n: 16 * maxLine,
			tail: "\r\nEND:VCARD\r\n" + card("After")}, []string{"Before", "!", "After"}, "line 7 is longer than 256 KiB"},
		{"a long last line", repeated{head: card("Ann"), body: "x", n: 16 * maxLine}, []string{"Ann"}, ""},
		{"a card too large", repeated{head: "BEGIN:VCARD\r\nFN:Big\r\nNOTE:", body: strings.Repeat("y", 1000) + "\r\n ", n: 16 * maxCard / 1000,
			tail: "\r\nEND:VCARD\r\n" + card("After")}, []string{"!", "After"}, "the card is larger than 1 MiB"},
		{"a card of too many lines", repeated{head: "BEGIN:VCARD\r\nFN:Many\r\n", body: "X-A:1\r\n", n: 2 * maxCardLines,
			tail: "END:VCARD\r\n" + card("After")}, []string{"!", "After"}, "the card has more than 10000 lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			var cards []*Card
			peak := peakHeap(func() {
				r := NewReader(&c.in)
				r.maxLine, r.maxCard = maxLine, maxCard
				for {
					card, err := r.Next()
					if err != nil {
						if !errors.Is(err, io.EOF) {
							t.Fatal(err)
						}
						return
					}
					cards = append(cards, card)
				}
			})
			var names []string
			for _, card := range cards {
				if card.Damaged != "" {
					names = append(names, "!")
					if card.Damaged != c.damaged || len(card.Props) != 0 || len(card.Raw) > maxKeptRaw {
						t.Errorf("damaged card: %q, %d properties, %d bytes kept", card.Damaged, len(card.Props), len(card.Raw))
					}
					continue
				}
				names = append(names, prop(card, "FN").Text())
			}
			if !slices.Equal(names, c.names) {
				t.Errorf("read %q, want %q", names, c.names)
			}
			// Reading holds a card's text and its properties, with room to
			// grow: far less than the 16 times the limit of the input.
			if peak > 6*maxCard+(4<<20) {
				t.Errorf("reading %d KiB held %d KiB", c.in.at>>10, peak>>10)
			}
		})
	}
}

func TestReaderStaysSmallOnPathologicalInput(t *testing.T) {
	for _, c := range []struct {
		name string
		in   repeated
	}{
		// Each lone CR ends a line: millions of lines in one LF-less run.
		{"lone CRs", repeated{body: "A\r", n: 8 << 20}},
		// Cards in cards in cards: read as far as maxNesting, no deeper.
		{"nested BEGINs", repeated{body: "BEGIN:VCARD\r\nFN:x\r\n", n: 1 << 20}},
	} {
		t.Run(c.name, func(t *testing.T) {
			var cards []*Card
			start := time.Now()
			peak := peakHeap(func() {
				r := NewReader(&c.in)
				for {
					card, err := r.Next()
					if err != nil {
						return
					}
					cards = append(cards, card)
				}
			})
			if peak > 64<<20 {
				t.Errorf("reading %d MiB held %d MiB", c.in.at>>20, peak>>20)
			}
			if len(cards) > maxNesting {
				t.Errorf("%d cards", len(cards))
			}
			t.Logf("%d cards in %v, peak heap %d MiB", len(cards), time.Since(start), peak>>20)
		})
	}
}

// failingReader gives data, then an error instead of the end of the file.
type failingReader struct{ data []byte }

func (f *failingReader) Read(p []byte) (int, error) {
	if len(f.data) == 0 {
		return 0, errors.New("input/output error")
	}
	n := copy(p, f.data)
	f.data = f.data[n:]
	return n, nil
}

func TestReaderReportsAReadErrorAfterTheCards(t *testing.T) {
	r := NewReader(&failingReader{[]byte("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\nBEGIN:VCARD\r\nFN:Cut\r\n")})
	var names []string
	var err error
	for {
		var c *Card
		if c, err = r.Next(); err != nil {
			break
		}
		names = append(names, prop(c, "FN").Text())
	}
	if !slices.Equal(names, []string{"Ann", "Cut"}) || err == nil || errors.Is(err, io.EOF) || !strings.Contains(err.Error(), "line 6: input/output error") {
		t.Errorf("read %q, then %v", names, err)
	}
	if _, again := r.Next(); again == nil || again.Error() != err.Error() {
		t.Errorf("after the error, Next gives %v", again)
	}
}

// BenchmarkReader reads 10,000 phone-export cards (3.0 and folded 2.1
// quoted-printable), the reading part of an import.
func BenchmarkReader(b *testing.B) {
	var buf bytes.Buffer
	for i := range 10_000 {
		if i%2 == 0 {
			fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Müller;Anna;;;\r\nFN:Anna Müller %d\r\nitem1.TEL;type=pref:+49 151 %08d\r\n"+
				"item1.X-ABLabel:_$!<Mobile>!$_\r\nEMAIL;type=INTERNET;type=HOME:p%d@example.com\r\nNOTE:met at the market\\, twice\r\nEND:VCARD\r\n", i, i, i)
		} else {
			fmt.Fprintf(&buf, "BEGIN:VCARD\r\nVERSION:2.1\r\nN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:M=C3=BCller;J=C3=B6rg;;;\r\n"+
				"FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:J=C3=B6rg=20M=C3=BCller=20%d\r\nTEL;CELL;PREF:0171 %07d\r\n"+
				"ADR;HOME;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:;;Hauptstra=C3=9Fe %d;Berlin;;10115;=\r\nDeutschland\r\nEND:VCARD\r\n", i, i, i)
		}
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		r := NewReader(bytes.NewReader(data))
		n := 0
		for {
			if _, err := r.Next(); err != nil {
				break
			}
			n++
		}
		if n != 10_000 {
			b.Fatalf("%d cards", n)
		}
	}
}
