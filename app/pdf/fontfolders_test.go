package pdf

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"golang.org/x/image/font/gofont/goregular"
)

// fontFolder is a folder laid out as a system's fonts folder: the CJK test
// font twice (once in a subfolder, name in capitals), the Go font, and
// files a lookup must pass over (a collection, CFF, junk, a non-font).
func fontFolder(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	cjk, err := os.ReadFile(testFont)
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"b-cjk.ttf":         cjk,
		"Sub/NESTED.TTF":    cjk,
		"a-go.ttf":          goregular.TTF,
		"c-collection.ttc":  cjk,
		"d-cff.otf":         cjk,
		"e-junk.ttf":        []byte("not a font at all, but long enough"),
		"f-readme.txt":      []byte("田中"),
		"g-empty-folder/.x": nil,
	} {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestFontFoldersFindTheFilesWithTheLetter(t *testing.T) {
	dir := fontFolder(t)
	ctx := context.Background()
	rel := func(paths []string) []string {
		var out []string
		for _, p := range paths {
			r, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(r))
		}
		return out
	}
	for _, tc := range []struct {
		r      rune
		prefer []string
		want   []string
	}{
		{'田', nil, []string{"b-cjk.ttf", "Sub/NESTED.TTF"}},
		{'田', []string{"nested.ttf"}, []string{"Sub/NESTED.TTF", "b-cjk.ttf"}},
		{'é', nil, []string{"a-go.ttf"}},
		{'한', nil, nil},
	} {
		got, err := FontFolders{Dirs: []string{dir, filepath.Join(dir, "missing")}, Prefer: tc.prefer}.FontsFor(ctx, tc.r)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(rel(got), tc.want) {
			t.Errorf("%c, prefer %v: %v, want %v", tc.r, tc.prefer, rel(got), tc.want)
		}
	}
	cancelled, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := (FontFolders{Dirs: []string{dir}}).FontsFor(cancelled, '田'); err == nil {
		t.Error("a cancelled lookup went on")
	}
}

// TestNamesPrintWithAFontFromTheFontsFolder: on Windows and macOS, where no
// fontconfig runs, a Japanese name prints with a font read from the fonts
// folder, as with fontconfig on Linux.
func TestNamesPrintWithAFontFromTheFontsFolder(t *testing.T) {
	dir := fontFolder(t)
	rep, sheet := printSheet(t, japaneseSheet(A4), FontFolders{Dirs: []string{dir}})
	text := pdftest.Text(t, sheet)
	if !strings.Contains(text, "田中 花子") || !strings.Contains(text, "安藤 ロイド") || len(rep.Unprinted) != 0 {
		t.Errorf("unprinted %+v:\n%s", rep.Unprinted, text)
	}
	if len(rep.FallbackFonts) != 1 || filepath.Base(rep.FallbackFonts[0]) != "b-cjk.ttf" {
		t.Errorf("fallback fonts %v, want b-cjk.ttf", rep.FallbackFonts)
	}
}
