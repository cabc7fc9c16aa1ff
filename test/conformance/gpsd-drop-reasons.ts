import { peekPayload } from './payload-peek.js';

/**
 * Why gpsd 3.22 printed nothing for a message we decoded, read from the input lines: which
 * lines its packet lexer and driver_ais.c drop (checked one by one with `gpsdecode -j`).
 */

/** Talkers gpsd 3.22's packet lexer accepts after '!' (packet.c); it drops any other line. */
const GPSD_AIS_TALKERS: ReadonlySet<string> = new Set([
  'AI',
  'AB',
  'AD',
  'AN',
  'AR',
  'AS',
  'AT',
  'AX',
  'BS',
  'SA',
]);

/** Channels gpsd 3.22 accepts ("invalid AIS channel" otherwise). */
const GPSD_AIS_CHANNELS: ReadonlySet<string> = new Set(['', 'A', 'B', '1', '2']);

/** What the input lines holding a message's first fragment say about it. */
export interface InputFacts {
  readonly bits: Set<number>;
  readonly talkers: Set<string>;
  readonly channels: Set<string>;
  /** The line is the file's last one and has no newline (gpsdecode never reads it). */
  unterminated: boolean;
  /** The line before is a sentence cut short (no `*hh`): gpsd's lexer swallows the next line. */
  afterTruncated: boolean;
}

function isTruncatedSentence(line: string | undefined): boolean {
  return line !== undefined && /[!$][^,\\]{2}VD[MO],/.test(line) && !/\*[0-9A-Fa-f]{2}/.test(line);
}

/** Input lines by `type:mmsi` of their first fragment. */
export function indexInputLines(input: string): Map<string, InputFacts> {
  const byKey = new Map<string, InputFacts>();
  const lines = input.split('\n');
  // First fragments by `count:sequence`, to find the message a later part belongs to.
  const firstParts = new Map<string, InputFacts>();
  lines.forEach((line, index) => {
    const peek = peekPayload(line);
    const last = index === lines.length - 1 && line.trim() !== '';
    if (peek !== undefined && peek.fragment > 1) {
      const first = firstParts.get(`${peek.fragments}:${peek.sequence}`);
      if (first !== undefined && last) first.unterminated = true;
      return;
    }
    if (peek === undefined || peek.fragment !== 1 || peek.mmsi === undefined) return;
    const key = `${peek.type}:${peek.mmsi}`;
    const facts = byKey.get(key) ?? {
      bits: new Set(),
      talkers: new Set(),
      channels: new Set(),
      unterminated: false,
      afterTruncated: false,
    };
    const fill = Number(/,(\d)\*[0-9A-Fa-f]{2}/.exec(line)?.[1] ?? 0);
    facts.bits.add(peek.fragments === 1 ? peek.payload.length * 6 - fill : -1);
    facts.talkers.add(peek.talker);
    facts.channels.add(peek.channel);
    if (last) facts.unterminated = true;
    if (isTruncatedSentence(lines[index - 1])) facts.afterTruncated = true;
    byKey.set(key, facts);
    if (peek.fragments > 1) firstParts.set(`${peek.fragments}:${peek.sequence}`, facts);
  });
  return byKey;
}

export function describeInput(facts: InputFacts | undefined): string {
  if (facts === undefined) return 'no input line found';
  const bits = [...facts.bits].map((n) => (n < 0 ? 'multi-sentence' : `${n} bits`));
  return `input ${bits.join(', ')}`;
}

/** Why gpsd printed nothing for a message we decoded, as far as the input tells. */
export function whyOnlyOurs(
  type: unknown,
  facts: InputFacts | undefined,
  freshPartA: boolean,
): string {
  if (type === 24 && !freshPartA) {
    return 'type 24 part B with no new part A before it: gpsd prints part B once per queued part A';
  }
  const unknownTalker = [...(facts?.talkers ?? [])].find((t) => !GPSD_AIS_TALKERS.has(t));
  if (unknownTalker !== undefined) {
    return `talker '${unknownTalker}' unknown to gpsd's packet lexer (it drops the line)`;
  }
  const badChannel = [...(facts?.channels ?? [])].find((c) => !GPSD_AIS_CHANNELS.has(c));
  if (badChannel !== undefined) {
    return `channel '${badChannel}' (not A/B/1/2): gpsd rejects the sentence`;
  }
  if (facts?.unterminated === true) return 'last line has no newline: gpsdecode never reads it';
  if (facts?.afterTruncated === true) {
    return "follows a sentence cut short (no checksum): gpsd's lexer swallows the next line";
  }
  if (type === 27 && facts !== undefined && !facts.bits.has(96)) {
    return `type 27 of ${describeInput(facts)}: gpsd takes only 96 bits (driver_ais.c)`;
  }
  if (type === 24) {
    return 'type 24 part B whose part A gpsd did not queue (not 160 bits) or lost (8-slot queue)';
  }
  return `type ${String(type)} not printed by gpsd (${describeInput(facts)})`;
}
