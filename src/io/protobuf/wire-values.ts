import type { Type, Writer } from 'protobufjs';
import { errorText } from '../../util/error-text.js';
import { CodecError } from './codec-error.js';

/**
 * Reading protobufjs's decoded messages: a proto3 `optional` field is present only as an own
 * property (absent ones read `null` or a default from the prototype), and 64-bit integers come
 * back as `Long` objects (protobufjs uses the `long` package when it is installed).
 */
export type DecodedMessage = Readonly<Record<string, unknown>>;

/** Decodes `bytes` as `type`, turning a protobufjs failure into `PROTO_DECODE_FAILED`. */
export function decodeMessage(type: Type, bytes: Uint8Array): DecodedMessage {
  try {
    return type.decode(bytes) as unknown as DecodedMessage;
  } catch (error) {
    throw new CodecError(
      'PROTO_DECODE_FAILED',
      `Not a ${type.fullName.replace(/^\./, '')} (${bytes.length} bytes): ${errorText(error)}`,
      { cause: error },
    );
  }
}

interface LongLike {
  toNumber(): number;
}

/** An int64 / uint64 as a number (epoch ms and counts stay far below 2^53). */
export function int64Value(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'object' && value !== null && 'toNumber' in value) {
    return (value as LongLike).toNumber();
  }
  return 0;
}

/** A proto3 `optional` numeric field: the number if present, undefined if not. */
export function optionalNumber(message: DecodedMessage, field: string): number | undefined {
  return Object.hasOwn(message, field) ? int64Value(message[field]) : undefined;
}

/** A proto3 `optional` string field. */
export function optionalString(message: DecodedMessage, field: string): string | undefined {
  return Object.hasOwn(message, field) ? (message[field] as string) : undefined;
}

/** A `repeated string` field (protobufjs always creates the array). */
export function stringList(message: DecodedMessage, field: string): string[] {
  return (message[field] as string[] | undefined) ?? [];
}

/** The bytes a protobufjs writer finished, as a Buffer (what node-rdkafka takes) without a copy. */
export function finishToBuffer(writer: Writer): Buffer {
  const bytes = writer.finish();
  return Buffer.isBuffer(bytes)
    ? bytes
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
