import { REJECT_REASONS, type RejectReason } from '../../ais/reject-reason.js';
import { CodecError } from './codec-error.js';
import { tidewatchSchema } from './tidewatch-schema.js';
import { decodeMessage, finishToBuffer, int64Value } from './wire-values.js';

/** `tidewatch.v1.RejectedLine`: a dead letter on `ais.rejected` (DESIGN.md §2.3, §4). */
export interface RejectedLineMessage {
  readonly member: string;
  readonly reason: RejectReason;
  readonly line: string;
  readonly topic: string;
  readonly partition: number;
  /** Kafka offset of the message that held the line. */
  readonly offset: number;
  /** That message's Kafka timestamp, epoch ms; 0 on the wire (NaN here) when it had none. */
  readonly kafkaTimestamp: number;
}

const REASONS: ReadonlySet<string> = new Set(REJECT_REASONS);

export function encodeRejectedLine(message: RejectedLineMessage): Buffer {
  const kafkaTimestamp = Number.isFinite(message.kafkaTimestamp) ? message.kafkaTimestamp : 0;
  return finishToBuffer(tidewatchSchema().rejectedLine.encode({ ...message, kafkaTimestamp }));
}

/** Decodes an `ais.rejected` value; refuses reasons this version does not know. */
export function decodeRejectedLine(bytes: Uint8Array): RejectedLineMessage {
  const m = decodeMessage(tidewatchSchema().rejectedLine, bytes);
  const reason = m.reason as string;
  if (!REASONS.has(reason)) {
    throw new CodecError('PROTO_BAD_VALUE', `RejectedLine: unknown reason "${reason}".`);
  }
  return {
    member: m.member as string,
    reason: reason as RejectReason,
    line: m.line as string,
    topic: m.topic as string,
    partition: m.partition as number,
    offset: int64Value(m.offset),
    kafkaTimestamp: int64Value(m.kafkaTimestamp),
  };
}
