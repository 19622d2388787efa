package app

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"strconv"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/money"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

// The owner's follow-up and printing settings, kept in the database's
// settings table so that the window, the command line and every desk read
// the same values. Each is read when used, never cached: a change made at
// another desk counts at once.
const (
	cadenceSettingPrefix = "followups.keep_in_touch_days."         // + stage
	paperSetting         = "print.followups_paper"                 // A4 or Letter
	labelSheetSetting    = "print.label_sheet"                     // a key of pdf.LabelLayouts
	offsetXSetting       = "print.label_offset_x_mm"               // may be negative
	offsetYSetting       = "print.label_offset_y_mm"               // may be negative
	returnSetting        = "print.return_address"                  // the sender's lines, on each label
	homeCountrySetting   = "print.home_country"                    // ISO code; left off domestic labels
	maxReturnLines       = 4                                       // more does not fit a label's top
	MaxCadenceDays       = 3650                                    // ten years
	defaultLabelSheet    = "L7160"                                 // the A4 sheet
	cadenceWhat          = "a whole number of days from 1 to 3650" // what a cadence may be
)

// CheckCadence says why days cannot be the keep-in-touch cadence of stage.
func CheckCadence(stage model.Stage, days int) error {
	if days < 1 || days > MaxCadenceDays {
		return fmt.Errorf("keep in touch with a %s: %d days is not %s", stage, days, cadenceWhat)
	}
	return nil
}

// ParseCadence reads a cadence as typed by the owner.
func ParseCadence(stage model.Stage, text string) (int, error) {
	days, err := strconv.Atoi(strings.TrimSpace(text))
	if err != nil {
		return 0, fmt.Errorf("keep in touch with a %s: %q is not %s", stage, text, cadenceWhat)
	}
	return days, CheckCadence(stage, days)
}

// Cadences are the owner's keep-in-touch cadences, the defaults (prospect
// 14 days, customer 30, client 60) where never set.
func (s *Service) Cadences(ctx context.Context) (Cadences, error) {
	keys := make([]string, 0, len(model.Stages()))
	for _, st := range model.Stages() {
		keys = append(keys, cadenceSettingPrefix+string(st))
	}
	values, err := s.store().Settings(ctx, keys...)
	if err != nil {
		return nil, err
	}
	c := DefaultCadences()
	for _, st := range model.Stages() {
		key := cadenceSettingPrefix + string(st)
		v, ok := values[key]
		if !ok {
			continue
		}
		days, err := ParseCadence(st, v)
		if err != nil {
			return nil, fmt.Errorf("setting %s: %w", key, err)
		}
		c[st] = days
	}
	return c, nil
}

// SetCadences keeps the keep-in-touch cadences, all of them or none.
func (s *Service) SetCadences(ctx context.Context, c Cadences) error {
	values, err := cadenceValues(c)
	if err != nil {
		return err
	}
	return s.store().SetSettings(ctx, values)
}

func cadenceValues(c Cadences) (map[string]string, error) {
	values := map[string]string{}
	for _, st := range model.Stages() {
		days, ok := c[st]
		if !ok {
			continue
		}
		if err := CheckCadence(st, days); err != nil {
			return nil, err
		}
		values[cadenceSettingPrefix+string(st)] = strconv.Itoa(days)
	}
	return values, nil
}

// Settings is everything the Settings dialog saves at once.
type Settings struct {
	Rules       map[string]bool // note rules (RuleThankYou, RuleReferrer) on or off
	Cadences    Cadences
	Print       PrintSettings
	Reliability ReliabilityRules
	Currency    string            // purchases' ISO 4217 code; "" leaves it as it is
	Reminders   *ReminderSettings // nil leaves them as they are
}

