import type { Coalition } from './coalition.js';

/**
 * Kafka authorisation of a coalition (DESIGN.md §6, issue 13): one SASL/SCRAM principal per
 * member, the worker's and an administrator's, and the ACL bindings that give each exactly what it
 * needs — least privilege, for a broker running Kafka's StandardAuthorizer with
 * `allow.everyone.if.no.acl.found=false` (anything not granted here is denied).
 *
 * What each client needs, from Kafka's "Operations and Resources on Protocols" (docs §7.5):
 * - a producer: Produce and Metadata need WRITE and DESCRIBE on the topic; an idempotent producer's
 *   InitProducerId (librdkafka `enable.idempotence`, as BatchProducer sets it) is allowed by WRITE
 *   on any topic since Kafka 2.8 (KIP-679), so no IDEMPOTENT_WRITE on the cluster;
 * - a consumer in a group: Fetch needs READ on the topic; FindCoordinator, JoinGroup, SyncGroup,
 *   Heartbeat, LeaveGroup and OffsetCommit READ on the group; OffsetFetch and ListOffsets
 *   DESCRIBE (implied by READ);
 * - a regex subscription (the worker's `^ais\.raw\.`): librdkafka asks for every topic's metadata
 *   and matches the names itself, and the broker lists only topics the principal may DESCRIBE, so
 *   READ on the raw prefix (which implies DESCRIBE) is what lets it see new members' topics.
 * Nobody but the administrator may create topics: the command's script creates them, and a
 * topic that names no member can no longer be made by any client (the `ais.raw.` of issue 13).
 */

export const ACL_RESOURCE_TYPES = ['TOPIC', 'GROUP'] as const;
export type AclResourceType = (typeof ACL_RESOURCE_TYPES)[number];

/** LITERAL: the name exactly; PREFIXED: every name that starts with it. */
export const ACL_PATTERN_TYPES = ['LITERAL', 'PREFIXED'] as const;
export type AclPatternType = (typeof ACL_PATTERN_TYPES)[number];

/** The operations this policy grants (Kafka's AclOperation names). */
export const ACL_OPERATIONS = ['READ', 'WRITE', 'DESCRIBE'] as const;
export type AclOperation = (typeof ACL_OPERATIONS)[number];

/** One ACL: `principal` is ALLOWed `operation` on the resource, from any host. */
export interface AclBinding {
  /** `User:<username>`. */
  readonly principal: string;
  readonly resourceType: AclResourceType;
  readonly patternType: AclPatternType;
  readonly resourceName: string;
  readonly operation: AclOperation;
  /** Only ALLOW: everything not allowed is denied, so no DENY is needed. */
  readonly permission: 'ALLOW';
  readonly host: '*';
}

export const KAFKA_ROLES = ['admin', 'worker', 'member'] as const;
export type KafkaRole = (typeof KAFKA_ROLES)[number];

export interface KafkaPrincipal {
  readonly role: KafkaRole;
  /** The SASL/SCRAM user name. */
  readonly username: string;
  /** `User:<username>`, as ACLs and `super.users` name it. */
  readonly principal: string;
  /** The environment variable holding its password (see passwordEnvName). */
  readonly passwordEnv: string;
  /** For a member: its id. */
  readonly memberId: string | undefined;
}

/** The worker's Kafka names the bindings refer to (its configuration, DESIGN.md §2.3). */
export interface KafkaTopicLayout {
  /** Members write `<rawTopicPrefix><id>`; the worker reads every topic with the prefix. */
  readonly rawTopicPrefix: string;
  /** The worker writes it and `<fused>.<id>` per member; a member reads its own. */
  readonly fusedTopic: string;
  /** The worker writes it and `<alerts>.<id>` per member; a member reads its own. */
  readonly alertsTopic: string;
  /** Dead letters (`ais.rejected`), written by the worker; '' when the worker writes none. */
  readonly rejectedTopic: string;
  /** The worker's consumer group. */
  readonly workerGroupId: string;
}

export interface KafkaAuthorisation {
  /** The administrator, the worker, then the members in id order. */
  readonly principals: readonly KafkaPrincipal[];
  /** The principals the broker's `super.users` names (the administrator): they need no ACL. */
  readonly superUsers: readonly string[];
  /** Every ACL, grouped by principal in `principals` order, then by resource. */
  readonly bindings: readonly AclBinding[];
  /** Every topic the clients use, created by the administrator (nobody else may). */
  readonly topics: readonly string[];
}

