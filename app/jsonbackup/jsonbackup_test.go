package jsonbackup

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// plainRules stand in for app's: they read dates as "YYYY-MM-DD" only and
// check nothing else, enough to test the format on its own.
func plainRules() Rules {
	return Rules{
		Tidy: func(c *model.Contact) error { return nil },
		Date: func(label, text string) (model.ImportantDate, error) {
			t, err := time.Parse(time.DateOnly, text)
			if err != nil {
				return model.ImportantDate{}, fmt.Errorf("date %q", text)
			}
			y := t.Year()
			return model.ImportantDate{Label: label, Year: &y, Month: int(t.Month()), Day: t.Day()}, nil
		},
		DateText: func(d model.ImportantDate) string {
			return fmt.Sprintf("%04d-%02d-%02d", *d.Year, d.Month, d.Day)
		},
		Entry:       func(e *model.JournalEntry) error { return nil },
		Appointment: func(a model.Appointment) error { return nil },
	}
}

// A contact written and read back is the same contact, rescheduled link
// and birthday included.
func TestWriteThenRead(t *testing.T) {
	start := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	year := 1984
	c := model.Contact{UID: "u-1", DisplayName: "Ann Lee", Stage: model.StageClient,
		Phones: []model.Phone{{Number: "+44 20 7946 0000", Label: "work"}},
		Dates:  []model.ImportantDate{{Label: model.DateBirthday, Year: &year, Month: 2, Day: 3}},
		Tags:   []model.Tag{{Name: "vip"}},
		Appointments: []model.Appointment{
			{ID: 7, Start: start, Minutes: 30, Outcome: model.OutcomeRescheduled},
			{ID: 9, Start: start.AddDate(0, 0, 7), Minutes: 30},
		},
		CreatedAt: start, UpdatedAt: start, Photo: []byte{1, 2, 3},
	}
	c.Appointments[0].RescheduledToID = &c.Appointments[1].ID
	rules := plainRules()
	var buf bytes.Buffer
	w := NewWriter(&buf, start)
	if err := w.Add(rules.FromModel(&c, nil, true)); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var got []Restored
	if err := Read(&buf, rules, func(rc Restored) error { got = append(got, rc); return nil }); err != nil {
		t.Fatalf("read back: %v\n%s", err, buf.String())
	}
	if len(got) != 1 {
		t.Fatalf("read %d contacts, want 1", len(got))
	}
	back := got[0].Contact
	switch {
	case back.UID != "u-1" || back.DisplayName != "Ann Lee" || back.Stage != model.StageClient:
		t.Errorf("who: %+v", back)
	case len(back.Dates) != 1 || *back.Dates[0].Year != 1984 || back.Dates[0].Label != model.DateBirthday:
		t.Errorf("dates: %+v", back.Dates)
	case len(back.Phones) != 1 || back.Phones[0] != c.Phones[0]:
		t.Errorf("phones: %+v", back.Phones)
	case !bytes.Equal(back.Photo, c.Photo) || !back.UpdatedAt.Equal(start):
		t.Errorf("photo %v, updated %v", back.Photo, back.UpdatedAt)
	case len(got[0].Rescheduled) != 1 || got[0].Rescheduled[0] != [2]int{0, 1}:
		t.Errorf("rescheduled links: %v", got[0].Rescheduled)
	}
}

// The header is checked wherever it stands, and a broken file is named
// for what is wrong with it.
func TestReadRefuses(t *testing.T) {
	for _, tt := range []struct {
		data string
		want error
		says string
	}{
		{`{"format":"rapport-backup","version":2,"contacts":[]}`, ErrNewerBackup, "version 2"},
		{`{"contacts":[{"id":"a","name":"A"}],"format":"rapport-backup","version":3}`, ErrNewerBackup, "version 3"},
		{`{"format":"vcard"}`, ErrNotBackup, `"vcard"`},
		{`{"format":"rapport-backup"}`, ErrNotBackup, `no "version"`},
		{``, ErrNotBackup, "empty"},
		{`[1]`, ErrNotBackup, "not an object"},
		{`{"format":"rapport-backup","version":1,"contacts":[],"contacts":[]}`, ErrNotBackup, "twice"},
		{`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"A"},{"id":"a","name":"B"}]}`, nil, `id "a" appears twice`},
		{`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","stage":"vip"}]}`, nil, `contact 1 (id "a", ""): stage "vip"`},
		{`{"format":"rapport-backup","version":1,"contacts":[{"id":"a","birthday":"3 Feb"}]}`, nil, `birthday: date "3 Feb"`},
	} {
		err := Read(strings.NewReader(tt.data), plainRules(), func(Restored) error { return nil })
		if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("%s: %v, want %v saying %q", tt.data, err, tt.want, tt.says)
		}
	}
}
