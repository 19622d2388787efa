package app

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/model"
)

// The preview of a phone sync: the cards on the phone not linked to a
// contact here yet (every card on the first sync, new cards later), each
// with what the sync would do with it under the file import's matching
// rule, for the owner to choose add, merge or skip per card, as in the
// preview of a file import.

// SyncChoice is the owner's word on one card new on the phone.
type SyncChoice struct {
	Action Action // ActionAdd, ActionMerge or ActionSkip
	// MergeInto is, with ActionMerge, the contact to merge the card into;
	// 0 for the one the plan found.
	MergeInto int64
}

// SyncCard is a card on the phone not linked to a contact here, with the
// plan's proposal for it (the PlannedCard of the file import's preview).
type SyncCard struct {
	PlannedCard
	Href string // the card's path on the server
	// Skipped: the owner skipped the card on an earlier sync; it is left
	// out again unless chosen otherwise (Action is ActionSkip).
	Skipped bool
}

// Name is the card's name, or its path when it has none.
func (c SyncCard) Name() string {
	if n := OneLine(c.Contact.DisplayName); n != "" {
		return n
	}
	return c.Href
}

// Holds is what the card holds in one line: organisation, phones, emails.
func (c SyncCard) Holds() string {
	var parts []string
	if org := c.Contact.Organization; org != "" && org != c.Contact.DisplayName {
		parts = append(parts, org)
	}
	for _, p := range c.Contact.Phones {
		parts = append(parts, p.Number)
	}
	for _, e := range c.Contact.Emails {
		parts = append(parts, e.Address)
	}
	return OneLine(strings.Join(parts, ", "))
}

// Why says why the plan proposes what it does: "same UID", "same phone and
// name", "same email as Anna Schmidt (household?)", "new"…
func (c SyncCard) Why() string {
	switch {
	case c.Reason != "":
		return c.Reason
	case c.Skipped:
		return "skipped on an earlier sync"
	case c.Match != nil:
		return matchReason(c.Match)
	case c.Shared != nil:
		return fmt.Sprintf("same %s as %s (household?)", c.Shared.By, c.Shared.Name)
	case len(c.Similar) > 0:
		return "same name as " + c.Similar[0].DisplayName + ", nothing else in common: added"
	}
	return "new"
}

func matchReason(m *Match) string {
	switch m.By {
	case "uid":
		return "same UID"
	case "card":
		return "this very card was taken in before"
	default:
		return "same " + m.By + " and name"
	}
}

// SyncPlanOptions steer a plan of a phone sync.
type SyncPlanOptions struct {
	Password string
	Region   string // for phone numbers without a country code
	// WithSkipped lists the cards skipped on earlier syncs too, after the
	// others, so that the owner may take them in after all.
	WithSkipped bool
}

// PlanPhoneSync reads the cards on the phone that are not linked to a
// contact here and says, card by card, what the next sync would do with
// them, without writing anything on either side. Nothing to plan is an
// empty plan.
func (s *Service) PlanPhoneSync(ctx context.Context, opts SyncPlanOptions) ([]SyncCard, error) {
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return nil, err
	}
	if set.URL == "" || set.AddressBook == "" {
		return nil, ErrSyncNotSetUp
	}
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: opts.Password})
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	links, err := s.store().DavLinks(ctx)
	if err != nil {
		return nil, err
	}
	etags, err := client.ETags(ctx, set.AddressBook)
	if err != nil {
		return nil, fmt.Errorf("phone sync with %s: %w", hostOf(set.URL), err)
	}
	var fresh, skipped []string
	for href := range etags {
		_, linked := links[href]
		_, forgotten := links[model.ForgottenHref(href)]
		_, skip := links[model.SkippedHref(href)]
		switch {
		case linked || forgotten:
		case skip && opts.WithSkipped:
			skipped = append(skipped, href)
		case !skip:
			fresh = append(fresh, href)
		}
	}
	slices.Sort(fresh)
	slices.Sort(skipped)
	var objs []dav.Object
	for _, hrefs := range [][]string{fresh, skipped} {
		if len(hrefs) == 0 {
			continue
		}
		got, err := client.Cards(ctx, set.AddressBook, hrefs)
		if err != nil {
			return nil, fmt.Errorf("phone sync with %s: %w", hostOf(set.URL), err)
		}
		objs = append(objs, byPath(got)...)
	}
	if len(objs) == 0 {
		return nil, nil
	}
	plan, err := s.planCards(ctx, set.AddressBook, objs, opts.Region)
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	for i := range plan {
		if _, skip := links[model.SkippedHref(plan[i].Href)]; skip {
			plan[i].Skipped, plan[i].Action = true, ActionSkip
		}
	}
	return plan, nil
}

// byPath sorts cards by path: the order the plan shows them and the sync
// imports them in, so that a card matching one before it does the same in
// both.
func byPath(objs []dav.Object) []dav.Object {
	slices.SortStableFunc(objs, func(a, b dav.Object) int { return strings.Compare(a.Path, b.Path) })
	return objs
}

