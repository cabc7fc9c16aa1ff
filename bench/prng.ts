import { createRandom as createSeededRandom, type Random } from '../src/util/random.js';

export type { Random };

/**
 * The project's seeded generator (`src/util/random.ts`, mulberry32): every benchmark builds the
 * same data from the same seed, so two runs, or two machines, measure the same work. `next` is
 * bound because benchmarks pass `createRandom(seed).next` around as a bare `() => number`.
 */
export function createRandom(seed: number): Random {
  const random = createSeededRandom(seed);
  random.next = random.next.bind(random);
  return random;
}
