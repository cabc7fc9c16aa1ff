import { describe, expect, it } from 'vitest';
import { StreamDecoder } from '../../src/ais/stream-decoder.js';
import {
  CUT_LINE_BYTES,
  LINE_BATCHER_DEFAULTS,
  LineBatcher,
  type LineBatcherOptions,
  MAX_LINE_BYTES,
} from '../../src/feed/line-batcher.js';

interface Emitted {
  readonly lines: string[];
  readonly lineCount: number;
  readonly bytes: number;
  readonly firstLineAtMs: number;
}

interface Oversize {
  readonly lineBytes: number;
  readonly head: string;
}

/** A batcher that records what it emits and the oversize lines it hears of. */
function recorder(options: LineBatcherOptions = {}) {
  const emitted: Emitted[] = [];
  const skipped: Oversize[] = [];
  const batcher = new LineBatcher(
    options,
    (payload, lineCount, firstLineAtMs) =>
      emitted.push({
        lines: payload.toString('latin1').split('\n'),
        lineCount,
        bytes: payload.length,
        firstLineAtMs,
      }),
    (lineBytes, head) => skipped.push({ lineBytes, head }),
  );
  const allLines = (): string[] => emitted.flatMap((message) => message.lines);
  return { batcher, emitted, skipped, allLines };
}

const NO_LINGER = { lingerMs: 1e9 };
const buf = (text: string): Buffer => Buffer.from(text, 'latin1');
const line = (i: number): string => `!AIVDM,1,1,,A,line${i},0*00`;

describe('LineBatcher: limits', () => {
  it('finishes a message at maxLines lines, newline-separated without a trailing newline', () => {
    const { batcher, emitted } = recorder({ ...NO_LINGER, maxLines: 3 });
    batcher.push(buf('a\nb\nc\nd\ne\nf\ng\n'), 0);
    expect(emitted.map((m) => m.lines)).toEqual([
      ['a', 'b', 'c'],
      ['d', 'e', 'f'],
    ]);
    expect(emitted.map((m) => m.lineCount)).toEqual([3, 3]);
    expect(emitted[0]!.bytes).toBe('a\nb\nc'.length);
    expect(batcher.pendingLines).toBe(1);
    batcher.flush();
    expect(emitted.at(-1)!.lines).toEqual(['g']);
    batcher.flush();
    expect(emitted).toHaveLength(3);
  });

  it('never exceeds maxBytes: the line that does not fit starts the next message', () => {
    const { batcher, emitted } = recorder({ ...NO_LINGER, maxBytes: 8194 });
    const long = 'x'.repeat(3000);
    batcher.push(buf(`${long}\n${long}\n${long}\n`), 0);
    // Two lines and a newline: 6001 bytes; a third would make 9002.
    expect(emitted.map((m) => m.bytes)).toEqual([6001]);
    expect(batcher.pendingLines).toBe(1);
  });

  it('finishes a message that holds exactly maxBytes at once', () => {
    const { batcher, emitted } = recorder({ ...NO_LINGER, maxBytes: 8194 });
    // 4097 + 1 + 4096 = 8194 bytes.
    batcher.push(buf(`${'a'.repeat(4097)}\n${'b'.repeat(4096)}\n`), 0);
    expect(emitted.map((m) => m.bytes)).toEqual([8194]);
    expect(batcher.pendingLines).toBe(0);
  });

  it('keeps every message within both limits on a long stream, losing and reordering nothing', () => {
    const { batcher, emitted, allLines } = recorder({ ...NO_LINGER, maxLines: 50, maxBytes: 8194 });
    const expected: string[] = [];
    let text = '';
    for (let i = 0; i < 5000; i++) {
      // Lengths from 20 to 1019 bytes.
      const value = `${line(i)}${'p'.repeat((i * 37) % 1000)}`;
      expected.push(value);
      text += `${value}\n`;
    }
    batcher.push(buf(text), 0);
    batcher.flush();
    expect(allLines()).toEqual(expected);
    for (const message of emitted) {
      expect(message.bytes).toBeLessThanOrEqual(8194);
      expect(message.lineCount).toBeLessThanOrEqual(50);
      expect(message.lines).toHaveLength(message.lineCount);
    }
    expect(emitted.length).toBeGreaterThan(5000 / 50);
  });

  it('rejects limits it cannot honour, naming the value', () => {
    const make = (options: LineBatcherOptions) => () => new LineBatcher(options, () => {});
    expect(make({ maxLines: 0 })).toThrow(/maxLines: 0 /);
    expect(make({ maxLines: 1.5 })).toThrow(/maxLines: 1.5 /);
    expect(make({ maxBytes: CUT_LINE_BYTES - 1 })).toThrow(/maxBytes: 8193 .*from 8194/);
    expect(make({ maxBytes: 2_000_000 })).toThrow(/maxBytes: 2000000 /);
    expect(make({ lingerMs: -1 })).toThrow(/lingerMs: -1 /);
    expect(() => new LineBatcher({}, () => {})).not.toThrow();
    expect(LINE_BATCHER_DEFAULTS).toEqual({ maxLines: 500, maxBytes: 262_144, lingerMs: 50 });
  });
});

