package app

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"github.com/emersion/go-vcard"
	"github.com/google/uuid"
	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

// Settings keys of the phone sync. The password is never among them: it
// lives in the system keyring or a file of its own (see credentials.go).
const (
	settingSyncURL   = "sync.url"
	settingSyncUser  = "sync.user"
	settingSyncBook  = "sync.addressbook"
	settingSyncToken = "sync.token"
)

// PhoneSync says where the phone's contacts are: the CardDAV server the
// phone syncs with, the user, and the address book chosen there.
type PhoneSync struct {
	URL         string
	User        string
	AddressBook string // the server's path of the address book
	Calendar    string // the server's path of the calendar appointments go to; "" for none
}

// PhoneSyncSettings reads where the phone sync goes; URL is "" if it was
// never set up.
func (s *Service) PhoneSyncSettings(ctx context.Context) (PhoneSync, error) {
	v, err := s.store().Settings(ctx, settingSyncURL, settingSyncUser, settingSyncBook, settingSyncCalendar)
	if err != nil {
		return PhoneSync{}, err
	}
	return PhoneSync{URL: v[settingSyncURL], User: v[settingSyncUser], AddressBook: v[settingSyncBook],
		Calendar: v[settingSyncCalendar]}, nil
}

// SetPhoneSyncSettings stores where the phone sync goes. A new server or
// address book starts over: the next sync compares every card again.
func (s *Service) SetPhoneSyncSettings(ctx context.Context, p PhoneSync) error {
	before, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return err
	}
	values := map[string]string{settingSyncURL: strings.TrimSpace(p.URL), settingSyncUser: strings.TrimSpace(p.User),
		settingSyncBook: p.AddressBook, settingSyncCalendar: p.Calendar}
	if before.URL != values[settingSyncURL] || before.AddressBook != p.AddressBook {
		values[settingSyncToken] = ""
	}
	if before.URL != values[settingSyncURL] || before.Calendar != p.Calendar {
		values[settingSyncCalToken] = ""
	}
	return s.store().SetSettings(ctx, values)
}

// PhoneAddressBooks connects with the account and lists its address books,
// for the owner to pick one.
func (s *Service) PhoneAddressBooks(ctx context.Context, acct dav.Account) ([]dav.Collection, error) {
	c, err := dav.Dial(ctx, acct)
	if err != nil {
		return nil, err
	}
	return c.AddressBooks(ctx)
}

// SyncOptions steer one sync.
type SyncOptions struct {
	Password string
	DryRun   bool   // say what would change, change nothing on either side
	Region   string // for phone numbers without a country code
	// Progress, when set, is told what the sync is doing.
	Progress func(step string)
	// Choices are the owner's, per card path, for cards not linked yet
	// (see PlanPhoneSync); a card not listed gets the plan's action.
	Choices map[string]SyncChoice
}

// SyncReport says what a sync did (or, dry, would do).
type SyncReport struct {
	FromPhoneAdded, FromPhoneMerged, FromPhoneUpdated int
	ToPhoneAdded, ToPhoneUpdated                      int
	// The calendar's: appointments written to it, and moved as on it.
	EventsToPhoneAdded, EventsToPhoneUpdated, EventsFromPhoneMoved int
	Calendar                                                       bool // a calendar was synced
	// Conflicts are contacts (and appointments) changed on both sides
	// since the last sync: neither side was written; the owner decides.
	Conflicts []SyncItem
	// DeletedOnPhone are contacts whose card the phone deleted, and
	// DeletedHere cards whose contact was deleted here: nothing is deleted
	// on the other side without the owner's word.
	DeletedOnPhone, DeletedHere []SyncItem
	// Refused are contacts whose card the server would not store: the
	// next sync tries each again.
	Refused []SyncItem
	Lines   []string // what changed (or would), one line each
	DryRun  bool
}

// SyncItem is one contact or card, or appointment or event, the owner is
// asked about.
type SyncItem struct {
	ContactID     int64
	AppointmentID int64 // the appointment of an event, 0 once deleted here
	Event         bool  // an appointment's event in the calendar, not a card
	Name          string
	Href          string
}

