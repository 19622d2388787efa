package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/rapportjournal/rapport/app/vcf"
	"github.com/rapportjournal/rapport/model"
)

// Action is what an import does with one card.
type Action string

// The actions the owner can choose per card.
const (
	ActionAdd   Action = "add"   // a new contact
	ActionMerge Action = "merge" // fill the matched contact's gaps
	ActionSkip  Action = "skip"  // leave the card out
)

// Match is an existing contact a card was found to be, and why.
type Match struct {
	ContactID int64
	Name      string
	By        string // "uid", "phone" or "email"
}

// PlannedCard is one card of a file with what importing it would do.
type PlannedCard struct {
	ImportedCard
	Match   *Match             // nil when the card is new here
	Similar []model.ContactRow // contacts of the same name: for the owner to decide
	Action  Action             // the default: merge when matched, else add
	Reason  string             // why the card cannot be imported (Action is skip)
}

// ImportOptions are the owner's choices for an import.
type ImportOptions struct {
	Region  string         // region for phone numbers without a country code, e.g. "DE"
	Actions map[int]Action // per card number; cards not listed get the default action
	// Progress, when set, is told after every chunk how many cards are done.
	Progress func(done int)
}

// SkippedCard says which card was left out and why.
type SkippedCard struct {
	Number int
	Line   int
	Name   string
	Reason string
}

// ImportReport says what an import of one file did.
type ImportReport struct {
	File         string
	BatchID      int64
	Created      int
	Merged       int
	Skipped      []SkippedCard
	ProblemsFile string // the raw text of the skipped cards, where they are saved
	Cancelled    bool
}

// Summary is the report in one line: "imported 3, merged 1, skipped 2".
func (r ImportReport) Summary() string {
	s := fmt.Sprintf("imported %d, merged %d, skipped %d", r.Created, r.Merged, len(r.Skipped))
	if r.Cancelled {
		s += " (cancelled)"
	}
	return s
}

// ErrUnreadable wraps the failure to read a file at all.
var ErrUnreadable = errors.New("cannot be read")

// openVCardFile opens a file for import, naming it in every error.
func openVCardFile(path string) (*os.File, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s %w: %v", path, ErrUnreadable, errors.Unwrap(err))
	}
	info, err := f.Stat()
	if err == nil && info.IsDir() {
		f.Close()
		return nil, fmt.Errorf("%s %w: it is a folder", path, ErrUnreadable)
	}
	return f, nil
}

// eachCard reads and maps the cards of r one at a time.
func (s *Service) eachCard(ctx context.Context, r io.Reader, region string, fn func(ic ImportedCard, skip error) error) error {
	m := cardMapper{region: region, now: s.now()}
	reader := vcf.NewReader(r)
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		card, err := reader.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		ic, skip := m.mapCard(card)
		if err := fn(ic, skip); err != nil {
			return err
		}
	}
}

// PlanImport reads a vCard file and says, card by card, what importing it
// would do, without writing anything: the preview the owner decides on.
func (s *Service) PlanImport(ctx context.Context, path, region string) ([]PlannedCard, error) {
	f, err := openVCardFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var plan []PlannedCard
	err = s.eachCard(ctx, f, region, func(ic ImportedCard, skip error) error {
		pc := PlannedCard{ImportedCard: ic, Action: ActionAdd}
		if skip != nil {
			pc.Action, pc.Reason = ActionSkip, skip.Error()
			plan = append(plan, pc)
			return nil
		}
		match, err := s.findMatch(ctx, s.store, &ic.Contact)
		if err != nil {
			return err
		}
		if match != nil {
			pc.Match, pc.Action = match, ActionMerge
		} else if pc.Similar, err = s.store.ContactsNamed(ctx, ic.Contact.DisplayName, 5); err != nil {
			return err
		}
		plan = append(plan, pc)
		return nil
	})
	if err != nil {
		return plan, fmt.Errorf("read %s: %w", path, err)
	}
	return plan, nil
}

