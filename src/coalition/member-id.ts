/**
 * Member ids become Kafka topic suffixes (`tracks.fused.<id>`, `alerts.<id>`) and Postgres group
 * roles (`member_<id>`, `-` → `_`), DESIGN.md §6. Lowercase letters, digits and inner `-`, starting
 * with a letter: an all-digit id would read as a number in YAML lists (`to: [007]` is 7).
 */
export const MEMBER_ID_PATTERN = /^[a-z](?:[a-z0-9-]*[a-z0-9])?$/;

/** Postgres truncates identifiers to NAMEDATALEN - 1 bytes (PostgreSQL docs §4.1.1). */
export const POSTGRES_MAX_IDENTIFIER_BYTES = 63;

/** Kafka's limit on a topic name (kafka.common.internals.Topic: 249 characters). */
export const KAFKA_MAX_TOPIC_CHARS = 249;

/** The longest topic prefix a member id is appended to (`tracks.fused.`). */
const LONGEST_TOPIC_PREFIX = 'tracks.fused.';

/** Why `id` cannot be a member id, or undefined when it can. */
export function memberIdProblem(id: string): string | undefined {
  if (!MEMBER_ID_PATTERN.test(id)) {
    return `member id ${JSON.stringify(id)}: use lowercase letters, digits and "-", starting with a letter`;
  }
  if (LONGEST_TOPIC_PREFIX.length + id.length > KAFKA_MAX_TOPIC_CHARS) {
    return `member id ${JSON.stringify(id)} is ${id.length} characters: topic ${LONGEST_TOPIC_PREFIX}<id> would exceed Kafka's ${KAFKA_MAX_TOPIC_CHARS}`;
  }
  return undefined;
}

/**
 * The member's Postgres group role as the server stores it: `member_` + the id with `-` as `_`,
 * cut to 63 bytes as Postgres cuts any longer name. `-` → `_` is one-to-one (ids have no `_`), so
 * two ids can only meet here through the cut: the loader refuses such pairs.
 */
export function memberRoleName(id: string): string {
  return `member_${id.replaceAll('-', '_')}`.slice(0, POSTGRES_MAX_IDENTIFIER_BYTES);
}
