package app

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
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
	ContactID int64 // 0 when it is a card earlier in the same file
	Name      string
	By        string // "uid", "card" (this very card was imported before), "phone" or "email"
}

// PlannedCard is one card of a file with what importing it would do.
type PlannedCard struct {
	ImportedCard
	Match   *Match             // nil when the card is new here
	Similar []model.ContactRow // contacts of the same name: for the owner to decide
	// Shared is a contact of another name with one of the card's phones or
	// emails (a household?): the card is added and linked to it unless the
	// owner merges it there.
	Shared *Match
	Action Action // the default: merge when matched, else add
	Reason string // why the card cannot be imported (Action is skip)
}

// ImportOptions are the owner's choices for an import.
type ImportOptions struct {
	Region  string         // region for phone numbers without a country code, e.g. "DE"
	Actions map[int]Action // per card number; cards not listed get the default action
	// MergeInto names, per card number, the contact to merge a card into
	// that matches none: the owner's decision on a name-only suggestion.
	MergeInto map[int]int64
	// Progress, when set, is told after every chunk written how many cards
	// are done. It is called with the database's write lock held, before
	// the chunk's transaction commits: it must not write to the store.
	Progress func(done int)
	// Imported, when set, is told once a card's transaction has committed
	// which contact the card (by number) became or was merged into.
	Imported func(number int, contactID int64, action Action)
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
	Skipped      []SkippedCard // the first maxListedSkips of them
	SkippedCount int
	Linked       int // household links made: new contacts sharing a phone or email with another

	ProblemsFile string // the raw text of the skipped cards, where they are saved
	Cancelled    bool
}

// Summary is the report in one line: "imported 3, merged 1, skipped 2",
// and "; 1 household linked" when a new contact shares a phone or email
// with another of another name.
func (r ImportReport) Summary() string {
	s := fmt.Sprintf("imported %d, merged %d, skipped %d", r.Created, r.Merged, r.SkippedCount)
	switch {
	case r.Linked == 1:
		s += "; 1 household linked"
	case r.Linked > 1:
		s += fmt.Sprintf("; %d households linked", r.Linked)
	}
	if r.Cancelled {
		s += " (cancelled)"
	}
	return s
}

// openVCardFile opens a file for import, naming it in every error.
func openVCardFile(path string) (*os.File, error) { return openInput(path, "a vCard file") }

// noCards is the error for a file that holds no card at all: a text file or
// binary chosen by mistake.
func noCards(path string) error {
	return fmt.Errorf("%s %w: there is no contact card in it (no BEGIN:VCARD line); is it a vCard file?", path, ErrUnreadable)
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
	return s.planStream(ctx, path, f, region)
}

// planStream is PlanImport of the cards read from f; path names them.
func (s *Service) planStream(ctx context.Context, path string, f io.Reader, region string) ([]PlannedCard, error) {
	matches, err := newMatcher(ctx, s.store())
	if err != nil {
		return nil, err
	}
	var plan []PlannedCard
	earlier := map[int64]string{} // placeholder ID → name, for cards planned as new
	err = s.eachCard(ctx, f, region, func(ic ImportedCard, skip error) error {
		// The preview shows names, numbers and addresses: the card's text
		// and photo are read again on import, not held for every card.
		hash := cardHash(ic.Raw)
		ic.Raw, ic.Contact.Photo, ic.Contact.Thumbnail = nil, nil, nil
		pc := PlannedCard{ImportedCard: ic, Action: ActionAdd}
		if skip != nil {
			pc.Action, pc.Reason = ActionSkip, skip.Error()
			plan = append(plan, pc)
			return nil
		}
		// A card matching an earlier card of the same file will be merged
		// into the contact that card becomes: say so, under its name
		// (ContactID 0).
		match, sharedWith, err := matches.match(ctx, s.store(), &ic.Contact, hash, earlier)
		if err != nil {
			return err
		}
		if match != nil {
			pc.Match, pc.Action = match, ActionMerge
			if match.ContactID != 0 {
				matches.add(match.ContactID, &ic.Contact, "")
			}
		} else {
			pc.Shared = sharedWith
			if pc.Similar, err = s.store().ContactsNamed(ctx, ic.Contact.DisplayName, 5); err != nil {
				return err
			}
			placeholder := -int64(len(earlier) + 1)
			earlier[placeholder] = ic.Contact.DisplayName
			matches.add(placeholder, &ic.Contact, "")
		}
		plan = append(plan, pc)
		return nil
	})
	if err != nil {
		return plan, fmt.Errorf("read %s: %w", path, err)
	}
	if len(plan) == 0 {
		return nil, noCards(path)
	}
	return plan, nil
}

// matcher finds the contact a card already is: by the card's UID, else by a
// phone number or an email address when the names agree too (see
// nameAgreement); a name alone is never enough. A phone or email that a
// contact of another name has is shared, not a match: a couple's landline,
// an office's switchboard. It holds the keys and names of every contact in
// memory, read once per import, with those of the chunk under way apart
// until the chunk commits.
type matcher struct {
	keys         [4]map[string][]int64 // uid, phone, email, card hash → contacts
	pending      [4]map[string][]int64
	names        map[int64]model.PersonName
	pendingNames map[int64]model.PersonName
	log          []pendingKey // what was added to pending, to take back one card's keys
}

// pendingKey is one change to pending, with what it replaced.
type pendingKey struct {
	kind int // byUID…byHash, or byName
	key  string
	prev []int64
	id   int64
	name *model.PersonName // the pending name it replaced, nil for none
}

const (
	byUID = iota
	byPhone
	byEmail
	byHash // the card last merged into a contact: not a match, a shortcut
	byName
)

// maxHouseholdLinks is how many contacts sharing its phones and emails a new
// contact is linked to at most: a household, not a whole office behind one
// switchboard.
const maxHouseholdLinks = 4

