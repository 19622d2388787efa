package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// BCCGroupSize is how many addresses one email of an outreach carries:
// mail providers refuse or flag messages with many more recipients.
const BCCGroupSize = 50

// OutreachKinds are the journal kinds an outreach to a group records.
func OutreachKinds() []model.EntryKind {
	return []model.EntryKind{model.KindNewsletter, model.KindArticle, model.KindSocial, model.KindExtra}
}

// OutreachCriteria selects who an outreach reaches; every criterion given
// must hold, none given selects everyone.
type OutreachCriteria struct {
	Search  string // words as the contact list's search takes them
	Stage   model.Stage
	Tag     string
	Detail  string // has a personal detail of this label
	Consent bool   // agreed to the newsletter
	// NoExtraMonths, when > 0, keeps those given no extra in as many
	// months (see NoExtraPreset).
	NoExtraMonths int
}

// NoExtraPreset is the view "clients who have not received an extra in 6
// months": the baker's dozen given to each regular now and then.
func NoExtraPreset() OutreachCriteria {
	return OutreachCriteria{Stage: model.StageClient, NoExtraMonths: 6}
}

// String says the criteria in words, for the dialog and the command line.
func (c OutreachCriteria) String() string {
	var parts []string
	if c.Search != "" {
		parts = append(parts, fmt.Sprintf("matching %q", c.Search))
	}
	if c.Stage != "" {
		parts = append(parts, "stage "+string(c.Stage))
	}
	if c.Tag != "" {
		parts = append(parts, "tagged "+c.Tag)
	}
	if c.Detail != "" {
		parts = append(parts, "with a detail "+c.Detail)
	}
	if c.Consent {
		parts = append(parts, "agreed to the newsletter")
	}
	if c.NoExtraMonths > 0 {
		parts = append(parts, fmt.Sprintf("no extra in %d months", c.NoExtraMonths))
	}
	if len(parts) == 0 {
		return "everyone"
	}
	return strings.Join(parts, ", ")
}

// Outreach is what is sent to the group: its kind, and its title and
// link (an article needs one of them).
type Outreach struct {
	Kind  model.EntryKind
	Title string
	Link  string
}

// normalize trims o and checks it; a newsletter or an extra without a
// title is named after the month, so that next month's reaches everyone
// again while this month's is not given twice.
func (o Outreach) normalize(now time.Time) (Outreach, error) {
	o.Title, o.Link = strings.TrimSpace(o.Title), strings.TrimSpace(o.Link)
	if !slices.Contains(OutreachKinds(), o.Kind) {
		return o, fmt.Errorf("outreach: kind %q: want newsletter, article, social or extra", o.Kind)
	}
	switch {
	case o.Kind == model.KindArticle && o.Title == "" && o.Link == "":
		return o, errors.New("outreach: an article needs its title or its link")
	case o.Title == "" && (o.Kind == model.KindNewsletter || o.Kind == model.KindExtra):
		o.Title = now.Format("January 2006")
	}
	return o, nil
}

// Text is the journal entry's text: "Newsletter sent: December 2026".
func (o Outreach) Text() string {
	var t string
	switch o.Kind {
	case model.KindNewsletter:
		t = "Newsletter sent"
	case model.KindArticle:
		t = "Shared the article"
	case model.KindSocial:
		t = "Invited to follow us on social media"
	default:
		t = "Extra given"
	}
	if o.Kind == model.KindArticle && o.Title != "" {
		t += " “" + o.Title + "”"
	} else if o.Title != "" {
		t += ": " + o.Title
	}
	if o.Link != "" {
		t += " " + o.Link
	}
	return t
}

// OutreachPlan is who an outreach would reach, before anything is written.
type OutreachPlan struct {
	Criteria OutreachCriteria
	Outreach Outreach
	Selected int     // contacts the criteria select
	Skipped  int     // of them, those who already got the same outreach
	Reach    []int64 // the others, in name order: who gets it
}

// PlanOutreach selects the contacts of c and leaves out who already got o.
func (s *Service) PlanOutreach(ctx context.Context, c OutreachCriteria, o Outreach) (*OutreachPlan, error) {
	o, err := o.normalize(s.now())
	if err != nil {
		return nil, err
	}
	f := model.OutreachFilter{Stage: c.Stage, Tag: strings.TrimSpace(c.Tag), Detail: c.Detail, Consent: c.Consent}
	if c.Stage != "" && !c.Stage.Valid() {
		return nil, fmt.Errorf("outreach: stage %q: want prospect, customer or client", c.Stage)
	}
	if c.NoExtraMonths > 0 {
		f.NoKind, f.Since = model.KindExtra, s.now().AddDate(0, -c.NoExtraMonths, 0)
	}
	if ids, ok, err := s.store().MatchingContactIDs(ctx, c.Search); err != nil {
		return nil, fmt.Errorf("outreach: search %q: %w", c.Search, err)
	} else if ok {
		f.Among = ids
		if f.Among == nil {
			f.Among = []int64{}
		}
	}
	ids, err := s.store().OutreachContactIDs(ctx, f)
	if err != nil {
		return nil, err
	}
	reached, err := s.store().ReachedBefore(ctx, ids, model.OutreachSent(o))
	if err != nil {
		return nil, err
	}
	p := &OutreachPlan{Criteria: c, Outreach: o, Selected: len(ids), Skipped: len(reached)}
	p.Reach, err = s.inNameOrder(ctx, ids, reached)
	return p, err
}