// Summary is the report in one line.
func (r *SyncReport) Summary() string {
	verb := ""
	if r.DryRun {
		verb = "would be "
	}
	parts := []string{
		fmt.Sprintf("from the phone: %d %sadded, %d %smerged, %d %supdated", r.FromPhoneAdded, verb, r.FromPhoneMerged, verb, r.FromPhoneUpdated, verb),
		fmt.Sprintf("to the phone: %d %sadded, %d %supdated", r.ToPhoneAdded, verb, r.ToPhoneUpdated, verb),
	}
	if r.Calendar {
		parts = append(parts, fmt.Sprintf("calendar: %d %sadded and %d %supdated on the phone, %d %smoved as on the phone",
			r.EventsToPhoneAdded, verb, r.EventsToPhoneUpdated, verb, r.EventsFromPhoneMoved, verb))
	}
	conflicts, eventConflicts := splitEvents(r.Conflicts)
	refused, eventsRefused := splitEvents(r.Refused)
	onPhone, eventsOnPhone := splitEvents(r.DeletedOnPhone)
	here, eventsHere := splitEvents(r.DeletedHere)
	for _, c := range []struct {
		n    int
		what string
		says string
	}{
		{conflicts, "contact", " changed on both sides (not synced, yours to decide)"},
		{eventConflicts, "appointment", " changed on both sides (not synced, yours to decide)"},
		{refused, "card", " refused by the phone's server (tried again next sync)"},
		{eventsRefused, "event", " refused by the phone's server (tried again next sync)"},
		{onPhone, "contact", " deleted on the phone (kept here until you decide)"},
		{eventsOnPhone, "appointment", " deleted on the phone (kept here until you decide)"},
		{here, "card", " of contacts deleted here (kept on the phone until you decide)"},
		{eventsHere, "event", " of appointments deleted here (kept on the phone until you decide)"},
	} {
		if c.n > 0 {
			parts = append(parts, Plural(c.n, c.what)+c.says)
		}
	}
	return strings.Join(parts, "; ")
}

// splitEvents counts the items of contacts' cards and of appointments'
// events apart.
func splitEvents(items []SyncItem) (cards, events int) {
	for _, it := range items {
		if it.Event {
			events++
		} else {
			cards++
		}
	}
	return cards, events
}

func (r *SyncReport) say(format string, args ...any) {
	r.Lines = append(r.Lines, fmt.Sprintf(format, args...))
}

// ErrSyncNotSetUp: no server was chosen yet.
var ErrSyncNotSetUp = errors.New("phone sync is not set up: choose the server and address book first")

// SyncPhone brings the phone's address book and Rapport together: cards new
// on the phone are imported under the import's matching rule, cards the
// phone changed update contacts not changed here, contacts new or changed
// here are written to the phone over the version last read (If-Match).
// What changed on both sides, and deletions on either side, are reported,
// never applied silently. A failure part way leaves what was done
// consistent; the next sync picks up where this one stopped.
func (s *Service) SyncPhone(ctx context.Context, opts SyncOptions) (*SyncReport, error) {
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return nil, err
	}
	if set.URL == "" || set.AddressBook == "" {
		return nil, ErrSyncNotSetUp
	}
	progress := func(step string) {
		if opts.Progress != nil {
			opts.Progress(step)
		}
	}
	progress("Connecting to " + hostOf(set.URL))
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: opts.Password})
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	// One sync at a time, and no import beside it: both match cards
	// against the same contacts.
	unlock, err := s.lockImports(ctx)
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	defer unlock()
	run := &phoneSync{s: s, client: client, book: set.AddressBook, opts: opts, report: &SyncReport{DryRun: opts.DryRun},
		mergedDry: map[int64]bool{}}
	if err := run.sync(ctx, progress); err != nil {
		return run.report, fmt.Errorf("phone sync with %s: %w", hostOf(set.URL), err)
	}
	if set.Calendar != "" {
		run.report.Calendar = true
		if err := run.syncCalendar(ctx, set.Calendar, progress); err != nil {
			return run.report, fmt.Errorf("phone sync of the calendar with %s: %w", hostOf(set.URL), err)
		}
	}
	return run.report, nil
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil && u.Host != "" {
		return u.Host
	}
	return raw
}

// phoneSync is one run of SyncPhone.
type phoneSync struct {
	s      *Service
	client *dav.Client
	book   string
	opts   SyncOptions
	report *SyncReport
	links  map[string]model.DavLink
	// mergedDry: contacts a dry run would merge a phone's card into, which
	// the phone would then get as an update, not as a new card.
	mergedDry map[int64]bool
}

