import { basename } from 'node:path';
import { S57_AREA_CLASSES, s57ClassOf } from './s57-classes.js';
import type { LonLat, Zone, ZoneKind, ZonePolygon, ZoneRing } from './zone.js';
import { bboxOf, isZoneKind, ZONE_KINDS } from './zone.js';
import { ZoneError, type ZoneErrorCode } from './zone-error.js';

/**
 * How to read the features of one file that are not in Tidewatch's own format (DESIGN.md §3:
 * properties `id`, `name`, `kind`, `members`).
 */
export interface ZoneFileOptions {
  /** Kind of every feature of the file, in place of its `kind` property or S-57 class. */
  readonly kind?: ZoneKind;
  /** Property holding the zone id (default `id`, then the S-57 `LNAM`, then `<file stem>#<n>`). */
  readonly idProperty?: string;
  /** Property holding the zone name (default `name`, then the S-57 `OBJNAM`, then the id). */
  readonly nameProperty?: string;
}

export interface ParseZonesOptions {
  /**
   * Per-file options, keyed by the file's name (`eez_aust_mainland_pl.geojson`), its stem
   * (`eez_aust_mainland_pl`) or the exact path or source name given.
   */
  readonly files?: Readonly<Record<string, ZoneFileOptions>>;
}

/** A feature that was skipped rather than refused: it has no area to test points against. */
export interface ZoneWarning {
  readonly source: string;
  readonly feature: number;
  readonly reason: 'no_geometry' | 'not_polygon' | 'empty_geometry';
  readonly message: string;
}

export interface ZoneSet {
  /** In file order, then feature order; `zones[i].index === i`. */
  readonly zones: readonly Zone[];
  readonly warnings: readonly ZoneWarning[];
}

/**
 * Parses one GeoJSON document (already JSON-parsed) into zones. `sourceName` names it in errors
 * and warnings, and its stem selects the per-file options and the S-57 class of ENC layers.
 */
export function parseZoneCollection(
  json: unknown,
  sourceName: string,
  options: ParseZonesOptions = {},
): ZoneSet {
  const collector = new ZoneCollector(options);
  collector.add(json, sourceName);
  return collector.result();
}

const STEM_SUFFIX = /\.(geo)?json(\.gz)?$|\.gz$/i;

/**
 * Accumulates the zones of several GeoJSON documents (already JSON-parsed) into one zone set,
 * checking ids across all of them: `add` each in turn, then take the `result`. Throws a ZoneError
 * naming the source, the feature and the bad value; features without a polygon area are skipped
 * and listed in `warnings`.
 */
export class ZoneCollector {
  private readonly zones: Zone[] = [];
  private readonly warnings: ZoneWarning[] = [];
  /** Zone id → where it was first seen, for the duplicate message. */
  private readonly seen = new Map<string, string>();

  constructor(private readonly options: ParseZonesOptions = {}) {}

  result(): ZoneSet {
    return { zones: this.zones, warnings: this.warnings };
  }

  add(json: unknown, source: string): void {
    const fileName = basename(source);
    const stem = fileName.replace(STEM_SUFFIX, '');
    const files = this.options.files ?? {};
    const fileOptions: ZoneFileOptions = files[source] ?? files[fileName] ?? files[stem] ?? {};
    if (fileOptions.kind !== undefined && !isZoneKind(fileOptions.kind)) {
      throw new ZoneError(
        'kind',
        source,
        undefined,
        `option kind ${JSON.stringify(fileOptions.kind)} is not one of ${ZONE_KINDS.join(', ')}`,
      );
    }

    if (!isObject(json)) {
      throw new ZoneError(
        'structure',
        source,
        undefined,
        `expected a GeoJSON object, got ${describe(json)}`,
      );
    }
    if (json.type === 'FeatureCollection') {
      if (!Array.isArray(json.features)) {
        throw new ZoneError(
          'structure',
          source,
          undefined,
          `"features" is ${describe(json.features)}, expected an array`,
        );
      }
      json.features.forEach((feature: unknown, i: number) => {
        this.addFeature(feature, i, source, stem, fileOptions);
      });
    } else if (json.type === 'Feature') {
      this.addFeature(json, 0, source, stem, fileOptions);
    } else {
      throw new ZoneError(
        'structure',
        source,
        undefined,
        `type ${JSON.stringify(json.type)}: expected a FeatureCollection or a Feature`,
      );
    }
  }

