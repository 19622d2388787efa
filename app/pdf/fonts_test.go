package pdf

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"golang.org/x/image/font/sfnt"
)

// testFont is Droid Sans Fallback (Apache 2.0, Debian's fonts-droid-fallback)
// cut down to 田中花子安藤ロイド with fonttools' pyftsubset: 2 KB of TrueType.
const testFont = "testdata/cjk-subset.ttf"

// made is when the test documents are made, and the day of their sheets.
var made = time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)

// japaneseSheet is a sheet with two Japanese names, one with an address
// that starts with the name, and a German one.
func japaneseSheet(paper string) Sheet {
	return Sheet{On: made, Paper: paper, Made: made, Sections: []SheetSection{
		{Title: "Notes to write (1)", Rows: []SheetRow{{Name: "田中 花子", Text: "Note: thank you for the tea set",
			Address: "田中 花子, Hauptstraße 9, 10115 Berlin"}}},
		{Title: "Birthdays (2)", Rows: []SheetRow{{Name: "安藤 ロイド", Text: "Birthday tomorrow"},
			{Name: "Jörg Müller", Text: "Birthday on Wednesday"}}},
	}}
}

// printSheet writes s with fonts, failing the test on an error.
func printSheet(t *testing.T, s Sheet, fonts FontFinder) (Report, []byte) {
	t.Helper()
	var buf bytes.Buffer
	rep, err := WriteSheet(context.Background(), &buf, s, fonts)
	if err != nil {
		t.Fatal(err)
	}
	return rep, buf.Bytes()
}

func TestFontsThatCannotBeUsedAreSkipped(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	good, err := os.ReadFile(testFont)
	if err != nil {
		t.Fatal(err)
	}
	otf := write("cff.otf", append([]byte("OTTO"), good[4:]...))
	ttc := write("collection.ttc", append([]byte("ttcf"), good[4:]...))
	cut := write("cut.ttf", good[:len(good)/3])
	junk := write("junk.ttf", []byte("not a font at all, but long enough"))
	for path, want := range map[string]string{otf: "CFF", ttc: "collection", cut: "beyond the end", junk: "not a TrueType"} {
		data, _ := os.ReadFile(path)
		if err := checkTrueType(data); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", filepath.Base(path), err, want)
		}
	}
	if err := checkTrueType(good); err != nil {
		t.Errorf("the test font: %v", err)
	}

	finder := &pdftest.Finder{Paths: []string{otf, ttc, cut, junk, dir}}
	rep, _ := printSheet(t, japaneseSheet(A4), finder)
	// The name, the address that starts with it and the other name.
	if len(rep.FallbackFonts) != 0 || len(rep.Unprinted) != 3 {
		t.Fatalf("fonts %v, unprinted %+v", rep.FallbackFonts, rep.Unprinted)
	}
	if u := rep.Unprinted[1]; u.Text != "田中 花子" || u.Reason != "Han: "+whyNoFont {
		t.Errorf("unprinted %+v", u)
	}
	if u := rep.Unprinted[0]; u.Text != "安藤 ロイド" || u.Reason != "Han, Katakana: "+whyNoFont {
		t.Errorf("unprinted %+v", u)
	}
	// Once no font is found for a script, it is not asked again: 田 (Han)
	// and ロ (Katakana) only.
	if got := string(finder.Asked); got != "田ロ" {
		t.Errorf("asked about %q", got)
	}
}

func TestRightToLeftAndEmojiAreReportedNotPrintedWrong(t *testing.T) {
	finder := &pdftest.Finder{Paths: []string{testFont}}
	var rows []SheetRow
	for _, name := range []string{"שרה כהן", "محمد علي", "प्रिया शर्मा", "Anna 🌻"} {
		rows = append(rows, SheetRow{Name: name, Text: "Birthday tomorrow"})
	}
	rep, sheet := printSheet(t, Sheet{On: made, Paper: A4, Made: made, Sections: []SheetSection{{Title: "Birthdays (4)", Rows: rows}}}, finder)
	got := map[string]string{}
	for _, u := range rep.Unprinted {
		got[u.Text] = u.Reason
	}
	want := map[string]string{
		"שרה כהן":      "Hebrew: " + whyRTL,
		"محمد علي":     "Arabic: " + whyJoined,
		"प्रिया शर्मा": "Devanagari: " + whyShaping,
		"Anna 🌻":       "symbols: " + whyBeyond,
	}
	for text, reason := range want {
		if got[text] != reason {
			t.Errorf("%s: %q, want %q", text, got[text], reason)
		}
	}
	if len(finder.Asked) != 0 {
		t.Errorf("looked for fonts for %q: they would print wrong anyway", string(finder.Asked))
	}
	text := pdftest.Text(t, sheet)
	for _, want := range []string{"??? ???", "Anna ?", "Hebrew: written right to left, which the PDF writer cannot do",
		"Arabic: written right to left with joined letters"} {
		if !strings.Contains(strings.Join(strings.Fields(text), " "), want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
}

// TestSystemFontPrintsJapanese uses the fonts of this computer through
// fontconfig; it runs where fc-match finds a TrueType font with Japanese
// (Debian: fonts-droid-fallback, in the Makefile's TEST_APT).
func TestSystemFontPrintsJapanese(t *testing.T) {
	if _, err := exec.LookPath("fc-match"); err != nil {
		t.Skip("no fontconfig (fc-match) on this computer")
	}
	paths, err := Fontconfig{}.FontsFor(context.Background(), '田')
	if err != nil {
		t.Fatal(err)
	}
	usable := ""
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil || checkTrueType(data) != nil {
			continue
		}
		if f, err := sfnt.Parse(data); err == nil && has(f, &sfnt.Buffer{}, '田') {
			usable = p
			break
		}
	}
	if usable == "" {
		t.Skipf("no TrueType font with Japanese installed (fontconfig offers %q); Debian: apt-get install fonts-droid-fallback", paths)
	}
	rep, sheet := printSheet(t, japaneseSheet(Letter), SystemFonts())
	if len(rep.Unprinted) != 0 || len(rep.FallbackFonts) == 0 {
		t.Errorf("unprinted %+v with fonts %v", rep.Unprinted, rep.FallbackFonts)
	}
	text := pdftest.Text(t, sheet)
	if !strings.Contains(text, "田中 花子") || !strings.Contains(text, "安藤 ロイド") {
		t.Errorf("the sheet lacks the Japanese names:\n%s", text)
	}
	if out := os.Getenv("RAPPORT_KEEP_PDF"); out != "" {
		os.WriteFile(out, sheet, 0o600) // to look at with pdftoppm
	}
}

func TestSheetIsTheSameFileForTheSameData(t *testing.T) {
	_, a := printSheet(t, japaneseSheet(A4), nil)
	_, b := printSheet(t, japaneseSheet(A4), nil)
	if !bytes.Equal(a, b) {
		t.Error("printing twice gave different files")
	}
	_, empty := printSheet(t, Sheet{On: made, Paper: Letter, Made: made}, nil)
	if text := pdftest.Text(t, empty); !strings.Contains(text, "Nothing to follow up.") || !strings.Contains(text, "page 1 of 1") {
		t.Errorf("an empty sheet:\n%s", text)
	}
	if _, err := WriteSheet(context.Background(), &bytes.Buffer{}, Sheet{On: made, Paper: "A3", Made: made}, nil); err == nil {
		t.Error("printed on A3")
	}
}
