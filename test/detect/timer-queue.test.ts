import { describe, expect, it } from 'vitest';
import { TimerQueue } from '../../src/detect/timer-queue.js';
import { seededRandom } from '../support/seeded-random.js';

describe('TimerQueue', () => {
  it('fires due timers in deadline order, ties in scheduling order (seeded)', () => {
    const queue = new TimerQueue();
    const random = seededRandom(3);
    const fired: [number, number][] = [];
    const scheduled: [number, number][] = [];
    for (let i = 0; i < 2000; i++) {
      const deadline = Math.floor(random() * 500);
      scheduled.push([deadline, i]);
      queue.schedule(deadline, { fire: (now) => fired.push([now, i]) });
    }
    queue.runUntil(249);
    expect(fired.every(([deadline]) => deadline <= 249)).toBe(true);
    queue.runUntil(1000);
    const expected = [...scheduled].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    expect(fired).toEqual(expected);
    expect(queue.size).toBe(0);
  });
});
