import type { Audience } from '../coalition/audience.js';
import { outputReaches } from '../coalition/audience-filter.js';
import type { Coalition } from '../coalition/coalition.js';
import type { CoalitionOutput } from '../coalition/coalition-output.js';
import type { PictureClasses } from '../coalition/picture-classes.js';
import type { Alert } from '../detect/alert.js';
import type { VesselTrack } from '../fusion/vessel-track.js';
import type { ZoneIndex } from '../zones/zone-index.js';

/** One picture's final state, as `replay` leaves it (coalition-replay.ts). */
export interface PictureState {
  readonly alerts: readonly Alert[];
  readonly tracks: readonly VesselTrack[];
}

/** What one member receives (DESIGN.md §6, `DIR/<member>/`): tracks and alerts, filtered. */
export interface MemberPicture {
  readonly member: string;
  /** The audience whose picture each output comes from; absent: the member does not receive it. */
  readonly sources: ReadonlyMap<CoalitionOutput, Audience & { readonly picture: number }>;
  /** By MMSI. */
  readonly tracks: VesselTrack[];
  /** The picture the tracks come from (to resolve their sources and zones); -1 without tracks. */
  readonly trackPicture: number;
  /** By start time then id. */
  readonly alerts: Alert[];
}

/**
 * What each member receives from the pictures (DESIGN.md §6): every output from the one module
 * that delivers it to that member (the loader refuses two, `output_overlap`), then narrowed by
 * audience-filter.ts — the module's outputs, the member's `area` (a track by its fix, none before
 * its first fix; an alert by its lat/lon) and private zones. By member id.
 */
export function deliverToMembers(
  coalition: Coalition,
  pictures: PictureClasses,
  states: readonly PictureState[],
  zones: ZoneIndex | undefined,
): MemberPicture[] {
  const scratch: number[] = [];
  const zoneIdsAt = (lon: number, lat: number): Set<string> => {
    if (zones === undefined) return new Set();
    const count = zones.zonesAt(lon, lat, scratch);
    const ids = new Set<string>();
    for (let i = 0; i < count; i++) ids.add(zones.zones[scratch[i]!]!.id);
    return ids;
  };
  return coalition.members.map(({ id: member }) => {
    const sources = new Map<CoalitionOutput, Audience & { picture: number }>();
    for (const audience of pictures.audiences) {
      if (audience.member !== member) continue;
      const module = coalition.modules.find((m) => m.name === audience.module)!;
      for (const output of module.outputs) sources.set(output, audience);
    }
    const tracksFrom = sources.get('tracks');
    const tracks =
      tracksFrom === undefined
        ? []
        : states[tracksFrom.picture]!.tracks.filter((track) => {
            // A track's zones are those of its fix; before its first fix it is nowhere.
            const at = new Set<string>();
            if (track.hasFix() && zones !== undefined) {
              for (const i of track.zones) at.add(zones.zones[i]!.id);
            }
            return outputReaches(coalition, tracksFrom, {
              kind: 'tracks',
              zoneId: undefined,
              zonesAtPosition: at,
            });
          });
    const alerts: Alert[] = [];
    for (const [output, audience] of sources) {
      if (output === 'tracks') continue;
      for (const alert of states[audience.picture]!.alerts) {
        if (alert.kind !== output) continue;
        const reaches = outputReaches(coalition, audience, {
          kind: output,
          zoneId: alert.zoneId,
          zonesAtPosition: zoneIdsAt(alert.lon, alert.lat),
        });
        if (reaches) alerts.push(alert);
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
