import { describe, expect, it } from 'vitest';
import { totalRejected } from '../../src/ais/decode-stats.js';
import { ALERT_KINDS } from '../../src/detect/alert.js';
import type { LatLon } from '../../src/geo/geodesy.js';
import { distanceMeters } from '../../src/sim/geodesy.js';
import type { Label } from '../../src/sim/labels.js';
import { simulate } from '../../src/sim/simulate.js';
import { SimZone } from '../../src/sim/zones.js';
import { decodeFeeds, distinctReports, fixesOf, POSITION_TYPES } from './feed-records.js';

const HOUR_MS = 3_600_000;
const KNOT = 1852 / 3600;

// A small scenario: every event, 40 background vessels, reports at half the ITU rate. Other
// scenarios can be checked the same way: SIM_TEST_OPTIONS='{"seed":3,"members":["a","b"]}'.
const options = {
  seed: 7,
  vessels: 40,
  intervalScale: 2,
  ...JSON.parse(process.env.SIM_TEST_OPTIONS ?? '{}'),
};
const result = simulate(options);
const { records, stats } = decodeFeeds(result.feeds);
const zones = result.zones.features.map(
  (f) =>
    new SimZone(
      f.properties,
      f.geometry.coordinates[0]!.slice(0, -1).map(([lon, lat]) => ({ lon, lat })),
    ),
);
const ports = zones.filter((z) => z.kind === 'port');

function labelsOf(kind: Label['kind'], expect: Label['expect']): Label[] {
  return result.labels.filter((l) => l.kind === kind && l.expect === expect);
}

function only(kind: Label['kind'], expected: Label['expect'] = 'alert'): Label {
  const labels = labelsOf(kind, expected);
  expect(labels).toHaveLength(1);
  return labels[0]!;
}

function ms(iso: string | undefined): number {
  return Date.parse(iso!);
}

function inPort(p: LatLon): boolean {
  return ports.some((z) => z.contains(p));
}

/** Fix of `fixes` nearest in time to `timeMs`. */
function nearest<T extends { timeMs: number }>(fixes: readonly T[], timeMs: number): T {
  let best = fixes[0]!;
  for (const f of fixes) if (Math.abs(f.timeMs - timeMs) < Math.abs(best.timeMs - timeMs)) best = f;
  return best;
}

describe('simulate: determinism', () => {
  it('gives identical output for the same seed and different traffic for another', () => {
    const options = { seed: 11, vessels: 5, intervalScale: 5 };
    const a = simulate(options);
    const b = simulate(options);
    expect(b).toEqual(a);
    const c = simulate({ ...options, seed: 12 });
    expect(c.feeds[0]!.lines.slice(0, 50)).not.toEqual(a.feeds[0]!.lines.slice(0, 50));
  });

  it('keeps the injected events when the background grows', () => {
    const small = simulate({ seed: 11, vessels: 0, intervalScale: 5 });
    const large = simulate({ seed: 11, vessels: 30, intervalScale: 5 });
    const events = (labels: Label[]) =>
      labels.filter((l) => !l.note.startsWith('first fix of moored'));
    expect(events(large.labels)).toEqual(events(small.labels));
  });

  it('checks its options, naming the bad value', () => {
    expect(() => simulate({ hours: 2 })).toThrow(/hours 2 is less than 6/);
    expect(() => simulate({ members: ['ca', 'no/x'] })).toThrow(/member "no\/x"/);
    expect(() => simulate({ start: 'yesterday' })).toThrow(/start "yesterday"/);
    expect(() => simulate({ vessels: -1 })).toThrow(/vessels -1/);
  });
});