func (p *phoneSync) sync(ctx context.Context, progress func(string)) error {
	st := p.s.store()
	var err error
	if p.links, err = st.DavLinks(ctx); err != nil {
		return err
	}
	tokens, err := st.Settings(ctx, settingSyncToken)
	if err != nil {
		return err
	}
	progress("Asking the phone's address book what changed")
	changed, deleted, next, err := p.remoteChanges(ctx, tokens[settingSyncToken])
	if err != nil {
		return err
	}
	// What this program wrote itself comes back as a change: skip it.
	for href, etag := range changed {
		if l, ok := p.links[href]; ok && l.ETag == etag {
			delete(changed, href)
		}
	}
	p.takeBack(changed)
	_, locallyChanged, err := st.SyncCandidates(ctx)
	if err != nil {
		return err
	}
	changedHere := map[string]model.DavLink{}
	for _, l := range locallyChanged {
		changedHere[l.Href] = l
	}
	if err := p.fromPhone(ctx, changed, changedHere, progress); err != nil {
		return err
	}
	if err := p.phoneDeletions(ctx, deleted); err != nil {
		return err
	}
	if err := p.toPhone(ctx, changed, progress); err != nil {
		return err
	}
	if err := p.deletedHere(ctx); err != nil {
		return err
	}
	if !p.opts.DryRun && next != "" {
		return st.SetSetting(ctx, settingSyncToken, next)
	}
	return nil
}

// remoteChanges lists the cards changed on the server (href → ETag) and
// those deleted, by sync-collection where the server keeps tokens, else by
// comparing every ETag with the last sync's.
func (p *phoneSync) remoteChanges(ctx context.Context, token string) (map[string]string, []string, string, error) {
	changed, deleted, next, ok, err := p.client.Changes(ctx, p.book, token)
	if err != nil {
		return nil, nil, "", err
	}
	if ok {
		return changed, deleted, next, nil
	}
	etags, err := p.client.ETags(ctx, p.book)
	if err != nil {
		return nil, nil, "", err
	}
	changed = map[string]string{}
	for href, etag := range etags {
		if p.links[href].ETag != etag && !p.stillSkipped(href) {
			changed[href] = etag
		}
	}
	deleted = nil
	// A forgotten contact's card is known by a hash of its path only.
	var forgotten map[string]bool
	for href := range p.links {
		if model.IsForgottenHref(href) && forgotten == nil {
			forgotten = make(map[string]bool, len(etags))
			for path := range etags {
				forgotten[model.ForgottenHref(path)] = true
			}
		}
	}
	for href := range p.links {
		if _, there := etags[href]; !there && !forgotten[href] && !skipStillThere(href, etags) {
			deleted = append(deleted, href)
		}
	}
	slices.Sort(deleted)
	return changed, deleted, "", nil
}

// fromPhone reads the changed cards and applies them: new ones imported,
// known ones updating contacts not changed here, the rest conflicts.
func (p *phoneSync) fromPhone(ctx context.Context, changed map[string]string, changedHere map[string]model.DavLink, progress func(string)) error {
	if len(changed) == 0 {
		return nil
	}
	hrefs := make([]string, 0, len(changed))
	for href := range changed {
		hrefs = append(hrefs, href)
	}
	slices.Sort(hrefs)
	progress(fmt.Sprintf("Reading %s from the phone", Plural(len(hrefs), "card")))
	objs, err := p.client.Cards(ctx, p.book, hrefs)
	if err != nil {
		return err
	}
	var fresh []dav.Object
	for _, o := range objs {
		l, known := p.links[o.Path]
		if !known {
			l, known = p.links[model.ForgottenHref(o.Path)]
		}
		if known && l.PhoneDeletedAt != nil {
			// A card at the path of one the phone deleted: it is back.
			if !p.opts.DryRun {
				if err := p.s.store().UnmarkDeletedOnPhone(ctx, l.Href); err != nil {
					return err
				}
			}
			l.PhoneDeletedAt = nil
			p.links[l.Href] = l
		}
		switch {
		case !known && p.stillSkipped(o.Path):
			// Skipped by the owner on an earlier sync.
		case !known:
			fresh = append(fresh, o)
		case l.ContactID == 0:
			// Deleted here, changed on the phone: asked about below.
		case changedHere[o.Path].Href != "":
			name := p.name(ctx, l.ContactID)
			p.report.Conflicts = append(p.report.Conflicts, SyncItem{ContactID: l.ContactID, Name: name, Href: o.Path})
			p.report.say("changed on both sides: %s (neither side written; rapport sync --keep phone|mine %s)", name, o.Path)
		default:
			if err := p.update(ctx, l, o); err != nil {
				return err
			}
		}
	}
	return p.importFresh(ctx, fresh, progress)
}

