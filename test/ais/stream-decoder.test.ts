import { describe, expect, it } from 'vitest';
import { decodeAll } from '../../src/ais/decode-all.js';
import { totalRejected } from '../../src/ais/decode-stats.js';
import type { RejectReason } from '../../src/ais/reject-reason.js';
import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import {
  dollar,
  sentence,
  TYPE1,
  TYPE1_PAYLOAD,
  TYPE5_PART1_PAYLOAD,
  TYPE5_PART2_PAYLOAD,
  tagBlock,
} from './nmea-fixtures.js';

function rejects(text: string): RejectReason[] {
  const reasons: RejectReason[] = [];
  decodeAll(text, { onReject: (reason) => reasons.push(reason) });
  return reasons;
}

const part1 = (seq: number, channel = 'A') =>
  sentence(`AIVDM,2,1,${seq},${channel},${TYPE5_PART1_PAYLOAD},0`);
const part2 = (seq: number, channel = 'A') =>
  sentence(`AIVDM,2,2,${seq},${channel},${TYPE5_PART2_PAYLOAD},2`);

describe('StreamDecoder: receive time and station', () => {
  it('takes c: (seconds) and s: from an NMEA 4 tag block', () => {
    const r = decodeAll(`${tagBlock('s:2573238,c:1733782034')}${TYPE1}`).records[0]!;
    expect(r.receivedAt).toBe('2024-12-09T22:07:14.000Z');
    expect(r.station).toBe('2573238');
  });

  it('reads c: in milliseconds', () => {
    const r = decodeAll(`${tagBlock('c:1733782034123')}${TYPE1}`).records[0]!;
    expect(r.receivedAt).toBe('2024-12-09T22:07:14.123Z');
  });

  it('uses a tag block whose own checksum is wrong, and counts it', () => {
    const { records, stats } = decodeAll(`\\c:1420030798*00\\${TYPE1}`);
    expect(records[0]!.receivedAt).toBe('2014-12-31T12:59:58.000Z');
    expect(stats.tagBlockChecksumErrors).toBe(1);
  });

  it('applies a $PGHP line (time and source MMSI) to the sentences after it', () => {
    const pghp = dollar('PGHP,1,2013,11,12,12,0,0,11,219,,2190067,1,62');
    const { records, stats } = decodeAll(`\\si:AISD*3F\\\n${pghp}\n${TYPE1}`);
    expect(records[0]!.receivedAt).toBe('2013-11-12T12:00:00.011Z');
    expect(records[0]!.station).toBe('2190067');
    expect(stats.context).toBe(2);
  });

  it('reads a receive time appended after the checksum (AMSA exactEarth logs)', () => {
    const r = decodeAll(`${TYPE1},1327992179427`).records[0]!;
    expect(r.receivedAt).toBe('2012-01-31T06:42:59.427Z');
  });

  it('reads USCG NAIS metadata after the checksum: last epoch is the time, r is the station', () => {
    const line = `${TYPE1},d-109,S2105,t050056.00,T56.13718694,r003669946,1325394060,1325394001`;
    const r = decodeAll(line).records[0]!;
    expect(r.receivedAt).toBe('2012-01-01T05:00:01.000Z');
    expect(r.station).toBe('003669946');
  });

  it('ignores other text after the checksum, as gpsd does', () => {
    expect(decodeAll(`${TYPE1},raishub,1342569600`).records[0]!.receivedAt).toBe(
      '2012-07-18T00:00:00.000Z',
    );
    expect(decodeAll(`${TYPE1}\\x0d\\x0a`).stats.messages).toBe(1);
  });

  it('reads a receive time in front of the sentence', () => {
    expect(decodeAll(`1327992179 ${TYPE1}`).records[0]!.receivedAt).toBe(
      '2012-01-31T06:42:59.000Z',
    );
    expect(decodeAll(`2012-01-31T06:42:59.5Z,${TYPE1}`).records[0]!.receivedAt).toBe(
      '2012-01-31T06:42:59.500Z',
    );
  });

  it('prefers the tag block time over the appended one', () => {
    const r = decodeAll(`${tagBlock('c:1733782034')}${TYPE1},1327992179427`).records[0]!;
    expect(r.receivedAt).toBe('2024-12-09T22:07:14.000Z');
  });

  it('uses the fallback time when the line has none, and rejects without one when required', () => {
    const decoder = new StreamDecoder({ requireTime: true });
    const buf = Buffer.from(TYPE1);
    expect(decoder.decodeLine(buf, 0, buf.length)).toBe('rejected');
    expect(decoder.stats.rejected.no_timestamp).toBe(1);
    decoder.setFallbackTime(Date.UTC(2026, 0, 1));
    expect(decoder.decodeLine(buf, 0, buf.length)).toBe('message');
    expect(decoder.message.receivedAt).toBe(Date.UTC(2026, 0, 1));
  });

  it('accepts talkers other than AI, VDO sentences, CRLF and surrounding blanks', () => {
    const lines = [
      sentence(`BSVDM,1,1,,B,${TYPE1_PAYLOAD},0`),
      sentence(`ABVDO,1,1,,,${TYPE1_PAYLOAD},0`),
      `  ${TYPE1}\r`,
    ];
    expect(decodeAll(lines.join('\r\n')).stats.messages).toBe(3);
  });
});