// SaveSettings checks and keeps all of them in one transaction: a value
// refused, or a failure part way, leaves every setting as it was.
func (s *Service) SaveSettings(ctx context.Context, set Settings) error {
	values, err := cadenceValues(set.Cadences)
	if err != nil {
		return err
	}
	if err := set.Print.Check(); err != nil {
		return err
	}
	if set.Reliability.NoticeWindow < time.Minute {
		return errors.New("the notice for cancelling must be at least a minute")
	}
	for rule, on := range set.Rules {
		values[rule] = ruleValue(on)
	}
	maps.Copy(values, printValues(set.Print))
	if set.Currency != "" {
		code, err := ParseCurrency(set.Currency)
		if err != nil {
			return err
		}
		values[currencySetting] = code
	}
	values[noticeSetting] = strconv.Itoa(int(set.Reliability.NoticeWindow.Minutes()))
	if set.Reminders != nil {
		r, err := reminderValues(*set.Reminders)
		if err != nil {
			return err
		}
		maps.Copy(values, r)
	}
	if err := s.store().SetSettings(ctx, values); err != nil {
		return err
	}
	s.rules.Store(set.Reliability)
	return nil
}

// PrintSettings are the paper of the follow-up sheet and the label sheet
// with its calibration.
type PrintSettings struct {
	Paper      string  // of the follow-up sheet: pdf.A4 or pdf.Letter
	LabelSheet string  // a key of pdf.LabelLayouts: L7160 or 5160
	OffsetX    float64 // mm the labels move right (negative: left)
	OffsetY    float64 // mm the labels move down (negative: up)
	// ReturnAddress is the sender's address, lines joined by "\n", printed
	// small at the top of each label; "" for none.
	ReturnAddress string
	// HomeCountry is the shop's country as an ISO code (DE); addresses
	// there print without their country line. "" keeps every country.
	HomeCountry string
}

// DefaultPrintSettings: A4, Avery L7160, no offsets.
func DefaultPrintSettings() PrintSettings {
	return PrintSettings{Paper: pdf.A4, LabelSheet: defaultLabelSheet}
}

// Layout is the label sheet of the settings.
func (p PrintSettings) Layout() pdf.LabelLayout { return pdf.LabelLayouts()[p.LabelSheet] }

// Check says what is wrong with the settings, if anything.
func (p PrintSettings) Check() error {
	if p.Paper != pdf.A4 && p.Paper != pdf.Letter {
		return fmt.Errorf("paper %q: A4 or Letter", p.Paper)
	}
	if _, ok := pdf.LabelLayouts()[p.LabelSheet]; !ok {
		return fmt.Errorf("label sheet %q: L7160 or 5160", p.LabelSheet)
	}
	if err := pdf.CheckLabelOffset("label offset across", p.OffsetX); err != nil {
		return err
	}
	if err := pdf.CheckLabelOffset("label offset down", p.OffsetY); err != nil {
		return err
	}
	if n := len(strings.Split(p.ReturnAddress, "\n")); n > maxReturnLines {
		return fmt.Errorf("return address: %d lines; at most %d fit at the top of a label", n, maxReturnLines)
	}
	if p.HomeCountry != "" {
		if _, ok := ParseCountry(p.HomeCountry); !ok {
			return fmt.Errorf("home country %q: write its name or its two-letter code, such as Germany or DE", p.HomeCountry)
		}
	}
	return nil
}

// ParseHomeCountry reads the home country as typed ("Deutschland", "de")
// as its ISO code; "" for none.
func ParseHomeCountry(text string) (string, error) {
	if strings.TrimSpace(text) == "" {
		return "", nil
	}
	r, ok := ParseCountry(text)
	if !ok {
		return "", fmt.Errorf("home country %q: write its name or its two-letter code, such as Germany or DE", text)
	}
	return r.String(), nil
}

// CleanReturnAddress is a return address as typed, without blank lines or
// the spaces around each line.
func CleanReturnAddress(text string) string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(text, "\r", ""), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