func newMatcher(ctx context.Context, st *model.Store) (*matcher, error) {
	k, err := st.MatchKeys(ctx)
	if err != nil {
		return nil, err
	}
	single := func(in map[string]int64) map[string][]int64 {
		out := make(map[string][]int64, len(in))
		for key, id := range in {
			out[key] = []int64{id}
		}
		return out
	}
	m := &matcher{keys: [4]map[string][]int64{single(k.UIDs), k.Phones, k.Emails, single(k.Hashes)}, names: k.Names}
	m.rollback()
	return m, nil
}

// cardKey is one of a card's keys, as the card writes it.
type cardKey struct {
	key, shown string
}

func cardKeys(c *model.Contact) [3][]cardKey {
	var k [3][]cardKey
	if c.VCardUID != "" {
		k[byUID] = []cardKey{{c.VCardUID, c.VCardUID}}
	}
	for _, p := range c.Phones {
		if p.Normalized != "" {
			k[byPhone] = append(k[byPhone], cardKey{p.Normalized, p.Number})
		}
	}
	for _, e := range c.Emails {
		k[byEmail] = append(k[byEmail], cardKey{strings.ToLower(e.Address), e.Address})
	}
	return k
}

// lookup lists the contacts holding a key: for a UID or a card hash the one
// it was last given to.
func (m *matcher) lookup(kind int, key string) []int64 {
	pending, inChunk := m.pending[kind][key]
	if kind == byUID || kind == byHash {
		if inChunk {
			return pending
		}
		return m.keys[kind][key]
	}
	if !inChunk {
		return m.keys[kind][key]
	}
	return slices.Concat(m.keys[kind][key], pending)
}

func (m *matcher) name(id int64) model.PersonName {
	if n, ok := m.pendingNames[id]; ok {
		return n
	}
	return m.names[id]
}

// shared is a contact of another name holding one of a card's phones or
// emails.
type shared struct {
	id    int64
	by    string // "phone" or "email"
	shown string // the number or address as the card writes it
}

// reason is why two contacts are linked: "same phone +49 30 1234567".
func (s shared) reason() string { return "same " + s.by + " " + s.shown }

// found is what the matcher made of a card.
type found struct {
	id     int64    // the contact the card is, 0 when it is new
	by     string   // "uid", "card", "phone" or "email"
	shared []shared // without a match: contacts of other names with its phones or emails
}

// find returns the contact a card (of this hash) is and what matched, else
// the contacts of other names sharing its phones or emails. Of several contacts with its
// phone or email, the one whose name agrees best is the card's, the first
// of them on a tie.
func (m *matcher) find(c *model.Contact, hash string) found {
	keys := cardKeys(c)
	for _, k := range keys[byUID] {
		if ids := m.lookup(byUID, k.key); len(ids) > 0 {
			return found{id: ids[0], by: "uid"}
		}
	}
	// The very card imported before is that contact, phone, email or none.
	if ids := m.lookup(byHash, hash); hash != "" && len(ids) > 0 {
		return found{id: ids[0], by: "card"}
	}
	var f found
	best := noAgreement
	seen := map[int64]bool{}
	card := nameOf(c)
	for _, kind := range []int{byPhone, byEmail} {
		for _, k := range keys[kind] {
			for _, id := range m.lookup(kind, k.key) {
				if seen[id] {
					continue
				}
				seen[id] = true
				by := [3]string{"uid", "phone", "email"}[kind]
				agree := nameAgreement(card, m.name(id))
				switch {
				case agree > best:
					best, f.id, f.by = agree, id, by
				case agree == noAgreement:
					f.shared = append(f.shared, shared{id: id, by: by, shown: k.shown})
				}
			}
		}
	}
	if f.id != 0 {
		f.shared = nil
	}
	return f
}

// mergedBefore reports whether this very card was merged into contact id.
func (m *matcher) mergedBefore(hash string, id int64) bool {
	got := m.lookup(byHash, hash)
	return len(got) > 0 && got[0] == id
}

// add records that contact id now holds c's keys, and that the card of
// this hash was merged into it (pending until commit). The contact's name
// fields left empty are filled from the card, as a merge fills them.
func (m *matcher) add(id int64, c *model.Contact, hash string) {
	set := func(kind int, key string) {
		prev, inChunk := m.pending[kind][key]
		switch kind {
		case byUID:
			if len(m.keys[kind][key]) > 0 {
				return
			}
			m.pending[kind][key] = []int64{id}
		case byHash:
			m.pending[kind][key] = []int64{id}
		default:
			if slices.Contains(m.keys[kind][key], id) || slices.Contains(prev, id) {
				return
			}
			m.pending[kind][key] = append(prev[:len(prev):len(prev)], id)
		}
		if !inChunk {
			prev = nil
		}
		m.log = append(m.log, pendingKey{kind: kind, key: key, prev: prev})
	}
	for kind, keys := range cardKeys(c) {
		for _, k := range keys {
			set(kind, k.key)
		}
	}
	if hash != "" {
		set(byHash, hash)
	}
	had := m.name(id)
	n := had
	card := nameOf(c)
	for _, f := range []struct {
		to   *string
		from string
	}{
		{&n.Given, card.Given}, {&n.Family, card.Family}, {&n.Nickname, card.Nickname},
		{&n.Organization, card.Organization}, {&n.Display, card.Display},
	} {
		if *f.to == "" {
			*f.to = f.from
		}
	}
	if n != had {
		entry := pendingKey{kind: byName, id: id}
		if p, ok := m.pendingNames[id]; ok {
			entry.name = &p
		}
		m.pendingNames[id] = n
		m.log = append(m.log, entry)
	}
}

// mark and undoTo take back the keys of a card whose savepoint was rolled
// back.
func (m *matcher) mark() int { return len(m.log) }

