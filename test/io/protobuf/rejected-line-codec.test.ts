import { describe, expect, it } from 'vitest';
import {
  decodeRejectedLine,
  encodeRejectedLine,
  type RejectedLineMessage,
} from '../../../src/io/protobuf/rejected-line-codec.js';
import { tidewatchSchema } from '../../../src/io/protobuf/tidewatch-schema.js';

const sample: RejectedLineMessage = {
  member: 'ca',
  reason: 'checksum',
  line: '\\s:ca-rx-1,c:1717200000*00\\!AIVDM,1,1,,A,13aEOK?P00PD2wVMdLDRhgvL289?,0*00',
  topic: 'ais.raw.ca',
  partition: 3,
  offset: 2 ** 40 + 7,
  kafkaTimestamp: Date.UTC(2024, 5, 1, 0, 0, 0, 123),
};

describe('rejected line codec', () => {
  it('round-trips a dead letter, 64-bit offset included', () => {
    expect(decodeRejectedLine(encodeRejectedLine(sample))).toEqual(sample);
  });

  it('writes an unknown Kafka timestamp as 0', () => {
    const decoded = decodeRejectedLine(
      encodeRejectedLine({ ...sample, kafkaTimestamp: Number.NaN }),
    );
    expect(decoded.kafkaTimestamp).toBe(0);
  });

  it('maps every field of tidewatch.v1.RejectedLine', () => {
    const fields = tidewatchSchema()
      .rejectedLine.fieldsArray.map((field) => field.name)
      .sort();
    expect(Object.keys(sample).sort()).toEqual(fields);
  });

  it('refuses an unknown reason and bytes that are not a RejectedLine', () => {
    const bad = encodeRejectedLine({ ...sample, reason: 'bogus' as RejectedLineMessage['reason'] });
    expect(() => decodeRejectedLine(bad)).toThrow(/unknown reason "bogus"/);
    expect(() => decodeRejectedLine(Buffer.from([0x0a, 0xff]))).toThrow();
  });
});
