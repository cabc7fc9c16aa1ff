import { describe, expect, it } from 'vitest';
import { FeedDecoder } from '../../src/ais/feed-decoder.js';
import type { RejectReason } from '../../src/ais/reject-reason.js';
import { TYPE1, tagBlock } from './nmea-fixtures.js';

interface Decoded {
  type: number;
  mmsi: number;
  member: string;
  station: string | undefined;
  receivedAt: number | undefined;
}

/** A FeedDecoder for member `ca` that records what it decodes and rejects. */
function decoder() {
  const messages: Decoded[] = [];
  const rejects: { member: string; reason: RejectReason; line: string }[] = [];
  const feed = new FeedDecoder(
    'ca',
    (m, member, station) =>
      messages.push({ type: m.type, mmsi: m.mmsi, member, station, receivedAt: m.receivedAt }),
    (member, reason, line) => rejects.push({ member, reason, line }),
  );
  return { feed, messages, rejects };
}

const bytes = (text: string): Uint8Array => Buffer.from(text, 'latin1');

describe('FeedDecoder', () => {
  it('decodes NMEA with tag blocks, a line cut across chunks included, and rejects the rest', () => {
    const { feed, messages, rejects } = decoder();
    // gpsd's sample type 1 (MMSI 371798000), heard through station halifax.
    const line = `${tagBlock('s:halifax,c:1733782034')}${TYPE1}`;
    const text = `${line}\n!AIVDM,garbage*00\n${line}`;
    const cut = line.length - 7;
    feed.push(bytes(text.slice(0, cut)));
    expect(messages).toHaveLength(0);
    feed.push(bytes(text.slice(cut)));
    feed.end();

    expect(feed.format).toBe('nmea');
    expect(messages).toEqual([
      {
        type: 1,
        mmsi: 371798000,
        member: 'ca',
        station: 'halifax',
        receivedAt: 1733782034_000,
      },
      {
        type: 1,
        mmsi: 371798000,
        member: 'ca',
        station: 'halifax',
        receivedAt: 1733782034_000,
      },
    ]);
    expect(rejects).toEqual([{ member: 'ca', reason: 'syntax', line: '!AIVDM,garbage*00' }]);
    expect(feed.lineStats).toMatchObject({ lines: 3, messages: 2 });
    expect(feed.lineStats.rejected.syntax).toBe(1);
  });

  it('reads a MarineCadastre CSV when the first line is its header', () => {
    const { feed, messages, rejects } = decoder();
    feed.push(
      bytes(
        'MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status,Length,Width,Draft,Cargo,TransceiverClass\r\n' +
          '338148873,2022-01-03T00:00:00,33.60716,-117.91483,0.0,280.0,511,CAZADOR,,,37,,14,,,,B\r\n' +
          '\r\n' +
          '367379190,2022-01-03T00:00:00,91.5,-88.56408,0.0,336.2,511,EAGLE,IMO8207721,WTD4583,31,0,28,11,3.3,52,A\r\n',
      ),
    );
    feed.end();

    expect(feed.format).toBe('marinecadastre-csv');
    expect(messages).toEqual([
      {
        type: 18,
        mmsi: 338148873,
        member: 'ca',
        station: undefined,
        receivedAt: Date.UTC(2022, 0, 3),
      },
    ]);
    expect(rejects.map((r) => [r.member, r.reason])).toEqual([['ca', 'range']]);
    // Header and blank line are context; every line is accounted for (DESIGN.md §4).
    expect(feed.lineStats).toMatchObject({ lines: 4, messages: 1, context: 2 });
    expect(feed.lineStats.rejected.range).toBe(1);
  });
});