describe('StreamDecoder: multi-sentence messages', () => {
  it('assembles two parts interleaved with other traffic', () => {
    const { records } = decodeAll([part1(3), TYPE1, part2(3)].join('\n'));
    expect(records.map((r) => r.type)).toEqual([1, 5]);
    expect(records[1]!.shipName).toBe('EVER DIADEM');
  });

  it('assembles parts that arrive out of order (AMSA stream)', () => {
    const { records, stats } = decodeAll([part2(4), part1(4)].join('\n'));
    expect(records.map((r) => r.type)).toEqual([5]);
    expect(stats.fragments).toBe(1);
  });

  it('keeps messages with the same sequence id apart by station', () => {
    const a = tagBlock('s:north');
    const b = tagBlock('s:south');
    const { records } = decodeAll(
      [a + part1(1), b + part1(1), a + part2(1), b + part2(1)].join('\n'),
    );
    expect(records.map((r) => r.station)).toEqual(['north', 'south']);
  });

  it("groups by tag-block g: and gives the message the first part's time and station", () => {
    const first = tagBlock('g:1-2-3985,s:rEV02,c:1334337317') + part1(9);
    const second = tagBlock('g:2-2-3985') + part2(9);
    const r = decodeAll(`${first}\n${second}`).records[0]!;
    expect(r.station).toBe('rEV02');
    expect(r.receivedAt).toBe('2012-04-13T17:15:17.000Z');
  });

  it('groups by the NMEA 4.0 form 1G2:id (Kystverket)', () => {
    const first = tagBlock('1G2:58944,s:2573225,c:1733782037') + part1(1, 'B');
    const second = tagBlock('2G2:58944,s:2573225,c:1733782037') + part2(1, 'B');
    expect(decodeAll(`${first}\n${second}`).records.map((r) => r.type)).toEqual([5]);
  });

  it('rejects a part that never completes as fragment at the end of input', () => {
    expect(rejects(part1(2))).toEqual(['fragment']);
  });

  it('gives up a part when the sequence id is reused before it completed', () => {
    const { records, stats } = decodeAll([part1(2), part1(2), part2(2)].join('\n'));
    expect(records).toHaveLength(1);
    expect(stats.rejected.fragment).toBe(1);
  });

  it('bounds the pending set: the oldest is evicted when full, old ones expire', () => {
    const reasons: RejectReason[] = [];
    const decoder = new StreamDecoder({
      fragments: { maxPending: 2, maxAgeLines: 3 },
      onReject: (reason) => reasons.push(reason),
    });
    const feed = (line: string) => {
      const buf = Buffer.from(line);
      return decoder.decodeLine(buf, 0, buf.length);
    };
    feed(part1(1));
    feed(part1(2));
    feed(part1(3)); // evicts seq 1
    expect(reasons).toEqual(['fragment']);
    expect(decoder.pendingMessages).toBe(2);
    feed(TYPE1);
    feed(TYPE1);
    feed(TYPE1);
    feed(part2(3)); // seq 2 (and 3) are older than 3 lines: expired before this part is added
    expect(reasons.length).toBe(3);
    expect(decoder.pendingMessages).toBe(1);
  });
});

describe('StreamDecoder: every line is decoded or rejected with a reason', () => {
  it.each([
    ['checksum', TYPE1.replace('*4A', '*4B')],
    ['syntax', '!AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0'],
    ['syntax', sentence('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208C!,0')],
    ['syntax', sentence('AIVDM,x,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,0')],
    ['syntax', sentence('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8h6g208CQ,7')],
    ['syntax', 'garbage that is not NMEA'],
    ['payload_length', sentence('AIVDM,1,1,,A,15RTgt0PAso;90TKcjM8,0')],
    ['payload_length', sentence('AIVDM,1,1,,A,1,0')],
    ['unsupported_type', sentence('AIVDM,1,1,,A,85N1LdPj2d<<<<<<<0N0`?`50000,0')],
    ['non_ais', dollar('GPRMC,114829.00,A,1228.30668,S,13050.74902,E,0.006,,270112,,,A')],
    ['non_ais', dollar('AIALR,000000.00,003,V,V,AIS: Rx channel 1 malfunction')],
  ] as const)('%s: %s', (reason, line) => {
    expect(rejects(line)).toEqual([reason]);
  });

  it('counts comment and blank lines as context', () => {
    const { stats } = decodeAll(`# a comment\n\n${TYPE1}\n`);
    expect(stats.context).toBe(2);
    expect(stats.messages).toBe(1);
  });

  it('accounts for every line', () => {
    const lines = [TYPE1, part1(1), 'junk', part2(1), part1(5), dollar('GPGGA,1'), '', TYPE1];
    const { stats } = decodeAll(lines.join('\n'));
    expect(stats.lines).toBe(lines.length);
    expect(stats.messages + stats.fragments + stats.context + totalRejected(stats)).toBe(
      stats.lines,
    );
  });
});
