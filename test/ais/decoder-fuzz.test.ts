import { describe, expect, it } from 'vitest';
import { totalRejected } from '../../src/ais/decode-stats.js';
import type { RejectReason } from '../../src/ais/reject-reason.js';
import { type LineOutcome, StreamDecoder } from '../../src/ais/stream-decoder.js';
import { seededRandom } from '../support/seeded-random.js';
import {
  dollar,
  sentence,
  TYPE5_PART1_PAYLOAD,
  TYPE5_PART2_PAYLOAD,
  tagBlock,
} from './nmea-fixtures.js';

/** Valid lines to start from: every supported type, tag blocks, $PGHP, multi-sentence parts. */
const SEEDS = [
  '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A',
  '!AIVDM,1,1,,A,38Id705000rRVJhE7cl9n;160000,0*40',
  '!AIVDM,1,1,,A,403OviQuMGCqWrRO9>E6fE700@GO,0*4D',
  '!AIVDM,1,1,,A,91b77=h3h00nHt0Q3r@@07000<0b,0*69',
  '!AIVDM,1,1,,A,B52K>;h00Fc>jpUlNV@ikwpUoP06,0*4C',
  '!AIVDM,1,1,,B,C5N3SRgPEnJGEBT>NhWAwwo862PaLELTBJ:V00000000S0D:R220,0*0B',
  '!AIVDM,2,1,5,B,E1mg=5J1T4W0h97aRh6ba84<h2d;W:Te=eLvH50```q,0*46',
  '!AIVDM,2,2,5,B,:D44QDlp0C1DU00,2*36',
  '!AIVDM,1,1,,A,H42O55i18tMET00000000000000,2*6D',
  '!AIVDM,1,1,,A,H42O55lti4hhhilD3nink000?050,0*40',
  '!AIVDM,1,1,,A,KCQ9r=hrFUnH7P00,0*41',
  sentence(`AIVDM,2,1,1,A,${TYPE5_PART1_PAYLOAD},0`),
  sentence(`AIVDM,2,2,1,A,${TYPE5_PART2_PAYLOAD},2`),
  `${tagBlock('s:2573238,c:1733782034')}!BSVDM,1,1,,A,13o4g\`00000I2ENRH4g83S0L088C,0*3F`,
  `${tagBlock('g:1-2-3985,s:rEV02,c:1334337317')}${sentence(`AIVDM,2,1,9,B,${TYPE5_PART1_PAYLOAD},0`)}`,
  `${tagBlock('g:2-2-3985')}${sentence(`AIVDM,2,2,9,B,${TYPE5_PART2_PAYLOAD},2`)}`,
  dollar('PGHP,1,2013,11,12,12,0,0,11,219,,2190067,1,62'),
  '\\si:AISD*3F\\',
  '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0*4A,1327992179427',
  dollar('GPRMC,114829.00,A,1228.30668,S,13050.74902,E,0.006,,270112,,,A'),
];

const NMEA_BYTES = Buffer.from(
  '!$\\*,:-0123456789ABCDEFGHIJKLMNOPQRSTUVWabcdefghijklmnopqrstuvw`@;<=>?VDMO.gsc ',
);
const SUPPORTED = new Set([1, 2, 3, 4, 5, 9, 18, 19, 21, 24, 27]);

function mutate(random: () => number, seed: Uint8Array): Uint8Array {
  const pickByte = (): number =>
    random() < 0.7
      ? NMEA_BYTES[Math.floor(random() * NMEA_BYTES.length)]!
      : Math.floor(random() * 256);
  const kind = Math.floor(random() * 9);
  const bytes = Array.from(seed);
  const at = Math.floor(random() * (bytes.length + 1));
  switch (kind) {
    case 0:
      return seed; // unchanged
    case 1: // replace bytes
      for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
        bytes[Math.floor(random() * bytes.length)] = pickByte();
      }
      break;
    case 2: // delete a run
      bytes.splice(at, 1 + Math.floor(random() * 8));
      break;
    case 3: // insert bytes
      bytes.splice(at, 0, ...Array.from({ length: 1 + Math.floor(random() * 4) }, pickByte));
      break;
    case 4: // truncate
      bytes.length = at;
      break;
    case 5: // duplicate a slice into the middle
      bytes.splice(at, 0, ...bytes.slice(Math.floor(random() * bytes.length)));
      break;
    case 6: // random bytes from the NMEA alphabet, any length up to 200
      return Uint8Array.from({ length: Math.floor(random() * 200) }, pickByte);
    case 7: // a tag block in front, possibly malformed
      return Buffer.concat([
        Buffer.from(`\\c:${Math.floor(random() * 2e12)},s:x${at}*${at % 100}\\`),
        seed,
      ]);
    default: // bit flips
      bytes[Math.floor(random() * bytes.length)]! ^= 1 << Math.floor(random() * 8);
  }
  // The harness feeds single lines: a newline inside would make two.
  return Uint8Array.from(bytes, (b) => (b === 10 ? 32 : b));
}

describe('decoder fuzz (seeded)', () => {
  it('1 M mutated and random lines: nothing throws, every line is accounted for', () => {
    const random = seededRandom(20261126);
    const seeds = SEEDS.map((line) => Buffer.from(line, 'latin1'));
    const lines = 1_000_000;
    let dropped = 0;
    const reasons = new Map<RejectReason, number>();
    const decoder = new StreamDecoder({
      fragments: { maxPending: 64, maxAgeLines: 100 },
      onReject: (reason) => reasons.set(reason, (reasons.get(reason) ?? 0) + 1),
    });
    const outcomes: Record<LineOutcome, number> = {
      message: 0,
      pending: 0,
      context: 0,
      rejected: 0,
    };
    let insane = 0;
    for (let i = 0; i < lines; i++) {
      const line = mutate(random, seeds[Math.floor(random() * seeds.length)]!);
      const outcome = decoder.decodeLine(line, 0, line.length);
      outcomes[outcome]++;
      if (outcome === 'message') {
        const m = decoder.message;
        if (!SUPPORTED.has(m.type)) insane++;
        if (m.lat !== undefined && Math.abs(m.lat) > 90) insane++;
        if (m.lon !== undefined && Math.abs(m.lon) > 180) insane++;
        if (m.sog !== undefined && !(m.sog >= 0)) insane++;
      }
    }
    decoder.flush();
    const s = decoder.stats;
    dropped = totalRejected(s) - outcomes.rejected;

    expect(insane).toBe(0);
    expect(s.lines).toBe(lines);
    expect(s.messages).toBe(outcomes.message);
    expect(s.context).toBe(outcomes.context);
    // Parts that were pending either joined a message or were given up as rejected.
    expect(s.fragments + dropped).toBe(outcomes.pending);
    expect(s.messages + s.fragments + s.context + totalRejected(s)).toBe(lines);
    expect(decoder.pendingMessages).toBe(0);
    // The callback saw every rejection, with the same reasons the counters have.
    for (const [reason, count] of reasons) expect(s.rejected[reason]).toBe(count);
    // The mutations reach every path: decoded, assembled, context, and each main reason.
    expect(outcomes.message).toBeGreaterThan(50_000);
    expect(s.fragments).toBeGreaterThan(1_000);
    for (const reason of ['checksum', 'syntax', 'fragment', 'payload_length', 'non_ais'] as const) {
      expect(s.rejected[reason], reason).toBeGreaterThan(100);
    }
  });
});
