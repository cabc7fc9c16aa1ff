import { describe, expect, it } from 'vitest';
import type { AisMessage } from '../../src/ais/ais-message.js';
import { ProgressClock } from '../../src/pipeline/progress-clock.js';
import { type DeadLetter, PartitionDecoder } from '../../src/worker/partition-decoder.js';
import { NO_MEMBER } from '../../src/worker/topic-members.js';
import { TYPE1 } from '../ais/nmea-fixtures.js';

const KAFKA_TIME = Date.UTC(2026, 0, 1);

function decoder(member: string, rejectEveryLine?: 'no_member') {
  const messages: { mmsi: number; member: string }[] = [];
  const letters: DeadLetter[] = [];
  const partition = new PartitionDecoder(
    member,
    'ais.raw.',
    2,
    new ProgressClock(),
    (m: AisMessage, from: string) => messages.push({ mmsi: m.mmsi, member: from }),
    (letter) => letters.push(letter),
    rejectEveryLine,
  );
  return { partition, messages, letters };
}

describe('PartitionDecoder', () => {
  it('decodes a member topic’s lines, the Kafka time standing in for a missing receive time', () => {
    const { partition, messages, letters } = decoder('ca');
    const value = Buffer.from(`${TYPE1}\r\nnot NMEA\n`, 'latin1');
    expect(partition.decode(value, 7, KAFKA_TIME)).toBe(1);
    expect(messages).toEqual([{ mmsi: 371798000, member: 'ca' }]);
    expect(letters.map((l) => [l.reason, l.line])).toEqual([['syntax', 'not NMEA']]);
  });

  it('rejects every line of a topic that names no member as no_member, blank ones aside (issue 13)', () => {
    const { partition, messages, letters } = decoder(NO_MEMBER, 'no_member');
    const value = Buffer.from(`${TYPE1}\r\n\nnot NMEA\r\n\r\n${TYPE1}`, 'latin1');
    expect(partition.decode(value, 7, KAFKA_TIME)).toBe(0);
    expect(messages).toEqual([]);
    expect(letters).toEqual(
      [TYPE1, 'not NMEA', TYPE1].map((line) => ({
        member: NO_MEMBER,
        reason: 'no_member',
        line,
        topic: 'ais.raw.',
        partition: 2,
        offset: 7,
        kafkaTimestamp: KAFKA_TIME,
      })),
    );
    expect(partition.takeNewestTime()).toBe(Number.NEGATIVE_INFINITY);
  });

  it('dead-letters a message with no value (a tombstone) as syntax, with its offset', () => {
    const { partition, messages, letters } = decoder('ca');
    expect(partition.decode(null, 9, KAFKA_TIME)).toBe(0);
    expect(messages).toEqual([]);
    expect(letters.map((l) => [l.reason, l.line, l.offset, l.kafkaTimestamp])).toEqual([
      ['syntax', '', 9, KAFKA_TIME],
    ]);
  });
});
