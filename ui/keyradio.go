package ui

import (
	"slices"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// keyRadio is a radio group that always has one choice selected, whose
// choices pass Escape and Enter to the dialog they are in. Fyne's
// RadioGroup builds its choices itself, and a choice with the cursor (after
// a click or Tab) kept Escape: the dialog stayed open.
type keyRadio struct {
	widget.BaseWidget
	m          *Main
	Options    []string
	Selected   string
	Horizontal bool
	OnChanged  func(string)

	choices []*radioChoice
}

func (m *Main) newRadio(options []string, changed func(string)) *keyRadio {
	r := &keyRadio{m: m, Options: options, OnChanged: changed}
	if len(options) > 0 {
		r.Selected = options[0]
	}
	r.ExtendBaseWidget(r)
	return r
}

// SetSelected selects option, telling OnChanged when it changes; a value
// that is not one of the options is ignored.
func (r *keyRadio) SetSelected(option string) {
	if option == r.Selected || !slices.Contains(r.Options, option) {
		return
	}
	r.Selected = option
	r.Refresh()
	if r.OnChanged != nil {
		r.OnChanged(option)
	}
}

func (r *keyRadio) CreateRenderer() fyne.WidgetRenderer {
	box := container.NewVBox()
	if r.Horizontal {
		box = container.NewHBox()
	}
	r.choices = nil
	for i, o := range r.Options {
		c := &radioChoice{group: r, index: i, label: widget.NewLabel(o), icon: canvas.NewImageFromResource(nil), back: canvas.NewRectangle(nil)}
		c.back.CornerRadius = theme.InputRadiusSize()
		c.ExtendBaseWidget(c)
		r.choices = append(r.choices, c)
		box.Add(c)
	}
	return widget.NewSimpleRenderer(box)
}

// Refresh redraws every choice's mark.
func (r *keyRadio) Refresh() {
	for _, c := range r.choices {
		c.Refresh()
	}
	r.BaseWidget.Refresh()
}

// move selects the choice step places from index (arrow keys), and gives
// it the cursor.
func (r *keyRadio) move(index, step int) {
	next := index + step
	if next < 0 || next >= len(r.choices) {
		return
	}
	r.SetSelected(r.Options[next])
	r.m.win.Canvas().Focus(r.choices[next])
}

// radioChoice is one choice of a keyRadio: a round mark and its label.
type radioChoice struct {
	widget.BaseWidget
	group          *keyRadio
	index          int
	label          *widget.Label
	icon           *canvas.Image
	back           *canvas.Rectangle
	focused, hover bool
}

var (
	_ fyne.Tappable     = (*radioChoice)(nil)
	_ fyne.Focusable    = (*radioChoice)(nil)
	_ desktop.Hoverable = (*radioChoice)(nil)
)

func (c *radioChoice) option() string { return c.group.Options[c.index] }

func (c *radioChoice) CreateRenderer() fyne.WidgetRenderer {
	size := theme.IconInlineSize()
	c.icon.SetMinSize(fyne.NewSize(size, size))
	c.icon.FillMode = canvas.ImageFillContain
	row := container.NewBorder(nil, nil, container.NewCenter(c.icon), nil, c.label)
	return widget.NewSimpleRenderer(container.NewStack(c.back, container.NewPadded(row)))
}

// Refresh draws the mark, the hover and the cursor in the theme's colours.
func (c *radioChoice) Refresh() {
	if c.option() == c.group.Selected {
		c.icon.Resource = theme.NewPrimaryThemedResource(theme.RadioButtonCheckedIcon())
	} else {
		c.icon.Resource = theme.RadioButtonIcon()
	}
	switch {
	case c.focused:
		c.back.FillColor = theme.Color(theme.ColorNameFocus)
	case c.hover:
		c.back.FillColor = theme.Color(theme.ColorNameHover)
	default:
		c.back.FillColor = nil
	}
	c.icon.Refresh()
	c.back.Refresh()
	c.BaseWidget.Refresh()
}

func (c *radioChoice) Tapped(*fyne.PointEvent) {
	c.group.SetSelected(c.option())
	c.group.m.win.Canvas().Focus(c)
}

func (c *radioChoice) FocusGained() { c.focused = true; c.Refresh() }
func (c *radioChoice) FocusLost()   { c.focused = false; c.Refresh() }

func (c *radioChoice) TypedRune(r rune) {
	if r == ' ' {
		c.group.SetSelected(c.option())
	}
}

func (c *radioChoice) TypedKey(key *fyne.KeyEvent) {
	switch key.Name {
	case fyne.KeyUp, fyne.KeyLeft:
		c.group.move(c.index, -1)
	case fyne.KeyDown, fyne.KeyRight:
		c.group.move(c.index, 1)
	default:
		c.group.m.dialogKey(key, false)
	}
}

func (c *radioChoice) MouseIn(*desktop.MouseEvent)    { c.hover = true; c.Refresh() }
func (c *radioChoice) MouseMoved(*desktop.MouseEvent) {}
func (c *radioChoice) MouseOut()                      { c.hover = false; c.Refresh() }
