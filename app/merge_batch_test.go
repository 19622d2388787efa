package app

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestMergesOfOneChunk merges, in one chunk, two cards into a contact
// imported before and a card into a contact the same chunk adds (the
// merges a chunk now writes all at once, after its new contacts): fields
// are filled, rows added, the search index finds the new words, and
// undoing the import takes all of it back, the contact's time of change
// too.
func TestMergesOfOneChunk(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	dir := t.TempDir()
	write := func(name, text string) string {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return path
	}
	card := func(fn, n, extra string) string {
		return "BEGIN:VCARD\r\nVERSION:3.0\r\nN:" + n + "\r\nFN:" + fn + "\r\n" + extra + "END:VCARD\r\n"
	}
	importFile(t, s, write("first.vcf", card("Anna Müller", "Müller;Anna;;;", "TEL:+49 151 1111111\r\nEMAIL:anna@example.com\r\n")), ImportOptions{})
	before := contactNamed(t, s, "Anna Müller")
	rep := importFile(t, s, write("second.vcf",
		card("Anna Müller", "Müller;Anna;;;", "TEL:+49 151 1111111\r\nEMAIL:anna.work@example.com\r\nORG:Walnutshop\r\n")+
			card("Bernd Keller", "Keller;Bernd;;;", "TEL:+49 151 2222222\r\n")+
			card("Anna Müller", "Müller;Anna;;;", "EMAIL:anna@example.com\r\nEMAIL:anna.home@example.com\r\nTITLE:Owner\r\n")+
			card("Bernd Keller", "Keller;Bernd;;;", "TEL:+49 151 2222222\r\nEMAIL:bernd@example.com\r\nNOTE:likes walnuts\r\n")), ImportOptions{})
	if rep.Created != 1 || rep.Merged != 3 {
		t.Fatalf("report %s", rep.Summary())
	}
	anna, bernd := contactNamed(t, s, "Anna Müller"), contactNamed(t, s, "Bernd Keller")
	var emails []string
	for _, e := range anna.Emails {
		emails = append(emails, e.Address)
	}
	if !slices.Equal(emails, []string{"anna@example.com", "anna.work@example.com", "anna.home@example.com"}) ||
		anna.Organization != "Walnutshop" || anna.Title != "Owner" {
		t.Errorf("anna after merging two cards: %v %q %q", emails, anna.Organization, anna.Title)
	}
	if len(bernd.Emails) != 1 || bernd.Emails[0].Address != "bernd@example.com" || len(bernd.Journal) != 1 {
		t.Errorf("bernd after merging a card into him: %+v %+v", bernd.Emails, bernd.Journal)
	}
	for query, want := range map[string]int64{"walnutshop": anna.ID, "anna.home": anna.ID, "bernd@": bernd.ID, "likes": bernd.ID} {
		if ids, _, err := s.store().MatchingContactIDs(ctx, query); err != nil || !slices.Equal(ids, []int64{want}) {
			t.Errorf("search %q: %v %v, want [%d]", query, ids, err, want)
		}
	}
	if _, err := s.UndoImport(ctx, rep.BatchID); err != nil {
		t.Fatal(err)
	}
	after := contactNamed(t, s, "Anna Müller")
	if len(after.Emails) != 1 || after.Organization != "" || after.Title != "" || !after.UpdatedAt.Equal(before.UpdatedAt) {
		t.Errorf("undo left anna %+v %q %q, changed %v (was %v)", after.Emails, after.Organization, after.Title, after.UpdatedAt, before.UpdatedAt)
	}
	if ids, _, _ := s.store().MatchingContactIDs(ctx, "walnutshop"); len(ids) != 0 {
		t.Errorf("search finds what undo took back: %v", ids)
	}
	if rows, _ := s.ListContacts(ctx, ""); len(rows) != 1 {
		t.Errorf("%d contacts after undo, want 1", len(rows))
	}
}
