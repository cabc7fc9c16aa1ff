import type { Report } from '../fusion/report.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import { distanceMeters } from '../geo/geodesy.js';
import { stateClass } from '../state/state-classes.js';
import type { AlertRule } from './alert.js';
import type { AlertBook } from './alert-book.js';
import type { Detector, DetectorContext, DetectorFactory } from './detector.js';
import { type MmsiIdentity, mmsiIdentity } from './mid-table.js';

/** Why an identity is invalid: the alert's `detail.reason`. One alert per MMSI and reason. */
export const INVALID_IDENTITY_REASONS = [
  /** The MMSI has no ITU-R M.585 format (zero, ten digits, an unused prefix such as 1xx or 9xx). */
  'malformed',
  /** Its format carries a MID that the ITU has not allocated (e.g. 217, 999). */
  'unallocated_mid',
  /**
   * A valid identity of a station that does not report as a vessel: a group call address
   * (0MIDXXXXX, never a transmitter's own identity) on any report, or a coast station (00MIDXXXX)
   * sending vessel position or static reports. Typically a ship transponder configured with a
   * short MMSI (8 or 7 digits).
   */
  'not_a_vessel',
  /** An aid to navigation (a type 21 report, or a 99MIDXXXX MMSI) whose position moves. */
  'moving_aton',
] as const;

export type InvalidIdentityReason = (typeof INVALID_IDENTITY_REASONS)[number];

/** `invalid_identity` settings: the core's `invalidIdentity` section (DESIGN.md §3). */
export interface InvalidIdentityConfig {
  /** An aid-to-navigation MMSI reporting positions this far apart is moving. */
  readonly atonMinMoveMeters: number;
}

export const DEFAULT_INVALID_IDENTITY_CONFIG: InvalidIdentityConfig = { atonMinMoveMeters: 1000 };

/** Message types a vessel sends about itself (ITU-R M.1371: class A, class B, long range). */
function isVesselReport(type: number): boolean {
  return type <= 3 || type === 5 || type === 18 || type === 19 || type === 24 || type === 27;
}

/**
 * An AtoN's position must be this many consecutive reports away from its first one before it
 * counts as moving: one glitch is not a buoy adrift.
 */
const ATON_CONFIRM_REPORTS = 2;

/** Slot value of vessels whose identity is valid and that have sent no AtoN report. */
const VALID = 0;

/**
 * Per-vessel state, only for MMSIs that are invalid or send aid-to-navigation reports: the
 * verdict, which reasons were raised, and the AtoN's first position.
 */
class IdentityState {
  /** Bit per INVALID_IDENTITY_REASONS index: raised already. */
  raised = 0;
  /** Not yet raised because no position was known yet. */
  pending: InvalidIdentityReason | undefined;
  anchorLat = Number.NaN;
  anchorLon = Number.NaN;
  anchorTime = Number.NaN;
  /** Consecutive AtoN reports farther than the threshold from the anchor. */
  awayReports = 0;

  constructor(readonly identity: MmsiIdentity) {}
}
stateClass('invalid_identity.IdentityState', IdentityState);

/**
 * `invalid_identity` (DESIGN.md §3): an MMSI outside the ship ranges of ITU-R M.585, or an
 * aid-to-navigation MMSI that moves. Ships (MIDXXXXXX with an allocated MID) and the other
 * stations M.585 defines (SAR aircraft, SART/MOB/EPIRB, craft of a parent ship, AtoNs, handhelds)
 * are valid; see `mid-table.ts`. Instantaneous alerts, one per MMSI and reason (not one per
 * report), at the first report whose position is known (start = end = its time); an AtoN moves
 * (start = its first position's time, end = when the move is confirmed)
 * when `ATON_CONFIRM_REPORTS` consecutive positions lie more than
 * `invalidIdentity.atonMinMoveMeters` from its first one.
 */
