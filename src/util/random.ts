/**
 * Seeded pseudo-random numbers for the simulator, tests and benchmarks: the same seed gives the
 * same traffic on every run and every machine. The generator is mulberry32 (Tommy Ettinger's
 * 32-bit state mixer); tests take it through `test/support/seeded-random.ts`.
 *
 * `fork(label)` derives an independent stream from the seed and a label without consuming the
 * parent's numbers: the simulator gives every vessel its own stream, so adding background traffic
 * does not move the injected events.
 */
export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max]. */
  int(min: number, max: number): number;
  /** Uniform in [min, max). */
  uniform(min: number, max: number): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** An independent stream named `label`, derived from this stream's seed. */
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  if (!Number.isFinite(seed)) throw new RangeError(`Random seed: ${seed} is not a finite number.`);
  return new Mulberry32(seed >>> 0);
}

class Mulberry32 implements Random {
  private state: number;

  constructor(private readonly seed: number) {
    this.state = seed;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  uniform(min: number, max: number): number {
    return min + this.next() * (max - min);
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Random.pick: no items.');
    return items[Math.floor(this.next() * items.length)]!;
  }

  fork(label: string): Random {
    return new Mulberry32(mixSeed(this.seed, label));
  }
}

/** FNV-1a over the label, folded into the seed, then murmur3's 32-bit finaliser. */
function mixSeed(seed: number, label: string): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b) >>> 0;
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35) >>> 0;
  h ^= h >>> 16;
  return h >>> 0;
}
