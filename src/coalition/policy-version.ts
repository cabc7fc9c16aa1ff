import { createHash } from 'node:crypto';
import type { Coalition } from './coalition.js';
import { type PictureClasses, pictureClasses } from './picture-classes.js';

/** Hex digits kept of the SHA-256: 64 bits, no collision among a coalition's policy versions. */
const VERSION_HEX_DIGITS = 16;

/**
 * The version of a coalition policy (DESIGN.md §6: every alert and track carries it): a hash of
 * what the policy decides, not of how the file spells it. Per audience — member, outputs, area,
 * and every contributor it sees with the zones where it does not — then the private zones and
 * the areas of the zones named there. Reordered keys, a `to` spelled out as the whole module,
 * an inside rule that withholds from nobody, a renamed module or member name, `voting`: same
 * version, same pictures. Anything that changes what some member receives: a new version, and
 * the history computed under the old one is stale.
 *
 * A policy loaded without zones hashes zone ids only, so its version differs from the same file
 * loaded with its zones; the pipeline always has them.
 */
export function policyVersion(
  coalition: Coalition,
  { classes, audiences }: PictureClasses = pictureClasses(coalition),
): string {
  const zonesNamed = new Set<string>();
  const perAudience = audiences.map(({ module, member, picture }) => {
    const outputs = coalition.modules.find((m) => m.name === module)!.outputs;
    const area = coalition.members.find((m) => m.id === member)!.area ?? null;
    const visible = classes[picture]!.visible.map((v) => [v.contributor, v.withheldInside]);
    for (const zoneId of area ?? []) zonesNamed.add(zoneId);
    for (const v of classes[picture]!.visible) for (const z of v.withheldInside) zonesNamed.add(z);
    return [member, outputs, area, visible] as const;
  });
  perAudience.sort((a, b) => compare(JSON.stringify(a), JSON.stringify(b)));
  const zoneAreas =
    coalition.zoneAreas === undefined
      ? null
      : [...zonesNamed].sort().map((id) => [id, coalition.zoneAreas?.get(id) ?? null]);
  const canonical = {
    format: 1,
    audiences: perAudience,
    privateZones: coalition.privateZones.map((zone) => [zone.id, zone.members]),
    zoneAreas,
  };
  return createHash('sha256')
    .update(JSON.stringify(canonical))
    .digest('hex')
    .slice(0, VERSION_HEX_DIGITS);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
