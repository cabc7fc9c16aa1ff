import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AisMessage } from '../../../src/ais/ais-message.js';
import { MemberRegistry } from '../../../src/fusion/member-registry.js';
import { Report } from '../../../src/fusion/report.js';
import { VesselTrack } from '../../../src/fusion/vessel-track.js';
import { HistorySink, wholePicture } from '../../../src/io/postgres/history-sink.js';
import { silentLogger } from '../../../src/util/logger.js';
import { RUN } from '../kafka/kafka-test-support.js';
import { count, createMigratedDatabase, type TestDatabase } from './test-database.js';

const T0 = Date.parse('2024-06-01T12:00:00Z');
const MMSI = 257_000_001;

function report(members: MemberRegistry, member: string, time: number, hash: number): Report {
  const m = new AisMessage();
  m.type = 1;
  m.mmsi = MMSI;
  m.lat = 60.1;
  m.lon = 5.2;
  m.payloadHash = hash;
  return new Report(m, time, members.setOf(member), `${member}-rx`);
}

/** A fresh sink, as a restarted worker has, writing `reports`. */
async function write(db: TestDatabase, reports: (members: MemberRegistry) => Report[]) {
  const members = new MemberRegistry();
  const sink = new HistorySink(db.pool, { log: silentLogger });
  const track = new VesselTrack(MMSI, 0);
  track.lastSeen = T0;
  for (const r of reports(members)) sink.addReport(wholePicture(members), r, track);
  return sink.flush();
}

