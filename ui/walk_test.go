package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// walkNext says where walkObjects goes after an object.
type walkNext int

const (
	walkInto walkNext = iota // on, into the object's children
	walkOver                 // on, past its children
	walkStop                 // no further
)

// walkScope is how far walkObjects looks: into widgets' renderers (what
// the window draws), or only through containers (what a screen built);
// and whether hidden objects count.
type walkScope struct {
	renderers   bool
	visibleOnly bool
}

// walkObjects calls fn on o and, depth first, on the objects inside it,
// as fn and scope say; it reports false once fn said walkStop.
func walkObjects(o fyne.CanvasObject, scope walkScope, fn func(fyne.CanvasObject) walkNext) bool {
	if o == nil || scope.visibleOnly && !o.Visible() {
		return true
	}
	switch fn(o) {
	case walkStop:
		return false
	case walkOver:
		return true
	}
	var children []fyne.CanvasObject
	switch x := o.(type) {
	case *fyne.Container:
		children = x.Objects
	case fyne.Widget:
		if scope.renderers {
			children = test.WidgetRenderer(x).Objects()
		}
	}
	for _, c := range children {
		if !walkObjects(c, scope, fn) {
			return false
		}
	}
	return true
}

// topDialog is the dialog on top, nil if none is open.
func (h *harness) topDialog() fyne.CanvasObject {
	overlays := h.w.Canvas().Overlays().List()
	if len(overlays) == 0 {
		return nil
	}
	return overlays[len(overlays)-1]
}
