-- Acknowledgements of alerts in the operations picture (issue 15): who acknowledged which alert
-- revision, for which member's operations centre, and when. Append-only, the start of an audit
-- trail: a later acknowledgement of the same alert is a new row, the newest is the one shown.
-- `member` is the member id the user signed in as (DESIGN.md §6); `tidewatch serve` writes and
-- reads only the signed-in member's rows.
CREATE TABLE alert_acknowledgements (
  id bigserial PRIMARY KEY,
  member text NOT NULL,
  alert_id text NOT NULL,
  -- The revision the user saw: a later revision (the alert ended, moved) is not acknowledged by it.
  alert_revision integer NOT NULL CHECK (alert_revision >= 1),
  -- The name the watch officer gave when acknowledging (the sign-in is per member, not per person).
  acknowledged_by text NOT NULL CHECK (length(acknowledged_by) BETWEEN 1 AND 200),
  acknowledged_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_acknowledgements_member_alert
  ON alert_acknowledgements (member, alert_id, acknowledged_at DESC);
