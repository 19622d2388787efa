package app

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// sharedVCards is where the real exports live, beside the repository.
const sharedVCards = "../../shared/vcards"

// wantCard is what a person reading a raw file expects one card to become.
// The expectations (vcard_want_*_test.go) were written from the raw bytes.
type wantCard struct {
	Name     string   // "" when the card has nothing to call it by (it is skipped)
	Phones   []string // as written, decoded
	Emails   []string
	Birthday string // "YYYY-MM-DD", "--MM-DD", "" for none, "detail" when kept as a detail
}

// readCards reads a file the way the import does, without a database.
func readCards(t *testing.T, path string) (cards []ImportedCard, skips []error) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	s := &Service{now: func() time.Time { return fixedNow }}
	err = s.eachCard(context.Background(), f, "DE", func(ic ImportedCard, skip error) error {
		cards = append(cards, ic)
		skips = append(skips, skip)
		return nil
	})
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return cards, skips
}

func sharedOrSkip(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(sharedVCards); err != nil {
		t.Skipf("the shared vCard exports are not here (%v)", err)
	}
}

func TestSharedVCardsImportAsAPersonExpects(t *testing.T) {
	sharedOrSkip(t)
	want := map[string][]wantCard{}
	for _, m := range []map[string][]wantCard{wantAOSP, wantOther} {
		for k, v := range m {
			want[k] = v
		}
	}
	files, _ := filepath.Glob(filepath.Join(sharedVCards, "*", "*.vcf"))
	if len(files) < 71 {
		t.Fatalf("found %d shared files, want 71", len(files))
	}
	for _, path := range files {
		key, _ := filepath.Rel(sharedVCards, path)
		key = filepath.ToSlash(key)
		t.Run(key, func(t *testing.T) {
			expected, ok := want[key]
			if !ok {
				t.Fatalf("no expectation written for %s", key)
			}
			cards, skips := readCards(t, path)
			if key == "folkerkinzel-vcards/LargeFile.vcf" {
				if len(cards) != wantLargeFile.Count {
					t.Fatalf("%d cards, want %d", len(cards), wantLargeFile.Count)
				}
				checkCard(t, 1, cards[0], skips[0], wantLargeFile.First)
				checkCard(t, len(cards), cards[len(cards)-1], skips[len(cards)-1], wantLargeFile.Last)
				return
			}
			if len(cards) != len(expected) {
				t.Fatalf("%d cards, want %d", len(cards), len(expected))
			}
			for i, w := range expected {
				checkCard(t, i+1, cards[i], skips[i], w)
			}
		})
	}
}

func checkCard(t *testing.T, n int, ic ImportedCard, skip error, w wantCard) {
	t.Helper()
	if w.Name == "" {
		if !errors.Is(skip, ErrNoName) {
			t.Errorf("card %d: want it skipped for having no name, got %q (%v)", n, ic.Contact.DisplayName, skip)
		}
		return
	}
	if skip != nil {
		t.Errorf("card %d: skipped (%v), want %q", n, skip, w.Name)
		return
	}
	c := ic.Contact
	if c.DisplayName != w.Name {
		t.Errorf("card %d: name %q, want %q", n, c.DisplayName, w.Name)
	}
	var phones, emails []string
	for _, p := range c.Phones {
		phones = append(phones, p.Number)
	}
	for _, e := range c.Emails {
		emails = append(emails, e.Address)
	}
	if !slices.Equal(phones, w.Phones) {
		t.Errorf("card %d (%s): phones %q, want %q", n, w.Name, phones, w.Phones)
	}
	if !slices.Equal(emails, w.Emails) {
		t.Errorf("card %d (%s): emails %q, want %q", n, w.Name, emails, w.Emails)
	}
	birthday := ic.Birthday()
	if w.Birthday == "detail" {
		if birthday != "" || !slices.ContainsFunc(c.Details, func(d model.Detail) bool { return d.Label == "Birthday" }) {
			t.Errorf("card %d (%s): birthday %q, want it kept as a detail", n, w.Name, birthday)
		}
	} else if birthday != w.Birthday {
		t.Errorf("card %d (%s): birthday %q, want %q", n, w.Name, birthday, w.Birthday)
	}
}
