import { FNV_OFFSET, fnv1a } from '../util/fnv1a.js';
import type { AisMessage } from './ais-message.js';
import type { RejectReason } from './reject-reason.js';

/** Columns of the US MarineCadastre (USCG NAIS) daily CSV that Tidewatch reads. */
const COLUMNS = [
  'MMSI',
  'BaseDateTime',
  'LAT',
  'LON',
  'SOG',
  'COG',
  'Heading',
  'VesselName',
  'IMO',
  'CallSign',
  'VesselType',
  'Status',
  'Draft',
  'TransceiverClass',
] as const;
type Column = (typeof COLUMNS)[number];

/** True when `header` is a MarineCadastre CSV header line. */
export function isMarineCadastreHeader(header: string): boolean {
  return header.startsWith('MMSI,BaseDateTime,') || header.startsWith('\ufeffMMSI,BaseDateTime,');
}

const latin1 = new TextDecoder('latin1');

/**
 * Parses MarineCadastre CSV rows into the decoder's message shape, so they enter the core like
 * decoded AIS: a position report (type 1 for class A, 18 for class B) carrying the row's static
 * data too. The row bytes are its payload identity, so repeated rows dedupe like repeated
 * sentences (the data set repeats rows and has them out of time order).
 */
export class MarineCadastreParser {
  private readonly index: Record<Column, number>;

  constructor(header: string) {
    const names = header
      .replace(/^\ufeff/, '')
      .trim()
      .split(',');
    const index = {} as Record<Column, number>;
    for (const column of COLUMNS) {
      const at = names.indexOf(column);
      if (at < 0 && column !== 'Status' && column !== 'Draft' && column !== 'TransceiverClass') {
        throw new Error(`MarineCadastre CSV header lacks column ${column}: ${header}`);
      }
      index[column] = at;
    }
    this.index = index;
  }

  /** Fills `m` from the row `buf[start..end)`; returns the reject reason, if any. */
  parse(buf: Uint8Array, start: number, end: number, m: AisMessage): RejectReason | undefined {
    const fields = splitCsv(latin1.decode(buf.subarray(start, end)));
    const get = (column: Column): string => {
      const at = this.index[column];
      return at < 0 ? '' : (fields[at] ?? '').trim();
    };
    m.clear();
    const mmsi = Number(get('MMSI'));
    const time = Date.parse(`${get('BaseDateTime')}Z`);
    // Any 30-bit value is a transmittable MMSI; invalid_identity judges it (one row has 1072211352).
    if (!Number.isInteger(mmsi) || mmsi <= 0 || mmsi > 0x3fffffff) return 'syntax';
    if (Number.isNaN(time)) return 'no_timestamp';
    const lat = Number(get('LAT'));
    const lon = Number(get('LON'));
    if (get('LAT') === '' || get('LON') === '' || Number.isNaN(lat) || Number.isNaN(lon))
      return 'syntax';
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) return 'range';
    m.type = get('TransceiverClass') === 'B' ? 18 : 1;
    m.mmsi = mmsi;
    m.lat = lat;
    m.lon = lon;
    m.receivedAt = time;
    const sog = optionalNumber(get('SOG'));
    if (sog !== undefined && sog >= 0 && sog < 102.3) m.sog = sog;
    const cog = optionalNumber(get('COG'));
    if (cog !== undefined && cog >= 0 && cog < 360) m.cog = cog;
    const heading = optionalNumber(get('Heading'));
    if (heading !== undefined && heading >= 0 && heading < 360) m.heading = heading;
    const status = optionalNumber(get('Status'));
    if (status !== undefined && Number.isInteger(status) && status >= 0 && status <= 15)
      m.navStatus = status;
    m.shipName = get('VesselName') || undefined;
    m.callSign = get('CallSign') || undefined;
    const imo = optionalNumber(get('IMO').replace(/^IMO/, ''));
    if (imo !== undefined && imo > 0) m.imo = imo;
    const shipType = optionalNumber(get('VesselType'));
    if (shipType !== undefined && shipType > 0 && shipType < 256) m.shipType = shipType;
    const draught = optionalNumber(get('Draft'));
    if (draught !== undefined && draught > 0) m.draught = draught;
    m.payloadHash = fnv1a(buf, start, end, FNV_OFFSET);
    m.payloadCheck = fnv1a(buf, start, end, 0x050c5d1f);
    return undefined;
  }
}

function optionalNumber(text: string): number | undefined {
  if (text === '') return undefined;
  const value = Number(text);
  return Number.isNaN(value) ? undefined : value;
}

/** Splits one CSV line; double-quoted fields may contain commas and doubled quotes. */
function splitCsv(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}