// findMatch finds the contact a card already is: by the card's UID, then by
// a phone number, then by an email address. A name alone is never enough.
func (s *Service) findMatch(ctx context.Context, st *model.Store, c *model.Contact) (*Match, error) {
	found := func(id int64, by string) (*Match, error) {
		rows, err := st.ContactRows(ctx, []int64{id})
		if err != nil || len(rows) == 0 {
			return nil, err
		}
		return &Match{ContactID: id, Name: rows[0].DisplayName, By: by}, nil
	}
	if id, ok, err := st.ContactByVCardUID(ctx, c.VCardUID); err != nil || ok {
		if err != nil {
			return nil, err
		}
		return found(id, "uid")
	}
	for _, p := range c.Phones {
		if id, ok, err := st.ContactByPhone(ctx, p.Normalized); err != nil || ok {
			if err != nil {
				return nil, err
			}
			return found(id, "phone")
		}
	}
	for _, e := range c.Emails {
		if id, ok, err := st.ContactByEmail(ctx, e.Address); err != nil || ok {
			if err != nil {
				return nil, err
			}
			return found(id, "email")
		}
	}
	return nil, nil
}

// importChunk is how many cards share one transaction. Each card has its own
// savepoint inside it, so a card that fails rolls back alone; a crash loses
// at most the cards of the chunk under way, whole.
const importChunk = 200

// ImportVCards imports a vCard file card by card as one batch: new cards
// become contacts, cards that match a contact fill its empty fields and add
// new phones, emails, dates and details (never overwriting what is there),
// cards with nothing to call them by are skipped and their raw text saved.
// The file is streamed; cancelling ctx stops after the card under way and
// keeps what was imported.
func (s *Service) ImportVCards(ctx context.Context, path string, opts ImportOptions) (*ImportReport, error) {
	f, err := openVCardFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	batch, err := s.store.StartBatch(ctx, path)
	if err != nil {
		return nil, err
	}
	report := &ImportReport{File: path, BatchID: batch.ID}
	var skippedRaw bytes.Buffer
	var chunk []ImportedCard
	var skips []error
	done := 0
	flush := func() error {
		if len(chunk) == 0 {
			return nil
		}
		// The chunk commits even when ctx was cancelled under it: its cards
		// are whole.
		err := s.store.InTx(context.WithoutCancel(ctx), func(tx *model.Store) error {
			for i, ic := range chunk {
				if skips[i] != nil {
					report.skip(ic, skips[i].Error(), &skippedRaw)
					continue
				}
				action := opts.Actions[ic.Number]
				var outcome Action
				err := tx.InTx(ctx, func(card *model.Store) error {
					var err error
					outcome, err = s.importCard(ctx, card, batch.ID, ic, action)
					return err
				})
				switch {
				case err != nil:
					report.skip(ic, err.Error(), &skippedRaw)
				case outcome == ActionAdd:
					report.Created++
				case outcome == ActionMerge:
					report.Merged++
				default:
					report.skip(ic, "skipped by you", &skippedRaw)
				}
			}
			batch.Created, batch.Merged, batch.Skipped = report.Created, report.Merged, len(report.Skipped)
			return tx.SaveBatch(ctx, batch)
		})
		if err != nil {
			return err
		}
		done += len(chunk)
		chunk, skips = chunk[:0], skips[:0]
		if opts.Progress != nil {
			opts.Progress(done)
		}
		return nil
	}
	err = s.eachCard(ctx, f, opts.Region, func(ic ImportedCard, skip error) error {
		chunk = append(chunk, ic)
		skips = append(skips, skip)
		if len(chunk) >= importChunk {
			return flush()
		}
		return nil
	})
	if ctxErr := ctx.Err(); ctxErr != nil && (err == nil || errors.Is(err, ctxErr)) {
		report.Cancelled, err = true, nil
	}
	if err == nil {
		err = flush()
	}
	if skippedRaw.Len() > 0 {
		report.ProblemsFile, _ = s.saveSkipped(path, skippedRaw.Bytes())
		batch.ProblemsFile = report.ProblemsFile
		if saveErr := s.store.SaveBatch(context.WithoutCancel(ctx), batch); err == nil {
			err = saveErr
		}
	}
	if err != nil {
		return report, fmt.Errorf("import %s: %w", path, err)
	}
	return report, nil
}

func (r *ImportReport) skip(ic ImportedCard, reason string, raw *bytes.Buffer) {
	r.Skipped = append(r.Skipped, SkippedCard{Number: ic.Number, Line: ic.Line, Name: ic.Contact.DisplayName, Reason: reason})
	raw.Write(ic.Raw)
}

