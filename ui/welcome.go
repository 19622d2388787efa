package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// welcome is what an empty database shows in place of the list and the
// card: three ways to begin. It goes once there are contacts and comes
// back when all are gone.
type welcome struct {
	m      *Main
	root   *fyne.Container
	demo   *widget.Button
	add    *widget.Button
	vcards *widget.Button
}

// phoneHowTo says, per phone or service, how to get a .vcf file out.
func phoneHowTo() [][2]string {
	return [][2]string{
		{"iPhone", "Contacts app ▸ Lists ▸ touch and hold All Contacts ▸ Export, then send the .vcf to this computer (or iCloud.com ▸ Contacts ▸ Export vCard)."},
		{"Android", "Contacts app ▸ Fix & manage ▸ Export to file, then copy the .vcf to this computer."},
		{"Google Contacts", "contacts.google.com ▸ Export ▸ vCard (for iOS Contacts)."},
		{"Outlook", "People ▸ select the contacts ▸ Forward Contact ▸ As a Business Card, then save the attached .vcf files."},
	}
}

func newWelcome(m *Main) *welcome {
	w := &welcome{m: m}
	title := widget.NewLabelWithStyle("Welcome to Rapport", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	title.SizeName = theme.SizeNameHeadingText
	intro := widget.NewLabelWithStyle("Your contacts, what they told you and when to get in touch, kept on this computer.\nHow would you like to begin?",
		fyne.TextAlignCenter, fyne.TextStyle{})
	intro.Wrapping = fyne.TextWrapWord

	w.vcards = widget.NewButtonWithIcon("Import phone contacts…", theme.DownloadIcon(), m.onImportVCards)
	w.vcards.Importance = widget.HighImportance
	howTo := container.NewVBox()
	for _, h := range phoneHowTo() {
		l := widget.NewRichTextFromMarkdown("**" + h[0] + ":** " + h[1])
		l.Wrapping = fyne.TextWrapWord
		howTo.Add(l)
	}
	w.demo = widget.NewButtonWithIcon("Try the demo shop", theme.MediaPlayIcon(), w.onDemo)
	demoHint := widget.NewLabel("About forty made-up customers of a gift shop. Import History takes them away again in one go.")
	demoHint.Wrapping = fyne.TextWrapWord
	w.add = widget.NewButtonWithIcon("Add a contact…", theme.ContentAddIcon(), m.onNewContact)
	addHint := widget.NewLabel("Start with the next person who walks in.")

	choice := func(b *widget.Button, below fyne.CanvasObject) fyne.CanvasObject {
		return container.NewVBox(container.NewGridWrap(fyne.NewSize(320, 56), b), below)
	}
	body := container.NewVBox(title, intro, widget.NewSeparator(),
		choice(w.vcards, howTo), widget.NewSeparator(),
		choice(w.demo, demoHint), widget.NewSeparator(),
		choice(w.add, addHint))
	// A readable column in the middle of a wide window.
	column := container.New(&maxWidth{width: 640}, body)
	w.root = container.NewStack(container.NewVScroll(container.NewPadded(container.NewCenter(column))))
	w.root.Hide()
	return w
}

// onDemo fills the empty database with the demo shop, as one import the
// snackbar's Undo (or Import History) takes away again.
func (w *welcome) onDemo() {
	m := w.m
	w.demo.Disable()
	m.run(func() func() {
		n, undo, err := m.svc.DemoShop(m.ctx)
		return func() {
			w.demo.Enable()
			if err != nil {
				m.showError(err)
				return
			}
			m.refreshAll()
			m.done.announce(fmt.Sprintf("Added the demo shop: %d made-up contacts.", n), m.undoing(undo))
		}
	})
}

// maxWidth lays its objects out no wider than width, and as tall as they
// need.
type maxWidth struct{ width float32 }

func (l *maxWidth) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var s fyne.Size
	for _, o := range objects {
		m := o.MinSize()
		s = s.Max(fyne.NewSize(min(m.Width, l.width), m.Height))
	}
	return fyne.NewSize(max(s.Width, l.width), s.Height)
}

func (l *maxWidth) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(fyne.NewSize(min(size.Width, l.width), size.Height))
	}
}

// setEmpty shows the welcome in place of the list and card while the
// database holds no contact.
func (m *Main) setEmpty(empty bool) {
	if empty == m.welcome.root.Visible() {
		return
	}
	if empty {
		m.welcome.root.Show()
		m.split.Hide()
	} else {
		m.welcome.root.Hide()
		m.split.Show()
	}
}
