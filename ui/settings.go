package ui

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
)

// settings is the Settings dialog: the owner's choices kept in the app's
// preferences.
type settings struct {
	region   *widget.SelectEntry
	notice   *widget.Entry // hours of notice a cancellation needs not to count
	thankYou *widget.Check // plan a thank-you note after a first meeting or purchase
	referrer *widget.Check // plan a thank-you note to whoever referred a new contact
	form     *formDialog
}

// noticeHours is the owner's notice window for cancellations, in hours
// (kept in the database, so the command line and other desks agree).
func (m *Main) noticeHours() int {
	return int(m.svc.Rules().NoticeWindow.Hours())
}

// onSettings opens the Settings dialog.
func (m *Main) onSettings() *settings {
	s := &settings{region: widget.NewSelectEntry([]string{"AT", "AU", "BE", "CA", "CH", "DE", "DK", "ES", "FR",
		"GB", "IE", "IT", "NL", "NO", "PL", "PT", "SE", "UA", "US"})}
	s.region.SetText(m.importRegion())
	hint := faint("Phone numbers written without a country code, such as 030 1234567, are read as numbers of this country when contacts are imported and matched.")
	s.notice = widget.NewEntry()
	s.notice.SetText(strconv.Itoa(m.noticeHours()))
	noticeHint := faint("A cancellation with less notice than this counts against a contact's reliability.")
	s.thankYou = widget.NewCheck("After a first meeting or purchase, plan a thank-you note (due in 2 days)", nil)
	s.referrer = widget.NewCheck("When someone refers a new contact, plan a thank-you note to them", nil)
	m.run(func() func() {
		thankYou, referrer := m.svc.RuleOn(m.ctx, app.RuleThankYou), m.svc.RuleOn(m.ctx, app.RuleReferrer)
		return func() { s.thankYou.SetChecked(thankYou); s.referrer.SetChecked(referrer) }
	})
	form := widget.NewForm(widget.NewFormItem("Phone region", s.region), widget.NewFormItem("", hint),
		widget.NewFormItem("Notice (hours)", s.notice), widget.NewFormItem("", noticeHint),
		widget.NewFormItem("Notes", s.thankYou), widget.NewFormItem("", s.referrer))
	s.form = showForm(m, "Settings", form, fyne.NewSize(600, 460), func() (func() error, error) {
		code := strings.ToUpper(strings.TrimSpace(s.region.Text))
		if !app.ValidRegion(code) {
			return nil, fmt.Errorf("%q is not a country code phone numbers know; use two letters such as DE, GB or US", s.region.Text)
		}
		hours, err := strconv.Atoi(strings.TrimSpace(s.notice.Text))
		if err != nil || hours < 1 || hours > 24*14 {
			return nil, fmt.Errorf("write the notice in hours, between 1 and 336, such as 24")
		}
		m.app.Preferences().SetString(prefImportRegion, code)
		m.svc.SetPhoneRegion(code)
		thankYou, referrer := s.thankYou.Checked, s.referrer.Checked
		return func() error {
			if err := m.svc.SetRule(m.ctx, app.RuleThankYou, thankYou); err != nil {
				return err
			}
			if err := m.svc.SetRule(m.ctx, app.RuleReferrer, referrer); err != nil {
				return err
			}
			return m.svc.SetReliabilityRules(m.ctx, app.ReliabilityRules{NoticeWindow: time.Duration(hours) * time.Hour})
		}, nil
	}, func() {
		m.list.reloadAll()
		m.card.reload()
	})
	return s
}
