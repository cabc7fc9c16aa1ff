/**
 * Reads the message type and MMSI straight from an `!AIVDM` line's armoured payload, without the
 * decoder under test: the report uses it to say which input line a missing message came from.
 */
export interface PayloadPeek {
  /** The two characters between '!' and 'VDM' ('AI', 'AB', 'BS', ...). */
  readonly talker: string;
  /** Radio channel field: 'A', 'B', '1', '2' or empty; receivers write other things too. */
  readonly channel: string;
  /** Fragment number and count (`!AIVDM,count,number,...`). */
  readonly fragment: number;
  readonly fragments: number;
  /** Sequential message id that ties the parts of a multi-sentence message together. */
  readonly sequence: string;
  readonly type: number;
  /** Undefined when the first fragment is too short to hold the MMSI (bits 8-37). */
  readonly mmsi: number | undefined;
  readonly payload: string;
}

function sixbit(char: number): number {
  const value = char - 48;
  return value > 40 ? value - 8 : value;
}

export function peekPayload(line: string): PayloadPeek | undefined {
  const start = line.search(/[!$][^,\\]{2}VD[MO],/);
  if (start < 0) return undefined;
  const talker = line.slice(start + 1, start + 3);
  const fields = line.slice(start).split(',');
  const [, count, number, sequence = '', channel = '', payload] = fields;
  if (payload === undefined || payload.length === 0) return undefined;
  const fragments = Number(count);
  const fragment = Number(number);
  if (!Number.isInteger(fragments) || !Number.isInteger(fragment)) return undefined;
  const type = sixbit(payload.charCodeAt(0));
  let mmsi: number | undefined;
  if (fragment === 1 && payload.length >= 7) {
    let bits = 0;
    for (let i = 0; i < 7; i++) bits = bits * 64 + sixbit(payload.charCodeAt(i));
    // 42 bits read; the MMSI is bits 8..37: drop the 4 low bits and the 8 high ones.
    mmsi = Math.floor(bits / 16) % 2 ** 30;
  }
  return { talker, channel, fragment, fragments, sequence, type, mmsi, payload };
}

/** The message type of a vector: from the first fragment 1 among its sentences. */
export function vectorMessageType(sentences: readonly string[]): number | undefined {
  for (const sentence of sentences) {
    const peek = peekPayload(sentence);
    if (peek !== undefined && peek.fragment === 1) return peek.type;
  }
  return undefined;
}
