import { memberOfRawTopic, rawTopicMember } from '../io/kafka/raw-topic.js';

/**
 * The member label of a topic that names no member (metrics, dead letters): its lines are
 * rejected `no_member`, never fused.
 */
export const NO_MEMBER = '';

/**
 * The coalition member whose feed a raw topic carries (DESIGN.md §2.3): the topic listed for it in
 * `kafka.members`, or else what follows `kafka.rawTopicPrefix` in the name (`ais.raw.ca` → `ca`).
 * A topic the subscription pattern matches may still name no member (`ais.raw.`: anyone able to
 * create topics can make one, issue 13): `find` says so and the worker dead-letters its lines;
 * `memberOf` throws `KAFKA_BAD_TOPIC` for it. Kafka knows topics; this is where they become
 * members.
 */
export class TopicMembers {
  /** Each topic's member, looked up once (null: the topic names none). */
  private readonly known = new Map<string, string | null>();

  constructor(
    private readonly members: ReadonlyMap<string, string>,
    private readonly rawTopicPrefix: string,
  ) {}

  /** The member of `topic`; throws `KAFKA_BAD_TOPIC` when it names none. */
  memberOf(topic: string): string {
    return this.find(topic) ?? memberOfRawTopic(topic, this.rawTopicPrefix);
  }

  /** The member of `topic`, or undefined when it names none. */
  find(topic: string): string | undefined {
    let member = this.known.get(topic);
    if (member === undefined) {
      member = this.lookUp(topic);
      this.known.set(topic, member);
    }
    return member ?? undefined;
  }

  /** The member label of `topic` for metrics: its member, or `NO_MEMBER`. */
  labelOf(topic: string): string {
    return this.find(topic) ?? NO_MEMBER;
  }

  private lookUp(topic: string): string | null {
    for (const [member, memberTopic] of this.members) {
      if (memberTopic === topic) return member;
    }
    return rawTopicMember(topic, this.rawTopicPrefix) ?? null;
  }
}
