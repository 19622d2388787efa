package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/emersion/go-vcard"
	"github.com/rapportjournal/rapport/app/dav"
	"github.com/rapportjournal/rapport/app/jsonbackup"
	"github.com/rapportjournal/rapport/model"
)

// How the owner settles a deletion the phone sync reported.
type Deletion string

const (
	// DeleteToo deletes on the side that still has it: the contact here
	// when the phone deleted the card, the card on the phone when the
	// contact was deleted here. Recorded in the import history for undo.
	DeleteToo Deletion = "delete"
	// Undelete keeps it: a contact the phone deleted goes back to the phone
	// with the next sync; a card whose contact was deleted here comes back
	// here as a contact, linked to it.
	Undelete Deletion = "undelete"
)

// Kinds of import_changes rows a settled deletion records.
const (
	// changeDeleted: a contact deleted here as it was on the phone; Value
	// is the contact whole (deletedContact, JSON), Field the card's path.
	changeDeleted = "deleted"
	// changePhoneCard: a card deleted on the phone as it was here; Field is
	// the card's link (its path, or a forgotten contact's hash of it),
	// Value the card's text as the server had it ("" for a forgotten
	// contact: Rapport keeps nothing of them).
	changePhoneCard = "phone card"
)

// Settled says what settling a deletion did, and the import batch that
// undoes it (0 when there is nothing to undo).
type Settled struct {
	Batch   int64
	Message string
}

// deletedContact is a contact deleted as on the phone, kept for undo: the
// backup's form of the contact (journal, details, dates, appointments,
// notes owed, photo), and what ties it to others, by their backup IDs.
type deletedContact struct {
	Contact   jsonbackup.Contact `json:"contact"`
	Household []deletedLink      `json:"household,omitempty"` // household links to other contacts
	Referred  []string           `json:"referred,omitempty"`  // contacts they referred
}

type deletedLink struct {
	UID    string `json:"uid"`
	Kind   string `json:"kind"`
	Reason string `json:"reason"`
}

// SettleDeletion settles one deletion the sync reported, by the href it
// gave: for a card deleted on the phone, DeleteToo deletes the contact here
// (undoable from the import history: it comes back whole, unlinked, and
// the next sync puts it on the phone as a new card) and Undelete keeps it
// (the next sync writes it back to the phone). For a contact deleted here,
// DeleteToo deletes the card on the phone, only if it is still the version
// last synced (else dav.ErrConflict, nothing deleted), undoable from the
// import history (the card is put back on the phone), and Undelete imports
// the phone's card here again as a contact, linked to it. Each is one
// transaction here; a write on the phone is recorded before it is made, and
// the record dropped if the server refuses it.
func (s *Service) SettleDeletion(ctx context.Context, password, href string, how Deletion) (Settled, error) {
	if how != DeleteToo && how != Undelete {
		return Settled{}, fmt.Errorf("settle %s: say %s or %s", href, DeleteToo, Undelete)
	}
	unlock, err := s.lockImports(ctx)
	if err != nil {
		return Settled{}, err
	}
	defer unlock()
	if settled, isEvent, err := s.settleEventDeletion(ctx, password, href, how); isEvent || err != nil {
		return settled, err
	}
	links, err := s.store().DavLinks(ctx)
	if err != nil {
		return Settled{}, err
	}
	l, ok := links[href]
	switch {
	case ok && l.ContactID != 0 && l.PhoneDeletedAt != nil:
		if how == DeleteToo {
			return s.deleteHereToo(ctx, l)
		}
		return s.keepHere(ctx, l)
	case ok && l.ContactID == 0 && !model.IsSkippedHref(href):
		conn, err := s.phoneConn(ctx, password)
		if err != nil {
			return Settled{}, err
		}
		path, err := conn.pathOf(ctx, l.Href)
		if err != nil {
			return Settled{}, fmt.Errorf("phone sync: %w", err)
		}
		if path == "" {
			return s.bothGone(ctx, l)
		}
		if how == DeleteToo {
			return s.deleteOnPhoneToo(ctx, conn, l, path)
		}
		return s.keepOnPhone(ctx, conn, l, path)
	}
	return Settled{}, fmt.Errorf("%s is not a deletion the phone sync is asking about (rapport sync --dry-run lists them)", href)
}

