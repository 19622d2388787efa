package ui

import (
	"strconv"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The charts of the Insights tab are drawn with Fyne's canvas: bars are
// rectangles in the theme's colours, so that they follow light and dark
// mode, and each bar with its number is one tappable widget that lists the
// people it counts.

// chartBar is one bar with its number above it (vertical) or after it
// (horizontal), filling frac of the room the chart gives it. Tapping it
// calls onTap.
type chartBar struct {
	widget.BaseWidget
	frac       float32 // 0–1 of the longest bar
	color      fyne.ThemeColorName
	value      string
	horizontal bool
	onTap      func()
}

func newChartBar(frac float32, color fyne.ThemeColorName, value string, horizontal bool, onTap func()) *chartBar {
	b := &chartBar{frac: frac, color: color, value: value, horizontal: horizontal, onTap: onTap}
	b.ExtendBaseWidget(b)
	return b
}

// Tapped lists the people behind the bar.
func (b *chartBar) Tapped(*fyne.PointEvent) {
	if b.onTap != nil {
		b.onTap()
	}
}

// Cursor says the bar can be clicked.
func (b *chartBar) Cursor() desktop.Cursor { return desktop.PointerCursor }

func (b *chartBar) CreateRenderer() fyne.WidgetRenderer {
	r := &chartBarRenderer{b: b, rect: canvas.NewRectangle(nil), text: canvas.NewText(b.value, nil)}
	r.text.TextSize = theme.CaptionTextSize()
	r.Refresh()
	return r
}

type chartBarRenderer struct {
	b    *chartBar
	rect *canvas.Rectangle
	text *canvas.Text
}

func (r *chartBarRenderer) Layout(size fyne.Size) {
	t := r.text.MinSize()
	if r.b.horizontal {
		w := (size.Width - t.Width - 4) * r.b.frac
		r.rect.Move(fyne.NewPos(0, size.Height/4))
		r.rect.Resize(fyne.NewSize(w, size.Height/2))
		r.text.Move(fyne.NewPos(w+4, (size.Height-t.Height)/2))
		r.text.Resize(t)
		return
	}
	h := (size.Height - t.Height) * r.b.frac
	r.rect.Move(fyne.NewPos(0, size.Height-h))
	r.rect.Resize(fyne.NewSize(size.Width, h))
	r.text.Move(fyne.NewPos((size.Width-t.Width)/2, size.Height-h-t.Height))
	r.text.Resize(t)
}

func (r *chartBarRenderer) MinSize() fyne.Size {
	t := r.text.MinSize()
	if r.b.horizontal {
		return fyne.NewSize(t.Width+40, t.Height+6)
	}
	return fyne.NewSize(max(t.Width, 8), t.Height+20)
}

func (r *chartBarRenderer) Refresh() {
	r.rect.FillColor = theme.Color(r.b.color)
	r.rect.CornerRadius = 2
	r.text.Text = r.b.value
	r.text.Color = theme.Color(theme.ColorNameForeground)
	r.Layout(r.b.Size())
	r.rect.Refresh()
	r.text.Refresh()
}

func (r *chartBarRenderer) Objects() []fyne.CanvasObject { return []fyne.CanvasObject{r.rect, r.text} }
func (r *chartBarRenderer) Destroy()                     {}

// series is one kind of bar in a chart: its name for the legend, colour
// and value per column.
type series struct {
	name   string
	color  fyne.ThemeColorName
	values []int
	text   func(i int) string // the number shown; the value when nil
	onTap  func(i int)
}

// columnChart draws columns of bars side by side (one per series) over the
// columns' labels, with an optional caption under each label, and a base
// line. Every bar's height is its value over the largest of the chart.
type columnChart struct {
	widget.BaseWidget
	labels   []string
	captions []string
	series   []series
	bars     [][]*chartBar // [series][column]
}

func newColumnChart(labels, captions []string, ss ...series) *columnChart {
	c := &columnChart{labels: labels, captions: captions, series: ss}
	top := 0
	for _, s := range ss {
		for _, v := range s.values {
			top = max(top, v)
		}
	}
	for _, s := range ss {
		row := make([]*chartBar, len(labels))
		for i := range labels {
			text := "" // a 0 over every empty month hides the bars that are there
			if s.values[i] != 0 {
				text = itoa(s.values[i])
			}
			if s.text != nil {
				text = s.text(i)
			}
			var tap func()
			if s.onTap != nil {
				i, on := i, s.onTap
				tap = func() { on(i) }
			}
			row[i] = newChartBar(fraction(s.values[i], top), s.color, text, false, tap)
		}
		c.bars = append(c.bars, row)
	}
	c.ExtendBaseWidget(c)
	return c
}

// fraction is v of top, 0 when top is.
func fraction(v, top int) float32 {
	if top == 0 {
		return 0
	}
	return float32(v) / float32(top)
}

func (c *columnChart) CreateRenderer() fyne.WidgetRenderer {
	r := &columnRenderer{c: c, axis: canvas.NewLine(nil)}
	r.objects = append(r.objects, r.axis)
	for _, row := range c.bars {
		for _, b := range row {
			r.objects = append(r.objects, b)
		}
	}
	for i, l := range c.labels {
		t := canvas.NewText(l, nil)
		t.TextSize = theme.CaptionTextSize()
		t.Alignment = fyne.TextAlignCenter
		r.labels = append(r.labels, t)
		r.objects = append(r.objects, t)
		if i < len(c.captions) {
			caption := canvas.NewText(c.captions[i], nil)
			caption.TextSize = theme.CaptionTextSize()
			caption.Alignment = fyne.TextAlignCenter
			r.captions = append(r.captions, caption)
			r.objects = append(r.objects, caption)
		}
	}
	r.Refresh()
	return r
}

type columnRenderer struct {
	c        *columnChart
	axis     *canvas.Line
	labels   []*canvas.Text
	captions []*canvas.Text
	objects  []fyne.CanvasObject
}

// chartHeight is the room of the bars, numbers above them included.
const chartHeight = 150

func (r *columnRenderer) textHeight() float32 {
	h := fyne.MeasureText("Ag", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	if len(r.captions) > 0 {
		return 2 * h
	}
	return h
}

func (r *columnRenderer) Layout(size fyne.Size) {
	n := len(r.c.labels)
	if n == 0 {
		return
	}
	below := r.textHeight() + 4
	base := size.Height - below
	r.axis.Position1, r.axis.Position2 = fyne.NewPos(0, base), fyne.NewPos(size.Width, base)
	col := size.Width / float32(n)
	gap := col * 0.2
	barW := (col - gap) / float32(max(len(r.c.bars), 1))
	for s, row := range r.c.bars {
		for i, b := range row {
			b.Move(fyne.NewPos(float32(i)*col+gap/2+float32(s)*barW, 0))
			b.Resize(fyne.NewSize(barW-1, base-1))
		}
	}
	lineH := fyne.MeasureText("Ag", theme.CaptionTextSize(), fyne.TextStyle{}).Height
	for i, l := range r.labels {
		l.Move(fyne.NewPos(float32(i)*col, base+2))
		l.Resize(fyne.NewSize(col, lineH))
		if i < len(r.captions) {
			r.captions[i].Move(fyne.NewPos(float32(i)*col, base+2+lineH))
			r.captions[i].Resize(fyne.NewSize(col, lineH))
		}
	}
}

func (r *columnRenderer) MinSize() fyne.Size {
	w := float32(0)
	for _, l := range r.labels {
		w += l.MinSize().Width + 8
	}
	return fyne.NewSize(w, chartHeight+r.textHeight()+4)
}

func (r *columnRenderer) Refresh() {
	r.axis.StrokeColor = theme.Color(theme.ColorNameDisabled)
	r.axis.StrokeWidth = 1
	fg := theme.Color(theme.ColorNameForeground)
	for _, t := range append(append([]*canvas.Text{}, r.labels...), r.captions...) {
		t.Color = fg
		t.Refresh()
	}
	for _, row := range r.c.bars {
		for _, b := range row {
			b.Refresh()
		}
	}
	r.Layout(r.c.Size())
	r.axis.Refresh()
}

func (r *columnRenderer) Objects() []fyne.CanvasObject { return r.objects }
func (r *columnRenderer) Destroy()                     {}

// legend names a chart's series beside a square of each one's colour.
func legend(ss ...series) fyne.CanvasObject {
	box := container.NewHBox()
	for _, s := range ss {
		sq := canvas.NewRectangle(theme.Color(s.color))
		sq.SetMinSize(fyne.NewSize(12, 12))
		box.Add(container.NewCenter(sq))
		box.Add(widget.NewLabel(s.name))
	}
	return box
}

// hbar is one row of a bar chart lying down: a name and its bar.
type hbar struct {
	label string
	value int
	text  string // the number shown
	onTap func()
}

// barRows draws rows of horizontal bars, each as long as its value over
// the largest, after the names in a column of their own.
func barRows(color fyne.ThemeColorName, rows []hbar) fyne.CanvasObject {
	top := 0
	for _, r := range rows {
		top = max(top, r.value)
	}
	box := container.NewVBox()
	for _, r := range rows {
		name := widget.NewLabel(r.label)
		name.Truncation = fyne.TextTruncateEllipsis
		fixed := container.NewGridWrap(fyne.NewSize(170, name.MinSize().Height), name)
		box.Add(container.NewBorder(nil, nil, fixed, nil, newChartBar(fraction(r.value, top), color, r.text, true, r.onTap)))
	}
	return box
}

func itoa(n int) string { return strconv.Itoa(n) }
