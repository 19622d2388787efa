package app

import (
	"context"
	"slices"
	"testing"

	"github.com/rapportjournal/rapport/model"
)

func TestListFilterByStageAndTag(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	add := func(name string, stage model.Stage, tags ...string) int64 {
		c := &model.Contact{DisplayName: name, Stage: stage}
		for _, tag := range tags {
			c.Tags = append(c.Tags, model.Tag{Name: tag})
		}
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	anna := add("Anna", model.StageClient, "vip", "wedding")
	bert := add("Bert", model.StageCustomer, "vip")
	cleo := add("Cleo", model.StageClient)
	dora := add("Dora", model.StageProspect, "wedding")
	dir, err := s.LoadDirectory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	all, err := s.Search(ctx, dir, "")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		f    ListFilter
		want []int64
	}{
		{"no filter", ListFilter{}, []int64{anna, bert, cleo, dora}},
		{"clients", ListFilter{Stage: model.StageClient}, []int64{anna, cleo}},
		{"vip", ListFilter{Tag: "vip"}, []int64{anna, bert}},
		{"vip clients", ListFilter{Stage: model.StageClient, Tag: "vip"}, []int64{anna}},
		{"wedding prospects", ListFilter{Stage: model.StageProspect, Tag: "wedding"}, []int64{dora}},
		{"unknown tag", ListFilter{Tag: "nobody"}, nil},
	} {
		got, err := s.FilterContacts(ctx, all, tc.f)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v, want %v (in name order)", tc.name, got, tc.want)
		}
	}
	// Combined with a search, in the search's order.
	found, err := s.Search(ctx, dir, "a") // names starting with A
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := s.FilterContacts(ctx, found, ListFilter{Tag: "wedding"}); !slices.Equal(got, []int64{anna}) {
		t.Errorf("search a + wedding: %v, want Anna only", got)
	}
	tags, err := s.Tags(ctx)
	if err != nil || !slices.Equal(tags, []string{"vip", "wedding"}) {
		t.Errorf("tags = %v (%v)", tags, err)
	}
}

func TestSameNamedContactsToldApart(t *testing.T) {
	ctx := context.Background()
	s := newService(t)
	add := func(c *model.Contact) int64 {
		if err := s.CreateContact(ctx, c); err != nil {
			t.Fatal(err)
		}
		return c.ID
	}
	berlin := add(&model.Contact{DisplayName: "Anna Schmidt", Addresses: []model.Address{{City: "Berlin"}},
		Phones: []model.Phone{{Number: "+49 30 1111111"}}})
	hamburg := add(&model.Contact{DisplayName: "Anna Schmidt", Addresses: []model.Address{{City: "Hamburg"}}})
	phoneOnly := add(&model.Contact{DisplayName: "Anna Schmidt", Phones: []model.Phone{{Number: "+49 151 2222222"}},
		Emails: []model.Email{{Address: "anna@example.org"}}})
	emailOnly := add(&model.Contact{DisplayName: "Anna Schmidt", Emails: []model.Email{{Address: "a.schmidt@example.com"}}})
	alone := add(&model.Contact{DisplayName: "Peter Schmidt", Addresses: []model.Address{{City: "Berlin"}}})
	// Two Jan Novák in one city: the city tells nothing, the phone does.
	jan1 := add(&model.Contact{DisplayName: "Jan Novák", Addresses: []model.Address{{City: "Praha"}}, Phones: []model.Phone{{Number: "+420 601 111 111"}}})
	jan2 := add(&model.Contact{DisplayName: "Jan Novák", Addresses: []model.Address{{City: "Praha"}}, Phones: []model.Phone{{Number: "+420 602 222 222"}}})

	rows, err := s.ListRows(ctx, []int64{alone, berlin, hamburg, phoneOnly, emailOnly, jan1, jan2})
	if err != nil {
		t.Fatal(err)
	}
	want := map[int64]string{alone: "", berlin: "Berlin", hamburg: "Hamburg", phoneOnly: "+49 151 2222222",
		emailOnly: "a.schmidt@example.com", jan1: "+420 601 111 111", jan2: "+420 602 222 222"}
	if len(rows) != len(want) || rows[0].ID != alone {
		t.Fatalf("rows %v are not the contacts asked for, in order", rows)
	}
	for _, r := range rows {
		if r.Hint != want[r.ID] {
			t.Errorf("%s (%d): hint %q, want %q", r.DisplayName, r.ID, r.Hint, want[r.ID])
		}
	}
	// A name shared with a contact outside the rows read still gets its hint.
	rows, err = s.ListRows(ctx, []int64{hamburg})
	if err != nil || len(rows) != 1 || rows[0].Hint != "Hamburg" {
		t.Errorf("one Anna Schmidt alone in the page: %+v (%v)", rows, err)
	}
}
