package vcf

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

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
