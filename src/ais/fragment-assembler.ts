/**
 * Pending parts of multi-sentence AIS messages (type 5 and long type 21/24/...), keyed by
 * station, sequence id, channel and sentence count. Parts may arrive interleaved with other
 * messages and out of order (AMSA stream); a message completes when every part is present.
 * The pending set is bounded: the oldest entry is evicted when it is full, and an entry older
 * than `maxAgeLines` lines is expired. Evicted and expired parts are handed back as rejected
 * `fragment` lines, so nothing disappears unaccounted.
 */

export interface FragmentAssemblerOptions {
  /** Most messages pending at once. */
  maxPending: number;
  /** Lines after which an incomplete message is given up. */
  maxAgeLines: number;
}

export const DEFAULT_FRAGMENT_OPTIONS: FragmentAssemblerOptions = {
  maxPending: 256,
  maxAgeLines: 500,
};

/** One received part: a copy of its line and where its payload lies in that copy. */
export interface Fragment {
  readonly line: Uint8Array;
  readonly payloadStart: number;
  readonly payloadEnd: number;
  readonly fillBits: number;
  readonly receivedAt: number;
  readonly station: string | undefined;
}

interface Pending {
  readonly key: string;
  readonly parts: (Fragment | undefined)[];
  received: number;
  readonly firstLine: number;
}

export class FragmentAssembler {
  private readonly pending = new Map<string, Pending>();
  private readonly options: FragmentAssemblerOptions;

  constructor(options: Partial<FragmentAssemblerOptions> = {}) {
    this.options = { ...DEFAULT_FRAGMENT_OPTIONS, ...options };
  }

  get size(): number {
    return this.pending.size;
  }

  /**
   * Adds part `number` of `count`. Returns the complete parts in order when this part completes
   * the message, otherwise undefined. Parts of messages given up are passed to `drop`.
   */
  add(
    key: string,
    number: number,
    count: number,
    fragment: Fragment,
    lineNumber: number,
    drop: (fragment: Fragment) => void,
  ): Fragment[] | undefined {
    this.expire(lineNumber, drop);
    let entry = this.pending.get(key);
    if (entry !== undefined && entry.parts[number - 1] !== undefined) {
      // A part we already hold: the sender reused the sequence id, the old message is lost.
      this.remove(entry, drop);
      entry = undefined;
    }
    if (entry === undefined) {
      if (this.pending.size >= this.options.maxPending) {
        const oldest = this.pending.values().next().value;
        if (oldest !== undefined) this.remove(oldest, drop);
      }
      entry = { key, parts: new Array(count).fill(undefined), received: 0, firstLine: lineNumber };
      this.pending.set(key, entry);
    }
    entry.parts[number - 1] = fragment;
    entry.received++;
    if (entry.received < count) return undefined;
    this.pending.delete(key);
    return entry.parts as Fragment[];
  }

  /** Gives up every pending message (end of input). */
  flush(drop: (fragment: Fragment) => void): void {
    for (const entry of [...this.pending.values()]) this.remove(entry, drop);
  }

  private expire(lineNumber: number, drop: (fragment: Fragment) => void): void {
    // Map iteration is in insertion order: the oldest entries come first.
    for (const entry of this.pending.values()) {
      if (lineNumber - entry.firstLine <= this.options.maxAgeLines) break;
      this.remove(entry, drop);
    }
  }

  private remove(entry: Pending, drop: (fragment: Fragment) => void): void {
    this.pending.delete(entry.key);
    for (const part of entry.parts) if (part !== undefined) drop(part);
  }
}