// deleteHereToo deletes the contact of a card the phone deleted, keeping it
// whole in the import history for undo.
func (s *Service) deleteHereToo(ctx context.Context, l model.DavLink) (Settled, error) {
	var out Settled
	err := s.store().InTx(ctx, func(tx *model.Store) error {
		c, err := tx.Contact(ctx, l.ContactID)
		if err != nil {
			return err
		}
		snap, err := snapshotContact(ctx, tx, c)
		if err != nil {
			return err
		}
		name := DisplayName(c)
		b, err := tx.StartBatch(ctx, "Phone sync: "+batchName(name)+" deleted here too, as on the phone")
		if err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, []model.ImportChange{{BatchID: b.ID, ContactID: c.ID, Kind: changeDeleted,
			Field: l.Href, Value: string(snap)}}); err != nil {
			return err
		}
		if err := tx.DeleteDavLink(ctx, l.Href); err != nil {
			return err
		}
		if err := tx.DeleteContact(ctx, c.ID); err != nil {
			return err
		}
		if err := tx.SaveBatch(ctx, b); err != nil {
			return err
		}
		out = Settled{Batch: b.ID, Message: name + " deleted here too. Undo brings them back whole, and the next sync puts them on the phone again."}
		return nil
	})
	if err != nil {
		return Settled{}, fmt.Errorf("delete here what the phone deleted: %w", err)
	}
	return out, nil
}