// update gives a contact not changed here the phone's version of its
// standard fields; what only Rapport keeps (stage, details, journal) stays.
func (p *phoneSync) update(ctx context.Context, l model.DavLink, o dav.Object) error {
	raw, err := encodeCard(o.Card)
	if err != nil {
		return fmt.Errorf("card %s: %w", o.Path, err)
	}
	in, err := p.s.mapOne(ctx, raw, p.opts.Region)
	if err != nil {
		p.report.say("left out %s from the phone: %v", o.Path, err)
		return nil
	}
	c, err := p.s.store().Contact(ctx, l.ContactID)
	if err != nil {
		return err
	}
	name := DisplayName(c)
	p.report.FromPhoneUpdated++
	p.report.say("updated from the phone: %s", name)
	if p.opts.DryRun {
		return nil
	}
	takeStandardFields(c, &in)
	if err := p.s.SaveContact(ctx, c); err != nil {
		return fmt.Errorf("update %s from the phone: %w", name, err)
	}
	hash, err := p.localHash(ctx, l.ContactID)
	if err != nil {
		return err
	}
	return p.s.store().SaveDavLink(ctx, model.DavLink{ContactID: l.ContactID, Href: o.Path, ETag: o.ETag, SyncedHash: hash})
}

// takeStandardFields copies what a phone's address book holds from in to c.
func takeStandardFields(c, in *model.Contact) {
	c.GivenName, c.FamilyName, c.DisplayName = in.GivenName, in.FamilyName, in.DisplayName
	c.Nickname, c.Organization, c.Title = in.Nickname, in.Organization, in.Title
	c.Phones, c.Emails, c.Addresses = in.Phones, in.Emails, in.Addresses
	for i := range c.Phones {
		c.Phones[i].ID, c.Phones[i].ContactID = 0, c.ID
	}
	for i := range c.Emails {
		c.Emails[i].ID, c.Emails[i].ContactID = 0, c.ID
	}
	for i := range c.Addresses {
		c.Addresses[i].ID, c.Addresses[i].ContactID = 0, c.ID
	}
	if len(in.Photo) > 0 {
		c.Photo = in.Photo
	}
	c.VCardExtra = in.VCardExtra
}

// importFresh imports the cards new on the phone as one batch of the import
// history (so that it can be undone) and links each to its contact.
func (p *phoneSync) importFresh(ctx context.Context, fresh []dav.Object, progress func(string)) error {
	fresh, err := p.leaveOut(ctx, fresh)
	if err != nil || len(fresh) == 0 {
		return err
	}
	if p.opts.DryRun {
		return p.planFresh(ctx, fresh)
	}
	var stream bytes.Buffer
	for _, o := range fresh {
		raw, err := encodeCard(o.Card)
		if err != nil {
			return fmt.Errorf("card %s: %w", o.Path, err)
		}
		stream.Write(raw)
	}
	name := "Phone sync " + p.book
	progress(fmt.Sprintf("Importing %s new on the phone", Plural(len(fresh), "card")))
	outcomes := map[int]freshOutcome{}
	actions, into := p.importChoices(fresh)
	rep, err := p.s.importStream(ctx, name, &stream, ImportOptions{Region: p.opts.Region, Actions: actions, MergeInto: into,
		Imported: func(number int, id int64, action Action) { outcomes[number] = freshOutcome{id, action} }})
	if err != nil {
		return err
	}
	p.report.FromPhoneAdded += rep.Created
	p.report.FromPhoneMerged += rep.Merged
	for _, sk := range rep.Skipped {
		p.report.say("left out from the phone: card %d (%s): %s", sk.Number, sk.Name, sk.Reason)
	}
	return p.linkFresh(ctx, fresh, outcomes)
}

