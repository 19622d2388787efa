package model

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// Two desks editing different contacts at once lose nothing: every save,
// journal entry and detail of each is there afterwards, and found.
func TestTwoDesksEditDifferentContacts(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) { testTwoDesksEditDifferentContacts(t, backend) })
	}
}

func testTwoDesksEditDifferentContacts(t *testing.T, backend string) {
	ctx := context.Background()
	desks := openDesks(t, backend, 2)
	const perDesk, rounds = 5, 8
	mine := make([][]*Contact, len(desks))
	for d := range desks {
		for i := range perDesk {
			c := sampleContact(fmt.Sprintf("Desk%d Person%d", d, i))
			if err := desks[0].CreateContact(ctx, c); err != nil {
				t.Fatal(err)
			}
			mine[d] = append(mine[d], c)
		}
	}
	var wg sync.WaitGroup
	errs := make(chan error, len(desks))
	for d, s := range desks {
		wg.Go(func() {
			for r := range rounds {
				for _, c := range mine[d] {
					fresh, err := s.Contact(ctx, c.ID)
					if err == nil {
						fresh.Title = fmt.Sprintf("round%d", r)
						fresh.Tags = append(fresh.Tags, Tag{Name: fmt.Sprintf("tag%d", r)})
						err = s.UpdateContact(ctx, fresh, Additions{})
					}
					if err == nil {
						err = s.SaveJournalEntry(ctx, &JournalEntry{ContactID: c.ID, Kind: KindCall, Text: fmt.Sprintf("call%dx%d", d, r)})
					}
					if err == nil {
						err = s.SaveDetail(ctx, &Detail{ContactID: c.ID, Label: "note", Value: fmt.Sprintf("detail%dx%d", d, r)})
					}
					if err != nil {
						errs <- fmt.Errorf("desk %d round %d: %w", d, r, err)
						return
					}
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	for d := range desks {
		for _, c := range mine[d] {
			got, err := desks[1-d].Contact(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Title != fmt.Sprintf("round%d", rounds-1) || len(got.Tags) != rounds+1 ||
				len(got.Journal) != rounds+1 || len(got.Details) != rounds+2 || got.Version != rounds+1 {
				t.Errorf("%s: title %q, %d tags, %d entries, %d details, version %d", got.DisplayName, got.Title,
					len(got.Tags), len(got.Journal), len(got.Details), got.Version)
			}
			// The search index followed every edit, whichever desk made it.
			for _, q := range []string{fmt.Sprintf("call%dx%d", d, rounds-1), fmt.Sprintf("detail%dx0", d), fmt.Sprintf("tag%d", rounds-1)} {
				ids, _, err := desks[1-d].MatchingContactIDs(ctx, q+" "+got.DisplayName)
				if err != nil || len(ids) != 1 || ids[0] != c.ID {
					t.Errorf("search %q: %v %v", q, ids, err)
				}
			}
		}
	}
}

// Two desks saving the same contact at once: one save wins, the other is
// refused with ErrChanged (the version column) and changes nothing, so
// that its desk can ask the owner what to keep.
func TestTwoDesksSaveTheSameContact(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) { testTwoDesksSaveTheSameContact(t, backend) })
	}
}

func testTwoDesksSaveTheSameContact(t *testing.T, backend string) {
	ctx := context.Background()
	desks := openDesks(t, backend, 2)
	for round := range 10 {
		c := sampleContact(fmt.Sprintf("Shared %d", round))
		if err := desks[0].CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		copies := make([]*Contact, len(desks))
		for d, s := range desks {
			got, err := s.Contact(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			got.Organization = fmt.Sprintf("desk %d", d)
			got.Phones = []Phone{{Label: "work", Number: fmt.Sprintf("0%d", d)}}
			copies[d] = got
		}
		start := make(chan struct{})
		results := make([]error, len(desks))
		var wg sync.WaitGroup
		for d, s := range desks {
			wg.Go(func() {
				<-start
				results[d] = s.UpdateContact(ctx, copies[d], Additions{Journal: []JournalEntry{{Kind: KindNote, Text: fmt.Sprintf("by desk %d", d)}}})
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for d, err := range results {
			switch {
			case err == nil && winner < 0:
				winner = d
			case err == nil:
				t.Fatalf("round %d: both saves went through", round)
			case !errors.Is(err, ErrChanged):
				t.Fatalf("round %d desk %d: %v, want ErrChanged", round, d, err)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: both saves refused: %v", round, results)
		}
		got, err := desks[1-winner].Contact(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("desk %d", winner)
		if got.Organization != want || len(got.Phones) != 1 || got.Phones[0].Number != fmt.Sprintf("0%d", winner) ||
			len(got.Journal) != 2 || got.Journal[0].Text != "by desk "+fmt.Sprint(winner) || got.Version != 2 {
			t.Errorf("round %d: after desk %d won: %q %+v %d entries, version %d", round, winner,
				got.Organization, got.Phones, len(got.Journal), got.Version)
		}
	}
}

// Two desks adding to the same contact at once (journal entries, details,
// saves of the card): nothing fails, nothing is lost, and the search index
// holds what both added.
func TestTwoDesksAddToTheSameContact(t *testing.T) {
	for _, backend := range backends {
		t.Run(backend, func(t *testing.T) { testTwoDesksAddToTheSameContact(t, backend) })
	}
}

func testTwoDesksAddToTheSameContact(t *testing.T, backend string) {
	ctx := context.Background()
	desks := openDesks(t, backend, 2)
	c := sampleContact("Shared Customer")
	if err := desks[0].CreateContact(ctx, c); err != nil {
		t.Fatal(err)
	}
	const rounds = 15
	var wg sync.WaitGroup
	errs := make(chan error, len(desks))
	for d, s := range desks {
		wg.Go(func() {
			for r := range rounds {
				err := s.SaveJournalEntry(ctx, &JournalEntry{ContactID: c.ID, Kind: KindVisit, Text: fmt.Sprintf("visit%dx%d", d, r)})
				if err == nil {
					err = s.SaveDetail(ctx, &Detail{ContactID: c.ID, Label: "likes", Value: fmt.Sprintf("likes%dx%d", d, r)})
				}
				if err == nil {
					// A save of the card from a fresh copy: refused only when
					// the other desk saved the card in between.
					var fresh *Contact
					if fresh, err = s.Contact(ctx, c.ID); err == nil {
						fresh.Tags = append(fresh.Tags, Tag{Name: fmt.Sprintf("tag%dx%d", d, r)})
						if err = s.UpdateContact(ctx, fresh, Additions{}); errors.Is(err, ErrChanged) {
							err = nil
						}
					}
				}
				if err != nil {
					errs <- fmt.Errorf("desk %d round %d: %w", d, r, err)
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	got, err := desks[1].Contact(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Journal) != 1+2*rounds || len(got.Details) != 2+2*rounds {
		t.Errorf("%d entries, %d details, want %d and %d", len(got.Journal), len(got.Details), 1+2*rounds, 2+2*rounds)
	}
	for d := range desks {
		for r := range rounds {
			for _, q := range []string{fmt.Sprintf("visit%dx%d", d, r), fmt.Sprintf("likes%dx%d", d, r)} {
				if ids, _, err := desks[0].MatchingContactIDs(ctx, q); err != nil || len(ids) != 1 {
					t.Errorf("search %q after both desks: %v %v", q, ids, err)
				}
			}
		}
	}
}