// snapshotContact is c in the form undo restores it from.
func snapshotContact(ctx context.Context, tx *model.Store, c *model.Contact) ([]byte, error) {
	uids := map[int64]string{}
	var ids []int64
	if c.ReferredByID != nil {
		ids = append(ids, *c.ReferredByID)
	}
	links, err := tx.LinksOf(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	for _, l := range links {
		ids = append(ids, l.ContactID)
	}
	referred, err := tx.ReferredBy(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	ids = append(ids, referred...)
	if len(ids) > 0 {
		rows, err := tx.ContactRows(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, r := range rows {
			uids[r.ID] = r.UID
		}
	}
	d := deletedContact{Contact: backupRules().FromModel(c, uids, true)}
	for _, l := range links {
		if uid := uids[l.ContactID]; uid != "" {
			d.Household = append(d.Household, deletedLink{UID: uid, Kind: l.Kind, Reason: l.Reason})
		}
	}
	for _, id := range referred {
		if uid := uids[id]; uid != "" {
			d.Referred = append(d.Referred, uid)
		}
	}
	return json.Marshal(d)
}

// restoreDeleted brings back a contact deleted as on the phone, with its
// referrer, household links and those it referred where they are still
// here. It comes back unlinked: the next sync puts it on the phone.
func (s *Service) restoreDeleted(ctx context.Context, tx *model.Store, value string) (string, error) {
	var d deletedContact
	if err := json.Unmarshal([]byte(value), &d); err != nil {
		return "", fmt.Errorf("the deleted contact's record: %w", err)
	}
	rc, err := backupRules().ToModel(d.Contact)
	if err != nil {
		return "", fmt.Errorf("the deleted contact's record: %w", err)
	}
	id, _, err := s.mergeRestored(ctx, tx, rc)
	if err != nil {
		return "", err
	}
	other := func(uid string) int64 {
		oid, err := tx.ContactIDByUID(ctx, uid)
		if err != nil {
			return 0
		}
		return oid
	}
	if ref := other(rc.ReferredBy); rc.ReferredBy != "" && ref != 0 && ref != id {
		if err := tx.SetReferrer(ctx, id, &ref); err != nil {
			return "", err
		}
	}
	for _, h := range d.Household {
		if oid := other(h.UID); oid != 0 && oid != id {
			if _, err := tx.LinkContacts(ctx, id, oid, h.Kind, h.Reason); err != nil {
				return "", err
			}
		}
	}
	for _, uid := range d.Referred {
		if oid := other(uid); oid != 0 && oid != id {
			c, err := tx.Contact(ctx, oid)
			if err != nil {
				return "", err
			}
			if c.ReferredByID == nil {
				if err := tx.SetReferrer(ctx, oid, &id); err != nil {
					return "", err
				}
			}
		}
	}
	return rc.Contact.DisplayName, tx.ForgetReliability(ctx, []int64{id})
}

// keepHere keeps a contact whose card the phone deleted: unlinked, the next
// sync writes it to the phone as a new card.
func (s *Service) keepHere(ctx context.Context, l model.DavLink) (Settled, error) {
	name, err := s.store().ContactName(ctx, l.ContactID)
	if err != nil {
		return Settled{}, err
	}
	if err := s.store().DeleteDavLink(ctx, l.Href); err != nil {
		return Settled{}, err
	}
	return Settled{Message: name + " kept; the next sync puts them back on the phone."}, nil
}

// bothGone forgets the link of a card gone on both sides.
func (s *Service) bothGone(ctx context.Context, l model.DavLink) (Settled, error) {
	if err := s.store().DeleteDavLink(ctx, l.Href); err != nil {
		return Settled{}, err
	}
	return Settled{Message: "The card is gone from the phone already: nothing left to settle."}, nil
}

// deleteOnPhoneToo deletes the card of a contact deleted here, over the
// version last synced only.
func (s *Service) deleteOnPhoneToo(ctx context.Context, conn *phoneConn, l model.DavLink, path string) (Settled, error) {
	obj, err := conn.client.Card(ctx, path)
	if errors.Is(err, dav.ErrGone) {
		return s.bothGone(ctx, l)
	}
	if err != nil {
		return Settled{}, fmt.Errorf("phone sync: %w", err)
	}
	forgotten := model.IsForgottenHref(l.Href)
	name := "a forgotten contact's card"
	if !forgotten {
		name = cardName(obj.Card, path)
	}
	changed := func() (Settled, error) {
		// Asked again, the owner deletes the version they were told of.
		if err := s.store().SaveDavLink(ctx, model.DavLink{Href: l.Href, ETag: obj.ETag, SyncedAt: l.SyncedAt}); err != nil {
			return Settled{}, err
		}
		return Settled{}, fmt.Errorf("%s was not deleted on the phone: it was changed there since the last sync (%w). Look at it on the phone; delete again to delete it as it is now, or keep it to bring it back here",
			name, dav.ErrConflict)
	}
	if l.ETag != "" && obj.ETag != l.ETag {
		return changed()
	}
	// Recorded first, so that a card deleted is never one undo cannot put
	// back; dropped again if the server does not delete it.
	text := string(obj.Raw)
	if forgotten {
		text = "" // nothing of a forgotten contact is kept
	}
	b, conflict, err := s.deleteOnPhoneRecorded(ctx, phoneDeletion{
		title:  "Phone sync: " + batchName(name) + " deleted on the phone too",
		change: model.ImportChange{Kind: changePhoneCard, Field: l.Href, Value: text},
		delete: func() error { return conn.client.Delete(ctx, path, obj.ETag) },
		unlink: func(tx *model.Store) error { return tx.DeleteDavLink(ctx, l.Href) },
		name:   name,
	})
	if conflict {
		return changed()
	}
	if err != nil {
		return Settled{}, err
	}
	msg := upperFirst(name) + " deleted on the phone too. Undo puts it back on the phone."
	if forgotten {
		msg = "The forgotten contact's card was deleted on the phone too. Rapport kept no copy of it, so this cannot be undone."
	}
	return Settled{Batch: b.ID, Message: msg}, nil
}

// keepOnPhone imports the phone's card of a contact deleted here as a
// contact again, linked to the card: one batch of the import history.
func (s *Service) keepOnPhone(ctx context.Context, conn *phoneConn, l model.DavLink, path string) (Settled, error) {
	obj, err := conn.client.Card(ctx, path)
	if errors.Is(err, dav.ErrGone) {
		return s.bothGone(ctx, l)
	}
	if err != nil {
		return Settled{}, fmt.Errorf("phone sync: %w", err)
	}
	c, err := s.mapOne(ctx, obj.Raw, s.PhoneRegion())
	if err != nil {
		return Settled{}, fmt.Errorf("the phone's card %s: %w", path, err)
	}
	if err := tidy(&c); err != nil {
		return Settled{}, fmt.Errorf("the phone's card %s: %w", path, err)
	}
	s.normalizePhones(&c)
	withThumbnail(&c)
	name := DisplayName(&c)
	var out Settled
	err = s.store().InTx(ctx, func(tx *model.Store) error {
		b, err := tx.StartBatch(ctx, "Phone sync: "+batchName(name)+" brought back from the phone")
		if err != nil {
			return err
		}
		if err := tx.CreateContact(ctx, &c); err != nil {
			return err
		}
		if err := tx.RecordChanges(ctx, []model.ImportChange{{BatchID: b.ID, ContactID: c.ID, Kind: "contact"}}); err != nil {
			return err
		}
		stored, err := tx.Contact(ctx, c.ID)
		if err != nil {
			return err
		}
		if err := tx.DeleteDavLink(ctx, l.Href); err != nil {
			return err
		}
		if err := tx.SaveDavLink(ctx, model.DavLink{ContactID: c.ID, Href: path, ETag: obj.ETag, SyncedHash: hashOf(cardForPhone(stored))}); err != nil {
			return err
		}
		b.Created = 1
		if err := tx.SaveBatch(ctx, b); err != nil {
			return err
		}
		out = Settled{Batch: b.ID, Message: name + " is back here from the phone's card."}
		return nil
	})
	if err != nil {
		return Settled{}, fmt.Errorf("bring %s back from the phone: %w", name, err)
	}
	return out, nil
}

// phoneConn is a connection to the sync's address book.
type phoneConn struct {
	set    PhoneSync
	client *dav.Client
	paths  map[string]string // forgotten href → path, read when first needed
}

func (s *Service) phoneConn(ctx context.Context, password string) (*phoneConn, error) {
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return nil, err
	}
	if set.URL == "" || set.AddressBook == "" {
		return nil, ErrSyncNotSetUp
	}
	client, err := dav.Dial(ctx, dav.Account{URL: set.URL, User: set.User, Password: password})
	if err != nil {
		return nil, fmt.Errorf("phone sync: %w", err)
	}
	return &phoneConn{set: set, client: client}, nil
}

// pathOf is the path on the phone of the card a link names: the link's own
// href, or for a forgotten contact's link the path that hashes to it, ""
// when no card on the phone does.
func (c *phoneConn) pathOf(ctx context.Context, href string) (string, error) {
	if !model.IsForgottenHref(href) {
		return href, nil
	}
	if c.paths == nil {
		etags, err := c.client.ETags(ctx, c.set.AddressBook)
		if err != nil {
			return "", err
		}
		c.paths = make(map[string]string, len(etags))
		for p := range etags {
			c.paths[model.ForgottenHref(p)] = p
		}
	}
	return c.paths[href], nil
}

// putCardsBack puts the cards a batch deleted on the phone back there (the
// undo of DeleteToo of a contact deleted here), each only where the path is
// free; it returns each change's new ETag. Nothing is changed here: the
// caller records the links in its transaction.
func (s *Service) putCardsBack(ctx context.Context, changes []model.ImportChange) (map[int64]string, error) {
	for _, ch := range changes {
		if ch.Value == "" {
			return nil, errors.New("the card deleted on the phone was a forgotten contact's: Rapport kept no copy of it to put back")
		}
	}
	_, password, err := s.keptAccount(ctx)
	if err != nil {
		return nil, err
	}
	conn, err := s.phoneConn(ctx, password)
	if err != nil {
		return nil, err
	}
	out := map[int64]string{}
	for _, ch := range changes {
		card, err := vcard.NewDecoder(strings.NewReader(ch.Value)).Decode()
		if err != nil {
			return nil, fmt.Errorf("the card kept of %s: %w", ch.Field, err)
		}
		tag, err := conn.client.Put(ctx, ch.Field, card, "")
		if err != nil && !errors.Is(err, dav.ErrConflict) { // ErrConflict: a card is there again already
			return nil, fmt.Errorf("put the card back on the phone: %w", err)
		}
		if tag == "" {
			obj, err := conn.client.Card(ctx, ch.Field)
			if err != nil {
				return nil, fmt.Errorf("put the card back on the phone: %w", err)
			}
			tag = obj.ETag
		}
		out[ch.ID] = tag
	}
	return out, nil
}

func cardName(card vcard.Card, path string) string {
	if fn := strings.TrimSpace(card.PreferredValue(vcard.FieldFormattedName)); fn != "" {
		return OneLine(fn)
	}
	return path
}

// batchName is a name as the import history shows it: one line, no slash
// (the history shows the last part of a path).
func batchName(name string) string {
	return strings.ReplaceAll(OneLine(name), "/", "-")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// phoneDeletions takes in the cards the phone deleted: a contact still here
// is marked and asked about (on this sync and every one after, until the
// owner settles it); a card whose contact is gone here too leaves nothing
// to ask. Every contact marked is listed in the report.
func (p *phoneSync) phoneDeletions(ctx context.Context, deleted []string) error {
	st := p.s.store()
	now := time.Now().UTC()
	for _, href := range deleted {
		key := href
		l, ok := p.links[key]
		if !ok {
			key = model.ForgottenHref(href)
			if l, ok = p.links[key]; !ok {
				key = model.SkippedHref(href) // its skip mark goes with it
				if l, ok = p.links[key]; !ok {
					continue
				}
			}
		}
		switch {
		case l.ContactID == 0:
			if !p.opts.DryRun {
				if err := st.DeleteDavLink(ctx, key); err != nil {
					return err
				}
			}
			delete(p.links, key)
		case l.PhoneDeletedAt == nil:
			if !p.opts.DryRun {
				if err := st.MarkDeletedOnPhone(ctx, key, now); err != nil {
					return err
				}
			}
			l.PhoneDeletedAt = &now
			p.links[key] = l
		}
	}
	var marked []string
	for href, l := range p.links {
		if l.ContactID != 0 && l.PhoneDeletedAt != nil {
			marked = append(marked, href)
		}
	}
	slices.Sort(marked)
	for _, href := range marked {
		l := p.links[href]
		name := p.name(ctx, l.ContactID)
		p.report.DeletedOnPhone = append(p.report.DeletedOnPhone, SyncItem{ContactID: l.ContactID, Name: name, Href: href})
		p.report.say("deleted on the phone: %s (kept here until you decide: rapport sync --delete or --undelete %s)", name, href)
	}
	return nil
}

// deletedHere lists the cards still on the phone whose contact was deleted
// here, by the name on the card; a card gone from the phone too leaves
// nothing to ask.
func (p *phoneSync) deletedHere(ctx context.Context) error {
	var keys []string
	for href, l := range p.links {
		if l.ContactID == 0 && !model.IsSkippedHref(href) {
			keys = append(keys, href)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.Sort(keys)
	conn := &phoneConn{set: PhoneSync{AddressBook: p.book}, client: p.client}
	for _, key := range keys {
		path, err := conn.pathOf(ctx, key)
		if err != nil {
			return err
		}
		var obj dav.Object
		if path != "" {
			obj, err = p.client.Card(ctx, path)
		}
		if path == "" || errors.Is(err, dav.ErrGone) {
			if !p.opts.DryRun {
				if err := p.s.store().DeleteDavLink(ctx, key); err != nil {
					return err
				}
			}
			delete(p.links, key)
			continue
		}
		if err != nil {
			return err
		}
		name := cardName(obj.Card, path)
		p.report.DeletedHere = append(p.report.DeletedHere, SyncItem{Name: name, Href: key})
		p.report.say("deleted here, still on the phone: %s (kept there until you decide: rapport sync --delete or --undelete %s)", name, key)
	}
	return nil
}

// phoneDeletion is a card or event to delete on the phone's server, with
// what undo needs to put it back.
type phoneDeletion struct {
	title  string             // the import history's line
	change model.ImportChange // the object's text, for undo (its batch is set here)
	delete func() error       // deletes it on the server, if unchanged there
	unlink func(tx *model.Store) error
	name   string // for the error if the link cannot be dropped
}

// deleteOnPhoneRecorded deletes an object on the phone's server with its
// undo recorded first: the batch holding its text is written, the object
// deleted, then its link dropped and the batch saved in one transaction. An
// object changed on the server since it was read (conflict) or a failed
// delete takes the batch back; one already gone counts as deleted.
func (s *Service) deleteOnPhoneRecorded(ctx context.Context, d phoneDeletion) (b *model.ImportBatch, conflict bool, err error) {
	err = s.store().InTx(ctx, func(tx *model.Store) error {
		var err error
		if b, err = tx.StartBatch(ctx, d.title); err != nil {
			return err
		}
		d.change.BatchID = b.ID
		return tx.RecordChanges(ctx, []model.ImportChange{d.change})
	})
	if err != nil {
		return nil, false, err
	}
	if err := d.delete(); err != nil && !errors.Is(err, dav.ErrGone) {
		if dropErr := s.store().DeleteBatch(context.WithoutCancel(ctx), b.ID); dropErr != nil {
			err = errors.Join(err, dropErr)
		}
		if errors.Is(err, dav.ErrConflict) {
			return nil, true, nil
		}
		return nil, false, fmt.Errorf("phone sync: %w", err)
	}
	err = s.store().InTx(context.WithoutCancel(ctx), func(tx *model.Store) error {
		if err := d.unlink(tx); err != nil {
			return err
		}
		return tx.SaveBatch(ctx, b)
	})
	if err != nil {
		return nil, false, fmt.Errorf("%s deleted on the phone, but: %w", d.name, err)
	}
	return b, false, nil
}

// keptAccount is the phone sync's settings and the password kept for them,
// for an undo that writes to the phone without the owner typing it again.
func (s *Service) keptAccount(ctx context.Context) (PhoneSync, string, error) {
	set, err := s.PhoneSyncSettings(ctx)
	if err != nil {
		return set, "", err
	}
	if set.URL == "" {
		return set, "", ErrSyncNotSetUp
	}
	password, found, err := s.PhoneSyncPassword(set.URL, set.User)
	if err != nil {
		return set, "", err
	}
	if !found {
		return set, "", fmt.Errorf("no password kept for %s on %s: save it in File › Phone Sync… (or rapport sync --setup) first", set.User, set.URL)
	}
	return set, password, nil
}