// freshOutcome is the contact a card new on the phone became or was merged
// into.
type freshOutcome struct {
	id     int64
	action Action
}

// linkFresh links the cards new on the phone to the contacts they became,
// by their number in the import (outcomes), and writes the merged ones'
// contacts back to the phone whole.
func (p *phoneSync) linkFresh(ctx context.Context, fresh []dav.Object, outcomes map[int]freshOutcome) error {
	// The links are written together, with each new contact's card hash
	// read in batches: a contact at a time took 8 ms each.
	var links []model.DavLink
	var added []int64
	merged := map[string]bool{}
	for i, o := range fresh {
		out, ok := outcomes[i+1]
		if !ok {
			continue
		}
		links = append(links, model.DavLink{ContactID: out.id, Href: o.Path, ETag: o.ETag})
		if out.action == ActionAdd {
			added = append(added, out.id)
		} else {
			merged[o.Path] = true
		}
	}
	hashes, err := p.localHashes(ctx, added)
	if err != nil {
		return err
	}
	for i := range links {
		// A merge leaves the hash empty: the contact holds more than the
		// card, and the phone gets it whole below.
		if !merged[links[i].Href] {
			links[i].SyncedHash = hashes[links[i].ContactID]
		}
		p.links[links[i].Href] = links[i]
	}
	if err := p.s.store().SaveDavLinks(ctx, links); err != nil {
		return err
	}
	for _, l := range links {
		if l.SyncedHash == "" {
			if err := p.write(ctx, l.ContactID, l.Href, l.ETag, ""); err != nil {
				return err
			}
		}
	}
	return nil
}

// toPhone writes contacts new or changed here since the last sync; a
// contact whose card the phone deleted waits for the owner's word.
func (p *phoneSync) toPhone(ctx context.Context, changedThere map[string]string, progress func(string)) error {
	st := p.s.store()
	unlinked, changed, err := st.SyncCandidates(ctx)
	if err != nil {
		return err
	}
	if len(unlinked)+len(changed) > 0 {
		progress(fmt.Sprintf("Writing %s to the phone", Plural(len(unlinked)+len(changed), "contact")))
	}
	for _, l := range changed {
		if l.ContactID == 0 || p.links[l.Href].PhoneDeletedAt != nil {
			continue // a deletion, asked about
		}
		if _, both := changedThere[l.Href]; both {
			continue // a conflict, reported above
		}
		if err := p.write(ctx, l.ContactID, l.Href, l.ETag, l.SyncedHash); err != nil {
			return err
		}
	}
	for _, id := range unlinked {
		href := p.book + uuid.NewString() + ".vcf"
		if err := p.write(ctx, id, href, "", ""); err != nil {
			return err
		}
	}
	return nil
}

// write puts a contact's card on the phone: a new card (etag "") or over
// the version last read. A card changed there since is a conflict.
func (p *phoneSync) write(ctx context.Context, id int64, href, etag, syncedHash string) error {
	c, err := p.s.store().Contact(ctx, id)
	if err != nil {
		if errors.Is(err, model.ErrNotFound) {
			return nil // deleted while syncing
		}
		return err
	}
	raw := cardForPhone(c)
	hash := hashOf(raw)
	if etag != "" && hash == syncedHash {
		// Touched but not changed in what the phone holds (a journal
		// entry, a stage): only the link's time moves on.
		if p.opts.DryRun {
			return nil
		}
		return p.s.store().SaveDavLink(ctx, model.DavLink{ContactID: id, Href: href, ETag: etag, SyncedHash: hash})
	}
	name := DisplayName(c)
	// Counted and said once done (or, dry, once known): a write the
	// server refuses or finds changed is reported as that instead.
	if p.opts.DryRun {
		p.sayWritten(id, etag, name)
		return nil
	}
	newTag, written, err := p.putCard(ctx, id, name, href, etag, raw)
	if err != nil || !written {
		return err
	}
	p.sayWritten(id, etag, name)
	if newTag == "" {
		tags, err := p.client.ETags(ctx, p.book)
		if err != nil {
			return err
		}
		newTag = tags[href]
	}
	return p.s.store().SaveDavLink(ctx, model.DavLink{ContactID: id, Href: href, ETag: newTag, SyncedHash: hash})
}

