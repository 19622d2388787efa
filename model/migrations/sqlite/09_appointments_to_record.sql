-- Step 9 indexes the appointments whose
-- outcome was never recorded by start (the week view's "Needs an outcome"
-- read every appointment of 60 days otherwise: 400 ms among a million), and
-- appointments by the one they were moved to (deleting one unlinks, and its
-- undo relinks, those moved to it). The same SQL on both databases.

CREATE INDEX idx_appointments_unrecorded ON appointments (start) WHERE outcome = '';

CREATE INDEX idx_appointments_rescheduled_to ON appointments (rescheduled_to_id);