func (m *matcher) undoTo(mark int) {
	for _, k := range slices.Backward(m.log[mark:]) {
		switch {
		case k.kind == byName && k.name == nil:
			delete(m.pendingNames, k.id)
		case k.kind == byName:
			m.pendingNames[k.id] = *k.name
		case k.prev == nil:
			delete(m.pending[k.kind], k.key)
		default:
			m.pending[k.kind][k.key] = k.prev
		}
	}
	m.log = m.log[:mark]
}

func (m *matcher) commit() {
	for kind := range m.pending {
		for k, ids := range m.pending[kind] {
			if kind == byUID || kind == byHash {
				m.keys[kind][k] = ids
			} else {
				m.keys[kind][k] = append(m.keys[kind][k], ids...)
			}
		}
	}
	for id, n := range m.pendingNames {
		m.names[id] = n
	}
	m.rollback()
}

func (m *matcher) rollback() {
	m.pending = [4]map[string][]int64{{}, {}, {}, {}}
	m.pendingNames = map[int64]model.PersonName{}
	m.log = nil
}

// match is find with the matched contact's name, for the preview; earlier
// names the placeholders of cards earlier in the file, planned as new.
func (m *matcher) match(ctx context.Context, st *model.Store, c *model.Contact, hash string, earlier map[int64]string) (*Match, *Match, error) {
	f := m.find(c, hash)
	named := func(id int64, by string) (*Match, error) {
		if id < 0 {
			return &Match{Name: earlier[id], By: by}, nil
		}
		name, err := st.ContactName(ctx, id)
		if err != nil {
			return nil, err
		}
		return &Match{ContactID: id, Name: name, By: by}, nil
	}
	if f.id != 0 {
		match, err := named(f.id, f.by)
		return match, nil, err
	}
	if len(f.shared) > 0 {
		sh, err := named(f.shared[0].id, f.shared[0].by)
		return nil, sh, err
	}
	return nil, nil, nil
}

// importChunk is how many cards the reader hands the writer at a time, and
// chunkBytes how much card text and photo at most: the chunks keep the
// cards in memory few, whatever the file's size. A transaction takes in
// chunks for up to txTime (see writeTx); a crash loses at most the
// transaction under way, whole. The byte limit keeps a file of large
// photos from holding a thousand of them in memory.
const (
	importChunk = 1000
	chunkBytes  = 16 << 20
)

