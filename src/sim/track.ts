import { KNOT_METERS_PER_SECOND, type LatLon } from '../geo/geodesy.js';
import { destination, distanceMeters, initialBearingDeg, intermediate } from './geodesy.js';
import { NAV_STATUS_UNDERWAY } from './reporting-interval.js';

/** One leg of a voyage: a great-circle run from `from` to `to` at constant speed, or a stay. */
export interface TrackSegment {
  readonly startMs: number;
  readonly endMs: number;
  readonly from: LatLon;
  readonly to: LatLon;
  readonly distanceMeters: number;
  /** Course of the leg; for a stay, the heading the vessel lies on. Degrees. */
  readonly courseDeg: number;
  /** ITU navigational status reported on this leg. */
  readonly navStatus: number;
}

/** Where a vessel truly is and how it moves at one instant. */
export interface VesselState {
  lat: number;
  lon: number;
  sogKnots: number;
  /** Course over ground, degrees [0, 360). */
  cogDeg: number;
  navStatus: number;
}

/**
 * A vessel's true motion over the scenario: contiguous legs, dead-reckoned along great circles.
 * Reads are usually in time order, so a cursor makes `stateAt` O(1) on the hot path.
 */
export class Track {
  private cursor = 0;

  constructor(readonly segments: readonly TrackSegment[]) {
    if (segments.length === 0) throw new RangeError('Track: no segments.');
    for (let i = 1; i < segments.length; i++) {
      if (segments[i]!.startMs !== segments[i - 1]!.endMs) {
        throw new RangeError(`Track: segment ${i} does not start where segment ${i - 1} ends.`);
      }
    }
  }

  get startMs(): number {
    return this.segments[0]!.startMs;
  }

  get endMs(): number {
    return this.segments[this.segments.length - 1]!.endMs;
  }

  stateAt(tMs: number): VesselState {
    const s = this.segmentAt(tMs);
    const duration = s.endMs - s.startMs;
    const fraction = duration > 0 ? (tMs - s.startMs) / duration : 1;
    const p = intermediate(s.from, s.to, s.distanceMeters, fraction);
    const moving = s.distanceMeters >= 1;
    const remaining = s.distanceMeters * (1 - fraction);
    return {
      lat: p.lat,
      lon: p.lon,
      sogKnots:
        moving && duration > 0 ? s.distanceMeters / (duration / 1000) / KNOT_METERS_PER_SECOND : 0,
      cogDeg: moving && remaining > 1 ? initialBearingDeg(p, s.to) : s.courseDeg,
      navStatus: s.navStatus,
    };
  }

  positionAt(tMs: number): LatLon {
    const s = this.segmentAt(tMs);
    const duration = s.endMs - s.startMs;
    return intermediate(
      s.from,
      s.to,
      s.distanceMeters,
      duration > 0 ? (tMs - s.startMs) / duration : 1,
    );
  }

  private segmentAt(tMs: number): TrackSegment {
    const segments = this.segments;
    if (tMs < this.startMs || tMs > this.endMs) {
      throw new RangeError(
        `Track: time ${new Date(tMs).toISOString()} is outside ${new Date(this.startMs).toISOString()}..${new Date(this.endMs).toISOString()}.`,
      );
    }
    let i = this.cursor;
    if (segments[i]!.startMs > tMs) i = 0;
    while (i < segments.length - 1 && segments[i]!.endMs <= tMs) i++;
    this.cursor = i;
    return segments[i]!;
  }
}

/** Writes a voyage leg by leg, from a start time and place. */
export class TrackBuilder {
  private readonly segments: TrackSegment[] = [];
  private t: number;
  private p: LatLon;
  private course: number;

  constructor(startMs: number, start: LatLon, courseDeg = 0) {
    this.t = startMs;
    this.p = start;
    this.course = courseDeg;
  }

  get timeMs(): number {
    return this.t;
  }

  get position(): LatLon {
    return this.p;
  }

  get courseDeg(): number {
    return this.course;
  }

  /** Sails the great circle to `to` at `knots`. */
  sailTo(to: LatLon, knots: number, navStatus = NAV_STATUS_UNDERWAY): this {
    if (!(knots > 0))
      throw new RangeError(`TrackBuilder.sailTo: speed ${knots} kn is not positive.`);
    const meters = distanceMeters(this.p, to);
    return this.push(
      to,
      meters,
      this.t + (meters / (knots * KNOT_METERS_PER_SECOND)) * 1000,
      navStatus,
    );
  }

  /** Sails the great circle to `to`, arriving at `arriveMs` (the speed follows). */
  sailToBy(to: LatLon, arriveMs: number, navStatus = NAV_STATUS_UNDERWAY): this {
    if (!(arriveMs > this.t)) {
      throw new RangeError(`TrackBuilder.sailToBy: arrival ${arriveMs} is not after ${this.t}.`);
    }
    return this.push(to, distanceMeters(this.p, to), arriveMs, navStatus);
  }

  /** Sails on `bearingDeg` at `knots` for `durationMs`. */
  sail(
    bearingDeg: number,
    knots: number,
    durationMs: number,
    navStatus = NAV_STATUS_UNDERWAY,
  ): this {
    const meters = knots * KNOT_METERS_PER_SECOND * (durationMs / 1000);
    return this.push(
      destination(this.p, bearingDeg, meters),
      meters,
      this.t + durationMs,
      navStatus,
    );
  }

  /** Lies still (moored, at anchor) until `untilMs`, heading `courseDeg` (default: the last course). */
  stayUntil(untilMs: number, navStatus: number, courseDeg = this.course): this {
    if (!(untilMs > this.t)) {
      throw new RangeError(`TrackBuilder.stayUntil: ${untilMs} is not after ${this.t}.`);
    }
    this.course = courseDeg;
    this.segments.push({
      startMs: this.t,
      endMs: untilMs,
      from: this.p,
      to: this.p,
      distanceMeters: 0,
      courseDeg,
      navStatus,
    });
    this.t = untilMs;
    return this;
  }

  build(): Track {
    return new Track(this.segments);
  }

  private push(to: LatLon, meters: number, endMs: number, navStatus: number): this {
    const endRounded = Math.round(endMs);
    if (endRounded <= this.t) return this;
    const course = meters >= 1 ? initialBearingDeg(this.p, to) : this.course;
    this.segments.push({
      startMs: this.t,
      endMs: endRounded,
      from: this.p,
      to,
      distanceMeters: meters,
      courseDeg: course,
      navStatus,
    });
    this.t = endRounded;
    this.p = to;
    this.course = course;
    return this;
  }
}
