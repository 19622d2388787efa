package ui

import (
	_ "embed"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"github.com/jeandeaual/go-locale"
)

// fyneEnglish is Fyne's own English strings (Cancel, Save, Quit, the file
// dialog's, the calendar's day names), copied from fyne.io/fyne/v2/lang.
//
//go:embed fyne-en.json
var fyneEnglish []byte

// pinFyneEnglish makes Fyne's own strings English whatever the system's
// language: Fyne translates its dialogs and menus by the system locale
// while Rapport's strings are English, which gave "Beenden" beside "Save".
// The English strings are registered as the translation for each of the
// user's locales (and their bare languages), so that whichever Fyne picks
// reads English.
func pinFyneEnglish() error {
	locales, err := locale.GetLocales()
	if err != nil {
		locales = nil // then only the system locale below
	}
	locales = append(locales, lang.SystemLocale().String())
	seen := map[string]bool{}
	for _, l := range locales {
		for _, tag := range []string{l, strings.SplitN(l, "-", 2)[0]} {
			if tag == "" || tag == "C" || seen[tag] {
				continue
			}
			seen[tag] = true
			if err := lang.AddTranslationsForLocale(fyneEnglish, fyne.Locale(tag)); err != nil {
				return fmt.Errorf("fyne's strings in English for %s: %w", tag, err)
			}
		}
	}
	return nil
}
