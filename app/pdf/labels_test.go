package pdf

import (
	"bytes"
	"context"
	"math"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"
)

func TestLabelOffsetsMoveTheLabels(t *testing.T) {
	page := func(dx, dy float64) []byte {
		var buf bytes.Buffer
		job := LabelJob{Layout: LabelLayouts()["L7160"], OffsetX: dx, OffsetY: dy, Test: true}
		if _, err := WriteLabels(context.Background(), &buf, job, nil, made, nil); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	first := func(pdf []byte) (x, y float64) {
		at := pdftest.WordsAt(t, pdf, "Avery")
		if len(at) == 0 {
			t.Fatal("no word Avery on the test page")
		}
		return at[0][1], at[0][2]
	}
	x0, y0 := first(page(0, 0))
	x1, y1 := first(page(-1.5, 2))
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
