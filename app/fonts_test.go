package app

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/image/font/sfnt"

	"github.com/rapportjournal/rapport/model"
)

// testFont is Droid Sans Fallback (Apache 2.0, Debian's fonts-droid-fallback)
// cut down to 田中花子安藤ロイド with fonttools' pyftsubset: 2 KB of TrueType.
const testFont = "testdata/cjk-subset.ttf"

// fakeFinder names the same files for every rune and counts the questions.
type fakeFinder struct {
	paths []string
	asked []rune
}

func (f *fakeFinder) FontsFor(_ context.Context, r rune) ([]string, error) {
	f.asked = append(f.asked, r)
	return f.paths, nil
}

func japaneseFixture(t *testing.T, s *Service) {
	t.Helper()
	// Customers: the sheet, as Today, shows the birthdays of people met.
	for _, c := range []*model.Contact{
		{GivenName: "花子", FamilyName: "田中", DisplayName: "田中 花子",
			Addresses: []model.Address{{Street: "Hauptstraße 9", PostalCode: "10115", City: "Berlin"}},
			NotesOwed: []model.NoteReminder{{Reason: "thank you for the tea set", Due: "2026-11-24", Status: model.NoteOwed}}},
		{DisplayName: "安藤 ロイド", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 24}}},
		{DisplayName: "Jörg Müller", Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 25}}},
	} {
		if err := s.CreateContact(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
}

func TestFallbackFontPrintsJapaneseNames(t *testing.T) {
	ctx := context.Background()
	finder := &fakeFinder{paths: []string{"testdata/missing.ttf", testFont}}
	s := newService(t).WithFontFinder(finder)
	japaneseFixture(t, s)

	var sheet bytes.Buffer
	rep, err := s.PrintFollowups(ctx, fixedNow, PaperA4, &sheet)
	if err != nil {
		t.Fatal(err)
	}
	text := pdfText(t, sheet.Bytes())
	for _, want := range []string{"田中 花子", "安藤 ロイド", "Jörg Müller", "Post to: 田中 花子, Hauptstraße 9, 10115 Berlin"} {
		if !strings.Contains(text, want) {
			t.Errorf("the sheet lacks %q:\n%s", want, text)
		}
	}
	if len(rep.Unprinted) != 0 || strings.Contains(text, "?") {
		t.Errorf("printed with ?: %+v\n%s", rep.Unprinted, text)
	}
	if !slices.Equal(rep.FallbackFonts, []string{testFont}) {
		t.Errorf("fallback fonts %v", rep.FallbackFonts)
	}
	// One question: the font found for 田 has the other letters too.
	if len(finder.asked) != 1 {
		t.Errorf("asked for fonts %d times (%q)", len(finder.asked), string(finder.asked))
	}

	var labels bytes.Buffer
	rep, n, err := s.PrintLabels(ctx, LabelJob{Layout: LabelLayouts()["L7160"]}, &labels)
	if err != nil || n != 1 || len(rep.Unprinted) != 0 {
		t.Fatalf("labels: %v, %d, %+v", err, n, rep.Unprinted)
	}
	if text := pdfText(t, labels.Bytes()); !strings.Contains(text, "田中 花子") || !strings.Contains(text, "Hauptstraße 9") {
		t.Errorf("the label lacks the name or street:\n%s", text)
	}
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

	finder := &fakeFinder{paths: []string{otf, ttc, cut, junk, dir}}
	s := newService(t).WithFontFinder(finder)
	japaneseFixture(t, s)
	var buf bytes.Buffer
	rep, err := s.PrintFollowups(context.Background(), fixedNow, PaperA4, &buf)
	if err != nil {
		t.Fatal(err)
	}
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
	if got := string(finder.asked); got != "田ロ" {
		t.Errorf("asked about %q", got)
	}
}

func TestRightToLeftAndEmojiAreReportedNotPrintedWrong(t *testing.T) {
	finder := &fakeFinder{paths: []string{testFont}}
	s := newService(t).WithFontFinder(finder)
	for _, name := range []string{"שרה כהן", "محمد علي", "प्रिया शर्मा", "Anna 🌻"} {
		c := &model.Contact{DisplayName: name, Stage: model.StageCustomer, Dates: []model.ImportantDate{{Label: model.DateBirthday, Month: 11, Day: 24}}}
		if err := s.CreateContact(context.Background(), c); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	rep, err := s.PrintFollowups(context.Background(), fixedNow, PaperA4, &buf)
	if err != nil {
		t.Fatal(err)
	}
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
	if len(finder.asked) != 0 {
		t.Errorf("looked for fonts for %q: they would print wrong anyway", string(finder.asked))
	}
	text := pdfText(t, buf.Bytes())
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
	ctx := context.Background()
	paths, err := Fontconfig{}.FontsFor(ctx, '田')
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
	s := newService(t) // the real finder
	japaneseFixture(t, s)
	var buf bytes.Buffer
	rep, err := s.PrintFollowups(ctx, fixedNow, PaperLetter, &buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Unprinted) != 0 || len(rep.FallbackFonts) == 0 {
		t.Errorf("unprinted %+v with fonts %v", rep.Unprinted, rep.FallbackFonts)
	}
	text := pdfText(t, buf.Bytes())
	if !strings.Contains(text, "田中 花子") || !strings.Contains(text, "安藤 ロイド") {
		t.Errorf("the sheet lacks the Japanese names:\n%s", text)
	}
	if out := os.Getenv("RAPPORT_KEEP_PDF"); out != "" {
		os.WriteFile(out, buf.Bytes(), 0o600) // to look at with pdftoppm
	}
}
