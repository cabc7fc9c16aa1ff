import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type AisEncodeInput, encodeAis } from '../src/ais/encoder.js';
import type { RejectReason } from '../src/ais/reject-reason.js';
import { nmeaChecksum, writeSentences } from '../src/ais/sentence-writer.js';
import { StreamDecoder } from '../src/ais/stream-decoder.js';
import { createRandom, type Random } from './prng.js';

/**
 * The decode benchmark's input: a seeded real-traffic mix of NMEA sentences (issue 5). With the
 * shared data, real messages from `tracks/` are replicated, drawn uniformly so the mix is the
 * streams' own; without it, the encoder generates the same mix from the shares measured below.
 */
export interface TrafficMix {
  /** One sentence per line, `\n`-terminated. */
  text: string;
  sentences: number;
  messages: number;
  /** Messages per ITU type. */
  byType: Map<number, number>;
  source: string;
}

/** A message as it travels: its sentences, without tag blocks or receive times. */
interface PooledMessage {
  type: number;
  sentences: string[];
}

/**
 * Messages per type in the real streams (tracks/*, 75 k messages, measured with the decoder at
 * commit dfdcdd2), percent. The 1.9 % of types the decoder does not support (6, 7, 8, ...) are
 * left out of the synthetic mix: the encoder does not write them.
 */
export const REAL_TYPE_SHARES: ReadonlyMap<number, number> = new Map([
  [1, 65.89],
  [3, 12.33],
  [4, 9.18],
  [5, 6.21],
  [18, 4.92],
  [24, 0.83],
  [21, 0.57],
  [9, 0.06],
  [2, 0.01],
]);

/** NMEA 0183 allows 82 characters a sentence: `!AIVDM,1,1,,A,` + 61 + `,0*hh` + CRLF. */
const MAX_SINGLE_PAYLOAD_CHARS = 61;

export function buildTrafficMix(options: {
  sentences: number;
  seed: number;
  dataDir: string | undefined;
}): TrafficMix {
  const random = createRandom(options.seed);
  const pool = options.dataDir === undefined ? undefined : loadRealMessages(options.dataDir);
  const next =
    pool === undefined || pool.length === 0 ? syntheticSource(random) : () => random.pick(pool);
  const lines: string[] = [];
  const byType = new Map<number, number>();
  let messages = 0;
  while (lines.length < options.sentences) {
    const message = next();
    lines.push(...message.sentences);
    byType.set(message.type, (byType.get(message.type) ?? 0) + 1);
    messages++;
  }
  return {
    text: `${lines.join('\n')}\n`,
    sentences: lines.length,
    messages,
    byType,
    source:
      pool === undefined || pool.length === 0
        ? 'synthetic (encoder), type shares of the real streams'
        : `${pool.length} real messages from ${options.dataDir}/tracks, drawn uniformly`,
  };
}

/**
 * The same sentences as a receiver network delivers them for the worker: each line with an NMEA
 * 4.10 tag block `\s:STATION,c:EPOCH*hh\` (Kystverket style, tracks/kystverket_sample), one of
 * 40 stations, receive times rising one second every 200 lines.
 */
export function withTagBlocks(mix: TrafficMix, seed: number): string {
  const random = createRandom(seed);
  const lines = mix.text.split('\n');
  const startSeconds = 1_717_580_000;
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length === 0) continue;
    const tag = `s:${2_573_000 + random.int(0, 39)},c:${startSeconds + Math.floor(i / 200)}`;
    out.push(`\\${tag}*${nmeaChecksum(tag)}\\${line}`);
  }
  return `${out.join('\n')}\n`;
}

/** Text of the measured mix: `1 65.9 %, 3 12.3 %, ..., other 1.2 %` (types under 0.5 % lumped). */
export function describeMix(mix: TrafficMix): string {
  const parts: string[] = [];
  let other = 0;
  for (const [type, n] of [...mix.byType.entries()].sort((a, b) => b[1] - a[1])) {
    const percent = (100 * n) / mix.messages;
    if (percent >= 0.5) parts.push(`${type} ${percent.toFixed(1)} %`);
    else other += percent;
  }
  if (other > 0) parts.push(`other ${other.toFixed(1)} %`);
  return parts.join(', ');
}

/**
 * Every complete, well-formed message of the raw streams under `tracks/`: sentences stripped of
 * tag blocks and receive times, multi-sentence messages whole and in order. A message is kept
 * when our decoder decodes it or rejects it only as `unsupported_type` (it is real traffic all
 * the same); single sentences longer than NMEA allows (the AMSA stream's one-sentence type 5)
 * are split in two as receivers do.
 */
function loadRealMessages(dataDir: string): PooledMessage[] {
  const pool: PooledMessage[] = [];
  for (const file of streamFiles(join(dataDir, 'tracks'))) {
    let bytes: Buffer = readFileSync(file);
    if (file.endsWith('.gz')) bytes = gunzipSync(bytes);
    let pending: string[] = [];
    for (const line of bytes.toString('latin1').split('\n')) {
      const sentence = bareSentence(line);
      if (sentence === undefined) continue;
      const fields = sentence.split(',');
      const count = Number(fields[1]);
      const number = Number(fields[2]);
      if (number === 1) pending = [];
      if (number !== pending.length + 1) continue;
      pending.push(sentence);
      if (number < count) continue;
      const message = validate(pending);
      pending = [];
      if (message !== undefined) pool.push(message);
    }
  }
  return pool;
}