// ImportVCards imports a vCard file card by card as one batch: new cards
// become contacts, cards that match a contact fill its empty fields and add
// new phones, emails, dates and details (never overwriting what is there),
// cards with nothing to call them by are skipped and their raw text saved.
// The file is streamed; cancelling ctx stops after the card under way and
// keeps what was imported. A file with no card in it changes nothing; a
// read error part way keeps the cards read before it and is returned with
// the report.
func (s *Service) ImportVCards(ctx context.Context, path string, opts ImportOptions) (*ImportReport, error) {
	f, err := openVCardFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// Held before the matcher reads its keys: a second import of the same
	// file, in this process or another, waits and then matches this one's
	// contacts instead of adding them again.
	unlock, err := s.lockImports(ctx)
	if ctx.Err() != nil {
		return &ImportReport{File: path, Cancelled: true}, nil // while waiting: nothing was written
	}
	if err != nil {
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	defer unlock()
	return s.importStream(ctx, path, f, opts)
}

// importStream imports the cards read from f as ImportVCards does, with
// the import lock held by the caller; path names them in the import
// history and in messages.
func (s *Service) importStream(ctx context.Context, path string, f io.Reader, opts ImportOptions) (*ImportReport, error) {
	report := &ImportReport{File: path}
	// Reading and mapping cards (charsets, phone numbers) runs on its own
	// goroutine, a whole chunk ahead of the database writes: on two cores
	// the import takes the longer of the two rather than their sum. With a
	// lead of a few hundred cards, the reader stalled while a chunk was
	// written and the writer then waited for most of the next one (10,000
	// cards: 1.46 s; a chunk ahead: 1.22 s). At most two chunks are held.
	chunks := make(chan readChunk)
	readCtx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	readErr := make(chan error, 1)
	go func() {
		defer close(chunks)
		readErr <- s.readChunks(readCtx, f, opts.Region, chunks)
	}()
	// The keys of the contacts already there load while the reader maps
	// the first cards: on two cores the load (10,000 contacts: ~65 ms)
	// costs nothing the import waits for.
	matches, err := newMatcher(ctx, s.store())
	if ctx.Err() != nil || err != nil {
		stopReading()
		drainChunks(chunks) // let the reader finish
		<-readErr
		if ctx.Err() != nil {
			report.Cancelled = true // before anything was written
			return report, nil
		}
		return nil, fmt.Errorf("import %s: %w", path, err)
	}
	run := &importRun{s: s, ctx: ctx, path: path, opts: opts, report: report, matches: matches,
		problems: &skipLog{dir: filepath.Join(s.store().Dir(), "import-problems"), file: path, now: s.now()}}
	defer run.problems.close()
	for c := range chunks {
		if ctx.Err() != nil {
			break // cancelled: stop after the chunk under way
		}
		if err = run.writeTx(c, chunks); err != nil {
			stopReading()
			break
		}
	}
	drainChunks(chunks) // let the reader finish after a failed write
	return run.finish(err, <-readErr)
}

// readChunk is a chunk of cards read and mapped, with why each is to be
// skipped (nil where it is not).
type readChunk struct {
	cards []ImportedCard
	skips []error
}

// drainChunks receives what the reader still sends, so that it can finish.
func drainChunks(chunks <-chan readChunk) {
	for range chunks {
	}
}

// readChunks reads and maps the cards of f and sends them on chunks, a
// chunk at a time, until f ends, ctx is cancelled or a read fails. The
// cards read before a read error are whole: they are sent too.
func (s *Service) readChunks(ctx context.Context, f io.Reader, region string, chunks chan<- readChunk) error {
	// The first chunks are small, so that the writer starts soon rather
	// than wait for a thousand cards to be read.
	limit := importChunk / 8
	size := 0
	newChunk := func() readChunk {
		return readChunk{make([]ImportedCard, 0, limit), make([]error, 0, limit)}
	}
	next := newChunk()
	send := func() error {
		select {
		case chunks <- next:
			size, limit = 0, min(2*limit, importChunk)
			next = newChunk()
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	err := s.eachCard(ctx, f, region, func(ic ImportedCard, skip error) error {
		next.cards = append(next.cards, ic)
		next.skips = append(next.skips, skip)
		size += len(ic.Raw) + len(ic.Contact.Photo)
		if len(next.cards) >= limit || size >= chunkBytes {
			return send()
		}
		return nil
	})
	if len(next.cards) > 0 && ctx.Err() == nil {
		if sendErr := send(); err == nil {
			err = sendErr
		}
	}
	return err
}

// finish settles the import's outcome from the write's error err and the
// reader's rerr: cancelled, no cards, or failed, and where the skipped
// cards were saved.
func (r *importRun) finish(err, rerr error) (*ImportReport, error) {
	if errors.Is(rerr, context.Canceled) {
		rerr = nil
	}
	if ctxErr := r.ctx.Err(); ctxErr != nil && (err == nil || errors.Is(err, ctxErr)) {
		// Cancelled: the cards read ahead but not yet written are left out.
		r.report.Cancelled, err = true, nil
	}
	if err == nil && rerr != nil {
		err = rerr
	}
	if err == nil && r.read == 0 && !r.report.Cancelled {
		return nil, noCards(r.path)
	}
	if r.report.ProblemsFile = r.problems.close(); r.report.ProblemsFile != "" && r.batch != nil {
		r.batch.ProblemsFile = r.report.ProblemsFile
		// The counts of what committed: a transaction that failed after
		// the batch's had left its own in r.batch.
		r.batch.Created, r.batch.Merged, r.batch.Skipped = r.report.Created, r.report.Merged, r.report.SkippedCount
		if saveErr := r.s.store().SaveBatch(context.WithoutCancel(r.ctx), r.batch); err == nil {
			err = saveErr
		}
	}
	if err != nil {
		return r.report, fmt.Errorf("import %s: %w", r.path, err)
	}
	return r.report, nil
}

// maxListedSkips is how many skipped cards a report lists one by one; all of
// them are counted, and their text saved.
const maxListedSkips = 1000

func (r *ImportReport) skip(c SkippedCard) {
	r.SkippedCount++
	if len(r.Skipped) < maxListedSkips {
		r.Skipped = append(r.Skipped, c)
	}
}

func skippedAs(ic ImportedCard, reason string) SkippedCard {
	return SkippedCard{Number: ic.Number, Line: ic.Line, Name: ic.Contact.DisplayName, Reason: reason}
}

// skipLog writes the raw text of skipped cards, as they are skipped, to a
// file in dir (import-problems/ beside the database) where the owner can
// open them. It is made at the first skipped card; a failure to write it
// does not stop the import, which says where the cards are only if they
// were all saved.
type skipLog struct {
	dir, file string
	now       time.Time
	f         *os.File
	failed    bool
}

func (l *skipLog) add(raw []byte) {
	if l.failed {
		return
	}
	if l.f == nil {
		if err := os.MkdirAll(l.dir, 0o700); err != nil {
			l.failed = true
			return
		}
		base := strings.TrimSuffix(filepath.Base(l.file), filepath.Ext(l.file))
		f, err := os.CreateTemp(l.dir, base+"-skipped-"+l.now.UTC().Format("20060102-150405")+"-*.vcf")
		if err != nil {
			l.failed = true
			return
		}
		l.f = f
	}
	if _, err := l.f.Write(raw); err != nil {
		l.failed = true
	}
}

// close finishes the file and returns its path, "" when there is none.
func (l *skipLog) close() string {
	if l.f == nil {
		return ""
	}
	f := l.f
	l.f = nil
	if err := f.Close(); err != nil || l.failed {
		os.Remove(f.Name())
		l.failed = true
		return ""
	}
	return f.Name()
}

// cardHash identifies a card's exact text, so that importing the same card
// into the same contact again is known to change nothing without comparing.
func cardHash(raw []byte) string {
	sum := sha256.Sum256(raw)
	return hex.EncodeToString(sum[:16])
}

// cardOutcome is what became of one card of a chunk.
type cardOutcome struct {
	action Action
	reason string // why it was skipped
	linked int    // household links made for it
	// contactID is the contact the card became or was merged into.
	contactID int64
}

// errFailedCard makes the fast way give up on a chunk, to run it again card
// by card.
var errFailedCard = errors.New("a card of the chunk failed")

// importChunk imports a chunk of cards in the transaction tx. Without
// isolate, a card that fails fails the chunk (errFailedCard); with it, each
// card has its own savepoint and a failing card is skipped alone.
func (s *Service) importChunk(ctx context.Context, tx *model.Store, matches *matcher, batchID int64, chunk []ImportedCard,
	skips []error, opts ImportOptions, isolate bool) ([]cardOutcome, error) {
	c := chunkImport{s: s, ctx: ctx, tx: tx, matches: matches, opts: &opts, isolate: isolate,
		perCard: make([][]model.ImportChange, len(chunk)), outcomes: make([]cardOutcome, len(chunk))}
	if !isolate {
		var err error
		if c.bulk, err = tx.NewBulkInsert(ctx); err != nil {
			return nil, err
		}
	}
	for i := range chunk {
		if skips[i] != nil {
			c.outcomes[i] = cardOutcome{action: ActionSkip, reason: skips[i].Error()}
			continue
		}
		if err := c.card(i, &chunk[i], batchID); err != nil {
			return nil, err
		}
	}
	if err := c.writeQueued(); err != nil {
		return nil, err
	}
	var changes []model.ImportChange
	for _, done := range c.perCard {
		changes = append(changes, done...)
	}
	if err := tx.RecordChanges(ctx, withBatch(changes, batchID)); err != nil {
		return nil, err
	}
	return c.outcomes, nil
}

// chunkImport is the state of one run of importChunk.
type chunkImport struct {
	s       *Service
	ctx     context.Context
	tx      *model.Store
	matches *matcher
	opts    *ImportOptions
	isolate bool
	bulk    *model.BulkInsert // without isolate
	perCard [][]model.ImportChange
	merges  []queuedMerge // with bulk: merged at the chunk's end, all at once
	// pendingLinks are the household links of the chunk's new contacts,
	// made once those are written.
	pendingLinks []cardLink
	outcomes     []cardOutcome
}

// cardLink is a household link to make for the card at its place in the
// chunk.
type cardLink struct {
	card int
	link household
}

// card imports ic, the i-th card of the chunk, and records its outcome. It
// fails with errFailedCard when a card fails without isolate, and with the
// error of a savepoint that could not be set or rolled back to.
func (c *chunkImport) card(i int, ic *ImportedCard, batchID int64) error {
	mark := c.matches.mark()
	if c.isolate {
		if err := c.tx.Savepoint(c.ctx, "card"); err != nil {
			return err
		}
	}
	queued := len(c.merges)
	action, contactID, done, links, err := c.s.importCard(c.ctx, c.tx, c.bulk, &c.merges, c.matches, *ic,
		c.opts.Actions[ic.Number], c.opts.MergeInto[ic.Number])
	if len(c.merges) > queued {
		c.merges[queued].card = i
	}
	linked := 0
	if err == nil && c.isolate {
		// Written and recorded with the card, so that its savepoint
		// covers them all.
		var linkChanges []model.ImportChange
		if linkChanges, err = linkHouseholds(c.ctx, c.tx, links); err == nil {
			linked = len(linkChanges)
			err = c.tx.RecordChanges(c.ctx, withBatch(append(done, linkChanges...), batchID))
		}
		done, links = nil, nil
	}
	switch {
	case err != nil && !c.isolate:
		return errFailedCard
	case err != nil:
		if err := c.tx.RollbackTo(c.ctx, "card"); err != nil {
			return err
		}
		c.matches.undoTo(mark)
		c.outcomes[i] = cardOutcome{action: ActionSkip, reason: err.Error()}
	case action == ActionSkip:
		c.outcomes[i] = cardOutcome{action: ActionSkip, reason: "skipped by you"}
	default:
		c.outcomes[i] = cardOutcome{action: action, linked: linked, contactID: contactID}
		c.perCard[i] = done
		for _, l := range links {
			c.pendingLinks = append(c.pendingLinks, cardLink{i, l})
		}
	}
	return nil
}

// writeQueued writes what the chunk's cards queued: the bulk insert's new
// contacts and merges, then the household links, which name both contacts.
// A failure is errFailedCard, so that the chunk runs again card by card.
func (c *chunkImport) writeQueued() error {
	if c.bulk != nil {
		if err := mergeQueued(c.ctx, c.tx, c.bulk, c.merges, c.perCard); err != nil {
			return errFailedCard
		}
	}
	for _, l := range c.pendingLinks {
		linkChanges, err := linkHouseholds(c.ctx, c.tx, []household{l.link})
		if err != nil {
			return errFailedCard
		}
		c.outcomes[l.card].linked += len(linkChanges)
		c.perCard[l.card] = append(c.perCard[l.card], linkChanges...)
	}
	return nil
}

func withBatch(changes []model.ImportChange, batchID int64) []model.ImportChange {
	for i := range changes {
		changes[i].BatchID = batchID
	}
	return changes
}

// importCard applies one card and returns what it did, for undo, and the
// household links a new contact is to have. With bulk, a new contact is
// queued there rather than written at once, and a card to merge is queued
// in merges (its changes are known once it is written).
func (s *Service) importCard(ctx context.Context, tx *model.Store, bulk *model.BulkInsert, merges *[]queuedMerge,
	matches *matcher, ic ImportedCard, chosen Action, mergeInto int64) (Action, int64, []model.ImportChange, []household, error) {
	if chosen == ActionSkip {
		return ActionSkip, 0, nil, nil, nil
	}
	in := ic.Contact // a copy: a chunk may be run twice
	in.Phones, in.Emails = slices.Clone(in.Phones), slices.Clone(in.Emails)
	in.Addresses, in.Tags, in.Details = slices.Clone(in.Addresses), slices.Clone(in.Tags), slices.Clone(in.Details)
	in.Dates, in.Journal = slices.Clone(in.Dates), slices.Clone(in.Journal)
	hash := cardHash(ic.Raw)
	f := matches.find(&in, hash)
	id := f.id
	if mergeInto != 0 && chosen != ActionAdd {
		id = mergeInto
	}
	if id != 0 && chosen != ActionAdd && matches.mergedBefore(hash, id) {
		return ActionMerge, id, nil, nil, nil // this very card was merged before: nothing new
	}
	in.VCardHash = hash
	if id == 0 || chosen == ActionAdd {
		var err error
		if bulk != nil {
			_, err = bulk.Add(&in)
		} else {
			err = tx.CreateContact(ctx, &in)
		}
		if err != nil {
			return "", 0, nil, nil, err
		}
		matches.add(in.ID, &in, "")
		// Added though its phone or email is another's: two people of one
		// household (or an office), linked. So too when the owner chose to
		// add a card that matched.
		others := f.shared
		if f.by == "phone" || f.by == "email" {
			others = append([]shared{{id: f.id, by: f.by, shown: sharedShown(&in, f.by, f.id, matches)}}, others...)
		}
		var links []household
		for _, o := range others {
			if len(links) == maxHouseholdLinks {
				break
			}
			links = append(links, household{a: in.ID, b: o.id, reason: o.reason()})
		}
		return ActionAdd, in.ID, []model.ImportChange{{ContactID: in.ID, Kind: "contact"}}, links, nil
	}
	if bulk != nil {
		*merges = append(*merges, queuedMerge{id: id, in: in})
		matches.add(id, &in, hash)
		return ActionMerge, id, nil, nil, nil
	}
	changes, err := fillContact(ctx, tx, id, in)
	if err != nil {
		return "", 0, nil, nil, err
	}
	matches.add(id, &in, hash)
	return ActionMerge, id, changes, nil, nil
}

// household is a link a new contact is to have with a contact holding one
// of its phones or emails.
type household struct {
	a, b   int64 // the new contact, the other
	reason string
}

// linkHouseholds writes the links of new contacts, and records each for
// undo with the new contact's changes.
func linkHouseholds(ctx context.Context, tx *model.Store, links []household) ([]model.ImportChange, error) {
	var changes []model.ImportChange
	for _, l := range links {
		id, err := tx.LinkContacts(ctx, l.a, l.b, model.LinkHousehold, l.reason)
		if err != nil {
			return nil, err
		}
		if id != 0 {
			changes = append(changes, model.ImportChange{ContactID: l.a, Kind: "link", RowID: id})
		}
	}
	return changes, nil
}

// sharedShown is the card's phone or email that contact id holds too, as
// the card writes it.
func sharedShown(c *model.Contact, by string, id int64, m *matcher) string {
	kind := map[string]int{"phone": byPhone, "email": byEmail}[by]
	for _, k := range cardKeys(c)[kind] {
		if slices.Contains(m.lookup(kind, k.key), id) {
			return k.shown
		}
	}
	return ""
}

// queuedMerge is a card of a chunk to merge into contact id.
type queuedMerge struct {
	card int // its place in the chunk
	id   int64
	in   model.Contact
}

// mergeQueued merges a chunk's queued cards: the chunk's new contacts are
// written first (their search rows last, with the merged contacts') (a card may merge into one of them), then the contacts to
// merge into are read in one query per table, each card is compared with
// its contact as the cards before it left it, and the additions are
// written many rows to a statement. Each card's changes, for undo, go to
// perCard.
func mergeQueued(ctx context.Context, tx *model.Store, bulk *model.BulkInsert, merges []queuedMerge, perCard [][]model.ImportChange) error {
	if len(merges) == 0 {
		return bulk.Flush()
	}
	// The new contacts' search rows wait for the Flush after the merges:
	// one FTS5 segment per chunk.
	if err := bulk.FlushRows(); err != nil {
		return err
	}
	ids := make([]int64, 0, len(merges))
	for _, m := range merges {
		ids = append(ids, m.id)
	}
	slices.Sort(ids)
	haves, err := tx.ContactsForMerge(ctx, slices.Compact(ids))
	if err != nil {
		return err
	}
	plans := make([]mergePlan, len(merges))
	for k, m := range merges {
		have, ok := haves[m.id]
		if !ok {
			return fmt.Errorf("contact %d: %w", m.id, model.ErrNotFound)
		}
		plans[k] = planMerge(have, m.in)
		if err := bulk.Merge(have, plans[k].at, plans[k].fill, plans[k].add); err != nil {
			return err
		}
	}
	if err := bulk.Flush(); err != nil {
		return err
	}
	for k, m := range merges {
		perCard[m.card] = plans[k].done()
	}
	return nil
}

// fillContact completes an existing contact from a card: empty fields are
// filled, phones, emails, addresses, tags, dates, details and notes it lacks
// are added. What the contact holds is never changed.
func fillContact(ctx context.Context, tx *model.Store, id int64, in model.Contact) ([]model.ImportChange, error) {
	c, err := tx.ContactForMerge(ctx, id)
	if err != nil {
		return nil, err
	}
	p := planMerge(&model.MergeTarget{Contact: *c, HasPhoto: len(c.Photo) > 0}, in)
	if err := tx.AddToContact(ctx, id, p.at, p.fill, p.add); err != nil {
		return nil, err
	}
	return p.done(), nil
}

// mergePlan is what merging a card into a contact changes.
type mergePlan struct {
	id       int64
	fill     model.Fill
	add      *model.Additions
	filled   []model.ImportChange // the fields and photo filled
	onlyHash bool                 // nothing but the card's hash changes
	at       time.Time            // the contact's updated_at from now on
	before   time.Time            // and until now
}

// planMerge compares a card with the contact it merges into: the
// contact's empty fields the card fills, and the rows it has that the
// contact lacks.
func planMerge(have *model.MergeTarget, in model.Contact) mergePlan {
	id := have.ID
	p := mergePlan{id: id, fill: model.Fill{Fields: map[string]string{}}, before: have.UpdatedAt}
	for field, pair := range map[string][2]string{
		"given_name": {have.GivenName, in.GivenName}, "family_name": {have.FamilyName, in.FamilyName},
		"nickname": {have.Nickname, in.Nickname}, "organization": {have.Organization, in.Organization},
		"title": {have.Title, in.Title}, "vcard_uid": {have.VCardUID, in.VCardUID},
	} {
		if pair[0] == "" && pair[1] != "" {
			p.fill.Fields[field] = pair[1]
			p.filled = append(p.filled, model.ImportChange{ContactID: id, Kind: "field", Field: field, Value: pair[1]})
		}
	}
	if !have.HasPhoto && len(in.Photo) > 0 {
		p.fill.Photo, p.fill.Thumbnail = in.Photo, in.Thumbnail
		p.filled = append(p.filled, model.ImportChange{ContactID: id, Kind: "photo", Value: strconv.Itoa(len(in.Photo))})
	}
	if in.VCardExtra != "" && !strings.Contains(have.VCardExtra, in.VCardExtra) {
		p.fill.Extra = in.VCardExtra
	}
	add := &model.Additions{
		Phones: missing(have.Phones, in.Phones, func(p model.Phone) string {
			return cmp.Or(p.Normalized, digits(p.Number))
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
	p.add = add
	p.fill.Hash = in.VCardHash
	if len(p.fill.Fields) == 0 && len(p.fill.Photo) == 0 && p.fill.Extra == "" && add.Empty() {
		p.onlyHash, p.at, p.filled = true, have.UpdatedAt, nil
		return p
	}
	for i := range add.Details {
		add.Details[i].Position = len(have.Details) + i
	}
	p.at = time.Now().UTC()
	return p
}

// done is what a merge written did, for undo: the fields filled, the
// contact's change of updated_at and every row added (by the IDs written).
func (p *mergePlan) done() []model.ImportChange {
	if p.onlyHash {
		return nil
	}
	id, add := p.id, p.add
	// So that undoing this import can tell the owner's later edits from its own.
	changes := append(p.filled, model.ImportChange{ContactID: id, Kind: "touched",
		Field: p.at.Format(time.RFC3339Nano), Value: p.before.UTC().Format(time.RFC3339Nano)})
	added := func(kind string, ids []int64) {
		for _, rowID := range ids {
			changes = append(changes, model.ImportChange{ContactID: id, Kind: kind, RowID: rowID})
		}
	}
	added("phone", rowIDs(add.Phones, func(p model.Phone) int64 { return p.ID }))
	added("email", rowIDs(add.Emails, func(e model.Email) int64 { return e.ID }))
	added("address", rowIDs(add.Addresses, func(a model.Address) int64 { return a.ID }))
	added("tag", rowIDs(add.Tags, func(t model.Tag) int64 { return t.ID }))
	added("detail", rowIDs(add.Details, func(d model.Detail) int64 { return d.ID }))
	added("date", rowIDs(add.Dates, func(d model.ImportantDate) int64 { return d.ID }))
	added("journal", rowIDs(add.Journal, func(e model.JournalEntry) int64 { return e.ID }))
	return changes
}

func rowIDs[T any](rows []T, id func(T) int64) []int64 {
	out := make([]int64, len(rows))
	for i, r := range rows {
		out[i] = id(r)
	}
	return out
}

// UndoReport says what undoing an import batch did.
type UndoReport struct {
	Removed int      // contacts the batch created, removed again
	Cleared int      // fields and rows it added to existing contacts, removed
	Kept    []string // contacts edited since the import, kept as they are
	// Restored are contacts a phone sync deleted here, back again; PutBack
	// counts cards it deleted on the phone, put back there.
	Restored []string
	PutBack  int
}

// ErrAlreadyUndone is returned for a batch undone before.
var ErrAlreadyUndone = errors.New("this import was undone already")

// UndoImport takes an import batch back, in one transaction: contacts it
// created go, fields it filled are cleared and rows it added are removed,
// except on contacts the owner has changed since, which are kept.
//
// A batch of the phone sync that deleted a contact here (the phone had
// deleted its card) brings the contact back whole, unlinked, so that the
// next sync puts it on the phone as a new card. One that deleted a card on
// the phone (the contact was deleted here) puts the card back on the phone
// first, with the password kept for the phone sync; if the server cannot be
// reached the undo is refused and nothing changes: bringing the contact
// back here instead would undo the owner's own deletion here, which this
// undo is not about.
func (s *Service) UndoImport(ctx context.Context, batchID int64) (UndoReport, error) {
	putBack, err := s.undoOnPhone(ctx, batchID)
	if err != nil {
		return UndoReport{}, fmt.Errorf("undo import %d: %w", batchID, err)
	}
	var rep UndoReport
	err = s.store().InTx(ctx, func(tx *model.Store) error {
		rep = UndoReport{}
		return s.undoBatch(ctx, tx, batchID, putBack, &rep)
	})
	if err != nil {
		return UndoReport{}, fmt.Errorf("undo import %d: %w", batchID, err)
	}
	return rep, nil
}

// undoBatch is UndoImport's transaction tx; putBack holds the new ETags of
// what undoOnPhone put back on the phone.
func (s *Service) undoBatch(ctx context.Context, tx *model.Store, batchID int64, putBack map[int64]string, rep *UndoReport) error {
	batch, err := tx.Batch(ctx, batchID)
	if err != nil {
		return err
	}
	if batch.UndoneAt != nil {
		return ErrAlreadyUndone
	}
	changes, err := tx.BatchChanges(ctx, batchID)
	if err != nil {
		return err
	}
	editedSince, err := s.restoreAndFindEdited(ctx, tx, batch, changes, putBack, rep)
	if err != nil {
		return err
	}
	if err := undoChanges(ctx, tx, changes, editedSince, rep); err != nil {
		return err
	}
	if err := resetChangedTimes(ctx, tx, changes, editedSince); err != nil {
		return err
	}
	if err := forgetHashesOrKeep(ctx, tx, editedSince, rep); err != nil {
		return err
	}
	return tx.MarkBatchUndone(ctx, batchID)
}

// undoesDeletion reports whether a change of this kind is a deletion the
// batch made, here or on the phone, rather than something it added.
func undoesDeletion(kind string) bool {
	return kind == changeDeleted || kind == changePhoneCard || kind == changeDeletedAppointment || kind == changePhoneEvent
}

// restoreAndFindEdited goes through the batch's changes in order: it
// brings back what the batch deleted, and returns, for each contact the
// other changes touched, whether it was edited since the batch (and so is
// kept).
func (s *Service) restoreAndFindEdited(ctx context.Context, tx *model.Store, batch *model.ImportBatch, changes []model.ImportChange,
	putBack map[int64]string, rep *UndoReport) (map[int64]bool, error) {
	finished := batch.StartedAt
	if batch.FinishedAt != nil {
		finished = *batch.FinishedAt
	}
	editedSince := map[int64]bool{}
	for _, ch := range changes {
		if undoesDeletion(ch.Kind) {
			if err := s.undoDeletion(ctx, tx, ch, putBack, rep); err != nil {
				return nil, err
			}
			continue
		}
		if _, seen := editedSince[ch.ContactID]; seen {
			continue
		}
		created, changed, exists, err := tx.ContactTimes(ctx, ch.ContactID)
		if err != nil {
			return nil, err
		}
		// A contact created before this batch under an ID the batch once
		// created (IDs are used again after a delete) is not the batch's
		// to remove.
		reused := ch.Kind == "contact" && created.Before(batch.StartedAt)
		editedSince[ch.ContactID] = !exists || changed.After(finished) || reused
	}
	return editedSince, nil
}

// undoDeletion undoes one deletion the batch made: a contact or an
// appointment deleted here comes back, a card or an event deleted on the
// phone (put back there by undoOnPhone) is linked again under its new ETag.
func (s *Service) undoDeletion(ctx context.Context, tx *model.Store, ch model.ImportChange, putBack map[int64]string, rep *UndoReport) error {
	switch ch.Kind {
	case changeDeleted:
		name, err := s.restoreDeleted(ctx, tx, ch.Value)
		if err != nil {
			return err
		}
		rep.Restored = append(rep.Restored, name)
	case changePhoneEvent:
		tag, ok := putBack[ch.ID]
		if !ok {
			return fmt.Errorf("the event %s was not put back on the phone", ch.Field)
		}
		// Deleted here, on the phone again: asked about anew.
		if err := tx.SaveDavEvent(ctx, model.DavEvent{Href: ch.Field, ETag: tag}); err != nil {
			return err
		}
		rep.PutBack++
	case changeDeletedAppointment:
		name, err := s.restoreAppointment(ctx, tx, ch.Value)
		if err != nil {
			return err
		}
		rep.Restored = append(rep.Restored, name)
	case changePhoneCard:
		tag, ok := putBack[ch.ID]
		if !ok {
			return fmt.Errorf("the card %s was not put back on the phone", ch.Field)
		}
		// Deleted here, on the phone again: asked about anew.
		if err := tx.SaveDavLink(ctx, model.DavLink{Href: ch.Field, ETag: tag}); err != nil {
			return err
		}
		rep.PutBack++
	}
	return nil
}

// undoChanges removes what the batch added to contacts not edited since:
// the contacts it created, the fields it filled, the rows and links it
// added. The times it touched are reset after, by resetChangedTimes.
func undoChanges(ctx context.Context, tx *model.Store, changes []model.ImportChange, editedSince map[int64]bool, rep *UndoReport) error {
	for _, ch := range changes {
		if editedSince[ch.ContactID] || undoesDeletion(ch.Kind) {
			continue
		}
		var done bool
		var err error
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
		case "link":
			// Gone with the contact it was made for, unless that was kept.
			done, err = tx.DeleteLink(ctx, ch.RowID, ch.ContactID)
		default:
			done, err = tx.DeleteAddedRow(ctx, ch.Kind, ch.RowID, ch.ContactID)
		}
		if err != nil {
			return err
		}
		if done {
			rep.Cleared++
		}
	}
	return nil
}

// resetChangedTimes gives the contacts not edited since the batch back the
// changed-at time they had before it.
func resetChangedTimes(ctx context.Context, tx *model.Store, changes []model.ImportChange, editedSince map[int64]bool) error {
	// Newest first: each reset finds the time the next newer one left.
	for _, ch := range slices.Backward(changes) {
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
	return nil
}

// forgetHashesOrKeep forgets the card hashes of the contacts undone, so
// that the same card imports again, and names in the report those kept
// because they were edited since.
func forgetHashesOrKeep(ctx context.Context, tx *model.Store, editedSince map[int64]bool, rep *UndoReport) error {
	for id, edited := range editedSince {
		if !edited {
			if err := tx.ForgetCardHash(ctx, id); err != nil {
				return err
			}
		}
		if edited {
			if rows, err := tx.ContactRows(ctx, []int64{id}); err == nil && len(rows) > 0 {
				rep.Kept = append(rep.Kept, rows[0].DisplayName)
			}
		}
	}
	return nil
}

// undoOnPhone puts back on the phone the cards a phone sync's batch deleted
// there, before the undo's transaction: it returns each change's new ETag.
func (s *Service) undoOnPhone(ctx context.Context, batchID int64) (map[int64]string, error) {
	batch, err := s.store().Batch(ctx, batchID)
	if err != nil {
		return nil, err
	}
	if batch.UndoneAt != nil {
		return nil, ErrAlreadyUndone
	}
	changes, err := s.store().BatchChanges(ctx, batchID)
	if err != nil {
		return nil, err
	}
	var cards, events []model.ImportChange
	for _, ch := range changes {
		switch ch.Kind {
		case changePhoneCard:
			cards = append(cards, ch)
		case changePhoneEvent:
			events = append(events, ch)
		}
	}
	out := map[int64]string{}
	if len(cards) > 0 {
		if out, err = s.putCardsBack(ctx, cards); err != nil {
			return nil, err
		}
	}
	if len(events) > 0 {
		tags, err := s.putEventsBack(ctx, events)
		if err != nil {
			return nil, err
		}
		for id, tag := range tags {
			out[id] = tag
		}
	}
	return out, nil
}

// ImportBatches lists past imports, newest first.
func (s *Service) ImportBatches(ctx context.Context) ([]model.ImportBatch, error) {
	return s.store().Batches(ctx)
}
