package app

import (
	"slices"
	"strings"
	"testing"

	"github.com/rapportjournal/rapport/app/dav/davtest"
	"github.com/rapportjournal/rapport/model"
)

// householdPhone seeds the phone of a desk where Anna is already here: the
// phone holds Anna (same phone and name: a merge), Peter (Anna's landline,
// another name: his own contact, a household), Clara (a UID Rapport knows)
// and Hugo (new).
func householdPhone(t *testing.T) (*Service, *davtest.Server, string) {
	t.Helper()
	s, srv, book := syncDesk(t)
	srv.Seed(t, book, map[string]string{
		"anna.vcf":  vcard3("uid-anna", "Anna", "Schmidt", "+49 30 1234567", "anna@example.com"),
		"peter.vcf": vcard3("uid-peter", "Peter", "Schmidt", "+49 30 1234567", ""),
		"clara.vcf": vcard3("uid-clara", "Clara", "Hoffmann", "", "clara@example.com"),
		"hugo.vcf":  vcard3("uid-hugo", "Hugo", "Martin", "+49 151 18144002", ""),
	})
	for _, c := range []*model.Contact{
		{GivenName: "Anna", FamilyName: "Schmidt", Stage: model.StageClient, Phones: []model.Phone{{Label: "home", Number: "+49 30 1234567"}}},
		{GivenName: "Clara", FamilyName: "Hoffmann", VCardUID: "uid-clara"},
	} {
		if err := s.CreateContact(t.Context(), c); err != nil {
			t.Fatal(err)
		}
	}
	return s, srv, book
}

func planNow(t *testing.T, s *Service, srv *davtest.Server, withSkipped bool) map[string]SyncCard {
	t.Helper()
	plan, err := s.PlanPhoneSync(t.Context(), SyncPlanOptions{Password: srv.Password, Region: "DE", WithSkipped: withSkipped})
	if err != nil {
		t.Fatalf("plan: %v", err)
	}
	out := map[string]SyncCard{}
	for _, c := range plan {
		out[c.Href[strings.LastIndex(c.Href, "/")+1:]] = c
	}
	return out
}

// TestSyncPreviewPlan: the plan of the first sync proposes, per card, what
// the file import's matcher makes of it: Anna (same phone and name) and
// Clara (same UID) are merged, Peter (Anna's landline under another name)
// is a separate contact with the household hint, Hugo is new. Planning
// writes nothing on either side.
func TestSyncPreviewPlan(t *testing.T) {
	s, srv, book := householdPhone(t)
	plan := planNow(t, s, srv, false)
	anna, clara := findContact(t, s, "Anna Schmidt"), findContact(t, s, "Clara Hoffmann")
	want := map[string]struct {
		action Action
		into   int64
		why    string
	}{
		"anna.vcf":  {ActionMerge, anna.ID, "same phone and name"},
		"clara.vcf": {ActionMerge, clara.ID, "same UID"},
		"peter.vcf": {ActionAdd, 0, "same phone as Anna Schmidt (household?)"},
		"hugo.vcf":  {ActionAdd, 0, "new"},
	}
	if len(plan) != len(want) {
		t.Fatalf("plan of %d cards, want %d: %+v", len(plan), len(want), plan)
	}
	for file, w := range want {
		c := plan[file]
		if c.Action != w.action || !strings.HasPrefix(c.Why(), w.why) || c.Href != book+file {
			t.Errorf("%s: %s, %q (%s), want %s, %q", file, c.Action, c.Why(), c.Href, w.action, w.why)
		}
		if w.into != 0 && (c.Match == nil || c.Match.ContactID != w.into) {
			t.Errorf("%s: merged into %+v, want contact %d", file, c.Match, w.into)
		}
	}
	if c := plan["peter.vcf"]; c.Shared == nil || c.Shared.ContactID != anna.ID || c.Holds() != "+49 30 1234567" {
		t.Errorf("Peter's household hint: %+v, holds %q", c.Shared, c.Holds())
	}
	if got := names(t, s); len(got) != 2 {
		t.Errorf("planning changed Rapport: %v", got)
	}
	if n := len(srv.Objects(t, book)); n != 4 {
		t.Errorf("planning changed the phone: %d cards", n)
	}
}

