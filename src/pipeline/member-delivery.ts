import type { Coalition } from '../coalition/coalition.js';
import type { CoalitionOutput } from '../coalition/coalition-output.js';
import type { PictureClasses } from '../coalition/picture-classes.js';
import type { Alert } from '../detect/alert.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';
import { type MemberAudience, MemberRoutes } from './member-routes.js';

/** One picture's final state, as `replay` leaves it (coalition-replay.ts). */
export interface PictureState {
  readonly alerts: readonly Alert[];
  readonly tracks: readonly VesselTrack[];
}

/** What one member receives (DESIGN.md §6, `DIR/<member>/`): tracks and alerts, filtered. */
export interface MemberPicture {
  readonly member: string;
  /** The audience whose picture each output comes from; absent: the member does not receive it. */
  readonly sources: ReadonlyMap<CoalitionOutput, MemberAudience>;
  /** By MMSI. */
  readonly tracks: VesselTrack[];
  /** The picture the tracks come from (to resolve their sources and zones); -1 without tracks. */
  readonly trackPicture: number;
  /** By start time then id. */
  readonly alerts: Alert[];
}

/**
 * What each member receives from the pictures (DESIGN.md §6): each picture's final tracks and
 * alerts, per output through `MemberRoutes` — the one decision the worker's per-member topics
 * take too. By member id.
 */
export function deliverToMembers(
  coalition: Coalition,
  pictures: PictureClasses,
  states: readonly PictureState[],
  zones: ZoneIndex | undefined,
): MemberPicture[] {
  const routes = new MemberRoutes(coalition, pictures, zones);
  return coalition.members.map(({ id: member }) => {
    const sources = routes.sourcesOf(member);
    const tracksFrom = sources.get('tracks');
    const tracks =
      tracksFrom === undefined
        ? []
        : states[tracksFrom.picture]!.tracks.filter((track) =>
            routes.trackReaches(tracksFrom, track),
          );
    const alerts: Alert[] = [];
    for (const [output, audience] of sources) {
      if (output === 'tracks') continue;
      for (const alert of states[audience.picture]!.alerts) {
        if (alert.kind === output && routes.alertReaches(audience, alert)) alerts.push(alert);
      }
    }
    alerts.sort((a, b) => a.start - b.start || (a.id < b.id ? -1 : 1));
    return {
      member,
      sources,
      tracks,
      trackPicture: tracksFrom?.picture ?? -1,
      alerts,
    };
  });
}
