package app

import (
	"context"
	"errors"
	"time"

	"github.com/rapportjournal/rapport/model"
)

// txTime is how long an import's transaction takes in further chunks the
// reader has ready before it commits (checked between chunks: a chunk run
// again card by card may take it past that). A commit writes every page the
// transaction touched to the WAL; the indexes on names take new keys all
// over, so with a commit per chunk of 1,000 cards a database of 50,000
// contacts had almost all their pages written out again at every chunk,
// and 50,000 cards took 6.6–7.2× as long as 10,000 (BenchmarkImportMerges).
// Chunks keep the cards in memory few; the transaction holds the database's
// write lock for at most about this long, so that the window's edits and
// other commands wait no longer than that.
const txTime = 750 * time.Millisecond

// importRun is one import's state while its chunks are written.
type importRun struct {
	s        *Service
	ctx      context.Context
	path     string
	opts     ImportOptions
	report   *ImportReport
	matches  *matcher
	problems *skipLog
	// batch is recorded with the first chunk, in its transaction: a file
	// with no card leaves no trace, nor does a crash before the first
	// commit.
	batch *model.ImportBatch
	read  int // cards received from the reader
	done  int // cards committed
	// written are the chunks of the transaction under way, counted into
	// the report once it commits.
	written []chunkTally
}

// chunkTally is what a chunk's cards became, kept without the cards until
// the transaction that wrote them commits.
type chunkTally struct {
	cards                    int
	created, merged, skipped int
	linked                   int
	imported                 []importedCard // for ImportOptions.Imported
	skips                    []skippedCard
}

// importedCard is a card that became or was merged into a contact.
type importedCard struct {
	number    int
	contactID int64
	action    Action
}

// skippedCard is a skipped card as the report lists it, and its text for
// the problems file.
type skippedCard struct {
	listed SkippedCard
	raw    []byte
}

// writeTx writes first and, in the same transaction, the chunks the reader
// has ready, for up to txTime, then commits and adds what became of the
// cards to the report. Cancelling stops it taking more chunks; the ones
// begun are written whole.
func (r *importRun) writeTx(first readChunk, chunks <-chan readChunk) error {
	wctx := context.WithoutCancel(r.ctx)
	started := r.batch == nil
	r.written = nil
	err := r.s.store().InTx(wctx, func(tx *model.Store) error {
		begun := time.Now()
		c := first
		first = readChunk{} // held once, as c, until the next chunk comes
		for {
			r.read += len(c.cards)
			if err := r.chunkInSavepoint(wctx, tx, c.cards, c.skips); err != nil {
				return err
			}
			c = readChunk{}
			if time.Since(begun) >= txTime || r.heldBytes() >= chunkBytes || r.ctx.Err() != nil {
				return nil
			}
			var more bool
			select {
			case c, more = <-chunks:
				if !more {
					return nil
				}
			default:
				return nil // the reader is behind: commit rather than wait holding the lock
			}
		}
	})
	if err != nil {
		if started {
			r.batch = nil // rolled back with the chunks
		}
		r.matches.rollback()
		return err
	}
	r.matches.commit()
	for _, t := range r.written {
		r.tally(t)
	}
	r.written = nil
	return nil
}

// heldBytes is how much text of skipped cards the transaction under way
// holds for the problems file: bounded as a chunk is, since skipped cards
// may carry photos.
func (r *importRun) heldBytes() int {
	n := 0
	for _, t := range r.written {
		for _, sk := range t.skips {
			n += len(sk.raw)
		}
	}
	return n
}

// chunkInSavepoint writes a chunk in the transaction tx. The fast way
// first: the whole chunk at once. Only if a card fails is the chunk rolled
// back to its savepoint and run again with a savepoint per card, so that
// the failing card rolls back alone (savepoints cost a copy of every page
// each card touches).
func (r *importRun) chunkInSavepoint(ctx context.Context, tx *model.Store, chunk []ImportedCard, skips []error) error {
	if len(chunk) == 0 {
		return nil
	}
	mark, started := r.matches.mark(), r.batch == nil
	if err := tx.Savepoint(ctx, "chunk"); err != nil {
		return err
	}
	t, err := r.chunkInTx(ctx, tx, chunk, skips, started, false)
	if errors.Is(err, errFailedCard) {
		if err := tx.RollbackTo(ctx, "chunk"); err != nil {
			return err
		}
		r.matches.undoTo(mark)
		if started {
			r.batch = nil
		}
		t, err = r.chunkInTx(ctx, tx, chunk, skips, started, true)
	}
	if err != nil {
		return err
	}
	if err := tx.Release(ctx, "chunk"); err != nil {
		return err
	}
	r.written = append(r.written, t)
	if r.opts.Progress != nil {
		// Told as chunks are written, not committed: cancelling at a
		// progress report stops the import at that card count.
		done := r.done
		for _, w := range r.written {
			done += w.cards
		}
		r.opts.Progress(done)
	}
	return nil
}

// chunkInTx imports a chunk in the transaction tx, starting the batch
// first when started, saves the batch's counts with it, and returns what
// became of the chunk's cards.
func (r *importRun) chunkInTx(ctx context.Context, tx *model.Store, chunk []ImportedCard, skips []error,
	started, isolate bool) (chunkTally, error) {
	if started {
		var err error
		if r.batch, err = tx.StartBatch(ctx, r.path); err != nil {
			return chunkTally{}, err
		}
	}
	outcomes, err := r.s.importChunk(ctx, tx, r.matches, r.batch.ID, chunk, skips, r.opts, isolate)
	if err != nil {
		return chunkTally{}, err
	}
	t := tallyOf(chunk, outcomes)
	created, merged, skipped := r.report.Created+t.created, r.report.Merged+t.merged, r.report.SkippedCount+t.skipped
	for _, w := range r.written {
		created, merged, skipped = created+w.created, merged+w.merged, skipped+w.skipped
	}
	r.batch.Created, r.batch.Merged, r.batch.Skipped = created, merged, skipped
	return t, tx.SaveBatch(ctx, r.batch)
}

// tallyOf keeps what the report needs of a chunk's outcomes.
func tallyOf(chunk []ImportedCard, outcomes []cardOutcome) chunkTally {
	t := chunkTally{cards: len(chunk)}
	for i, o := range outcomes {
		if o.contactID != 0 {
			t.imported = append(t.imported, importedCard{chunk[i].Number, o.contactID, o.action})
		}
		t.linked += o.linked
		switch o.action {
		case ActionAdd:
			t.created++
		case ActionMerge:
			t.merged++
		default:
			t.skipped++
			t.skips = append(t.skips, skippedCard{skippedAs(chunk[i], o.reason), chunk[i].Raw})
		}
	}
	return t
}

// tally adds a committed chunk's outcomes to the report, saves the text of
// its skipped cards and tells the caller which contacts its cards became.
func (r *importRun) tally(t chunkTally) {
	r.report.BatchID = r.batch.ID
	if r.opts.Imported != nil {
		for _, c := range t.imported {
			r.opts.Imported(c.number, c.contactID, c.action)
		}
	}
	r.report.Linked += t.linked
	r.report.Created += t.created
	r.report.Merged += t.merged
	for _, sk := range t.skips {
		r.report.skip(sk.listed)
		r.problems.add(sk.raw)
	}
	r.done += t.cards
}
