import { describe, expect, it } from 'vitest';
import { NO_MEMBER, TopicMembers } from '../../src/worker/topic-members.js';

describe('TopicMembers', () => {
  it("takes the member from the raw topic's name after the prefix", () => {
    const members = new TopicMembers(new Map(), 'ais.raw.');
    expect(members.memberOf('ais.raw.ca-ns')).toBe('ca-ns');
    expect(members.memberOf('ais.raw.ca-ns')).toBe('ca-ns');
  });

  it('prefers the topic a member is configured with (kafka.members)', () => {
    const members = new TopicMembers(new Map([['no', 'kystverket.ais']]), 'ais.raw.');
    expect(members.memberOf('kystverket.ais')).toBe('no');
    expect(members.memberOf('ais.raw.uk')).toBe('uk');
  });

  it('refuses a topic that names no member', () => {
    const members = new TopicMembers(new Map(), 'ais.raw.');
    expect(() => members.memberOf('tracks.fused')).toThrow(
      expect.objectContaining({ code: 'KAFKA_BAD_TOPIC' }),
    );
  });

  it('finds no member for a topic that names none, without throwing (issue 13: `ais.raw.`)', () => {
    const members = new TopicMembers(new Map([['no', 'kystverket.ais']]), 'ais.raw.');
    expect(members.find('ais.raw.')).toBeUndefined();
    expect(members.labelOf('ais.raw.')).toBe(NO_MEMBER);
    expect(members.find('ais.raw.m33')).toBe('m33');
    expect(members.labelOf('kystverket.ais')).toBe('no');
    // Asked again (the answer is remembered): the same.
    expect(members.find('ais.raw.')).toBeUndefined();
    expect(() => members.memberOf('ais.raw.')).toThrow(
      expect.objectContaining({ code: 'KAFKA_BAD_TOPIC' }),
    );
  });
});
