import { describe, expect, it } from 'vitest';
import { alertMessage, decodeAlert, encodeAlert } from '../../../src/io/protobuf/alert-codec.js';
import { CodecError } from '../../../src/io/protobuf/codec-error.js';
import { tidewatchSchema } from '../../../src/io/protobuf/tidewatch-schema.js';
import { closedZoneAlert, sampleAlert } from './codec-fixtures.js';

describe('alert codec', () => {
  it('round-trips an open pairwise alert, detail as text', () => {
    const alert = sampleAlert();
    const decoded = decodeAlert(encodeAlert(alertMessage(alert)));
    expect(decoded).toEqual({
      ...alert,
      status: 'open',
      detail: {
        distanceMeters: '312.5',
        durationSeconds: '7260',
        inPort: 'false',
        note: 'ship-to-ship',
      },
    });
    expect(decoded.end).toBeUndefined();
    expect(decoded.zoneId).toBeUndefined();
  });

  it('keeps present-but-zero optional fields apart from absent ones', () => {
    const alert = closedZoneAlert();
    const decoded = decodeAlert(encodeAlert(alertMessage(alert)));
    expect(decoded).toEqual({ ...alert, status: 'closed', detail: {} });
    expect(decoded.end).toBe(0);
    expect(decoded.otherMmsi).toBeUndefined();
  });

  it('carries a withdrawal: status withdrawn and its reason (issue 14, fields 14 and 15)', () => {
    const alert = { ...closedZoneAlert(), withdrawnReason: 'path_not_covered' };
    const decoded = decodeAlert(encodeAlert(alertMessage(alert)));
    expect(decoded.status).toBe('withdrawn');
    expect(decoded.withdrawnReason).toBe('path_not_covered');
    expect(decodeAlert(encodeAlert(alertMessage(closedZoneAlert()))).withdrawnReason).toBe(
      undefined,
    );
  });

  it('reads the status of a producer from before it (no field 14) from its end', () => {
    const schema = tidewatchSchema().alert;
    const old = (alert: ReturnType<typeof sampleAlert>) =>
      decodeAlert(schema.encode({ ...alertMessage(alert), status: undefined }).finish());
    expect(old(sampleAlert()).status).toBe('open');
    expect(old(closedZoneAlert()).status).toBe('closed');
    const bad = schema.encode({ ...alertMessage(sampleAlert()), status: 'maybe' }).finish();
    expect(() => decodeAlert(bad)).toThrow(/unknown status "maybe"/);
  });

  it('maps every field of tidewatch.v1.Alert', () => {
    const fields = tidewatchSchema()
      .alert.fieldsArray.map((field) => field.name)
      .sort();
    expect(Object.keys(decodeAlert(encodeAlert(alertMessage(sampleAlert())))).sort()).toEqual(
      fields,
    );
  });

  it('carries the coalition policy version, absent without a coalition (DESIGN.md §6)', () => {
    const alert = sampleAlert();
    expect(decodeAlert(encodeAlert(alertMessage(alert, '0123abcd4567ef89'))).policyVersion).toBe(
      '0123abcd4567ef89',
    );
    const plain = decodeAlert(encodeAlert(alertMessage(alert)));
    expect(Object.hasOwn(plain, 'policyVersion') && plain.policyVersion !== undefined).toBe(false);
  });

  it('does not share the core alert’s sources (the core revises alerts in place)', () => {
    const alert = sampleAlert();
    const message = alertMessage(alert);
    alert.sources.push('charlie');
    expect(message.sources).toEqual(['alpha', 'bravo']);
  });

  it('refuses unknown kinds, a missing rule and bytes that are not an Alert', () => {
    const schema = tidewatchSchema().alert;
    const unknownKind = schema.encode({ ...alertMessage(sampleAlert()), kind: 'piracy' }).finish();
    expect(() => decodeAlert(unknownKind)).toThrow(/unknown kind "piracy"/);
    const noRule = schema.encode({ ...alertMessage(sampleAlert()), rule: undefined }).finish();
    expect(() => decodeAlert(noRule)).toThrow(/no rule/);
    try {
      decodeAlert(Buffer.from([0x0a, 0xff, 0xff]));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CodecError);
      expect((error as CodecError).code).toBe('PROTO_DECODE_FAILED');
    }
  });

  it('refuses to encode a start that is not a time', () => {
    expect(() => encodeAlert({ ...alertMessage(sampleAlert()), start: Number.NaN })).toThrow(
      CodecError,
    );
  });
});
