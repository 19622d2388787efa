-- Step 13 lets a purchase entry say what was bought and for how
-- much: the amount in minor units (cents, never a float) with the currency
-- it was paid in, NULL when not told. The same statements on both
-- databases. Purchases are read by the (kind, contact_id, at) index.

ALTER TABLE journal_entries ADD COLUMN item TEXT NOT NULL DEFAULT '';

ALTER TABLE journal_entries ADD COLUMN amount BIGINT CHECK (amount IS NULL OR amount BETWEEN 0 AND 1000000000000);

ALTER TABLE journal_entries ADD COLUMN currency TEXT NOT NULL DEFAULT '';
