import type { Readable } from 'node:stream';
import { totalRejected } from '../ais/decode-stats.js';
import { toRecord } from '../ais/decoded-record.js';
import { LineSplitter } from '../ais/line-splitter.js';
import { REJECT_REASONS, type RejectReason } from '../ais/reject-reason.js';
import { StreamDecoder } from '../ais/stream-decoder.js';
import { BufferedWriter } from '../io/buffered-writer.js';
import { closeInput, openInput } from '../io/file-input.js';
import { OutputFile } from '../io/output-file.js';
import { ProgressReporter } from './progress-reporter.js';

export interface DecodeCommandOptions {
  errors?: string;
  requireTime?: boolean;
}

const latin1 = new TextDecoder('latin1');

/**
 * `tidewatch decode [FILE]`: NMEA in, one JSON object per decoded AIS message out (DESIGN.md
 * §2.1, §2.2). Rejected lines are summarised by reason on stderr, and written as NDJSON
 * `{"reason","line"}` to `--errors FILE`. Returns the exit code: 0, or 2 when the input cannot be
 * read or the `--errors` file cannot be written (rejects must not vanish).
 */
export async function runDecode(
  file: string | undefined,
  options: DecodeCommandOptions,
): Promise<number> {
  let input: Readable;
  try {
    input = await openInput(file);
  } catch (error) {
    process.stderr.write(`tidewatch decode: ${(error as Error).message}\n`);
    return 2;
  }
  let errorFile: OutputFile | undefined;
  try {
    errorFile = options.errors === undefined ? undefined : await OutputFile.open(options.errors);
  } catch (error) {
    process.stderr.write(`tidewatch decode: --errors: ${(error as Error).message}\n`);
    await closeInput(input);
    return 2;
  }
  const out = new BufferedWriter(process.stdout);
  const errors = errorFile === undefined ? undefined : new BufferedWriter(errorFile.stream);

  const decoder: StreamDecoder = new StreamDecoder({
    requireTime: options.requireTime ?? false,
    onReject:
      errors === undefined
        ? undefined
        : (reason, buf, start, end) =>
            errors.write(rejectJson(reason, latin1.decode(buf.subarray(start, end)), decoder)),
  });
  const onLine = (buf: Uint8Array, start: number, end: number): void => {
    if (decoder.decodeLine(buf, start, end) === 'message') {
      out.write(`${JSON.stringify(toRecord(decoder.message))}\n`);
    }
  };
  const splitter = new LineSplitter();
  const progress = new ProgressReporter(
    'decode',
    () => `${decoder.stats.lines.toLocaleString('en')} lines`,
  );
  try {
    for await (const chunk of input) {
      splitter.push(chunk as Buffer, onLine);
      await out.flushIfFull();
      await errors?.flushIfFull();
      progress.tick();
    }
  } catch (error) {
    const writeFailure = errorFile?.failed;
    process.stderr.write(
      writeFailure === undefined
        ? `tidewatch decode: cannot read ${file ?? 'stdin'}: ${(error as Error).message}\n`
        : `tidewatch decode: --errors: ${writeFailure.message}\n`,
    );
    await errorFile?.close().catch(() => {});
    return 2;
  }
  splitter.end(onLine);
  decoder.flush();
  await out.flush();
  progress.done();
  process.stderr.write(summary(decoder));
  try {
    await errors?.flush();
    await errorFile?.close();
  } catch (error) {
    process.stderr.write(`tidewatch decode: --errors: ${(error as Error).message}\n`);
    return 2;
  }
  return 0;
}

function rejectJson(reason: RejectReason, line: string, decoder: StreamDecoder): string {
  const record: { reason: RejectReason; line: string; type?: number; mmsi?: number } = {
    reason,
    line,
  };
  if (reason === 'unsupported_type') {
    record.type = decoder.message.type;
    record.mmsi = decoder.message.mmsi;
  }
  return `${JSON.stringify(record)}\n`;
}

function summary(decoder: StreamDecoder): string {
  const s = decoder.stats;
  const lines = [
    `lines ${s.lines}, messages ${s.messages}, multi-sentence parts ${s.fragments}, context lines ${s.context}, rejected ${totalRejected(s)}`,
  ];
  if (s.tagBlockChecksumErrors > 0) {
    lines.push(`  tag blocks with a wrong checksum (used anyway): ${s.tagBlockChecksumErrors}`);
  }
  for (const reason of REJECT_REASONS) {
    if (s.rejected[reason] > 0) lines.push(`  rejected ${reason}: ${s.rejected[reason]}`);
  }
  return `${lines.join('\n')}\n`;
}
