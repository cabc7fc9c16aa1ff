import type { DecodeStats } from './decode-stats.js';
import { type DecodedRecord, toRecord } from './decoded-record.js';
import { LineSplitter } from './line-splitter.js';
import type { RejectReason } from './reject-reason.js';
import { StreamDecoder, type StreamDecoderOptions } from './stream-decoder.js';

export interface DecodeAllOptions extends Omit<StreamDecoderOptions, 'onReject'> {
  /** Every rejected line, as text. */
  onReject?: (reason: RejectReason, line: string) => void;
}

const textDecoder = new TextDecoder('latin1');

/**
 * Decodes a whole input (a file's bytes or text) into records. For tests, the CLI and tools;
 * the streaming paths use `StreamDecoder` directly.
 */
export function decodeAll(
  input: Uint8Array | string,
  options: DecodeAllOptions = {},
): { records: DecodedRecord[]; stats: DecodeStats } {
  const buf = typeof input === 'string' ? Buffer.from(input, 'latin1') : input;
  const onReject = options.onReject;
  const decoder = new StreamDecoder({
    ...options,
    onReject:
      onReject === undefined
        ? undefined
        : (reason, line, start, end) =>
            onReject(reason, textDecoder.decode(line.subarray(start, end))),
  });
  const records: DecodedRecord[] = [];
  const onLine = (line: Uint8Array, start: number, end: number): void => {
    if (decoder.decodeLine(line, start, end) === 'message') records.push(toRecord(decoder.message));
  };
  const splitter = new LineSplitter();
  splitter.push(buf, onLine);
  splitter.end(onLine);
  decoder.flush();
  return { records, stats: decoder.stats };
}
