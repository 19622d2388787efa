package app

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app/pdf/pdftest"

	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

func TestCadenceSettingsDriveKeepInTouch(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if c, err := s.Cadences(ctx); err != nil || c[model.StageProspect] != 14 || c[model.StageCustomer] != 30 || c[model.StageClient] != 60 {
		t.Fatalf("defaults: %v %v", c, err)
	}
	quiet := &model.Contact{DisplayName: "Quiet Prospect", Stage: model.StageProspect, CreatedAt: fixedNow.AddDate(0, 0, -20)}
	if err := s.CreateContact(ctx, quiet); err != nil {
		t.Fatal(err)
	}
	sheetSays := func() string {
		var buf bytes.Buffer
		if _, err := s.PrintFollowups(ctx, fixedNow, pdf.A4, &buf); err != nil {
			t.Fatal(err)
		}
		return pdftest.Text(t, buf.Bytes())
	}
	if text := sheetSays(); !strings.Contains(text, "Nothing logged for 20 days (a prospect: every 14)") {
		t.Errorf("with the default cadence the sheet says:\n%s", text)
	}

	// One bad cadence refuses the whole change.
	for _, bad := range []Cadences{{model.StageProspect: 0}, {model.StageProspect: 20, model.StageClient: 3651}, {model.StageCustomer: -5}} {
		if err := s.SetCadences(ctx, bad); err == nil || !strings.Contains(err.Error(), "from 1 to 3650") {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if c, _ := s.Cadences(ctx); c[model.StageProspect] != 14 {
		t.Errorf("a refused change was kept: %v", c)
	}

	// Quiet for 20 days: not due with a 21-day cadence, due with 19.
	if err := s.SetCadences(ctx, Cadences{model.StageProspect: 21, model.StageCustomer: 45, model.StageClient: 90}); err != nil {
		t.Fatal(err)
	}
	if text := sheetSays(); strings.Contains(text, "Quiet Prospect") {
		t.Errorf("quiet for 20 days with a 21-day cadence is listed:\n%s", text)
	}
	if err := s.SetCadences(ctx, Cadences{model.StageProspect: 19}); err != nil {
		t.Fatal(err)
	}
	// Another desk (a new service over the same database) reads the same.
	other := New(s.store()).WithClock(s.now)
	c, err := other.Cadences(ctx)
	if err != nil || c[model.StageProspect] != 19 || c[model.StageCustomer] != 45 || c[model.StageClient] != 90 {
		t.Fatalf("another desk reads %v %v", c, err)
	}
	list, err := other.Followups(ctx, fixedNow, c)
	if err != nil || len(list) != 1 || list[0].Text != "Nothing logged for 20 days (a prospect: every 19)" {
		t.Errorf("follow-ups with the saved cadence: %+v %v", list, err)
	}

	// A value spoiled outside Rapport is named, not taken for a default.
	if err := s.store().SetSetting(ctx, cadenceSettingPrefix+"client", "soon"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Cadences(ctx); err == nil || !strings.Contains(err.Error(), "followups.keep_in_touch_days.client") {
		t.Errorf("a spoiled cadence: %v", err)
	}
}

func TestPrintSettingsAreKeptAndChecked(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	if p, err := s.PrintSettings(ctx); err != nil || p != DefaultPrintSettings() || p.Layout().Name != "Avery L7160" {
		t.Fatalf("defaults %+v %v", p, err)
	}
	want := PrintSettings{Paper: pdf.Letter, LabelSheet: "5160", OffsetX: -1.5, OffsetY: 0.75}
	if err := s.SetPrintSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	if p, err := New(s.store()).PrintSettings(ctx); err != nil || p != want {
		t.Errorf("read back %+v %v", p, err)
	}
	for _, bad := range []PrintSettings{
		{Paper: "A3", LabelSheet: "5160"},
		{Paper: pdf.A4, LabelSheet: "L7163"},
		{Paper: pdf.A4, LabelSheet: "L7160", OffsetX: 20.5},
		{Paper: pdf.A4, LabelSheet: "L7160", OffsetY: -21},
	} {
		if err := s.SetPrintSettings(ctx, bad); err == nil {
			t.Errorf("%+v was accepted", bad)
		}
	}
	if p, _ := s.PrintSettings(ctx); p != want {
		t.Errorf("a refused change was kept: %+v", p)
	}

	// Offsets beyond a calibration are refused when printing too.
	var buf bytes.Buffer
	if _, _, err := s.PrintLabels(ctx, pdf.LabelJob{Layout: pdf.LabelLayouts()["L7160"], OffsetY: 30, Test: true}, &buf); err == nil || buf.Len() != 0 {
		t.Errorf("printed with a 30 mm offset: %v", err)
	}
}

func TestWhatWasWrittenShowsBesideTheNextNote(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	c := &model.Contact{DisplayName: "Maria Keller", NotesOwed: []model.NoteReminder{
		{Reason: "thank you for the first visit", Due: "2026-11-20", Status: model.NoteOwed}}}
	other := &model.Contact{DisplayName: "Jörg Müller", NotesOwed: []model.NoteReminder{
		{Reason: "congratulations", Due: "2026-11-25", Status: model.NoteOwed}}}
	for _, x := range []*model.Contact{c, other} {
		if err := s.CreateContact(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	open, err := s.NotesToWrite(ctx)
	if err != nil || len(open) != 2 {
		t.Fatalf("%+v %v", open, err)
	}
	first, toOther := open[0].ID, open[1].ID
	if err := s.MarkNoteWithText(ctx, first, "owed", "x"); err == nil {
		t.Error("marked a note owed")
	}
	if err := s.MarkNoteWithText(ctx, first, model.NoteWritten, "  thanked for the walnut bowl\n"); err != nil {
		t.Fatal(err)
	}
	next, err := s.NewNoteReminder(ctx, c.ID, "congratulations on the shop", fixedNow.AddDate(0, 0, 3))
	if err != nil {
		t.Fatal(err)
	}
	notes, err := s.NotesToWrite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byID := map[int64]NoteToWrite{}
	for _, n := range notes {
		byID[n.ID] = n
	}
	if l := byID[next.ID].Last; l == nil || l.WrittenText != "thanked for the walnut bowl" || !l.WrittenAt.Equal(fixedNow) {
		t.Errorf("the next note's last note: %+v", l)
	}
	if byID[first].Last != nil || byID[toOther].Last != nil {
		t.Error("a written note, or a note to someone else, shows a last note")
	}
	// Posted later, what was written and when it was written are kept.
	later := s.WithClock(func() time.Time { return fixedNow.Add(48 * time.Hour) })
	if err := later.MarkNoteWithText(ctx, first, model.NotePosted, ""); err != nil {
		t.Fatal(err)
	}
	n, _ := s.store().NoteReminderByID(ctx, first)
	if n.Status != model.NotePosted || n.WrittenText != "thanked for the walnut bowl" || !n.WrittenAt.Equal(fixedNow) || n.PostedAt == nil {
		t.Errorf("after posting: %+v", n)
	}
}

// The Settings dialog saves everything at once: one value refused keeps
// every other as it was.
func TestSaveSettingsIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	good := Settings{
		Rules:       map[string]bool{RuleThankYou: false, RuleReferrer: true},
		Cadences:    Cadences{model.StageProspect: 10, model.StageCustomer: 20, model.StageClient: 40},
		Print:       PrintSettings{Paper: pdf.Letter, LabelSheet: "5160", OffsetX: -1.5, OffsetY: 2},
		Reliability: ReliabilityRules{NoticeWindow: 48 * time.Hour},
		Currency:    "chf",
	}
	if err := s.SaveSettings(ctx, good); err != nil {
		t.Fatal(err)
	}
	if cur, err := s.Currency(ctx); err != nil || cur != "CHF" {
		t.Errorf("currency %q, %v; want CHF", cur, err)
	}
	if err := s.SaveSettings(ctx, Settings{Cadences: good.Cadences, Print: good.Print, Reliability: good.Reliability,
		Currency: "SEK", Rules: map[string]bool{RuleThankYou: true}}); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveSettings(ctx, good); err != nil {
		t.Fatal(err)
	}
	withCurrency := good
	withCurrency.Currency = "Swiss francs"
	withCurrency.Cadences = Cadences{model.StageProspect: 5, model.StageCustomer: 20, model.StageClient: 40}
	if err := s.SaveSettings(ctx, withCurrency); err == nil {
		t.Fatal("currency Swiss francs was accepted")
	}
	if cur, _ := s.Currency(ctx); cur != "CHF" {
		t.Errorf("a refused currency changed it to %s", cur)
	}
	if c, _ := s.Cadences(ctx); c[model.StageProspect] != 10 {
		t.Errorf("a refused currency let the prospects' cadence change to %d", c[model.StageProspect])
	}
	bad := good
	bad.Rules = map[string]bool{RuleThankYou: true}
	bad.Cadences = Cadences{model.StageProspect: 5, model.StageCustomer: 20, model.StageClient: 40}
	bad.Print.OffsetX = 25 // beyond ±20 mm
	if err := s.SaveSettings(ctx, bad); err == nil {
		t.Fatal("an offset of 25 mm was accepted")
	}
	other := New(s.store()).WithClock(s.now)
	if err := other.LoadSettings(ctx); err != nil {
		t.Fatal(err)
	}
	c, _ := other.Cadences(ctx)
	p, _ := other.PrintSettings(ctx)
	thankYou, err := other.RuleOn(ctx, RuleThankYou)
	if err != nil {
		t.Fatal(err)
	}
	if c[model.StageProspect] != 10 || thankYou || p.OffsetX != -1.5 || p.Paper != pdf.Letter ||
		other.Rules().NoticeWindow != 48*time.Hour {
		t.Errorf("after a refused save: cadences %v, thank-you on %v, print %+v, notice %v",
			c, thankYou, p, other.Rules().NoticeWindow)
	}
}
