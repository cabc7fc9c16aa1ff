import { stateClass } from '../state/state-classes.js';
import { NO_SOURCES, type SourceSet } from './member-registry.js';

const NO_ZONES: readonly number[] = Object.freeze([]);

/**
 * The fused state of one vessel (one MMSI): latest kinematics and static data, provenance, the
 * zones it is in, and one slot per detector for that detector's own state. Kept small: the
 * whole track, slots included, stays well under 1 KB (issue 3).
 */
export class VesselTrack {
  readonly mmsi: number;
  // Latest accepted fix (NaN until the first one).
  lat = Number.NaN;
  lon = Number.NaN;
  sog: number | undefined = undefined;
  cog: number | undefined = undefined;
  heading: number | undefined = undefined;
  navStatus: number | undefined = undefined;
  /** Event time of the latest accepted fix, epoch ms (NaN before the first). */
  fixTime = Number.NaN;
  /** The fix before the latest one (for jump and kinematic checks). */
  previousLat = Number.NaN;
  previousLon = Number.NaN;
  previousFixTime = Number.NaN;
  /** Latest event time of any report of this vessel. */
  lastSeen = Number.NaN;
  firstSeen = Number.NaN;
  /** Members whose feeds heard this vessel (a set interned in the core's MemberRegistry). */
  sourceSet: SourceSet = NO_SOURCES;
  /** Members that heard the latest fix. */
  fixSourceSet: SourceSet = NO_SOURCES;
  /** Distinct position reports fused (duplicates across feeds count once; static data not). */
  reportCount = 0;
  /** AIS message type of the latest report. */
  lastType = 0;
  /**
   * An `identity_conflict` is open (DESIGN.md §3): the positions under this MMSI are two
   * vessels', not one. Set and cleared by that rule; the rules that compare consecutive fixes
   * (`position_jump`, the zone crossings) stay silent meanwhile, so a shared MMSI gives one alert
   * rather than a storm of jumps and crossings.
   */
  identityConflictOpen = false;
  // Static and voyage data.
  shipName: string | undefined = undefined;
  callSign: string | undefined = undefined;
  imo: number | undefined = undefined;
  shipType: number | undefined = undefined;
  toBow: number | undefined = undefined;
  toStern: number | undefined = undefined;
  toPort: number | undefined = undefined;
  toStarboard: number | undefined = undefined;
  draught: number | undefined = undefined;
  destination: string | undefined = undefined;
  /**
   * Indexes (ZoneIndex) of the zones the latest fix is in, ascending. Replaced, never changed in
   * place: a vessel in no zone shares one empty array (a few dozen bytes per vessel, issue 3).
   */
  zones: readonly number[] = NO_ZONES;
  /** Per-detector state, indexed by the detector's slot. */
  readonly slots: unknown[];

  constructor(mmsi: number, slotCount: number) {
    this.mmsi = mmsi;
    this.slots = new Array(slotCount).fill(undefined);
  }

  hasFix(): boolean {
    return !Number.isNaN(this.fixTime);
  }
}
stateClass('VesselTrack', VesselTrack);
