package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// TestRemindFollowupsFromTheCommandLine: tomorrow's appointment is listed
// as a remind row until it is marked reminded.
func TestRemindFollowupsFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "shop.db")
	st, err := model.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(st)
	c := &model.Contact{GivenName: "Maria", FamilyName: "Keller"}
	if err := svc.CreateContact(ctx, c); err != nil {
		st.Close()
		t.Fatal(err)
	}
	a, err := svc.NewAppointment(ctx, c.ID, time.Date(2026, 11, 24, 10, 30, 0, 0, time.Local), 30, "fitting")
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	row := "2026-11-24\tremind\tMaria Keller\tAppointment tomorrow at 10:30: fitting\n"
	r := rapport(t, nil, "--db", db, "followups", "--on", "2026-11-23")
	if r.code != 0 || !strings.Contains(r.stdout, row) {
		t.Fatalf("followups: %+v, want the line %q", r, row)
	}
	if r := rapport(t, nil, "--db", db, "followups", "--on", "2026-11-24"); r.code != 0 || strings.Contains(r.stdout, "remind") {
		t.Errorf("the day of the appointment it is no longer to remind: %+v", r)
	}

	st, err = model.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = app.New(st).MarkReminded(ctx, a.ID)
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if r := rapport(t, nil, "--db", db, "followups", "--on", "2026-11-23"); r.code != 0 || strings.Contains(r.stdout, "\tremind\t") {
		t.Errorf("reminded, it is still listed: %+v", r)
	}
}