// sayWritten counts and reports the card of contact id, named name, as new
// on the phone (etag "") or updated there.
func (p *phoneSync) sayWritten(id int64, etag, name string) {
	if etag == "" && !p.mergedDry[id] {
		p.report.ToPhoneAdded++
		p.report.say("new on the phone: %s", name)
	} else {
		p.report.ToPhoneUpdated++
		p.report.say("updated on the phone: %s", name)
	}
}

// putCard sends the card raw of contact id to href over the version etag and
// returns the server's new ETag ("" when it gives none). A card changed on
// the phone since, or refused by the server, is reported and not written
// (written is false), and the sync goes on.
func (p *phoneSync) putCard(ctx context.Context, id int64, name, href, etag string, raw []byte) (string, bool, error) {
	card, err := vcard.NewDecoder(bytes.NewReader(raw)).Decode()
	if err != nil {
		return "", false, fmt.Errorf("card of %s: %w", name, err)
	}
	newTag, err := p.client.Put(ctx, href, card, etag)
	if errors.Is(err, dav.ErrConflict) {
		p.report.Conflicts = append(p.report.Conflicts, SyncItem{ContactID: id, Name: name, Href: href})
		p.report.say("changed on both sides: %s (neither side written; rapport sync --keep phone|mine %s)", name, href)
		return "", false, nil
	}
	var rejected *dav.RejectedError
	if errors.As(err, &rejected) {
		// That card only: the rest goes on, and the next sync tries it
		// again (nothing records it as written).
		why := rejected.Status
		if rejected.Message != "" {
			why += ": " + rejected.Message
		}
		p.report.Refused = append(p.report.Refused, SyncItem{ContactID: id, Name: name, Href: href})
		p.report.say("not on the phone: the server refused the card of %s (%s); the next sync tries again", name, OneLine(why))
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return newTag, true, nil
}

func (p *phoneSync) name(ctx context.Context, id int64) string {
	c, err := p.s.store().Contact(ctx, id)
	if err != nil {
		return fmt.Sprintf("contact %d", id)
	}
	return DisplayName(c)
}

// localHashes gives the hash of the phone's card of each contact, read 500
// contacts at a time.
func (p *phoneSync) localHashes(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for start := 0; start < len(ids); start += 500 {
		cs, err := p.s.store().Contacts(ctx, ids[start:min(start+500, len(ids))])
		if err != nil {
			return nil, err
		}
		for i := range cs {
			out[cs[i].ID] = hashOf(cardForPhone(&cs[i]))
		}
	}
	return out, nil
}

func (p *phoneSync) localHash(ctx context.Context, id int64) (string, error) {
	c, err := p.s.store().Contact(ctx, id)
	if err != nil {
		return "", err
	}
	return hashOf(cardForPhone(c)), nil
}

// cardForPhone is the card the phone gets of a contact: the standard fields
// and the lines kept from the phone's own cards, none of Rapport's journal,
// stage or details.
func cardForPhone(c *model.Contact) []byte {
	var buf bytes.Buffer
	w := vcf.NewWriter(&buf)
	cardRules().WriteCard(w, c, false)
	_ = w.Flush() // a bytes.Buffer does not fail
	return buf.Bytes()
}

func hashOf(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func encodeCard(card vcard.Card) ([]byte, error) {
	var buf bytes.Buffer
	if err := vcard.NewEncoder(&buf).Encode(card); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mapOne maps the single card in raw as the import would.
func (s *Service) mapOne(ctx context.Context, raw []byte, region string) (model.Contact, error) {
	var out model.Contact
	var found bool
	err := s.eachCard(ctx, bytes.NewReader(raw), region, func(ic ImportedCard, skip error) error {
		if skip != nil {
			return skip
		}
		out, found = ic.Contact, true
		return nil
	})
	if err == nil && !found {
		err = errors.New("no card")
	}
	return out, err
}

// Side is which version of a contact changed on both sides wins.
type Side string

const (
	KeepPhone Side = "phone" // the phone's card replaces the contact's address-book fields
	KeepMine  Side = "mine"  // the contact as it is here replaces the phone's card
)

// ResolveSyncConflict settles a contact changed on both sides (href as the
// sync reported it): the side kept is written over the other, again only
// over the version just read, so a third change in between is refused
// (dav.ErrConflict) rather than lost.
func (s *Service) ResolveSyncConflict(ctx context.Context, password, href string, keep Side) error {
	unlock, err := s.lockImports(ctx)
	if err != nil {
		return err
	}
	defer unlock()
	if ec, isEvent, err := s.eventConflictAt(ctx, password, href); isEvent || err != nil {
		if err != nil {
			return err
		}
		return s.resolveEventConflict(ctx, ec, keep)
	}
	c, err := s.conflictCard(ctx, password, href)
	if err != nil {
		return err
	}
	set, client, links, l, obj := c.set, c.client, c.links, c.link, c.phone
	p := &phoneSync{s: s, client: client, book: set.AddressBook, report: &SyncReport{}, links: links, mergedDry: map[int64]bool{},
		opts: SyncOptions{Password: password, Region: s.PhoneRegion()}}
	switch keep {
	case KeepPhone:
		return p.update(ctx, l, obj)
	case KeepMine:
		if err := p.write(ctx, l.ContactID, href, obj.ETag, ""); err != nil {
			return err
		}
		if len(p.report.Conflicts) > 0 {
			return fmt.Errorf("phone sync: %s changed on the phone again meanwhile: %w", href, dav.ErrConflict)
		}
		return nil
	}
	return fmt.Errorf("keep %q: say phone or mine", keep)
}

// conflict is a card changed on both sides, as both sides have it now.
type conflict struct {
	set    PhoneSync
	client *dav.Client
	links  map[string]model.DavLink
	link   model.DavLink // the card's link to its contact
	phone  dav.Object    // the card as the phone has it, just read
}

// conflictCard reads the phone's card at href of a contact here.
func (s *Service) conflictCard(ctx context.Context, password, href string) (*conflict, error) {
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return nil, err
	}
	if set.URL == "" {
		return nil, ErrSyncNotSetUp
	}
	links, err := s.store().DavLinks(ctx)
	if err != nil {
		return nil, err
	}
	l, ok := links[href]
	if !ok || l.ContactID == 0 {
		return nil, fmt.Errorf("%s is no card of a contact here", href)
	}
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: password})
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	objs, err := client.Cards(ctx, set.AddressBook, []string{href})
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	if len(objs) != 1 {
		return nil, fmt.Errorf("phone sync: %s is no longer on the phone", href)
	}
	return &conflict{set: set, client: client, links: links, link: l, phone: objs[0]}, nil
}

