import { CodedError } from '../../util/coded-error.js';
/** Why a protobuf value was refused. One fixed list, usable as a metric label. */
export const CODEC_ERROR_CODES = [
  /** The bytes are not a valid encoding of the message type. */
  'PROTO_DECODE_FAILED',
  /** A decoded field holds a value the contract does not allow (unknown alert kind, ...). */
  'PROTO_BAD_VALUE',
  /** A value to encode does not fit its field (NaN time, negative MMSI, ...). */
  'PROTO_BAD_INPUT',
] as const;

export type CodecErrorCode = (typeof CODEC_ERROR_CODES)[number];

/** A protobuf encoding or decoding refused; the message names the type, field and value. */
export class CodecError extends CodedError<CodecErrorCode> {
  override readonly name = 'CodecError';
}