// saveSkipped writes the raw text of skipped cards beside the database, in
// import-problems/, where the owner can open them.
func (s *Service) saveSkipped(path string, raw []byte) (string, error) {
	dir := filepath.Join(filepath.Dir(s.store.Path()), "import-problems")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	target := filepath.Join(dir, base+"-skipped-"+s.now().UTC().Format("20060102-150405")+".vcf")
	if err := os.WriteFile(target, raw, 0o600); err != nil {
		return "", err
	}
	return target, nil
}

// importCard applies one card inside its own savepoint.
func (s *Service) importCard(ctx context.Context, tx *model.Store, batchID int64, ic ImportedCard, chosen Action) (Action, error) {
	if chosen == ActionSkip {
		return ActionSkip, nil
	}
	in := ic.Contact // a copy: the card may be retried
	match, err := s.findMatch(ctx, tx, &in)
	if err != nil {
		return "", err
	}
	if match == nil || chosen == ActionAdd {
		if err := tx.CreateContact(ctx, &in); err != nil {
			return "", err
		}
		return ActionAdd, tx.RecordChanges(ctx, []model.ImportChange{{BatchID: batchID, ContactID: in.ID, Kind: "contact"}})
	}
	changes, err := fillContact(ctx, tx, match.ContactID, in)
	if err != nil {
		return "", err
	}
	for i := range changes {
		changes[i].BatchID = batchID
	}
	return ActionMerge, tx.RecordChanges(ctx, changes)
}

// fillContact completes an existing contact from a card: empty fields are
// filled, phones, emails, addresses, tags, dates, details and notes it lacks
// are added. What the contact holds is never changed.
func fillContact(ctx context.Context, tx *model.Store, id int64, in model.Contact) ([]model.ImportChange, error) {
	have, err := tx.Contact(ctx, id)
	if err != nil {
		return nil, err
	}
	var changes []model.ImportChange
	fill := model.Fill{Fields: map[string]string{}}
	for field, pair := range map[string][2]string{
		"given_name": {have.GivenName, in.GivenName}, "family_name": {have.FamilyName, in.FamilyName},
		"nickname": {have.Nickname, in.Nickname}, "organization": {have.Organization, in.Organization},
		"title": {have.Title, in.Title}, "vcard_uid": {have.VCardUID, in.VCardUID},
	} {
		if pair[0] == "" && pair[1] != "" {
			fill.Fields[field] = pair[1]
			changes = append(changes, model.ImportChange{ContactID: id, Kind: "field", Field: field, Value: pair[1]})
		}
	}
	if len(have.Photo) == 0 && len(in.Photo) > 0 {
		fill.Photo, fill.Thumbnail = in.Photo, in.Thumbnail
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "photo", Value: strconv.Itoa(len(in.Photo))})
	}
	if in.VCardExtra != "" && !strings.Contains(have.VCardExtra, in.VCardExtra) {
		fill.Extra = in.VCardExtra
	}
	add := &model.Additions{
		Phones: missing(have.Phones, in.Phones, func(p model.Phone) string {
			return orDefault(p.Normalized, digits(p.Number))
		}),
		Emails: missing(have.Emails, in.Emails, func(e model.Email) string { return strings.ToLower(e.Address) }),
		Addresses: missing(have.Addresses, in.Addresses, func(a model.Address) string {
			return model.Fold(a.Street + "|" + a.City + "|" + a.PostalCode)
		}),
		Tags: missing(have.Tags, in.Tags, func(t model.Tag) string { return strings.ToLower(t.Name) }),
		Details: missing(have.Details, in.Details, func(d model.Detail) string {
			return model.Fold(d.Label + "|" + d.Value)
		}),
		Dates: missing(have.Dates, in.Dates, func(d model.ImportantDate) string { return d.Label + dateOf(d).String() }),
		Journal: missing(have.Journal, in.Journal, func(e model.JournalEntry) string {
			return string(e.Kind) + "|" + strings.TrimSpace(e.Text)
		}),
	}
	// A date the contact has under that label already, in another form, is
	// the owner's to keep: only labels the contact lacks are added.
	add.Dates = missing(have.Dates, add.Dates, func(d model.ImportantDate) string { return d.Label })
	if len(fill.Fields) == 0 && len(fill.Photo) == 0 && fill.Extra == "" && add.Empty() {
		return nil, nil
	}
	for i := range add.Details {
		add.Details[i].Position = len(have.Details) + i
	}
	at := time.Now().UTC()
	if err := tx.AddToContact(ctx, id, at, fill, add); err != nil {
		return nil, err
	}
	// So that undoing this import can tell the owner's later edits from its own.
	changes = append(changes, model.ImportChange{ContactID: id, Kind: "touched",
		Field: at.Format(time.RFC3339Nano), Value: have.UpdatedAt.UTC().Format(time.RFC3339Nano)})
	for _, p := range add.Phones {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "phone", RowID: p.ID})
	}
	for _, e := range add.Emails {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "email", RowID: e.ID})
	}
	for _, a := range add.Addresses {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "address", RowID: a.ID})
	}
	for _, t := range add.Tags {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "tag", RowID: t.ID})
	}
	for _, d := range add.Details {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "detail", RowID: d.ID})
	}
	for _, d := range add.Dates {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "date", RowID: d.ID})
	}
	for _, e := range add.Journal {
		changes = append(changes, model.ImportChange{ContactID: id, Kind: "journal", RowID: e.ID})
	}
	return changes, nil
}

