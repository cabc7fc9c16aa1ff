import RBush from 'rbush';
import { AlertBook } from '../src/detect/alert-book.js';
import type { Detector, DetectorFactory } from '../src/detect/detector.js';
import { loiteringDetector } from '../src/detect/loitering.js';
import { rendezvousDetector } from '../src/detect/rendezvous.js';
import { type Timer, TimerQueue } from '../src/detect/timer-queue.js';
import { MemberRegistry, type SourceSet } from '../src/fusion/member-registry.js';
import type { Report } from '../src/fusion/report.js';
import { VesselIndex } from '../src/fusion/vessel-index.js';
import { VesselTrack } from '../src/fusion/vessel-track.js';
import { distanceMeters, metersToLatDegrees, metersToLonDegrees } from '../src/geo/geodesy.js';
import { type Benchmark, type BenchRow, compareWith } from './benchmark.js';
import { createRandom, type Random } from './prng.js';
import { summarize } from './stats.js';

const VESSELS = 50_000;
const RADIUS_METERS = 500;
const KNOT = 1852 / 3600;
const METERS_PER_DEGREE = 111_195;

/** Seeded traffic: every vessel's initial fix, then every report in event-time order. */
interface Traffic {
  initialLat: Float64Array;
  initialLon: Float64Array;
  initialSogKnots: Float32Array;
  /** Per report: which vessel, and its new fix. */
  vessel: Int32Array;
  lat: Float64Array;
  lon: Float64Array;
  sogKnots: Float32Array;
  /** Event time of each report, seconds from the start. */
  time: Int32Array;
  seconds: number;
}

/**
 * 50 k vessels around 300 hotspots (ports, anchorages, lanes): 30 % anchored or moored (GPS
 * jitter of a few metres, a report every 3 min), 10 % slow (0.5–3 kn: fishing, drifting), 60 %
 * under way at 8–22 kn. Report intervals per ITU-R M.1371-5 Table 1 (class A: 10 s under 14 kn,
 * 6 s above, 3 min at anchor); a fifth of the moving vessels are class B (30 s).
 */
function buildTraffic(seed: number, seconds: number): Traffic {
  const random = createRandom(seed);
  const hotspots: [number, number][] = [];
  for (let i = 0; i < 300; i++)
    hotspots.push([-55 + random.next() * 120, -180 + random.next() * 360]);
  const lat = new Float64Array(VESSELS);
  const lon = new Float64Array(VESSELS);
  const speed = new Float64Array(VESSELS);
  const course = new Float64Array(VESSELS);
  const interval = new Float64Array(VESSELS);
  const next = new Float64Array(VESSELS);
  const anchorLat = new Float64Array(VESSELS);
  const anchorLon = new Float64Array(VESSELS);
  for (let v = 0; v < VESSELS; v++) {
    const [hLat, hLon] = random.pick(hotspots);
    const kind = random.next();
    const spreadMeters = kind < 0.3 ? 4000 : 40_000;
    lat[v] = hLat + (gaussian(random) * spreadMeters) / METERS_PER_DEGREE;
    lon[v] =
      hLon +
      (gaussian(random) * spreadMeters) / (METERS_PER_DEGREE * Math.cos((hLat * Math.PI) / 180));
    course[v] = random.next() * 2 * Math.PI;
    if (kind < 0.3) {
      speed[v] = 0;
      interval[v] = 180;
    } else if (kind < 0.4) {
      speed[v] = 0.5 + random.next() * 2.5;
      interval[v] = random.next() < 0.2 ? 30 : 10;
    } else {
      speed[v] = 8 + random.next() * 14;
      interval[v] = random.next() < 0.2 ? 30 : speed[v]! < 14 ? 10 : 6;
    }
    anchorLat[v] = lat[v]!;
    anchorLon[v] = lon[v]!;
    next[v] = random.next() * interval[v]!;
  }
  const traffic: Traffic = {
    initialLat: lat.slice(),
    initialLon: lon.slice(),
    initialSogKnots: Float32Array.from(speed, (knots) => (knots === 0 ? 0.1 : knots)),
    vessel: new Int32Array(0),
    lat: new Float64Array(0),
    lon: new Float64Array(0),
    sogKnots: new Float32Array(0),
    time: new Int32Array(0),
    seconds,
  };
  const ids: number[] = [];
  const lats: number[] = [];
  const lons: number[] = [];
  const sogs: number[] = [];
  const times: number[] = [];
  for (let t = 0; t < seconds; t++) {
    for (let v = 0; v < VESSELS; v++) {
      if (next[v]! > t) continue;
      const dt = interval[v]!;
      next[v] = next[v]! + dt;
      if (speed[v] === 0) {
        // Anchored: GPS jitter of ±5 m around the anchor position.
        lat[v] = anchorLat[v]! + ((random.next() - 0.5) * 10) / METERS_PER_DEGREE;
        lon[v] = anchorLon[v]! + ((random.next() - 0.5) * 10) / METERS_PER_DEGREE;
      } else {
        course[v] = course[v]! + (random.next() - 0.5) * 0.05;
        const meters = speed[v]! * KNOT * dt;
        const latV = lat[v]!;
        lat[v] = latV + (Math.cos(course[v]!) * meters) / METERS_PER_DEGREE;
        const lonV =
          lon[v]! +
          (Math.sin(course[v]!) * meters) / (METERS_PER_DEGREE * Math.cos((latV * Math.PI) / 180));
        lon[v] = lonV > 180 ? lonV - 360 : lonV < -180 ? lonV + 360 : lonV;
      }
      ids.push(v);
      lats.push(lat[v]!);
      lons.push(lon[v]!);
      sogs.push(speed[v] === 0 ? 0.1 : speed[v]!);
      times.push(t);
    }
  }
  traffic.vessel = Int32Array.from(ids);
  traffic.lat = Float64Array.from(lats);
  traffic.lon = Float64Array.from(lons);
  traffic.sogKnots = Float32Array.from(sogs);
  traffic.time = Int32Array.from(times);
  return traffic;
}

