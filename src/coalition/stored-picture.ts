import { createHash } from 'node:crypto';
import type { Coalition } from './coalition.js';
import type { PictureClass } from './picture-classes.js';

/**
 * What a picture stored in the history was computed from (issue 13, Postgres): its visible
 * contributors and, per contributor, the zones where it was withheld — each zone as a key
 * `<id>@<hash of its geometry>`, so that a moved boundary is another zone. A stored picture
 * outlives the policy it was written under: the next policy decides who may still see it
 * (pictureGrants), by this description alone.
 */
export interface StoredVisibility {
  /** [contributor, withheld zone keys (sorted)], sorted by contributor. */
  readonly visible: readonly (readonly [string, readonly string[]])[];
  /** SHA-256 (hex) of `visible`: equal keys, the same stored picture. */
  readonly key: string;
}

/** Hex digits of a zone geometry's hash in a zone key (48 bits: one coalition's zones). */
const ZONE_HASH_HEX_DIGITS = 12;

export function storedVisibility(coalition: Coalition, picture: PictureClass): StoredVisibility {
  const visible = picture.visible.map(
    (v) =>
      [v.contributor, v.withheldInside.map((zoneId) => zoneKey(coalition, zoneId)).sort()] as const,
  );
  const key = createHash('sha256').update(JSON.stringify(visible)).digest('hex');
  return { visible, key };
}

/**
 * A withheld zone's key: its id and its geometry's hash. Without zones (a policy loaded without
 * them) the id alone, which no key with a hash equals: such a picture is never taken for one
 * computed with zones.
 */
function zoneKey(coalition: Coalition, zoneId: string): string {
  const polygons = coalition.zoneAreas?.get(zoneId);
  if (polygons === undefined) return zoneId;
  const hash = createHash('sha256').update(JSON.stringify(polygons)).digest('hex');
  return `${zoneId}@${hash.slice(0, ZONE_HASH_HEX_DIGITS)}`;
}

/**
 * Whether an audience that sees `audience` may see everything in a picture computed from
 * `stored`: nothing in the picture may rest on a contribution the audience cannot see (DESIGN.md
 * §6). So every contributor of the stored picture must be visible to the audience, and wherever
 * the audience is withheld a contributor's reports, the stored picture must have been withheld
 * them too. An audience that sees more than the picture did keeps it.
 */
export function visibilityCovers(audience: StoredVisibility, stored: StoredVisibility): boolean {
  const seen = new Map(audience.visible);
  for (const [contributor, storedWithheld] of stored.visible) {
    const withheld = seen.get(contributor);
    if (withheld === undefined) return false;
    for (const zone of withheld) if (!storedWithheld.includes(zone)) return false;
  }
  return true;
}
