/**
 * The unit conventions of the reference decodes: the `style` of a vector in
 * vectors/combined/ais_decode_vectors.jsonl, or gpsd 3.22's own output (vectors/gpsd-ref).
 * expected-fields.ts says what each one means.
 */
export const STYLE_KINDS = [
  'gpsd-unscaled',
  'gpsd-scaled',
  'gpsd-3.22-scaled',
  'libais-gpsd-json',
  'libais-native',
  'pyais',
] as const;

export type StyleKind = (typeof STYLE_KINDS)[number];

export interface ReferenceStyle {
  readonly kind: StyleKind;
  /** Decimal places the upstream test rounded a field to (pyais `; rounded: {...}`). */
  readonly rounded: Readonly<Record<string, number>>;
}

/** The style of the stored `gpsdecode -j` outputs in vectors/gpsd-ref. */
export const GPSD_322_STYLE: ReferenceStyle = { kind: 'gpsd-3.22-scaled', rounded: {} };

const STYLE_PREFIXES: ReadonlyArray<readonly [string, StyleKind]> = [
  ['gpsd-json (scaled=false', 'gpsd-unscaled'],
  ['gpsd-json scaled', 'gpsd-scaled'],
  ['gpsd-3.22 scaled', 'gpsd-3.22-scaled'],
  ['libais gpsd-compatible json', 'libais-gpsd-json'],
  ['libais native dict', 'libais-native'],
  ['pyais asdict', 'pyais'],
];

/** Reads the `style` string of a vector in vectors/combined/ais_decode_vectors.jsonl. */
export function parseStyle(style: string): ReferenceStyle {
  const match = STYLE_PREFIXES.find(([prefix]) => style.startsWith(prefix));
  if (match === undefined) throw new Error(`Unknown vector style: ${JSON.stringify(style)}.`);
  const roundedAt = style.indexOf('rounded:');
  if (roundedAt < 0) return { kind: match[1], rounded: {} };
  const parsed: unknown = JSON.parse(style.slice(roundedAt + 'rounded:'.length));
  const rounded: Record<string, number> = {};
  if (parsed !== null && typeof parsed === 'object') {
    for (const [key, places] of Object.entries(parsed)) {
      if (typeof places === 'number') rounded[key] = places;
    }
  }
  return { kind: match[1], rounded };
}
