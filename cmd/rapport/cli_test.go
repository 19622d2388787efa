package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/app/pdf"
	"github.com/rapportjournal/rapport/model"
)

type result struct {
	code           int
	stdout, stderr string
}

// rapport runs the command line in-process, as the binary would.
func rapport(t *testing.T, environ map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(context.Background(), args, env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errOut,
		getenv: func(k string) string { return environ[k] },
		gui:    func(*app.Service) error { return errors.New("no window in tests") },
	})
	return result{code, out.String(), errOut.String()}
}

func TestVersion(t *testing.T) {
	r := rapport(t, nil, "--version")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "rapport ") {
		t.Errorf("--version: %+v", r)
	}
}

func TestDemoListAndSearch(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	if r := rapport(t, nil, "--db", db, "demo"); r.code != 0 || !strings.Contains(r.stdout, "added 40 demo contacts") {
		t.Fatalf("demo: %+v", r)
	}
	r := rapport(t, nil, "--db", db, "list")
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); r.code != 0 || len(lines) != 40 {
		t.Fatalf("list gave %d lines: %+v", len(lines), r)
	}
	r = rapport(t, nil, "--db", db, "list", "--search", "mull")
	if r.code != 0 || r.stdout != "Jörg Müller (Müller Bikes)\tclient\n" {
		t.Errorf("list --search mull = %q", r.stdout)
	}
	r = rapport(t, nil, "--db", db, "list", "--search", "beagle", "--json")
	var got struct {
		Contacts []map[string]any `json:"contacts"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
		t.Fatalf("list --json: %v %+v", err, r)
	}
	if len(got.Contacts) != 1 || got.Contacts[0]["name"] != "Jörg Müller" || got.Contacts[0]["id"] == "" {
		t.Errorf("list --json = %v", got.Contacts)
	}
	if r := rapport(t, nil, "--db", db, "demo"); r.code != 1 || !strings.Contains(r.stderr, "empty") {
		t.Errorf("demo on a full database: %+v", r)
	}
}

func TestDatabaseFromEnvironment(t *testing.T) {
	db := filepath.Join(t.TempDir(), "env.db")
	if r := rapport(t, map[string]string{"RAPPORT_DB": db}, "demo"); r.code != 0 {
		t.Fatalf("demo: %+v", r)
	}
	if _, err := os.Stat(db); err != nil {
		t.Errorf("RAPPORT_DB was not used: %v", err)
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	dir := t.TempDir()
	src, dst, backup := filepath.Join(dir, "src.db"), filepath.Join(dir, "dst.db"), filepath.Join(dir, "backup.json")
	rapport(t, nil, "--db", src, "demo")
	if r := rapport(t, nil, "--db", src, "export", "--format", "json", "-o", backup); r.code != 0 {
		t.Fatalf("export: %+v", r)
	}
	for i := range 2 {
		r := rapport(t, nil, "--db", dst, "import", backup)
		if r.code != 0 {
			t.Fatalf("import %d: %+v", i+1, r)
		}
		want := "restored 40 new contacts, merged 0"
		if i == 1 {
			want = "restored 0 new contacts, merged 40"
		}
		if !strings.Contains(r.stdout, want) {
			t.Errorf("import %d said %q, want %q", i+1, r.stdout, want)
		}
	}
	a := rapport(t, nil, "--db", src, "list", "--json").stdout
	b := rapport(t, nil, "--db", dst, "list", "--json").stdout
	if a != b {
		t.Error("the restored database lists differently from the original")
	}
	stdout := rapport(t, nil, "--db", src, "export").stdout
	if !strings.HasPrefix(stdout, "{\n  \"format\": \"rapport-backup\",\n  \"version\": 1,") {
		t.Errorf("export to stdout starts %q", stdout[:min(80, len(stdout))])
	}
}

func TestErrorsNameTheFile(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	newer := filepath.Join(dir, "newer.json")
	os.WriteFile(newer, []byte(`{"format":"rapport-backup","version":9,"contacts":[]}`), 0o600)
	garbage := filepath.Join(dir, "garbage.json")
	os.WriteFile(garbage, []byte("\x00\x01binary"), 0o600)
	cases := []struct {
		args     []string
		code     int
		contains string
	}{
		{[]string{"import", filepath.Join(dir, "missing.json")}, 1, "missing.json"},
		{[]string{"import", dir + "/"}, 1, "it is a folder"},
		{[]string{"import", filepath.Join(dir, "missing.vcf")}, 1, "missing.vcf cannot be read"},
		{[]string{"undo-import", "x"}, 2, "not an import number"},
		{[]string{"undo-import", "99"}, 1, "not found"},
		{[]string{"import", newer}, 1, "newer version of Rapport"},
		{[]string{"import", garbage}, 1, "garbage.json: not a Rapport backup"},
		{[]string{"import"}, 2, "name the file"},
		{[]string{"export", "--format", "xml"}, 2, "unknown format"},
		{[]string{"import", "--region"}, 2, "flag needs an argument"},
		{[]string{"export", "-o", filepath.Join(dir, "no", "such", "dir", "out.json")}, 1, "out.json"},
		{[]string{"frobnicate"}, 2, "unknown command"},
	}
	for _, c := range cases {
		r := rapport(t, nil, append([]string{"--db", db}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.contains) {
			t.Errorf("rapport %v = %d %q, want %d and %q", c.args, r.code, r.stderr, c.code, c.contains)
		}
	}
	if r := rapport(t, nil, "--db", dir, "list"); r.code != 1 || !strings.Contains(r.stderr, dir+" is a folder") {
		t.Errorf("--db a folder: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "list"); r.stdout != "" {
		t.Errorf("failed imports changed the database: %q", r.stdout)
	}
}

func TestImportVCardsFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	phone := filepath.Join("..", "..", "app", "testdata", "phone.vcf")
	r := rapport(t, map[string]string{"LANG": "de_DE.UTF-8"}, "--db", db, "import", phone, filepath.Join(dir, "gone.vcf"))
	// One file could not be read at all: it is named, the status is 1, and
	// the other file was still imported.
	if r.code != 1 || !strings.Contains(r.stderr, "gone.vcf cannot be read") {
		t.Errorf("exit %d, stderr %q", r.code, r.stderr)
	}
	for _, want := range []string{"phone.vcf: imported 3, merged 0, skipped 1", "skipped card 3 (line 27): no name", "the skipped cards are saved in "} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout %q lacks %q", r.stdout, want)
		}
	}
	r = rapport(t, nil, "--db", db, "import", "--region", "DE", phone)
	if r.code != 0 || !strings.Contains(r.stdout, "imported 0, merged 3, skipped 1") {
		t.Errorf("re-import: %+v", r)
	}
	r = rapport(t, nil, "--db", db, "imports")
	if lines := strings.Split(strings.TrimSpace(r.stdout), "\n"); r.code != 0 || len(lines) != 2 || !strings.HasPrefix(lines[1], "1\t") {
		t.Fatalf("imports: %+v", r)
	}
	vcf := filepath.Join(dir, "out.vcf")
	if r := rapport(t, nil, "--db", db, "export", "--format", "vcard", "-o", vcf); r.code != 0 {
		t.Fatalf("export vcard: %+v", r)
	}
	data, _ := os.ReadFile(vcf)
	if !strings.HasPrefix(string(data), "BEGIN:VCARD\r\nVERSION:3.0\r\n") || strings.Count(string(data), "BEGIN:VCARD") != 3 {
		t.Errorf("vCard export: %q", data[:min(200, len(data))])
	}
	// Undo both imports, newest first: the database is empty again.
	for _, id := range []string{"2", "1"} {
		if r := rapport(t, nil, "--db", db, "undo-import", id); r.code != 0 {
			t.Fatalf("undo-import %s: %+v", id, r)
		}
	}
	if r := rapport(t, nil, "--db", db, "list"); r.stdout != "" {
		t.Errorf("after undoing both imports: %q", r.stdout)
	}
}

func TestListJSONGivesReliability(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	rapport(t, nil, "--db", db, "demo")
	type rel struct {
		Score      *int   `json:"score"`
		Counted    int    `json:"counted"`
		Unreliable bool   `json:"unreliable"`
		Summary    string `json:"summary"`
	}
	list := func(args ...string) rel {
		t.Helper()
		r := rapport(t, nil, append([]string{"--db", db, "list", "--search", "keller", "--json"}, args...)...)
		var out struct {
			Contacts []struct {
				Name        string `json:"name"`
				Reliability *rel   `json:"reliability"`
			} `json:"contacts"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 || len(out.Contacts) != 1 || out.Contacts[0].Reliability == nil {
			t.Fatalf("list --json %v: %v %+v", args, err, r)
		}
		return *out.Contacts[0].Reliability
	}
	// The demo's Maria Keller kept a calligraphy lesson 20 days ago.
	now := list()
	if now.Score == nil || *now.Score != 100 || now.Counted != 1 || now.Unreliable ||
		now.Summary != "1 appointment in the last year: 1 on time — 100" {
		t.Errorf("reliability now: %+v", now)
	}
	// Taken on a day two years back, there is nothing to go by.
	past := list("--on", time.Now().AddDate(-2, 0, 0).Format(time.DateOnly))
	if past.Score != nil || past.Counted != 0 {
		t.Errorf("reliability two years ago: %+v", past)
	}
	if r := rapport(t, nil, "--db", db, "list", "--json", "--on", "23.11.2026"); r.code != 2 {
		t.Errorf("a wrong date: %+v", r)
	}
	// The demo books gift consultations in the coming days.
	r := rapport(t, nil, "--db", db, "export", "--format", "ics")
	if r.code != 0 || !strings.HasPrefix(r.stdout, "BEGIN:VCALENDAR\r\n") || !strings.Contains(r.stdout, ": Gift consultation\r\n") {
		t.Errorf("export ics: %+v", r)
	}
}