// planCards plans the import of the cards as the file import plans a file's
// (the same matcher), one SyncCard per card.
func (s *Service) planCards(ctx context.Context, book string, objs []dav.Object, region string) ([]SyncCard, error) {
	var stream bytes.Buffer
	for _, o := range objs {
		raw, err := encodeCard(o.Card)
		if err != nil {
			return nil, fmt.Errorf("card %s: %w", o.Path, err)
		}
		stream.Write(raw)
	}
	planned, err := s.planStream(ctx, "Phone sync "+book, &stream, region)
	if err != nil {
		return nil, err
	}
	out := make([]SyncCard, 0, len(planned))
	for _, pc := range planned {
		if pc.Number < 1 || pc.Number > len(objs) {
			return nil, fmt.Errorf("card %d of %d read back from the phone's cards", pc.Number, len(objs))
		}
		out = append(out, SyncCard{PlannedCard: pc, Href: objs[pc.Number-1].Path})
	}
	return out, nil
}

// stillSkipped tells whether the card at href stays out of this sync: the
// owner skipped it on an earlier sync and has not chosen otherwise now.
func (p *phoneSync) stillSkipped(href string) bool {
	if _, skipped := p.links[model.SkippedHref(href)]; !skipped {
		return false
	}
	c, chosen := p.opts.Choices[href]
	return !chosen || c.Action == ActionSkip
}

// takeBack adds to changed the cards skipped on an earlier sync that the
// owner now chose to add or merge: they are read again even though the
// phone did not change them.
func (p *phoneSync) takeBack(changed map[string]string) {
	for href, c := range p.opts.Choices {
		l, skipped := p.links[model.SkippedHref(href)]
		if _, there := changed[href]; skipped && !there && (c.Action == ActionAdd || c.Action == ActionMerge) {
			changed[href] = l.ETag
		}
	}
}

// leaveOut takes the cards the owner chose to skip out of fresh, and marks
// them so that later syncs leave them out too (a dry run only says so).
// The rest come back in the order the plan showed them.
func (p *phoneSync) leaveOut(ctx context.Context, fresh []dav.Object) ([]dav.Object, error) {
	keep := make([]dav.Object, 0, len(fresh))
	skip := map[string]string{}
	for _, o := range fresh {
		if c, ok := p.opts.Choices[o.Path]; ok && c.Action == ActionSkip {
			skip[o.Path] = o.ETag
			p.report.say("skipped from the phone as you chose: %s — %s (later syncs leave it out too)", cardName(o.Card, o.Path), o.Path)
			continue
		}
		keep = append(keep, o)
	}
	if len(skip) > 0 && !p.opts.DryRun {
		if err := p.s.store().SkipPhoneCards(ctx, skip); err != nil {
			return nil, err
		}
		for href, etag := range skip {
			key := model.SkippedHref(href)
			p.links[key] = model.DavLink{Href: key, ETag: etag}
		}
	}
	return byPath(keep), nil
}

// importChoices are the owner's choices for the cards of fresh, by their
// number in the import, as ImportOptions take them.
func (p *phoneSync) importChoices(fresh []dav.Object) (map[int]Action, map[int]int64) {
	actions, into := map[int]Action{}, map[int]int64{}
	for i, o := range fresh {
		c, ok := p.opts.Choices[o.Path]
		if !ok {
			continue
		}
		actions[i+1] = c.Action
		if c.Action == ActionMerge && c.MergeInto != 0 {
			into[i+1] = c.MergeInto
		}
	}
	return actions, into
}

// planFresh is a dry run's import of the cards new on the phone: what each
// would become, under the owner's choices, card by card with the reason.
func (p *phoneSync) planFresh(ctx context.Context, fresh []dav.Object) error {
	plan, err := p.s.planCards(ctx, p.book, fresh, p.opts.Region)
	if err != nil {
		return err
	}
	for _, c := range plan {
		action, why := c.Action, c.Why()
		var into *Match
		if c.Action == ActionMerge {
			into = c.Match
		}
		if chosen, ok := p.opts.Choices[c.Href]; ok && c.Reason == "" {
			action, why = chosen.Action, "as you chose; the plan said: "+why
			switch {
			case action == ActionMerge && chosen.MergeInto != 0:
				name, err := p.s.store().ContactName(ctx, chosen.MergeInto)
				if err != nil {
					return fmt.Errorf("merge %s into contact %d: %w", c.Href, chosen.MergeInto, err)
				}
				into = &Match{ContactID: chosen.MergeInto, Name: name}
			case action == ActionMerge && c.Match != nil:
				into = c.Match
			case action == ActionMerge:
				// Nothing to merge into: the import adds it.
				action, why = ActionAdd, "you chose merge, but it matches no contact (merge it into one by its number); the plan said: "+c.Why()
			}
		}
		what := c.Name()
		if h := c.Holds(); h != "" {
			what += " (" + h + ")"
		}
		switch action {
		case ActionAdd:
			p.report.FromPhoneAdded++
			p.report.say("new from the phone: %s — add: %s — %s", what, why, c.Href)
		case ActionMerge:
			p.report.FromPhoneMerged++
			p.report.say("from the phone, merged into %s: %s — merge: %s — %s", into.Name, what, why, c.Href)
			if into.ContactID != 0 {
				p.mergedDry[into.ContactID] = true
			}
		default:
			p.report.say("left out from the phone: %s — skip: %s — %s", what, why, c.Href)
		}
	}
	return nil
}

// skipStillThere tells a skipped card's mark (key) whose card is still on
// the phone (etags: the address book's cards), so not deleted there.
func skipStillThere(key string, etags map[string]string) bool {
	if !model.IsSkippedHref(key) {
		return false
	}
	_, there := etags[model.SkippedPath(key)]
	return there
}
