import { describe, expect, it } from 'vitest';
import { subscription } from '../../../src/io/kafka/subscription.js';

describe('subscription', () => {
  it('passes topic names and gives patterns to librdkafka as ^-strings', () => {
    expect(subscription(['alerts', /^ais\.raw\./])).toEqual(['alerts', '^ais\\.raw\\.']);
  });

  it('refuses an empty list, an empty name and a pattern librdkafka would take as a name', () => {
    expect(() => subscription([])).toThrow(/the list is empty/);
    expect(() => subscription([''])).toThrow(/an empty topic name/);
    expect(() => subscription([/ais\.raw\./])).toThrow(/must start with \^/);
  });
});
