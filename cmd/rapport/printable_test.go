package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/rapportjournal/rapport/model"
)

// noControls fails on any control character in out but the tab between
// columns and the LF ending each of want lines.
func noControls(t *testing.T, what, out string, want int) {
	t.Helper()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) != want {
		t.Errorf("%s printed %d lines, want %d: %q", what, len(lines), want, out)
	}
	for _, l := range lines {
		if strings.ContainsFunc(l, func(r rune) bool { return unicode.IsControl(r) && r != '\t' }) {
			t.Errorf("%s printed a control character: %q", what, l)
		}
	}
}

// A name stored with an escape sequence and a line break (as a database from
// before names were cleaned may hold) prints as one visible line.
func TestStoredTextPrintsWithoutTerminalEscapes(t *testing.T) {
	ctx := context.Background()
	db := filepath.Join(t.TempDir(), "shop.db")
	st, err := model.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	name := "Ann\x1b]0;pwned\x07\r\nFake line\u009b2J\x7f"
	c := &model.Contact{DisplayName: name, Organization: "Org\nTwo", Stage: model.StageClient}
	if err := st.CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	st.Close()

	r := rapport(t, nil, "--db", db, "list")
	noControls(t, "list", r.stdout, 1)
	if want := "Ann\uFFFD]0;pwned\uFFFD\uFFFD\uFFFDFake line\uFFFD2J\uFFFD (Org\uFFFDTwo)\tclient\n"; r.code != 0 || r.stdout != want {
		t.Errorf("list = %q, want %q", r.stdout, want)
	}
	// JSON escapes them itself: the name comes back whole.
	r = rapport(t, nil, "--db", db, "list", "--json")
	if strings.ContainsFunc(r.stdout, func(r rune) bool { return unicode.IsControl(r) && r != '\n' }) {
		t.Errorf("list --json printed a control character: %q", r.stdout)
	}
	var got struct {
		Contacts []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || len(got.Contacts) != 1 || got.Contacts[0].Name != name {
		t.Fatalf("list --json: %v %+v", err, got)
	}
	r = rapport(t, nil, "--db", db, "forget", got.Contacts[0].ID)
	noControls(t, "forget", r.stdout, 1)
	if r.code != 0 || !strings.Contains(r.stdout, "Removed Ann\uFFFD]0;pwned") {
		t.Errorf("forget: %+v", r)
	}
}