describe('LineBatcher: line splitting', () => {
  it('keeps a line cut by a chunk boundary, at every cut position', () => {
    const text = 'first line\r\nsecond\n\nthird line\r\nlast\n';
    for (let cut = 0; cut <= text.length; cut++) {
      const { batcher, allLines } = recorder(NO_LINGER);
      batcher.push(buf(text.slice(0, cut)), 0);
      batcher.push(buf(text.slice(cut)), 0);
      batcher.flush();
      expect(allLines(), `cut at ${cut}`).toEqual(['first line', 'second', 'third line', 'last']);
    }
  });

  it('joins a line spread over many one-byte chunks', () => {
    const { batcher, allLines } = recorder(NO_LINGER);
    for (const byte of buf(`${line(1)}\r\n${line(2)}\n`)) batcher.push(Buffer.of(byte), 0);
    batcher.flush();
    expect(allLines()).toEqual([line(1), line(2)]);
  });

  it('splits on LF and CRLF, skips empty lines and keeps other whitespace and tag blocks', () => {
    const tagged = '\\s:rx1,c:1714608000*5A\\!AIVDM,1,1,,B,13u?etPv2;0n:dDPwUM1U1Cb069D,0*23';
    const { batcher, allLines, emitted } = recorder(NO_LINGER);
    batcher.push(buf(`\r\n\n${tagged}\r\n\r\n  \nlone\rcr\n\n`), 0);
    batcher.flush();
    expect(allLines()).toEqual([tagged, '  ', 'lone\rcr']);
    expect(emitted).toHaveLength(1);
  });

  it('ends the last line at endStream (a datagram, the end of a file or connection)', () => {
    const { batcher, allLines } = recorder(NO_LINGER);
    batcher.push(buf('one\ntwo'), 0);
    expect(batcher.partialBytes).toBe(3);
    batcher.endStream(0);
    expect(batcher.partialBytes).toBe(0);
    // The next datagram starts a line of its own.
    batcher.push(buf('three\r'), 0);
    batcher.endStream(0);
    batcher.endStream(0);
    batcher.flush();
    expect(allLines()).toEqual(['one', 'two', 'three']);
  });
});

