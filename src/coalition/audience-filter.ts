import type { Audience } from './audience.js';
import type { Coalition } from './coalition.js';
import type { CoalitionOutput } from './coalition-output.js';

/** One track or alert leaving a picture, described by what decides who may receive it. */
export interface PictureOutput {
  readonly kind: CoalitionOutput;
  /** The alert's zone (zone kinds, DESIGN.md §2.4); undefined for tracks and other alerts. */
  readonly zoneId: string | undefined;
  /** Ids of the zones its position (the track's fix, the alert's lat/lon) lies in. */
  readonly zonesAtPosition: ReadonlySet<string>;
}

/**
 * Whether an output of the audience's picture reaches it (DESIGN.md §6). The picture itself is
 * computed from the contributions visible to the audience (release.ts); this gate is applied
 * afterwards, so it narrows what is delivered, never what is fused:
 * - the audience's module must deliver that output;
 * - `area`: its position must lie in one of the member's area zones (any one of them);
 * - a private zone's alerts (a zone with `members`) reach only those members.
 */
export function outputReaches(
  coalition: Coalition,
  audience: Audience,
  output: PictureOutput,
): boolean {
  const module = coalition.modules.find((m) => m.name === audience.module);
  if (module === undefined || !module.outputs.includes(output.kind)) return false;
  if (!insideArea(coalition, audience.member, output.zonesAtPosition)) return false;
  return output.zoneId === undefined || zoneSharedWith(coalition, output.zoneId, audience.member);
}

/** Whether a position inside `zonesAtPosition` lies within the member's `area` (no area: always). */
export function insideArea(
  coalition: Coalition,
  member: string,
  zonesAtPosition: ReadonlySet<string>,
): boolean {
  const area = coalition.members.find((m) => m.id === member)?.area;
  return area === undefined || area.some((zoneId) => zonesAtPosition.has(zoneId));
}

/** Whether `member` may be told about zone `zoneId`: every zone but another set's private one. */
export function zoneSharedWith(coalition: Coalition, zoneId: string, member: string): boolean {
  const zone = coalition.privateZones.find((z) => z.id === zoneId);
  return zone === undefined || zone.members.includes(member);
}