  private addFeature(
    feature: unknown,
    at: number,
    source: string,
    stem: string,
    fileOptions: ZoneFileOptions,
  ): void {
    const error = (code: ZoneErrorCode, message: string): ZoneError =>
      new ZoneError(code, source, at, message);
    if (!isObject(feature) || feature.type !== 'Feature') {
      throw error('structure', `expected a GeoJSON Feature, got ${describe(feature)}`);
    }
    const props = feature.properties ?? {};
    if (!isObject(props)) throw error('structure', `properties is ${describe(props)}`);

    // Kind: the file option, else Tidewatch's `kind`, else the S-57 class of an ENC layer.
    const s57 = s57ClassOf(props.OBJL, stem);
    let kind: ZoneKind;
    let ownFormat = false;
    if (fileOptions.kind !== undefined) {
      kind = fileOptions.kind;
    } else if (props.kind !== undefined) {
      if (!isZoneKind(props.kind)) {
        throw error(
          'kind',
          `unknown kind ${JSON.stringify(props.kind)} (expected one of ${ZONE_KINDS.join(', ')})`,
        );
      }
      kind = props.kind;
      ownFormat = true;
    } else if (s57 !== undefined) {
      kind = S57_AREA_CLASSES[s57].kind;
    } else {
      const objl =
        props.OBJL === undefined
          ? ''
          : ` and S-57 class OBJL ${JSON.stringify(props.OBJL)} has no zone kind`;
      throw error(
        'kind',
        `no kind property${objl}; give the feature a kind (${ZONE_KINDS.join(', ')}) or the file a kind option`,
      );
    }

    // Id: Tidewatch's `id` (or the option's property, or the Feature's own id), else inferred.
    const idProperty = fileOptions.idProperty ?? 'id';
    const rawId = props[idProperty] ?? feature.id;
    let id: string;
    if (rawId !== undefined && rawId !== null) {
      if ((typeof rawId !== 'string' && typeof rawId !== 'number') || rawId === '') {
        throw error('id', `${idProperty} ${describe(rawId)} is not a non-empty string or a number`);
      }
      id = String(rawId);
    } else if (ownFormat) {
      throw error('id', `missing id (a feature with a kind property needs an id property)`);
    } else if (s57 !== undefined && typeof props.LNAM === 'string' && props.LNAM !== '') {
      id = props.LNAM; // S-57 long name: agency + feature id + subdivision, unique per object
    } else {
      id = `${stem}#${at}`;
    }
    const label = `id ${JSON.stringify(id)}`;
    const first = this.seen.get(id);
    if (first !== undefined)
      throw error('duplicate_id', `duplicate zone ${label} (first in ${first})`);

    const nameProperty = fileOptions.nameProperty ?? 'name';
    const rawName = props[nameProperty] ?? (s57 !== undefined ? props.OBJNAM : undefined);
    if (rawName !== undefined && rawName !== null && typeof rawName !== 'string') {
      throw error('property', `${label}: ${nameProperty} ${describe(rawName)} is not a string`);
    }
    const name =
      typeof rawName === 'string' && rawName !== ''
        ? rawName
        : s57 !== undefined
          ? `${S57_AREA_CLASSES[s57].label} ${id}`
          : id;

    let members: readonly string[] | undefined;
    if (props.members !== undefined && props.members !== null) {
      const m = props.members;
      if (!Array.isArray(m) || m.some((member) => typeof member !== 'string' || member === '')) {
        throw error(
          'property',
          `${label}: members ${describe(m)} is not an array of non-empty strings`,
        );
      }
      members = Object.freeze([...(m as string[])]);
    }

    const geometry = feature.geometry;
    const warn = (reason: ZoneWarning['reason'], message: string): void => {
      this.warnings.push({
        source,
        feature: at,
        reason,
        message: `${source}: feature ${at} (${label}): ${message}`,
      });
    };
    if (geometry === null || geometry === undefined) {
      warn('no_geometry', 'no geometry, skipped');
      return;
    }
    if (!isObject(geometry))
      throw error('structure', `${label}: geometry is ${describe(geometry)}`);
    const g = geometry;
    if (g.type !== 'Polygon' && g.type !== 'MultiPolygon') {
      warn('not_polygon', `geometry ${JSON.stringify(g.type)} is not an area, skipped`);
      return;
    }
    const where = (path: string): string => `${label}: ${g.type} coordinates${path}`;
    if (!Array.isArray(g.coordinates))
      throw error('coordinates', `${where('')} is ${describe(g.coordinates)}, expected an array`);
    const coordinates = g.coordinates as unknown[];
    if (coordinates.length === 0) {
      warn('empty_geometry', `empty ${g.type}, skipped`);
      return;
    }
    const polygons: ZonePolygon[] =
      g.type === 'Polygon'
        ? [checkPolygon(coordinates, '', where, error)]
        : coordinates.map((polygon, p) => {
            if (!Array.isArray(polygon) || polygon.length === 0) {
              throw error(
                'coordinates',
                `${where(`[${p}]`)} is ${describe(polygon)}, expected an array of rings`,
              );
            }
            return checkPolygon(polygon as unknown[], `[${p}]`, where, error);
          });

    this.seen.set(id, `${source} feature ${at}`);
    this.zones.push({
      index: this.zones.length,
      id,
      name,
      kind,
      members,
      bbox: bboxOf(polygons),
      polygons,
    });
  }
}

