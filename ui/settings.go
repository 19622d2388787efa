package ui

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// settings is the Settings dialog: the owner's choices, kept in the
// database (the phone region in the app's preferences), so that the command
// line and every desk agree.
type settings struct {
	m        *Main
	region   *keySelectEntry
	notice   *keyEntry // hours of notice a cancellation needs not to count
	thankYou *keyCheck // plan a thank-you note after a first meeting or purchase
	referrer *keyCheck // plan a thank-you note to whoever referred a new contact
	currency *keyEntry // ISO 4217 code purchases are logged in

	cadence    map[model.Stage]*keyEntry // keep-in-touch days per stage
	paper      *keyRadio                 // of the follow-up sheet
	labelSheet *keySelect                // shown names of pdf.LabelLayouts
	offsetX    *keyEntry                 // mm, may be negative
	offsetY    *keyEntry
	// allBirthdays shows on Today the birthdays of everyone, not only of
	// the people met.
	allBirthdays *widget.Check

	sender   *widget.Entry // the return address, one line per part
	home     *widget.Entry // the home country, left off domestic labels
	testPage *widget.Button
	dates    *keyRadio // "" follows the system; else an app.DateStyle
	week     *keyRadio // the day weeks begin on; the first follows the system

	// shop and reminder: the reminder text of tomorrow's appointments
	// (reminders.go); reminders is what was stored, nil until read.
	shop, reminder *widget.Entry
	reminders      *app.ReminderSettings

	tabs *container.AppTabs
	form *formDialog
}

// Tabs of the Settings dialog.
const (
	tabGeneral   = "General"
	tabFollowups = "Follow-ups"
	tabPrinting  = "Printing"
	tabDates     = "Dates"
	tabReminders = "Reminders"
)

// noticeHours is the owner's notice window for cancellations, in hours
// (kept in the database, so the command line and other desks agree).
func (m *Main) noticeHours() int {
	return int(m.svc.Rules().NoticeWindow.Hours())
}

// labelSheetNames maps the shown name of each label sheet to its key, A4
// first.
func labelSheetNames() (names []string, keys map[string]string) {
	keys = map[string]string{}
	layouts := pdf.LabelLayouts()
	codes := make([]string, 0, len(layouts))
	for k := range layouts {
		codes = append(codes, k)
	}
	slices.SortFunc(codes, func(a, b string) int { return strings.Compare(layouts[a].Paper, layouts[b].Paper) })
	for _, k := range codes {
		l := layouts[k]
		name := fmt.Sprintf("%s (%s, %d × %d)", l.Name, l.Paper, l.Columns, l.Rows)
		names = append(names, name)
		keys[name] = k
	}
	return names, keys
}

// onSettings opens the Settings dialog: the fields show the defaults at
// once and the stored values when they have been read.
func (m *Main) onSettings() *settings {
	s := &settings{m: m}
	general := s.generalTab()
	followups := s.followupsTab()
	printing := s.printingTab()
	s.tabs = container.NewAppTabs(container.NewTabItem(tabGeneral, general),
		container.NewTabItem(tabFollowups, followups), container.NewTabItem(tabPrinting, printing),
		container.NewTabItem(tabDates, s.datesTab()), container.NewTabItem(tabReminders, s.remindersTab()))
	s.form = showForm(m, "Settings", s.tabs, fyne.NewSize(640, 520), s.validate, m.afterSettingsSaved)
	m.run(s.readStored)
	return s
}

