import type { Audience } from '../coalition/audience.js';
import { outputReaches } from '../coalition/audience-filter.js';
import type { Coalition } from '../coalition/coalition.js';
import type { CoalitionOutput } from '../coalition/coalition-output.js';
import type { PictureClasses } from '../coalition/picture-classes.js';
import type { Alert } from '../detect/alert.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';

/** A member's audience in the module that delivers it an output, and that audience's picture. */
export type MemberAudience = Audience & { readonly picture: number };

/** One member receiving one output of a picture. */
export interface MemberRoute {
  readonly member: string;
  readonly audience: MemberAudience;
}

/**
 * Who receives what from the pictures (DESIGN.md §6), decided per output: every output comes to a
 * member from the one module that delivers it to that member (the loader refuses two,
 * `output_overlap`), then is narrowed by audience-filter.ts — the module's outputs, the member's
 * `area` (a track by its fix, none before its first fix; an alert by its lat/lon) and private
 * zones. `replay --coalition` (member-delivery.ts) and the worker's per-member topics
 * (worker-output.ts) both ask here, so a member's files and its topics cannot disagree.
 */
export class MemberRoutes {
  /** Per member id: each output it receives, from which audience. */
  private readonly byMember = new Map<string, Map<CoalitionOutput, MemberAudience>>();
  /** Per picture: the members receiving its tracks. */
  private readonly tracksOf: MemberRoute[][];
  /** Per picture, per alert kind: the members receiving it. */
  private readonly alertsOf: Map<CoalitionOutput, MemberRoute[]>[];
  private readonly scratch: number[] = [];

  constructor(
    private readonly coalition: Coalition,
    pictures: PictureClasses,
    private readonly zones: ZoneIndex | undefined,
  ) {
    this.tracksOf = pictures.classes.map(() => []);
    this.alertsOf = pictures.classes.map(() => new Map());
    for (const { id } of coalition.members) this.byMember.set(id, new Map());
    for (const audience of pictures.audiences) {
      const module = coalition.modules.find((m) => m.name === audience.module)!;
      const sources = this.byMember.get(audience.member)!;
      for (const output of module.outputs) {
        sources.set(output, audience);
        const route = { member: audience.member, audience };
        if (output === 'tracks') {
          this.tracksOf[audience.picture]!.push(route);
        } else {
          const byKind = this.alertsOf[audience.picture]!;
          let routes = byKind.get(output);
          if (routes === undefined) {
            routes = [];
            byKind.set(output, routes);
          }
          routes.push(route);
        }
      }
    }
  }

  /** Each output `member` receives, from which audience (empty for a member in no module). */
  sourcesOf(member: string): ReadonlyMap<CoalitionOutput, MemberAudience> {
    return this.byMember.get(member) ?? new Map();
  }

  /** The members receiving picture `picture`'s tracks (before their area). */
  trackRoutes(picture: number): readonly MemberRoute[] {
    return this.tracksOf[picture]!;
  }

  /** The members receiving picture `picture`'s alerts of `kind` (before area and private zones). */
  alertRoutes(picture: number, kind: CoalitionOutput): readonly MemberRoute[] {
    return this.alertsOf[picture]!.get(kind) ?? NO_ROUTES;
  }

  /** Whether a track of the audience's picture reaches it: its fix's zones against `area`. */
  trackReaches(audience: Audience, track: VesselTrack): boolean {
    // A track's zones are those of its fix; before its first fix it is nowhere.
    const at = new Set<string>();
    const zones = this.zones;
    if (track.hasFix() && zones !== undefined) {
      for (const i of track.zones) at.add(zones.zones[i]!.id);
    }
    return outputReaches(this.coalition, audience, {
      kind: 'tracks',
      zoneId: undefined,
      zonesAtPosition: at,
    });
  }

  /** Whether an alert of the audience's picture reaches it: area by lat/lon, private zones. */
  alertReaches(audience: Audience, alert: Alert): boolean {
    return outputReaches(this.coalition, audience, {
      kind: alert.kind,
      zoneId: alert.zoneId,
      zonesAtPosition: this.zoneIdsAt(alert.lon, alert.lat),
    });
  }

  private zoneIdsAt(lon: number, lat: number): Set<string> {
    const ids = new Set<string>();
    const zones = this.zones;
    if (zones === undefined) return ids;
    const count = zones.zonesAt(lon, lat, this.scratch);
    for (let i = 0; i < count; i++) ids.add(zones.zones[this.scratch[i]!]!.id);
    return ids;
  }
}

const NO_ROUTES: readonly MemberRoute[] = [];