// PrintSettings are the owner's print settings, the defaults where never
// set.
func (s *Service) PrintSettings(ctx context.Context) (PrintSettings, error) {
	values, err := s.store().Settings(ctx, paperSetting, labelSheetSetting, offsetXSetting, offsetYSetting,
		returnSetting, homeCountrySetting)
	if err != nil {
		return PrintSettings{}, err
	}
	p := DefaultPrintSettings()
	if v, ok := values[paperSetting]; ok {
		p.Paper = v
	}
	if v, ok := values[labelSheetSetting]; ok {
		p.LabelSheet = v
	}
	p.ReturnAddress, p.HomeCountry = values[returnSetting], values[homeCountrySetting]
	for key, to := range map[string]*float64{offsetXSetting: &p.OffsetX, offsetYSetting: &p.OffsetY} {
		if v, ok := values[key]; ok {
			mm, err := strconv.ParseFloat(v, 64)
			if err != nil {
				return PrintSettings{}, fmt.Errorf("setting %s: %q is not a number of millimetres", key, v)
			}
			*to = mm
		}
	}
	if err := p.Check(); err != nil {
		return PrintSettings{}, fmt.Errorf("print settings: %w", err)
	}
	return p, nil
}

// SetPrintSettings keeps the print settings, all of them or none.
func (s *Service) SetPrintSettings(ctx context.Context, p PrintSettings) error {
	if err := p.Check(); err != nil {
		return err
	}
	return s.store().SetSettings(ctx, printValues(p))
}

func printValues(p PrintSettings) map[string]string {
	return map[string]string{
		paperSetting: p.Paper, labelSheetSetting: p.LabelSheet,
		offsetXSetting: pdf.FormatMM(p.OffsetX), offsetYSetting: pdf.FormatMM(p.OffsetY),
		returnSetting: p.ReturnAddress, homeCountrySetting: p.HomeCountry,
	}
}

// The rules that create note reminders by themselves, each of which the
// owner can switch off (settings kept in the database).
const (
	RuleThankYou = "notes.thank_you_after_first_meeting"
	RuleReferrer = "notes.thank_the_referrer"
)

// RuleOn reports whether an automatic note rule is on (the default).
func (s *Service) RuleOn(ctx context.Context, rule string) (bool, error) {
	v, ok, err := s.store().Setting(ctx, rule)
	if err != nil {
		return false, fmt.Errorf("read the rule %s: %w", rule, err)
	}
	return !ok || v != "off", nil
}

// SetRule switches an automatic note rule on or off.
func (s *Service) SetRule(ctx context.Context, rule string, on bool) error {
	return s.store().SetSetting(ctx, rule, ruleValue(on))
}

func ruleValue(on bool) string {
	if on {
		return "on"
	}
	return "off"
}

// SettingAllBirthdays, when "on", shows on Today the birthdays of everyone,
// not only of those the owner has met.
const SettingAllBirthdays = "today.all_birthdays"

// AllBirthdays reports whether Today shows everyone's birthdays (off by
// default: imported phone books are mostly people the shop never met).
func (s *Service) AllBirthdays(ctx context.Context) (bool, error) {
	v, ok, err := s.store().Setting(ctx, SettingAllBirthdays)
	if err != nil {
		return false, fmt.Errorf("read the birthdays setting: %w", err)
	}
	return ok && v == "on", nil
}

// SetAllBirthdays switches everyone's birthdays on Today on or off.
func (s *Service) SetAllBirthdays(ctx context.Context, on bool) error {
	return s.store().SetSetting(ctx, SettingAllBirthdays, ruleValue(on))
}

// noticeSetting is the settings key of the notice window, in minutes.
const noticeSetting = "reliability.notice_minutes"

// LoadSettings reads the owner's settings kept in the database (shared by
// the window, the command line and every desk).
func (s *Service) LoadSettings(ctx context.Context) error {
	v, ok, err := s.store().Setting(ctx, noticeSetting)
	if err != nil || !ok {
		return err
	}
	minutes, err := strconv.Atoi(v)
	if err != nil || minutes <= 0 {
		return fmt.Errorf("setting %s: %q is not a number of minutes", noticeSetting, v)
	}
	s.rules.Store(ReliabilityRules{NoticeWindow: time.Duration(minutes) * time.Minute})
	return nil
}