// generalTab builds the phone region, currency, notice and thank-you
// fields.
func (s *settings) generalTab() *widget.Form {
	m := s.m
	s.region = m.newSelectEntry([]string{"AT", "AU", "BE", "CA", "CH", "DE", "DK", "ES", "FR",
		"GB", "IE", "IT", "NL", "NO", "PL", "PT", "SE", "UA", "US"})
	s.region.SetText(m.importRegion())
	hint := faint("Phone numbers written without a country code, such as 030 1234567, are read as numbers of this country when contacts are imported and matched.")
	s.notice = m.newEntry()
	s.notice.SetText(strconv.Itoa(m.noticeHours()))
	noticeHint := faint("A cancellation with less notice than this counts against a contact's reliability.")
	s.thankYou = m.newCheck("After a first meeting or purchase, plan a thank-you note (due in 2 days)", nil)
	s.referrer = m.newCheck("When someone refers a new contact, plan a thank-you note to them", nil)
	s.currency = m.newEntry()
	s.currency.SetPlaceHolder("EUR")
	currencyHint := faint("Purchases are logged in this currency (a code such as EUR, USD or CHF); amounts are typed as this computer's language writes them, 12,50 or 12.50. Purchases logged before keep theirs.")
	return widget.NewForm(widget.NewFormItem("Phone region", s.region), widget.NewFormItem("", hint),
		widget.NewFormItem("Currency", s.currency), widget.NewFormItem("", currencyHint),
		widget.NewFormItem("Notice (hours)", s.notice), widget.NewFormItem("", noticeHint),
		widget.NewFormItem("Notes", s.thankYou), widget.NewFormItem("", s.referrer))
}

// followupsTab builds the keep-in-touch days per stage and the birthdays
// choice.
func (s *settings) followupsTab() *widget.Form {
	s.cadence = map[model.Stage]*keyEntry{}
	followups := widget.NewForm(widget.NewFormItem("Keep in touch",
		faint("The Today tab and the follow-up sheet suggest getting in touch with a contact when nothing has been logged for them for this many days.")))
	for _, st := range model.Stages() {
		e := s.m.newEntry()
		e.SetText(strconv.Itoa(app.DefaultCadences()[st]))
		s.cadence[st] = e
		followups.Append(fmt.Sprintf("%ss (days)", app.Capitalize(string(st))), e)
	}
	s.allBirthdays = widget.NewCheck("Show the birthdays of every contact", nil)
	followups.Append("Birthdays", s.allBirthdays)
	followups.Append("", faint("Otherwise Today shows the birthdays and anniversaries of customers, clients and anyone with a journal entry: the people you have met, not a whole imported phone book."))
	return followups
}

// printingTab builds the paper, label sheet, offset and return address
// fields, showing the default print settings.
func (s *settings) printingTab() *widget.Form {
	m := s.m
	s.paper = m.newRadio([]string{pdf.A4, pdf.Letter}, nil)
	s.paper.Horizontal = true
	names, _ := labelSheetNames()
	s.labelSheet = m.newSelect(names, nil)
	s.offsetX, s.offsetY = m.newEntry(), m.newEntry()
	s.offsetX.SetPlaceHolder("0")
	s.offsetY.SetPlaceHolder("0")
	s.sender = widget.NewMultiLineEntry()
	s.sender.SetMinRowsVisible(3)
	s.sender.SetPlaceHolder("Shop name\nStreet 1\n12345 Town")
	s.home = widget.NewEntry()
	s.home.SetPlaceHolder("e.g. Germany or DE")
	s.show(app.DefaultPrintSettings())
	s.testPage = widget.NewButton("Print label test page", s.onTestPage)
	return widget.NewForm(widget.NewFormItem("Follow-up sheet", s.paper),
		widget.NewFormItem("Label sheet", s.labelSheet),
		widget.NewFormItem("Move right (mm)", s.offsetX),
		widget.NewFormItem("Move down (mm)", s.offsetY),
		widget.NewFormItem("", faint("If the addresses miss the labels, print the test page, hold it against a sheet of labels and move the print by the difference: negative moves left or up, at most 20 mm.")),
		widget.NewFormItem("", container.NewHBox(s.testPage)),
		widget.NewFormItem("Return address", s.sender),
		widget.NewFormItem("", faint("Printed small at the top of each label, so undeliverable post comes back. Leave empty for none.")),
		widget.NewFormItem("Home country", s.home),
		widget.NewFormItem("", faint("Labels to addresses in this country leave the country line off; addresses abroad keep it.")))
}

// afterSettingsSaved redraws what the saved settings change: lists,
// the card, the agenda, the notes and Today when it shows.
func (m *Main) afterSettingsSaved() {
	m.list.reloadAll()
	m.card.reload()
	m.agenda.refresh()
	m.notes.refresh()
	if m.tabs.Selected() != nil && m.tabs.Selected().Text == "Today" {
		m.today.refresh()
	}
}

