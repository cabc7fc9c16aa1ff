import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Coalition } from '../../src/coalition/coalition.js';
import { parseCoalitionText } from '../../src/coalition/coalition-text.js';
import {
  type AclBinding,
  type KafkaTopicLayout,
  kafkaAuthorisation,
  passwordEnvName,
} from '../../src/coalition/kafka-acls.js';
import { parseCoalition } from '../../src/coalition/parse-coalition.js';
import { randomCoalitionDocument } from '../support/random-coalition.js';
import {
  authorized,
  type ModelOperation,
  type ModelResourceType,
} from './kafka-authorizer-model.js';

const EXAMPLE = fileURLToPath(new URL('../../config/coalition.example.yaml', import.meta.url));

const LAYOUT: KafkaTopicLayout = {
  rawTopicPrefix: 'ais.raw.',
  fusedTopic: 'tracks.fused',
  alertsTopic: 'alerts',
  rejectedTopic: 'ais.rejected',
  workerGroupId: 'tidewatch',
};

const WORKER = 'User:tidewatch-worker';
const ADMIN = 'User:tidewatch-admin';
const OPERATIONS: readonly ModelOperation[] = [
  'READ',
  'WRITE',
  'CREATE',
  'DELETE',
  'ALTER',
  'DESCRIBE',
  'DESCRIBE_CONFIGS',
  'ALTER_CONFIGS',
];

function loadExample(): Coalition {
  return parseCoalitionText(readFileSync(EXAMPLE, 'utf8'), { source: EXAMPLE });
}

/**
 * Every topic a member or the worker could name: each member's three, the whole picture's
 * outputs, dead letters, and topics of no member (a raw topic without a member, a member that is
 * not in the file).
 */
function topicUniverse(ids: readonly string[]): string[] {
  return [
    ...ids.flatMap((id) => [`ais.raw.${id}`, `tracks.fused.${id}`, `alerts.${id}`]),
    'tracks.fused',
    'alerts',
    'ais.rejected',
    'ais.raw.',
    'ais.raw.stranger',
    'tracks.fused.stranger',
    'alerts.stranger',
    '__consumer_offsets',
  ];
}

/**
 * Checks every member against every topic and group, and the worker, through the authorizer
 * model: the whole of what each principal may do, not the list of bindings.
 */
function checkLeastPrivilege(coalition: Coalition): void {
  const auth = kafkaAuthorisation(coalition, LAYOUT);
  const ids = coalition.members.map((m) => m.id);
  const can = (
    principal: string,
    operation: ModelOperation,
    type: ModelResourceType,
    name: string,
  ) =>
    authorized(auth.bindings, auth.superUsers, { principal, operation, resourceType: type, name });
  const topics = topicUniverse(ids);
  for (const id of ids) {
    const me = `User:member-${id}`;
    for (const topic of topics) {
      for (const operation of OPERATIONS) {
        const mayWrite = topic === `ais.raw.${id}`;
        const mayRead = topic === `tracks.fused.${id}` || topic === `alerts.${id}`;
        const expected =
          operation === 'WRITE'
            ? mayWrite
            : operation === 'READ'
              ? mayRead
              : operation === 'DESCRIBE'
                ? mayRead || mayWrite
                : false;
        expect(can(me, operation, 'TOPIC', topic), `${me} ${operation} ${topic}`).toBe(expected);
      }
    }
    for (const other of [...ids, 'stranger']) {
      const group = `member-${other}.ops-centre`;
      expect(can(me, 'READ', 'GROUP', group), `${me} READ group ${group}`).toBe(other === id);
    }
    expect(can(me, 'READ', 'GROUP', 'tidewatch'), `${me} joins the worker's group`).toBe(false);
    for (const operation of ['CREATE', 'IDEMPOTENT_WRITE', 'ALTER', 'CLUSTER_ACTION'] as const) {
      expect(can(me, operation, 'CLUSTER', 'kafka-cluster'), `${me} ${operation}`).toBe(false);
    }
  }
  const raw = new Set(ids.map((id) => `ais.raw.${id}`));
  const outputs = new Set([
    'tracks.fused',
    'alerts',
    'ais.rejected',
    ...ids.flatMap((id) => [`tracks.fused.${id}`, `alerts.${id}`]),
  ]);
  for (const topic of topics) {
    const isRaw = raw.has(topic) || topic.startsWith('ais.raw.');
    expect(can(WORKER, 'READ', 'TOPIC', topic), `worker READ ${topic}`).toBe(isRaw);
    expect(can(WORKER, 'WRITE', 'TOPIC', topic), `worker WRITE ${topic}`).toBe(outputs.has(topic));
    expect(can(WORKER, 'CREATE', 'TOPIC', topic), `worker CREATE ${topic}`).toBe(false);
  }
  expect(can(WORKER, 'READ', 'GROUP', 'tidewatch')).toBe(true);
  expect(can(WORKER, 'READ', 'GROUP', `member-${ids[0]}.x`)).toBe(false);
  expect(can(ADMIN, 'CREATE', 'CLUSTER', 'kafka-cluster')).toBe(true);
}

