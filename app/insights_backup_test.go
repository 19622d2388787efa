package app

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// TestBackupCarriesFeedbackChange checks that what the owner will change
// after feedback goes into the backup and comes back, that a backup from
// before it restores, and that a change on another kind is refused.
func TestBackupCarriesFeedbackChange(t *testing.T) {
	ctx := context.Background()
	src := newService(t)
	if err := src.CreateContact(ctx, &model.Contact{DisplayName: "Ann", Journal: []model.JournalEntry{
		{Kind: model.KindFeedback, At: time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC), Text: "too early", ChangeNote: "offer afternoons"},
	}}); err != nil {
		t.Fatal(err)
	}
	data := exportString(t, src)
	want := []string{`{"at":"2026-05-02T10:00:00Z","kind":"feedback","text":"too early","change":"offer afternoons"}`}
	if got := journalJSON(t, contactsOf(t, data)); !slices.Equal(got, want) {
		t.Errorf("backup's journal %q, want %q", got, want)
	}
	dst := newService(t)
	if _, err := dst.Restore(ctx, strings.NewReader(data)); err != nil {
		t.Fatal(err)
	}
	if r, err := dst.store().Reflections(ctx, 5); err != nil || len(r) != 1 || r[0].Change != "offer afternoons" {
		t.Errorf("after restore: %+v %v", r, err)
	}
	old := `{"format":"rapport-backup","version":1,"contacts":[{"id":"a","name":"Ann","journal":[
		{"at":"2026-01-01T10:00:00Z","kind":"feedback","text":"too early"}]}]}`
	s := newService(t)
	if _, err := s.Restore(ctx, strings.NewReader(old)); err != nil {
		t.Fatalf("backup without changes: %v", err)
	}
	if r, err := s.store().Reflections(ctx, 5); err != nil || len(r) != 1 || r[0].Said != "too early" || r[0].Change != "" {
		t.Errorf("old backup restored as %+v %v", r, err)
	}
	bad := strings.Replace(old, `"kind":"feedback","text":"too early"`, `"kind":"call","text":"x","change":"y"`, 1)
	if _, err := newService(t).Restore(ctx, strings.NewReader(bad)); err == nil || !strings.Contains(err.Error(), "only feedback") {
		t.Errorf("a call with a change restored: %v", err)
	}
}
