package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
)

const (
	// The smallest window in which the list and the card are still
	// readable; the window cannot be made smaller than its content.
	windowMinWidth  = 768
	windowMinHeight = 526

	listMinWidth = 240 // a name, its stage and the search box
	cardMinWidth = 480 // the card's header buttons in one row
)

// clampSplit keeps the list's share of the window where both sides stay
// usable, whatever an older version or a drag saved.
func clampSplit(offset float64) float64 { return max(0.2, min(offset, 0.6)) }

// withMinSize gives o at least size, with a transparent rectangle behind it.
func withMinSize(o fyne.CanvasObject, size fyne.Size) fyne.CanvasObject {
	r := canvas.NewRectangle(nil)
	r.SetMinSize(size)
	return container.NewStack(r, o)
}

func withMinWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return withMinSize(o, fyne.NewSize(width, 0))
}