/** Standard normal (Box–Muller). */
function gaussian(random: Random): number {
  return Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());
}

function makeTracks(traffic: Traffic): VesselTrack[] {
  const tracks: VesselTrack[] = [];
  for (let v = 0; v < VESSELS; v++) {
    const track = new VesselTrack(200_000_000 + v, 0);
    track.lat = traffic.initialLat[v]!;
    track.lon = traffic.initialLon[v]!;
    tracks.push(track);
  }
  return tracks;
}

function resetTracks(tracks: VesselTrack[], traffic: Traffic): void {
  for (let v = 0; v < tracks.length; v++) {
    tracks[v]!.lat = traffic.initialLat[v]!;
    tracks[v]!.lon = traffic.initialLon[v]!;
  }
}

/** What a neighbour index must do here: follow every report, answer radius queries. */
interface Candidate {
  readonly scenario: string;
  /** Fresh index holding every vessel at its initial fix (untimed). */
  build(tracks: VesselTrack[], sogKnots: Float32Array): void;
  /** One report: the track already holds the new fix. */
  update(track: VesselTrack, sogKnots: number): void;
  near(lat: number, lon: number, out: VesselTrack[]): number;
}

interface PointEntry {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
  track: VesselTrack;
}

/** The obvious baseline: rbush of points, remove + insert on every report, search + filter. */
function baselineCandidate(): Candidate {
  let tree = new RBush<PointEntry>();
  let entries: PointEntry[] = [];
  const byMmsi = new Map<number, PointEntry>();
  return {
    scenario: 'rbush remove+insert every report',
    build(tracks) {
      tree = new RBush<PointEntry>();
      entries = tracks.map((track) => ({
        minX: track.lon,
        minY: track.lat,
        maxX: track.lon,
        maxY: track.lat,
        track,
      }));
      byMmsi.clear();
      for (const entry of entries) byMmsi.set(entry.track.mmsi, entry);
      tree.load(entries);
    },
    update(track) {
      const entry = byMmsi.get(track.mmsi)!;
      tree.remove(entry);
      entry.minX = entry.maxX = track.lon;
      entry.minY = entry.maxY = track.lat;
      tree.insert(entry);
    },
    near(lat, lon, out) {
      const dLat = metersToLatDegrees(RADIUS_METERS);
      const dLon = metersToLonDegrees(RADIUS_METERS, Math.abs(lat) + dLat);
      const found = tree.search({
        minX: lon - dLon,
        minY: lat - dLat,
        maxX: lon + dLon,
        maxY: lat + dLat,
      });
      let count = 0;
      for (const entry of found) {
        const t = entry.track;
        if (distanceMeters(lat, lon, t.lat, t.lon) <= RADIUS_METERS) out[count++] = t;
      }
      return count;
    },
  };
}

function slackCandidate(slackMeters: number): Candidate & { index(): VesselIndex } {
  let index = new VesselIndex(slackMeters);
  return {
    scenario: `VesselIndex, slack ${slackMeters} m`,
    index: () => index,
    build(tracks) {
      index = new VesselIndex(slackMeters);
      for (const track of tracks) index.update(track);
      index.reinserts = 0;
    },
    update(track) {
      index.update(track);
    },
    near(lat, lon, out) {
      return index.near(lat, lon, RADIUS_METERS, out);
    },
  };
}