describe('LineBatcher: oversize lines', () => {
  /** What the decoder makes of a line: oversize cuts must be rejected as syntax. */
  const decoded = (text: string): string => {
    const reasons: string[] = [];
    const decoder = new StreamDecoder({ onReject: (reason) => reasons.push(reason) });
    const bytes = buf(text);
    const outcome = decoder.decodeLine(bytes, 0, bytes.length);
    return outcome === 'rejected' ? reasons.join(',') : outcome;
  };

  it('passes a line of MAX_LINE_BYTES, sends a longer one cut, in a chunk or across chunks', () => {
    const longest = 'L'.repeat(MAX_LINE_BYTES);
    const tooLong = `T${'x'.repeat(MAX_LINE_BYTES + 500)}`;
    // A `\r` where the cut would end: one byte more keeps the cut too long for the decoder.
    const crAtCut = `C${'x'.repeat(MAX_LINE_BYTES - 1)}\r${'y'.repeat(100)}`;
    const text = `a\n${longest}\r\n${tooLong}\nb\n${tooLong}\r\n${crAtCut}\nc\n`;
    for (const chunkBytes of [text.length, 1000, 7, 1]) {
      const { batcher, allLines, skipped, emitted } = recorder(NO_LINGER);
      for (let start = 0; start < text.length; start += chunkBytes) {
        batcher.push(buf(text.slice(start, start + chunkBytes)), 0);
      }
      batcher.flush();
      const cut = tooLong.slice(0, MAX_LINE_BYTES + 1);
      expect(allLines(), `chunks of ${chunkBytes}`).toEqual([
        'a',
        longest,
        cut,
        'b',
        cut,
        crAtCut.slice(0, MAX_LINE_BYTES + 2),
        'c',
      ]);
      expect(skipped).toEqual([
        { lineBytes: tooLong.length, head: `T${'x'.repeat(39)}` },
        { lineBytes: tooLong.length, head: `T${'x'.repeat(39)}` },
        { lineBytes: crAtCut.length, head: `C${'x'.repeat(39)}` },
      ]);
      expect(batcher.stats().oversize).toBe(3);
      expect(batcher.stats().lines).toBe(7);
      expect(emitted.every((m) => m.bytes <= LINE_BATCHER_DEFAULTS.maxBytes)).toBe(true);
    }
    expect(decoded(tooLong.slice(0, MAX_LINE_BYTES + 1))).toBe('syntax');
    expect(decoded(crAtCut.slice(0, MAX_LINE_BYTES + 2))).toBe('syntax');
    // The decoder's own limit: MAX_LINE_BYTES and a `\r` are still looked at as NMEA.
    const valid = '!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*26';
    expect(decoded(valid)).toBe('message');
    expect(decoded(`${valid}${' '.repeat(MAX_LINE_BYTES - valid.length)}\r`)).toBe('message');
    expect(decoded(`${valid}${' '.repeat(MAX_LINE_BYTES + 1 - valid.length)}`)).toBe('syntax');
  });

  it('keeps only the cut of a huge line without a newline, up to the end of the stream', () => {
    const { batcher, allLines, skipped } = recorder(NO_LINGER);
    batcher.push(buf('before\nGARBAGE'), 0);
    const block = Buffer.alloc(1 << 16, 0x55);
    for (let i = 0; i < 16; i++) batcher.push(block, 0);
    expect(batcher.partialBytes).toBe(7 + 16 * block.length);
    batcher.endStream(0);
    batcher.push(buf('after\n'), 0);
    batcher.flush();
    expect(allLines()).toEqual(['before', `GARBAGE${'U'.repeat(MAX_LINE_BYTES + 1 - 7)}`, 'after']);
    expect(skipped).toEqual([
      { lineBytes: 7 + 16 * block.length, head: `GARBAGE${'U'.repeat(33)}` },
    ]);
  });
});

describe('LineBatcher: linger', () => {
  it('is due lingerMs after the first line of the message', () => {
    const { batcher, emitted } = recorder({ lingerMs: 50 });
    expect(batcher.dueAtMs()).toBeUndefined();
    expect(batcher.flushIfDue(1000)).toBe(false);
    batcher.push(buf('a\n'), 1000);
    batcher.push(buf('b\n'), 1030);
    expect(batcher.dueAtMs()).toBe(1050);
    expect(batcher.flushIfDue(1049)).toBe(false);
    expect(emitted).toHaveLength(0);
    expect(batcher.flushIfDue(1050)).toBe(true);
    expect(emitted).toEqual([{ lines: ['a', 'b'], lineCount: 2, bytes: 3, firstLineAtMs: 1000 }]);
    expect(batcher.dueAtMs()).toBeUndefined();
  });

  it('finishes an overdue message before taking lines that arrived after its linger time', () => {
    const { batcher, emitted } = recorder({ lingerMs: 50 });
    batcher.push(buf('a\nb'), 1000);
    batcher.push(buf('\nc\n'), 1060);
    batcher.flush();
    // "b" was complete only at 1060: it belongs to the second message.
    expect(emitted.map((m) => [m.lines, m.firstLineAtMs])).toEqual([
      [['a'], 1000],
      [['b', 'c'], 1060],
    ]);
  });

  it('with lingerMs 0 sends each chunk as it comes', () => {
    const { batcher, emitted } = recorder({ lingerMs: 0 });
    batcher.push(buf('a\nb\n'), 5);
    expect(batcher.flushIfDue(5)).toBe(true);
    batcher.push(buf('c\n'), 5);
    batcher.push(buf('d\n'), 6);
    expect(emitted.map((m) => m.lines)).toEqual([['a', 'b'], ['c']]);
  });
});

describe('LineBatcher: counters', () => {
  it('counts lines, finished messages and their bytes', () => {
    const { batcher } = recorder({ ...NO_LINGER, maxLines: 2 });
    batcher.push(buf(`a\nbb\n\nccc\n${'x'.repeat(MAX_LINE_BYTES + 1)}\n`), 0);
    expect(batcher.stats()).toEqual({
      lines: 4,
      messages: 2,
      bytes: 4 + 3 + 1 + MAX_LINE_BYTES + 1,
      oversize: 1,
    });
  });
});