describe('simulate: feeds', () => {
  it('writes one feed per member, in receive-time order, every line tag-blocked', () => {
    expect(result.feeds.map((f) => f.member)).toEqual(result.summary.members);
    for (const feed of result.feeds) {
      let last = 0;
      for (const line of feed.lines) {
        const c = /^\\(?:g:1-\d-\d+,)?s:[\w-]+-\d+,c:(\d+)\*/.exec(line);
        if (c === null) continue; // second parts, malformed lines
        const t = Number(c[1]);
        expect(t).toBeGreaterThanOrEqual(last);
        last = t;
      }
    }
  });

  it('decodes every line with the project decoder except the injected malformed ones', () => {
    for (const feed of result.feeds) {
      const s = stats.get(feed.member)!;
      const malformed = result.summary.malformed.byMember[feed.member]!;
      expect(s.lines).toBe(feed.lines.length);
      expect(totalRejected(s)).toBe(malformed.total);
      expect(s.rejected.checksum).toBe(malformed.checksum);
      expect(s.rejected.syntax + s.rejected.non_ais).toBe(malformed.truncated + malformed.garbage);
      expect(s.rejected.fragment).toBe(0);
      expect(s.lines).toBe(s.messages + s.fragments + totalRejected(s));
    }
    expect(result.summary.malformed.total).toBeGreaterThan(0);
    expect(result.summary.malformed.checksum).toBeGreaterThan(0);
    expect(result.summary.malformed.truncated).toBeGreaterThan(0);
    expect(result.summary.malformed.garbage).toBeGreaterThan(0);
  });

  it('carries class A (1, 3, 5) and class B (18, 24 A and B), aids to navigation and base stations', () => {
    const types = new Set(records.map((r) => r.record.type));
    for (const type of [1, 3, 4, 5, 18, 21, 24]) expect(types).toContain(type);
    const parts = new Set(records.filter((r) => r.record.type === 24).map((r) => r.record.partNo));
    expect(parts).toEqual(new Set([0, 1]));
  });

  it('duplicates messages across members within seconds where coverage overlaps', () => {
    let crossMember = 0;
    for (const copies of distinctReports(records)) {
      const members = new Set(copies.map((c) => c.member));
      if (members.size < 2) continue;
      crossMember++;
      const times = copies.map((c) => c.timeMs);
      expect(Math.max(...times) - Math.min(...times)).toBeLessThanOrEqual(2000);
    }
    if (result.summary.members.length === 1) expect(crossMember).toBe(0);
    else expect(crossMember).toBeGreaterThan(100);
    expect(crossMember).toBeLessThanOrEqual(result.summary.crossMemberDuplicates);
  });

  it('gives vessels heard by one member only and, where coverage overlaps, by several', () => {
    const heard = result.vessels.list.map((v) => v.sources.length);
    expect(heard).toContain(1);
    if (result.summary.members.length > 1) expect(heard.some((n) => n >= 2)).toBe(true);
  });

  it('summarises per vessel exactly what the feeds carry: sources and distinct position reports', () => {
    const byMmsi = new Map<number, { sources: Set<string>; reports: number }>();
    for (const v of result.vessels.list) {
      const entry = byMmsi.get(v.mmsi) ?? { sources: new Set<string>(), reports: 0 };
      for (const s of v.sources) entry.sources.add(s);
      entry.reports += v.positionReports;
      byMmsi.set(v.mmsi, entry);
    }
    const seen = new Map<number, { sources: Set<string>; reports: number }>();
    for (const copies of distinctReports(records)) {
      const { record } = copies[0]!;
      const entry = seen.get(record.mmsi) ?? { sources: new Set<string>(), reports: 0 };
      for (const c of copies) entry.sources.add(c.member);
      if (POSITION_TYPES.has(record.type)) entry.reports++;
      seen.set(record.mmsi, entry);
    }
    for (const [mmsi, truth] of byMmsi) {
      const fromFeeds = seen.get(mmsi);
      expect(fromFeeds?.sources ?? new Set(), `sources of ${mmsi}`).toEqual(truth.sources);
      expect(fromFeeds?.reports ?? 0, `reports of ${mmsi}`).toBe(truth.reports);
    }
    expect([...seen.keys()].every((mmsi) => byMmsi.has(mmsi))).toBe(true);
  });
});

