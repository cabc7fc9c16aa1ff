import type { LatLon } from '../geo/geodesy.js';
import type { VesselIdentity } from './identity.js';
import type { Track } from './track.js';

/** Everything the simulator needs to make one AIS unit transmit: who, where, and its quirks. */
export interface VesselPlan {
  /** Unique in the scenario (two plans share an MMSI in an identity conflict). */
  readonly id: string;
  /** What the unit does in the scenario: `transit`, `moored`, `rendezvous`, `dark-gap`, ... */
  readonly role: string;
  readonly identity: VesselIdentity;
  readonly track: Track;
  /** The unit transmits only in [activeFromMs, activeUntilMs); default: the whole scenario. */
  readonly activeFromMs?: number;
  readonly activeUntilMs?: number;
  /** The transponder is switched off in each [startMs, endMs). */
  readonly silences?: readonly { readonly startMs: number; readonly endMs: number }[];
  /**
   * The first position report at or after `atMs` carries a position `distanceMeters` off on
   * `bearingDeg` (a GNSS glitch); it is received by every live station in range.
   */
  readonly displacement?: {
    readonly atMs: number;
    readonly bearingDeg: number;
    readonly distanceMeters: number;
  };
  /** False for plans whose zone crossings must not be labelled (a shared MMSI). */
  readonly zoneLabels?: boolean;
}

/** What happened to a plan's transmissions: the ground truth the labels are computed from. */
export interface VesselLog {
  readonly plan: VesselPlan;
  /** Transmit times (ms) of position reports decoded by at least one station, ascending. */
  readonly fixTimesMs: number[];
  /** The positions those reports carry (GNSS noise, displacement, 1/10 000 minute steps). */
  readonly fixPositions: LatLon[];
  /** Members whose feeds carry at least one decodable message of this unit. */
  readonly sources: Set<string>;
  /** Static messages (types 5, 24) decoded by at least one station. */
  staticReports: number;
  /** Messages the unit sent (heard or not). */
  transmissions: number;
  /** Messages heard by stations of two or more members (cross-feed duplicates). */
  crossMemberDuplicates: number;
  /** When and where the displaced report went out, if the plan has a displacement. */
  displaced?: { readonly atMs: number; readonly lat: number; readonly lon: number };
}
