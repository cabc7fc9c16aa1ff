import { memberOfRawTopic } from '../io/kafka/raw-topic.js';

/**
 * The coalition member whose feed a raw topic carries (DESIGN.md §2.3): the topic listed for it in
 * `kafka.members`, or else what follows `kafka.rawTopicPrefix` in the name (`ais.raw.ca` → `ca`).
 * Throws `KAFKA_BAD_TOPIC` for a topic that names no member. Kafka knows topics; this is where
 * they become members.
 */
export class TopicMembers {
  /** Each topic's member, looked up once. */
  private readonly known = new Map<string, string>();

  constructor(
    private readonly members: ReadonlyMap<string, string>,
    private readonly rawTopicPrefix: string,
  ) {}

  memberOf(topic: string): string {
    let member = this.known.get(topic);
    if (member === undefined) {
      member = this.lookUp(topic);
      this.known.set(topic, member);
    }
    return member;
  }

  private lookUp(topic: string): string {
    for (const [member, memberTopic] of this.members) {
      if (memberTopic === topic) return member;
    }
    return memberOfRawTopic(topic, this.rawTopicPrefix);
  }
}
