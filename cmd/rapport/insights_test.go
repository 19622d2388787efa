package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// TestInsightsFromTheCommandLine checks the numbers printed for a shop of
// one client who bought once in November, and that --pdf writes a PDF.
func TestInsightsFromTheCommandLine(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	st, err := model.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 5, 11, 0, 0, 0, time.Local)
	cents := int64(1250)
	if err := st.CreateContact(ctx, &model.Contact{DisplayName: "Ben", Stage: model.StageClient, HowWeMet: "market", CreatedAt: at,
		Journal: []model.JournalEntry{{Kind: model.KindMet, At: at}, {Kind: model.KindPurchase, At: at, Item: "vase", Amount: &cents, Currency: "EUR"},
			{Kind: model.KindFeedback, At: at, Text: "Mornings are hard", ChangeNote: "Offer afternoons"}}}); err != nil {
		t.Fatal(err)
	}
	st.Close()
	r := rapport(t, nil, "--db", db, "insights", "--on", "2026-11-23")
	for _, want := range []string{"Now 0 prospects, 0 customers, 1 clients · 100 % became customers · 100 % of customers became clients",
		"1  market",
		"Ben, 2026-11-05", "They said: Mornings are hard", "I will change: Offer afternoons"} {
		if r.code != 0 || !strings.Contains(r.stdout, want) {
			t.Errorf("insights does not print %q: %+v", want, r)
		}
	}
	// November: 1 first met, no moves, no appointments, 1 purchase of 12.50.
	var nov []string
	for _, line := range strings.Split(r.stdout, "\n") {
		if f := strings.Fields(line); len(f) > 2 && f[0] == "Nov" && f[1] == "2026" {
			nov = f[2:]
		}
	}
	if got := strings.Join(nov, " "); got != "1 0 0 0 0 0 – 1 €12.50" {
		t.Errorf("November's line %q", got)
	}
	pdf := filepath.Join(dir, "insights.pdf")
	if r := rapport(t, nil, "--db", db, "insights", "--on", "2026-11-23", "--pdf", pdf); r.code != 0 || !strings.Contains(r.stdout, "wrote the insights (") {
		t.Fatalf("insights --pdf: %+v", r)
	}
	if data, err := os.ReadFile(pdf); err != nil || !strings.HasPrefix(string(data), "%PDF-") {
		t.Errorf("%s is not a PDF: %v", pdf, err)
	}
	if r := rapport(t, nil, "--db", db, "insights", "--paper", "A3", "--pdf", pdf); r.code == 0 || !strings.Contains(r.stderr, "unknown paper") {
		t.Errorf("insights --paper A3: %+v", r)
	}
}
