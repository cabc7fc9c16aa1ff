import { hasBit, setBit, wordsFor } from './bitset.js';
import type { Coalition } from './coalition.js';
import type { PictureClasses } from './picture-classes.js';

/**
 * Which pictures a contribution feeds, as a table lookup for the hot path (DESIGN.md §6: one
 * computation per distinct picture, picture-classes.ts). Built once per policy from the rules;
 * per report it costs a copy and an AND-NOT per release zone the report lies in, no rule walk:
 *
 *   pictures(contributor, position) = everywhere[contributor] & ~withheld[contributor][z]
 *                                     for every release zone z containing the position
 *
 * `everywhere[c]` holds the pictures that see c's contributions at least somewhere;
 * `withheld[c][z]` the pictures an `inside` rule of c shuts out inside zone z. Release zones are
 * the zones some rule withholds in; the caller finds the ones containing a report (its zone
 * index, `zoneLookup`). Masks are Uint32Array words over picture indices (bitset.ts), so any
 * number of members and pictures fits. Size: contributors × (1 + release zones) × words × 4 B —
 * 128 members, 200 pictures (7 words), 50 release zones: 180 KB.
 */
export class ReleaseTable {
  readonly pictureCount: number;
  /** Words of one mask: the length `picturesFor`'s `out` needs. */
  readonly wordsPerMask: number;
  /** Member ids in contributor index order (coalition.members order). */
  readonly contributors: readonly string[];
  /** Zone ids in release zone index order (sorted). */
  readonly releaseZoneIds: readonly string[];
  private readonly contributorIndexById: ReadonlyMap<string, number>;
  private readonly releaseZoneIndexById: ReadonlyMap<string, number>;
  /** [contributor][word] */
  private readonly everywhere: Uint32Array;
  /** [contributor][release zone][word] */
  private readonly withheld: Uint32Array;

  constructor(coalition: Coalition, pictures: PictureClasses) {
    this.pictureCount = pictures.classes.length;
    this.wordsPerMask = wordsFor(this.pictureCount);
    this.contributors = coalition.members.map((m) => m.id);
    this.contributorIndexById = new Map(this.contributors.map((id, i) => [id, i]));
    const zoneIds = new Set<string>();
    for (const picture of pictures.classes) {
      for (const v of picture.visible) for (const zoneId of v.withheldInside) zoneIds.add(zoneId);
    }
    this.releaseZoneIds = [...zoneIds].sort();
    this.releaseZoneIndexById = new Map(this.releaseZoneIds.map((id, i) => [id, i]));

    const words = this.wordsPerMask;
    const zoneCount = this.releaseZoneIds.length;
    this.everywhere = new Uint32Array(this.contributors.length * words);
    this.withheld = new Uint32Array(this.contributors.length * zoneCount * words);
    for (const picture of pictures.classes) {
      for (const { contributor, withheldInside } of picture.visible) {
        const c = this.contributorIndexById.get(contributor)!;
        setBit(this.everywhere, picture.index, c * words);
        for (const zoneId of withheldInside) {
          const z = this.releaseZoneIndexById.get(zoneId)!;
          setBit(this.withheld, picture.index, (c * zoneCount + z) * words);
        }
      }
    }
  }

  /** The contributor index of a member id, or -1 (a feed of no member feeds no picture). */
  contributorIndex(memberId: string): number {
    return this.contributorIndexById.get(memberId) ?? -1;
  }

  /** The release zone index of a zone id, or -1 when no rule withholds anything there. */
  releaseZoneIndex(zoneId: string): number {
    return this.releaseZoneIndexById.get(zoneId) ?? -1;
  }

  /**
   * Release zone index per zone of a zone list (ZoneIndex.zones, by `Zone.index`), -1 for zones
   * no rule names: built once, it turns a report's zone lookup into `picturesFor`'s input.
   */
  zoneLookup(zones: readonly { readonly id: string }[]): Int32Array {
    const lookup = new Int32Array(zones.length);
    zones.forEach((zone, i) => {
      lookup[i] = this.releaseZoneIndex(zone.id);
    });
    return lookup;
  }

  /** A mask for `picturesFor` to fill; allocate once and reuse. */
  newMask(): Uint32Array {
    return new Uint32Array(this.wordsPerMask);
  }

  /**
   * Writes into `out` the pictures fed by a contribution of `contributor` positioned inside the
   * release zones `insideZones[0 .. insideCount)` (entries below 0 are skipped, so a zone
   * lookup's result can be passed as it is). Returns `out`.
   */
  picturesFor(
    contributor: number,
    insideZones: ArrayLike<number>,
    insideCount: number,
    out: Uint32Array,
  ): Uint32Array {
    const words = this.wordsPerMask;
    if (out.length < words) {
      throw new RangeError(
        `ReleaseTable.picturesFor: out has ${out.length} words, needs ${words}.`,
      );
    }
    if (contributor < 0 || contributor >= this.contributors.length) {
      out.fill(0, 0, words);
      return out;
    }
    const zoneCount = this.releaseZoneIds.length;
    const base = contributor * words;
    for (let i = 0; i < words; i++) out[i] = this.everywhere[base + i]!;
    for (let j = 0; j < insideCount; j++) {
      const z = insideZones[j]!;
      if (z < 0 || z >= zoneCount) continue;
      const row = (contributor * zoneCount + z) * words;
      for (let i = 0; i < words; i++) out[i] = out[i]! & ~this.withheld[row + i]!;
    }
    return out;
  }

  /** Whether picture `picture` is in a mask `picturesFor` filled. */
  feeds(mask: Uint32Array, picture: number): boolean {
    return hasBit(mask, picture);
  }
}