func TestFollowupsFromTheCommandLine(t *testing.T) {
	db := filepath.Join(t.TempDir(), "shop.db")
	rapport(t, nil, "--db", db, "demo")
	r := rapport(t, nil, "--db", db, "followups", "--json")
	var out struct {
		Followups []struct {
			ContactID int64  `json:"contact_id"`
			Contact   string `json:"contact"`
			Kind      string `json:"kind"`
			Due       string `json:"due"`
			Text      string `json:"text"`
		} `json:"followups"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &out); err != nil || r.code != 0 {
		t.Fatalf("followups --json: %v %+v", err, r)
	}
	kinds := map[string]int{}
	for _, f := range out.Followups {
		kinds[f.Kind]++
		if f.ContactID == 0 || f.Contact == "" || len(f.Due) != 10 || f.Text == "" {
			t.Errorf("incomplete follow-up %+v", f)
		}
	}
	// The demo owes notes and has birthdays in the coming fortnight.
	if kinds["note"] == 0 || kinds["birthday"] == 0 {
		t.Errorf("kinds %v", kinds)
	}
	if r := rapport(t, nil, "--db", db, "followups", "--on", "2020-01-01"); r.code != 0 {
		t.Errorf("followups --on: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "followups", "--on", "soon"); r.code != 2 {
		t.Errorf("a wrong date: %+v", r)
	}
}

func TestPrintFromTheCommandLine(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	sheet, labels := filepath.Join(dir, "sheet.pdf"), filepath.Join(dir, "labels.pdf")
	if r := rapport(t, nil, "--db", db, "print", "followups", "--paper", "letter", "-o", sheet); r.code != 0 || !strings.Contains(r.stdout, "wrote the follow-up sheet") {
		t.Fatalf("print followups: %+v", r)
	}
	if r := rapport(t, nil, "--db", db, "print", "labels", "--layout", "5160", "--offset-x", "1", "-o", labels); r.code != 0 || !strings.Contains(r.stdout, "labels (1 pages)") {
		t.Fatalf("print labels: %+v", r)
	}
	for _, f := range []string{sheet, labels} {
		if data, err := os.ReadFile(f); err != nil || !strings.HasPrefix(string(data), "%PDF-") {
			t.Errorf("%s is not a PDF: %v", f, err)
		}
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"print"}, "print what"},
		{[]string{"print", "labels"}, "-o FILE.pdf"},
		{[]string{"print", "labels", "--layout", "A4", "-o", labels}, "unknown label sheet"},
		{[]string{"print", "followups", "--paper", "A3", "-o", sheet}, "unknown paper"},
	} {
		if r := rapport(t, nil, append([]string{"--db", db}, c.args...)...); r.code == 0 || !strings.Contains(r.stderr, c.want) {
			t.Errorf("rapport %v: %+v", c.args, r)
		}
	}
}

func TestPrintAndFollowupsUseTheSavedSettings(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	keepInTouch := func() int {
		r := rapport(t, nil, "--db", db, "followups", "--json")
		var got struct {
			Followups []app.Followup `json:"followups"`
		}
		if err := json.Unmarshal([]byte(r.stdout), &got); err != nil || r.code != 0 {
			t.Fatalf("followups --json: %v %+v", err, r)
		}
		n := 0
		for _, f := range got.Followups {
			if f.Kind == app.FollowKeepInTouch {
				n++
			}
		}
		return n
	}
	before := keepInTouch()

	// What the window's Settings dialog saves.
	ctx := context.Background()
	st, err := model.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	svc := app.New(st)
	err = errors.Join(svc.SetCadences(ctx, app.Cadences{model.StageProspect: 3650, model.StageCustomer: 3650, model.StageClient: 3650}),
		svc.SetPrintSettings(ctx, app.PrintSettings{Paper: pdf.Letter, LabelSheet: "5160", OffsetX: -1.5}))
	st.Close()
	if err != nil {
		t.Fatal(err)
	}
	if after := keepInTouch(); before == 0 || after != 0 {
		t.Errorf("keep-in-touch follow-ups: %d with the default cadences, %d with ten years", before, after)
	}

	sheet, labels := filepath.Join(dir, "sheet.pdf"), filepath.Join(dir, "labels.pdf")
	for _, c := range []struct {
		args []string
		page string
	}{
		{[]string{"print", "followups", "-o", sheet}, "612.00 792.00"},                  // saved: Letter
		{[]string{"print", "followups", "--paper", "A4", "-o", sheet}, "595.28 841.89"}, // the flag wins
		{[]string{"print", "labels", "--test", "-o", labels}, "612.00 792.00"},          // saved: 5160
		{[]string{"print", "labels", "--test", "--layout", "L7160", "-o", labels}, "595.28 841.89"},
	} {
		r := rapport(t, nil, append([]string{"--db", db}, c.args...)...)
		data, err := os.ReadFile(c.args[len(c.args)-1])
		if r.code != 0 || err != nil || !strings.Contains(string(data), "/MediaBox [0 0 "+c.page+"]") {
			t.Errorf("rapport %v: %+v %v, want pages of %s", c.args, r, err, c.page)
		}
	}
	if r := rapport(t, nil, "--db", db, "print", "labels", "--offset-y", "-25", "-o", labels); r.code != 2 ||
		!strings.Contains(r.stderr, "--offset-y: -25 mm is not between -20 and 20 millimetres") {
		t.Errorf("an offset of -25 mm: %+v", r)
	}
}

func TestPrintLabelsFromAStartPosition(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "shop.db")
	rapport(t, nil, "--db", db, "demo")
	count := func(out string) int {
		var n, pages int
		if _, err := fmt.Sscanf(out, "wrote %d labels (%d pages)", &n, &pages); err != nil {
			t.Fatalf("%q: %v", out, err)
		}
		return pages
	}
	first := rapport(t, nil, "--db", db, "print", "labels", "-o", filepath.Join(dir, "a.pdf"))
	last := rapport(t, nil, "--db", db, "print", "labels", "--start", "21", "-o", filepath.Join(dir, "b.pdf"))
	if first.code != 0 || last.code != 0 {
		t.Fatalf("print labels: %+v %+v", first, last)
	}
	// From the last label of the L7160 sheet, every label after the first
	// goes onto a second sheet.
	if count(first.stdout) != 1 || count(last.stdout) != 2 {
		t.Errorf("pages from label 1: %q; from label 21: %q", first.stdout, last.stdout)
	}
	for _, bad := range []string{"0", "22"} {
		out := filepath.Join(dir, "bad.pdf")
		r := rapport(t, nil, "--db", db, "print", "labels", "--start", bad, "-o", out)
		if r.code != 2 || !strings.Contains(r.stderr, "the Avery L7160 sheet has labels 1 to 21") {
			t.Errorf("--start %s: %+v", bad, r)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("--start %s wrote a file", bad)
		}
	}
	if r := rapport(t, nil, "--db", db, "print", "labels", "--layout", "5160", "--start", "30", "-o", filepath.Join(dir, "c.pdf")); r.code != 0 {
		t.Errorf("label 30 of 5160: %+v", r)
	}
}