// SyncSides is a contact changed on both sides, as each side has it, in
// the lines a person compares: name, organisation, phones, emails,
// addresses.
type SyncSides struct {
	Href        string
	Phone, Mine []string
}

// ConflictSides reads the phone's card of a contact changed on both sides
// and sets it beside the contact as it is here.
func (s *Service) ConflictSides(ctx context.Context, password, href string) (SyncSides, error) {
	out := SyncSides{Href: href}
	if ec, isEvent, err := s.eventConflictAt(ctx, password, href); isEvent || err != nil {
		if err != nil {
			return out, err
		}
		return s.eventSides(ec), nil
	}
	c, err := s.conflictCard(ctx, password, href)
	if err != nil {
		return out, err
	}
	mine, err := s.store().Contact(ctx, c.link.ContactID)
	if err != nil {
		return out, err
	}
	raw, err := encodeCard(c.phone.Card)
	if err != nil {
		return out, err
	}
	phone, err := s.mapOne(ctx, raw, s.PhoneRegion())
	if err != nil {
		return out, fmt.Errorf("phone sync: %s: %w", href, err)
	}
	out.Phone, out.Mine = addressBookLines(&phone), addressBookLines(mine)
	return out, nil
}

func addressBookLines(c *model.Contact) []string {
	lines := []string{OneLine(DisplayName(c))}
	if c.Organization != "" || c.Title != "" {
		lines = append(lines, OneLine(joinNonEmpty(", ", c.Title, c.Organization)))
	}
	for _, p := range c.Phones {
		lines = append(lines, OneLine(joinNonEmpty(" ", p.Label, p.Number)))
	}
	for _, e := range c.Emails {
		lines = append(lines, OneLine(joinNonEmpty(" ", e.Label, e.Address)))
	}
	for _, a := range c.Addresses {
		lines = append(lines, OneLine(joinNonEmpty(", ", a.Street, joinNonEmpty(" ", a.PostalCode, a.City), a.Country)))
	}
	return lines
}
