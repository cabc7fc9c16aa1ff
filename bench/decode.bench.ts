import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodeAll } from '../src/ais/decode-all.js';
import { type DecodeStats, totalRejected } from '../src/ais/decode-stats.js';
import { StreamDecoder } from '../src/ais/stream-decoder.js';
import { type Benchmark, type BenchRow, compareWith, rateRow } from './benchmark.js';
import { formatRatio } from './format.js';
import { gpsdecodeVersion, runGpsdecode } from './gpsdecode.js';
import { timeRuns } from './timing.js';
import { buildTrafficMix, describeMix, withTagBlocks } from './traffic-mix.js';

const NEWLINE = 10;
const CR = 13;

/**
 * Decodes every line of `buf` the way the worker does: the caller finds the line ends and the
 * decoder reads each line in place (issue 2 hot path), one core.
 */
function decodeBuffer(buf: Uint8Array): DecodeStats {
  const decoder = new StreamDecoder();
  const length = buf.length;
  let start = 0;
  while (start < length) {
    let end = buf.indexOf(NEWLINE, start);
    if (end < 0) end = length;
    const lineEnd = end > start && buf[end - 1] === CR ? end - 1 : end;
    decoder.decodeLine(buf, start, lineEnd);
    start = end + 1;
  }
  decoder.flush();
  return decoder.stats;
}

/**
 * NMEA sentences per second for a real-traffic mix (mostly types 1/3, some 18, two-part 5,
 * 24 A/B), ours against gpsd's `gpsdecode -m` and `-j` on the same file in the same run.
 */
export const decodeBenchmark: Benchmark = {
  name: 'decode',
  description: 'NMEA sentences/s, real-traffic mix, vs gpsdecode',
  async run(context) {
    const sentences = context.quick ? 100_000 : 500_000;
    const mix = buildTrafficMix({ sentences, seed: context.seed, dataDir: context.dataDir });
    const path = join(context.tmpDir, 'decode-mix.nmea');
    writeFileSync(path, mix.text, 'latin1');
    const buf = readFileSync(path);
    context.note(
      `decode: ${mix.sentences} sentences, ${mix.messages} messages, ${(buf.length / 2 ** 20).toFixed(1)} MiB; ${mix.source}; types ${describeMix(mix)}.`,
    );

    // Every line must be decoded, or rejected only as a type we do not decode.
    const stats = decodeBuffer(buf);
    const unexpected = totalRejected(stats) - stats.rejected.unsupported_type;
    if (
      stats.messages + stats.fragments + stats.rejected.unsupported_type !== mix.sentences ||
      unexpected > 0
    ) {
      context.note(
        `decode: the decoder rejected ${unexpected} lines of the mix: ${JSON.stringify(stats.rejected)}.`,
      );
    }

    // Enough warm-up for V8 to optimise the decoder: the first few passes run slower code.
    const ours = context.quick ? { warmupRuns: 8, runs: 15 } : { warmupRuns: 10, runs: 30 };
    context.log(`decode: StreamDecoder × ${ours.runs}`);
    const stream = rateRow(
      'decode',
      'StreamDecoder.decodeLine',
      'sentences/s',
      mix.sentences,
      await timeRuns(() => void decodeBuffer(buf), ours),
    );
    context.log(`decode: decodeAll × ${ours.runs}`);
    const all = rateRow(
      'decode',
      'decodeAll (a record per message)',
      'sentences/s',
      mix.sentences,
      await timeRuns(() => void decodeAll(buf), ours),
    );
    const taggedPath = join(context.tmpDir, 'decode-mix-tagged.nmea');
    writeFileSync(taggedPath, withTagBlocks(mix, context.seed), 'latin1');
    const tagged = readFileSync(taggedPath);
    context.log(`decode: StreamDecoder, tag blocks × ${ours.runs}`);
    const streamTagged = rateRow(
      'decode',
      'StreamDecoder.decodeLine (tag blocks)',
      'sentences/s',
      mix.sentences,
      await timeRuns(() => void decodeBuffer(tagged), ours),
    );
    const rows: BenchRow[] = [stream, streamTagged, all];

    const version = gpsdecodeVersion();
    if (version === undefined) {
      context.note('decode: gpsdecode not found (Debian gpsd-clients): no baseline in this run.');
      return rows;
    }
    const theirs = context.quick ? { warmupRuns: 1, runs: 3 } : { warmupRuns: 1, runs: 5 };
    const baselines: BenchRow[] = [];
    for (const flag of ['-m', '-j']) {
      context.log(`decode: gpsdecode ${flag} × ${theirs.runs}`);
      const seconds = await timeRuns(() => runGpsdecode([flag], path), theirs);
      baselines.push(rateRow('decode', `gpsdecode ${flag}`, 'sentences/s', mix.sentences, seconds));
    }
    context.log(`decode: gpsdecode -m, tag blocks × ${theirs.runs}`);
    const taggedSeconds = await timeRuns(() => runGpsdecode(['-m'], taggedPath), theirs);
    baselines.push(
      rateRow('decode', 'gpsdecode -m (tag blocks)', 'sentences/s', mix.sentences, taggedSeconds),
    );
    const [minimal, json, minimalTagged] = baselines as [BenchRow, BenchRow, BenchRow];
    compareWith(stream, minimal);
    compareWith(streamTagged, minimalTagged);
    compareWith(all, json);
    context.note(
      `decode: ${version}, whole process on the file (read, decode, print to /dev/null); ours decodes the file's bytes in memory. StreamDecoder vs gpsdecode -j: ${formatRatio(stream.summary.median / json.summary.median)}.`,
    );
    return [...rows, ...baselines];
  },
};