// readStored reads the stored settings off the UI goroutine and returns
// what puts them in the fields.
func (s *settings) readStored() func() {
	m := s.m
	thankYou, terr := m.svc.RuleOn(m.ctx, app.RuleThankYou)
	referrer, rerr := m.svc.RuleOn(m.ctx, app.RuleReferrer)
	allBirthdays, berr := m.svc.AllBirthdays(m.ctx)
	cadences, cerr := m.svc.Cadences(m.ctx)
	printing, perr := m.svc.PrintSettings(m.ctx)
	currency, merr := m.svc.Currency(m.ctx)
	reminders, rmerr := m.svc.ReminderSettings(m.ctx)
	return func() {
		if merr == nil {
			s.currency.SetText(currency)
		}
		if rmerr == nil {
			s.showReminders(reminders)
		}
		s.thankYou.SetChecked(thankYou)
		s.referrer.SetChecked(referrer)
		s.allBirthdays.SetChecked(allBirthdays)
		if cerr == nil {
			for st, e := range s.cadence {
				e.SetText(strconv.Itoa(cadences[st]))
			}
		}
		if perr == nil {
			s.show(printing)
		}
		// A stored value no longer valid shows the default, and why.
		if err := firstError(terr, rerr, berr, cerr, perr, merr, rmerr); err != nil {
			s.form.showProblem(fmt.Errorf("%w; the default is shown, Save to keep it", err))
		}
	}
}

func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// show puts print settings in the fields.
func (s *settings) show(p app.PrintSettings) {
	s.paper.SetSelected(p.Paper)
	names, keys := labelSheetNames()
	for _, name := range names {
		if keys[name] == p.LabelSheet {
			s.labelSheet.SetSelected(name)
		}
	}
	s.offsetX.SetText(pdf.FormatMM(p.OffsetX))
	s.offsetY.SetText(pdf.FormatMM(p.OffsetY))
	s.sender.SetText(p.ReturnAddress)
	s.home.SetText(p.HomeCountry)
}

// printSettings reads the print settings typed, saying what is wrong.
func (s *settings) printSettings() (app.PrintSettings, error) {
	_, keys := labelSheetNames()
	p := app.PrintSettings{Paper: s.paper.Selected, LabelSheet: keys[s.labelSheet.Selected]}
	var err error
	if p.OffsetX, err = pdf.ParseLabelOffset("Move right", s.offsetX.Text); err != nil {
		return p, err
	}
	if p.OffsetY, err = pdf.ParseLabelOffset("Move down", s.offsetY.Text); err != nil {
		return p, err
	}
	p.ReturnAddress = app.CleanReturnAddress(s.sender.Text)
	if p.HomeCountry, err = app.ParseHomeCountry(s.home.Text); err != nil {
		return p, err
	}
	return p, p.Check()
}

// refuse shows the tab where the problem is and says what it is.
func (s *settings) refuse(tab string, err error) error {
	for _, t := range s.tabs.Items {
		if t.Text == tab {
			s.tabs.Select(t)
		}
	}
	return err
}

