-- Step 16 lets a feedback entry say, beside what the person answered (its
-- text), what the owner will change because of it: Insights lists the two
-- together as the self reflection. The same statement on both databases;
-- '' on every older entry, which had no such note.

ALTER TABLE journal_entries ADD COLUMN change_note TEXT NOT NULL DEFAULT '';

-- The Insights charts count month by month as ranges of indexes that hold
-- every column the count reads (BenchmarkInsights50k): appointments by
-- outcome and start, purchases and stage moves by kind and time; first
-- meetings by idx_journal_kind_contact_at of step 4.

CREATE INDEX idx_appointments_outcome_start ON appointments (outcome, start);

CREATE INDEX idx_journal_kind_at_amount ON journal_entries (kind, at, currency, amount);
