package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/rapportjournal/rapport/app"
	"github.com/rapportjournal/rapport/model"
)

// A change made elsewhere (the command line, another window or desk) shows
// at the next tick of the change watch, without typing, and the list keeps
// its selection.
func TestAChangeMadeElsewhereShowsAtTheNextTick(t *testing.T) {
	h := newHarness(t, threePeople(t))
	h.selectContact("Maria Keller")
	maria := h.m.card.card.Contact.ID

	other, err := model.Open(context.Background(), h.svc.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	elsewhere := app.New(other)
	if err := elsewhere.CreateContact(context.Background(), &model.Contact{GivenName: "Anton", FamilyName: "Adler"}); err != nil {
		t.Fatal(err)
	}
	if _, err := elsewhere.LogEntry(context.Background(), maria, model.KindCall, "Called from the other desk"); err != nil {
		t.Fatal(err)
	}
	h.mustNotShow("Anton Adler", "Called from the other desk")

	h.m.checkForChanges()
	h.mustShow("Anton Adler", "4 contacts", "Called from the other desk")
	if h.m.list.selected != maria || h.m.card.card.Contact.ID != maria {
		t.Errorf("after the change the list selects %d and the card shows %v, want Maria (%d)",
			h.m.list.selected, h.m.card.card.Contact.ID, maria)
	}
	// Anton sorts first; Maria's row is still the one selected.
	if i := h.m.list.ids; len(i) != 4 || h.m.list.rows[i[0]].DisplayName != "Anton Adler" || i[2] != maria {
		t.Errorf("list order after the change: %v", i)
	}

	// Removed elsewhere: gone from the list and the card at the next tick.
	if _, err := elsewhere.Forget(context.Background(), maria); err != nil {
		t.Fatal(err)
	}
	h.m.checkForChanges()
	h.mustNotShow("Maria Keller")
	h.mustShow("3 contacts", "Pick someone from the list")

	// Nothing changed: the next tick reads nothing again.
	before := len(h.m.list.rows)
	h.m.list.rows[h.m.list.ids[0]] = app.ListRow{ContactRow: model.ContactRow{ID: h.m.list.ids[0], DisplayName: "Still Cached"}}
	h.m.checkForChanges()
	if h.m.list.rows[h.m.list.ids[0]].DisplayName != "Still Cached" || len(h.m.list.rows) != before {
		t.Error("a tick without a change read the list again")
	}
}

// The Today tab, when in view, follows a change made elsewhere too.
func TestAChangeMadeElsewhereShowsOnTheTabInView(t *testing.T) {
	h := newHarness(t, nil)
	h.m.tabs.SelectIndex(2)
	h.mustShow("Nothing to follow up today.")
	other, err := model.Open(context.Background(), h.svc.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := app.New(other).WithClock(func() time.Time { return testNow }).CreateContact(context.Background(),
		&model.Contact{GivenName: "Quiet", FamilyName: "Prospect", CreatedAt: testNow.AddDate(0, 0, -40)}); err != nil {
		t.Fatal(err)
	}
	h.m.checkForChanges()
	h.mustShow("Quiet Prospect")
}

func TestListFiltersAndSameNamedContacts(t *testing.T) {
	h := newHarness(t, func(svc *app.Service) {
		addContact(t, svc, &model.Contact{GivenName: "Anna", FamilyName: "Schmidt", Stage: model.StageClient,
			Addresses: []model.Address{{City: "Berlin"}}, Tags: []model.Tag{{Name: "vip"}}})
		addContact(t, svc, &model.Contact{GivenName: "Anna", FamilyName: "Schmidt", Stage: model.StageCustomer,
			Addresses: []model.Address{{City: "Hamburg"}}})
		addContact(t, svc, &model.Contact{GivenName: "Bruno", FamilyName: "Bauer", Stage: model.StageClient,
			Addresses: []model.Address{{City: "Köln"}}, Tags: []model.Tag{{Name: "wedding"}}})
	})
	h.mustShow("Anna Schmidt · Berlin", "Anna Schmidt · Hamburg", "Bruno Bauer", "3 contacts")
	h.mustNotShow("Bruno Bauer · Köln") // his name is his alone

	h.m.list.stage.SetSelected("client")
	h.mustShow("Anna Schmidt · Berlin", "Bruno Bauer", "2 contacts (client)")
	h.mustNotShow("Anna Schmidt · Hamburg")

	if got := h.m.list.tag.Options; len(got) != 3 || got[1] != "vip" || got[2] != "wedding" {
		t.Fatalf("tag filter offers %v", got)
	}
	h.m.list.tag.SetSelected("wedding")
	h.mustShow("Bruno Bauer", "1 contact (client, tagged “wedding”)")
	h.mustNotShow("Anna Schmidt")

	// Combined with a search.
	h.m.list.tag.SetSelected(allTags)
	test.Type(h.m.list.search, "anna")
	if len(h.m.list.ids) != 1 || h.m.list.rows[h.m.list.ids[0]].Hint != "Berlin" {
		t.Errorf("anna among clients: %v", h.m.list.ids)
	}
	h.m.list.stage.SetSelected(allStages)
	if len(h.m.list.ids) != 2 {
		t.Errorf("anna in every stage: %v", h.m.list.ids)
	}
}

// queue is a runner that keeps the work until flush runs it, as a real
// window runs it a moment later: what the window shows meanwhile is what
// the owner sees.
type queue struct{ work []func() func() }

func (q *queue) run(work func() func()) { q.work = append(q.work, work) }

// flush runs the work queued so far (not what it queues in turn).
func (q *queue) flush() {
	work := q.work
	q.work = nil
	for _, w := range work {
		inline(w)
	}
}

// Deep in a long list, a change elsewhere leaves the place in the list and
// the rows in view as they were: read again with the list, not shown as "…"
// while they are read one page after the other.
func TestAChangeMadeElsewhereKeepsThePlaceInTheList(t *testing.T) {
	a := test.NewTempApp(t)
	st, err := model.Open(context.Background(), filepath.Join(t.TempDir(), "rapport.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := app.New(st).WithClock(func() time.Time { return testNow })
	for i := range 300 {
		addContact(t, svc, &model.Contact{GivenName: "Person", FamilyName: fmt.Sprintf("%03d", i)})
	}
	w := test.NewTempWindow(t, nil)
	q := &queue{}
	m := newMain(context.Background(), a, w, svc, q.run, never)
	w.Resize(fyne.NewSize(1100, 760))
	h := &harness{t: t, m: m, w: w, svc: svc}
	for range 5 {
		q.flush()
	}
	m.list.list.ScrollTo(250)
	w.Canvas().Refresh(m.list.list)
	q.flush()
	offset := m.list.list.GetScrollOffset()
	if offset == 0 || !h.shows("Person 250") {
		t.Fatalf("not scrolled to row 250 (offset %v)", offset)
	}
	other, err := model.Open(context.Background(), svc.StorePath())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	if err := app.New(other).CreateContact(context.Background(), &model.Contact{GivenName: "Zelda", FamilyName: "Zuletzt"}); err != nil {
		t.Fatal(err)
	}
	m.checkForChanges()
	q.flush() // the version read: the list is read again
	q.flush() // the list read and shown
	if got := m.list.list.GetScrollOffset(); got != offset {
		t.Errorf("the list scrolled from %v to %v", offset, got)
	}
	h.mustShow("Person 250", "301 contacts")
	if slices.Contains(h.shownTexts(), "…") {
		t.Error("rows in view are shown as … while they are read again")
	}
}