/** Raw stream files under `tracks/` (not the derived CSVs, licences or the MarineCadastre CSV). */
function streamFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : 1,
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'derived') files.push(...streamFiles(path));
    } else if (/\.(txt|raw|txt\.gz)$/.test(entry.name)) {
      files.push(path);
    }
  }
  return files;
}

/** `!xxVDM,...*hh` out of a line with optional tag block, time prefix or trailing fields. */
function bareSentence(line: string): string | undefined {
  const start = line.indexOf('!');
  if (start < 0) return undefined;
  const star = line.indexOf('*', start);
  if (star < 0 || star + 3 > line.length) return undefined;
  const sentence = line.slice(start, star + 3);
  return sentence.split(',').length === 7 ? sentence : undefined;
}

function validate(sentences: string[]): PooledMessage | undefined {
  let reason: RejectReason | undefined;
  // A fresh decoder per message keeps a half-rejected message from leaving parts behind.
  const decoder = new StreamDecoder({
    onReject: (why) => {
      reason = why;
    },
  });
  let outcome = '';
  for (const sentence of sentences) {
    const bytes = Buffer.from(sentence, 'latin1');
    outcome = decoder.decodeLine(bytes, 0, bytes.length);
  }
  const ok = outcome === 'message' || (outcome === 'rejected' && reason === 'unsupported_type');
  if (!ok) return undefined;
  const type = decoder.message.type;
  const first = sentences[0]!.split(',');
  if (sentences.length > 1 || first[5]!.length <= MAX_SINGLE_PAYLOAD_CHARS)
    return { type, sentences };
  const payload = first[5]!;
  const fillBits = Number(first[6]!.slice(0, 1));
  const split = writeSentences(
    { payload, fillBits, bitLength: payload.length * 6 - fillBits },
    {
      talker: first[0]!.slice(1, 3),
      sentence: first[0]!.slice(3) === 'VDO' ? 'VDO' : 'VDM',
      channel: channelOf(first[4]!),
      sequenceId: payload.length % 10,
    },
  );
  return { type, sentences: split };
}

function channelOf(field: string): 'A' | 'B' | '1' | '2' | '' {
  return field === 'A' || field === 'B' || field === '1' || field === '2' ? field : '';
}

/** Encoder-made messages of a seeded fleet, types drawn with the real streams' shares. */
function syntheticSource(random: Random): () => PooledMessage {
  const fleet = Array.from({ length: 2000 }, (_, i) => ({
    mmsi: 200_000_000 + i * 271_003,
    name: `VESSEL ${i}`,
    callSign: `C${(i * 7919) % 100_000}`,
    shipType: random.int(20, 99),
    lon: random.int(-179_000, 179_000) / 1000,
    lat: random.int(-80_000, 80_000) / 1000,
  }));
  const types = [...REAL_TYPE_SHARES.keys()];
  const cumulative: number[] = [];
  let total = 0;
  for (const share of REAL_TYPE_SHARES.values()) {
    total += share;
    cumulative.push(total);
  }
  let sequenceId = 0;
  return () => {
    const r = random.next() * total;
    const type = types[cumulative.findIndex((c) => r < c)] ?? 1;
    const vessel = random.pick(fleet);
    const input: AisEncodeInput = {
      type,
      mmsi: type === 21 ? 990_000_000 + (vessel.mmsi % 10_000_000) : vessel.mmsi,
      navStatus: random.int(0, 8),
      rot: random.int(-20, 20),
      sog: random.int(0, 250) / 10,
      accuracy: random.next() < 0.5,
      lon: vessel.lon + random.int(-500, 500) / 10_000,
      lat: vessel.lat + random.int(-500, 500) / 10_000,
      cog: random.int(0, 3599) / 10,
      heading: random.int(0, 359),
      second: random.int(0, 59),
      radio: random.int(0, 2 ** 19 - 1),
      timestamp: '2024-06-05T12:00:00Z',
      epfd: 1,
      imo: 9_000_000 + (vessel.mmsi % 999_999),
      callSign: vessel.callSign,
      shipName: vessel.name,
      name: vessel.name,
      shipType: vessel.shipType,
      toBow: random.int(5, 200),
      toStern: random.int(5, 100),
      toPort: random.int(2, 20),
      toStarboard: random.int(2, 20),
      draught: random.int(10, 150) / 10,
      destination: 'ROTTERDAM',
      eta: '06-05T18:30Z',
      partNo: random.int(0, 1),
      cs: true,
      aidType: random.int(1, 31),
      altitude: random.int(100, 3000),
    };
    // Sequential message ids on multi-sentence messages only (type 5 here), as receivers do.
    const sentences = encodeAis(input, {
      channel: random.next() < 0.5 ? 'A' : 'B',
      sequenceId: type === 5 ? sequenceId : undefined,
    });
    if (type === 5) sequenceId = (sequenceId + 1) % 10;
    return { type, sentences };
  };
}
