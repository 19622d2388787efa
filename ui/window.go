package ui

import (
	"fyne.io/fyne/v2"
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

// atLeast is a layout that fills its space with its objects and asks for at
// least min: a layout rather than a transparent rectangle behind, which
// costs nothing to draw.
type atLeast struct{ min fyne.Size }

func (l atLeast) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l atLeast) MinSize(objects []fyne.CanvasObject) fyne.Size {
	size := l.min
	for _, o := range objects {
		size = size.Max(o.MinSize())
	}
	return size
}

// withMinSize gives o at least size.
func withMinSize(o fyne.CanvasObject, size fyne.Size) fyne.CanvasObject {
	return container.New(atLeast{size}, o)
}

func withMinWidth(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return withMinSize(o, fyne.NewSize(width, 0))
}