describe.skipIf(!RUN)(
  'positions: one row per report, whichever copy a restarted worker sees',
  () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createMigratedDatabase('position_idempotence', 'off');
    });
    afterAll(async () => db?.drop());

    it('skips a later copy of a stored report within the dedupe window (regression: re-read after a crash)', async () => {
      // First run: ca heard it at T0 and no 2 s later: one report at T0.
      await write(db, (members) => {
        const first = report(members, 'ca', T0, 7);
        first.mergeDuplicate(report(members, 'no', T0 + 2000, 7), members);
        return [first];
      });
      expect(await count(db.pool, 'positions')).toBe(1);
      // After a crash only no's partition is re-read: the same report, stamped T0 + 2 s.
      const again = await write(db, (members) => [report(members, 'no', T0 + 2000, 7)]);
      expect(again.positionsInserted).toBe(0);
      expect(await count(db.pool, 'positions')).toBe(1);
    });

    it('stores a report once per stored picture, each idempotently (issue 13)', async () => {
      const t = T0 + 7_200_000;
      const before = await count(db.pool, 'positions');
      const writeTwoPictures = async () => {
        // Two pictures fused the report from different copies: another time and sources.
        const members = [new MemberRegistry(), new MemberRegistry()];
        const sink = new HistorySink(db.pool, { log: silentLogger });
        const track = new VesselTrack(MMSI, 0);
        track.lastSeen = t;
        sink.addReport({ id: 1, members: members[0]! }, report(members[0]!, 'ca', t, 9), track);
        sink.addReport(
          { id: 2, members: members[1]! },
          report(members[1]!, 'no', t + 900, 9),
          track,
        );
        // A picture none of whose audiences receives tracks stores nothing.
        sink.addReport(
          { id: 3, members: members[1]!, tracks: false },
          report(members[1]!, 'no', t, 9),
          track,
        );
        return sink.flush();
      };
      expect((await writeTwoPictures()).positionsInserted).toBe(2);
      expect((await writeTwoPictures()).positionsInserted).toBe(0);
      const { rows } = await db.pool.query(
        'SELECT picture_id, sources, time FROM positions WHERE payload_hash = 9 ORDER BY picture_id',
      );
      expect(rows).toEqual([
        { picture_id: 1, sources: ['ca'], time: new Date(t) },
        { picture_id: 2, sources: ['no'], time: new Date(t + 900) },
      ]);
      expect(await count(db.pool, 'positions')).toBe(before + 2);
      const vessels = await db.pool.query(
        'SELECT picture_id FROM vessels WHERE mmsi = $1 AND picture_id > 0 ORDER BY 1',
        [MMSI],
      );
      expect(vessels.rows.map((r) => r.picture_id)).toEqual([1, 2]);
      await db.pool.query('DELETE FROM positions WHERE payload_hash = 9');
      await db.pool.query('DELETE FROM vessels WHERE picture_id > 0');
    });

    it('still stores another payload at once, and the same payload outside the window', async () => {
      const result = await write(db, (members) => [
        report(members, 'ca', T0 + 1000, 8),
        report(members, 'ca', T0 + 31_000, 7),
      ]);
      expect(result.positionsInserted).toBe(2);
      expect(await count(db.pool, 'positions')).toBe(3);
    });

    it('stores every column as the report has it (binary COPY)', async () => {
      const members = new MemberRegistry();
      const sink = new HistorySink(db.pool, { log: silentLogger });
      const track = new VesselTrack(MMSI, 0);
      track.lastSeen = T0;
      const time = T0 + 7 * 3_600_000 + 123;
      const m = new AisMessage();
      Object.assign(m, {
        type: 18,
        mmsi: MMSI,
        lat: -33.856_782_123,
        lon: 151.215_297_8,
        sog: 12.3,
        cog: 359.9,
        heading: 511 - 200,
        navStatus: undefined,
        payloadHash: -123_456_789,
      });
      const full = new Report(m, time, members.setOf('au'), 'stn "A", {1}');
      full.mergeDuplicate(new Report(m, time + 500, members.setOf('no'), 'ålesund\\rx'), members);
      const bare = new Report(
        Object.assign(new AisMessage(), {
          type: 1,
          mmsi: MMSI,
          lat: 0.5,
          lon: -0.25,
          payloadHash: 4,
        }),
        time + 1,
        members.setOf('au'),
        'au',
      );
      sink.addReport(wholePicture(members), full, track);
      sink.addReport(wholePicture(members), bare, track);
      await sink.flush();
      const { rows } = await db.pool.query(
        `SELECT msg_type, lat, lon, sog, cog, heading, nav_status, sources, stations, payload_hash,
           (extract(epoch FROM time) * 1000)::bigint AS ms
         FROM positions WHERE time >= $1 ORDER BY time`,
        [new Date(time)],
      );
      expect(rows).toEqual([
        {
          msg_type: 18,
          lat: -33.856_782_123,
          lon: 151.215_297_8,
          sog: 12.3, // real: Postgres prints the shortest float4 text
          cog: 359.9,
          heading: 311,
          nav_status: null,
          sources: ['au', 'no'],
          stations: ['stn "A", {1}', 'ålesund\\rx'],
          payload_hash: -123_456_789,
          ms: String(time),
        },
        {
          msg_type: 1,
          lat: 0.5,
          lon: -0.25,
          sog: null,
          cog: null,
          heading: null,
          nav_status: null,
          sources: ['au'],
          stations: ['au'],
          payload_hash: 4,
          ms: String(time + 1),
        },
      ]);
    });

    it('writes two flushes at once on two connections, each row once', async () => {
      const members = new MemberRegistry();
      const sink = new HistorySink(db.pool, { log: silentLogger, concurrency: 2 });
      const track = new VesselTrack(MMSI, 0);
      track.lastSeen = T0;
      const before = await count(db.pool, 'positions');
      for (let i = 0; i < 500; i++)
        sink.addReport(
          wholePicture(members),
          report(members, 'ca', T0 + 3_600_000 + i * 1000, 1000 + i),
          track,
        );
      const first = sink.flush();
      for (let i = 500; i < 1000; i++)
        sink.addReport(
          wholePicture(members),
          report(members, 'no', T0 + 3_600_000 + i * 1000, 1000 + i),
          track,
        );
      const second = sink.flush();
      expect(sink.bufferedRows).toBe(1002);
      const results = await Promise.all([first, second]);
      expect(results.map((r) => r.positionsInserted)).toEqual([500, 500]);
      expect(sink.bufferedRows).toBe(0);
      expect(await count(db.pool, 'positions')).toBe(before + 1000);
    });
  },
);
