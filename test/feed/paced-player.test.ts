import { describe, expect, it } from 'vitest';
import { tagBlockTimeMs } from '../../src/feed/paced-player.js';

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
