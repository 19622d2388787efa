package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// outreachShop is four people: two regular clients (one without email,
// with a postal address), a client given an extra a month ago and a
// prospect.
func outreachShop(t *testing.T) (db, dir string) {
	dir = t.TempDir()
	db = filepath.Join(dir, "shop.db")
	lastMonth := time.Now().UTC().AddDate(0, -1, 0).Format(time.RFC3339)
	backup := `{"format": "rapport-backup", "version": 1, "contacts": [
		{"id": "a", "name": "Anna Alder", "stage": "client", "tags": ["regular"], "emails": [{"address": "anna@example.org"}]},
		{"id": "b", "name": "Bruno Berg", "stage": "client", "tags": ["regular"],
			"addresses": [{"street": "Hauptstraße 1", "postal_code": "10115", "city": "Berlin"}]},
		{"id": "c", "name": "Carla Cruz", "stage": "client", "emails": [{"address": "carla@example.org"}],
			"journal": [{"at": "` + lastMonth + `", "kind": "extra", "text": "a pretzel"}]},
		{"id": "d", "name": "Dora Dahl", "stage": "prospect", "emails": [{"address": "dora@example.org"}]}]}`
	file := filepath.Join(dir, "shop.json")
	if err := os.WriteFile(file, []byte(backup), 0o600); err != nil {
		t.Fatal(err)
	}
	if r := rapport(t, nil, "--db", db, "import", file); r.code != 0 {
		t.Fatalf("import: %+v", r)
	}
	return db, dir
}

func TestOutreachFromTheCommandLine(t *testing.T) {
	db, dir := outreachShop(t)
	r := rapport(t, nil, "--db", db, "outreach", "--kind", "extra", "--title", "Cookies", "--stage", "client",
		"--no-extra-months", "6", "--dry-run", "--bcc")
	want := "Extra given: Cookies\nselected 2 (stage client, no extra in 6 months); 0 skipped, already reached; 2 to reach\n" +
		"dry run: nothing recorded\n1 with email in 1 BCC groups of up to 50; 1 without email\ngroup 1: anna@example.org\n"
	if r.code != 0 || r.stdout != want {
		t.Fatalf("dry run: %+v\nwant %q", r, want)
	}
	labels := filepath.Join(dir, "labels.pdf")
	args := []string{"--db", db, "outreach", "--kind", "article", "--title", "Sourdough", "--link", "https://example.org/s?a=1&b=2",
		"--tag", "regular", "--bcc", "--mailto", "--labels", labels}
	r = rapport(t, nil, args...)
	m := regexp.MustCompile(`recorded outreach (\d+) for 2 people`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil || !strings.Contains(r.stdout, "group 1: anna@example.org\n") ||
		!strings.Contains(r.stdout, "group 1: mailto:?bcc=anna@example.org&subject=Sourdough&body=Sourdough%0D%0Ahttps%3A%2F%2Fexample.org%2Fs%3Fa%3D1%26b%3D2\n") ||
		!strings.Contains(r.stdout, "wrote 1 labels (1 pages) to "+labels) {
		t.Fatalf("outreach: %+v", r)
	}
	if _, err := os.Stat(labels); err != nil {
		t.Error(err)
	}
	id := m[1]
	r = rapport(t, nil, args[:len(args)-4]...)
	if r.code != 0 || !strings.Contains(r.stdout, "selected 2 (tagged regular); 2 skipped, already reached; 0 to reach\n") ||
		!strings.Contains(r.stdout, "nobody to reach: nothing recorded") {
		t.Errorf("the same again: %+v", r)
	}
	r = rapport(t, nil, "--db", db, "outreach", "--list")
	if r.code != 0 || !strings.HasPrefix(r.stdout, id+"\t") || !strings.HasSuffix(r.stdout, "\t2 people\n") {
		t.Errorf("list: %+v", r)
	}
	if r = rapport(t, nil, "--db", db, "outreach", "--undo", id); r.code != 0 || r.stdout != fmt.Sprintf("removed the 2 journal entries of outreach %s\n", id) {
		t.Errorf("undo: %+v", r)
	}
	if r = rapport(t, nil, "--db", db, "outreach", "--undo", id); r.code != 1 || !strings.Contains(r.stderr, "no journal entry of this outreach is left") {
		t.Errorf("undo twice: %+v", r)
	}
	if r = rapport(t, nil, "--db", db, "outreach", "--list"); r.code != 0 || r.stdout != "" {
		t.Errorf("list after undo: %+v", r)
	}
	for _, bad := range [][]string{{"--stage", "client"}, {"--kind", "article"}, {"--kind", "call"}, {"--kind", "social", "--stage", "vip"}} {
		if r := rapport(t, nil, append([]string{"--db", db, "outreach"}, bad...)...); r.code != 2 {
			t.Errorf("%v: %+v", bad, r)
		}
	}
}
