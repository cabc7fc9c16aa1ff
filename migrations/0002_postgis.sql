-- tidewatch:requires postgis
-- PostGIS additions (DESIGN.md §2.6): applied only when the extension is in use (`tidewatch
-- migrate` creates it when the server has it); everything else works without it.

-- geography(Point) of every position and alert, computed by Postgres from lon/lat, so every
-- writer (the COPY path, psql, a backfill) gets it for free. GiST-indexed for ST_DWithin,
-- ST_Covers and friends.
ALTER TABLE positions ADD COLUMN geog geography(Point, 4326)
  GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED;
CREATE INDEX positions_geog_gist ON positions USING gist (geog);

ALTER TABLE alerts ADD COLUMN geog geography(Point, 4326)
  GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)::geography) STORED;
CREATE INDEX alerts_geog_gist ON alerts USING gist (geog);

-- Each vessel's track per UTC day as a LineString (fixes in time order). `track` is NULL for a
-- day with a single fix (a one-point line is not a valid geometry). Filter on mmsi: Postgres
-- pushes it down to the positions primary key (docs/analyst-queries.md has a one-day query on
-- positions that also reads only that day's partition).
CREATE VIEW vessel_tracks AS
SELECT
  mmsi,
  (time AT TIME ZONE 'UTC')::date AS day,
  count(*) AS fixes,
  min(time) AS first_fix,
  max(time) AS last_fix,
  CASE WHEN count(*) > 1 THEN
    ST_MakeLine(geog::geometry ORDER BY time, payload_hash)::geometry(LineString, 4326)
  END AS track
FROM positions
GROUP BY mmsi, (time AT TIME ZONE 'UTC')::date;
