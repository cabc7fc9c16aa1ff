import { describe, expect, it } from 'vitest';
import { KafkaError } from '../../../src/io/kafka/kafka-error.js';
import { memberOfRawTopic, RAW_TOPIC_PATTERN, rawTopic } from '../../../src/io/kafka/raw-topic.js';

describe('raw feed topics', () => {
  it('maps members to topics and back', () => {
    expect(rawTopic('coast-guard_1')).toBe('ais.raw.coast-guard_1');
    expect(memberOfRawTopic('ais.raw.coast-guard_1')).toBe('coast-guard_1');
    expect(memberOfRawTopic('feeds.navy', 'feeds.')).toBe('navy');
    expect(RAW_TOPIC_PATTERN.test(rawTopic('alpha'))).toBe(true);
    expect(RAW_TOPIC_PATTERN.test('tracks.fused')).toBe(false);
  });

  it('names the bad member or topic', () => {
    expect(() => rawTopic('')).toThrow(KafkaError);
    expect(() => rawTopic('a b')).toThrow(/Member id "a b"/);
    expect(() => memberOfRawTopic('ais.raw.')).toThrow(/Topic "ais.raw."/);
    expect(() => memberOfRawTopic('alerts')).toThrow(/not a raw feed topic/);
  });
});