export function invalidIdentityDetector(
  config: { readonly invalidIdentity: InvalidIdentityConfig } = {
    invalidIdentity: DEFAULT_INVALID_IDENTITY_CONFIG,
  },
): DetectorFactory {
  const atonMinMoveMeters = config.invalidIdentity.atonMinMoveMeters;
  const rule: AlertRule = {
    name: 'invalid_identity',
    version: 1,
    thresholds: { atonMinMoveMeters, atonConfirmReports: ATON_CONFIRM_REPORTS },
  };

  return (slot: number, context: DetectorContext): Detector => ({
    name: 'invalid_identity',
    onReport(track, report) {
      let state = track.slots[slot] as IdentityState | typeof VALID | undefined;
      if (state === VALID && report.type !== 21) return;
      if (state === undefined || state === VALID) {
        const identity = mmsiIdentity(track.mmsi);
        if (state === undefined && !needsState(identity, report.type)) {
          track.slots[slot] = VALID;
          return;
        }
        state = new IdentityState(identity);
        track.slots[slot] = state;
      }
      const alerts = context.alerts;
      const own = reportPosition(report);
      const position = own ?? (track.hasFix() ? ([track.lat, track.lon] as const) : undefined);
      const verdict = state.pending ?? judge(state.identity, report.type);
      if (verdict !== undefined && !isRaised(state, verdict)) {
        // No position yet (a static report first): raise at the first report that has one.
        state.pending = position === undefined ? verdict : undefined;
        if (position !== undefined)
          raise(alerts, rule, track, report, state, verdict, position, report.time, {});
      }
      if (own !== undefined && (report.type === 21 || state.identity.format === 'aton')) {
        watchAton(alerts, rule, track, report, state, own, atonMinMoveMeters);
      }
    },
  });
}

/**
 * Whether a vessel needs more than the VALID marker: an invalid identity, an AtoN, or a coast
 * station (valid until it sends a vessel report).
 */
function needsState(identity: MmsiIdentity, type: number): boolean {
  return (
    identity.format === 'aton' ||
    identity.format === 'coast' ||
    type === 21 ||
    judge(identity, type) !== undefined
  );
}

/** The reason an identity is invalid for a report of `type`, or undefined when it is valid. */
function judge(identity: MmsiIdentity, type: number): InvalidIdentityReason | undefined {
  if (identity.format === 'malformed') return 'malformed';
  if (identity.mid !== undefined && identity.country === undefined) return 'unallocated_mid';
  if (identity.format === 'group') return 'not_a_vessel';
  if (identity.format === 'coast' && isVesselReport(type)) return 'not_a_vessel';
  return undefined;
}

/** The report's own usable position (0,0 is "no position" in practice, as in the core). */
function reportPosition(report: Report): readonly [number, number] | undefined {
  const { lat, lon } = report;
  return lat !== undefined && lon !== undefined && !(lat === 0 && lon === 0)
    ? [lat, lon]
    : undefined;
}

function watchAton(
  alerts: AlertBook,
  rule: AlertRule,
  track: VesselTrack,
  report: Report,
  state: IdentityState,
  [lat, lon]: readonly [number, number],
  minMoveMeters: number,
): void {
  if (Number.isNaN(state.anchorTime)) {
    state.anchorLat = lat;
    state.anchorLon = lon;
    state.anchorTime = report.time;
    return;
  }
  const away = distanceMeters(state.anchorLat, state.anchorLon, lat, lon);
  if (away <= minMoveMeters) {
    state.awayReports = 0;
    return;
  }
  if (++state.awayReports < ATON_CONFIRM_REPORTS || isRaised(state, 'moving_aton')) return;
  // The event began at the AtoN's first position: it has been moving since (start = anchor time).
  raise(alerts, rule, track, report, state, 'moving_aton', [lat, lon], state.anchorTime, {
    anchorLat: state.anchorLat,
    anchorLon: state.anchorLon,
    anchorAt: new Date(state.anchorTime).toISOString(),
    movedMeters: Math.round(away),
  });
}

function isRaised(state: IdentityState, reason: InvalidIdentityReason): boolean {
  return (state.raised & (1 << INVALID_IDENTITY_REASONS.indexOf(reason))) !== 0;
}

function raise(
  alerts: AlertBook,
  rule: AlertRule,
  track: VesselTrack,
  report: Report,
  state: IdentityState,
  reason: InvalidIdentityReason,
  [lat, lon]: readonly [number, number],
  start: number,
  extra: Record<string, number | string>,
): void {
  state.raised |= 1 << INVALID_IDENTITY_REASONS.indexOf(reason);
  const { format, mid, country } = state.identity;
  const detail: Record<string, number | string | boolean> = {
    reason,
    // The nine digits as M.585 writes them (leading zeros of group and coast identities).
    mmsiDigits: String(track.mmsi).padStart(9, '0'),
    format,
    reportType: report.type,
    ...extra,
  };
  if (mid !== undefined) detail.mid = mid;
  if (country !== undefined) detail.country = country;
  alerts.raise({
    kind: 'invalid_identity',
    mmsi: track.mmsi,
    idKey: reason,
    start,
    end: report.time,
    lat,
    lon,
    sourceSet: report.sourceSet,
    rule,
    detail,
  });
}