// UndoReport says what undoing an import batch did.
type UndoReport struct {
	Removed int      // contacts the batch created, removed again
	Cleared int      // fields and rows it added to existing contacts, removed
	Kept    []string // contacts edited since the import, kept as they are
}

// ErrAlreadyUndone is returned for a batch undone before.
var ErrAlreadyUndone = errors.New("this import was undone already")

// UndoImport takes an import batch back, in one transaction: contacts it
// created go, fields it filled are cleared and rows it added are removed,
// except on contacts the owner has changed since, which are kept.
func (s *Service) UndoImport(ctx context.Context, batchID int64) (UndoReport, error) {
	var rep UndoReport
	err := s.store.InTx(ctx, func(tx *model.Store) error {
		rep = UndoReport{}
		batch, err := tx.Batch(ctx, batchID)
		if err != nil {
			return err
		}
		if batch.UndoneAt != nil {
			return ErrAlreadyUndone
		}
		finished := batch.StartedAt
		if batch.FinishedAt != nil {
			finished = *batch.FinishedAt
		}
		changes, err := tx.BatchChanges(ctx, batchID)
		if err != nil {
			return err
		}
		editedSince := map[int64]bool{}
		for _, ch := range changes {
			if _, seen := editedSince[ch.ContactID]; seen {
				continue
			}
			at, exists, err := tx.ContactChangedAt(ctx, ch.ContactID)
			if err != nil {
				return err
			}
			editedSince[ch.ContactID] = !exists || at.After(finished)
		}
		for _, ch := range changes {
			if editedSince[ch.ContactID] {
				continue
			}
			var done bool
			switch ch.Kind {
			case "touched":
				continue // below, once the rest is undone
			case "contact":
				if err := tx.DeleteContact(ctx, ch.ContactID); err != nil {
					return err
				}
				rep.Removed++
				continue
			case "field":
				done, err = tx.ClearFieldIf(ctx, ch.ContactID, ch.Field, ch.Value)
			case "photo":
				n, _ := strconv.Atoi(ch.Value)
				done, err = tx.ClearPhotoIf(ctx, ch.ContactID, n)
			default:
				done, err = tx.DeleteAddedRow(ctx, ch.Kind, ch.RowID)
			}
			if err != nil {
				return err
			}
			if done {
				rep.Cleared++
			}
		}
		for _, ch := range changes {
			if ch.Kind != "touched" || editedSince[ch.ContactID] {
				continue
			}
			at, err1 := time.Parse(time.RFC3339Nano, ch.Field)
			before, err2 := time.Parse(time.RFC3339Nano, ch.Value)
			if err1 == nil && err2 == nil {
				if err := tx.ResetChangedAt(ctx, ch.ContactID, at, before); err != nil {
					return err
				}
			}
		}
		for id, edited := range editedSince {
			if edited {
				if rows, err := tx.ContactRows(ctx, []int64{id}); err == nil && len(rows) > 0 {
					rep.Kept = append(rep.Kept, rows[0].DisplayName)
				}
			}
		}
		return tx.MarkBatchUndone(ctx, batchID)
	})
	if err != nil {
		return UndoReport{}, fmt.Errorf("undo import %d: %w", batchID, err)
	}
	return rep, nil
}

// ImportBatches lists past imports, newest first.
func (s *Service) ImportBatches(ctx context.Context) ([]model.ImportBatch, error) {
	return s.store.Batches(ctx)
}
