// Package pdftest reads PDFs back for tests the way a person sees them:
// their text and where words stand, through poppler's pdftotext. A test
// is skipped where pdftotext is not installed. Finder stands in for the
// system's font lookup.
package pdftest

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Text is a PDF's text as pdftotext lays it out, as a person copying it
// would see it.
func Text(t testing.TB, pdf []byte) string {
	t.Helper()
	return string(run(t, pdf, "-layout"))
}

// WordsAt is where each word equal to word stands: its page from 1 and its
// top left corner in points from the page's top left.
func WordsAt(t testing.TB, pdf []byte, word string) (at [][3]float64) {
	t.Helper()
	out := string(run(t, pdf, "-bbox"))
	re := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>` + regexp.QuoteMeta(word) + `</word>`)
	for i, page := range strings.Split(out, "<page ")[1:] {
		for _, m := range re.FindAllStringSubmatch(page, -1) {
			x, _ := strconv.ParseFloat(m[1], 64)
			y, _ := strconv.ParseFloat(m[2], 64)
			at = append(at, [3]float64{float64(i + 1), x, y})
		}
	}
	return at
}

// run is pdftotext's output for pdf with the flag.
func run(t testing.TB, pdf []byte, flag string) []byte {
	t.Helper()
	bin, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "out.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, flag, path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", flag, err)
	}
	return out
}

// Finder names the same font files for every rune, and keeps the runes it
// was asked about.
type Finder struct {
	Paths []string
	Asked []rune
}

// FontsFor answers as the system's font lookup would, with f.Paths.
func (f *Finder) FontsFor(_ context.Context, r rune) ([]string, error) {
	f.Asked = append(f.Asked, r)
	return f.Paths, nil
}