type MakeError = (code: 'coordinates', message: string) => ZoneError;

/** One polygon: an array of closed rings (RFC 7946 §3.1.6), the first the outer ring. */
function checkPolygon(
  rings: unknown[],
  path: string,
  where: (path: string) => string,
  error: MakeError,
): ZonePolygon {
  if (rings.length === 0) throw error('coordinates', `${where(path)} has no rings`);
  return rings.map((ring, r): ZoneRing => {
    const at = `${path}[${r}]`;
    if (!Array.isArray(ring) || ring.length < 4) {
      throw error(
        'coordinates',
        `${where(at)} is ${describe(ring)}: a ring needs at least 4 positions`,
      );
    }
    const positions = (ring as unknown[]).map((position, i): LonLat => {
      if (
        !Array.isArray(position) ||
        position.length < 2 ||
        typeof position[0] !== 'number' ||
        typeof position[1] !== 'number' ||
        !Number.isFinite(position[0]) ||
        !Number.isFinite(position[1])
      ) {
        throw error(
          'coordinates',
          `${where(`${at}[${i}]`)} is ${describe(position)}, expected [lon, lat]`,
        );
      }
      const [lon, lat] = position as [number, number];
      if (lon < -180 || lon > 180) {
        throw error(
          'coordinates',
          `${where(`${at}[${i}]`)}: longitude ${lon} outside [-180, 180] (split zones across the antimeridian, RFC 7946 §3.1.9)`,
        );
      }
      if (lat < -90 || lat > 90)
        throw error('coordinates', `${where(`${at}[${i}]`)}: latitude ${lat} outside [-90, 90]`);
      return [lon, lat];
    });
    const first = positions[0]!;
    const last = positions[positions.length - 1]!;
    if (first[0] !== last[0] || first[1] !== last[1]) {
      throw error(
        'coordinates',
        `${where(at)}: ring not closed, first position [${first.join(', ')}] ≠ last [${last.join(', ')}]`,
      );
    }
    return positions;
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A bad value as an error message shows it: short JSON, or its type. */
function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  const json = JSON.stringify(value);
  if (json === undefined) return typeof value;
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}
