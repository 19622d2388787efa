package ui

import (
	"bytes"
	"compress/gzip"
	"context"
	"image"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"
)

// labelTexts are the texts of the labels shown, whole: a wrapped label
// draws a long path over several lines.
func (h *harness) labelTexts() []string {
	var out []string
	h.visit(func(o fyne.CanvasObject) bool {
		if l, ok := o.(*widget.Label); ok {
			out = append(out, l.Text)
		}
		return true
	})
	return out
}

// TestImportOfBadFilesSaysWhatIsWrong chooses every kind of bad file in the
// import: the window says, naming the file, why it cannot be read, and
// nothing is imported or recorded.
func TestImportOfBadFilesSaysWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	junk := func(n int) []byte {
		b := make([]byte, n)
		rand.NewChaCha8([32]byte{1}).Read(b)
		return b
	}
	var pic, packed bytes.Buffer
	png.Encode(&pic, image.NewRGBA(image.Rect(0, 0, 4, 4)))
	zw := gzip.NewWriter(&packed)
	zw.Write([]byte("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n"))
	zw.Close()
	os.Mkdir(filepath.Join(dir, "folder.vcf"), 0o700)
	cases := []struct{ path, want string }{
		{filepath.Join(dir, "missing.vcf"), "cannot be read: no such file or directory"},
		{filepath.Join(dir, "folder.vcf"), "cannot be read: it is a folder"},
		{write("empty.vcf", nil), "cannot be read: the file is empty"},
		{write("random.vcf", junk(64<<10)), "cannot be read: there is no contact card in it"},
		{write("photo.vcf", pic.Bytes()), "cannot be read: it is a PNG image, not a vCard file"},
		{write("packed.vcf", packed.Bytes()), "cannot be read: it is a gzip-compressed file (unpack it first)"},
		{write("notes.vcf", []byte("Call Maria back\n")), "cannot be read: there is no contact card in it"},
	}
	if !testing.Short() {
		cases = append(cases,
			struct{ path, want string }{write("huge.vcf", junk(64<<20)), "cannot be read: there is no contact card in it"},
			struct{ path, want string }{write("line.vcf", bytes.Repeat([]byte("x"), 50<<20)), "cannot be read: there is no contact card in it"})
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.path), func(t *testing.T) {
			h := newHarness(t, nil)
			h.m.importFile(c.path)
			if !strings.Contains(strings.Join(h.labelTexts(), "\n"), c.path+" "+c.want) {
				t.Errorf("the window shows %q, want %q", h.labelTexts(), c.path+" "+c.want)
			}
			h.mustShow("Error")
			h.mustNotShow("Reading", "Import vCards")
			if h.m.importing != nil {
				t.Error("the failed import is still under way")
			}
			if names := h.contactNames(); len(names) != 0 {
				t.Errorf("imported %v", names)
			}
			if batches, _ := h.svc.ImportBatches(context.Background()); len(batches) != 0 {
				t.Errorf("recorded %d imports", len(batches))
			}
			h.tapButton("OK")
			h.mustNotShow("Error")
		})
	}
}
