import { describe, expect, it } from 'vitest';
import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import { tagBlockTimeMs } from '../../src/ais/tag-block-time.js';
import { TYPE1, tagBlock } from './nmea-fixtures.js';

describe('tagBlockTimeMs', () => {
  it('reads c: in seconds or milliseconds from a tag block', () => {
    expect(tagBlockTimeMs('\\s:ca-1,c:1717200000*5A\\!AIVDM,1,1,,A,1,0*00')).toBe(
      1_717_200_000_000,
    );
    expect(tagBlockTimeMs('\\g:1-2-7,s:x,c:1717200000123*00\\!AIVDM')).toBe(1_717_200_000_123);
  });

  it('is NaN without a tag block or without c:', () => {
    expect(tagBlockTimeMs('!AIVDM,1,1,,A,1,0*00')).toBeNaN();
    expect(tagBlockTimeMs('\\s:ca-1*00\\!AIVDM,1,1,,A,c:5,0*00')).toBeNaN();
    expect(tagBlockTimeMs('\\c:*00\\!AIVDM')).toBeNaN();
  });
});

describe('tagBlockTimeMs agrees with the decoder', () => {
  /** The decoded message's receive time (epoch ms), or the outcome when it is not a message. */
  function decodedReceivedAt(line: string): number | string {
    const decoder = new StreamDecoder();
    const bytes = Buffer.from(line, 'latin1');
    const outcome = decoder.decodeLine(bytes, 0, bytes.length);
    return outcome === 'message' ? decoder.message.receivedAt! : outcome;
  }

  it.each([
    ['10 digits: seconds', 's:ca-1,c:1717200000'],
    ['11 digits: seconds', 's:ca-1,c:17172000001'],
    ['12 digits: milliseconds (AMSA, Kystverket)', 's:ca-1,c:999999999500'],
    ['13 digits: milliseconds', 'c:1717200000123,s:ca-1'],
    ['fractional seconds', 'g:1-1-7,c:1717200000.25'],
    ['c: after a station with a colon in it', 's:rx:c:1,c:1717200000'],
  ])('%s', (_case, fields) => {
    const line = `${tagBlock(fields)}${TYPE1}`;
    const decoded = decodedReceivedAt(line);
    expect(typeof decoded).toBe('number');
    expect(tagBlockTimeMs(line)).toBe(decoded);
  });

  it('is NaN where the decoder rejects the tag block', () => {
    const line = `${tagBlock('s:ca-1,c:17172x0000')}${TYPE1}`;
    expect(decodedReceivedAt(line)).toBe('rejected');
    expect(tagBlockTimeMs(line)).toBeNaN();
  });
});