describe('kafkaAuthorisation (issue 13)', () => {
  it('gives the example coalition a principal per member, the worker and an admin, with passwords from the environment', () => {
    const auth = kafkaAuthorisation(loadExample(), LAYOUT);
    expect(auth.principals.map((p) => [p.principal, p.role, p.passwordEnv])).toEqual([
      [ADMIN, 'admin', 'TIDEWATCH_KAFKA_PASSWORD_TIDEWATCH_ADMIN'],
      [WORKER, 'worker', 'TIDEWATCH_KAFKA_PASSWORD_TIDEWATCH_WORKER'],
      ['User:member-au', 'member', 'TIDEWATCH_KAFKA_PASSWORD_MEMBER_AU'],
      ['User:member-ca', 'member', 'TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA'],
      ['User:member-ca-kb', 'member', 'TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA_KB'],
      ['User:member-no', 'member', 'TIDEWATCH_KAFKA_PASSWORD_MEMBER_NO'],
    ]);
    expect(auth.superUsers).toEqual([ADMIN]);
  });

  it('grants a member exactly: write and describe its raw topic, read and describe its two outputs, read its groups', () => {
    const auth = kafkaAuthorisation(loadExample(), LAYOUT);
    const of = (principal: string) =>
      auth.bindings
        .filter((b) => b.principal === principal)
        .map(
          (b) =>
            `${b.resourceType} ${b.patternType} ${b.resourceName} ${b.operation} ${b.permission} ${b.host}`,
        );
    expect(of('User:member-ca-kb')).toEqual([
      'TOPIC LITERAL ais.raw.ca-kb WRITE ALLOW *',
      'TOPIC LITERAL ais.raw.ca-kb DESCRIBE ALLOW *',
      'TOPIC LITERAL tracks.fused.ca-kb READ ALLOW *',
      'TOPIC LITERAL tracks.fused.ca-kb DESCRIBE ALLOW *',
      'TOPIC LITERAL alerts.ca-kb READ ALLOW *',
      'TOPIC LITERAL alerts.ca-kb DESCRIBE ALLOW *',
      'GROUP PREFIXED member-ca-kb. READ ALLOW *',
    ]);
    expect(of(ADMIN)).toEqual([]);
    expect(of(WORKER)).toContain('TOPIC PREFIXED ais.raw. READ ALLOW *');
    expect(of(WORKER)).toContain('GROUP LITERAL tidewatch READ ALLOW *');
    // Nobody is granted CREATE: topics are the administrator's (the script creates them).
    expect(
      auth.bindings.filter((b: AclBinding) => !['READ', 'WRITE', 'DESCRIBE'].includes(b.operation)),
    ).toEqual([]);
    expect(auth.topics).toHaveLength(4 * 3 + 3);
  });

  it('lets no member of the example read another member’s outputs, write another’s raw topic, or touch the whole picture', () => {
    checkLeastPrivilege(loadExample());
  });

  it('holds for random coalitions, members whose ids prefix each other included', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const document = randomCoalitionDocument(seed, {
        members: 2 + (seed % 12),
        modules: 2,
        zones: 2,
      });
      checkLeastPrivilege(parseCoalition(document, { source: `seed ${seed}` }));
    }
    // m1 is a prefix of m10 and m11; ca of ca-kb and ca-kb-2.
    const prefixes = parseCoalitionText(
      'members: { ca: {name: A}, ca-kb: {name: B}, ca-kb-2: {name: C}, c: {name: D} }',
      { source: 'prefixes' },
    );
    checkLeastPrivilege(prefixes);
  });

  it('the model under these tests denies what it should (it can fail)', () => {
    const auth = kafkaAuthorisation(loadExample(), LAYOUT);
    // A PREFIXED read on another member's outputs would be caught.
    const leaky: AclBinding[] = [
      ...auth.bindings,
      {
        principal: 'User:member-ca',
        resourceType: 'TOPIC',
        patternType: 'PREFIXED',
        resourceName: 'tracks.fused.',
        operation: 'READ',
        permission: 'ALLOW',
        host: '*',
      },
    ];
    expect(
      authorized(leaky, auth.superUsers, {
        principal: 'User:member-ca',
        operation: 'READ',
        resourceType: 'TOPIC',
        name: 'tracks.fused.no',
      }),
    ).toBe(true);
    expect(
      authorized(auth.bindings, auth.superUsers, {
        principal: 'User:member-ca',
        operation: 'READ',
        resourceType: 'TOPIC',
        name: 'tracks.fused.no',
      }),
    ).toBe(false);
  });

  it('refuses a worker group a member could join', () => {
    expect(() =>
      kafkaAuthorisation(loadExample(), { ...LAYOUT, workerGroupId: 'member-ca.worker' }),
    ).toThrow(/Worker group "member-ca.worker"/);
  });

  it('names password variables one-to-one', () => {
    expect(passwordEnvName('member-ca-kb')).toBe('TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA_KB');
    expect(passwordEnvName('member-ca-kb')).not.toBe(passwordEnvName('member-ca'));
  });
});
