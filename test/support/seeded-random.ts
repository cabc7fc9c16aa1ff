import { createRandom } from '../../src/util/random.js';

/**
 * The project's seeded generator (`src/util/random.ts`, mulberry32) as a bare `() => number` in
 * [0, 1), the shape fuzz and property tests and `test/zones/random-polygons.ts` take.
 */
export function seededRandom(seed: number): () => number {
  const random = createRandom(seed);
  return () => random.next();
}