/** As the rendezvous detector uses it: only vessels under 2 kn are indexed. */
function slowOnlyCandidate(slackMeters: number): Candidate {
  let index = new VesselIndex(slackMeters);
  return {
    scenario: `VesselIndex, slack ${slackMeters} m, vessels < 2 kn only`,
    build(tracks, sogKnots) {
      index = new VesselIndex(slackMeters);
      for (let v = 0; v < tracks.length; v++) if (sogKnots[v]! < 2) index.update(tracks[v]!);
    },
    update(track, sogKnots) {
      if (sogKnots < 2) index.update(track);
      else index.remove(track);
    },
    near(lat, lon, out) {
      return index.near(lat, lon, RADIUS_METERS, out);
    },
  };
}

interface GridEntry {
  key: number;
  cell: GridEntry[];
  /** Position in `cell`. */
  at: number;
  track: VesselTrack;
}

/**
 * The cheaper structure rbush is measured against: a hash of 0.01° cells (≈ 1.1 km of
 * latitude), a vessel moves between cell arrays (swap-remove) only when it changes cell.
 */
function gridCandidate(cellDegrees: number): Candidate {
  const cells = new Map<number, GridEntry[]>();
  const byMmsi = new Map<number, GridEntry>();
  const keyOf = (lat: number, lon: number) =>
    (Math.floor((lat + 90) / cellDegrees) << 16) | Math.floor((lon + 180) / cellDegrees);
  const add = (entry: GridEntry) => {
    let cell = cells.get(entry.key);
    if (cell === undefined) {
      cell = [];
      cells.set(entry.key, cell);
    }
    entry.cell = cell;
    entry.at = cell.length;
    cell.push(entry);
  };
  return {
    scenario: `grid hash, ${cellDegrees}° cells`,
    build(tracks) {
      cells.clear();
      byMmsi.clear();
      for (const track of tracks) {
        const entry: GridEntry = { key: keyOf(track.lat, track.lon), cell: [], at: 0, track };
        byMmsi.set(track.mmsi, entry);
        add(entry);
      }
    },
    update(track) {
      const entry = byMmsi.get(track.mmsi)!;
      const key = keyOf(track.lat, track.lon);
      if (key === entry.key) return;
      const cell = entry.cell;
      const last = cell.pop()!;
      if (last !== entry) {
        cell[entry.at] = last;
        last.at = entry.at;
      }
      entry.key = key;
      add(entry);
    },
    near(lat, lon, out) {
      const dLat = metersToLatDegrees(RADIUS_METERS);
      const dLon = metersToLonDegrees(RADIUS_METERS, Math.abs(lat) + dLat);
      const y0 = Math.floor((lat - dLat + 90) / cellDegrees);
      const y1 = Math.floor((lat + dLat + 90) / cellDegrees);
      const x0 = Math.floor((lon - dLon + 180) / cellDegrees);
      const x1 = Math.floor((lon + dLon + 180) / cellDegrees);
      let count = 0;
      for (let y = y0; y <= y1; y++) {
        for (let x = x0; x <= x1; x++) {
          const cell = cells.get((y << 16) | x);
          if (cell === undefined) continue;
          for (let i = 0; i < cell.length; i++) {
            const t = cell[i]!.track;
            if (distanceMeters(lat, lon, t.lat, t.lon) <= RADIUS_METERS) out[count++] = t;
          }
        }
      }
      return count;
    },
  };
}

/** Reads its slot and the SOG, nothing else: what any detector costs the core per report. */
class SlotReader {
  readonly name = 'slot reader';
  /** Kept so the reads are not optimised away. */
  seen = 0;

  constructor(private readonly slot: number) {}

  onReport(track: VesselTrack): void {
    if (track.slots[this.slot] !== undefined || (track.sog ?? 0) < 2) this.seen++;
  }
}

const slotReader: DetectorFactory = (slot) => new SlotReader(slot);

/**
 * A detector as the core drives it (no zones): each report's fix applied to its track (50 k
 * tracks), timers fired on event time, then `onReport`.
 */
class DetectorRun {
  private readonly timers = new TimerQueue();
  private readonly byVessel: VesselTrack[] = [];
  private readonly detector: Detector;
  private readonly report = {} as Report;
  /** The one member every fix is heard by. */
  private readonly sources: SourceSet;

