import type { Coalition } from '../../coalition/coalition.js';
import type { VesselTrack } from '../../fusion/vessel-track.js';
import type { ZoneIndex } from '../../zones/zone-index.js';
import { textArrayField } from './copy-binary.js';

/**
 * The `area_zones` of a history row (migrations/0004): the zones named in some member's `area`
 * that the row's position lies in. The member policy lets a member with an area see a row only
 * when one of its area zones is listed (DESIGN.md §6: "nothing positioned outside its area"),
 * decided at write time so that the policy is an array overlap, not a polygon test per row (and
 * works without PostGIS). A later policy with a new area zone does not see older rows in it: they
 * were not tested against that zone (the safe side); areas made of zones already named keep
 * working. Without a coalition or without areas: no zone is recorded and nothing is looked up.
 */
export class AreaZones {
  /** Per zone-index position: 1 when the zone is an area zone. */
  private readonly isArea: Uint8Array;
  private readonly any: boolean;
  private readonly scratch: number[] = [];
  private readonly ids: string[] = [];
  /** COPY fields by the joined zone ids. */
  private readonly fields = new Map<string, Buffer>();

  constructor(
    private readonly zones: ZoneIndex | undefined,
    coalition: Coalition | undefined,
  ) {
    const named = new Set(coalition?.members.flatMap((m) => m.area ?? []));
    this.isArea = Uint8Array.from(zones?.zones ?? [], (zone) => (named.has(zone.id) ? 1 : 0));
    this.any = this.isArea.includes(1);
  }

  /** The area zones at a position, sorted by zone index; undefined when none. */
  at(lon: number, lat: number): readonly string[] | undefined {
    if (!this.any || this.zones === undefined) return undefined;
    const count = this.zones.zonesAt(lon, lat, this.scratch);
    return this.collect(this.scratch, count);
  }

  /** The area zones of a track's fix (none before its first fix). */
  ofTrack(track: VesselTrack): readonly string[] | undefined {
    if (!this.any || !track.hasFix()) return undefined;
    return this.collect(track.zones, track.zones.length);
  }

  /** `at` as a binary COPY `text[]` field, or undefined for NULL. */
  copyFieldAt(lon: number, lat: number): Buffer | undefined {
    const ids = this.at(lon, lat);
    if (ids === undefined) return undefined;
    const key = ids.join('\n');
    let field = this.fields.get(key);
    if (field === undefined) {
      field = textArrayField(ids);
      this.fields.set(key, field);
    }
    return field;
  }

  private collect(indexes: readonly number[], count: number): readonly string[] | undefined {
    const ids = this.ids;
    ids.length = 0;
    for (let i = 0; i < count; i++) {
      const index = indexes[i]!;
      if (this.isArea[index] === 1) ids.push(this.zones!.zones[index]!.id);
    }
    return ids.length === 0 ? undefined : [...ids];
  }
}