describe('simulate: zones', () => {
  it('writes a port, a restricted area, an MPA and an EEZ as GeoJSON polygons', () => {
    const kinds = result.zones.features.map((f) => f.properties.kind);
    for (const kind of ['port', 'restricted', 'mpa', 'eez']) expect(kinds).toContain(kind);
    for (const f of result.zones.features) {
      expect(f.id).toBe(f.properties.id);
      const ring = f.geometry.coordinates[0]!;
      expect(ring[0]).toEqual(ring[ring.length - 1]);
    }
  });
});

describe('simulate: labels', () => {
  it('labels every alert kind of DESIGN.md §3, and hard negatives', () => {
    for (const kind of ALERT_KINDS) expect(labelsOf(kind, 'alert').length, kind).toBeGreaterThan(0);
    expect(labelsOf('rendezvous', 'none').length).toBeGreaterThanOrEqual(3);
    expect(labelsOf('dark_gap', 'none').length).toBeGreaterThanOrEqual(3);
    expect(labelsOf('loitering', 'none').length).toBeGreaterThanOrEqual(2);
    expect(labelsOf('zone_entry', 'none').length).toBeGreaterThanOrEqual(1);
    expect(labelsOf('position_jump', 'none').length).toBeGreaterThanOrEqual(1);
    expect(labelsOf('invalid_identity', 'none').length).toBeGreaterThanOrEqual(1);
    for (const l of result.labels) {
      expect(l.toleranceSeconds).toBeGreaterThanOrEqual(0);
      expect(Number.isNaN(ms(l.start))).toBe(false);
      if (l.end !== undefined) expect(ms(l.end)).toBeGreaterThanOrEqual(ms(l.start));
    }
    expect(result.summary.labels.rendezvous.alert).toBe(1);
  });

  it('rendezvous: the two vessels stay < 500 m apart and < 2 kn for ≥ 2 h, outside ports', () => {
    const label = only('rendezvous');
    const a = fixesOf(records, label.mmsi);
    const b = fixesOf(records, label.otherMmsi!);
    const start = ms(label.start);
    const end = ms(label.end);
    expect(end - start).toBeGreaterThanOrEqual(2 * HOUR_MS);
    const during = a.filter((f) => f.timeMs > start + 60_000 && f.timeMs < end - 60_000);
    expect(during.length).toBeGreaterThan(100);
    for (const f of during) {
      const g = nearest(b, f.timeMs);
      expect(Math.abs(g.timeMs - f.timeMs)).toBeLessThan(60_000);
      expect(distanceMeters(f, g)).toBeLessThan(500);
      expect(f.sog!).toBeLessThan(2);
      expect(g.sog!).toBeLessThan(2);
      expect(inPort(f)).toBe(false);
    }
    // Before and after: moving.
    expect(nearest(a, start - 10 * 60_000).sog!).toBeGreaterThan(5);
    expect(nearest(a, end + 10 * 60_000).sog!).toBeGreaterThan(5);
  });

  it('dark gaps: no report for ≥ 2 h while last and dead-reckoned positions are in live coverage', () => {
    // The injected one, 2 in solid coverage and 2 from the edge of a range (issue 14).
    const labels = labelsOf('dark_gap', 'alert');
    expect(labels).toHaveLength(5);
    for (const label of labels) {
      const fixes = fixesOf(records, label.mmsi);
      const start = ms(label.start);
      const end = ms(label.end);
      expect(end - start).toBeGreaterThanOrEqual(2 * HOUR_MS);
      expect(fixes.filter((f) => f.timeMs > start + 5000 && f.timeMs < end - 5000)).toEqual([]);
      const last = nearest(fixes, start);
      const first = nearest(fixes, end);
      const speed = last.sog! * KNOT;
      const course =
        ((records.find((r) => r.record.mmsi === label.mmsi && r.timeMs === last.timeMs)?.record
          .cog ?? 0) *
          Math.PI) /
        180;
      const live = (p: LatLon, t: number) =>
        result.stations.some(
          (s) =>
            distanceMeters(s, p) <= s.rangeMeters &&
            (s.outage === undefined || t < ms(s.outage.start) || t >= ms(s.outage.end)),
        );
      for (let t = last.timeMs; t <= end; t += 10 * 60_000) {
        const dt = (t - last.timeMs) / 1000;
        const p = {
          lat: last.lat + (speed * dt * Math.cos(course)) / 111_195,
          lon:
            last.lon +
            (speed * dt * Math.sin(course)) / (111_195 * Math.cos((last.lat * Math.PI) / 180)),
        };
        expect(live(p, t), `dead-reckoned position at ${new Date(t).toISOString()}`).toBe(true);
      }
      expect(live(last, last.timeMs)).toBe(true);
      expect(live(first, first.timeMs)).toBe(true);
      expect(inPort(last)).toBe(false);
    }
  });

  it('dark gap hard negatives: silences in port, out of coverage, during the outage and through holes last ≥ 2 h', () => {
    const negatives = labelsOf('dark_gap', 'none');
    // 3 of issue 3, and issue 14's 4 hole transits, 2 edge dwellers, 2 cold starts, 2 departures.
    expect(negatives).toHaveLength(13);
    const silences = negatives.filter(
      (l) => !l.note.includes('weaves') && !l.note.includes('never comes back'),
    );
    expect(silences).toHaveLength(9);
    for (const label of silences) {
      const fixes = fixesOf(records, label.mmsi);
      const start = ms(label.start);
      const end = ms(label.end);
      expect(end - start).toBeGreaterThanOrEqual(2 * HOUR_MS);
      expect(fixes.filter((f) => f.timeMs > start + 5000 && f.timeMs < end - 5000)).toEqual([]);
    }
    const outage = result.stations.find((s) => s.outage !== undefined)!.outage!;
    const duringOutage = negatives.find((l) => l.note.includes('down from'))!;
    expect(ms(duringOutage.start)).toBeLessThanOrEqual(ms(outage.start));
    expect(ms(duringOutage.end)).toBeGreaterThanOrEqual(ms(outage.end));
    const inPortSilence = negatives.find((l) => l.note.includes('inside port zone'))!;
    expect(inPort(inPortSilence)).toBe(true);
    const outside = negatives.find((l) => l.note.includes('beyond the 40 NM range'))!;
    const fixes = fixesOf(records, outside.mmsi);
    const last = nearest(fixes, ms(outside.start));
    const nearestStation = Math.min(...result.stations.map((s) => distanceMeters(s, last)));
    expect(nearestStation).toBeGreaterThan(0.8 * result.stations[0]!.rangeMeters);
  });

  it('loitering: under 2 kn for ≥ 4 h outside ports', () => {
    const label = only('loitering');
    const start = ms(label.start);
    const end = ms(label.end);
    expect(end - start).toBeGreaterThanOrEqual(4 * HOUR_MS);
    const during = fixesOf(records, label.mmsi).filter(
      (f) => f.timeMs > start + 30_000 && f.timeMs < end - 30_000,
    );
    expect(during.length).toBeGreaterThan(100);
    for (const f of during) {
      expect(f.sog!).toBeLessThan(2);
      expect(inPort(f)).toBe(false);
    }
  });

  it('position jump: one fix > 2 km off its neighbours, implying > 50 kn', () => {
    const label = only('position_jump');
    const fixes = fixesOf(records, label.mmsi);
    const i = fixes.findIndex((f) => Math.abs(f.timeMs - ms(label.start)) <= 2000);
    expect(i).toBeGreaterThan(0);
    const [before, jump, after] = [fixes[i - 1]!, fixes[i]!, fixes[i + 1]!];
    for (const other of [before, after]) {
      const meters = distanceMeters(jump, other);
      expect(meters).toBeGreaterThan(2000);
      expect(meters / (Math.abs(jump.timeMs - other.timeMs) / 1000) / KNOT).toBeGreaterThan(50);
    }
    expect(distanceMeters(before, after)).toBeLessThan(2000);
  });

  it('identity conflict: one MMSI alternates between two tracks far apart', () => {
    const label = only('identity_conflict');
    const fixes = fixesOf(records, label.mmsi).filter(
      (f) => f.timeMs >= ms(label.start) && f.timeMs <= ms(label.end),
    );
    const anchor = fixes[0]!;
    const sides = fixes.map((f) => distanceMeters(f, anchor) > 50_000);
    expect(sides.filter(Boolean).length).toBeGreaterThan(50);
    expect(sides.filter((s) => !s).length).toBeGreaterThan(50);
    let switches = 0;
    for (let i = 1; i < sides.length; i++) if (sides[i] !== sides[i - 1]) switches++;
    expect(switches).toBeGreaterThan(100);
    // The label is placed on the second ship at its first fix.
    expect(Math.min(...fixes.map((f) => distanceMeters(f, label)))).toBeLessThan(1000);
  });

  it('zone entries and exits: the fixes either side of the crossing are outside and inside', () => {
    for (const label of result.labels.filter(
      (l) => l.kind.startsWith('zone_') && l.expect === 'alert',
    )) {
      const zone = zones.find((z) => z.id === label.zoneId)!;
      expect(['restricted', 'mpa']).toContain(zone.kind);
      const fixes = fixesOf(records, label.mmsi);
      const t = ms(label.start);
      const entering = label.kind === 'zone_entry';
      // Receive times trail transmit times by up to 2 s.
      const i = fixes.findIndex((f) => f.timeMs >= t - 2000 && zone.contains(f) === entering);
      const before = fixes[i - 1]!;
      const after = fixes[i]!;
      expect(zone.contains(before)).toBe(!entering);
      expect(before.timeMs).toBeLessThanOrEqual(t + 2000);
      expect(after.timeMs - t).toBeLessThanOrEqual(label.toleranceSeconds * 1000);
    }
    expect(
      labelsOf('zone_entry', 'alert')
        .map((l) => l.zoneId)
        .sort(),
    ).toEqual(['mpa-1', 'restricted-1']);
    expect(labelsOf('zone_exit', 'alert').length).toBe(3);
    const startInside = result.labels.find(
      (l) => l.kind === 'zone_entry' && l.zoneId === 'mpa-1' && l.expect === 'none',
    )!;
    const first = fixesOf(records, startInside.mmsi)[0]!;
    expect(zones.find((z) => z.id === 'mpa-1')!.contains(first)).toBe(true);
  });

  it('invalid identities: MMSIs outside the ship MIDs, and a moving aid to navigation', () => {
    const mmsis = labelsOf('invalid_identity', 'alert').map((l) => l.mmsi);
    expect(mmsis).toContain(100000000);
    expect(mmsis).toContain(123456789);
    const aton = mmsis.find((m) => Math.floor(m / 10_000_000) === 99)!;
    const reports = records.filter((r) => r.record.mmsi === aton);
    expect(reports.every((r) => r.record.type === 21)).toBe(true);
    const fixes = fixesOf(records, aton);
    expect(distanceMeters(fixes[0]!, fixes[3]!)).toBeGreaterThan(500);
  });

  it('hard negatives: passing ships are close but fast, the short meeting is under 2 h', () => {
    const [passing, short, moored] = labelsOf('rendezvous', 'none').sort(
      (a, b) => ms(a.end) - ms(a.start) - (ms(b.end) - ms(b.start)),
    );
    const a = fixesOf(records, passing!.mmsi);
    const b = fixesOf(records, passing!.otherMmsi!);
    let closest = Number.POSITIVE_INFINITY;
    for (const f of a) {
      const g = nearest(b, f.timeMs);
      if (Math.abs(g.timeMs - f.timeMs) > 20_000) continue;
      const d = distanceMeters(f, g);
      if (d < closest) closest = d;
      if (d < 1000) expect(Math.min(f.sog!, g.sog!)).toBeGreaterThan(10);
    }
    expect(closest).toBeLessThan(1000);
    expect(ms(short!.end) - ms(short!.start)).toBeLessThan(2 * HOUR_MS);
    expect(inPort(moored!)).toBe(true);
  });
});
