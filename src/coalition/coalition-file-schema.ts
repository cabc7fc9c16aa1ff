import { z } from 'zod';

/**
 * The syntax of one entry of each section of a coalition file (DESIGN.md §6; docs/coalition.md).
 * Each entry is checked on its own, so one bad entry does not hide the mistakes in the others;
 * what the values refer to (members, zones, outputs) is checked by parse-coalition.ts. Unknown
 * keys are errors: a typo (`too:`) must not silently release to the whole module.
 */

/** GeoJSON zone ids may be numbers (zones/parse-zones.ts); YAML reads `12` as one. */
const zoneId = z.union([z.string().min(1), z.number()]).transform(String);

export const memberEntrySchema = z.strictObject({
  name: z.string().min(1),
  parent: z.string().optional(),
  voting: z.boolean().optional(),
  /** `[]` would be a member that may see nothing: refused, leave `area` out for no limit. */
  area: z.array(zoneId).min(1).optional(),
});

export const moduleEntrySchema = z.strictObject({
  members: z.array(z.string()).min(1),
  outputs: z.array(z.string()).min(1).optional(),
});

export const releaseEntrySchema = z.strictObject({
  to: z.array(z.string()).optional(),
  inside: z.record(z.string(), z.array(z.string())).optional(),
});

export type MemberEntry = z.infer<typeof memberEntrySchema>;
export type ModuleEntry = z.infer<typeof moduleEntrySchema>;
export type ReleaseEntry = z.infer<typeof releaseEntrySchema>;

/** The top-level keys; every one but `members` may be left out. */
export const COALITION_FILE_KEYS = ['members', 'modules', 'release'] as const;
