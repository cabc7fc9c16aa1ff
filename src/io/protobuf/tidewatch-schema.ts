import { fileURLToPath } from 'node:url';
import protobuf, { type Type } from 'protobufjs';

/**
 * The public contract with operations centres (DESIGN.md §2.3-2.5), read from the `.proto` file
 * itself. Both src/io/protobuf and dist/io/protobuf sit three folders below the package root, and
 * `proto/` ships in the package (`files`).
 */
export const TIDEWATCH_PROTO_FILE = fileURLToPath(
  new URL('../../../proto/tidewatch/v1/tidewatch.proto', import.meta.url),
);

/** The message types Tidewatch writes to Kafka. */
export interface TidewatchSchema {
  /** `tidewatch.v1.FusedTrack`, topic `tracks.fused`. */
  readonly fusedTrack: Type;
  /** `tidewatch.v1.Alert`, topic `alerts`. */
  readonly alert: Type;
  /** `tidewatch.v1.RejectedLine`, topic `ais.rejected` (dead letters). */
  readonly rejectedLine: Type;
}

let schema: TidewatchSchema | undefined;

/**
 * The schema, loaded once with protobufjs reflection (`loadSync`), not compiled to static code:
 * the `.proto` stays the single source of truth (no generated file to keep in step, no `pbjs`
 * build step), and protobufjs generates each type's encoder and decoder on first use, the same
 * code its static output contains. Field names are protobufjs's camelCase (`nav_status` →
 * `navStatus`). The TypeScript shapes are written by hand beside each codec; the codec tests
 * check that they cover every field of the schema.
 */
export function tidewatchSchema(): TidewatchSchema {
  if (schema === undefined) {
    const root = protobuf.loadSync(TIDEWATCH_PROTO_FILE);
    schema = {
      fusedTrack: root.lookupType('tidewatch.v1.FusedTrack'),
      alert: root.lookupType('tidewatch.v1.Alert'),
      rejectedLine: root.lookupType('tidewatch.v1.RejectedLine'),
    };
  }
  return schema;
}
