/**
 * librdkafka's subscription list for topic names and patterns. A pattern must start with `^`
 * (librdkafka treats only such names as patterns); its flags are ignored. Throws a `RangeError`
 * naming the bad entry.
 */
export function subscription(topics: readonly (string | RegExp)[]): string[] {
  if (topics.length === 0) throw new RangeError('Kafka consumer topics: the list is empty.');
  return topics.map(subscriptionEntry);
}

function subscriptionEntry(topic: string | RegExp): string {
  if (typeof topic === 'string') {
    if (topic.length === 0) throw new RangeError('Kafka consumer topics: an empty topic name.');
    return topic;
  }
  if (!topic.source.startsWith('^')) {
    throw new RangeError(
      `Kafka consumer topics: pattern /${topic.source}/ must start with ^ (librdkafka treats only such names as patterns).`,
    );
  }
  // A string, not the RegExp: node-rdkafka would print every RegExp subscription to stderr.
  return topic.source;
}

/**
 * Whether a subscription to `topics` reads `topic`, as librdkafka decides: a name starting with
 * `^` (or a RegExp) is a pattern, any other name is matched whole.
 */
export function subscribes(topics: readonly (string | RegExp)[]): (topic: string) => boolean {
  const patterns = subscription(topics).map((entry) =>
    entry.startsWith('^') ? new RegExp(entry) : entry,
  );
  return (topic) => patterns.some((p) => (typeof p === 'string' ? p === topic : p.test(topic)));
}
