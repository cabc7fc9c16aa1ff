import { KafkaError } from './kafka-error.js';

/** Members' raw feeds are topics `ais.raw.<member>` (DESIGN.md §2.3); the prefix is configurable. */
export const RAW_TOPIC_PREFIX = 'ais.raw.';

/** The default subscription of the worker (issue 4): every raw-feed topic, present and future. */
export const RAW_TOPIC_PATTERN = /^ais\.raw\./;

// Kafka's legal topic characters (Topic.java `LEGAL_CHARS`) and its 249-character limit.
const TOPIC_NAME = /^[a-zA-Z0-9._-]{1,249}$/;

/** The raw-feed topic of `member`. */
export function rawTopic(member: string, prefix = RAW_TOPIC_PREFIX): string {
  const topic = `${prefix}${member}`;
  if (member.length === 0 || !TOPIC_NAME.test(topic)) {
    throw new KafkaError(
      'KAFKA_BAD_TOPIC',
      `Member id "${member}" does not make a Kafka topic name (${prefix}<member>: letters, digits, ".", "_", "-").`,
    );
  }
  return topic;
}

/** The member id of a raw-feed topic: what follows the prefix (`ais.raw.alpha` → `alpha`). */
export function memberOfRawTopic(topic: string, prefix = RAW_TOPIC_PREFIX): string {
  const member = rawTopicMember(topic, prefix);
  if (member === undefined) {
    throw new KafkaError(
      'KAFKA_BAD_TOPIC',
      `Topic "${topic}" is not a raw feed topic (${prefix}<member>): no member id in its name.`,
    );
  }
  return member;
}

/** `memberOfRawTopic`, or undefined for a topic that names no member (`ais.raw.`, `tracks`). */
export function rawTopicMember(topic: string, prefix = RAW_TOPIC_PREFIX): string | undefined {
  if (!topic.startsWith(prefix) || topic.length === prefix.length) return undefined;
  return topic.slice(prefix.length);
}
