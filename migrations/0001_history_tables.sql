-- Tidewatch history (DESIGN.md §2.6, issue 4): positions, vessels, alerts.
-- Plain SQL, run in one transaction by `tidewatch migrate`; never edit an applied migration,
-- add a new one. Times are timestamptz (UTC), positions WGS84 decimal degrees, speeds knots,
-- courses degrees, member ids as in the feeds' configuration.

-- One row per distinct position report (a message heard by several members is one row with
-- several sources). The primary key is the report's identity, so writing the same report twice
-- (a worker replaying its input after a crash) adds nothing.
-- Range-partitioned by UTC day; writers create the day's partition on demand with
-- ensure_positions_partition(day). A day is dropped or detached as one table
-- (DROP TABLE positions_20240601), and time-range queries only read the days they cover.
CREATE TABLE positions (
  mmsi integer NOT NULL,
  -- Event time: the earliest receive time among the feeds that heard the message.
  time timestamptz NOT NULL,
  -- FNV-1a hash of the payload bits as a signed 32-bit integer (StreamDecoder): tells apart
  -- two messages of one vessel at the same millisecond.
  payload_hash integer NOT NULL,
  -- AIS message type (ITU-R M.1371): 1-3 class A, 18/19 class B, 9 SAR aircraft, 21 aid to
  -- navigation, 27 long-range.
  msg_type smallint NOT NULL,
  lat double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
  lon double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
  sog real,
  cog real,
  heading smallint,
  nav_status smallint,
  -- Member feeds that heard the report, sorted.
  sources text[] NOT NULL,
  -- Receiving stations (tag block s:, or the member id when the feed has none), first heard first.
  stations text[] NOT NULL,
  PRIMARY KEY (mmsi, time, payload_hash)
) PARTITION BY RANGE (time);

-- Time windows within a day: rows arrive nearly in time order, so a BRIN index (a few pages per
-- partition) narrows a scan to the blocks of the window. Per-vessel queries use the primary key.
CREATE INDEX positions_time_brin ON positions USING brin (time);

-- Creates the partition of `day` (UTC) if it does not exist yet. Safe to call concurrently.
CREATE FUNCTION ensure_positions_partition(day date) RETURNS void
LANGUAGE plpgsql
SET search_path FROM CURRENT
AS $$
DECLARE
  partition_name text := 'positions_' || to_char(day, 'YYYYMMDD');
  day_start timestamptz := day::timestamp AT TIME ZONE 'UTC';
BEGIN
  IF to_regclass(partition_name) IS NOT NULL THEN
    RETURN;
  END IF;
  EXECUTE format(
    'CREATE TABLE IF NOT EXISTS %I PARTITION OF positions FOR VALUES FROM (%L) TO (%L)',
    partition_name, day_start, day_start + interval '1 day');
EXCEPTION
  -- Another writer created it between the check and the CREATE.
  WHEN duplicate_table OR unique_violation THEN
    NULL;
END
$$;

-- Latest known state per vessel: static and voyage data (types 5, 19, 21, 24), the newest fix,
-- first and last time heard, every member that heard it, the zones of the newest fix.
CREATE TABLE vessels (
  mmsi integer PRIMARY KEY,
  ship_name text,
  call_sign text,
  imo integer,
  ship_type smallint,
  -- Dimensions to the GNSS antenna, metres.
  to_bow smallint,
  to_stern smallint,
  to_port smallint,
  to_starboard smallint,
  draught real,
  destination text,
  lat double precision,
  lon double precision,
  sog real,
  cog real,
  heading smallint,
  nav_status smallint,
  last_fix_time timestamptz,
  first_seen timestamptz NOT NULL,
  last_seen timestamptz NOT NULL,
  sources text[] NOT NULL DEFAULT '{}',
  zones text[] NOT NULL DEFAULT '{}',
  updated_at timestamptz NOT NULL DEFAULT now()
) WITH (fillfactor = 70);
-- No secondary index on purpose: every flush updates the vessels it heard, and with no indexed
-- column changing (and free space from the fillfactor) those updates stay HOT.

-- The latest revision of each alert (DESIGN.md §2.4). start_time / end_time are the alert's
-- start and end (END is an SQL keyword); end_time is NULL while the alert is open.
CREATE TABLE alerts (
  id text PRIMARY KEY,
  kind text NOT NULL,
  mmsi integer NOT NULL,
  other_mmsi integer,
  zone_id text,
  start_time timestamptz NOT NULL,
  end_time timestamptz,
  lat double precision,
  lon double precision,
  sources text[] NOT NULL,
  revision integer NOT NULL,
  -- {"name", "version", "thresholds": {...}}: the rule and the thresholds in force.
  rule jsonb NOT NULL,
  -- Kind-specific detail, numbers in the units their keys name.
  detail jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alerts_kind_start ON alerts (kind, start_time);
CREATE INDEX alerts_mmsi_start ON alerts (mmsi, start_time);
CREATE INDEX alerts_other_mmsi ON alerts (other_mmsi) WHERE other_mmsi IS NOT NULL;