// TestSyncPreviewChoicesFollowed: the owner adds Anna as a contact of her
// own instead of merging, merges Peter into Anna after all, skips Hugo.
// Hugo does not come back on the next syncs (by sync-collection, nor by
// ETags where the server forgot the token); a plan on request lists him as
// skipped, and choosing add takes him in. His mark goes when he is linked.
func TestSyncPreviewChoicesFollowed(t *testing.T) {
	s, srv, book := householdPhone(t)
	ctx := t.Context()
	anna := findContact(t, s, "Anna Schmidt")
	rep := syncNow(t, s, srv, SyncOptions{Choices: map[string]SyncChoice{
		book + "anna.vcf":  {Action: ActionAdd},
		book + "peter.vcf": {Action: ActionMerge, MergeInto: anna.ID},
		book + "hugo.vcf":  {Action: ActionSkip},
	}})
	if rep.FromPhoneAdded != 1 || rep.FromPhoneMerged != 2 {
		t.Errorf("sync with choices: %s\n%s", rep.Summary(), strings.Join(rep.Lines, "\n"))
	}
	want := []string{"Anna Schmidt", "Anna Schmidt", "Clara Hoffmann"}
	if got := names(t, s); !slices.Equal(got, want) {
		t.Fatalf("contacts after the sync: %v, want %v", got, want)
	}
	links, err := s.store().DavLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := links[book+"peter.vcf"].ContactID; got != anna.ID {
		t.Errorf("Peter's card is linked to contact %d, want Anna (%d) as chosen", got, anna.ID)
	}
	if got := links[book+"anna.vcf"].ContactID; got == anna.ID || got == 0 {
		t.Errorf("Anna's card is linked to contact %d, want a new contact", got)
	}
	if !slices.ContainsFunc(rep.Lines, func(l string) bool { return strings.Contains(l, "skipped from the phone as you chose: Hugo Martin") }) {
		t.Errorf("the skip is not said:\n%s", strings.Join(rep.Lines, "\n"))
	}
	// Hugo stays out, and stays on the phone.
	for _, forgetToken := range []bool{false, true} {
		if forgetToken {
			if err := s.store().SetSetting(ctx, settingSyncToken, ""); err != nil {
				t.Fatal(err)
			}
		}
		again := syncNow(t, s, srv, SyncOptions{})
		if again.FromPhoneAdded+again.FromPhoneMerged != 0 || len(again.DeletedHere)+len(again.DeletedOnPhone) != 0 {
			t.Errorf("sync after the skip (token forgotten: %v): %s\n%s", forgetToken, again.Summary(), strings.Join(again.Lines, "\n"))
		}
		if plan := planNow(t, s, srv, false); len(plan) != 0 {
			t.Errorf("plan without the skipped cards: %+v", plan)
		}
	}
	if !slices.Contains(srv.Objects(t, book), "hugo.vcf") {
		t.Fatalf("Hugo's card left the phone: %v", srv.Objects(t, book))
	}
	// On request, the plan lists him, skipped; the owner takes him in.
	plan := planNow(t, s, srv, true)
	if c, ok := plan["hugo.vcf"]; len(plan) != 1 || !ok || !c.Skipped || c.Action != ActionSkip || c.Why() != "skipped on an earlier sync" {
		t.Fatalf("plan with the skipped cards: %+v", plan)
	}
	back := syncNow(t, s, srv, SyncOptions{Choices: map[string]SyncChoice{book + "hugo.vcf": {Action: ActionAdd}}})
	if back.FromPhoneAdded != 1 {
		t.Errorf("taking Hugo in: %s\n%s", back.Summary(), strings.Join(back.Lines, "\n"))
	}
	findContact(t, s, "Hugo Martin")
	links, err = s.store().DavLinks(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, marked := links[model.SkippedHref(book+"hugo.vcf")]; marked || links[book+"hugo.vcf"].ContactID == 0 {
		t.Errorf("Hugo's links after taking him in: %+v", links)
	}
	if plan := planNow(t, s, srv, true); len(plan) != 0 {
		t.Errorf("plan after taking Hugo in: %+v", plan)
	}
}

// TestSyncPreviewSkippedCardDeletedOnPhone: a skipped card the phone then
// deletes leaves no mark behind and asks nothing.
func TestSyncPreviewSkippedCardDeletedOnPhone(t *testing.T) {
	s, srv, book := householdPhone(t)
	syncNow(t, s, srv, SyncOptions{Choices: map[string]SyncChoice{book + "hugo.vcf": {Action: ActionSkip}}})
	srv.Delete(t, book+"hugo.vcf")
	rep := syncNow(t, s, srv, SyncOptions{})
	if len(rep.DeletedHere)+len(rep.DeletedOnPhone) != 0 {
		t.Errorf("the skipped card's deletion is asked about: %s", rep.Summary())
	}
	links, err := s.store().DavLinks(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if _, marked := links[model.SkippedHref(book+"hugo.vcf")]; marked {
		t.Errorf("the mark of a card gone from the phone is kept")
	}
}

// TestSyncPreviewNoChoicesAsToday: without choices the first sync imports
// every card with the plan's action, as it did before the preview; the
// plan's own proposals given as choices do the same.
func TestSyncPreviewNoChoicesAsToday(t *testing.T) {
	var results [2][]string
	for i, explicit := range []bool{false, true} {
		s, srv, _ := householdPhone(t)
		opts := SyncOptions{}
		if explicit {
			opts.Choices = map[string]SyncChoice{}
			for _, c := range planNow(t, s, srv, false) {
				opts.Choices[c.Href] = SyncChoice{Action: c.Action}
			}
		}
		rep := syncNow(t, s, srv, opts)
		if rep.FromPhoneAdded != 2 || rep.FromPhoneMerged != 2 {
			t.Errorf("explicit %v: %s\n%s", explicit, rep.Summary(), strings.Join(rep.Lines, "\n"))
		}
		results[i] = names(t, s)
		peter := findContact(t, s, "Peter Schmidt")
		links, err := s.Links(t.Context(), peter.ID)
		if err != nil || len(links) != 1 {
			t.Errorf("explicit %v: Peter's household links %+v %v", explicit, links, err)
		}
	}
	want := []string{"Anna Schmidt", "Clara Hoffmann", "Hugo Martin", "Peter Schmidt"}
	if !slices.Equal(results[0], want) || !slices.Equal(results[1], want) {
		t.Errorf("contacts: %v and %v, want %v", results[0], results[1], want)
	}
}

// TestSyncPreviewDryRun: a dry run says per card what it would do, why and
// where, under the owner's choices, and writes nothing.
func TestSyncPreviewDryRun(t *testing.T) {
	s, srv, book := householdPhone(t)
	rep := syncNow(t, s, srv, SyncOptions{DryRun: true, Choices: map[string]SyncChoice{book + "hugo.vcf": {Action: ActionSkip}}})
	all := strings.Join(rep.Lines, "\n")
	for _, want := range []string{
		"new from the phone: Peter Schmidt (+49 30 1234567) — add: same phone as Anna Schmidt (household?)",
		"from the phone, merged into Anna Schmidt: Anna Schmidt (+49 30 1234567, anna@example.com) — merge: same phone and name — " + book + "anna.vcf",
		"from the phone, merged into Clara Hoffmann: Clara Hoffmann (clara@example.com) — merge: same UID",
		"skipped from the phone as you chose: Hugo Martin — " + book + "hugo.vcf",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("dry run lacks %q:\n%s", want, all)
		}
	}
	if rep.FromPhoneAdded != 1 || rep.FromPhoneMerged != 2 {
		t.Errorf("dry run: %s", rep.Summary())
	}
	if got := names(t, s); len(got) != 2 {
		t.Errorf("a dry run changed Rapport: %v", got)
	}
	links, err := s.store().DavLinks(t.Context())
	if err != nil || len(links) != 0 {
		t.Errorf("a dry run wrote links: %+v %v", links, err)
	}
}
