package pdf

import (
	"bytes"
	"context"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// firstWordAt is where pdftotext finds the first word "Avery" of a PDF, in
// points from the top left.
func firstWordAt(t *testing.T, pdf []byte) (x, y float64) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("pdftotext (poppler-utils) is not installed")
	}
	path := filepath.Join(t.TempDir(), "labels.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdftotext", "-bbox", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`<word xMin="([0-9.]+)" yMin="([0-9.]+)"[^>]*>Avery</word>`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("no word Avery in\n%s", out)
	}
	x, _ = strconv.ParseFloat(string(m[1]), 64)
	y, _ = strconv.ParseFloat(string(m[2]), 64)
	return x, y
}

func TestLabelOffsetsMoveTheLabels(t *testing.T) {
	page := func(dx, dy float64) []byte {
		var buf bytes.Buffer
		job := LabelJob{Layout: LabelLayouts()["L7160"], OffsetX: dx, OffsetY: dy, Test: true}
		if _, err := WriteLabels(context.Background(), &buf, job, nil, made, nil); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	x0, y0 := firstWordAt(t, page(0, 0))
	x1, y1 := firstWordAt(t, page(-1.5, 2))
	const mm = 72 / 25.4
	if math.Abs((x1-x0)-(-1.5*mm)) > 0.05 || math.Abs((y1-y0)-2*mm) > 0.05 {
		t.Errorf("moved by (%.2f, %.2f) pt, want (%.2f, %.2f)", x1-x0, y1-y0, -1.5*mm, 2*mm)
	}
}

func TestLabelOffsetsAreReadAndChecked(t *testing.T) {
	for text, mm := range map[string]float64{"-1.5": -1.5, "-1,5": -1.5, " 2 ": 2, "": 0, "20": 20, "-20": -20} {
		if got, err := ParseLabelOffset("across", text); err != nil || got != mm {
			t.Errorf("ParseLabelOffset(%q) = %v, %v", text, got, err)
		}
	}
	for text, why := range map[string]string{"20.1": "between -20 and 20", "-25": "between -20 and 20",
		"one": "not a number of millimetres", "1e400": "not a number", "NaN": "between"} {
		if _, err := ParseLabelOffset("down", text); err == nil || !strings.Contains(err.Error(), why) {
			t.Errorf("ParseLabelOffset(%q): %v, want %q", text, err, why)
		}
	}
	for mm, want := range map[float64]string{1.5: "1.5", -2: "-2", 0.25: "0.25", 0: "0"} {
		if got := FormatMM(mm); got != want {
			t.Errorf("FormatMM(%v) = %q, want %q", mm, got, want)
		}
	}
	// Offsets beyond a calibration are refused when printing too, before
	// anything is written.
	var buf bytes.Buffer
	job := LabelJob{Layout: LabelLayouts()["L7160"], OffsetY: 30, Test: true}
	if _, err := WriteLabels(context.Background(), &buf, job, nil, made, nil); err == nil || buf.Len() != 0 {
		t.Errorf("printed with a 30 mm offset: %v", err)
	}
}