export const ADMIN_USERNAME = 'tidewatch-admin';
export const WORKER_USERNAME = 'tidewatch-worker';
/** A member's user name is this plus its id: no member's can equal the admin's or the worker's. */
export const MEMBER_USERNAME_PREFIX = 'member-';

/** The SCRAM user of member `id`. */
export function memberUsername(id: string): string {
  return `${MEMBER_USERNAME_PREFIX}${id}`;
}

/**
 * The consumer groups member `id` may use start with this: `member-ca.ops`. The `.` cannot occur
 * in a member id (member-id.ts), so one member's prefix never covers another's (`member-ca.` is
 * not a prefix of `member-ca-kb.`).
 */
export function memberGroupPrefix(id: string): string {
  return `${memberUsername(id)}.`;
}

/**
 * Where a principal's password comes from: `TIDEWATCH_KAFKA_PASSWORD_` and the user name in
 * capitals with `-` as `_` (member-ca-kb → TIDEWATCH_KAFKA_PASSWORD_MEMBER_CA_KB). One-to-one:
 * user names here have no `_`. Passwords are never written to a file.
 */
export function passwordEnvName(username: string): string {
  return `TIDEWATCH_KAFKA_PASSWORD_${username.toUpperCase().replaceAll('-', '_')}`;
}

/** The topics a member reads: its picture's tracks and alerts (`tracks.fused.<id>`, `alerts.<id>`). */
export function memberOutputTopics(id: string, layout: KafkaTopicLayout): readonly string[] {
  return [`${layout.fusedTopic}.${id}`, `${layout.alertsTopic}.${id}`];
}

/** The principals and the ACLs of `coalition` for a worker with `layout`. */
export function kafkaAuthorisation(
  coalition: Coalition,
  layout: KafkaTopicLayout,
): KafkaAuthorisation {
  if (layout.workerGroupId.startsWith(MEMBER_USERNAME_PREFIX)) {
    // A member may join any group under its prefix: it could join the worker's and upset it.
    throw new RangeError(
      `Worker group "${layout.workerGroupId}": groups starting with "${MEMBER_USERNAME_PREFIX}" are members' (${memberGroupPrefix('<id>')}...).`,
    );
  }
  const admin = principal('admin', ADMIN_USERNAME, undefined);
  const worker = principal('worker', WORKER_USERNAME, undefined);
  const members = coalition.members.map((m) => principal('member', memberUsername(m.id), m.id));
  const bindings: AclBinding[] = [];
  const allow = (
    who: KafkaPrincipal,
    resourceType: AclResourceType,
    patternType: AclPatternType,
    resourceName: string,
    operations: readonly AclOperation[],
  ): void => {
    for (const operation of operations) {
      bindings.push({
        principal: who.principal,
        resourceType,
        patternType,
        resourceName,
        operation,
        permission: 'ALLOW',
        host: '*',
      });
    }
  };

  const sharedOutputs = [layout.fusedTopic, layout.alertsTopic, layout.rejectedTopic].filter(
    (topic) => topic !== '',
  );
  const memberOutputs = coalition.members.flatMap((m) => memberOutputTopics(m.id, layout));
  allow(worker, 'TOPIC', 'PREFIXED', layout.rawTopicPrefix, ['READ', 'DESCRIBE']);
  for (const topic of [...sharedOutputs, ...memberOutputs]) {
    allow(worker, 'TOPIC', 'LITERAL', topic, ['WRITE', 'DESCRIBE']);
  }
  allow(worker, 'GROUP', 'LITERAL', layout.workerGroupId, ['READ']);

  for (const member of members) {
    const id = member.memberId!;
    allow(member, 'TOPIC', 'LITERAL', `${layout.rawTopicPrefix}${id}`, ['WRITE', 'DESCRIBE']);
    for (const topic of memberOutputTopics(id, layout)) {
      allow(member, 'TOPIC', 'LITERAL', topic, ['READ', 'DESCRIBE']);
    }
    allow(member, 'GROUP', 'PREFIXED', memberGroupPrefix(id), ['READ']);
  }

  const rawTopics = coalition.members.map((m) => `${layout.rawTopicPrefix}${m.id}`);
  return {
    principals: [admin, worker, ...members],
    superUsers: [admin.principal],
    bindings,
    topics: [...rawTopics, ...sharedOutputs, ...memberOutputs],
  };
}

function principal(
  role: KafkaRole,
  username: string,
  memberId: string | undefined,
): KafkaPrincipal {
  return {
    role,
    username,
    principal: `User:${username}`,
    passwordEnv: passwordEnvName(username),
    memberId,
  };
}