  constructor(
    private readonly traffic: Traffic,
    factory: DetectorFactory,
  ) {
    const members = new MemberRegistry();
    this.sources = members.setOf('alpha');
    const tracks = new Map<number, VesselTrack>();
    for (let v = 0; v < VESSELS; v++) {
      const track = new VesselTrack(200_000_000 + v, 1);
      tracks.set(track.mmsi, track);
      this.byVessel.push(track);
    }
    const timers = this.timers;
    this.detector = factory(0, {
      tracks,
      zones: undefined,
      alerts: new AlertBook(members, () => {}),
      members,
      previousZones: [],
      watermark: 0,
      schedule: (deadline: number, timer: Timer) => timers.schedule(deadline, timer),
      inPort: () => false,
    });
  }

  /** Reports [from, to): wall seconds. */
  play(from: number, to: number): number {
    const { traffic, timers, byVessel, detector, report, sources } = this;
    const t0 = Date.UTC(2026, 0, 1);
    const start = process.hrtime.bigint();
    for (let i = from; i < to; i++) {
      const time = t0 + traffic.time[i]! * 1000;
      timers.runUntil(time);
      const track = byVessel[traffic.vessel[i]!]!;
      track.previousLat = track.lat;
      track.previousLon = track.lon;
      track.previousFixTime = track.fixTime;
      track.lat = traffic.lat[i]!;
      track.lon = traffic.lon[i]!;
      track.fixTime = time;
      track.sog = traffic.sogKnots[i]!;
      track.fixSourceSet = sources;
      detector.onReport?.(track, report, true);
    }
    return Number(process.hrtime.bigint() - start) / 1e9;
  }
}

