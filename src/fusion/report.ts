import type { AisMessage } from '../ais/ais-message.js';
import { stateClass } from '../state/state-classes.js';
import type { SourceSet, SourceUnion } from './member-registry.js';

/** Static and voyage data of a report; each field undefined when not carried. */
export interface Voyage {
  readonly shipName: string | undefined;
  readonly callSign: string | undefined;
  readonly imo: number | undefined;
  readonly shipType: number | undefined;
  readonly toBow: number | undefined;
  readonly toStern: number | undefined;
  readonly toPort: number | undefined;
  readonly toStarboard: number | undefined;
  readonly draught: number | undefined;
  readonly destination: string | undefined;
}

/**
 * One AIS transmission as the core sees it: the decoded fields, when it was first heard (event
 * time), and every member feed and station that heard it (DESIGN.md §1 provenance). Duplicates
 * heard by other feeds are merged into the same report (dedupe), never dropped.
 */
export class Report {
  /** Event time: the earliest receive time among the feeds that heard it, epoch ms. */
  time: number;
  /** Members that heard it (a set interned in the core's MemberRegistry). */
  sourceSet: SourceSet;
  /** Event-time bucket the report waits in (EventTimeQueue), -1 once released. */
  queuedKey = -1;
  /** Stations that heard it (tag block `s:`, or the member id when the feed has none). */
  readonly stations: string[];
  readonly type: number;
  readonly mmsi: number;
  readonly payloadHash: number;
  readonly payloadCheck: number;
  // Kinematics (undefined when not carried or "not available").
  readonly lat: number | undefined;
  readonly lon: number | undefined;
  readonly sog: number | undefined;
  readonly cog: number | undefined;
  readonly heading: number | undefined;
  readonly navStatus: number | undefined;
  /**
   * Static and voyage data (types 5, 19, 21, 24); undefined for the other types. A separate
   * object so the position reports that make up almost all traffic stay small: every report
   * lives through the dedupe window, so its size is what the garbage collector copies.
   */
  readonly voyage: Voyage | undefined;

  constructor(m: AisMessage, time: number, member: SourceSet, station: string) {
    this.time = time;
    this.sourceSet = member;
    this.stations = [station];
    this.type = m.type;
    this.mmsi = m.mmsi;
    this.payloadHash = m.payloadHash;
    this.payloadCheck = m.payloadCheck;
    this.lat = m.lat;
    this.lon = m.lon;
    this.sog = m.sog;
    this.cog = m.cog;
    this.heading = m.heading;
    this.navStatus = m.navStatus;
    const type = m.type;
    this.voyage =
      type === 5 || type === 19 || type === 21 || type === 24
        ? {
            shipName: type === 21 ? m.name : m.shipName,
            callSign: m.callSign,
            imo: m.imo,
            shipType: m.shipType,
            toBow: m.toBow,
            toStern: m.toStern,
            toPort: m.toPort,
            toStarboard: m.toStarboard,
            draught: m.draught,
            destination: m.destination,
          }
        : undefined;
  }

  /** True when the report carries a usable position. */
  hasPosition(): boolean {
    return this.lat !== undefined && this.lon !== undefined;
  }

  /** Merges a duplicate heard by another feed or station: provenance only. */
  mergeDuplicate(other: Report, members: SourceUnion): void {
    if (other.time < this.time) this.time = other.time;
    this.sourceSet = members.union(this.sourceSet, other.sourceSet);
    for (const station of other.stations)
      if (!this.stations.includes(station)) this.stations.push(station);
  }
}
stateClass('Report', Report, { columnar: true, lists: ['stations'] });

/** Message types that report a vessel's position (class A, B, SAR, long range, AtoN, base). */
export function isPositionType(type: number): boolean {
  return type <= 3 || type === 9 || type === 18 || type === 19 || type === 27;
}
