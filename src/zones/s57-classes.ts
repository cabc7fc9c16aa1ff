import type { ZoneKind } from './zone.js';

/**
 * The S-57 area classes Tidewatch reads from electronic navigational charts (NOAA ENC layers as
 * GDAL writes them: one file per cell and class, `US4FL34M_RESARE.geojson`, with `OBJL`,
 * `LNAM`, `OBJNAM` properties), and the zone kind each becomes. Codes and acronyms from the
 * IHO S-57 Object Catalogue (edition 3.1).
 */
export const S57_AREA_CLASSES = {
  ACHARE: { objl: 4, kind: 'port', label: 'Anchorage area' },
  ADMARE: { objl: 1, kind: 'custom', label: 'Administration area' },
  CONZNE: { objl: 31, kind: 'contiguous', label: 'Contiguous zone' },
  EXEZNE: { objl: 50, kind: 'eez', label: 'Exclusive economic zone' },
  FAIRWY: { objl: 51, kind: 'custom', label: 'Fairway' },
  PRCARE: { objl: 96, kind: 'custom', label: 'Precautionary area' },
  RESARE: { objl: 112, kind: 'restricted', label: 'Restricted area' },
  TESARE: { objl: 135, kind: 'territorial_sea', label: 'Territorial sea area' },
} as const satisfies Record<string, { objl: number; kind: ZoneKind; label: string }>;

export type S57AreaClass = keyof typeof S57_AREA_CLASSES;

const BY_ACRONYM = new Map<string, S57AreaClass>(
  Object.keys(S57_AREA_CLASSES).map((acronym) => [acronym, acronym as S57AreaClass]),
);
const BY_OBJL = new Map<number, S57AreaClass>(
  Object.entries(S57_AREA_CLASSES).map(([acronym, c]) => [c.objl, acronym as S57AreaClass]),
);

/**
 * The S-57 class of a feature: its `OBJL` code when it has one, else the file name's suffix
 * (`US5MIACC_TESARE.geojson` → TESARE). Undefined when neither names a class listed above.
 */
export function s57ClassOf(objl: unknown, fileStem: string): S57AreaClass | undefined {
  if (typeof objl === 'number') return BY_OBJL.get(objl);
  const underscore = fileStem.lastIndexOf('_');
  return BY_ACRONYM.get(fileStem.slice(underscore + 1).toUpperCase());
}
