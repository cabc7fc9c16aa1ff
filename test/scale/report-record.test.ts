import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { AisMessage } from '../../src/ais/ais-message.js';
import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import type { Alert } from '../../src/detect/alert.js';
import { DEFAULT_CORE_CONFIG } from '../../src/pipeline/core-config.js';
import { defaultDetectors } from '../../src/pipeline/default-detectors.js';
import { FusionCore } from '../../src/pipeline/fusion-core.js';
import {
  RecordError,
  ReportRecordReader,
  ReportRecordWriter,
} from '../../src/scale/report-record.js';
import { simulate } from '../../src/sim/simulate.js';
import { parseZoneCollection } from '../../src/zones/parse-zones.js';
import { ZoneIndex } from '../../src/zones/zone-index.js';

/** The fields `FusionCore.ingest` reads (Report's constructor), plus the station. */
const CORE_FIELDS = [
  'type',
  'mmsi',
  'payloadHash',
  'payloadCheck',
  'receivedAt',
  'lat',
  'lon',
  'sog',
  'cog',
  'heading',
  'navStatus',
  'shipName',
  'name',
  'callSign',
  'imo',
  'shipType',
  'toBow',
  'toStern',
  'toPort',
  'toStarboard',
  'draught',
  'destination',
  'station',
] as const;

function coreFields(m: AisMessage): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of CORE_FIELDS) out[field] = m[field];
  return out;
}

/** Every decoded message of a small simulated scenario (three members, stations, static data). */
function eachMessage(visit: (m: AisMessage, member: string) => void): number {
  const sim = simulate({ seed: 7, vessels: 20, hours: 6 });
  let count = 0;
  for (const feed of sim.feeds) {
    const decoder = new StreamDecoder({ requireTime: true });
    for (const line of feed.lines) {
      const bytes = Buffer.from(line, 'latin1');
      if (decoder.decodeLine(bytes, 0, bytes.length) !== 'message') continue;
      count++;
      visit(decoder.message, feed.member);
    }
  }
  return count;
}

describe('report records (the scale-out internal topic)', () => {
  it('carries every field the core reads, bit for bit, with the member', () => {
    const writer = new ReportRecordWriter();
    const reader = new ReportRecordReader();
    const types = new Set<number>();
    const mismatches: unknown[] = [];
    const count = eachMessage((m, member) => {
      const record = reader.read(writer.report(m, member));
      const want = { member, ...coreFields(m) };
      const got =
        record.kind === 'report'
          ? { member: record.member, ...coreFields(record.message) }
          : record;
      if (!isDeepStrictEqual(got, want) && mismatches.length < 3) mismatches.push({ want, got });
      types.add(m.type);
    });
    expect(mismatches).toEqual([]);
    expect(count).toBeGreaterThan(1000);
    // Position (1-3, 18), static (5, 24) and base-station (4) reports went through.
    for (const type of [1, 4, 5, 18, 24]) expect(types).toContain(type);
  });

  it('feeds a core exactly as the decoded messages do: same tracks and alerts', () => {
    const sim = simulate({ seed: 7, vessels: 20, hours: 6 });
    const zones = new ZoneIndex(parseZoneCollection(sim.zones, 'simulated zones').zones);
    const run = () => {
      const alerts: Alert[] = [];
      const core = new FusionCore(
        DEFAULT_CORE_CONFIG,
        zones,
        { alert: (alert) => alerts.push({ ...alert }) },
        defaultDetectors(DEFAULT_CORE_CONFIG),
      );
      return { core, alerts };
    };
    const direct = run();
    const viaRecords = run();
    const writer = new ReportRecordWriter();
    const reader = new ReportRecordReader();
    let newest = Number.NEGATIVE_INFINITY;
    eachMessage((m, member) => {
      direct.core.ingest(m, member, m.station);
      const record = reader.read(writer.report(m, member));
      if (record.kind !== 'report') throw new Error('not a report');
      viaRecords.core.ingest(record.message, record.member, record.message.station);
      newest = Math.max(newest, m.receivedAt!);
    });
    direct.core.finish();
    viaRecords.core.finish();
    expect(direct.alerts.length).toBeGreaterThan(5);
    expect(viaRecords.alerts).toEqual(direct.alerts);
    const tracks = (core: FusionCore) =>
      [...core.tracks.values()].map((t) => ({
        mmsi: t.mmsi,
        lat: t.lat,
        lon: t.lon,
        reportCount: t.reportCount,
        sources: core.members.idsOf(t.sourceSet),
        shipName: t.shipName,
      }));
    expect(tracks(viaRecords.core)).toEqual(tracks(direct.core));
    expect(viaRecords.core.stats).toEqual(direct.core.stats);
  });

  it('carries a watermark mark, -Infinity and idleness included', () => {
    const writer = new ReportRecordWriter();
    const reader = new ReportRecordReader();
    const marks = [
      {
        upstream: 'ais.raw.ca/3',
        progressMs: Date.UTC(2024, 5, 1),
        endMs: Date.UTC(2024, 5, 1, 1),
        idle: false,
        upstreamPartitions: 12,
      },
      {
        upstream: 'ais.raw.nø/0',
        progressMs: Number.NEGATIVE_INFINITY,
        endMs: Number.NEGATIVE_INFINITY,
        idle: true,
        upstreamPartitions: 1,
      },
    ];
    for (const mark of marks) {
      expect(reader.read(writer.watermark(mark))).toEqual({ kind: 'watermark', mark });
    }
  });

  it('refuses a record it does not know, or one cut short, with BAD_INTERNAL_RECORD', () => {
    const writer = new ReportRecordWriter();
    const reader = new ReportRecordReader();
    const m = new AisMessage();
    m.type = 1;
    m.mmsi = 257000000;
    m.receivedAt = Date.UTC(2024, 5, 1);
    m.lat = 56.5;
    m.lon = 3.5;
    m.station = 'station-1';
    const whole = writer.report(m, 'no');
    for (const bad of [
      Buffer.from([9, 0, 0]),
      whole.subarray(0, whole.length - 3),
      Buffer.alloc(0),
    ]) {
      expect(() => reader.read(bad)).toThrow(RecordError);
    }
    expect(() => reader.read(Buffer.from([7]))).toThrow(/unknown record kind 7/);
    const noTime = new AisMessage();
    expect(() => writer.report(noTime, 'no')).toThrow(RecordError);
  });
});
