import { describe, expect, it } from 'vitest';
import { backpressureChange, overloaded } from '../../src/worker/backpressure.js';

describe('backpressure', () => {
  it('is overloaded when the history sink is full or the producer queue is', () => {
    expect(overloaded({ historyFull: false, producerWritable: true })).toBe(false);
    expect(overloaded({ historyFull: true, producerWritable: true })).toBe(true);
    expect(overloaded({ historyFull: false, producerWritable: false })).toBe(true);
  });

  it('pauses once when the sinks fall behind and resumes once when they drained', () => {
    expect(backpressureChange(true, false)).toBe('pause');
    expect(backpressureChange(true, true)).toBe('none');
    expect(backpressureChange(false, true)).toBe('resume');
    expect(backpressureChange(false, false)).toBe('none');
  });
});