/** Index of the first report at or after `seconds`. */
function firstReportAt(traffic: Traffic, seconds: number): number {
  let lo = 0;
  let hi = traffic.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (traffic.time[mid]! < seconds) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function slowReports(traffic: Traffic, from: number, to: number): number {
  let slow = 0;
  for (let i = from; i < to; i++) if (traffic.sogKnots[i]! < 2) slow++;
  return slow;
}

function microsRow(scenario: string, unit: string, micros: number[]): BenchRow {
  return {
    benchmark: 'vessel-index',
    scenario,
    unit,
    higherIsBetter: false,
    summary: summarize(micros),
  };
}

/**
 * µs per position report for 50 k vessels moving realistically (seeded), the slack-box
 * VesselIndex against rbush remove + insert on every report, and µs per 500 m `near` query.
 */
export const vesselIndexBenchmark: Benchmark = {
  name: 'vessel-index',
  description: 'µs per update and per 500 m query, 50 k vessels, vs rbush remove+insert',
  async run(context) {
    // Steady state, not the first insertions: the detectors first follow 3 minutes of traffic
    // untimed (every anchored vessel has reported once), the indexes the last minute of it
    // (slack boxes no longer centred on the first fix); then each run times the next window.
    const warmupSeconds = 180;
    const windowSeconds = context.quick ? 20 : 60;
    const runs = context.quick ? 3 : 7;
    const queries = context.quick ? 5_000 : 20_000;
    const seconds = warmupSeconds + runs * windowSeconds;
    context.log(`vessel-index: generating ${seconds} s of traffic`);
    const traffic = buildTraffic(context.seed, seconds);
    const bounds = Array.from({ length: runs + 1 }, (_, k) =>
      firstReportAt(traffic, warmupSeconds + k * windowSeconds),
    );
    const timed = bounds[runs]! - bounds[0]!;
    const tracks = makeTracks(traffic);
    const queryRandom = createRandom(context.seed + 1);
    const queryVessels = Int32Array.from({ length: queries }, () =>
      queryRandom.int(0, VESSELS - 1),
    );

    const baseline = baselineCandidate();
    const chosen = slackCandidate(250);
    const candidates: Candidate[] = [
      baseline,
      slackCandidate(100),
      chosen,
      slackCandidate(1000),
      slowOnlyCandidate(250),
      gridCandidate(0.01),
    ];
    const play = (candidate: Candidate, from: number, to: number): number => {
      const start = process.hrtime.bigint();
      for (let i = from; i < to; i++) {
        const track = tracks[traffic.vessel[i]!]!;
        track.lat = traffic.lat[i]!;
        track.lon = traffic.lon[i]!;
        candidate.update(track, traffic.sogKnots[i]!);
      }
      return Number(process.hrtime.bigint() - start) / 1e9;
    };
    for (const candidate of candidates) {
      context.log(`vessel-index: ${candidate.scenario}: building, warm-up`);
      resetTracks(tracks, traffic);
      candidate.build(tracks, traffic.initialSogKnots);
      play(candidate, firstReportAt(traffic, warmupSeconds - 60), bounds[0]!);
    }
    let reinsertsBefore = chosen.index().reinserts;
    let reinserts = 0;
    const out: VesselTrack[] = [];
    const updateMicros = candidates.map((): number[] => []);
    const nearMicros = candidates.map((): number[] => []);
    const found = candidates.map(() => 0);
    // Candidates take turns on each window (so noise from other processes hits them alike); the
    // tracks end each turn at the window's last fixes, where every candidate is queried.
    for (let run = 0; run < runs; run++) {
      context.log(`vessel-index: window ${run + 1} of ${runs}`);
      const from = bounds[run]!;
      const to = bounds[run + 1]!;
      for (let c = 0; c < candidates.length; c++) {
        const candidate = candidates[c]!;
        const updateSeconds = play(candidate, from, to);
        const start = process.hrtime.bigint();
        let count = 0;
        for (let q = 0; q < queries; q++) {
          const track = tracks[queryVessels[q]!]!;
          count += candidate.near(track.lat, track.lon, out);
        }
        const querySeconds = Number(process.hrtime.bigint() - start) / 1e9;
        found[c] = found[c]! + count;
        updateMicros[c]!.push((updateSeconds * 1e6) / (to - from));
        nearMicros[c]!.push((querySeconds * 1e6) / queries);
      }
      reinserts += chosen.index().reinserts - reinsertsBefore;
      reinsertsBefore = chosen.index().reinserts;
    }
    const rows: BenchRow[] = [];
    for (let c = 0; c < candidates.length; c++) {
      const scenario = candidates[c]!.scenario;
      rows.push(microsRow(`update: ${scenario}`, 'µs/update', updateMicros[c]!));
      rows.push(microsRow(`near ${RADIUS_METERS} m: ${scenario}`, 'µs/query', nearMicros[c]!));
    }
    const [baseUpdate, baseNear] = rows as [BenchRow, BenchRow];
    for (let i = 2; i < rows.length; i += 2) {
      compareWith(rows[i]!, baseUpdate);
      compareWith(rows[i + 1]!, baseNear);
    }
    const expected = found[0]!;
    for (let c = 1; c < candidates.length; c++) {
      // Every index over all vessels must find exactly what the baseline finds.
      const scenario = candidates[c]!.scenario;
      if (!scenario.includes('only') && found[c] !== expected) {
        throw new Error(`${scenario} found ${found[c]} neighbours, the baseline ${expected}.`);
      }
    }
    context.note(
      `vessel-index: ${VESSELS} vessels (30 % anchored, 10 % at 0.5–3 kn, 60 % at 8–22 kn); after ${warmupSeconds} s of warm-up, ${runs} windows of ${windowSeconds} s, ${timed} reports timed (${((100 * slowReports(traffic, bounds[0]!, bounds[runs]!)) / timed).toFixed(1)} % under 2 kn); ${queries} queries per window at vessels' positions, finding ${(expected / (queries * runs)).toFixed(2)} vessels each (self included). Slack 250 m re-inserted on ${((100 * reinserts) / timed).toFixed(1)} % of reports.`,
    );

    // The two detectors that use "slow" (the index is the rendezvous detector's), against one
    // that only reads its slot: the difference is their cost per report in the core.
    const detectors: [string, DetectorRun][] = [
      ['slot read only', new DetectorRun(traffic, slotReader)],
      ['rendezvous', new DetectorRun(traffic, rendezvousDetector())],
      ['loitering', new DetectorRun(traffic, loiteringDetector())],
    ];
    context.log('vessel-index: detectors, warm-up');
    for (const [, detector] of detectors) detector.play(0, bounds[0]!);
    const detectorMicros = detectors.map((): number[] => []);
    for (let run = 0; run < runs; run++) {
      context.log(`vessel-index: detectors, window ${run + 1} of ${runs}`);
      for (let d = 0; d < detectors.length; d++) {
        const seconds = detectors[d]![1].play(bounds[run]!, bounds[run + 1]!);
        detectorMicros[d]!.push((seconds * 1e6) / (bounds[run + 1]! - bounds[run]!));
      }
    }
    const detectorRows = detectors.map(([name], d) =>
      microsRow(`fix loop + detector: ${name}`, 'µs/report', detectorMicros[d]!),
    );
    rows.push(...detectorRows);
    const slotOnly = detectorRows[0]!.summary.median;
    context.note(
      `vessel-index: over all reports (no zones), rendezvous adds ${(detectorRows[1]!.summary.median - slotOnly).toFixed(2)} µs and loitering ${(detectorRows[2]!.summary.median - slotOnly).toFixed(2)} µs per report to a detector that only reads its slot.`,
    );
    return rows;
  },
};
