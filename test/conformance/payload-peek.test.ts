import { describe, expect, it } from 'vitest';
import { peekPayload, vectorMessageType } from './payload-peek.js';

describe('peekPayload', () => {
  it('reads talker, channel, fragment, type and MMSI without the decoder', () => {
    expect(peekPayload('!AIVDM,1,1,,A,15M67FC000G?ufbE`FepT@3n00Sa,0*5C')).toEqual({
      talker: 'AI',
      channel: 'A',
      fragment: 1,
      fragments: 1,
      sequence: '',
      type: 1,
      mmsi: 366053209,
      payload: '15M67FC000G?ufbE`FepT@3n00Sa',
    });
  });

  it('finds the sentence behind a tag block and accepts odd talkers', () => {
    const peek = peekPayload(
      '\\s:2573238,c:1733782034*0A\\!=IVDM,1,1,,B,18JSmJ001D8FqSClKd51JAD20D0W,0*2E',
    );
    expect(peek).toMatchObject({ talker: '=I', type: 1, mmsi: 564721000 });
  });

  it('has no MMSI for a later fragment and nothing for non-AIS lines', () => {
    expect(peekPayload('!AIVDM,2,2,7,A,EQC`4Sm51A0C@08,2*50')?.mmsi).toBeUndefined();
    expect(peekPayload('$PGHP,1,2014,10,2,16,30,3,887,219,1,992190917,1,7B*5C')).toBeUndefined();
    expect(peekPayload('!AIVDM,1,1,,B,,0*25')).toBeUndefined();
  });
});

describe('vectorMessageType', () => {
  it('takes the type from the first fragment 1, whatever the order', () => {
    expect(
      vectorMessageType([
        '!AIVDM,2,2,4,A,000000000000000,2*20',
        '!AIVDM,2,1,4,A,55O0W7`00001L@gCWGA2uItLth@DqtL5@F22220j1h742t0Ht0000000,0*08',
      ]),
    ).toBe(5);
  });
});
