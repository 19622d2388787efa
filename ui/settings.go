package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// settings is the Settings dialog: the owner's choices kept in the app's
// preferences.
type settings struct {
	region *widget.SelectEntry
	form   *formDialog
}

// onSettings opens the Settings dialog.
func (m *Main) onSettings() *settings {
	s := &settings{region: widget.NewSelectEntry([]string{"AT", "AU", "BE", "CA", "CH", "DE", "DK", "ES", "FR",
		"GB", "IE", "IT", "NL", "NO", "PL", "PT", "SE", "UA", "US"})}
	s.region.SetText(m.importRegion())
	hint := widget.NewLabel("Phone numbers written without a country code, such as 030 1234567, are read as numbers of this country when contacts are imported and matched.")
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	form := widget.NewForm(widget.NewFormItem("Phone region", s.region), widget.NewFormItem("", hint))
	s.form = showForm(m, "Settings", form, fyne.NewSize(520, 260), func() (func() error, error) {
		code := strings.ToUpper(strings.TrimSpace(s.region.Text))
		if !app.ValidRegion(code) {
			return nil, fmt.Errorf("%q is not a country code phone numbers know; use two letters such as DE, GB or US", s.region.Text)
		}
		m.app.Preferences().SetString(prefImportRegion, code)
		m.svc.SetPhoneRegion(code)
		return func() error { return nil }, nil
	}, nil)
	return s
}
