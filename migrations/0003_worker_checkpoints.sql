-- The streaming worker's state checkpoint (issue 4): the fusion core's state (tracks, open
-- alerts, detector timers, the dedupe window, reports waiting for the watermark), the partition
-- decoders' half-assembled messages and the fused-track throttle, with the Kafka offset of each
-- raw partition the state was built up to. A worker that starts (after a crash, a restart or a
-- hand-over) restores it and reads each partition on from that offset, so its alerts and tracks
-- are those of a run that never stopped. One row per consumer group: the latest checkpoint.
CREATE TABLE worker_checkpoints (
  group_id text PRIMARY KEY,
  -- When the state was taken (wall time); it is written only after every output of that state
  -- is in Postgres and on Kafka.
  taken_at timestamptz NOT NULL,
  -- Hash of what the state depends on (format, Tidewatch version, core configuration, zones): a
  -- worker with another configuration does not restore it.
  fingerprint text NOT NULL,
  -- [{"topic", "partition", "member", "offset"}]: the next offset to read of each raw partition.
  partitions jsonb NOT NULL,
  -- Event time up to which the state has fused every report and fired every timer.
  released_until timestamptz,
  -- The state (gzip of the node:v8 serialisation, src/state/state-graph.ts).
  state bytea NOT NULL,
  state_bytes integer NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now()
);
-- Already compressed: no second compression by TOAST.
ALTER TABLE worker_checkpoints ALTER COLUMN state SET STORAGE EXTERNAL;