// SetReliabilityRules changes the rules and keeps them in the database. Kept
// scores carry the rule they were taken under, so those of the old rule are
// scored again when next needed.
func (s *Service) SetReliabilityRules(ctx context.Context, r ReliabilityRules) error {
	if r.NoticeWindow < time.Minute {
		return errors.New("the notice for cancelling must be at least a minute")
	}
	if err := s.store().SetSetting(ctx, noticeSetting, strconv.Itoa(int(r.NoticeWindow.Minutes()))); err != nil {
		return err
	}
	s.rules.Store(r)
	return nil
}

// Currency is the currency purchases are logged in: the one set in
// Settings, else the locale's.
func (s *Service) Currency(ctx context.Context) (string, error) {
	v, ok, err := s.store().Setting(ctx, currencySetting)
	if err != nil {
		return "", err
	}
	if !ok {
		return s.moneyLocale().currency, nil
	}
	if !money.ValidCurrency(v) {
		return "", fmt.Errorf("setting %s: %q is not a currency code such as EUR", currencySetting, v)
	}
	return v, nil
}

// ParseCurrency reads a currency code as typed in Settings ("eur" is EUR).
func ParseCurrency(text string) (string, error) {
	code := strings.ToUpper(strings.TrimSpace(text))
	if !money.ValidCurrency(code) {
		return "", fmt.Errorf("currency %q: want a code of three letters such as EUR, USD or CHF", text)
	}
	return code, nil
}

// SetCurrency keeps the currency purchases are logged in from now on;
// purchases logged before keep theirs.
func (s *Service) SetCurrency(ctx context.Context, code string) error {
	code, err := ParseCurrency(code)
	if err != nil {
		return err
	}
	return s.store().SetSetting(ctx, currencySetting, code)
}

// Settings of the reminder text: the owner's own words, and the shop's
// name signed under them.
const (
	SettingReminderTemplate = "reminders.template"
	SettingShopName         = "reminders.shop"
	maxReminderTemplate     = 1000 // characters; a text message, not a letter
)

// DefaultReminderTemplate is the reminder text until the owner writes
// their own. Its placeholders: {first name}, {name}, {day}, {time},
// {purpose}, {shop}; "({purpose})" is left out when there is none.
const DefaultReminderTemplate = "Hello {first name}, a reminder of your appointment tomorrow, {day} at {time} ({purpose}). See you then! — {shop}"

// ReminderSettings are the reminder template and the shop's name.
type ReminderSettings struct {
	Template string
	Shop     string
}

// ReminderSettings reads the template (the default when never set) and
// the shop's name.
func (s *Service) ReminderSettings(ctx context.Context) (ReminderSettings, error) {
	var r ReminderSettings
	v, ok, err := s.store().Setting(ctx, SettingReminderTemplate)
	if err != nil {
		return r, fmt.Errorf("read the reminder text: %w", err)
	}
	r.Template = DefaultReminderTemplate
	if ok && strings.TrimSpace(v) != "" {
		r.Template = v
	}
	if r.Shop, _, err = s.store().Setting(ctx, SettingShopName); err != nil {
		return r, fmt.Errorf("read the shop's name: %w", err)
	}
	return r, nil
}

// SetReminderSettings keeps both, in one transaction; an empty template
// goes back to the default.
func (s *Service) SetReminderSettings(ctx context.Context, r ReminderSettings) error {
	values, err := reminderValues(r)
	if err != nil {
		return err
	}
	return s.store().SetSettings(ctx, values)
}

// reminderValues are the stored settings of r, checked.
func reminderValues(r ReminderSettings) (map[string]string, error) {
	t := strings.TrimSpace(r.Template)
	if n := len([]rune(t)); n > maxReminderTemplate {
		return nil, fmt.Errorf("the reminder text is %d characters long: at most %d", n, maxReminderTemplate)
	}
	if t == DefaultReminderTemplate {
		t = ""
	}
	return map[string]string{SettingReminderTemplate: t, SettingShopName: strings.TrimSpace(r.Shop)}, nil
}
