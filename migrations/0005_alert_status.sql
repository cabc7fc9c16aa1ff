-- Alert status (issue 14): `open` while the event lasts, `closed` once it has an end,
-- `withdrawn` when a later revision found it was no event (a dark gap whose vessel reappeared
-- along a way the coalition could not have heard), with the reason, so consumers can clear it.
-- The coverage evidence that raised or withdrew a dark gap is in `detail` (corridor*, path*,
-- coveringStations). Rows written before this migration get the status their end implies.
ALTER TABLE alerts
  ADD COLUMN status text NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'closed', 'withdrawn')),
  ADD COLUMN withdrawn_reason text,
  ADD CONSTRAINT alerts_withdrawn_reason CHECK ((status = 'withdrawn') = (withdrawn_reason IS NOT NULL));

UPDATE alerts SET status = 'closed' WHERE end_time IS NOT NULL;

CREATE INDEX alerts_status ON alerts (status) WHERE status <> 'closed';
