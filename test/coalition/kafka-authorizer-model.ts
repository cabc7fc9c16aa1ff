import type { AclBinding } from '../../src/coalition/kafka-acls.js';

/**
 * What Kafka's StandardAuthorizer decides for a set of ACLs, written down independently of the
 * code under test (Kafka docs §7.5 "Authorization and ACLs", StandardAuthorizerData):
 * super users may do anything; otherwise a DENY that matches wins, then an ALLOW that matches;
 * with `allow.everyone.if.no.acl.found=false`, no match is a denial. An ACL matches a resource of
 * its type when LITERAL and the name is equal (or the ACL's name is the wildcard `*`), or PREFIXED
 * and the name starts with it. Operations imply others: READ, WRITE, DELETE and ALTER imply
 * DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS; ALL implies every one.
 */
export type ModelOperation =
  | 'READ'
  | 'WRITE'
  | 'CREATE'
  | 'DELETE'
  | 'ALTER'
  | 'DESCRIBE'
  | 'DESCRIBE_CONFIGS'
  | 'ALTER_CONFIGS'
  | 'CLUSTER_ACTION'
  | 'IDEMPOTENT_WRITE';
export type ModelResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER' | 'TRANSACTIONAL_ID';

const IMPLIED_BY: Partial<Record<ModelOperation, readonly string[]>> = {
  DESCRIBE: ['READ', 'WRITE', 'DELETE', 'ALTER'],
  DESCRIBE_CONFIGS: ['ALTER_CONFIGS'],
};

export interface ModelRequest {
  readonly principal: string;
  readonly operation: ModelOperation;
  readonly resourceType: ModelResourceType;
  readonly name: string;
}

export function authorized(
  bindings: readonly AclBinding[],
  superUsers: readonly string[],
  request: ModelRequest,
): boolean {
  if (superUsers.includes(request.principal)) return true;
  const granting = new Set<string>([
    request.operation,
    'ALL',
    ...(IMPLIED_BY[request.operation] ?? []),
  ]);
  let allowed = false;
  for (const acl of bindings) {
    if (acl.principal !== request.principal && acl.principal !== 'User:*') continue;
    if (acl.resourceType !== request.resourceType) continue;
    const matches =
      acl.patternType === 'LITERAL'
        ? acl.resourceName === request.name || acl.resourceName === '*'
        : request.name.startsWith(acl.resourceName);
    if (!matches) continue;
    // A DENY of the operation itself (or ALL) denies; implied operations only widen ALLOWs.
    if ((acl.permission as string) === 'DENY') {
      if (acl.operation === request.operation || (acl.operation as string) === 'ALL') return false;
      continue;
    }
    if (granting.has(acl.operation)) allowed = true;
  }
  return allowed;
}