// inNameOrder puts ids, but those of leave, in the contact list's order.
func (s *Service) inNameOrder(ctx context.Context, ids []int64, leave map[int64]bool) ([]int64, error) {
	keep := make(map[int64]bool, len(ids))
	for _, id := range ids {
		keep[id] = !leave[id]
	}
	all, err := s.store().ContactIDsByName(ctx)
	if err != nil {
		return nil, fmt.Errorf("outreach: %w", err)
	}
	out := make([]int64, 0, len(ids)-len(leave))
	for _, id := range all {
		if keep[id] {
			out = append(out, id)
		}
	}
	return out, nil
}

// OutreachDone is what an outreach wrote and what the owner needs to send
// it: the email addresses in groups for BCC, and who has none.
type OutreachDone struct {
	ID       int64 // the outreach's number, for UndoOutreach
	Outreach Outreach
	Reached  int
	Skipped  int        // already had it, as planned or since
	BCC      [][]string // the addresses, BCCGroupSize to a group
	NoEmail  []int64    // reached, without an email address: for letters
	Undo     Undo
}

// SendOutreach records the outreach of p for everyone it reaches, one
// journal entry each, in one transaction; who got the same outreach since
// the plan was made is skipped too. Undo removes exactly those entries.
func (s *Service) SendOutreach(ctx context.Context, p *OutreachPlan) (*OutreachDone, error) {
	o := p.Outreach
	done := &OutreachDone{Outreach: o, Skipped: p.Skipped}
	ids := p.Reach
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		since, err := tx.ReachedBefore(ctx, ids, model.OutreachSent(o))
		if err != nil {
			return err
		}
		ids = slices.DeleteFunc(slices.Clone(ids), func(id int64) bool { return since[id] })
		done.Skipped += len(since)
		if len(ids) == 0 {
			return nil
		}
		e := model.JournalEntry{Kind: o.Kind, At: s.now(), Text: o.Text(), Title: o.Title, Link: o.Link}
		done.ID, err = tx.AddOutreach(ctx, ids, e)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("outreach %s: %w", o.Text(), err)
	}
	done.Reached = len(ids)
	if done.ID != 0 {
		id := done.ID
		done.Undo = func(ctx context.Context) error { _, err := s.UndoOutreach(ctx, id); return err }
	}
	if done.BCC, done.NoEmail, err = s.OutreachAddresses(ctx, ids); err != nil {
		return nil, fmt.Errorf("outreach %s: %w", o.Text(), err)
	}
	return done, nil
}

// OutreachAddresses reads the first email address of each of ids, in
// their order, in groups for BCC, and lists those who have none.
func (s *Service) OutreachAddresses(ctx context.Context, ids []int64) (bcc [][]string, noEmail []int64, err error) {
	emails, err := s.store().FirstEmails(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	var addresses []string
	for _, id := range ids {
		if a, ok := emails[id]; ok {
			addresses = append(addresses, a)
		} else {
			noEmail = append(noEmail, id)
		}
	}
	return BCCGroups(addresses, BCCGroupSize), noEmail, nil
}

// UndoOutreach removes every journal entry of outreach id, in one
// transaction, and says how many there were.
func (s *Service) UndoOutreach(ctx context.Context, id int64) (int, error) {
	return s.store().DeleteOutreach(ctx, id)
}

// Outreaches lists the outreaches that can still be undone, latest first.
func (s *Service) Outreaches(ctx context.Context) ([]model.OutreachSummary, error) {
	return s.store().Outreaches(ctx)
}

// BCCGroups splits addresses, in order, into groups of size (the last
// one shorter); none gives no group.
func BCCGroups(addresses []string, size int) [][]string {
	var groups [][]string
	for start := 0; start < len(addresses); start += size {
		groups = append(groups, addresses[start:min(start+size, len(addresses))])
	}
	return groups
}

// MailtoBCC is a mailto: URI (RFC 6068) with no To and the group as BCC,
// the addresses comma-separated, escaped as MailtoLink escapes them.
func MailtoBCC(group []string, subject, body string) string {
	bcc := make([]string, len(group))
	for i, a := range group {
		bcc[i] = uriEscape(a, "@")
	}
	rest := strings.TrimPrefix(MailtoLink("", subject, body), "mailto:?")
	return "mailto:?bcc=" + strings.Join(bcc, ",") + "&" + rest
}

// Body is what an email of o starts with: an article's title and link;
// nothing for the rest, which the owner writes.
func (o Outreach) Body() string {
	if o.Kind != model.KindArticle {
		return ""
	}
	return strings.TrimSpace(o.Title + "\n" + o.Link)
}

// Subject is the subject an email of o suggests: its title.
func (o Outreach) Subject() string {
	if o.Title != "" {
		return o.Title
	}
	return o.Link
}