func (s *settings) validate() (func() error, error) {
	m := s.m
	code := strings.ToUpper(strings.TrimSpace(s.region.Text))
	if !app.ValidRegion(code) {
		return nil, s.refuse(tabGeneral, fmt.Errorf("%q is not a country code phone numbers know; use two letters such as DE, GB or US", s.region.Text))
	}
	hours, err := strconv.Atoi(strings.TrimSpace(s.notice.Text))
	if err != nil || hours < 1 || hours > 24*14 {
		return nil, s.refuse(tabGeneral, fmt.Errorf("write the notice in hours, between 1 and 336, such as 24"))
	}
	cadences := app.Cadences{}
	for _, st := range model.Stages() {
		days, err := app.ParseCadence(st, s.cadence[st].Text)
		if err != nil {
			return nil, s.refuse(tabFollowups, err)
		}
		cadences[st] = days
	}
	printing, err := s.printSettings()
	if err != nil {
		return nil, s.refuse(tabPrinting, err)
	}
	currency, err := app.ParseCurrency(s.currency.Text)
	if err != nil {
		return nil, s.refuse(tabGeneral, err)
	}
	m.app.Preferences().SetString(prefImportRegion, code)
	m.svc.SetPhoneRegion(code)
	m.setDateStyle(s.chosenDateStyle())
	m.app.Preferences().SetString(prefWeekStart, s.chosenWeekStart())
	thankYou, referrer, all := s.thankYou.Checked, s.referrer.Checked, s.allBirthdays.Checked
	reminders := s.typedReminders()
	return func() error {
		return m.svc.SaveSettings(m.ctx, app.Settings{
			Reminders:   reminders,
			Rules:       map[string]bool{app.RuleThankYou: thankYou, app.RuleReferrer: referrer, app.SettingAllBirthdays: all},
			Cadences:    cadences,
			Print:       printing,
			Reliability: app.ReliabilityRules{NoticeWindow: time.Duration(hours) * time.Hour},
			Currency:    currency,
		})
	}, nil
}

// onTestPage prints the outlines of the labels with the sheet and offsets
// as typed, saved or not, so the owner can calibrate before saving.
func (s *settings) onTestPage() {
	p, err := s.printSettings()
	if err != nil {
		s.form.showProblem(err)
		return
	}
	s.form.hideProblem()
	s.m.onPrint("label-test", labelHint, func(w io.Writer) (pdf.Report, error) {
		rep, _, err := s.m.svc.PrintLabels(s.m.ctx, pdf.LabelJob{Layout: p.Layout(), OffsetX: p.OffsetX, OffsetY: p.OffsetY, Test: true}, w)
		return rep, err
	})
}

// datesTab offers the date styles, each written as it shows 3 December
// 2026; the first follows the system's locale. Kept on this desk only.
func (s *settings) datesTab() fyne.CanvasObject {
	s.dates = s.m.newRadio(s.dateChoices(), nil)
	stored, _ := app.ParseDateStyle(s.m.app.Preferences().String(prefDateStyle))
	s.dates.SetSelected(s.dateChoices()[0])
	for i, st := range app.DateStyles() {
		if st == stored {
			s.dates.SetSelected(s.dateChoices()[i+1])
		}
	}
	hint := faint("Dates are shown like this everywhere, and typed like this too. 2026-12-03 is always understood; 3.12.2026 is always day first.")
	hint.Wrapping = fyne.TextWrapWord

	s.week = s.m.newRadio(s.weekChoices(), nil)
	s.week.Horizontal = true
	for i, d := range weekStarts {
		if d.String() == s.m.app.Preferences().String(prefWeekStart) {
			s.week.SetSelected(s.weekChoices()[i+1])
		}
	}
	return widget.NewForm(widget.NewFormItem("Write dates as", s.dates), widget.NewFormItem("", hint),
		widget.NewFormItem("Weeks begin on", s.week))
}

// weekChoices: the system's first day, then each day a week can begin on.
func (s *settings) weekChoices() []string {
	out := []string{"As this computer's language says (" + app.SystemFirstWeekday(os.Getenv, lang.SystemLocale().String()).String() + ")"}
	for _, d := range weekStarts {
		out = append(out, d.String())
	}
	return out
}

// chosenWeekStart is the day picked, "" for the system's.
func (s *settings) chosenWeekStart() string {
	if s.week.Selected == s.weekChoices()[0] {
		return ""
	}
	return s.week.Selected
}

func (s *settings) dateChoices() []string {
	out := []string{"As this computer's language says (" + systemDateStyle().Example() + ")"}
	for _, st := range app.DateStyles() {
		out = append(out, st.Example())
	}
	return out
}

// chosenDateStyle is the style picked, "" for the system's.
func (s *settings) chosenDateStyle() string {
	for i, choice := range s.dateChoices()[1:] {
		if choice == s.dates.Selected {
			return string(app.DateStyles()[i])
		}
	}
	return ""
}
